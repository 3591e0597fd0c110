"""The character spans of an attribution's parts in the parse: the cue with its
auxiliaries, the source's noun phrase without a dateline, a clause as content (a whole
quotation where the clause lies in one), each trimmed of separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Token

from ..nlp import doc_index
from .candidates import Offsets
from .quotations import quote_at

_TRIM = " \t\n\r,.;:!?-–—•*"
# Contents keep their quotation marks and final punctuation inside quotes; only separators go.
TRIM_CONTENT = " \t\n\r,;:-–—•*"
_CUE_LEFT = {"aux", "auxpass", "neg", "advmod"}
# Where a statement was made, which PolNeAR counts as part of the cue ("said in a statement").
CUE_SETTINGS = frozenset("statement interview briefing release email speech conference call tweet post letter "
                         "appearance rally debate hearing remarks podcast show broadcast message".split())


def trim(text: str, start: int, end: int, chars: str = _TRIM) -> Offsets:
    """Offsets without the leading/trailing whitespace and punctuation in ``chars``."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def subtree_offsets(token: Token, exclude: Iterable[Token] = ()) -> Offsets:
    """Character span of a token's subtree, leaving out the subtrees of ``exclude``."""
    skip = {t.i for ex in exclude for t in ex.subtree}
    tokens = [t for t in token.subtree if t.i not in skip]
    # keep the contiguous run around the token itself
    idx = {t.i for t in tokens}
    lo = hi = token.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    doc = token.doc
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def cue_offsets(verb: Token) -> Offsets:
    """The cue: the verb with the auxiliaries, negation and adverbs right before it."""
    start = verb.i
    for child in sorted(verb.lefts, key=lambda t: -t.i):
        if child.dep_ in _CUE_LEFT and child.i == start - 1 and child.pos_ in {"AUX", "PART", "ADV"}:
            start = child.i
    doc = verb.doc
    end = verb
    for child in verb.rights:
        if child.i != end.i + 1:
            break
        if child.dep_ == "prt":  # phrasal verbs: "pointed out"
            end = child
        elif child.dep_ in {"npadvmod", "advmod"} and child.pos_ in {"ADV", "NOUN", "PROPN"} \
                and child.lower_ not in {"that", "so", "then", "too", "here", "there"}:
            end = child.right_edge  # "said Friday", "said Thursday morning", "said sarcastically"
        elif child.dep_ == "prep" and child.lower_ in {"in", "at", "during", "on", "via"} and any(
                g.dep_ == "pobj" and g.lemma_.lower() in CUE_SETTINGS for g in child.children):
            end = child.right_edge  # "said in a statement", "said at a briefing"
        else:
            break
    return doc[start].idx, end.idx + len(end)


def clean_span(text: str, offsets: Offsets) -> Offsets | None:
    """``offsets`` trimmed (`trim`), or None where nothing is left."""
    start, end = trim(text, *offsets)
    return (start, end) if end > start else None


def content_of(text: str, quotes: list[Offsets], clause: Token, cue: Offsets) -> Offsets | None:
    """The content a clause states: its subtree, or the quotation that holds it."""
    span = clean_span(text, subtree_offsets(clause))
    if span is None:
        return None
    # a clause that lies in a quotation (the cue outside it) is reported as the whole quotation
    inner = quote_at(quotes, span[0], span[1])
    if inner is not None and inner[0] <= cue[0] < inner[1]:
        return span
    return inner or span


_DATELINE = re.compile(r"(?m)^[A-Z][A-Z .,'-]+(?:\([\w .]+\))?\s*(?:--|—|–)\s*")


def source_offsets(text: str, subject: Token) -> Offsets | None:
    """The source noun phrase: a subject's subtree without a dateline ("WASHINGTON --")."""
    span = clean_span(text, subtree_offsets(subject))
    if span and (m := _DATELINE.match(text, span[0], span[1])) and m.end() < span[1]:
        span = (m.end(), span[1])
    return span


def source_of(verb: Token) -> Token | None:
    """The verb's subject; not a dateline ("OTTAWA —") parsed as a second one."""
    left = [c for c in verb.lefts if c.dep_ in {"nsubj", "csubj"}]
    if left:
        return next((c for c in left if not _is_dateline(c)), left[0])
    for child in verb.rights:
        if child.dep_ in {"nsubj"}:
            return child
    return None


def _is_dateline(token: Token) -> bool:
    """A place name in capitals opening a line and followed by a dash: "OTTAWA —", "LAGOS (Reuters) --"."""
    text = doc_index(token.doc).text
    line_start = text.rfind("\n", 0, token.idx) + 1
    m = _DATELINE.match(text, line_start)
    return m is not None and line_start <= token.idx < m.end() and token.text.isupper()
