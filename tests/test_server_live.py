"""The server for real: uvicorn in a thread over a store with ingested articles, driven by
Chromium (Playwright, Debian's /usr/bin/chromium) and by schemathesis against /openapi.json.

Set ``ONRECORD_SCREENSHOTS=docs/screenshots`` to refresh the README's screenshots.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("sqlalchemy")

from .conftest import POLNEAR_DEV, ROOT  # noqa: E402
from .server_data import SCRIPT, XSS_ID, xss_article  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SAMPLE_ID = "ukrainska-pravda-2022-11-09"
TOKEN = "live-test-token"


def ingested_articles():
    """The sample and PolNeAR dev through the real extractor, plus the hostile article."""
    from onrecord import Settings, extract_many, read_paths

    paths = [str(ROOT / "examples" / f"{SAMPLE_ID}.txt")]
    if (POLNEAR_DEV / "text").is_dir():
        paths.append(str(POLNEAR_DEV / "text"))
    articles = [a for a in read_paths(paths, Settings()) if not isinstance(a, Exception)]
    return list(extract_many(articles, Settings())) + [xss_article()]


def make_db(folder: Path) -> str:
    """A SQLite store with everything ingested and linked, as ``onrecord ingest`` leaves it."""
    from onrecord.link.stored import link_store
    from onrecord.store import open_store

    path = str(folder / "onrecord.db")
    with open_store(path) as store:
        store.add_articles(ingested_articles())
        link_store(store)
    return path


class ThreadedServer:
    """uvicorn in a background thread (as httpx's tests do), on a free port of 127.0.0.1."""

    def __init__(self, app) -> None:
        import uvicorn

        from benchmarks.serve import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return make_db(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def live_url(db) -> Iterator[str]:
    from onrecord.server import create_app

    with ThreadedServer(create_app(db, token=TOKEN)) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup-system (make setup)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, live_url):
    """A page that records console errors (CSP violations show up there) and dialogs (XSS)."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda err: page.problems.append(f"page error: {err}"))
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert page.problems == []


def screenshot(page, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ONRECORD_SCREENSHOTS") or tmp_path)
    folder = folder if folder.is_absolute() else ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def chart_drawn(page, canvas: str) -> bool:
    return bool(page.evaluate(f"() => !!window.Chart && !!Chart.getChart(document.querySelector('{canvas}'))"))


def test_search_open_an_article_see_highlights_and_follow_a_speaker(page, tmp_path):
    page.goto("/")
    page.fill("#home-search", "negotiate")
    page.press("#home-search", "Enter")
    page.wait_for_url("**/search?q=negotiate")
    assert page.locator("#results .quote").count() > 0
    page.locator(f"a[href='/articles/{SAMPLE_ID}']").first.click()
    page.wait_for_url(f"**/articles/{SAMPLE_ID}")

    text = page.locator("#article-text")
    assert text.locator(".hl-source").count() > 5 and text.locator(".hl-content").count() > 5
    government = text.locator(".hl-source", has_text="a government source").first
    assert "anonymous" in government.get_attribute("title")
    deny = text.locator(".hl-cue.stance-deny", has_text="deny").first
    deny.click()
    index = deny.get_attribute("data-a")
    card = page.locator(f"#a{index}")
    assert "active" in card.get_attribute("class") and card.locator(".badge.stance-deny").count() == 1
    rudenko = page.locator(".card", has_text="Andrey Rudenko").first
    assert "Deputy Minister of Foreign Affairs" in rudenko.inner_text()
    rudenko.hover()
    screenshot(page, "article", tmp_path)

    rudenko.locator("a.speaker").click()  # straight to the speaker's page, by id
    page.wait_for_url("**/speakers/*")
    assert "Rudenko" in page.locator("h1").inner_text()
    assert page.locator(".quote").count() >= 1


def test_speaker_page_draws_a_timeline_on_a_time_axis_and_filters(page, live_url, tmp_path):
    import datetime as dt

    import httpx

    from xml.etree import ElementTree as ET

    speakers = httpx.get(f"{live_url}/speakers.json", params={"type": "person", "limit": 50}).json()["items"]
    busiest = max(speakers, key=lambda s: s["n_statements"])
    page.goto(f"/speakers/{busiest['id']}")
    assert chart_drawn(page, "#timeline-chart")
    assert page.locator(".quote").count() == min(100, busiest["n_statements"])
    # one bar per unit of time, empty ones included: the labels are consecutive days (or months, years)
    chart = page.evaluate("() => JSON.parse(document.getElementById('timeline-data').textContent)")
    labels = page.evaluate("() => Chart.getChart(document.querySelector('#timeline-chart')).data.labels")
    assert labels == [p["date"] for p in chart["points"]] and len(labels) > 1
    if chart["unit"] == "day":
        days = [dt.date.fromisoformat(d) for d in labels]
        assert all((b - a).days == 1 for a, b in zip(days, days[1:]))
    assert any(not p["stances"] for p in chart["points"]), "the busiest speaker has a day without statements"
    claims = page.locator(".claim-group h3 a[href^='/claims/']")
    if claims.count():  # statements grouped under their claim's label, linking to it
        assert claims.first.inner_text().startswith("“")
    screenshot(page, "speaker", tmp_path)
    # filters: a stance, from the form (labelled); every statement shown has it
    page.get_by_label("Stance", exact=True).select_option("deny")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**stance=deny**")
    shown = page.locator("ul.quotes .quote")
    assert shown.count() == page.locator("ul.quotes .quote.stance-deny").count()
    # the page announces its feed, and the feed is Atom
    feed = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    root = ET.fromstring(httpx.get(live_url + feed).content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed" and root.findall("{http://www.w3.org/2005/Atom}entry")


def test_claim_page_and_sourcing_chart(page, live_url, tmp_path):
    import httpx

    claims = httpx.get(f"{live_url}/claims.json", params={"limit": 500}).json()["items"]
    claims = [c for c in claims if any(m["article_id"] != XSS_ID for m in c["members"])]
    disputed = [c for c in claims if "deny" in c["stances"] and len(c["stances"]) > 1] or claims
    page.goto(f"/claims/{max(disputed, key=lambda c: c['n_statements'])['id']}")
    assert page.locator(".asserting .quote").count() + page.locator(".denying .quote").count() > 1
    assert "Who asserts it" in page.inner_text(".asserting") and "Who denies" in page.inner_text(".denying")
    for quote in page.locator(".asserting .quote").all():  # a negated statement never stands with the claim
        assert quote.get_attribute("class") != "quote stance-deny"
    screenshot(page, "claim", tmp_path)
    page.goto("/contradictions")
    page.goto("/sourcing")
    assert chart_drawn(page, "#sourcing-chart")
    assert page.locator("table.sourcing tbody tr").count() > 3


def test_find_a_speaker_by_name_and_open_their_page(page):
    page.goto("/speakers")
    page.get_by_label("Name or alias").fill("Rudenko")
    page.get_by_label("Type").select_option("")  # "any type": an empty filter, not an error
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/speakers?q=Rudenko&type=&gender=")
    page.locator("table.speakers a", has_text="Andrey Rudenko").first.click()
    page.wait_for_url("**/speakers/*")
    assert "Rudenko" in page.locator("h1").inner_text() and page.locator(".quote").count() >= 1
    page.goto("/")
    page.press("#top-search", "Enter")  # Enter in the empty header search
    assert page.locator("h1").inner_text() == "Search statements"


def test_drill_from_a_sourcing_share_to_its_statements(page, tmp_path):
    page.goto("/sourcing")
    assert "an unnamed plural of people" in page.inner_text(".definitions")
    cell = page.locator("table.sourcing a[href*='speaker_type=anonymous']").first
    count = int(cell.locator(".count").inner_text().strip("()"))
    screenshot(page, "sourcing", tmp_path)
    cell.click()
    page.wait_for_url("**/quotes?*speaker_type=anonymous*")
    quotes = page.locator("ul.quotes .quote")
    assert quotes.count() == min(count, 50)
    assert page.locator("ul.quotes .badge.type-anonymous").count() == quotes.count()
    page.goto("/sourcing?by=article")
    labels = page.locator("table.sourcing tbody th a")
    assert labels.count() == len(page.evaluate("() => JSON.parse(document.getElementById('sourcing-data').textContent)"))


def test_drill_from_a_gender_share_on_sourcing_to_its_statements(page, tmp_path):
    page.goto("/sourcing/gender")
    assert "Gender Gap Tracker" in page.inner_text("main")
    cell = page.locator("table.gender tbody a[href*='gender=female']").first
    statements = int(cell.get_attribute("title").split()[1])  # "the N statements of these M people"
    screenshot(page, "sourcing-gender", tmp_path)
    cell.click()
    page.wait_for_url("**/quotes?*gender=female*")
    assert page.locator("ul.quotes .quote").count() == min(statements, 50)
    assert page.locator(".list-summary strong").inner_text().replace(",", "") == str(statements)
    assert page.get_by_label("Gender (named people)").input_value() == "female"
    page.goto("/sourcing")
    assert page.locator("table.gender tbody tr").count() > 1  # the same table, under the sourcing table


def test_verify_a_quote_verbatim_altered_and_absent(page, live_url, tmp_path):
    import httpx

    statements = httpx.get(f"{live_url}/quotes.json", params={"speaker_type": "person", "limit": 200}).json()["items"]
    def content(q: dict) -> str:  # the content fragments of a stored statement, joined
        spans = q["attribution"]["content"]
        return " … ".join(s["text"] for s in (spans if isinstance(spans, list) else [spans]))

    said = next(q for q in statements if 10 <= len(content(q).split()) <= 30 and content(q).isascii()
                and any(len(w) > 5 and w.isalpha() for w in content(q).split()))
    words = content(said).split()
    i = next(i for i, w in enumerate(words) if len(w) > 5 and w.isalpha())
    altered = " ".join(words[:i] + ["zeppelins"] + words[i + 1:])
    for quote, verdict in [(content(said), "verbatim"), (altered, "altered"),
                           ("Penguins will run the central bank of Luxembourg from next spring", "not_found")]:
        page.goto("/verify")
        page.get_by_label("Quote").fill(quote)
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url("**/verify?*")
        first = page.locator("#verdicts .verdict").first
        assert f"verdict-{verdict}" in first.get_attribute("class"), (quote, first.inner_text())
        if verdict == "altered":
            assert first.locator("del").inner_text() == "zeppelins" and first.locator("ins").count() == 1
            screenshot(page, "verify", tmp_path)
        if verdict != "not_found":
            assert said["title"] in first.inner_text() or said["article_id"] in first.inner_text()


def _page_urls(live_url) -> list[str]:
    import httpx

    speaker = httpx.get(f"{live_url}/speakers.json").json()["items"][0]["id"]
    claim = httpx.get(f"{live_url}/claims.json").json()["items"][0]["id"]
    return ["/", "/articles", f"/articles/{SAMPLE_ID}", "/speakers", f"/speakers/{speaker}", "/quotes",
            "/search?q=negotiations", "/claims", f"/claims/{claim}", "/contradictions", "/sourcing",
            "/sourcing?by=article", "/sourcing/gender", f"/speakers/{speaker}?stance=assert&q=the",
            "/verify?q=Russia+had+no+preconditions+for+ending+negotiations"]


def test_phone_width_nothing_overflows(browser, live_url, tmp_path):
    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for url in _page_urls(live_url) + ["/quotes?since=yesterday"]:  # an error page too
            page.goto(url)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
            if url == "/sourcing":
                screenshot(page, "phone-sourcing", tmp_path)
        page.goto("/sourcing")  # the gender table scrolls inside itself, the page does not
        page.locator("table.gender").scroll_into_view_if_needed()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


AXE = ROOT / ".cache" / "axe-core" / "axe.min.js"


def test_no_serious_accessibility_violations(page, live_url):
    """axe-core (npm, installed by scripts/setup-axe) on every page: no serious or critical violation."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/setup-axe (make setup)")
    source = AXE.read_text(encoding="utf-8")
    problems = []
    for url in _page_urls(live_url):
        page.goto(url)
        page.evaluate(source + "\n;undefined")  # evaluated by the driver: the page's CSP does not apply
        found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                                 .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
        problems += [f"{url} {v}" for v in found]
    assert problems == []


def test_hostile_article_renders_as_text(page, live_url):
    import httpx

    page.goto(f"/articles/{XSS_ID}")
    assert page.locator("img").count() == 0
    assert page.locator("h1").inner_text() == xss_article().title
    assert SCRIPT in page.locator("#article-text").inner_text()
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator(".source-url.unsafe").inner_text() == "javascript:alert(3)"
    page.locator("#article-text .hl-cue").first.click()
    speakers = httpx.get(f"{live_url}/speakers.json", params={"q": "Mayor"}).json()["items"]
    for url in [f"/speakers/{s['id']}" for s in speakers] + ["/search?q=bridge", "/claims", "/contradictions",
                                                               "/sourcing?by=article"]:
        page.goto(url)
        assert page.locator("img").count() == 0, url
    assert page.evaluate("() => window.__pwned === undefined")


def test_json_views_and_write_guard_over_http(live_url):
    import httpx

    article = httpx.get(f"{live_url}/articles/{SAMPLE_ID}.json").json()
    assert article["id"] == SAMPLE_ID and article["attributions"]
    body = {"articles": [{"text": "The mayor said the bridge was safe.", "id": "w"}]}
    assert httpx.post(f"{live_url}/api/articles", json=body).status_code == 401
    too_big = httpx.post(f"{live_url}/api/extract", json={"text": "x" * 1_100_000})
    assert too_big.status_code == 413 and "limit" in too_big.json()["detail"]


def test_onrecord_serve_shows_every_page(db):
    """The command itself, in a subprocess, over the store with PolNeAR dev and the sample."""
    import httpx

    from benchmarks.serve import serving

    env = {k: v for k, v in os.environ.items() if k != "ONRECORD_TOKEN"}
    # pages answer in about 0.1 s; the generous timeout is for a shared machine busy with other work
    client = httpx.Client(timeout=30)
    with serving(db, env=env) as base, client:
        speaker = client.get(f"{base}/speakers.json").json()["items"][0]["id"]
        claim = client.get(f"{base}/claims.json").json()["items"][0]["id"]
        article = next(a["id"] for a in client.get(f"{base}/articles.json").json()["items"] if a["id"] != SAMPLE_ID)
        for path in ["/", "/articles", f"/articles/{SAMPLE_ID}", f"/articles/{article}", "/speakers",
                     f"/speakers/{speaker}", "/quotes?stance=deny", "/search?q=Clinton", "/claims", f"/claims/{claim}",
                     "/contradictions", "/sourcing", "/sourcing?by=article", "/sourcing/gender.csv",
                     f"/speakers/{speaker}.atom", "/search.atom?q=Clinton", f"/claims/{claim}.atom",
                     "/openapi.json", "/static/chart.umd.min.js"]:
            response = client.get(base + path)
            assert response.status_code == 200, path
        denied = client.post(f"{base}/api/articles", json={"articles": [{"text": "He said so."}]})
        assert denied.status_code == 403


# --- schemathesis: every JSON route against /openapi.json -------------------------------------------
# The schema is generated at collection from the same app factory and checked against the live
# server's /openapi.json; requests go over HTTP to uvicorn. (schemathesis.pytest.from_fixture
# does not work with pytest 9.2.)

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402


def _openapi() -> dict:
    from onrecord.server import create_app

    return create_app(store=object(), token="").openapi()


api = schemathesis.openapi.from_dict(_openapi())


def test_live_openapi_is_the_tested_one(live_url):
    import httpx

    assert httpx.get(f"{live_url}/openapi.json").json() == api.raw_schema


@api.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, live_url):
    """Valid and invalid requests alike: no 5xx, documented status codes, responses match the schema."""
    case.call_and_validate(base_url=live_url)


def test_load_test_runs_without_errors(live_url):
    from benchmarks.serve import format_report, run_load

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API keeps an event loop in this thread
        figures = pool.submit(run_load, url=live_url, clients=8, duration=1.5).result()
    assert figures["errors"] == 0 and figures["requests"] > 0, figures["error_samples"]
    assert set(figures["endpoints"]) == {"article (JSON)", "article (HTML page)", "search (JSON)"}
    assert "p95 ms" in format_report(figures)


# ---------------------------------------------------------------- search that narrows, tables that fit (issue 25)

BROKEN_WORDS = """() => {
  // words of table cells that the layout split over two lines ("Dona ld", "201 6-03-10")
  const broken = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {  // a run of letters and digits: a word
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def many_url(tmp_path_factory) -> Iterator[str]:
    """A server over 800 canned statements (ten named people, four outlets): more than a page of 500."""
    from onrecord.server import create_app
    from onrecord.link.stored import link_store
    from onrecord.store import open_store

    from .server_data import many_articles

    path = str(tmp_path_factory.mktemp("many") / "onrecord.db")
    with open_store(path) as store:
        store.add_articles(many_articles())
        link_store(store, claims=False)
    with ThreadedServer(create_app(path, token="")) as server:
        yield server.url


def shown_total(page) -> int:
    return int(page.locator("#list-summary").get_attribute("data-total"))


def downloaded_rows(page, link) -> list[dict]:
    import csv

    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fits(page, url: str) -> None:
    """Nothing wider than the screen, and no word of a table cell broken over two lines."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (url, width)
    assert page.evaluate(BROKEN_WORDS) == [], url


@pytest.mark.parametrize("width", [1280, 390])
def test_search_narrow_group_and_download_what_is_shown_on_phone_and_desktop(browser, many_url, width, tmp_path):
    context = browser.new_context(base_url=many_url, viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto("/search?q=bridge")
        total = shown_total(page)
        assert total == 640
        rows = downloaded_rows(page, page.locator("a.download-all"))
        assert len(rows) == total > 500 and all("bridge" in r["content"] for r in rows)
        fits(page, page.url)

        page.select_option("#f-outlet", "Coast News")
        page.select_option("#f-stance", "deny")
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_url("**outlet=Coast+News**")
        narrowed = shown_total(page)
        assert 0 < narrowed < total and page.locator("#results > li.quote").count() == min(narrowed, 50)
        rows = downloaded_rows(page, page.locator("a.download-all"))
        assert len(rows) == narrowed and {(r["outlet"], r["stance"]) for r in rows} == {("Coast News", "deny")}
        if width == 1280:
            screenshot(page, "search-narrowed", tmp_path)

        page.locator("#group-by-speaker").click()
        page.wait_for_url("**group=speaker**")
        groups = page.locator("#groups > li.speaker-group")
        assert groups.count() == shown_total(page) > 0
        assert sum(int(g.split()[0]) for g in groups.locator("h3 .count").all_inner_texts()) == narrowed
        fits(page, page.url)
        if width == 390:
            screenshot(page, "phone-search-grouped", tmp_path)

        for url in ("/speakers", "/speakers?gender=female", "/sourcing", "/sourcing?by=article", "/sourcing/gender",
                    "/claims", "/quotes?q=bridge&sort=speaker", "/articles"):
            page.goto(url)
            fits(page, url)
    finally:
        context.close()


def test_sourcing_gender_chart_and_sortable_headers_pass_axe(browser, many_url, tmp_path):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/setup-axe (make setup)")
    context = browser.new_context(base_url=many_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    source = AXE.read_text(encoding="utf-8")
    problems = []
    try:
        for url in ("/search?q=bridge", "/search?q=bridge&group=speaker", "/quotes?q=bridge&stance=deny",
                    "/speakers?gender=male&sort=-statements", "/sourcing/gender", "/claims?q=bridge"):
            page.goto(url)
            page.evaluate(source + "\n;undefined")
            found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                                     .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
            problems += [f"{url} {v}" for v in found]
            if url == "/sourcing/gender":
                assert page.locator("#gender-trend polyline").count() == 4
                screenshot(page, "gender-trend", tmp_path)
            if url.startswith("/speakers"):
                header = page.locator("th[aria-sort=descending] a.sort")
                assert header.inner_text().endswith("▼")
                assert "underline" in header.evaluate("a => getComputedStyle(a).textDecorationLine")
    finally:
        context.close()
    assert problems == []


@pytest.mark.parametrize("width", [1280, 390])
def test_tables_of_real_articles_keep_their_words_whole_on_phone_and_desktop(browser, live_url, width):
    """PolNeAR's speakers, roles and dates: no cell broken inside a word ("Dona ld Trum p"), no page wider
    than the screen; a table too wide for a phone scrolls inside its own box."""
    context = browser.new_context(base_url=live_url, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for url in _page_urls(live_url) + ["/speakers?sort=-statements", "/sourcing/gender", "/claims?q=Clinton",
                                           "/search?q=Clinton+emails&group=speaker"]:
            page.goto(url)
            fits(page, url)
    finally:
        context.close()
