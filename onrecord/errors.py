"""Every error onrecord raises derives from `OnRecordError`::

    OnRecordError
    ├── InputError          an input cannot be read (names the input, and the line for JSON Lines)
    │   ├── InputTooLarge   an input exceeds the size limit (``--max-bytes``)
    │   └── ExtractionError extraction failed on one article (a bug: please report it)
    ├── ModelError          the spaCy model or the attribution model is missing or broken
    ├── ConfigError         a settings file or option value is invalid
    ├── StoreError          the database cannot be opened or fails, or a store query is invalid (onrecord.store)
    │   └── StoreUnavailable the database cannot take the work now: unreachable, locked, read-only, disk full
    ├── CorpusError         an evaluation corpus folder is missing or malformed (onrecord.eval)
    └── PredictionError     a predictions file does not fit the gold corpus (onrecord.eval)

"No attributions found" is not an error: it is an article with an empty list.
"""

from __future__ import annotations

from typing import Any


class OnRecordError(Exception):
    """Base class of all onrecord errors."""


class InputError(OnRecordError):
    """An input (file, URL, JSON Lines record) cannot be read or parsed."""

    def __init__(self, message: str, *, input: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.input = input
        self.line = line
        where = input or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        # pickling (errors sent back by worker processes) would otherwise rebuild it from
        # str(self) and name the input twice
        return (_rebuild, (type(self), self.message, self.input, self.line))


def _rebuild(cls: type[InputError], message: str, input: str | None, line: int | None) -> InputError:
    return cls(message, input=input, line=line)


class InputTooLarge(InputError):
    """An input is larger than the configured limit."""


class ExtractionError(InputError):
    """Extraction failed on one article; the rest of the batch goes on."""


class ModelError(OnRecordError):
    """A model package is missing or cannot be loaded."""


class ConfigError(OnRecordError):
    """A settings value is invalid."""
