"""The date a statement was made: a date expression that modifies its cue, as ISO 8601.

"On Tuesday, the minister said ..." is dated; "said the ban lasts until 30 April" dates the
ban, not the statement. Relative dates ("on Wednesday", "last year") count back from the
article's publication; a statement is never dated after the article that reports it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from spacy.tokens import Span as SpacySpan, Token

from ..attribute.candidates import Found
from ..lexicon import SPEECH_VERBS
from .context import ArticleContext, root_of, tokens_at

_DATE_WORDS = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\byesterday\b|\btoday\b|\blast\s+week\b"
    r"|\b\d+\s+days?\s+ago\b|\b\d{4}-\d{2}-\d{2}\b",
    re.I,
)
# "Speaking at a rally on Monday, X said": a participle of speaking carries the statement's date
SPEAKING = SPEECH_VERBS | frozenset("speak talk address appear testify answer".split())


class StatementDates:
    """Dates the statements of one article (`statement_date`), from its shared context."""

    def __init__(self, context: ArticleContext) -> None:
        self.doc = context.doc
        self.index = context.index
        self.text = context.text
        self.base = parse_published(context.published)

    def statement_date(self, found: Found) -> str | None:
        """The date of the statement: a date expression that modifies the cue.

        "On Tuesday, the minister said ..." and "said in a statement on Tuesday" date the
        statement; "said the ban lasts until 30 April" dates the ban, not the statement.
        """
        cue = tokens_at(self.doc, found.cue)
        if cue is None:
            return None
        targets = {t.i for t in cue}
        # "Speaking at a rally last Thursday, the senator promised": the speaking is the statement
        targets.update(c.i for t in cue for c in t.children if c.dep_ == "advcl" and c.tag_ == "VBG"
                       and c.lemma_.lower() in SPEAKING and not any(g.dep_ == "nsubj" for g in c.children))
        for token in cue:  # "On 31 October, X complained ... and said ...": the date dates both verbs
            while token.dep_ == "conj" and token.head.i != token.i:
                token = token.head
                targets.add(token.i)
        source = tokens_at(self.doc, found.source) if found.source else None
        if source is not None:
            targets.add(root_of(source).i)
        sent = self.index.sent_of(cue[0].i)
        base = self.base.date() if self.base else None
        for ent in self.index.ents_in(sent.start_char, sent.end_char):
            if ent.label_ != "DATE":
                continue
            # a day where the text names one, else the year or month it names ("In 1998, …")
            day = bool(_DATE_WORDS.search(ent.text))
            if not day and coarse_date(ent.text, base) is None:
                continue
            inside = any(s <= ent.start_char < e for s, e in found.content)
            if found.source and found.source[0] <= ent.start_char < found.source[1] and ent.root.dep_ in _OF_A_NOUN:
                continue  # "Gilley, author of the 2017 article, argued": the date describes the source
            governs = self._next_to(ent, found) or self._governs(ent.root, targets)
            if governs is False or governs is None and inside:
                continue
            if day:
                iso = _parse_date(ent.text, self.base)
            else:  # "in the summer of 2004 … in mid-August": a month takes the year the sentence names before it
                years = [y for e in self.index.ents_in(sent.start_char, ent.start_char) if e.label_ == "DATE"
                         for y in _YEAR.findall(e.text)]
                iso = coarse_date(ent.text, base, int(years[-1]) if years else None)
            if iso:
                return iso
        return None

    def _next_to(self, ent: SpacySpan, found: Found) -> bool | None:
        """ "said on Thursday it aims ...", "Smith on Thursday said": a date right by the cue dates it,
        whatever the parser attached it to."""
        if ent.root.dep_ in _OF_A_NOUN:
            return None  # "said Thursday's vote was rigged": the date of the vote
        between_after = self.text[found.cue[1]:ent.start_char]
        between_before = self.text[ent.end_char:found.cue[0]]
        if ent.start_char >= found.cue[1] and re.fullmatch(
                r"\s*,?\s*(?:on|in|last|this|earlier|late|early)?\s*", between_after, re.I):
            return True
        if ent.end_char <= found.cue[0] and re.fullmatch(r"\s*", between_before):
            return True
        return None

    @staticmethod
    def _governs(token: Token, targets: set[int]) -> bool | None:
        """True when the date hangs on the cue (or its source), False when another verb governs
        it first, None when the parse does not say."""
        for ancestor in token.ancestors:
            if ancestor.i in targets:
                return True
            if ancestor.pos_ in {"VERB", "AUX"}:
                return False
        return None


def parse_published(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published[:19])
    except ValueError:
        import dateparser

        parsed: datetime | None = dateparser.parse(published)
        return parsed


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"(?:on\s+)?(last\s+|this\s+|this\s+past\s+|past\s+)?(%s)"
                      r"(?:\s+(?:morning|afternoon|evening|night))?" % "|".join(_WEEKDAYS), re.I)


def weekday_date(text: str, base: date) -> date | None:
    """The day a weekday names in an article of ``base``: the most recent such day on or before it.

    "on Wednesday" in an article published on a Wednesday is that same day (a statement
    can't be made after the article); "last Wednesday" is the one before.
    """
    match = _WEEKDAY.fullmatch(text.strip())
    if match is None:
        return None
    back = (base.weekday() - _WEEKDAYS.index(match[2].lower())) % 7
    if back == 0 and match[1] and "last" in match[1].lower():
        back = 7
    return base - timedelta(days=back)


# dependencies of a date that qualifies a noun ("Thursday's vote", "the 2010 nominee"), not an act
_OF_A_NOUN = frozenset({"poss", "compound", "amod", "nmod", "nummod"})
_YEAR = re.compile(r"(?<![\w-])(1[89]\d\d|20\d\d)(?![\w-])")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "May" only capitalised: "may" is mostly the verb
_MONTH = re.compile(r"\b(?:(?i:january|february|march|april|june|july|august|september|october|november|december"
                    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.)|May)(?![\w.])")
_RELATIVE_PERIOD = re.compile(r"(?:earlier\s+|early\s+)?(?:in\s+|during\s+)?(?:the\s+)?(last|this|previous)\s+(year|month)",
                              re.I)


def coarse_date(text: str, base: date | None, year_before: int | None = None) -> str | None:
    """The year or month a date expression names, as reduced-precision ISO 8601: "In 1998" →
    "1998", "in August 2004" → "2004-08", "last year" → the year before ``base``.

    A date that names no single year or month ("the 1990s", "from 2015 to 2017", "decades"),
    or one after ``base`` (a statement can't be made after the article), gives None; a
    month without a year is in ``year_before`` (a year the sentence named before it), else the
    latest such month up to ``base``.
    """
    text = text.strip()
    relative = _RELATIVE_PERIOD.fullmatch(text)
    if relative:
        if base is None:
            return None
        back = relative[1].lower() in {"last", "previous"}
        if relative[2].lower() == "year":
            return str(base.year - back)
        previous = base.month - back
        return f"{base.year - (previous < 1)}-{(previous - 1) % 12 + 1:02d}"
    years = set(_YEAR.findall(text))
    months = {_MONTHS.index(m[:3].lower()) + 1 for m in _MONTH.findall(text)}
    if len(years) > 1 or len(months) > 1 or not (years or months):
        return None
    month = months.pop() if months else None
    if years:
        year = int(years.pop())
    elif year_before is not None:
        year = year_before
    elif base is None:
        return None
    else:
        assert month is not None
        year = base.year if month <= base.month else base.year - 1
    if base is not None and (year, month or 1) > (base.year, base.month):
        return None
    return f"{year}-{month:02d}" if month else str(year)


@lru_cache(maxsize=4096)
def _parse_date(text: str, base: datetime | None) -> str | None:
    import dateparser

    if base is not None and (day := weekday_date(text, base.date())) is not None:
        return day.isoformat()
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    elif not re.search(r"\b\d{4}\b", text):
        return None  # a relative date needs the publication date
    cleaned = re.sub(r"^(?:on|last|this|early|late)\s+(?=\w)", lambda m: m[0] if "last" in m[0].lower() else "",
                     text.strip(), flags=re.I)
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd strings
        return None
    if parsed is None:
        return None
    if base is not None and parsed.date() > base.date():
        return None  # a statement can't be made after the article that reports it
    return str(parsed.date().isoformat())
