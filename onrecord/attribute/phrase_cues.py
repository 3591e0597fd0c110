"""Rules for cues that are no verb of their own: ``According to X, ...``, ``X's claim that ...``,
and a trailing hedge with no source (``..., it is understood.``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..lexicon import SPEECH_NOUNS, SPEECH_VERBS
from ..nlp import doc_index
from .candidates import Found, Offsets
from .roles import clean_span, content_of, cue_offsets, subtree_offsets

# "…, it is understood.", "…, it was reported.": the hedge after the statement, with no source
_TRAILING_HEDGE = re.compile(r",\s+(it\s+(?:is|was|has\s+been|had\s+been)\s+(?:understood|believed|thought|reported|"
                             r"claimed|alleged|rumou?red|said|feared|suspected))\s*[.!]?\s*$", re.I)


def trailing_hedges(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``Northfield have sacked their manager, it is understood.``: the sentence before the hedge
    is its content (the parser rarely makes a clause of it)."""
    text = doc_index(doc).text
    found = []
    for sent in doc.sents:
        match = _TRAILING_HEDGE.search(sent.text)
        if match is None or any(s < sent.start_char + match.start() < e for s, e in quotes):
            continue
        cue = (sent.start_char + match.start(1), sent.start_char + match.end(1))
        start = sent.start
        while start > 0 and not re.search(r"[.!?\"”’\n]\s*$", text[max(0, doc[start].idx - 3):doc[start].idx]):
            start = doc[start - 1].sent.start  # a sentence cut where no sentence ended ("Northfield | have …")
        content = clean_span(text, (max(doc[start].idx, text.rfind("\n", 0, cue[0]) + 1),
                                     sent.start_char + match.start()))
        if content and len(text[content[0]:content[1]].split()) >= 3:
            found.append(Found(cue=cue, content=(content,), source=None))
    return found


def as_x_said(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``As Dr Gupta noted at the time, CONTENT.`` and ``CONTENT, as the report says.``: the clause
    the "as" phrase stands beside is what was said (the parser hangs the phrase on its verb)."""
    text = doc_index(doc).text
    found = []
    for verb in doc:
        if verb.dep_ != "advcl" or verb.lemma_.lower() not in SPEECH_VERBS or verb.head.pos_ not in {"VERB", "AUX"}:
            continue
        if not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) or any(
                c.dep_ in {"ccomp", "dobj", "xcomp"} for c in verb.children):
            continue  # "as he said he would", "as she told reporters": not a frame around a clause
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ == "PRON" or any(s < verb.idx < e for s, e in quotes):
            continue
        phrase = subtree_offsets(verb)
        sent = doc_index(doc).sent_of(verb.i)
        pieces = [clean_span(text, (sent.start_char, phrase[0])), clean_span(text, (phrase[1], sent.end_char))]
        content = tuple(p for p in pieces if p is not None and len(text[p[0]:p[1]].split()) >= 3)
        source = clean_span(text, subtree_offsets(subject))
        if not content or source is None:
            continue
        found.append(Found(cue=cue_offsets(verb), content=content, source=source))
    return found


def according_to(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``According to X, ...`` and ``..., according to X.``"""
    text = doc_index(doc).text
    found = []
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        to = doc[token.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        source = clean_span(text, subtree_offsets(pobj))
        phrase_end = subtree_offsets(token)[1]
        sent = doc_index(doc).sent_of(token.i)
        if token.i == sent.start or all(t.is_punct or t.is_space for t in doc[sent.start:token.i]):
            span = (phrase_end, sent.end_char)  # According to X, CONTENT.
        else:
            span = (sent.start_char, token.idx)  # CONTENT, according to X.
            rest = clean_span(text, (phrase_end, sent.end_char))
            if rest and rest[1] - rest[0] > span[1] - span[0]:
                span = (phrase_end, sent.end_char)  # CONTENT ... according to X, CONTENT
        content = clean_span(text, span)
        if content is None or source is None:
            continue
        found.append(Found(cue=(token.idx, to.idx + len(to)), content=(content,), source=source))
    return found


def noun_cues(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``X's claim that ...``, ``the statement by X that ...``."""
    text = doc_index(doc).text
    found = []
    for noun in doc:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in SPEECH_NOUNS:
            continue
        clause = next((c for c in noun.children if c.dep_ in {"acl", "ccomp", "appos"}
                       and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if clause is None:
            continue
        content = content_of(text, quotes, clause, (noun.idx, noun.idx + len(noun)))
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}), None)
            owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        source = clean_span(text, subtree_offsets(owner)) if owner is not None else None
        if content:
            found.append(Found(cue=(noun.idx, noun.idx + len(noun)), content=(content,), source=source))
    return found
