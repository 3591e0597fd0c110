"""Articles fetched over HTTP: pages, RSS/Atom feeds and sitemaps.

A URL given to `read_paths` (``https://…``) is downloaded politely — a clear user agent,
timeouts, retries with exponential backoff on 429/5xx and connection errors, and a delay
between two requests to the same host. A feed or sitemap expands to the pages it lists;
``known(url)`` lets a caller (``onrecord ingest``) skip pages it already holds, so a second
run over a feed fetches only the new items. Every failure is an `InputError` value naming
the URL, never an exception that stops the run.

Feeds and sitemaps are parsed here with lxml (entities and network access off) rather than
trafilatura's link filters, which drop links to hosts without a public domain name — an
intranet archive or a local mirror would lose every item.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from .config import Settings
from .errors import InputError, InputTooLarge
from .models import Article

logger = logging.getLogger(__name__)

USER_AGENT = "onrecord/0.1 (attribution extraction for news research; +https://pypi.org/project/onrecord/)"
MAX_LINKS = 10_000  # per feed or sitemap
MAX_SITEMAP_DEPTH = 3  # sitemap index → sitemap → pages

Item = Article | InputError


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    content_type: str
    body: bytes


@dataclass
class Fetcher:
    """Polite HTTP GETs: one pool, per-host delay, retries with backoff."""

    timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5  # seconds; doubles with each retry
    host_delay: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 10_000_000
    user_agent: str = USER_AGENT
    _last: dict[str, float] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _pool: object | None = field(default=None, repr=False)

    def _manager(self) -> object:
        if self._pool is None:
            import urllib3

            retry = urllib3.Retry(total=self.retries, backoff_factor=self.backoff, status_forcelist=(429, 500, 502, 503, 504),
                                  allowed_methods=("GET",), raise_on_status=False, respect_retry_after_header=True)
            self._pool = urllib3.PoolManager(retries=retry, timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
                                             headers={"User-Agent": self.user_agent})
        return self._pool

    def _wait_for(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            ready = self._last.get(host, 0.0) + self.host_delay
            self._last[host] = max(now, ready)
        if ready > now:
            time.sleep(ready - now)

    def get(self, url: str) -> Response:
        """The response to a GET of ``url``, or an `InputError` naming it."""
        import urllib3

        self._wait_for(urlsplit(url).netloc)
        pool = self._manager()
        assert isinstance(pool, urllib3.PoolManager)
        try:
            reply = pool.request("GET", url, preload_content=False, redirect=True)
        except urllib3.exceptions.MaxRetryError as err:
            raise InputError(f"cannot fetch ({_reason(err.reason)})", input=url) from None
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as err:
            raise InputError(f"cannot fetch ({_reason(err)})", input=url) from None
        try:
            if reply.status >= 400:
                raise InputError(f"HTTP {reply.status} {reply.reason or ''}".rstrip(), input=url)
            body = reply.read(self.max_bytes + 1, decode_content=True)
            if len(body) > self.max_bytes:
                raise InputTooLarge(f"over the {self.max_bytes / 1e6:g} MB limit", input=url)
        except (urllib3.exceptions.HTTPError, OSError) as err:
            raise InputError(f"cannot fetch ({_reason(err)})", input=url) from None
        finally:
            reply.release_conn()
        return Response(url=urljoin(url, reply.geturl() or url), status=reply.status,
                        content_type=reply.headers.get("Content-Type", ""), body=body)


def _reason(err: object) -> str:
    text = str(err)
    if "timed out" in text.lower() or "timeout" in type(err).__name__.lower():
        return "timed out"
    return f"{type(err).__name__}: {text}"[:200]


def feed_links(body: bytes, base: str) -> list[str] | None:
    """Item links of an RSS or Atom feed or a sitemap (urlset, or index: its sitemaps' URLs).

    None when the body is none of these.
    """
    root = _xml_root(body)
    if root is None:
        return None
    tag = _local(root.tag)
    links: list[str] = []
    if tag == "rss" or tag == "RDF":
        links = [el.text.strip() for el in root.iter() if _local(el.tag) == "link" and el.text and el.text.strip()
                 and _local(el.getparent().tag) == "item"]
    elif tag == "feed":
        for entry in (el for el in root.iter() if _local(el.tag) == "entry"):
            hrefs = [(ln.get("rel") or "alternate", ln.get("href")) for ln in entry if _local(ln.tag) == "link"]
            href = next((h for rel, h in hrefs if rel == "alternate" and h), None)
            if href:
                links.append(href)
    elif tag in ("urlset", "sitemapindex"):
        links = [el.text.strip() for el in root.iter() if _local(el.tag) == "loc" and el.text and el.text.strip()]
    else:
        return None
    return [urljoin(base, link) for link in dict.fromkeys(links)][:MAX_LINKS]


def is_sitemap_index(body: bytes) -> bool:
    root = _xml_root(body)
    return root is not None and _local(root.tag) == "sitemapindex"


def _xml_root(body: bytes) -> Any:
    head = body[:512].lstrip().lower()
    if not (head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf"))):
        return None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_url(url: str, settings: Settings, fetcher: Fetcher, *, known: Callable[[str], bool] | None = None,
             depth: int = 0, expand: bool = True) -> Iterator[Item]:
    """The article at ``url``, or the articles a feed or sitemap at ``url`` lists.

    Only sitemap indexes expand more than once (to ``MAX_SITEMAP_DEPTH``): a feed item that
    is itself a feed is an error, so no listing can make the crawl loop.
    """
    from .html import article_from_html, decode_html

    try:
        response = fetcher.get(url)
    except InputError as err:
        yield err
        return
    links = feed_links(response.body, response.url)
    if links is not None:
        if not expand:
            yield InputError("a feed or sitemap item is itself a feed or sitemap", input=url)
            return
        nested = is_sitemap_index(response.body)
        if nested and depth >= MAX_SITEMAP_DEPTH:
            yield InputError("sitemap indexes nested too deeply", input=url)
            return
        logger.info("%s lists %d links", url, len(links))
        for link in links:
            if not is_url(link):
                yield InputError(f"not an http(s) link: {link[:200]}", input=url)
            elif nested:
                yield from read_url(link, settings, fetcher, known=known, depth=depth + 1)
            elif known is not None and known(link):
                logger.debug("skipping %s: already stored", link)
            else:
                yield from read_url(link, settings, fetcher, known=known, expand=False)
        return
    if "xml" in response.content_type and "html" not in response.content_type:
        yield InputError("not an HTML page, RSS/Atom feed or sitemap (malformed XML?)", input=url)
        return
    try:
        yield article_from_html(decode_html(response.body, response.content_type), id=url, name=url, url=url)
    except InputError as err:
        yield err
