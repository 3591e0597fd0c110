"""URLs, feeds and sitemaps, served by a local HTTP server on 127.0.0.1 (nothing reaches the internet)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from onrecord.errors import InputError
from onrecord.fetching import Fetcher, feed_links
from onrecord.models import Article
from onrecord.reading import read_paths

PAGE = ("<html><head><title>{name}</title></head><body><article><h1>Ferry {name} delayed</h1>"
        "<p>The port authority said on Tuesday that the {name} ferry would sail two hours late because of fog.</p>"
        "<p>Passengers complained that they had not been told, and the operator promised refunds to anyone who "
        "missed a connection at the terminal that evening.</p></article></body></html>")


class Site:
    """A tiny news site: pages, an RSS feed, an Atom feed, a sitemap index, and misbehaving paths."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.pages = ["north", "south"]
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def body(self, path: str) -> tuple[int, str, str]:
        b = self.base
        if path.startswith("/news/") and path[6:-5] in self.pages:
            return 200, "text/html; charset=utf-8", PAGE.format(name=path[6:-5])
        if path == "/rss.xml":
            items = "".join(f"<item><title>{p}</title><link>{b}/news/{p}.html</link></item>" for p in self.pages)
            return 200, "application/rss+xml", f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
        if path == "/atom.xml":
            entries = "".join(f'<entry><title>{p}</title><link rel="alternate" href="/news/{p}.html"/></entry>'
                              for p in self.pages)
            return 200, "application/atom+xml", f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'
        if path == "/sitemap-index.xml":
            return 200, "application/xml", ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                                            f'sitemap/0.9"><sitemap><loc>{b}/sitemap.xml</loc></sitemap></sitemapindex>')
        if path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{b}/news/{p}.html</loc></url>" for p in self.pages + ["gone"])
            return 200, "application/xml", ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                                            f'sitemap/0.9">{urls}</urlset>')
        if path == "/broken.xml":
            return 200, "application/rss+xml", '<?xml version="1.0"?><rss><channel><item><link>'
        if path == "/error":
            return 500, "text/plain", "boom"
        if path == "/flaky" and self.hits[path] == 1:
            return 503, "text/plain", "busy"
        if path == "/flaky":
            return 200, "text/html", PAGE.format(name="flaky")
        if path == "/slow":
            time.sleep(1.5)
            return 200, "text/html", PAGE.format(name="slow")
        return 404, "text/plain", "not found"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.hits[self.path] += 1
                site.hits["agent:" + self.headers.get("User-Agent", "")] += 1
                status, kind, text = site.body(self.path)
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass
        return Handler


@pytest.fixture
def site():
    served = Site()
    yield served
    served.server.shutdown()
    served.server.server_close()


def fast() -> Fetcher:
    return Fetcher(timeout=0.5, retries=2, backoff=0.01, host_delay=0.0)


def test_a_page_url_becomes_an_article_with_its_url(site):
    items = list(read_paths([f"{site.base}/news/north.html"], fetcher=fast()))
    assert len(items) == 1 and isinstance(items[0], Article)
    assert items[0].url == items[0].id == f"{site.base}/news/north.html"
    assert "port authority said" in items[0].text
    assert any(k.startswith("agent:onrecord/") for k in site.hits)  # a clear user agent


@pytest.mark.parametrize("feed", ["/rss.xml", "/atom.xml", "/sitemap-index.xml"])
def test_feeds_and_sitemaps_expand_to_their_pages(site, feed):
    items = list(read_paths([site.base + feed], fetcher=fast()))
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.url for a in articles] == [f"{site.base}/news/{p}.html" for p in site.pages]


def test_a_second_run_fetches_only_new_items(site):
    stored = {a.url for a in read_paths([site.base + "/rss.xml"], fetcher=fast()) if isinstance(a, Article)}
    site.pages.append("east")
    again = list(read_paths([site.base + "/rss.xml"], fetcher=fast(), known=stored.__contains__))
    assert [a.url for a in again if isinstance(a, Article)] == [f"{site.base}/news/east.html"]
    assert site.hits["/news/north.html"] == 1


def test_failures_are_one_error_each_and_the_rest_is_read(site):
    urls = [site.base + p for p in ("/error", "/slow", "/broken.xml", "/news/north.html", "/sitemap.xml")]
    items = list(read_paths(urls, fetcher=fast()))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert any("/error: HTTP 500" in e for e in errors)
    assert any("/slow: cannot fetch (timed out)" in e for e in errors)
    assert any("/broken.xml: not an HTML page" in e for e in errors)
    assert any("/news/gone.html: HTTP 404" in e for e in errors)  # listed by the sitemap, missing
    assert len(errors) == 4
    assert len([i for i in items if isinstance(i, Article)]) == 3
    assert site.hits["/error"] == 3  # the first try and two retries


def test_a_transient_503_is_retried(site):
    items = list(read_paths([site.base + "/flaky"], fetcher=fast()))
    assert isinstance(items[0], Article) and site.hits["/flaky"] == 2


def test_requests_to_one_host_are_spaced(site):
    fetcher = Fetcher(timeout=2, retries=0, host_delay=0.3)
    started = time.monotonic()
    list(read_paths([f"{site.base}/news/north.html", f"{site.base}/news/south.html"], fetcher=fetcher))
    assert time.monotonic() - started >= 0.3


def test_an_unreachable_host_is_an_error_not_an_exception():
    items = list(read_paths(["http://127.0.0.1:9/nothing"], fetcher=fast()))
    assert len(items) == 1 and isinstance(items[0], InputError) and "127.0.0.1:9/nothing" in str(items[0])


@hsettings(max_examples=200, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=600).map(lambda t: ("<?xml version='1.0'?><rss>" + t).encode()))
def test_feed_parsing_never_raises(body):
    links = feed_links(body, "http://127.0.0.1/")
    assert links is None or all(isinstance(link, str) for link in links)


@pytest.mark.slow
def test_ingest_of_a_feed_twice_fetches_only_the_new_items(site, tmp_path):
    from click.testing import CliRunner

    from onrecord.cli import cli

    db = f"sqlite:///{tmp_path / 'feed.db'}"
    first = CliRunner().invoke(cli, ["ingest", site.base + "/rss.xml", "--db", db, "--silent", "--no-link"])
    assert first.exit_code == 0, first.output
    assert "2 added" in first.output
    site.pages.append("east")
    again = CliRunner().invoke(cli, ["ingest", site.base + "/rss.xml", "--db", db, "--silent", "--no-link"])
    assert again.exit_code == 0, again.output
    assert "1 added" in again.output
    assert site.hits["/news/north.html"] == 1 and site.hits["/news/east.html"] == 1
