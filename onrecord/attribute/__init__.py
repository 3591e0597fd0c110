"""The attribute stage: source, cue and content from a parsed article.

Attributors return `Found` records (offsets only): the hand-written rules (`rules`),
the CRF tagger stacked on them (`crf`, trained by `training`), merged by `merging`;
`quotes` then adds the quotations that continue an attribution and fixes content boundaries.
`attribute()` runs the attributors that `Settings.attributor` asks for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from ..config import Settings
from ..errors import ModelError
from ..nlp import doc_index
from .candidates import Found, Offsets
from .merging import merge, predict_in_chunks, tidy
from .quotes import continues_quotes
from .rules import find_attributions

logger = logging.getLogger(__name__)

__all__ = ["Found", "Offsets", "attribute", "find_attributions", "merge"]


@lru_cache(maxsize=2)
def _learned(path: str | None = None) -> Any:
    """The trained attributor, or None where no model is packaged."""
    try:
        from .crf import LearnedAttributor
    except ImportError:
        return None
    try:
        return LearnedAttributor.load(path)
    except ModelError as err:
        logger.warning("trained attribution model unavailable, using rules only: %s", err)
        return None


@continues_quotes  # floating and multi-paragraph quotes, content boundaries: after all attributors
def attribute(doc: Doc, *, skip: Iterable[tuple[int, int]] = (), settings: Settings | None = None) -> list[Found]:
    """Raw attributions of a parsed article from the rules and, where available, the trained model."""
    settings = settings or Settings()
    skip = list(skip)
    model = _learned() if settings.attributor != "rules" else None
    # a stacked model reads the rules' output, so the rules run for it too
    wants_rules = settings.attributor in {"auto", "rules"} or getattr(model, "stacked", False)
    rules = find_attributions(doc, skip) if wants_rules else []
    if settings.attributor == "rules":
        return rules
    if model is None:
        if settings.attributor == "model":
            raise ModelError("no trained attribution model is installed")
        return rules
    text = doc_index(doc).text
    learned = [tidy(text, f) for f in predict_in_chunks(model, doc, rules, skip)
               if not any(s <= f.cue[0] < e for s, e in skip)]
    return merge(rules, learned, text, doc) if settings.attributor == "auto" else learned
