"""onrecord: who said what, when, according to whom - and who denies it.

    >>> import onrecord
    >>> article = onrecord.extract('"We will not give up," the minister said on Tuesday.')
    >>> [(a.speaker.name, a.cue.text, a.content_text) for a in article.attributions]
"""

from __future__ import annotations

import logging

from .config import Settings
from .errors import ConfigError, InputError, InputTooLarge, ModelError, OnRecordError
from .models import Article, Attribution, Claim, LayoutSpan, Span, Speaker
from .parallel import extract_parallel
from .pipeline import extract, extract_many
from .reading import read_paths

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
