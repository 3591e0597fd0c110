"""onrecord: who said what, when, according to whom - and who denies it.

    >>> import onrecord
    >>> article = onrecord.extract('"We will not give up," the minister said on Tuesday.')
    >>> [(a.speaker.name, a.cue.text, a.content_text) for a in article.attributions]
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import ConfigError, InputError, InputTooLarge, ModelError, OnRecordError
from .models import Article, Attribution, Claim, LayoutSpan, Span, Speaker

if TYPE_CHECKING:
    from .parallel import extract_parallel
    from .pipeline import extract, extract_many
    from .reading import read_paths

# Loaded on first use: they import spaCy, which ``onrecord --help`` (and the store, the server)
# need not wait for.
_LAZY = {"extract": "pipeline", "extract_many": "pipeline", "extract_parallel": "parallel", "read_paths": "reading"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Attribution",
    "Claim",
    "ConfigError",
    "InputError",
    "InputTooLarge",
    "LayoutSpan",
    "ModelError",
    "OnRecordError",
    "Settings",
    "Span",
    "Speaker",
    "extract",
    "extract_many",
    "extract_parallel",
    "read_paths",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
