"""The attribute stage: source, cue and content from a parsed article.

Attributors return `Found` records (offsets only): the hand-written rules (`rules`),
the CRF tagger stacked on them (`crf`, trained by `training`) and the transformer tagger
(`transformer`), each merged with the rules by `merging`. `attribute()` runs the
attributors that `Settings.attributor` asks for: by default both taggers, of whose
candidates `committee` keeps those they agree on or that the learned `filter` is sure of,
with the statements that state a proposition (`proposition`); in the fast mode the CRF's
candidates that the filter keeps. `quotes` then adds the quotations that continue an
attribution and fixes content boundaries.
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
from .proposition import with_propositions
from .quotes import continues_quotes
from .rules import find_attributions
from .writer import without_writer

logger = logging.getLogger(__name__)

__all__ = ["Found", "Offsets", "attribute", "find_attributions", "merge"]


@lru_cache(maxsize=2)
def _learned(path: str | None = None) -> Any:
    """The trained attributor (``path``, else the packaged one), or None where none is packaged."""
    try:
        from .crf import LearnedAttributor
    except ImportError:
        return None
    try:
        return LearnedAttributor.load(path)
    except ModelError as err:
        if path is not None:
            raise  # a model asked for by name: no silent fallback
        logger.warning("trained attribution model unavailable, using rules only: %s", err)
        return None


@lru_cache(maxsize=1)
def _committee_available() -> bool:
    """Whether the default can use the transformer; warns once where it falls back to the fast mode."""
    try:
        _transformer()
    except ModelError as err:
        logger.warning("the transformer attributor is unavailable, using the fast mode: %s", err)
        return False
    return True


@lru_cache(maxsize=1)
def _transformer() -> Any:
    """The transformer attributor (loaded once per process); ModelError where torch or the model is missing."""
    try:
        from .transformer import TransformerAttributor
    except ImportError as err:
        raise ModelError(f"{err.name} is missing: pip install torch==2.13.0 'onrecord[transformer]'") from None
    return TransformerAttributor.load()


@lru_cache(maxsize=2)
def _filter(path: str | None = None) -> Any:
    """The trained candidate filter, or None where none is packaged (candidates are then all kept)."""
    from .filter import AttributionFilter

    try:
        return AttributionFilter.load(path)
    except ModelError as err:
        logger.warning("attribution filter unavailable, keeping every candidate: %s", err)
        return None


@continues_quotes  # floating and multi-paragraph quotes, content boundaries: after all attributors
def attribute(doc: Doc, *, skip: Iterable[tuple[int, int]] = (), settings: Settings | None = None,
              filtered: bool = True) -> list[Found]:
    """Raw attributions of a parsed article from the rules and, where available, the trained model.

    In the default mode (``auto``) the transformer's and the CRF's candidates go to the
    `committee`; in the fast mode (``fast``: CRF + rules) they pass the learned filter.
    ``filtered`` False gives the fast mode's candidates unfiltered (training the filter needs them all).
    """
    settings = settings or Settings()
    skip = list(skip)
    mode = settings.attributor
    if mode == "auto" and filtered and _committee_available():
        from .committee import decide

        decision, model = _filter(settings.filter_model), _learned(settings.crf_model)
        if decision is None or model is None:
            return propose(doc, _transformer(), skip=skip, merged=True)[0]
        return decide(doc, *committee_candidates(doc, model, skip), decision, skip)
    if mode == "transformer":
        # the transformer tagger in the CRF's place, merged with the rules as in "fast", unfiltered
        return propose(doc, _transformer(), skip=skip, merged=True)[0]
    if mode == "rules":
        return find_attributions(doc, list(skip))
    model = _learned(settings.crf_model)
    if model is None and mode == "model":
        raise ModelError("no trained attribution model is installed")
    found, rules = propose(doc, model, skip=skip, merged=mode != "model")
    # the filter was trained on the fast mode's candidates (CRF + rules): it judges those only
    decision = _filter(settings.filter_model) if filtered and mode != "model" and model is not None else None
    if decision is None:
        return found
    # the same definition of an attribution as the default's: requests and plans state nothing
    return with_propositions(doc, without_writer(doc, decision.keep(doc, found, rules)))


def committee_candidates(doc: Doc, model: Any, skip: Iterable[tuple[int, int]] = ()
                         ) -> tuple[list[Found], list[Found], list[Found]]:
    """What the default's `committee` decides on: the transformer's candidates and the CRF's (``model``),
    each merged with the rules, and the rules' attributions.

    Training the filter on the default's candidates (`onrecord.training.news`) calls this too.
    """
    from .transformer import FOCUS

    skip = list(skip)
    other, rules = propose(doc, model, skip=skip, merged=True)
    focus = FOCUS.set(tuple(f.cue[0] for f in other))  # the transformer reads the CRF's paragraphs too
    try:
        found = propose(doc, _transformer(), skip=skip, merged=True, rules=rules)[0]
    finally:
        FOCUS.reset(focus)
    return found, other, rules


def propose(doc: Doc, model: Any, *, skip: Iterable[tuple[int, int]] = (), merged: bool = True,
            rules: list[Found] | None = None) -> tuple[list[Found], list[Found]]:
    """The candidates of ``model`` (a `LearnedAttributor`, or None for the rules alone), merged
    with the rules' unless ``merged`` is False; and the rules' attributions.

    Training the filter calls this with models that did not see the article (cross-fitting).
    ``rules``: the rules' attributions where the caller has them already.
    """
    skip = list(skip)
    # a stacked model reads the rules' output, so the rules run for it too
    wants_rules = merged or getattr(model, "stacked", False)
    if rules is None:
        rules = find_attributions(doc, skip) if wants_rules else []
    if model is None:
        return rules, rules
    text = doc_index(doc).text
    learned = [tidy(text, f) for f in predict_in_chunks(model, doc, rules, skip)
               if not any(s <= f.cue[0] < e for s, e in skip)]
    return (merge(rules, learned, text, doc) if merged else learned), rules
