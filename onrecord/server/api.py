"""The JSON API's POST routes: ``/api/extract`` (a text in, its attributions out, nothing stored)
and ``/api/articles`` (extract and store, behind the bearer token; linking follows in the
background, `server.linking`).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..errors import InputError, OnRecordError
from ..models import Article
from . import schemas
from .responses import backend


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
    report = await backend(request).in_writer_thread(lambda store: ingest(store, inputs, extracted=True))
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
