"""Merging the attributors' output: the trained model completed by the rules.

`predict_in_chunks` runs the model over sentence-aligned chunks of a long Doc, `tidy`
trims its spans as the rules trim theirs, and `merge` keeps the model's attributions
and adds the rules' where the model left them alone.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc

from ..nlp import doc_index
from .candidates import Found
from .rules import TRIM_CONTENT, asked_participle, trim

# A model content shorter than this (in characters) is a stub such as "that".
_STUB_CONTENT = 10


MODEL_CHUNK_TOKENS = 4000


def predict_in_chunks(model: Any, doc: Doc, rules: list[Found], skip: list[tuple[int, int]],
                      size: int | None = None) -> list[Found]:
    """The model's attributions, predicted on sentence-aligned chunks of a long Doc.

    Grouping spans into attributions compares every cue with every span, so a book-length
    input would cost quadratic time; news articles (a few thousand tokens) are one chunk.
    The model reads the rules' attributions (stacking), shifted into each chunk.
    """
    size = size or MODEL_CHUNK_TOKENS
    if len(doc) <= size:
        return list(model.predict(doc, rules, skip))
    found: list[Found] = []
    sents = doc_index(doc).sents
    start = 0
    while start < len(doc):
        end = min(len(doc), start + size)
        if end < len(doc):
            # cut at the last sentence start in the second half of the window
            end = max((s.start for s in sents if start + size // 2 < s.start <= end), default=end)
        chunk = doc[start:end]
        lo, hi = chunk.start_char, chunk.end_char
        inside = [_shift_found(r, -lo) for r in rules
                  if lo <= r.cue[0] < hi and all(lo <= s and e <= hi for s, e in r.content)]
        for f in model.predict(chunk.as_doc(), inside, [(s - lo, e - lo) for s, e in skip if s < hi and lo < e]):
            found.append(_shift_found(f, lo))
        start = end
    return found


def _shift_found(f: Found, by: int) -> Found:
    return replace(f, cue=_shift(f.cue, by), content=tuple(_shift(c, by) for c in f.content),
                   source=_shift(f.source, by) if f.source else None,
                   inherited_source=_shift(f.inherited_source, by) if f.inherited_source else None)


def _shift(offsets: tuple[int, int], by: int) -> tuple[int, int]:
    return offsets[0] + by, offsets[1] + by


def tidy(text: str, found: Found) -> Found:
    """Spans without edge whitespace, punctuation or bullets, as the rules give them."""
    source = trim(text, *found.source) if found.source else None
    content = tuple(c for c in (trim(text, s, e, TRIM_CONTENT) for s, e in found.content) if c[1] > c[0])
    return replace(found, source=source if source and source[1] > source[0] else None,
                   content=content or found.content)


def _asked_cue(doc: Doc, cue: tuple[int, int]) -> bool:
    span = doc.char_span(*cue, alignment_mode="expand")
    return span is not None and len(span) == 1 and asked_participle(span[0])


def merge(rules: list[Found], learned: list[Found], text: str = "", doc: Doc | None = None) -> list[Found]:
    """The model's attributions, completed by the rules.

    Chosen on PolNeAR dev with the stacked model (see docs/model.md): rules win
    outright for patterns the model sees too rarely to learn (``Source:`` lines, colon
    lead-ins, dash-signed quotations); where both find the same cue, the rule's cue
    span (with "said Friday", "in a statement"), the rule's source when the model found
    none and the rule's content when the model's is a stub ("that") or a short piece
    of it (under a third: "that venues" of "that venues must not ...") are kept; the
    model's source is dropped where the cue is a bare participle ("Asked why ..., X
    said": X answered). Rule
    attributions are added where the model touched neither their cue nor their
    content: the model has seen the rules' output as features, so a rule content it
    tagged under another cue is mostly one it rejected. Exempt are attributions nested
    in a layout quotation ("Quote from X: '... saying that ...'") and relative-clause
    statements nested in another content ("Zelenskyy, who previously stated that ...":
    PolNeAR marks one attribution per token, so on dev this costs .001 relation F1).
    """
    def cue_index(items: Iterable[Found]) -> dict[int, Found]:
        """Each character of a cue → its attribution: overlap tests in constant time."""
        return {c: f for f in items for c in range(*f.cue)}

    def twin_of(found: Found, index: dict[int, Found]) -> Found | None:
        return next((index[c] for c in range(*found.cue) if c in index), None)

    def in_lead(found: Found, layout: Found) -> bool:
        """Inside a layout attribution's lead ("Quote from X:") or repeating its content."""
        lead = [layout.cue] + ([layout.source] if layout.source else [])
        start, end = min(s for s, _ in lead), max(e for _, e in lead)
        if start <= found.cue[0] < end + 2:
            return True
        return any(s <= c[0] and c[1] <= e + 1 for c in found.content for s, e in layout.content) and not any(
            s <= found.cue[0] < e for s, e in layout.content)

    def clashes(rule: Found, other: Found) -> bool:
        """The rule's content overlaps the other's, and not as an attribution nested in a layout quote."""
        if not any(s < e2 and s2 < e for s, e in rule.content for s2, e2 in other.content):
            return False
        if rule.source and text[rule.source[0]:rule.source[1]].lower() in {"who", "which"} and any(
                s <= rule.cue[0] < e for s, e in other.content):
            return False  # "Zelenskyy, who previously stated that ...": a statement of its own, nested
        return other.origin != "layout" or not any(s <= rule.cue[0] and rule.cue[1] <= e for s, e in other.content)

    layout = [r for r in rules if r.origin == "layout"]
    layout_cues = cue_index(layout)
    verb_cues = cue_index(r for r in rules if r.origin != "layout")
    # layout attributions near a cue: leads and contents span at most a few thousand characters
    layout_starts = [min(r.cue[0], *(s for s, _ in r.content)) for r in layout]
    order = sorted(range(len(layout)), key=layout_starts.__getitem__)
    starts = [layout_starts[i] for i in order]
    result = list(layout)
    for found in learned:
        near = order[bisect_left(starts, found.cue[0] - 10_000):bisect_right(starts, found.cue[0] + 10_000)]
        if twin_of(found, layout_cues) or any(in_lead(found, layout[i]) for i in near):
            continue
        twin = twin_of(found, verb_cues)
        if twin is not None:
            stub = bool(twin.content) and (sum(e - s for s, e in found.content) < _STUB_CONTENT or (
                (len(twin.content) > len(found.content) or 3 * sum(e - s for s, e in found.content)
                 < sum(e - s for s, e in twin.content)) and all(
                    any(s2 <= s and e <= e2 for s2, e2 in twin.content) for s, e in found.content)))
            # "Asked why ..., X said": X answered; the rule knows the asker is unnamed
            asked = doc is not None and twin.source is None and _asked_cue(doc, twin.cue)
            found = replace(found, cue=twin.cue, source=None if asked else found.source or twin.source,
                            content=twin.content if stub else found.content,
                            inherited_source=found.inherited_source or twin.inherited_source)
        result.append(found)
    kept = cue_index(result)
    contents: dict[int, Found] = {c: f for f in result for s, e in f.content for c in range(s, e)}
    for rule in rules:
        if rule.origin == "layout" or twin_of(rule, kept) is not None:
            continue
        touched = {id(f): f for s, e in rule.content for c in range(s, e) if (f := contents.get(c)) is not None}
        if not any(clashes(rule, f) for f in touched.values()):
            result.append(rule)
    return sorted(result, key=lambda f: f.cue)
