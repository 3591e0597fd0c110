"""Find the layout of a plain-text article: title, date line, boilerplate, editorial notes.

Nothing is cut: every finding is a `Span` of the text as given (offsets never move).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Span

# Calls to action and page furniture that web copies of articles carry. A paragraph is
# boilerplate when it is short and matches one of these, never because of its position.
_BOILERPLATE = re.compile(
    r"""^\s*(?:
        support\s+us | donate(?:\s+now)? | subscribe(?:\s+now)? | sign\s+(?:up|in) | log\s*in | share(?:\s+this)?
        | advertisement | read\s+more | related(?:\s+articles|\s+news)? | follow\s+us.* | skip\s+to\s+content
        | menu | home | search | newsletter | cookie.* | print | comments?
    )\s*[.!]?\s*$""",
    re.I | re.X,
)
_CALL_TO_ACTION = re.compile(
    r"\b(?:support\s+\w[\w ’']{0,40}\s+or\s+become|become\s+(?:a|our)\s+(?:patron|member|subscriber)|"
    r"donate\s+(?:to|now)|subscribe\s+to\s+our|sign\s+up\s+for\s+our|follow\s+us\s+on|"
    r"all\s+rights\s+reserved|cookies?\s+polic|privacy\s+policy)\b",
    re.I,
)
_EDITORIAL_NOTE = re.compile(r"\[[^\[\]\n]{1,300}?(?:-|–|—)\s*(?:ed|eds|editor|translator|UP)\.?\]", re.I)
_WEEKDAY_OR_MONTH = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b"
    r"|\b\d{4}-\d{2}-\d{2}\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Layout:
    title: str | None
    title_spans: tuple[Span, ...]
    published: str | None
    date_span: Span | None
    boilerplate: tuple[Span, ...]
    editorial_notes: tuple[Span, ...]
    outlet: str | None

    def skip_spans(self) -> list[tuple[int, int]]:
        """What attributors skip: boilerplate and the date line (titles carry attributions too).

        Training and prediction both call this, so the model learns on what it will see.
        """
        skip = [(s.start, s.end) for s in self.boilerplate]
        if self.date_span:
            skip.append((self.date_span.start, self.date_span.end))
        return skip


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line, trimmed of surrounding whitespace."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def parse_date_line(line: str) -> str | None:
    """An ISO timestamp when the line is nothing but a date (and time), else None."""
    if len(line) > 60 or not _WEEKDAY_OR_MONTH.search(line) or len(re.findall(r"[A-Za-z]{3,}", line)) > 5:
        return None
    import dateparser

    parsed = dateparser.parse(line, languages=["en"], settings={"STRICT_PARSING": False,
                                                                "REQUIRE_PARTS": ["day", "month", "year"]})
    if parsed is None:
        return None
    has_time = bool(re.search(r"\b\d{1,2}[:.]\d{2}\b", line))
    return str(parsed.strftime("%Y-%m-%dT%H:%M" if has_time else "%Y-%m-%d"))


def _is_boilerplate(line: str) -> bool:
    if _BOILERPLATE.match(line):
        return True
    return len(line) < 300 and bool(_CALL_TO_ACTION.search(line)) and not re.search(r"[\"“”]", line)


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 30 and not line.rstrip().endswith((":", ",")) and not line.startswith(("•", "-", "*"))


_OUTLET_IN_CTA = re.compile(r"\bsupport\s+([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s+or\b", re.I)


def analyse_layout(text: str) -> Layout:
    """Title, date line, boilerplate and editorial notes of a plain-text article."""
    lines = paragraphs(text)
    boilerplate = [(s, e) for s, e in lines if _is_boilerplate(text[s:e])]
    body = [(s, e) for s, e in lines if (s, e) not in boilerplate]

    title = None
    title_spans: list[tuple[int, int]] = []
    published = None
    date_span = None
    # The head of the article: the first few lines before the body prose starts.
    for s, e in body[:4]:
        line = text[s:e]
        if published is None and (iso := parse_date_line(line)):
            published, date_span = iso, (s, e)
            continue
        if title is None and _looks_like_title(line) and not line.endswith((".", "!", "?")) or (
                title is None and not title_spans and _looks_like_title(line) and len(line) < 150):
            title, title_spans = line, [(s, e)]
            continue
        if title is not None and line == title:
            title_spans.append((s, e))  # the title printed twice (page header and article head)
    # A duplicated title is page furniture: its second copy is boilerplate.
    boilerplate.extend(title_spans[1:])

    outlet = None
    for s, e in boilerplate:
        if m := _OUTLET_IN_CTA.search(text[s:e]):
            outlet = m[1].strip()
            break
    return Layout(
        title=title,
        title_spans=tuple(Span.of(text, s, e) for s, e in title_spans),
        published=published,
        date_span=Span.of(text, *date_span) if date_span else None,
        boilerplate=tuple(Span.of(text, s, e) for s, e in sorted(boilerplate)),
        editorial_notes=tuple(Span.of(text, m.start(), m.end()) for m in _EDITORIAL_NOTE.finditer(text)),
        outlet=outlet,
    )
