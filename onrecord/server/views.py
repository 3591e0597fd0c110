"""Views: each answers HTML at its path and JSON at the same path plus ``.json``.

A view asks the store (or ``onrecord.extract``) for records, converts them to their
schema at the boundary, and hands them to `respond`. What is computed here is only
presentation: highlight segments of an article text, the buckets of a chart.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from ..errors import InputError, OnRecordError
from ..models import Article
from . import schemas
from .schemas import SpeakerType, Stance

Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot take a NUL in a string: refused with 422, not a 500
Text = Annotated[str | None, Query(max_length=500, pattern=NO_NUL)]
Day = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD.")]
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names nothing (404), it must not reach PostgreSQL
Id = Annotated[int, Path(ge=0)]
TIMELINE_LIMIT = 5000
DENYING = {"deny"}


def respond(request: Request, template: str, model: BaseModel, **context: Any) -> Response:
    """The one exit of every view: JSON for ``.json`` paths, the template otherwise."""
    if request.url.path.endswith(".json"):
        return JSONResponse(model.model_dump(mode="json"))
    query = f"?{request.url.query}" if request.url.query else ""
    context.setdefault("json_url", f"{request.url.path}.json{query}")
    response: Response = request.app.state.templates.TemplateResponse(request, template, {"data": model, **context})
    return response


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


def timeline(quotes: list[Any]) -> list[schemas.TimelinePoint]:
    """Statements per day (per month when they span more than 60 days), by stance."""
    dated = [((q.attribution.statement_date or q.published or "")[:10], q.attribution.stance) for q in quotes]
    dated = [(d, s) for d, s in dated if d]
    if len({d for d, _ in dated}) > 60:
        dated = [(d[:7], s) for d, s in dated]
    counts: dict[str, Counter[str]] = {}
    for day, stance in dated:
        counts.setdefault(day, Counter())[stance] += 1
    return [schemas.TimelinePoint(date=d, stances=dict(c)) for d, c in sorted(counts.items())]


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


async def articles(request: Request, q: Text = None, outlet: Text = None, limit: Limit = 50,
                   offset: Offset = 0) -> Response:
    found = await backend(request).query("list_articles", q=q or None, outlet=outlet or None, limit=limit,
                                         offset=offset)
    data = schemas.ArticleList(q=q, items=[schemas.ArticleSummaryOut.model_validate(a) for a in found],
                               **pages(request, len(found), limit, offset))
    return respond(request, "articles.html", data, prev=prev_url(request, limit, offset))


async def article(request: Request, article_id: str) -> Response:
    if "\x00" in article_id:  # no stored id has one, and PostgreSQL cannot compare it
        raise not_found("article")
    found: Article | None = await backend(request).query("get_article", article_id)
    if found is None:
        raise not_found("article")
    data = schemas.ArticleOut.model_validate(found.to_dict(with_text=True))
    if request.url.path.endswith(".json"):
        return respond(request, "article.html", data)
    cards = [{"index": i, "speaker": speaker_label(found, i), "a": a, "content": a.content_text}
             for i, a in enumerate(found.attributions)]
    return respond(request, "article.html", data, segments=highlight(found), cards=cards)


async def speakers(request: Request, q: Text = None, type: SpeakerType | None = None, limit: Limit = 50,
                   offset: Offset = 0) -> Response:
    found = await backend(request).query("list_speakers", q=q or None, type=type, limit=limit, offset=offset)
    data = schemas.SpeakerList(q=q, items=[schemas.SpeakerEntryOut.model_validate(s) for s in found],
                               **pages(request, len(found), limit, offset))
    return respond(request, "speakers.html", data, prev=prev_url(request, limit, offset))


async def speaker(request: Request, speaker_id: Id, limit: Limit = 100, offset: Offset = 0) -> Response:
    def load(store: Any) -> tuple[Any, list[Any], list[Any]]:
        entry = store.get_speaker(speaker_id)
        if entry is None:
            return None, [], []
        return (entry, store.quotes(speaker=speaker_id, limit=limit, offset=offset),
                store.quotes(speaker=speaker_id, limit=TIMELINE_LIMIT))
    if speaker_id > MAX_ID:
        raise not_found("speaker")
    entry, statements, everything = await backend(request).in_store_thread(load)
    if entry is None:
        raise not_found("speaker")
    data = schemas.SpeakerDetail(speaker=schemas.SpeakerEntryOut.model_validate(entry),
                                 statements=quote_list(statements), timeline=timeline(everything))
    return respond(request, "speaker.html", data, chart=[p.model_dump() for p in data.timeline],
                   next=next_url(request, len(statements), limit, offset),
                   prev=prev_url(request, limit, offset))


async def quotes(request: Request, speaker: Text = None, speaker_id: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
                 speaker_type: SpeakerType | None = None, stance: Stance | None = None, outlet: Text = None,
                 since: Day = None, until: Day = None, limit: Limit = 50, offset: Offset = 0) -> Response:
    found = await backend(request).query(
        "quotes", speaker=speaker_id if speaker_id is not None else speaker or None, speaker_type=speaker_type,
        stance=stance, outlet=outlet or None, since=since, until=until, limit=limit, offset=offset)
    data = schemas.QuoteList(items=quote_list(found), **pages(request, len(found), limit, offset))
    return respond(request, "quotes.html", data, prev=prev_url(request, limit, offset))


async def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=500, pattern=NO_NUL)],
                 speaker_type: SpeakerType | None = None, stance: Stance | None = None, outlet: Text = None,
                 since: Day = None, until: Day = None, limit: Limit = 50, offset: Offset = 0) -> Response:
    def load(store: Any) -> tuple[list[Any], list[Any]]:
        found = store.search(q, speaker_type=speaker_type, stance=stance, outlet=outlet or None, since=since,
                             until=until, limit=limit, offset=offset)
        return found, (store.list_articles(q=q, limit=10) if offset == 0 else [])
    found, matching = await backend(request).in_store_thread(load)
    data = schemas.SearchResult(q=q, items=quote_list(found),
                                articles=[schemas.ArticleSummaryOut.model_validate(a) for a in matching],
                                **pages(request, len(found), limit, offset))
    return respond(request, "search.html", data, prev=prev_url(request, limit, offset))


async def claims(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
    found = await backend(request).query("list_claims", limit=limit, offset=offset)
    data = schemas.ClaimList(items=[schemas.ClaimGroupOut.model_validate(c.to_dict()) for c in found],
                             **pages(request, len(found), limit, offset))
    return respond(request, "claims.html", data, prev=prev_url(request, limit, offset))


async def claim(request: Request, claim_id: Id) -> Response:
    if claim_id > MAX_ID:
        raise not_found("claim")
    found = await backend(request).query("get_claim", claim_id)
    if found is None:
        raise not_found("claim")
    group = schemas.ClaimGroupOut.model_validate(found.to_dict())
    data = schemas.ClaimDetail(claim=group, asserting=[m for m in group.members if m.attribution.stance not in DENYING],
                               denying=[m for m in group.members if m.attribution.stance in DENYING])
    return respond(request, "claim.html", data)


async def contradictions(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
    found = await backend(request).query("contradictions", limit=limit, offset=offset)
    data = schemas.ContradictionList(items=[schemas.ContradictionOut.model_validate(c.to_dict()) for c in found],
                                     **pages(request, len(found), limit, offset))
    return respond(request, "contradictions.html", data, prev=prev_url(request, limit, offset))


async def sourcing(request: Request, by: Literal["outlet", "article"] = "outlet") -> Response:
    rows = await backend(request).query("sourcing", by=by)
    data = schemas.SourcingOut(by=by, rows=[schemas.SourcingRowOut.model_validate(r) for r in rows])
    return respond(request, "sourcing.html", data, chart=[r.model_dump() for r in data.rows])


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
    report = await backend(request).in_store_thread(lambda store: ingest(store, inputs, extracted=True))
    counts = report.counts()
    data = schemas.IngestOut(added=counts["added"], updated=counts["updated"], skipped=counts["skipped"],
                             failed=counts["failed"],
                             ids=[i.id for i in report.items if i.status != "failed" and i.id is not None],
                             items=[schemas.IngestItemOut(**i.to_dict(), code=ITEM_CODES[i.status])
                                    for i in report.items])
    status = 207 if counts["failed"] else 200
    return JSONResponse(data.model_dump(mode="json"), status_code=status)
