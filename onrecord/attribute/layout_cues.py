"""Rules for attributions that the page's layout makes: colon lead-ins (``Quote from X: "..."``,
``X: "..."``, ``NAME: text``), a quotation signed with a dash (``"..." ― Name``) and a
``Source: X`` line that attributes the paragraph before it. Their `Found` records have the
origin "layout".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span as SpacySpan

from ..cleaning import TWEET_SIGNATURE
from ..lexicon import COLON_LEADS, MEDIA_NOUNS
from ..nlp import FINITE_TAGS, doc_index
from .candidates import Found, Offsets
from .roles import clean_span

_COLON_LINE = re.compile(r"(?m)^[ \t•*\-–\"“]*(?P<lead>[^\n:\"“”]{2,120}?)[ \t]*(?P<colon>:)[ \t]+(?=\S)")
_SOURCE_LINE = re.compile(r"(?m)^[ \t]*(?P<cue>Sources?\s*:)[ \t]*(?P<source>[^\n]+?)[ \t.]*$")
_TWEET_LINK = re.compile(r"(?:\s*(?:pic\.twitter\.com|https?://t\.co)/\S+)+\s*$")
_DASH_SOURCE = re.compile(r"[ \t]*(?P<dash>[―—–]|--)[ \t]*(?P<source>[^\n“\"]{2,80}?)[ \t.]*(?=\n|$)")
# Line heads that end in a colon but are labels, not speakers.
_LABELS = frozenset("""
source sources details update updates note editor's editors photo photos video watch read related advertisement
tags tag image caption credit correction quote breaking live highlights background context why what how when
where who the a an this that these those here there q a question answer dear
""".split())


def _is_speaker_label(span: SpacySpan) -> bool:
    """A short name before a colon: "PENCE:", "Sanders:", "Mayor Adams:", "Poll:"."""
    if span.text.count("(") != span.text.count(")"):
        return False  # "Home Depot (ticker: HD) reported …": a colon inside brackets
    words = [t for t in span if not t.is_punct]
    if not 1 <= len(words) <= 5 or words[0].lower_ in _LABELS or any(t.pos_ in {"VERB", "AUX"} for t in words):
        return False
    if all(t.text.isupper() and len(t.text) > 1 for t in words if t.is_alpha):
        return True  # transcript speakers: "PENCE:", "WALLACE:"
    if words[-1].pos_ == "PROPN" or words[-1].ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
        return True
    return len(words) == 1 and words[0].lemma_.lower() in MEDIA_NOUNS


def colon_leads(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``Quote from X: "..."``, ``X: "..."`` and ``NAME: text`` at the start of a line.

    ``NAME: text`` without quotation marks is a transcript's turn only where the text has two turns
    or more: one such line alone is a dateline ("NEW DELHI: Their dream …"), a title ("Star Wars
    Jedi: Fallen Order is …") or a note ("Thunder: Diallo missed his third game").
    """
    text = doc_index(doc).text
    starts = {q[0]: q for q in quotes}
    found: list[Found] = []
    turns: list[Offsets] = []  # the cues of unquoted NAME: lines
    for m in _COLON_LINE.finditer(text):
        lead_start, lead_end = m.span("lead")
        after = m.end()
        quote = starts.get(after)
        lead = m["lead"].lower()
        prefix = next((p for p in COLON_LEADS if lead.startswith(p)), None)
        span = doc.char_span(lead_start, lead_end, alignment_mode="expand")
        if span is None:
            continue
        if prefix:
            cue = (lead_start, lead_start + len(prefix))
            source = clean_span(text, (cue[1], lead_end))
        elif quote is not None and 1 <= len(m["lead"].split()) <= 8 and not any(t.pos_ == "VERB" for t in span) \
                and any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in span) and span[0].lower_ not in _LABELS:
            cue = m.span("colon")
            source = clean_span(text, (lead_start, lead_end))
        elif quote is None and _is_speaker_label(span):
            cue = m.span("colon")
            source = clean_span(text, (lead_start, lead_end))
            turns.append(cue)
        else:
            continue
        content: Offsets | None = quote
        if quote is None:
            line_end = text.find("\n", after)
            content = clean_span(text, (after, len(text) if line_end == -1 else line_end))
            if content and not _states(doc, content):
                continue  # "Jane Roe, 34: Possession of …": a list under a name states nothing
        if source and content:
            found.append(Found(cue=cue, content=(content,), source=source, kind="direct" if quote else None,
                               origin="layout"))
    if len(turns) < 2:
        found = [f for f in found if f.cue not in turns]
    return found


def _states(doc: Doc, content: Offsets) -> bool:
    """Whether a line after a colon is a statement: it has a finite verb."""
    span = doc.char_span(*content, alignment_mode="expand")
    return span is not None and any(t.tag_ in FINITE_TAGS for t in span)


def _signs(doc: Doc, source: Offsets) -> bool:
    """Whether the words after a dash name someone ("― Jane Doe, a nurse"), not go on with the
    sentence (the practice of “redlining” ― discriminating against borrowers …)."""
    span = doc.char_span(*source, alignment_mode="expand")
    if span is None:
        return False
    name = list(itertools.takewhile(lambda t: t.text != ",", span))
    return not any(t.pos_ in {"VERB", "AUX"} for t in name) and any(
        t.pos_ in {"PROPN", "NOUN", "PRON"} for t in name)


def dash_sources(doc: Doc, quotes: list[Offsets]) -> list[Found]:
    """``"..." ― Name`` at the end of a line: a quotation signed with a dash."""
    text = doc_index(doc).text
    found = []
    for quote in quotes:
        m = _DASH_SOURCE.match(text, quote[1])
        if m is None or len(m["source"].split()) > 8:
            continue
        source = clean_span(text, m.span("source"))
        if source and _signs(doc, source):
            found.append(Found(cue=m.span("dash"), content=(quote,), source=source, kind="direct", origin="layout"))
    return found


def _line_above(text: str, line_start: int) -> Offsets | None:
    """The line before the one that starts at ``line_start``, or None at the top of the text."""
    end = text.rfind("\n", 0, line_start)
    return None if end <= 0 else (text.rfind("\n", 0, end) + 1, end)


def tweet_signatures(doc: Doc, skip: Iterable[Offsets] = ()) -> list[Found]:
    """An embedded tweet: its text on the line before a ``— Name (@handle) Date`` signature.

    The handle is the cue (what ascribes the text, as a dash signs a quotation), the name the
    source; the tweet's trailing picture or short link is not what was said.
    """
    text = doc_index(doc).text
    skip = list(skip)
    found = []
    for m in TWEET_SIGNATURE.finditer(text):
        if (above := _line_above(text, m.start())) is None:
            continue
        start, end = above
        line = _TWEET_LINK.sub("", text[start:end])
        content = clean_span(text, (start, start + len(line)))
        source = clean_span(text, m.span("source"))
        if content and source and not any(s <= content[0] < e for s, e in skip):
            found.append(Found(cue=m.span("handle"), content=(content,), source=source, kind="direct",
                               origin="layout"))
    return found


_BRACKET_LABEL = re.compile(r"(?m)^[ \t]*\[(?P<source>[A-Z][\w.&' -]{1,40})\][ \t]*$")
_NO_ONE = _LABELS | {"video", "videos", "audio", "gallery", "ad"}  # bracketed labels that name no one


def bracket_labels(doc: Doc, skip: Iterable[Offsets] = ()) -> list[Found]:
    """A review roundup's excerpt: the paragraph above a line that is only a name in brackets
    ("[Engadget]"). The label is the cue and the name the source; "[Video]" and other labels
    (`_LABELS`) name no one."""
    text = doc_index(doc).text
    skip = list(skip)
    found = []
    for m in _BRACKET_LABEL.finditer(text):
        if m["source"].lower() in _NO_ONE:
            continue
        above = _line_above(text, m.start())
        content = clean_span(text, above) if above is not None else None
        source = clean_span(text, m.span("source"))
        if content and source and len(text[content[0]:content[1]].split()) >= 5 \
                and not any(s <= content[0] < e for s, e in skip):
            cue = (m.start("source") - 1, m.end("source") + 1)
            found.append(Found(cue=cue, content=(content,), source=source, kind="direct", origin="layout"))
    return found


def source_lines(doc: Doc, quotes: list[Offsets], skip: Iterable[Offsets] = ()) -> list[Found]:
    """A ``Source: X`` line attributes the paragraph before it."""
    text = doc_index(doc).text
    skip = list(skip)
    found = []
    for m in _SOURCE_LINE.finditer(text):
        before = text[:m.start()].rstrip()
        # the previous paragraph: the last non-empty line that is not title/date/boilerplate
        end = len(before)
        while end > 0:
            start = before.rfind("\n", 0, end) + 1
            span = clean_span(text, (start, end))
            if span and not any(s <= span[0] and span[1] <= e for s, e in skip):
                content = (span[0], span[1])
                # keep the sentence-final period out, as the other rules do
                found.append(Found(cue=m.span("cue"), content=(content,), source=clean_span(text, m.span("source")),
                                   origin="layout"))
                break
            end = start - 1
    return found
