"""Find the layout of a plain-text article: title, date line, boilerplate, editorial notes,
and the page furniture that is never an attribution (headings, list items, captions and
credits, bylines, related links, share lines, menus, datelines, section labels).

Nothing is cut: every finding is a `Span` of the text as given (offsets never move).
Furniture is found by the shape of a line (short, no final punctuation, a bullet, a
"LABEL:" prefix, "Read more", "(Photo: …)"), never by its position alone; HTML input adds
what the page's own structure says (`html.article_from_html`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .lexicon import COLON_LEADS
from .models import LayoutSpan, Span

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


# Layout kinds whose statements are still read: a list item that is a whole sentence.
READ_KINDS = frozenset({"bullet"})


@dataclass(frozen=True, slots=True)
class Layout:
    title: str | None
    title_spans: tuple[Span, ...]
    published: str | None
    date_span: Span | None
    boilerplate: tuple[Span, ...]
    editorial_notes: tuple[Span, ...]
    outlet: str | None
    furniture: tuple[LayoutSpan, ...] = ()

    def skip_spans(self) -> list[tuple[int, int]]:
        """What attributors skip: boilerplate, the date line and page furniture.

        Titles carry attributions too (PolNeAR annotates them), so the title is not skipped.
        Training and prediction both call this, so the model learns on what it will see.
        """
        skip = [(s.start, s.end) for s in self.boilerplate]
        if self.date_span:
            skip.append((self.date_span.start, self.date_span.end))
        skip.extend((s.start, s.end) for s in self.furniture if s.kind not in READ_KINDS)
        return sorted(skip)


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


# "Published: March 4, 2025", "Updated 4 March 2025", "Posted on …": a label before the date
_DATE_LABEL = re.compile(r"^\s*(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)|date)\b(?:\s+on)?"
                         r"\s*[:\-–—]?\s*", re.I)
# "By Anna Lee, March 4, 2025", "By Anna Lee | AP | March 4, 2025": a byline before it
_BYLINE_PARTS = re.compile(r"\s+[|·•]\s+|\s+[—–]\s+|\s+-\s+")
_BYLINE_COMMA = re.compile(r"^\s*by\s+[A-Z][\w.'’ -]{1,40}?,\s*", re.I)


def parse_date_line(line: str) -> str | None:
    """An ISO timestamp when the line is a date (and time), also after a label ("Published:")
    or a byline ("By Anna Lee | March 4, 2025"), else None."""
    if len(line) > 200:
        return None
    pieces = [line]
    if line[:3].lower() == "by ":
        pieces += _BYLINE_PARTS.split(line)[1:]
        if (m := _BYLINE_COMMA.match(line)) is not None:
            pieces.append(line[m.end():])
    for piece in pieces:
        label = _DATE_LABEL.match(piece)
        if (iso := _only_date(piece[label.end():] if label else piece)) is not None:
            return iso
    return None


def _only_date(line: str) -> str | None:
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


# The sections and controls of a news site's menu (page furniture, not a judgement on statements).
_MENU_WORDS = frozenset("""
menu home news world uk us europe asia africa americas business money markets economy tech technology science
health sport sports football politics opinion opinions culture arts entertainment lifestyle life style travel
video videos audio podcasts photos weather local national international more search subscribe login log sign
account newsletter newsletters live latest trending shop about contact
""".split())


def _is_navigation(line: str) -> bool:
    """A site's menu printed above the headline ("Menu Home World Business Subscribe", "News | Sport").

    Entries are capitalised single words, most of them a site's usual sections or controls; a headline
    ("Joe Biden Wins Iowa Caucus") has few of them.
    """
    items = [w for w in re.split(r"[\s|•·/]+", line) if w]
    if len(items) < 3 or not all(w[:1].isupper() for w in items):
        return False
    return sum(w.lower() in _MENU_WORDS for w in items) >= max(3, 0.6 * len(items))


_OUTLET_IN_CTA = re.compile(r"\bsupport\s+([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s+or\b", re.I)


def analyse_layout(text: str, structure: Iterable[LayoutSpan] = ()) -> Layout:
    """Title, date line, boilerplate, editorial notes and furniture of a plain-text article.

    Args:
        text: the article text.
        structure: layout spans known from elsewhere (the HTML page's headings, list items
            and captions); lines they cover are not judged again by their shape.
    """
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
        if title is None and _is_navigation(line):
            continue
        if published is None and (iso := parse_date_line(line)):
            published, date_span = iso, (s, e)
            continue
        if (m := _DATELINE.match(line)) and m.end() >= len(line.rstrip()):
            continue  # "WASHINGTON —" on a line of its own opens the story; it is not its title
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
    # a list item of the page that is a whole statement is read like a paragraph
    given = sorted((replace(s, kind="bullet") if s.kind == "list_item" and is_statement_item(
        _BULLET.sub("", s.text, count=1)) else s for s in structure), key=lambda s: (s.start, s.end))
    skipped = set(boilerplate) | ({date_span} if date_span else set())
    found = find_furniture(text, [ln for ln in lines if ln not in skipped and ln not in title_spans],
                           head=[ln for ln in body[:8] if ln not in title_spans], covered=given)
    furniture = sorted([*given, *found], key=lambda s: (s.start, s.end))
    return Layout(
        title=title,
        title_spans=tuple(Span.of(text, s, e) for s, e in title_spans),
        published=published,
        date_span=Span.of(text, *date_span) if date_span else None,
        boilerplate=tuple(Span.of(text, s, e) for s, e in sorted(boilerplate)),
        editorial_notes=tuple(Span.of(text, m.start(), m.end()) for m in _EDITORIAL_NOTE.finditer(text)),
        outlet=outlet,
        furniture=tuple(furniture),
    )


# --- page furniture by the shape of a line -------------------------------------------------

_SENTENCE_END = re.compile(r"""[.!?…]["”’')\]]*$|[.!?…]\s*["”’]\s*$""")
_BULLET = re.compile(r"^[•●▪■►◦·*\-–]\s+(?=\S)")
# "OTTAWA —", "NEW YORK, Jan. 5 (Reuters) -", "ST. LOUIS (AP) —": a place in capitals, an
# optional date or state and agency, then a dash, at the start of a lead paragraph.
_DATELINE = re.compile(r"""^(?:[A-Z][A-Z'’.\-]{1,}(?:\ [A-Z][A-Z'’.\-]+){0,3}
    (?:,\ [A-Z][\w.]*(?:\ [\w.]+){0,3})?
    (?:\ ?\([A-Z][\w .&/-]{1,30}\))?
    \s*(?:—|–|--|-)(?:\s+|$))""", re.X)
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
# "BONDS:", "HOPE AND LOSS:": a section label in capitals before the text it heads.
_CAPS_LABEL = re.compile(r"^(?P<label>[A-Z][A-Z0-9&'’.\-]*(?:\ [A-Z0-9&][A-Z0-9&'’.\-]*){0,3})[ \t]*:[ \t]+(?=\S)")
# "Coronavirus:", "Our Standards:": a short title-case label before a headline-like fragment.
_TITLE_LABEL = re.compile(r"^(?P<label>[A-Z][\w'’.&\-]*(?:\ (?:[A-Z0-9][\w'’.&\-]*|and|of|the|&)){0,3})[ \t]*:[ \t]+(?=\S)")
_FIRST_OR_SECOND_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|me|my|we|We|us|our|Our|you|You|your|Your)\b")
# Labels that head furniture whatever follows them.
_FURNITURE_LABEL = re.compile(
    r"^(?:read\s+more|more|related(?:\s+\w+)?|see\s+also|also\s+read|read\s+also|more\s+on\s+this(?:\s+story)?|"
    r"recommended|watch|listen|our\s+standards|editor['’]?s\s+note|update[ds]?|breaking(?:\s+news)?|live|opinion|"
    r"analysis|exclusive|explainer|fact\s?box|photos?|pictures?|video|gallery|correction|tags?|topics?|trending|"
    r"sponsored|advertisement|subscribe|sign\s+up|newsletter|follow\s+us|share)\s*:",
    re.I,
)
_RELATED = re.compile(
    r"^(?:read\s+more|related(?:\s+(?:articles?|stories|news|coverage|content|links?|topics?))?|see\s+also|also\s+read|"
    r"read\s+also|more\s+on\s+this(?:\s+story)?|recommended(?:\s+for\s+you)?|most\s+(?:read|popular|viewed)|"
    r"more\s+from\b|more\s+stories|you\s+may\s+also\s+like|click\s+here)\b",
    re.I,
)
_SHARE = re.compile(
    r"^(?:share(?:\s+(?:this|on|via|the)\b.*)?|tweet|email|e-mail|pin\s+it|copy\s+link|whatsapp|facebook|twitter|"
    r"linkedin|reddit|print(?:\s+this\s+(?:page|article))?|follow\s+(?:us|@\w+|\w+\s+on)\b.*)\s*[.!]?\s*$",
    re.I,
)
_MENU = re.compile(
    r"^(?:show\s+all(?:\s+\d+)?|watch\s+(?:video|now|live)\b.*|play\s+video|listen(?:\s+to\s+this\s+article)?|"
    r"load\s+more|next|previous|back\s+to\s+top|skip\s+to\s+\w+(?:\s+\w+)?|close|open|toggle\b.*|"
    r"(?:image|photo)\s+\d+\s+of\s+\d+|\d+\s+of\s+\d+|view\s+(?:gallery|comments)|comments?\s*\(\d+\))\s*$",
    re.I,
)
_CREDIT = re.compile(
    r"^(?:\(?\s*(?:photo|image|picture|photograph|illustration|video|graphic|credit|source\s+image)s?"
    r"(?:\s+(?:credit|courtesy|by))?\s*[:/|]|\(?\s*credit\s*:|©|\(c\)\s|copyright\b|(?:getty|ap|afp|reuters|epa|pa)"
    r"(?:\s+images?|\s+photo)?\s*/)",
    re.I,
)
# A caption ending in its credit: "The minister arrives in Brussels. (AP Photo/Jane Roe)".
_CAPTION_CREDIT = re.compile(
    r"(?:\((?:[^()\n]*\b(?:photo|image|picture|credit|courtesy)\b[^()\n]*|[^()\n]*/(?:getty|ap|afp|reuters|epa)"
    r"[^()\n]*)\)|\b(?:photo|image|picture)(?:graph)?(?:\s+credit)?\s*:\s*[^.\n]{2,60}|"
    r"\b(?:getty\s+images|ap\s+photo|afp\s+via\s+getty\s+images|reuters/[^\s]+))\s*\.?\s*$",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:[-–—|]\s*)?(?i:by|written\s+by|article\s+by|words\s+by|reporting\s+by|posted\s+by|story\s+by)\s*:?\s*"
    r"[A-Z][\w'’.\-]+(?:\s+(?:[A-Z][\w'’.\-]+|and|&|de|van|von|,))*(?:\s*[,|/]\s*[\w .&]{1,40})?\s*$",
)


def _words(line: str) -> list[str]:
    return re.findall(r"[\w'’&\-]+", line)


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line.rstrip()))


def _headline_like(fragment: str) -> bool:
    """No final sentence punctuation, or most words capitalised (a title, not prose)."""
    words = [w for w in _words(fragment) if w[0].isalpha()]
    if not words:
        return False
    if not _is_sentence(fragment):
        return True
    capitalised = sum(w[0].isupper() for w in words if len(w) > 3)
    return len(words) <= 14 and capitalised >= 0.7 * max(1, sum(len(w) > 3 for w in words))


def is_statement_item(item: str) -> bool:
    """A list item that is a statement ("The UN says two million have fled"), read like a paragraph,
    not a menu entry, a link title or a label ("Keywords Berlin, Africa", "HOPE AND LOSS: Your stories")."""
    words = [w for w in _words(item) if w[0].isalpha()]
    if len(words) < 5 or _CAPS_LABEL.match(item) or _FURNITURE_LABEL.match(item):
        return False
    if _is_sentence(item):
        return True
    long_words = [w for w in words if len(w) > 3]
    return sum(w[0].isupper() for w in long_words) < 0.5 * max(1, len(long_words))


def _is_heading(line: str) -> bool:
    """A short line without final punctuation: a subheading, a related headline, a menu entry."""
    words = _words(line)
    if not 1 <= len(words) <= 12 or len(line) > 100 or not any(c.isalpha() for c in line):
        return False
    if line[0] in "\"“‘'(«[" or line.rstrip()[-1] in ".!?…:;,\"”’')]»":
        return False
    return True


# "— Jane Doe (@janedoe) November 4, 2019": the signature of an embedded tweet, which attributes
# the line before it (`attribute.layout_cues.tweet_signatures`)
TWEET_SIGNATURE = re.compile(r"(?m)^[ \t]*[―—–-][ \t]*(?P<source>[^\n()]{1,80}?)[ \t]*(?P<handle>\(@\w{1,30}\))"
                             r"[ \t]*(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})?[ \t]*$")


def _line_kind(line: str, previous: str) -> str | None:
    """The furniture kind of a whole line (``previous``: the line before it), or None."""
    if TWEET_SIGNATURE.match(line):
        return None
    if re.match(r"(?:%s)\s*:" % "|".join(re.escape(p) for p in _NOT_LABELS), line, re.I):
        return None  # "Source: senior officials" attributes the paragraph before it
    if _RELATED.match(line) and len(line) < 200 and (not _is_sentence(line) or _FURNITURE_LABEL.match(line)):
        return "related"
    if len(line) < 80 and _SHARE.match(line):
        return "share"
    if len(line) < 60 and _MENU.match(line):
        return "menu"
    if len(line) < 160 and _CREDIT.match(line):
        return "credit"
    if len(line) < 300 and _CAPTION_CREDIT.search(line) and not re.search(r"[\"“”]", line):
        return "caption"
    if len(line) < 100 and _BYLINE.match(line):
        return "byline"
    if _BULLET.match(line):
        rest = line[_BULLET.match(line).end():]  # type: ignore[union-attr]
        if previous.rstrip()[-1:] in "\"”’" and len(_words(rest)) <= 6:
            return None  # "- Bernie Sanders." under a quotation: its signature, not a list
        return "bullet" if is_statement_item(rest) else "list_item"
    if _is_heading(line):
        return "heading"
    return None


# Colon leads that introduce a source ("Source: senior officials", "Quote from ..."), not a section.
_NOT_LABELS = ("source", "sources", *COLON_LEADS)
_FUNCTION_WORDS = frozenset("a an and of the in on for to at by with our your my its their & q".split())


def _is_name_here(text: str, label: str) -> bool:
    """Whether a word of the label is written capitalised inside sentences elsewhere: a name ("Trump"),
    not a topic ("Coronavirus", written "coronavirus" in the story)."""
    for word in _words(label):
        if word.lower() in _FUNCTION_WORDS or len(word) < 2:
            continue
        form = word[0].upper() + word[1:].lower() if word.isupper() else word
        if re.search(r"(?<=[a-z,;] )" + re.escape(form) + r"\b", text):
            return True
    return False


@lru_cache(maxsize=1)
def _first_names() -> Any:
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def _looks_like_person(label: str) -> bool:
    """ "KATE BOULDUAN": a known first name followed by another name word."""
    words = _words(label)
    return 2 <= len(words) <= 3 and words[1].lower() not in _FUNCTION_WORDS \
        and _first_names().get_gender(words[0].lower()) != "unknown"


def _is_transcript(text: str) -> bool:
    """Lines headed by names in capitals, some of them more than once: a transcript, not sections."""
    heads = re.findall(r"(?m)^[ \t]*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,2})[ \t]*:", text)
    return len(heads) > len(set(heads))


def _label_end(text: str, line: str) -> int | None:
    """Where a section label ("BONDS:", "Coronavirus:") ends in a line, colon included; else None.

    A label heads a headline-like or news fragment; a speaker's name before a colon is not a
    label: it is written capitalised inside sentences of the story, or (transcripts) starts
    several lines, or what follows speaks in the first or second person.
    """
    m = _FURNITURE_LABEL.match(line)
    if m:
        return m.end()
    m = _CAPS_LABEL.match(line) or _TITLE_LABEL.match(line)
    if m is None:
        return None
    label, rest = m["label"], line[m.end():]
    if label.lower().startswith(_NOT_LABELS) or _looks_like_person(label):
        return None
    if rest[:1] in "\"“‘'" or _FIRST_OR_SECOND_PERSON.search(rest) or _is_name_here(text, label):
        return None
    if _CAPS_WORD.search(label) and _is_transcript(text):
        return None  # "PENCE:", "KAINE:" starting lines: speakers in a transcript
    if not (_CAPS_WORD.search(label) or (rest[:1].isupper() and _headline_like(rest) and len(_words(line)) <= 25)):
        return None
    return m.end("label") + line[m.end("label"):m.end()].index(":") + 1


def find_furniture(text: str, lines: Iterable[tuple[int, int]], *, head: Iterable[tuple[int, int]] = (),
                   covered: Iterable[LayoutSpan] = ()) -> list[LayoutSpan]:
    """Furniture among ``lines`` by their shape; datelines only in the ``head`` (lead) lines.

    Lines that a span of ``covered`` already overlaps are left alone.
    """
    taken = [(s.start, s.end) for s in covered]
    lead = set(head)
    found = []
    previous = ""
    for s, e in lines:
        line, before = text[s:e], previous
        previous = line
        if any(a < e and s < b for a, b in taken):
            continue
        if (s, e) in lead and (m := _DATELINE.match(line)) and _CAPS_WORD.search(m[0]):
            found.append(LayoutSpan.of(text, s, s + len(m[0].rstrip()), "dateline"))
            continue
        kind = _line_kind(line, before)
        if kind is not None:
            found.append(LayoutSpan.of(text, s, e, kind))
            continue
        if (end := _label_end(text, line)) is not None:
            found.append(LayoutSpan.of(text, s, s + end, "label"))
    return found
