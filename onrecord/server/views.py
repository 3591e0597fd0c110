"""Views: each answers HTML at its path and JSON at the same path plus ``.json``.

A view asks the store (or ``onrecord.extract``) for records, converts them to their
schema at the boundary, and hands them to `respond`. What is computed here is only
presentation: highlight segments of an article text, the buckets of a chart.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import typing
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from ..errors import InputError, OnRecordError
from ..models import GENDERS, ROW_COLUMNS, SPEAKER_TYPES, STANCES, Article, Attribution
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
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names nothing (404), it must not reach PostgreSQL
Id = Annotated[int, Path(ge=0)]


def respond(request: Request, template: str, model: BaseModel, **context: Any) -> Response:
    """The one exit of every view: JSON for ``.json`` paths, CSV of the items for ``.csv``, the template otherwise."""
    if request.url.path.endswith(".json"):
        return JSONResponse(model.model_dump(mode="json"))
    if request.url.path.endswith(".csv"):
        return csv_response(request, model)
    query = f"?{request.url.query}" if request.url.query else ""
    context.setdefault("json_url", f"{request.url.path}.json{query}")
    context.setdefault("csv_url", f"{request.url.path}.csv{query}" if hasattr(model, "items") else None)
    context.setdefault("jsonl_url", None)  # a download of every row as JSON lines, where a list has one
    response: Response = request.app.state.templates.TemplateResponse(request, template, {"data": model, **context})
    return response


def csv_response(request: Request, model: BaseModel) -> Response:
    """The page's items as CSV (nested values as JSON), the filters and page of the HTML page."""
    import io

    from ..spreadsheet import CsvWriter

    rows = [quote_row(item) if isinstance(item, schemas.QuoteOut) else item.model_dump(mode="json")
            for item in getattr(model, "items", [])]
    out = io.StringIO()
    fieldnames = list(rows[0]) if rows else item_columns(model)
    if fieldnames:  # a header even when the page is empty
        writer = CsvWriter(out, fieldnames)  # formula cells neutralised, nested values as JSON
        writer.writeheader()
        writer.writerows(rows)
    name = request.url.path.strip("/").replace("/", "-") or "onrecord"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def download_name(request: Request) -> str:
    return request.url.path.strip("/").replace("/", "-") or "onrecord"


def csv_lines(fieldnames: list[str], rows: typing.Iterable[dict[str, Any]]) -> typing.Iterator[str]:
    """A header (even when there are no rows), then the rows, through the one CSV writer
    (`spreadsheet.CsvWriter`), a chunk at a time: a download of every row streams."""
    import io

    from ..spreadsheet import CsvWriter

    out = io.StringIO()
    writer = CsvWriter(out, fieldnames)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        if out.tell() > 64_000:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def quote_row(q: Any) -> dict[str, Any]:
    """A statement (a `schemas.QuoteOut`) as the one flat row of an attribution (`Attribution.to_row`, the
    columns of ``onrecord export --format csv``). The schema's fields come from the `Quote` record, so they
    are not declared for mypy."""
    attribution = Attribution.from_dict(q.attribution.model_dump(mode="json"))
    return attribution.to_row(article_id=q.article_id, index=q.index, title=q.title, outlet=q.outlet,
                              published=q.published, speaker=q.speaker_name, speaker_id=q.speaker_id,
                              claim_id=q.claim_id)


def item_columns(model: BaseModel) -> list[str]:
    """The CSV header of a page whose items are none: the row's columns, or the item schema's fields."""
    field = type(model).model_fields.get("items")
    annotation: Any = field.annotation if field is not None else None
    item = next(iter(typing.get_args(annotation)), None)
    if item is schemas.QuoteOut:
        return list(ROW_COLUMNS)
    return list(getattr(item, "model_fields", {}))


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None: ``javascript:`` and friends are shown as text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in {"http", "https"} else None


def backend(request: Request) -> Any:
    return request.app.state.backend


def next_url(request: Request, n_items: int, limit: int, offset: int) -> str | None:
    if n_items < limit:
        return None
    params = dict(request.query_params)
    params["offset"] = str(offset + limit)
    return f"{request.url.path}?{urlencode(params)}"


def prev_url(request: Request, limit: int, offset: int) -> str | None:
    if offset <= 0:
        return None
    params = dict(request.query_params)
    params["offset"] = str(max(0, offset - limit))
    return f"{request.url.path}?{urlencode(params)}"


def pages(request: Request, n_items: int, limit: int, offset: int) -> dict[str, Any]:
    return {"limit": limit, "offset": offset, "next": next_url(request, n_items, limit, offset)}


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"no such {what}")


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


_DAY = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def day(value: str | None, what: str) -> str | None:
    """An ISO day, month or year (empty: None); else a 400 with an example."""
    value = blank(value)
    if value is not None and not _DAY.match(value):
        raise HTTPException(400, f"The {what} date “{value}” is not a date onrecord can read. Write it as "
                                 f"2022-11-09, 2022-11 or 2022 (or leave it empty).")
    return value


# --- presentation helpers ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of article text with the roles that cover it (``classes``) and its attribution."""

    text: str
    classes: str = ""
    attr: int | None = None
    title: str | None = None


def speaker_label(article: Article, index: int) -> str:
    a = article.attributions[index]
    return a.speaker.name or a.speaker.description or (a.source.text if a.source else "") or "(no source)"


def highlight(article: Article) -> list[Segment]:
    """Cut the text at every span boundary; each piece carries the roles that cover it.

    Where attributions nest, a piece belongs to the innermost (shortest) one.
    """
    text, n = article.text, len(article.text)
    marks: list[tuple[int, int, str, int | None]] = []
    for i, a in enumerate(article.attributions):
        if a.source:
            marks.append((a.source.start, a.source.end, "source", i))
        marks.append((a.cue.start, a.cue.end, "cue", i))
        marks.extend((c.start, c.end, "content", i) for c in a.content)
    marks.extend((s.start, s.end, "boilerplate", None) for s in article.boilerplate)
    marks.extend((s.start, s.end, "note", None) for s in article.editorial_notes)
    marks = [(max(0, s), min(n, e), role, i) for s, e, role, i in marks if 0 <= s < e and s < n]
    cuts = sorted({0, n} | {s for s, _, _, _ in marks} | {e for _, e, _, _ in marks})
    segments: list[Segment] = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        attributed = [m for m in covering if m[3] is not None]
        inner = min(attributed, key=lambda m: m[1] - m[0]) if attributed else None
        roles = sorted({m[2] for m in covering if m[3] is None or inner is None or m[3] == inner[3]}
                       | ({inner[2]} if inner else set()))
        classes = " ".join(f"hl-{r}" for r in roles)
        if inner is not None:
            a = article.attributions[inner[3]]  # type: ignore[index]
            classes += f" stance-{a.stance}"
            title = (f"#{inner[3]} {inner[2]}: {speaker_label(article, inner[3])} ({a.speaker.type}) · "  # type: ignore[arg-type]
                     f"{a.stance} · {a.statement_date or 'undated'}")
        else:
            title = None
        piece = Segment(text[start:end], classes, inner[3] if inner else None, title)
        if segments and (segments[-1].classes, segments[-1].attr) == (piece.classes, piece.attr):
            last = segments.pop()
            piece = Segment(last.text + piece.text, piece.classes, piece.attr, piece.title)
        segments.append(piece)
    return segments


TimeUnit = Literal["day", "month", "year"]


def timeline(counts: list[tuple[str, str, int]]) -> tuple[list[schemas.TimelinePoint], TimeUnit]:
    """Statements per stance on a real time axis: every day from the first date to the last, empty
    days included (every month when they span more than 92 days or a date names only its month,
    every year beyond 10 years or when a date names only its year), and the unit.

    ``counts``: ``(date, stance, n)`` as the store groups them; dates that are not ISO are left out.
    """
    import datetime as dt

    dated = [(_calendar_day(d), st, n) for d, st, n in counts if _DAY.match(d) and d[:4] != "0000"]
    if not dated:
        return [], "day"
    precise = bulk_precision(dated)
    dated = [x for x in dated if len(x[0]) >= precise]  # a date vaguer than the bulk cannot be placed: left out
    first, last = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    unit: TimeUnit
    if precise == 10 and (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days <= 92:
        unit, width = "day", 10
    elif precise >= 7 and (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) < 120:
        unit, width = "month", 7
    else:
        unit, width = "year", 4
    buckets: dict[str, Counter[str]] = {}
    for d, st, n in dated:
        buckets.setdefault(d[:width], Counter())[st] += n
    return [schemas.TimelinePoint(date=key, stances=dict(buckets.get(key, {})))
            for key in _every(min(buckets), max(buckets), unit)], unit


BULK = 0.9  # the share of statements whose dates decide the unit of a timeline


def bulk_precision(dated: list[tuple[str, str, int]]) -> int:
    """The length of date (10: day, 7: month, 4: year) that at least 90% of the statements have: one
    statement dated only by its year does not turn 200 dated to the day into one yearly bar."""
    total = sum(n for _, _, n in dated)
    for width in (10, 7):
        if sum(n for d, _, n in dated if len(d) >= width) >= BULK * total:
            return width
    return 4


def vaguer_than(counts: list[tuple[str, str, int]], unit: str) -> int:
    """How many statements are dated less precisely than a timeline's ``unit`` (not on the chart)."""
    width = {"day": 10, "month": 7, "year": 4}[unit]
    return sum(n for d, _, n in counts if _DAY.match(d) and d[:4] != "0000" and len(d) < width)


def _calendar_day(value: str) -> str:
    """An ISO day the calendar has ("2022-02-31" is the month's last day); months and years as they are."""
    import calendar

    if len(value) < 10:
        return value
    year, month = int(value[:4]), int(value[5:7])
    return f"{value[:8]}{min(int(value[8:10]), calendar.monthrange(year, month)[1]):02d}"


def _every(first: str, last: str, unit: str) -> list[str]:
    """Every day (YYYY-MM-DD), month (YYYY-MM) or year (YYYY) from ``first`` to ``last``."""
    import datetime as dt

    if unit == "year":
        return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
    if unit == "month":
        start, end = int(first[:4]) * 12 + int(first[5:7]) - 1, int(last[:4]) * 12 + int(last[5:7]) - 1
        return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, end + 1)]
    start_day, end_day = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [(start_day + dt.timedelta(days=n)).isoformat() for n in range((end_day - start_day).days + 1)]


def quote_list(quotes: list[Any]) -> list[schemas.QuoteOut]:
    return [schemas.QuoteOut.model_validate(q.to_dict()) for q in quotes]


# --- pages ---------------------------------------------------------------------------------------

async def home(request: Request) -> Response:
    """Search box, recent articles and the most quoted speakers."""
    def load(store: Any) -> tuple[list[Any], list[Any]]:
        return store.list_articles(limit=15), store.list_speakers(limit=15)
    recent, speakers = await backend(request).in_store_thread(load)
    data = schemas.ArticleList(items=[schemas.ArticleSummaryOut.model_validate(a) for a in recent],
                               limit=15, offset=0, next=None)
    return respond(request, "home.html", data, json_url=None,
                   speakers=[schemas.SpeakerEntryOut.model_validate(s) for s in speakers])


async def articles(request: Request, q: Text = None, outlet: Text = None, sort: ArticleSort = None,
                   limit: Limit = 50, offset: Offset = 0) -> Response:
    from ..store.queries import count_articles, sorted_articles

    q, outlet = blank(q), blank(outlet)
    order = sorting(sort, ARTICLE_SORTS)

    def load(store: Any) -> tuple[list[Any], int]:
        found = (sorted_articles(store, *order, q=q, outlet=outlet, limit=limit, offset=offset) if order
                 else store.list_articles(q=q, outlet=outlet, limit=limit, offset=offset))
        return found, count_articles(store, q=q, outlet=outlet)
    found, total = await backend(request).in_store_thread(load)
    data = schemas.ArticleList(q=q, items=[schemas.ArticleSummaryOut.model_validate(a) for a in found],
                               total=total, **pages(request, len(found), limit, offset))
    return respond(request, "articles.html", data, prev=prev_url(request, limit, offset), sort=sort or "")


async def article(request: Request, article_id: str) -> Response:
    if "\x00" in article_id:  # no stored id has one, and PostgreSQL cannot compare it
        raise not_found("article")

    def load(store: Any) -> tuple[Article | None, dict[int, int]]:
        from ..store.queries import article_speaker_ids

        found = store.get_article(article_id)
        as_json = request.url.path.endswith(".json")
        return found, ({} if found is None or as_json else article_speaker_ids(store, article_id))
    found, speaker_ids = await backend(request).in_store_thread(load)
    if found is None:
        raise not_found("article")
    data = schemas.ArticleOut.model_validate(found.to_dict(with_text=True))
    if request.url.path.endswith(".json"):
        return respond(request, "article.html", data)
    # speakers link to their page by id (linked by `onrecord link`); unlinked ones are plain text
    cards = [{"index": i, "speaker": speaker_label(found, i), "speaker_id": speaker_ids.get(i), "a": a,
              "content": a.content_text} for i, a in enumerate(found.attributions)]
    return respond(request, "article.html", data, segments=highlight(found), cards=cards)


async def speakers(request: Request, q: Text = None, type: TypeFilter = None, gender: GenderFilter = None,
                   sort: SpeakerSort = None, limit: Limit = 50, offset: Offset = 0) -> Response:
    """Speakers by name or alias, type and (named people's) gender, with the counts of each."""
    from ..store.queries import speakers_page

    q, type = blank(q), choice(type, SPEAKER_TYPES, "speaker type")
    gender = choice(gender, GENDERS, "gender")
    order = sorting(sort, SPEAKER_SORTS)

    def load(store: Any) -> tuple[list[Any], int, dict[str, list[tuple[str, int]]]]:
        ids, total, facets = speakers_page(store, q, type, gender, order, limit=limit, offset=offset)
        entries = [store.get_speaker(i) for i in ids]
        return [e for e in entries if e is not None], total, facets
    found, total, facets = await backend(request).in_store_thread(load)
    data = schemas.SpeakerList(q=q, gender=gender, items=[schemas.SpeakerEntryOut.model_validate(s) for s in found],
                               total=total, facets=facets, **pages(request, len(found), limit, offset))
    return respond(request, "speakers.html", data, prev=prev_url(request, limit, offset), sort=sort or "",
                   genders=GENDERS, speaker_types=SPEAKER_TYPES)


async def speaker(request: Request, speaker_id: Id, q: Text = None, stance: StanceFilter = None, since: Day = None,
                  until: Day = None, limit: Limit = 100, offset: Offset = 0) -> Response:
    """A speaker: aliases, roles, gender, a timeline on a real time axis, and their statements
    grouped by claim, narrowed by words, stance and dates."""
    from ..store.queries import count_quotes, gender_evidence, timeline_counts
    from ..link.sides import claim_sides

    if speaker_id > MAX_ID:
        raise not_found("speaker")
    f = statement_filters(speaker_id=speaker_id, stance=stance, since=since, until=until, text=q)

    def load(store: Any) -> tuple[Any, list[Any], int, list[tuple[str, str, int]], list[Any], dict[str, int]]:
        entry = store.get_speaker(speaker_id)
        if entry is None:
            return None, [], 0, [], [], {}
        args = f.store_args()
        found = store.quotes(**args, limit=limit, offset=offset)
        claims = store.get_claims({q.claim_id for q in found if q.claim_id is not None})
        return (entry, found, count_quotes(store, **args), timeline_counts(store, **args), claims,
                gender_evidence(store, speaker_id))
    entry, found, total, counts, claims, evidence = await backend(request).in_store_thread(load)
    if entry is None:
        raise not_found("speaker")
    labels = {c.id: claim_sides(c.members).label or c.label for c in claims}
    points, unit = timeline(counts)
    statements = quote_list(found)
    data = schemas.SpeakerDetail(speaker=schemas.SpeakerEntryOut.model_validate(entry), statements=statements,
                                 total=total, claims=[schemas.ClaimRef(id=i, label=label) for i, label in
                                                      labels.items()], timeline=points, timeline_unit=unit,
                                 gender_evidence=evidence)
    groups: dict[int | None, list[schemas.QuoteOut]] = {}
    for record, item in zip(found, statements):  # in order of their newest statement; statements in no claim last
        groups.setdefault(record.claim_id if record.claim_id in labels else None, []).append(item)
    grouped = [{"claim_id": i, "label": labels[i], "statements": g} for i, g in groups.items() if i is not None]
    if None in groups:
        grouped.append({"claim_id": None, "label": None, "statements": groups[None]})
    return respond(request, "speaker.html", data, filters=f, stances=STANCES, groups=grouped, offset=offset,
                   left_out=vaguer_than(counts, unit),
                   chart={"unit": unit, "points": [p.model_dump() for p in points]},
                   feed_url=f"/speakers/{speaker_id}.atom",
                   next=next_url(request, len(found), limit, offset) if offset + len(found) < total else None,
                   prev=prev_url(request, limit, offset))


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


SpeakerIdParam = Annotated[int | None, Query(ge=0, le=MAX_ID, description="A speaker id (from /speakers).")]


async def quotes(request: Request, q: Text = None, speaker: Text = None, speaker_id: SpeakerIdParam = None,
                 speaker_type: TypeFilter = None, stance: StanceFilter = None, outlet: Text = None,
                 since: Day = None, until: Day = None, gender: GenderFilter = None, article: Text = None,
                 sort: QuoteSort = None, limit: Limit = 50, offset: Offset = 0) -> Response:
    """Statements narrowed by the words said (``q``) and by speaker, type, stance, outlet, gender and dates."""
    from ..store.queries import sorted_quote_ids

    f = statement_filters(speaker, speaker_id, speaker_type, stance, outlet, since, until, gender, text=q)
    article = blank(article)
    order = sorting(sort, QUOTE_SORTS)

    def load(store: Any) -> tuple[list[Any], int, dict[str, list[tuple[str, int]]], list[Any]]:
        from ..store.queries import article_quotes, count_quotes, people_of_gender, quote_facets, quote_speakers

        if article is not None:  # the statements of one article (the sourcing drill-down), filtered here
            kept = [q for q in article_quotes(store, article) if f.admits(q)]
            if f.gender:
                people = people_of_gender(store, {q.speaker_id for q in kept if q.speaker_id is not None}, f.gender)
                kept = [q for q in kept if q.speaker_id in people]
            return kept[offset:offset + limit], len(kept), {}, []
        if order:
            ids = sorted_quote_ids(store, *order, limit=limit, offset=offset, **f.store_args())
            by_id = store.quotes_by_ids(ids)
            found = [by_id[i] for i in ids if i in by_id]
        else:
            found = store.quotes(**f.store_args(), limit=limit, offset=offset)
        return (found, count_quotes(store, **f.store_args()), quote_facets(store, **f.store_args()),
                quote_speakers(store, **f.store_args()))
    found, total, facets, top = await backend(request).in_store_thread(load)
    data = schemas.QuoteList(q=f.text, items=quote_list(found), total=total, facets=facets,
                             speakers=speaker_counts(top), **pages(request, len(found), limit, offset))
    exports = {} if article is not None else {"csv_url": export_url(request, ".csv"),
                                               "jsonl_url": export_url(request, ".jsonl")}
    return respond(request, "quotes.html", data, prev=prev_url(request, limit, offset), filters=f,
                   outlets=facets.get("outlet", []), speaker_types=SPEAKER_TYPES, stances=STANCES, genders=GENDERS,
                   sort=sort or "", **exports)


def speaker_counts(rows: list[tuple[int, str, int]]) -> list[schemas.SpeakerCount]:
    return [schemas.SpeakerCount(id=i, name=name, n=n) for i, name, n in rows]


def export_url(request: Request, suffix: str) -> str:
    """The download of every row with the page's filters and sort (no limit, no offset, no grouping)."""
    params = {k: v for k, v in request.query_params.items() if k not in {"limit", "offset", "group"} and v != ""}
    return f"{request.url.path}{suffix}" + (f"?{urlencode(params)}" if params else "")


ExportLimit = Annotated[int | None, Query(ge=1, description="At most this many rows; empty: every row.")]


async def quotes_export(request: Request, q: Text = None, speaker: Text = None, speaker_id: SpeakerIdParam = None,
                        speaker_type: TypeFilter = None, stance: StanceFilter = None, outlet: Text = None,
                        since: Day = None, until: Day = None, gender: GenderFilter = None, article: Text = None,
                        sort: QuoteSort = None, limit: ExportLimit = None, offset: Offset = 0) -> Response:
    """Every statement that passes the filters as CSV, in the list's order, streamed (no row cap)."""
    f = statement_filters(speaker, speaker_id, speaker_type, stance, outlet, since, until, gender, text=q)
    if blank(article) is not None:  # one article's statements: a page of the list holds them all
        return await quotes(request, q, speaker, speaker_id, speaker_type, stance, outlet, since, until, gender,
                            article, sort, min(limit or 500, 500), offset)
    return await stream_quotes(request, f, sorting(sort, QUOTE_SORTS), limit, offset)


async def search_export(request: Request, q: Text = None, speaker_type: TypeFilter = None,
                        stance: StanceFilter = None, outlet: Text = None, since: Day = None, until: Day = None,
                        gender: GenderFilter = None, limit: ExportLimit = None, offset: Offset = 0) -> Response:
    """Every statement a search finds, with its filters, as CSV (streamed); no words: a header alone."""
    f = statement_filters(None, None, speaker_type, stance, outlet, since, until, gender, text=q)
    if f.text is None:
        if request.url.path.endswith(".jsonl"):
            return Response("", media_type="application/x-ndjson")
        return Response("".join(csv_lines(list(ROW_COLUMNS), [])), media_type="text/csv; charset=utf-8")
    return await stream_quotes(request, f, None, limit, offset, searched=True)  # in the order of the search page


async def stream_quotes(request: Request, f: Filters, order: tuple[str, bool] | None, limit: int | None,
                        offset: int, searched: bool = False) -> Response:
    """The statements as CSV rows of `ROW_COLUMNS`, read from the store a batch at a time in its threads."""
    import itertools

    from fastapi.responses import StreamingResponse

    from ..store.queries import iter_quotes

    as_json = request.url.path.endswith(".jsonl")

    def rows(store: Any) -> typing.Iterator[str]:
        found = itertools.islice(iter_quotes(store, order, stored_order=searched, **f.store_args()), offset,
                                 None if limit is None else offset + limit)
        flat = (quote_row(schemas.QuoteOut.model_validate(q.to_dict())) for q in found)
        return json_lines(flat) if as_json else csv_lines(list(ROW_COLUMNS), flat)

    chunks = await backend(request).in_store_thread(rows)
    done = object()
    first = await backend(request).in_store_thread(lambda _: next(chunks, done))  # errors before any row: a page

    async def body() -> typing.AsyncIterator[str]:
        chunk = first
        while chunk is not done:
            yield typing.cast(str, chunk)
            chunk = await backend(request).in_store_thread(lambda _: next(chunks, done))
    return StreamingResponse(body(), media_type="application/x-ndjson" if as_json else "text/csv; charset=utf-8",
                             headers={"content-disposition": f'attachment; filename="{download_name(request)}"'})


def json_lines(rows: typing.Iterable[dict[str, Any]]) -> typing.Iterator[str]:
    """Each row as one line of JSON (the CSV's columns, numbers as numbers), a chunk at a time."""
    import json

    chunk: list[str] = []
    for row in rows:
        chunk.append(json.dumps(row, ensure_ascii=False) + "\n")
        if len(chunk) >= 500:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


GROUP_STATEMENTS = 3  # statements shown under each speaker of a grouped search (their page has the rest)


async def search(request: Request, q: Text = None, speaker_type: TypeFilter = None, stance: StanceFilter = None,
                 outlet: Text = None, since: Day = None, until: Day = None, gender: GenderFilter = None,
                 group: Literal["", "speaker"] = "", limit: Limit = 50, offset: Offset = 0) -> Response:
    """Statements with all the words, narrowed by facets; ``group=speaker``: who is on record about them,
    each speaker with their statements (then the page and its total count speakers)."""
    from ..store.queries import count_quote_speakers, count_quotes, quote_facets, quote_speakers

    f = statement_filters(None, None, speaker_type, stance, outlet, since, until, gender)
    words = blank(q)
    by_speaker = group == "speaker"

    def load(store: Any) -> dict[str, Any]:
        if words is None:  # Enter in an empty search box: the page asks for words
            return {"found": [], "matching": [], "total": None, "facets": {}, "top": [], "groups": []}
        args = {**f.store_args(), "text": words}
        out: dict[str, Any] = {"matching": store.list_articles(q=words, limit=10) if offset == 0 else [],
                               "facets": quote_facets(store, **args), "top": quote_speakers(store, **args)}
        if by_speaker:
            people = quote_speakers(store, limit=limit, offset=offset, **args)
            out["groups"] = [(person, store.search(words, **{**f.store_args(), "speaker": person[0]},
                                                   limit=GROUP_STATEMENTS)) for person in people]
            out["found"], out["total"] = [], count_quote_speakers(store, **args)
        else:
            out["found"], out["groups"] = store.search(words, **f.store_args(), limit=limit, offset=offset), []
            out["total"] = count_quotes(store, **args)
        return out
    got = await backend(request).in_store_thread(load)
    groups = [schemas.SpeakerGroup(speaker=speaker_counts([person])[0], statements=quote_list(found))
              for person, found in got["groups"]]
    n_items = len(groups) if by_speaker else len(got["found"])
    data = schemas.SearchResult(q=words or "", items=quote_list(got["found"]), total=got["total"],
                                articles=[schemas.ArticleSummaryOut.model_validate(a) for a in got["matching"]],
                                facets=got["facets"], speakers=speaker_counts(got["top"]), group=group,
                                groups=groups, **pages(request, n_items, limit, offset))
    f = Filters(speaker_type=f.speaker_type, stance=f.stance, outlet=f.outlet, since=f.since, until=f.until,
                gender=f.gender, text=words)
    return respond(request, "search.html", data, prev=prev_url(request, limit, offset), filters=f,
                   outlets=got["facets"].get("outlet", []), speaker_types=SPEAKER_TYPES, stances=STANCES,
                   genders=GENDERS, csv_url=export_url(request, ".csv") if words else None,
                   jsonl_url=export_url(request, ".jsonl") if words else None,
                   feed_url=f"/search.atom?{urlencode({'q': words})}" if words else None)


ClaimSort = Annotated[str | None, _sort_query(CLAIM_SORTS)]


async def claims(request: Request, q: Text = None, sort: ClaimSort = None, limit: Limit = 50,
                 offset: Offset = 0) -> Response:
    """Claims, those with a statement containing the words ``q`` (stemmed), sorted by a column."""
    from ..link.sides import claim_sides
    from ..store.queries import count_claims, sorted_claim_ids

    words, order = blank(q), sorting(sort, CLAIM_SORTS)

    def load(store: Any) -> tuple[list[Any], int]:
        ids = sorted_claim_ids(store, order, words, limit=limit, offset=offset)
        by_id = {c.id: c for c in store.get_claims(ids)}
        return [by_id[i] for i in ids if i in by_id], count_claims(store, words)
    found, total = await backend(request).in_store_thread(load)
    items: list[Any] = [schemas.ClaimGroupOut.model_validate(c.to_dict()) for c in found]  # fields from ClaimGroup
    for item in items:  # named by the most representative statement, not a phrase of one
        item.label = claim_sides(item.members).label or item.label
    data = schemas.ClaimList(q=words, items=items, total=total, **pages(request, len(found), limit, offset))
    return respond(request, "claims.html", data, prev=prev_url(request, limit, offset), sort=sort or "")


async def claim(request: Request, claim_id: Id) -> Response:
    if claim_id > MAX_ID:
        raise not_found("claim")
    found = await backend(request).query("get_claim", claim_id)
    if found is None:
        raise not_found("claim")
    from ..link.sides import claim_sides

    group: Any = schemas.ClaimGroupOut.model_validate(found.to_dict())  # fields from ClaimGroup
    sides = claim_sides(group.members)
    data = schemas.ClaimDetail(claim=group, label=sides.label, representative=sides.representative,
                               asserting=list(sides.asserting), believing=list(sides.believing),
                               denying=list(sides.denying))
    return respond(request, "claim.html", data, feed_url=f"/claims/{claim_id}.atom")


async def contradictions(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
    from ..store.queries import count_contradictions

    def load(store: Any) -> tuple[list[Any], dict[str, int], int]:
        return store.contradictions(limit=limit, offset=offset), store.count(), count_contradictions(store)
    found, counts, total = await backend(request).in_store_thread(load)
    data = schemas.ContradictionList(items=[schemas.ContradictionOut.model_validate(c.to_dict()) for c in found],
                                     total=total,
                                     n_claims=counts.get("claims", 0), n_statements=counts.get("attributions", 0),
                                     **pages(request, len(found), limit, offset))
    return respond(request, "contradictions.html", data, prev=prev_url(request, limit, offset))


SOURCE_DEFINITIONS = {
    "person": "a named person (“Andrey Rudenko”, “the minister Lavrov”)",
    "organization": "a named organisation speaking as one (“the Kremlin”, “the State Department”)",
    "media": "another outlet or “the media” as the source (“U.S. media wrote”)",
    "group": "an unnamed plural of people (“critics”, “the experts”, “residents”)",
    "anonymous": "a source deliberately not named (“a government source”, “officials who asked not to be named”)",
    "unknown": "no source found in the text, or one whose type could not be told",
}
SMALL_SAMPLE = 30  # below this many statements one statement moves a share by more than 3 points


def sourcing_row(raw: dict[str, Any]) -> schemas.SourcingRowOut:
    """A row of `queries.sourcing_table` (the CLI's figures) with each type's count and share."""
    counts = {t: int(raw["counts"].get(t, 0)) for t in schemas.SOURCE_TYPES}
    total = int(raw["total"]) or 1
    return schemas.SourcingRowOut.model_validate({
        **raw, "counts": counts, "shares": {t: round(n / total, 4) for t, n in counts.items()},
        "small_sample": raw["total"] < SMALL_SAMPLE})


GENDER_DEFINITION = (
    "Named people: statements linked to a person onrecord could name (a proper name, linked across articles: "
    "“Jane Roe” and “Roe” are one person); a person left unnamed (“he”, “a resident”) is not counted. Each "
    "person counts once per article they are quoted in, as the Gender Gap Tracker counts sources. Their gender "
    "is what the articles themselves give: a form of address or a gendered noun (“Mrs”, “spokeswoman”), the "
    "pronouns that refer to them, or a first name that a name list (gender-guesser) gives one gender in every "
    "reading. Unknown: no such evidence, or articles that disagree. Nothing else is guessed.")


def gender_row(outlet: str | None, sources: dict[str, int], statements: dict[str, int]) -> schemas.GenderRowOut:
    women, men, unknown = (int(sources.get(g, 0)) for g in GENDERS)
    total = women + men + unknown

    def share(n: int) -> float:
        return round(n / total, 4) if total else 0.0
    return schemas.GenderRowOut(
        outlet=outlet, sources=total, women=women, men=men, unknown=unknown, share_women=share(women),
        share_men=share(men), share_unknown=share(unknown),
        share_women_of_known=round(women / (women + men), 4) if women + men else None,
        statements=sum(statements.values()), women_statements=statements.get("female", 0),
        men_statements=statements.get("male", 0), unknown_statements=statements.get("unknown", 0),
        small_sample=total < SMALL_SAMPLE)


def gender_list(raw: list[dict[str, Any]], f: Filters, trend: list[tuple[Any, str, str, int]] | None = None,
                most_quoted: dict[Any, dict[str, list[tuple[int, str, int]]]] | None = None) -> schemas.GenderList:
    sources: Counter[str] = Counter()
    statements: Counter[str] = Counter()
    for r in raw:
        sources.update(r["sources"])
        statements.update(r["statements"])
    months: dict[tuple[Any, str], Counter[str]] = {}
    for outlet, month, gender, n in trend or []:
        months.setdefault((outlet, month), Counter())[gender] += n
    points = [schemas.GenderTrendPoint(outlet=o, month=m, sources=sum(c.values()), women=c["female"], men=c["male"],
                                       share_women=round(c["female"] / sum(c.values()), 4))
              for (o, m), c in sorted(months.items(), key=lambda x: (str(x[0][0] or ""), x[0][1]))]
    order = [r["outlet"] for r in raw]
    people = [schemas.MostQuoted(outlet=o, women=speaker_counts(most_quoted[o]["female"]),
                                 men=speaker_counts(most_quoted[o]["male"]))
              for o in order if most_quoted and o in most_quoted]
    return schemas.GenderList(items=[gender_row(r["outlet"], r["sources"], r["statements"]) for r in raw],
                              all=gender_row(None, sources, statements), since=f.since, until=f.until,
                              definition=GENDER_DEFINITION, small_sample_below=SMALL_SAMPLE, trend=points,
                              most_quoted=people)


TREND_OUTLETS = 6  # lines on the chart of women's share over time: the outlets with the most named people


def trend_chart(g: schemas.GenderList, width: int = 640, height: int = 220) -> dict[str, Any] | None:
    """The share of women per outlet and month as SVG coordinates (a line per outlet, months on a real
    axis, 0 to 100% up the side): drawn by the template as inline SVG, no script."""
    outlets = [r.outlet for r in g.items[:TREND_OUTLETS]]
    points = [p for p in g.trend if p.outlet in outlets]
    months = sorted({p.month for p in points})
    if not months:
        return None
    axis = _every(months[0], months[-1], "month")
    left, right, top, bottom = 40, 30, 10, 30  # room for the labels of the axes
    step = (width - left - right) / max(1, len(axis) - 1)

    def x(month: str) -> float:
        return round(left + axis.index(month) * step if len(axis) > 1 else (width + left - right) / 2, 1)

    def y(share: float) -> float:
        return round(top + (1 - share) * (height - top - bottom), 1)
    series = []
    for n, outlet in enumerate(outlets):
        mine = [p for p in points if p.outlet == outlet]
        if mine:
            series.append({"outlet": outlet or "(unknown outlet)", "cls": f"series-{n}",
                           "line": " ".join(f"{x(p.month)},{y(p.share_women)}" for p in mine),
                           "dots": [{"x": x(p.month), "y": y(p.share_women), "title":
                                     f"{outlet or '(unknown outlet)'}, {p.month}: {100 * p.share_women:.0f}% women "
                                     f"({p.women} of {p.sources} named people)"} for p in mine]})
    ticks = [{"x": x(m), "label": m} for m in axis[::max(1, len(axis) // 6)]]
    return {"width": width, "height": height, "left": left, "bottom": height - bottom, "right": width - right,
            "series": series, "ticks": ticks,
            "levels": [{"y": y(v / 100), "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]}


async def sourcing(request: Request, by: Literal["outlet", "article"] = "outlet", since: Day = None,
                   until: Day = None) -> Response:
    from ..store.queries import gender_by_outlet, sourcing_table

    f = statement_filters(since=since, until=until)

    def load(store: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
        return (sourcing_table(store, by, None, f.since, f.until),
                gender_by_outlet(store, f.since, f.until) if by == "outlet" else None)
    raw, genders = await backend(request).in_store_thread(load)
    rows = [sourcing_row(r) for r in raw]
    data = schemas.SourcingOut(by=by, rows=rows, total=sum(int(r["total"]) for r in raw),
                               definitions=SOURCE_DEFINITIONS, small_sample_below=SMALL_SAMPLE, since=f.since,
                               until=f.until, gender=gender_list(genders, f) if genders is not None else None)
    chart = [{"key": row["label"] or row["key"] or "(unknown)", "counts": row["counts"], "total": row["total"]}
             for row in (r.model_dump() for r in rows)]
    dates = f.query()
    return respond(request, "sourcing.html", data, chart=chart, types=schemas.SOURCE_TYPES, filters=f,
                   dates=f"&{dates}" if dates else "", gender_query=f"?{dates}" if dates else "")


async def sourcing_gender(request: Request, since: Day = None, until: Day = None) -> Response:
    """Women among named people, per outlet: the Gender Gap Tracker's figure, with counts."""
    from ..store.queries import gender_by_outlet

    from ..store.queries import gender_over_time, most_quoted_people

    f = statement_filters(since=since, until=until)

    def load(store: Any) -> schemas.GenderList:
        return gender_list(gender_by_outlet(store, f.since, f.until), f, gender_over_time(store, f.since, f.until),
                           most_quoted_people(store, f.since, f.until))
    data = await backend(request).in_store_thread(load)
    dates = f.query()
    return respond(request, "sourcing_gender.html", data, filters=f, dates=f"&{dates}" if dates else "",
                   trend=trend_chart(data))


async def sourcing_csv(request: Request, by: Literal["outlet", "article"] = "outlet", since: Day = None,
                       until: Day = None) -> Response:
    """The sourcing table as CSV: a row per outlet (or article) with each kind of source's count and share."""
    from ..store.queries import sourcing_table

    f = statement_filters(since=since, until=until)
    raw = await backend(request).in_store_thread(lambda store: sourcing_table(store, by, None, f.since, f.until))
    columns = ["key", "label", "outlet", "total", "named", "anonymous", "media", "other", "share_named",
               "share_anonymous", "share_media", *schemas.SOURCE_TYPES, *(f"share_{t}" for t in schemas.SOURCE_TYPES),
               "small_sample"]
    rows = []
    for r in raw:
        row = sourcing_row(r).model_dump()
        flat = {**row, **row["counts"], **{f"share_{t}": share for t, share in row["shares"].items()}}
        rows.append({c: flat.get(c) for c in columns})
    return Response("".join(csv_lines(columns, rows)), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="sourcing-by-{by}.csv"'})


# a quote may be a long passage (a paragraph of a speech); the query string carries it
QUOTE_MAX = 5000
QuoteText = Annotated[str | None, Query(max_length=QUOTE_MAX, pattern=NO_NUL)]


async def verify(request: Request, q: QuoteText = None, speaker: Text = None, meaning: bool = False) -> Response:
    """Did they really say it? The stored statements closest to a quote, each with a verdict;
    with ``meaning``, also the statements that say the same in other words (embeddings)."""
    from ..verify import finding, verify as check

    words, who = blank(q), blank(speaker)  # a longer quote is refused by its parameter's schema (QuoteText)
    found = await backend(request).in_store_thread(
        lambda store: check(store, words, who, embeddings=meaning) if words else [])
    data = schemas.VerifyOut(q=words or "", speaker=who, meaning=meaning, finding=finding(found) if words else None,
                             verdicts=[schemas.VerdictOut.model_validate(v.to_dict()) for v in found])
    return respond(request, "verify.html", data)


# --- API: extraction and writing -------------------------------------------------------------------

def _article_id(item: schemas.ArticleIn) -> str:
    return item.id or hashlib.sha1(item.text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _extract(item: schemas.ArticleIn, settings: Any) -> Article:
    from ..pipeline import extract

    return extract(item.text, id=_article_id(item), published=item.published, url=item.url, outlet=item.outlet,
                   settings=settings)


async def extract_article(request: Request, body: schemas.ArticleIn) -> Response:
    """Text or HTML in, the JSON contract out; nothing is stored."""
    found = await backend(request).extract(_extract, body, backend(request).settings)
    return JSONResponse(schemas.ArticleOut.model_validate(found.to_dict(with_text=True)).model_dump(mode="json"))


def require_token(request: Request) -> None:
    """Writing needs ``Authorization: Bearer $ONRECORD_TOKEN``; without a token the server is read-only."""
    token = backend(request).token
    if not token:
        raise HTTPException(403, "this server is read-only: start it with ONRECORD_TOKEN set to allow writing")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "a valid bearer token is required to write", {"WWW-Authenticate": "Bearer"})


ITEM_CODES = {"added": 201, "updated": 200, "skipped": 200, "failed": 422}


async def add_articles(request: Request, body: schemas.ArticlesIn) -> Response:
    """Check, analyse and store the articles (`onrecord.store.ingest.ingest`); each is reported."""
    from ..store.checks import check_article
    from ..store.ingest import ingest

    settings = backend(request).settings
    inputs: list[Article | OnRecordError] = []
    for n, item in enumerate(body.articles):
        raw = Article(id=_article_id(item), text=item.text, published=item.published, url=item.url,
                      outlet=item.outlet)
        problem = check_article(raw)  # before spaCy sees it: a lone surrogate would crash the parser
        if problem:
            inputs.append(InputError(problem, input=f"articles[{n}]"))
            continue
        try:
            inputs.append(await backend(request).extract(_extract, item, settings))
        except OnRecordError as err:
            inputs.append(InputError(str(err), input=f"articles[{n}]"))
    # stored now, linked after in the background (`server.linking`): a write no longer waits for linking
    report = await backend(request).in_writer_thread(lambda store: ingest(store, inputs, extracted=True, link=False))
    backend(request).linker.request()
    counts = report.counts()
    data = schemas.IngestOut(added=counts["added"], updated=counts["updated"], skipped=counts["skipped"],
                             failed=counts["failed"],
                             ids=[i.id for i in report.items if i.status != "failed" and i.id is not None],
                             items=[schemas.IngestItemOut.model_validate({**i.to_dict(), "code": ITEM_CODES[i.status]})
                                    for i in report.items])
    return write_response(data, linking=bool(counts["added"] or counts["updated"]))


def write_response(data: schemas.IngestOut, *, linking: bool) -> JSONResponse:
    """207 when an article failed; else 202 while the stored articles wait for linking (the status URL in
    ``Location`` and ``linking``), 200 when nothing changed."""
    from .linking import STATUS_PATH

    body = data.model_dump(mode="json")
    if linking:
        body["linking"] = STATUS_PATH
    status = 207 if data.failed else 202 if linking else 200
    return JSONResponse(body, status_code=status, headers={"Location": STATUS_PATH} if linking else None)
