"""A cue that borrows its subject names no source of its own.

"The mayor said the bridge was safe, adding that repairs would start in May": "adding" is a
second cue of the mayor's, with no subject of its own. onrecord's conventions (the web and news
references' READMEs, rule 1) give such a cue a null source: the source is what the text names
for that cue, and here it names nobody; the speaker is still the mayor, resolved through the
borrowed subject (`Found.inherited_source`). The taggers learned PolNeAR's habit of copying the
subject, so this is settled after them, from the parse:

* an adverbial participle without a subject ("…, saying …", "Noting that …", "…, having
  assumed that …");
* a verb coordinated with a cue before it ("he said … and added that …").

A progressive ("are simply saying") is finite and keeps its source; so does a participle with its
own subject ("with Audi suggesting that …") or modifying a noun ("a study showing that …"), and a
verb coordinated with a predicate that is not a cue ("Swift is ready to … and has indicated that
…", "complained of poor service and say that …"), which takes that predicate's subject as its
source where the taggers handed it on as borrowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from .candidates import Found

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_ADVERBIAL = frozenset({"advcl", "xcomp", "pcomp"})


def _cue_verb(doc: Doc, found: Found) -> Token | None:
    span = doc.char_span(found.cue[0], found.cue[1], alignment_mode="expand")
    verbs = [t for t in span if t.pos_ in {"VERB", "AUX"}] if span is not None else []
    return verbs[-1] if verbs else None


def borrows_subject(verb: Token, cue_starts: set[int]) -> bool:
    """Whether ``verb`` is a second cue with no subject of its own (see the module)."""
    if any(c.dep_ in _SUBJECTS for c in verb.children):
        return False
    auxiliaries = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    # "saying", "having assumed", "having been told": a participle; "are simply saying" is finite
    participle = (verb.tag_ == "VBG" and not auxiliaries) or (
        verb.tag_ == "VBN" and bool(auxiliaries) and all(a.tag_ == "VBG" for a in auxiliaries))
    if participle and verb.dep_ in _ADVERBIAL:
        return True
    return verb.dep_ == "conj" and verb.head.idx in cue_starts


def second_cue_sources(doc: Doc, found: Sequence[Found]) -> list[Found]:
    """``found`` with the sources of cues that borrow their subject moved to ``inherited_source``."""
    cue_starts = {t.idx for f in found
                  for t in (doc.char_span(f.cue[0], f.cue[1], alignment_mode="expand") or [])}
    out = []
    for f in found:
        verb = _cue_verb(doc, f)
        if f.source is None and verb is not None:
            f = _with_conjunct_subject(verb, f, cue_starts)
        source = f.source
        if source is not None and verb is not None and borrows_subject(verb, cue_starts) \
                and not source[0] <= verb.idx < source[1]:
            f = replace(f, source=None, inherited_source=source)  # the subject it borrows: its speaker
        out.append(f)
    return out


def _with_conjunct_subject(verb: Token, found: Found, cue_starts: set[int]) -> Found:
    """A cue coordinated with a predicate that is no cue takes that predicate's subject as its
    source ("Residents have complained of poor service and say that …"): the text names it there
    (the taggers hand it on as a borrowed subject, as after a cue)."""
    if verb.dep_ != "conj" or verb.head.idx in cue_starts \
            or any(c.dep_ in _SUBJECTS for c in verb.children):
        return found
    subject = next((c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None or (subject.pos_ == "PRON" and subject.lower_ in {"it", "this", "that"}):
        return found
    start, end = found.inherited_source or (subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge))
    if any(s <= start < e for s, e in found.content) or end > found.cue[0]:
        return found
    return replace(found, source=(start, end), inherited_source=None)
