"""The default decision: two taggers that learned differently must agree.

The transformer tagger and the CRF tagger (each merged with the rules) make different
mistakes: on PolNeAR dev what only one of them proposes is right for about half of the
transformer's and a fifth of the CRF's candidates, and on real pages from other outlets
for one in six (docs/model.md). A candidate of the transformer is kept when

* the CRF proposes the same cue and the learned filter keeps it (`AttributionFilter`'s
  threshold, chosen on PolNeAR dev for the CRF's candidates); or
* the filter is nearly sure of it alone (`ALONE_AT_LEAST`); or
* the filter does not judge it (`filter.exempt`: layout patterns, statements nested in a content).

Then statements quoted inside a quotation are added (`quoted_statements`), and candidates
that state no proposition (requests, plans, refusals) are dropped
(`proposition.with_propositions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from ..nlp import doc_index
from .candidates import Found, Offsets
from .filter import AttributionFilter, _Context, context, exempt
from .proposition import with_propositions
from .rules import doc_quotations

# The filter's probability a candidate needs when only the transformer proposes it.
ALONE_AT_LEAST = 0.9


def _cue_chars(found: Sequence[Found]) -> set[int]:
    return {c for f in found for c in range(*f.cue)}


def agree(doc: Doc, found: Sequence[Found], other: Sequence[Found], rules: Sequence[Found],
          decision: AttributionFilter, ctx: _Context | None = None) -> list[Found]:
    """The candidates of ``found`` that ``other`` backs or that ``decision`` is sure of (see the module).

    ``ctx``: `filter.context` of ``doc`` and ``rules``, where the caller has it.
    """
    ctx = ctx or context(doc, rules)
    backing = _cue_chars([f for f in other if exempt(f, other) or decision.probability(doc, f, ctx)
                          >= decision.threshold])
    kept = []
    for f in found:
        if exempt(f, found):
            kept.append(f)
            continue
        p = decision.probability(doc, f, ctx)
        if p >= ALONE_AT_LEAST or (p >= decision.threshold and any(c in backing for c in range(*f.cue))):
            kept.append(f)
    return kept


def quoted_statements(doc: Doc, kept: Sequence[Found], rules: Sequence[Found],
                      quotes: Sequence[Offsets] | None = None) -> list[Found]:
    """``kept`` with the rules' statements quoted inside another attribution's quotation.

    "'We understand that rolling outages are not easy,' she said": the quoted speaker
    reports a belief of their own. The content of an "according to" frame counts as a
    quotation ("The mayor denied that …, according to a letter"). PolNeAR marks one
    attribution per token, so the taggers learned to leave these out; onrecord reports them,
    nested (`Attribution.nested_in`). A rule attribution is added where its cue, source and
    content lie inside one quotation that is part of a kept attribution's content, and no
    kept cue overlaps its cue.
    ``quotes``: the doc's quotations (`rules.quotations`), where the caller has them.
    """
    text = doc_index(doc).text
    if quotes is None:
        quotes = doc_quotations(doc)
    # "The mayor denied that …, according to a letter": the letter is where the denial is on
    # record, and the denial is the statement; its content holds it as a quotation would
    frames = [(f.content[0][0], f.content[-1][1]) for f in kept
              if f.content and text[slice(*f.cue)].lower().startswith("according to")]
    taken = _cue_chars(kept)
    result = list(kept)
    for r in rules:
        if r.origin == "layout" or any(c in taken for c in range(*r.cue)):
            continue
        quote = next(((s, e) for s, e in [*quotes, *frames] if s <= r.cue[0] and r.cue[1] <= e), None)
        if quote is None:
            continue
        spans = [*r.content, *([r.source] if r.source else [])]
        if not all(quote[0] <= s and e <= quote[1] for s, e in spans):
            continue
        if any(s <= r.cue[0] < e for f in kept for s, e in f.content):
            result.append(r)
            taken |= set(range(*r.cue))
    return sorted(result, key=lambda f: f.cue)


def without_date_fragments(doc: Doc, found: Found) -> Found:
    """``found`` without content fragments that are only a date or time ("denied on Tuesday that …")
    or only the pronoun "it" ("It is understood that …", "…, it is understood").

    Such a fragment dates the statement (`resolution` reads it from the cue's modifiers) or stands
    in for it; it is not what was said. A content of nothing else is left alone.
    """
    if len(found.content) < 2:
        return found
    kept = []
    for s, e in found.content:
        span = doc.char_span(s, e, alignment_mode="expand")
        words = [t for t in span if not t.is_punct and not t.is_space] if span is not None else []
        if not (words and all(t.ent_type_ in {"DATE", "TIME"} or t.pos_ == "ADP" for t in words)
                and any(t.ent_type_ for t in words)) and not _stands_in(words, found.cue):
            kept.append((s, e))
    return replace(found, content=tuple(kept)) if kept and len(kept) < len(found.content) else found


def _stands_in(words: list[Token], cue: Offsets) -> bool:
    """ "It" as the cue's placeholder subject ("It is understood that …"), not a content's ("told …
    it is clear") nor a raised one ("it is considered a threat": what is considered is "it")."""
    if len(words) != 1 or words[0].lower_ != "it":
        return False
    it, verb = words[0], words[0].head
    if cue[0] <= it.idx < cue[1]:
        return True  # part of the cue itself: "…, it is understood"
    return cue[0] <= verb.idx < cue[1] and (it.dep_ == "expl" or any(c.dep_ == "ccomp" for c in verb.children))


def decide(doc: Doc, found: Sequence[Found], other: Sequence[Found], rules: Sequence[Found],
           decision: AttributionFilter) -> list[Found]:
    """The default's attributions from the transformer's candidates ``found`` and the CRF's ``other``."""
    ctx = context(doc, rules)  # the doc's offset lookup and quotations, built once for every step
    kept = [without_date_fragments(doc, f) for f in agree(doc, found, other, rules, decision, ctx)]
    return with_propositions(doc, quoted_statements(doc, kept, rules, ctx.quotes), ctx.tokens)
