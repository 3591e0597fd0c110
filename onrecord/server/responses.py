"""How a view answers: `respond` (JSON for ``.json``, the page's items as CSV for ``.csv``, the
template otherwise), the records as their schemas, and the links a page carries (next and
previous pages, the download of every row).
"""

from __future__ import annotations

import typing
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from ..models import ROW_COLUMNS, Attribution
from . import schemas


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
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{download_name(request)}"'})


def download_name(request: Request) -> str:
    """The file name of a download: its path (``/quotes.csv``: ``quotes.csv``)."""
    return request.url.path.strip("/").replace("/", "-") or "onrecord"


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


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"no such {what}")


def quote_list(quotes: list[Any]) -> list[schemas.QuoteOut]:
    return [schemas.QuoteOut.model_validate(q.to_dict()) for q in quotes]


def speaker_counts(rows: list[tuple[int, str, int]]) -> list[schemas.SpeakerCount]:
    return [schemas.SpeakerCount(id=i, name=name, n=n) for i, name, n in rows]


def export_url(request: Request, suffix: str) -> str:
    """The download of every row with the page's filters and sort (no limit, no offset, no grouping)."""
    params = {k: v for k, v in request.query_params.items() if k not in {"limit", "offset", "group"} and v != ""}
    return f"{request.url.path}{suffix}" + (f"?{urlencode(params)}" if params else "")


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


def claim_out(claim: Any) -> schemas.ClaimGroupOut:
    """A stored claim (`store.records.ClaimGroup`) as its schema, named by its most representative
    statement (`link.sides.claim_sides`), not a phrase of one: the claims list and its download."""
    from ..link.sides import claim_sides

    item: Any = schemas.ClaimGroupOut.model_validate(claim.to_dict())  # fields from ClaimGroup
    item.label = claim_sides(item.members).label or item.label
    return typing.cast(schemas.ClaimGroupOut, item)
