"""The query string of the pages, read and checked: parameter types with their schemas, filter
values (an empty one is no filter, a bad one a 400 with a sentence), sorting, and the statement
filters (`Filters`) that /quotes, /search, a speaker's page and their downloads share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Path, Query
from starlette.exceptions import HTTPException

from ..models import GENDERS, SPEAKER_TYPES, STANCES
from ..store.queries import ARTICLE_SORTS, CLAIM_SORTS, QUOTE_SORTS, SPEAKER_SORTS
from . import schemas

Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot take a NUL in a string: refused with 422, not a 500
Text = Annotated[str | None, Query(max_length=500, pattern=NO_NUL)]
# Filters arrive as free text and are checked in the view, so that an empty value ("any
# type" in a form) means no filter and a bad one gets a sentence for people, not a 422.
# The schema says exactly which values are valid (an empty one included: no filter), so
# clients and schemathesis see it; the HTML pages turn a validator's complaint into a sentence
# (app.on_validation_error), and the views read an empty value as None.
DAY_PATTERN = r"^(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"
Day = Annotated[str | None, Query(pattern=DAY_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD; empty: no filter.")]
TypeFilter = Annotated[schemas.SpeakerTypeOrEmpty | None, Query(description="Empty: any.")]  # type: ignore[valid-type]
StanceFilter = Annotated[schemas.StanceOrEmpty | None, Query(description="Empty: any stance.")]  # type: ignore[valid-type]
GenderFilter = Annotated[schemas.GenderOrEmpty | None, Query(  # type: ignore[valid-type]
    description="Statements of named people of this gender (female, male, unknown). Empty: anyone.")]


def _sort_query(keys: dict[str, str]) -> Any:
    return Query(pattern=f"^(-?({'|'.join(keys)}))?$", description=(
        f"Sort by {', '.join(keys)}; a leading '-' sorts descending. Empty: the default order."))


ArticleSort = Annotated[str | None, _sort_query(ARTICLE_SORTS)]
SpeakerSort = Annotated[str | None, _sort_query(SPEAKER_SORTS)]
QuoteSort = Annotated[str | None, _sort_query(QUOTE_SORTS)]
ClaimSort = Annotated[str | None, _sort_query(CLAIM_SORTS)]
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names nothing (404), it must not reach PostgreSQL
Id = Annotated[int, Path(ge=0)]
SpeakerIdParam = Annotated[int | None, Query(ge=0, le=MAX_ID, description="A speaker id (from /speakers).")]
ExportLimit = Annotated[int | None, Query(ge=1, description="At most this many rows; empty: every row.")]
# a quote may be a long passage (a paragraph of a speech); the query string carries it
QUOTE_MAX = 5000
QuoteText = Annotated[str | None, Query(max_length=QUOTE_MAX, pattern=NO_NUL)]


def blank(value: str | None) -> str | None:
    """An empty or all-space filter is no filter."""
    return value.strip() or None if value is not None else None


def choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    """``value`` if it is one of ``allowed`` (empty: None); else a 400 that says what would do."""
    value = blank(value)
    if value is not None and value not in allowed:
        raise HTTPException(400, f"“{value}” is not a {what} onrecord knows. Choose one of: {', '.join(allowed)} "
                                 f"(or leave it empty for any {what}).")
    return value


# an ISO day, month or year: a filter's date, and the dates a timeline can place
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def day(value: str | None, what: str) -> str | None:
    """An ISO day, month or year (empty: None); else a 400 with an example."""
    value = blank(value)
    if value is not None and not ISO_DATE.match(value):
        raise HTTPException(400, f"The {what} date “{value}” is not a date onrecord can read. Write it as "
                                 f"2022-11-09, 2022-11 or 2022 (or leave it empty).")
    return value


@dataclass(frozen=True, slots=True)
class Filters:
    """The statement filters of /quotes and /search, checked: empty values are None."""

    speaker: str | int | None = None
    speaker_type: str | None = None
    stance: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    gender: str | None = None  # of a named person: checked by the store (`admits` leaves it out)
    text: str | None = None  # words that must occur (the speaker page): checked by the store

    def admits(self, q: Any) -> bool:
        """Whether a stored statement (`store.records.Quote`) passes the filters (lists filtered in
        Python) — all but ``gender`` and ``text``, which need the store."""
        a = q.attribution
        day_ = (a.statement_date or q.published or "")[:10]
        return ((self.speaker is None or q.speaker_id == self.speaker or (
                    isinstance(self.speaker, str) and self.speaker.lower() in (q.speaker_name or "").lower()))
                and self.speaker_type in (None, a.speaker.type) and self.stance in (None, a.stance)
                and self.outlet in (None, q.outlet) and (self.since is None or day_ >= self.since)
                and (self.until is None or day_ <= self.until + "~"))

    def store_args(self) -> dict[str, Any]:
        args = {"speaker": self.speaker, "speaker_type": self.speaker_type, "stance": self.stance,
                "outlet": self.outlet, "since": self.since, "until": self.until, "gender": self.gender}
        if self.text is not None:  # `Store.search` takes its words as the query, not as a filter
            args["text"] = self.text
        return args

    def query(self, **extra: Any) -> str:
        """The filters as a query string (``outlet=X&since=…``), for links that keep them."""
        params = {"speaker_type": self.speaker_type, "stance": self.stance, "outlet": self.outlet,
                  "since": self.since, "until": self.until, "gender": self.gender, "q": self.text, **extra}
        return urlencode({k: v for k, v in params.items() if v is not None})


def statement_filters(speaker: str | None = None, speaker_id: int | None = None, speaker_type: str | None = None,
                      stance: str | None = None, outlet: str | None = None, since: str | None = None,
                      until: str | None = None, gender: str | None = None, text: str | None = None) -> Filters:
    since, until = day(since, "from"), day(until, "to")
    if until is not None:  # "to 2022-11" means to the end of November (dates compare as text)
        until += {4: "-12-31", 7: "-31"}.get(len(until), "")

    return Filters(speaker=speaker_id if speaker_id is not None else blank(speaker),
                   speaker_type=choice(speaker_type, SPEAKER_TYPES, "speaker type"),
                   stance=choice(stance, STANCES, "stance"), outlet=blank(outlet), since=since, until=until,
                   gender=choice(gender, GENDERS, "gender"), text=blank(text))


def sorting(value: str | None, allowed: dict[str, str]) -> tuple[str, bool] | None:
    """``(column, descending)`` from ``?sort=name`` / ``?sort=-name``; None for the default order."""
    value = blank(value)
    if value is None:
        return None
    descending, name = value.startswith("-"), value.lstrip("-")
    if name not in allowed:
        raise HTTPException(400, f"The list cannot be sorted by “{name}”. Sort by one of: {', '.join(allowed)} "
                                 f"(a leading - sorts from the largest or latest).")
    return name, descending
