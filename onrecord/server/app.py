"""The ASGI app: route table, security headers, bounded bodies, and errors without tracebacks.

Every page is served by one view as HTML at its path and as JSON with a ``.json``
suffix (as datasette does): ``/articles/ID`` and ``/articles/ID.json``. The JSON
routes are described in ``/openapi.json``; the HTML ones are not. Writing
(``POST /api/articles``) needs ``Authorization: Bearer $ONRECORD_TOKEN``; without a
token configured the server is read-only.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator
from urllib.parse import quote

from ..config import Settings
from ..errors import InputError, InputTooLarge, OnRecordError
from ..reading import clean_str
from ..store.errors import StoreError, StoreUnavailable

try:
    import jinja2
    from fastapi import Depends, FastAPI, Request
    from fastapi.encoders import jsonable_encoder
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from fastapi.staticfiles import StaticFiles
    from fastapi.templating import Jinja2Templates
    from pydantic import BaseModel
    from starlette.exceptions import HTTPException
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
except ImportError as err:  # pragma: no cover - depends on the installation
    from .extra import INSTALL_HINT

    raise ImportError(f"{INSTALL_HINT} ({err})") from err

from . import api, downloads, feeds, pages, responses, schemas, sourcing
from .guards import (BODY_PIECE_TIMEOUT, BODY_TIMEOUT, HEADER_TIMEOUT, KEEP_ALIVE_TIMEOUT, MAX_HEADER_BYTES,
                     RelativeRedirects, TokenFirst, timed_protocol)
from .linking import STATUS_PATH, BackgroundLinker

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
MAX_BODY_BYTES = 1_000_000
EXTRACT_THREADS = 4
EXTRACT_QUEUE = 16  # extractions waiting for a thread before the server answers 503
EXTRACT_TIMEOUT = 60.0  # seconds one extraction request may take
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


@dataclass(frozen=True)
class PageRoute:
    """One view at ``path`` (HTML) and, when it has a schema, at ``path.json`` (JSON)."""

    path: str
    view: Callable[..., Any]
    model: type[BaseModel] | None
    summary: str

    @property
    def json_path(self) -> str:
        return self.path + ".json"


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": schemas.ErrorOut, "description": "Not found"}}
BAD_FILTER: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.ErrorOut, "description": "A filter value that cannot be used (the detail says why)"}}

# The route table. `.json` routes are registered first, so `/articles/x.json` is JSON.
PAGES = [
    PageRoute("/", pages.home, None, "Home: search and recent articles"),
    PageRoute("/articles", pages.articles, schemas.ArticleList, "List or search articles"),
    PageRoute("/articles/{article_id:path}", pages.article, schemas.ArticleOut,
              "One article with its attributions (the JSON contract)"),
    PageRoute("/speakers", pages.speakers, schemas.SpeakerList, "List speakers"),
    PageRoute("/speakers/{speaker_id}", pages.speaker, schemas.SpeakerDetail, "A speaker's statements over time"),
    PageRoute("/quotes", pages.quotes, schemas.QuoteList, "Statements, filtered by speaker, stance, outlet, dates"),
    PageRoute("/search", pages.search, schemas.SearchResult, "Full-text search over statements and articles"),
    PageRoute("/claims", pages.claims, schemas.ClaimList, "Claims: statements grouped across articles"),
    PageRoute("/claims/{claim_id}", pages.claim, schemas.ClaimDetail, "One claim: asserting and denying statements"),
    PageRoute("/contradictions", pages.contradictions, schemas.ContradictionList, "Statements that contradict"),
    PageRoute("/sourcing", sourcing.sourcing, schemas.SourcingOut, "Named vs anonymous vs media sources"),
    PageRoute("/sourcing/gender", sourcing.sourcing_gender, schemas.GenderList,
              "Women among named people quoted, per outlet (the Gender Gap Tracker's figure), with counts"),
    PageRoute("/verify", pages.verify, schemas.VerifyOut,
              "Did they really say it? A quote against the stored statements: verbatim, altered, paraphrase"),
]

# Downloads of every row that passes a list's filters, streamed (no page, no row cap), as CSV and
# JSON lines (`downloads`); the other lists' CSV is their page's (`responses.respond`)
EXPORTS: list[tuple[str, Callable[..., Any]]] = [
    ("/quotes.csv", downloads.quotes_export), ("/quotes.jsonl", downloads.quotes_export),
    ("/search.csv", downloads.search_export), ("/search.jsonl", downloads.search_export),
    ("/speakers.csv", downloads.speakers_export), ("/speakers.jsonl", downloads.speakers_export),
    ("/claims.csv", downloads.claims_export), ("/claims.jsonl", downloads.claims_export),
    ("/sourcing.csv", downloads.sourcing_csv)]

# Atom feeds of new statements (`feeds`): a speaker, a search, a claim
FEEDS: list[tuple[str, Callable[..., Any]]] = [("/speakers/{speaker_id}.atom", feeds.speaker_feed), ("/search.atom", feeds.search_feed),
         ("/claims/{claim_id}.atom", feeds.claim_feed)]


class Backend:
    """The store and the extractor, called from worker threads while the event loop keeps serving.

    The store is read from a small pool of threads (``store_threads``; the SQLAlchemy
    store is thread-safe, 1 serialises every call) and written from one thread of its own, so
    that writers queue there instead of holding the readers' threads while they wait for the
    database's write lock (4 waiting writers once took every thread and readers starved).
    With ``store_threads=1`` writes share that thread too. Extraction runs in a pool of its own
    (``extract_threads``), so that one long text does not hold up the others; at most
    ``extract_queue`` more wait for a thread (then 503), and a request waits at most
    ``extract_timeout`` seconds for its result (then 503; work per text is linear in its
    length and bounded by the body limit, so the thread soon comes free).
    """

    def __init__(self, db: str | None, store: Any = None, settings: Settings | None = None,
                 token: str | None = None, store_threads: int = 4, extract_threads: int = EXTRACT_THREADS,
                 extract_queue: int = EXTRACT_QUEUE, extract_timeout: float = EXTRACT_TIMEOUT) -> None:
        self.db = db
        self._store = store
        self.settings = settings or Settings()
        self.token = token
        self._lock = threading.Lock()
        self._store_pool = ThreadPoolExecutor(store_threads, thread_name_prefix="onrecord-store")
        self._write_pool = (ThreadPoolExecutor(1, thread_name_prefix="onrecord-write") if store_threads > 1
                            else self._store_pool)
        self._extract_pool = ThreadPoolExecutor(extract_threads, thread_name_prefix="onrecord-extract")
        self._extract_capacity = extract_threads + extract_queue
        self._extract_pending = 0  # touched only on the event loop
        self.extract_timeout = extract_timeout
        self.linker = BackgroundLinker(self._open)  # linking after writes, off the request

    def _open(self) -> Any:
        with self._lock:
            if self._store is None:
                from ..store import open_store

                self._store = open_store(self.db)
            return self._store

    async def query(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a store method in the store's thread."""
        def call() -> Any:
            return getattr(self._open(), method)(*args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._store_pool, call)

    async def in_store_thread(self, func: Callable[[Any], Any]) -> Any:
        """Run ``func(store)`` in the store's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._store_pool, lambda: func(self._open()))

    async def in_writer_thread(self, func: Callable[[Any], Any]) -> Any:
        """Run the write ``func(store)`` in the one writer thread: writes queue, reads go on."""
        return await asyncio.get_running_loop().run_in_executor(self._write_pool, lambda: func(self._open()))

    async def extract(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run an extraction function in the extraction pool, within the time limit.

        Raises:
            HTTPException: 503 when the pool and its queue are full, or the time limit passed.
        """
        if self._extract_pending >= self._extract_capacity:
            raise HTTPException(503, "the server is busy extracting: try again shortly", {"Retry-After": "5"})
        self._extract_pending += 1
        try:
            future = asyncio.get_running_loop().run_in_executor(
                self._extract_pool, functools.partial(func, *args, **kwargs))
            return await asyncio.wait_for(future, self.extract_timeout)
        except asyncio.TimeoutError:
            raise HTTPException(503, f"extraction took longer than {self.extract_timeout:g} s",
                                {"Retry-After": "30"}) from None
        finally:
            self._extract_pending -= 1

    def close(self) -> None:
        def close_store() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None
        if self._write_pool is not self._store_pool:
            self._write_pool.shutdown()  # the writes under way finish before the store closes
        self.linker.close()
        self._store_pool.submit(close_store).result()
        self._store_pool.shutdown()
        self._extract_pool.shutdown()


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413, by Content-Length or while reading.

    A body that stops coming (a client that announces more than it sends, or sends it
    slowly) gets 408 after ``timeout`` seconds without a piece, or ``deadline`` seconds
    for the whole body (one byte every few seconds is never late for the first), instead of
    holding a connection and a worker.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = BODY_PIECE_TIMEOUT,
                 deadline: float = BODY_TIMEOUT) -> None:
        self.app, self.max_bytes, self.timeout, self.deadline = app, max_bytes, timeout, deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            response = JSONResponse({"detail": self.message}, status_code=413)
            return await response(scope, receive, send)
        received = 0
        complete = False
        loop = asyncio.get_running_loop()
        ends = loop.time() + self.deadline

        async def limited() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive() waits for a disconnect: no time limit there
                return await receive()
            wait = min(self.timeout, ends - loop.time())
            try:
                if wait <= 0:
                    raise asyncio.TimeoutError
                message = await asyncio.wait_for(receive(), wait)
            except asyncio.TimeoutError:
                raise HTTPException(408, f"request body not received in time (a piece within {self.timeout:g} s, "
                                         f"the whole body within {self.deadline:g} s)") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self.message)
                complete = not message.get("more_body", False)
            return message

        await self.app(scope, limited, send)

    @property
    def message(self) -> str:
        return f"request body over the {self.max_bytes:,} byte limit"


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.endswith(".json") or path.startswith("/api/")


def error_response(request: Request, status: int, detail: str,
                   headers: dict[str, str] | None = None) -> Response:
    # 500s are sent by the outermost middleware, outside SecurityHeaders: add them here too
    headers = {**{k.decode(): v.decode() for k, v in SECURITY_HEADERS}, **(headers or {})}
    if wants_json(request) or request.method != "GET":
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "detail": detail},
                                      status_code=status, headers=headers)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code, str(exc.detail), dict(exc.headers or {}))


def single_valued_query(request: Request) -> None:
    """Refuse a query parameter given twice (400): every parameter takes one value, and taking
    the first or the last of several would answer a question nobody asked."""
    seen: set[str] = set()
    for key, _ in request.query_params.multi_items():
        if key in seen:
            raise HTTPException(400, f"query parameter {key!r} is given more than once")
        seen.add(key)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if wants_json(request) or request.method != "GET":
        # FastAPI's handler echoes the input, which may be 1e999 or "\ud800": unencodable, it would 500
        return JSONResponse({"detail": _json_safe(jsonable_encoder(exc.errors()))}, status_code=422)
    return error_response(request, 422, " ".join(_human_problem(e) for e in exc.errors()))


def _human_problem(error: dict[str, Any]) -> str:
    """One validator error as a sentence for people (the JSON routes keep FastAPI's detail)."""
    name = str(error["loc"][-1]) if error.get("loc") else "value"
    raw = error.get("input")
    if isinstance(raw, str) and "\x00" in raw:  # refused by the NO_NUL pattern: say why, not "cannot be used"
        return f"The {name.replace('_', ' ')} contains a NUL character, which onrecord cannot search for: remove it."
    # the input is echoed into the page: a lone surrogate or 1e999 must not make it unencodable (a 500)
    given = _json_safe(raw)
    if name in {"limit", "offset"}:
        return (f"“{given}” cannot be used as {name}: give a whole number "
                f"({'from 1 to 500' if name == 'limit' else '0 or more'}).")
    if error.get("type") == "literal_error":
        expected = str((error.get("ctx") or {}).get("expected", "")).replace("''", "empty").replace("'", "")
        what = "speaker type" if name in {"type", "speaker_type"} else name.replace("_", " ")
        return f"“{given}” is not a {what} onrecord knows. Choose one of: {expected} (empty: any)."
    if error.get("type") == "string_pattern_mismatch" and name == "sort":
        return f"The list cannot be sorted by “{given}”. See the column headings for what it can be sorted by."
    if error.get("type") == "string_pattern_mismatch" and name in {"since", "until"}:
        return (f"The {'from' if name == 'since' else 'to'} date “{given}” is not a date onrecord can read. "
                f"Write it as 2022-11-09, 2022-11 or 2022 (or leave it empty).")
    if error.get("type") == "missing":
        return f"Please fill in {name}."
    if error.get("type") == "string_too_long" and name == "q" and (limit := (error.get("ctx") or {}).get("max_length")):
        return (f"The quote is {len(str(raw)):,} characters long; onrecord checks quotes of up to {limit:,} "
                f"characters: check a shorter passage.")
    if error.get("type") == "string_too_long":
        return f"The {name} is too long: please shorten it."
    return f"The {name} “{given}” cannot be used here."


def _json_safe(value: Any) -> Any:
    """``value`` with infinities and NaN as strings and lone surrogates as U+FFFD: JSON in UTF-8 can carry them."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return clean_str(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


async def on_onrecord_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, InputTooLarge):
        return error_response(request, 413, str(exc))
    if isinstance(exc, InputError):  # same shape as FastAPI's 422, so clients read one format
        return JSONResponse({"detail": [{"loc": ["body", "text"], "msg": str(exc), "type": "input_error"}]},
                            status_code=422)
    if isinstance(exc, StoreError):
        return on_store_error(request, exc)
    return await on_server_error(request, exc)


def on_store_error(request: Request, exc: StoreError) -> Response:
    """503 (with Retry-After) while the database cannot take the work, else 500; either way a
    sentence for the client, and the store's one line, which names the database, for the log."""
    if isinstance(exc, StoreUnavailable):  # every request says so while it lasts: one line each, no traceback
        logger.error("%s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 503, "the database is unavailable: try again shortly", {"Retry-After": "30"})
    logger.error("%s %s: %s", request.method, request.url.path, exc, exc_info=exc)
    return error_response(request, 500, "the store could not answer this request (logged on the server)")


async def on_server_error(request: Request, exc: Exception) -> Response:
    logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal server error (logged on the server)")


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda value: quote(str(value), safe="")
    env.globals["safe_url"] = responses.safe_url
    return Jinja2Templates(env=env)


def create_app(db: str | None = None, *, store: Any = None, token: str | None = None,
               settings: Settings | None = None, max_body_bytes: int = MAX_BODY_BYTES,
               store_threads: int = 4, extract_threads: int = EXTRACT_THREADS,
               extract_timeout: float = EXTRACT_TIMEOUT, body_timeout: float = BODY_PIECE_TIMEOUT,
               body_deadline: float = BODY_TIMEOUT) -> FastAPI:
    """The onrecord web app.

    Args:
        db: store URL or SQLite path for ``onrecord.store.open_store`` (default ``onrecord.db``).
        store: an open store to use instead (it is called from one worker thread).
        token: bearer token for writing; default ``$ONRECORD_TOKEN``; none means read-only.
        settings: extraction settings for ``POST /api/extract`` and ``/api/articles``.
        max_body_bytes: larger request bodies are refused with 413.
        store_threads: threads that call the store (1 for a store that is not thread-safe).
        extract_threads: threads that extract (``POST /api/extract`` and ``/api/articles``).
        extract_timeout: seconds an extraction request may take before it gets 503.
        body_timeout: seconds to wait for the next piece of a request body before 408.
        body_deadline: seconds the whole request body may take before 408.
    """
    token = token if token is not None else os.environ.get("ONRECORD_TOKEN") or None
    settings = settings or Settings(max_bytes=max_body_bytes)
    backend = Backend(db, store, settings, token, store_threads, extract_threads, extract_timeout=extract_timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if token:  # a writing server links what an earlier run left unlinked (a failed link, --no-link)
            backend.linker.request()
        yield
        backend.close()

    app = FastAPI(title="onrecord", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  dependencies=[Depends(single_valued_query)],
                  description="Who said what, when, according to whom - and who denies it. "
                              "Every page is also JSON with a .json suffix.")
    app.state.backend = backend
    app.state.templates = make_templates()
    app.state.max_body_bytes = max_body_bytes

    for page in PAGES:
        if page.model is not None:
            app.add_api_route(page.json_path, page.view, methods=["GET"], response_model=page.model,
                              summary=page.summary, name=f"{page.view.__name__}_json",
                              responses={**BAD_FILTER, **(NOT_FOUND if "{" in page.path else {})})
    for path, view in EXPORTS:
        app.add_api_route(path, view, methods=["GET"], include_in_schema=False, name=view.__name__)
    exported = {path for path, _ in EXPORTS}
    for page in PAGES:  # the other lists as CSV of the page, with the same filters
        if (page.model is not None and "items" in page.model.model_fields and "{" not in page.path
                and page.path + ".csv" not in exported):
            app.add_api_route(page.path + ".csv", page.view, methods=["GET"], include_in_schema=False,
                              name=f"{page.view.__name__}_csv")
    for path, view in FEEDS:  # before the HTML routes, which would take "/speakers/5.atom" for an id
        app.add_api_route(path, view, methods=["GET"], include_in_schema=False, name=view.__name__)
    for page in PAGES:
        app.add_api_route(page.path, page.view, methods=["GET"], include_in_schema=False,
                          response_class=HTMLResponse, name=page.view.__name__)

    write_errors: dict[int | str, dict[str, Any]] = {
        400: {"model": schemas.ErrorOut, "description": "The body cannot be decoded"},
        401: {"model": schemas.ErrorOut, "description": "Missing or wrong bearer token"},
        403: {"model": schemas.ErrorOut, "description": "The server is read-only (no ONRECORD_TOKEN)"},
        408: {"model": schemas.ErrorOut, "description": "The request body did not arrive in time"},
        413: {"model": schemas.ErrorOut, "description": "Request body or article too large"},
        503: {"model": schemas.ErrorOut, "description": "Extraction busy or over its time limit (Retry-After)"},
    }
    app.add_api_route("/api/extract", api.extract_article, methods=["POST"], response_model=schemas.ArticleOut,
                      summary="Find who said what in a text or HTML page (nothing is stored)",
                      responses={k: write_errors[k] for k in (400, 408, 413, 503)})
    app.add_api_route("/api/articles", api.add_articles, methods=["POST"], response_model=schemas.IngestOut,
                      summary="Analyse articles and add them to the store (needs the bearer token)",
                      responses={**write_errors, 207: {"model": schemas.IngestOut,
                                                       "description": "Some articles failed: a status per item"},
                                 202: {"model": schemas.IngestOut, "description": "Stored; speakers and claims "
                                       "are linked after, in the background (status: Location, GET /api/linking)"}},
                      dependencies=[Depends(api.require_token)])
    app.add_api_route(STATUS_PATH, linking_status, methods=["GET"], summary="Linking after writes: "
                      "articles stored and not linked yet, and whether linking is queued or running")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    add_docs(app)

    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(OnRecordError, on_onrecord_error)
    app.add_exception_handler(Exception, on_server_error)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes, timeout=body_timeout, deadline=body_deadline)
    app.add_middleware(TokenFirst, paths=frozenset({"/api/articles"}), check=api.require_token)
    app.add_middleware(RelativeRedirects)
    app.add_middleware(SecurityHeaders)
    return app


async def linking_status(request: Request) -> JSONResponse:
    """Where linking stands (the status URL a write answers with 202)."""
    backend: Backend = request.app.state.backend
    pending = await backend.in_store_thread(lambda store: len(store.pending_links()))
    return JSONResponse(backend.linker.status(pending))


BEARER = "bearerToken"


def add_docs(app: FastAPI) -> None:
    """FastAPI's own ``/docs`` (Swagger UI, served from the ``swagger-ui-bundle`` package when it is
    installed, else from its CDN) and a bearer security scheme on the routes that answer 401."""
    from fastapi.openapi.docs import get_swagger_ui_html

    try:
        import swagger_ui_bundle

        app.mount("/docs-static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-static")
        js, css, sources = "/docs-static/swagger-ui-bundle.js", "/docs-static/swagger-ui.css", "'self'"
    except ImportError:  # pragma: no cover - depends on the installation
        cdn = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
        js, css, sources = f"{cdn}/swagger-ui-bundle.js", f"{cdn}/swagger-ui.css", "'self' https://cdn.jsdelivr.net"
    # Swagger UI starts from an inline script and styles itself inline: this page alone allows both
    csp = (f"default-src 'self'; script-src {sources} 'unsafe-inline'; style-src {sources} 'unsafe-inline'; "
           "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")

    async def docs(request: Request) -> Response:
        page = get_swagger_ui_html(openapi_url="/openapi.json", title="onrecord API", swagger_js_url=js,
                                   swagger_css_url=css, swagger_favicon_url="data:,")
        page.headers["content-security-policy"] = csp
        return page
    app.add_route("/docs", docs, include_in_schema=False)

    plain_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = plain_openapi()
        spec.setdefault("components", {}).setdefault("securitySchemes", {})[BEARER] = {
            "type": "http", "scheme": "bearer",
            "description": "The server's ONRECORD_TOKEN; without one configured the server is read-only."}
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                if "401" in operation.get("responses", {}):
                    operation["security"] = [{BEARER: []}]
        app.openapi_schema = spec
        return spec
    app.openapi = openapi  # type: ignore[method-assign]


def run(db: str | None = None, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info",
        header_timeout: float = HEADER_TIMEOUT, keep_alive_timeout: int = KEEP_ALIVE_TIMEOUT,
        **kwargs: Any) -> None:
    """Serve `create_app(db, **kwargs)` with uvicorn until interrupted.

    Slow and idle clients are dropped (`onrecord.server.guards`): headers within
    ``header_timeout`` seconds, idle kept-alive connections after ``keep_alive_timeout``,
    headers of at most `MAX_HEADER_BYTES`, bodies within the app's body timeouts.
    """
    import uvicorn

    uvicorn.run(create_app(db, **kwargs), host=host, port=port, log_level=log_level,
                http=timed_protocol(header_timeout), timeout_keep_alive=keep_alive_timeout,
                h11_max_incomplete_event_size=MAX_HEADER_BYTES, timeout_graceful_shutdown=5)
