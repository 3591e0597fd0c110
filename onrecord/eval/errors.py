"""The errors of the evaluation commands (all under `onrecord.errors.OnRecordError`)."""

from __future__ import annotations

from ..errors import OnRecordError


class EvalError(OnRecordError):
    """A reference or a predictions file cannot be scored."""
