"""Downloads of every row of a list that passes its filters, as CSV (with a header row, even when
empty) or JSON lines, streamed from the store a batch at a time: no page, no row cap. The
statements (/quotes, /search) have the one row of an attribution (`ROW_COLUMNS`); speakers and
claims the fields of their page's items; /sourcing.csv the sourcing table, flat.
"""

from __future__ import annotations

import itertools
import typing
from collections.abc import Callable
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import Response

from ..models import GENDERS, ROW_COLUMNS, SPEAKER_TYPES
from ..store.queries import CLAIM_SORTS, QUOTE_SORTS, SPEAKER_SORTS
from . import schemas
from .pages import quotes
from .params import (ClaimSort, Day, ExportLimit, Filters, GenderFilter, Offset, QuoteSort, SpeakerIdParam,
                     SpeakerSort, StanceFilter, Text, TypeFilter, blank, choice, sorting, statement_filters)
from .responses import backend, claim_out, download_name, quote_row
from .sourcing import sourcing_row

Rows = typing.Iterator[dict[str, Any]]


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


def window(rows: typing.Iterable[Any], limit: int | None, offset: int) -> typing.Iterator[Any]:
    """The rows from ``offset`` on, at most ``limit`` of them (None: every one)."""
    return itertools.islice(rows, offset, None if limit is None else offset + limit)


async def stream(request: Request, rows: Callable[[Any], Rows], columns: list[str]) -> Response:
    """``rows(store)`` as CSV with ``columns`` (``.csv``) or as JSON lines (``.jsonl``), each chunk read in
    the store's threads while the response goes out."""
    from fastapi.responses import StreamingResponse

    as_json = request.url.path.endswith(".jsonl")

    def lines(store: Any) -> typing.Iterator[str]:
        found = rows(store)
        return json_lines(found) if as_json else csv_lines(columns, found)

    chunks = await backend(request).in_store_thread(lines)
    done = object()
    first = await backend(request).in_store_thread(lambda _: next(chunks, done))  # errors before any row: a page

    async def body() -> typing.AsyncIterator[str]:
        chunk = first
        while chunk is not done:
            yield typing.cast(str, chunk)
            chunk = await backend(request).in_store_thread(lambda _: next(chunks, done))
    return StreamingResponse(body(), media_type="application/x-ndjson" if as_json else "text/csv; charset=utf-8",
                             headers={"content-disposition": f'attachment; filename="{download_name(request)}"'})


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
    """The statements as rows of `ROW_COLUMNS`, read from the store a batch at a time in its threads."""
    from ..store.queries import iter_quotes

    def rows(store: Any) -> Rows:
        found = window(iter_quotes(store, order, stored_order=searched, **f.store_args()), limit, offset)
        return (quote_row(schemas.QuoteOut.model_validate(q.to_dict())) for q in found)
    return await stream(request, rows, list(ROW_COLUMNS))


async def claims_export(request: Request, q: Text = None, sort: ClaimSort = None, limit: ExportLimit = None,
                        offset: Offset = 0) -> Response:
    """Every claim of the list (its words and sort), each as the page's JSON has it (named by its most
    representative statement; in CSV its stances and members as JSON), streamed."""
    from ..store.queries import iter_claims

    words, order = blank(q), sorting(sort, CLAIM_SORTS)

    def rows(store: Any) -> Rows:
        return (claim_out(c).model_dump(mode="json") for c in window(iter_claims(store, order, words), limit, offset))
    return await stream(request, rows, list(schemas.ClaimGroupOut.model_fields))


async def speakers_export(request: Request, q: Text = None, type: TypeFilter = None, gender: GenderFilter = None,
                          sort: SpeakerSort = None, limit: ExportLimit = None, offset: Offset = 0) -> Response:
    """Every speaker of the list (name or alias, type, gender, sort), as the page's JSON has them
    (in CSV aliases and roles as JSON), streamed."""
    from ..store.queries import iter_speakers

    q, type = blank(q), choice(type, SPEAKER_TYPES, "speaker type")
    gender, order = choice(gender, GENDERS, "gender"), sorting(sort, SPEAKER_SORTS)

    def rows(store: Any) -> Rows:
        found = window(iter_speakers(store, q, type, gender, order), limit, offset)
        return (schemas.SpeakerEntryOut.model_validate(s).model_dump(mode="json") for s in found)
    return await stream(request, rows, list(schemas.SpeakerEntryOut.model_fields))


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
