"""The web app through Starlette's TestClient: pages, JSON, errors, security, writing."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

from fastapi.testclient import TestClient  # noqa: E402

from onrecord.server.app import create_app  # noqa: E402
from onrecord.server.views import highlight  # noqa: E402

from .server_data import SAMPLE, XSS_ID, sample_article, server_articles  # noqa: E402

SAMPLE_ID = "ukrainska-pravda-2022-11-09"
TOKEN = "s3cret-token"


def make_db(folder) -> str:
    """A SQLite store with the sample (its reference attributions) and the hostile article, linked."""
    from onrecord.store import open_store

    path = str(folder / "onrecord.db")
    with open_store(path) as store:
        store.add_articles(server_articles())
        store.link()
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return make_db(tmp_path_factory.mktemp("server"))


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, token="")) as client:
        yield client


@pytest.fixture()
def writer(tmp_path):
    with TestClient(create_app(make_db(tmp_path), token=TOKEN)) as client:
        yield client


def first_speaker(client, name):
    items = client.get("/speakers.json", params={"q": name}).json()["items"]
    return next(s for s in items if s["name"] == name)


def page_urls(client):
    speaker = first_speaker(client, "Andrey Rudenko")
    claim = client.get("/claims.json").json()["items"][0]
    return ["/", "/articles", f"/articles/{SAMPLE_ID}", f"/articles/{XSS_ID}", "/speakers",
            f"/speakers/{speaker['id']}", "/search?q=negotiat", "/search?q=bridge", "/claims",
            f"/claims/{claim['id']}", "/contradictions", "/sourcing", "/sourcing?by=article", "/quotes"]


def test_every_page_renders_html_with_a_csp(client):
    for url in page_urls(client):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html"), url
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"


def test_every_page_is_json_with_the_suffix(client):
    for url in page_urls(client)[1:]:
        path, _, query = url.partition("?")
        response = client.get(f"{path}.json" + (f"?{query}" if query else ""))
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "application/json", url


def test_article_json_is_the_contract(client):
    data = client.get(f"/articles/{SAMPLE_ID}.json").json()
    assert data == sample_article().to_dict(with_text=True)
    assert data["text"] == SAMPLE.read_text(encoding="utf-8")


def test_article_page_highlights_source_cue_and_content(client):
    html = client.get(f"/articles/{SAMPLE_ID}").text
    assert re.search(r'<span class="hl-source[^"]*" data-a="\d+" title="[^"]*">a government source</span>', html)
    assert re.search(r'<span class="hl-cue stance-deny" data-a="\d+"[^>]*>deny</span>', html)
    assert 'class="hl-content' in html and 'class="hl-boilerplate">Support Us</span>' in html
    assert html.count('class="card ') == len(sample_article().attributions)
    assert "Andrey Rudenko" in html and "Deputy Minister of Foreign Affairs of Russia" in html


def test_highlight_keeps_the_text_and_prefers_the_innermost_attribution():
    article = sample_article()
    segments = highlight(article)
    assert "".join(s.text for s in segments) == article.text
    nested = next(i for i, a in enumerate(article.attributions) if a.nested_in is not None)
    cue = article.attributions[nested].cue
    covering = [s for s in segments if s.attr == nested and "hl-cue" in s.classes]
    assert "".join(s.text for s in covering) == cue.text


def test_hostile_article_renders_as_text_everywhere(client):
    for url in page_urls(client):
        html = client.get(url).text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert not re.search(r"""href=["']?\s*javascript:""", html, re.I), url
    html = client.get(f"/articles/{XSS_ID}").text
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html
    assert '<span class="source-url unsafe">javascript:alert(3)</span>' in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_hostile_data_in_json_blocks_cannot_close_the_script(client):
    items = client.get("/speakers.json", params={"q": 'Mayor "><img'}).json()["items"]
    speaker = next(s for s in items if s["name"].startswith('Mayor "><img src=x'))
    html = client.get(f"/speakers/{speaker['id']}").text
    blocks = re.findall(r'<script type="application/json" id="timeline-data">(.*?)</script>', html, re.S)
    assert len(blocks) == 1 and "<" not in blocks[0]


def test_search_finds_statements_and_articles(client):
    data = client.get("/search.json", params={"q": "negotiate"}).json()
    assert data["items"] and all("negotiat" in json.dumps(q["attribution"]["content"]).lower() for q in data["items"])
    assert data["articles"][0]["id"] == SAMPLE_ID


def test_speaker_page_has_statements_and_a_timeline(client):
    speaker = first_speaker(client, "Andrey Rudenko")
    data = client.get(f"/speakers/{speaker['id']}.json").json()
    assert data["speaker"]["name"] == "Andrey Rudenko"
    assert {q["article_id"] for q in data["statements"]} == {SAMPLE_ID}
    assert data["timeline"] == [{"date": "2022-11-08", "stances": {"assert": len(data["statements"])}}]
    assert 'id="timeline-chart"' in client.get(f"/speakers/{speaker['id']}").text


def test_claim_page_puts_asserting_and_denying_side_by_side(client):
    claim = next(c for c in client.get("/claims.json").json()["items"] if "deny" in c["stances"])
    data = client.get(f"/claims/{claim['id']}.json").json()
    assert {q["attribution"]["stance"] for q in data["denying"]} == {"deny"}
    assert data["asserting"] and "deny" not in {q["attribution"]["stance"] for q in data["asserting"]}
    html = client.get(f"/claims/{claim['id']}").text
    assert '<section class="asserting">' in html and '<section class="denying">' in html
    assert client.get("/contradictions.json").json()["items"][0]["claim_id"] == claim["id"]


def test_sourcing_splits_named_anonymous_media(client):
    rows = client.get("/sourcing.json").json()["rows"]
    row = next(r for r in rows if r["key"] == "Ukrainska Pravda")
    assert row["anonymous"] > 0 and row["media"] > 0 and row["named"] > 0
    assert row["total"] == row["named"] + row["anonymous"] + row["media"] + row["other"]


def test_pagination_links_the_next_page(client):
    first = client.get("/quotes.json", params={"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next"] == "/quotes.json?limit=3&offset=3"
    second = client.get(first["next"]).json()
    assert second["items"] != first["items"]


def test_unknown_things_are_404_in_json_and_html(client):
    assert client.get("/articles/nope.json").status_code == 404
    assert client.get("/articles/nope.json").json() == {"detail": "no such article"}
    response = client.get("/speakers/999999")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert client.get("/claims/424242.json").status_code == 404
    assert client.get("/no/such/page").status_code == 404


def test_bad_parameters_are_422(client):
    assert client.get("/articles.json", params={"limit": 0}).status_code == 422
    assert client.get("/quotes.json", params={"stance": "shout"}).status_code == 422
    assert client.get("/speakers/abc.json").status_code == 422
    assert client.get("/search.json").status_code == 422
    html = client.get("/quotes", params={"since": "yesterday"})
    assert html.status_code == 422 and "since" in html.text


def test_errors_never_show_a_traceback(db, monkeypatch):
    from onrecord.store import open_store

    store = open_store(db)
    monkeypatch.setattr(store, "list_claims", lambda **kw: 1 / 0)
    with TestClient(create_app(store=store, token=""), raise_server_exceptions=False) as client:
        for url in ("/claims", "/claims.json"):
            response = client.get(url)
            assert response.status_code == 500
            assert "Traceback" not in response.text and "ZeroDivision" not in response.text
            assert "content-security-policy" in response.headers


def test_openapi_describes_the_json_routes(client):
    spec = client.get("/openapi.json").json()
    assert {"/articles.json", "/articles/{article_id}.json", "/speakers/{speaker_id}.json", "/search.json",
            "/claims.json", "/contradictions.json", "/sourcing.json", "/api/extract", "/api/articles"} <= set(spec["paths"])
    assert "/articles" not in spec["paths"]


def test_writing_is_refused_without_a_token(client, writer):
    body = {"articles": [{"text": "The minister said it was fine."}]}
    response = client.post("/api/articles", json=body)
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert writer.post("/api/articles", json=body).status_code == 401
    assert writer.post("/api/articles", json={"bad": 1}).status_code == 401
    response = writer.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/articles").status_code == 405


def test_bodies_over_the_limit_are_413(db):
    with TestClient(create_app(db, token="", max_body_bytes=1000)) as client:
        response = client.post("/api/extract", json={"text": "x" * 2000})
        assert response.status_code == 413 and "limit" in response.json()["detail"]

        def chunks():
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 500
            yield b'"}'
        response = client.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413


def test_extract_rejects_bad_input_with_422(client):
    assert client.post("/api/extract", json={"txt": "hello"}).status_code == 422
    assert client.post("/api/extract", content=b"not json", headers={"content-type": "application/json"}).status_code == 422


def test_extract_refuses_articles_over_the_extraction_limit(db):
    from onrecord.config import Settings

    with TestClient(create_app(db, token="", settings=Settings(max_bytes=100))) as client:
        response = client.post("/api/extract", json={"text": "word " * 100})
        assert response.status_code == 413 and "limit" in response.json()["detail"]


@pytest.mark.slow
def test_extract_returns_the_contract(client):
    text = SAMPLE.read_text(encoding="utf-8")
    response = client.post("/api/extract", json={"text": text, "id": "up"})
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == "up" and data["text"] == text
    assert any(a["speaker"]["name"] == "Andrey Rudenko" for a in data["attributions"])
    html = "<html><head><title>T</title></head><body><article><p>" + "The minister said that talks failed. " * 5
    assert client.post("/api/extract", json={"text": html + "</p></article></body></html>"}).status_code == 200


@pytest.mark.slow
def test_writing_with_the_token_adds_articles(writer):
    body = {"articles": [{"text": "The mayor said on Tuesday that the bridge would reopen.", "id": "bridge",
                          "published": "2022-11-10", "outlet": "Local News"}]}
    response = writer.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.json() == {"added": 1, "updated": 0, "skipped": 0, "failed": 0, "ids": ["bridge"],
                               "items": [{"id": "bridge", "status": "added", "code": 201, "error": None}]}
    article = writer.get("/articles/bridge.json").json()
    assert article["outlet"] == "Local News" and article["attributions"]
    # one good article and one with a NUL in its text: 207, each reported, the good one stored
    body = {"articles": [{"text": "The harbour master said the pier would stay shut.", "id": "pier"},
                         {"text": "The ferry\u0000 was late, the captain said.", "id": "ferry"}]}
    response = writer.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 207
    items = {i["id"]: i for i in response.json()["items"]}
    assert items["pier"]["status"] == "added" and (items["articles[1]"]["status"], items["articles[1]"]["code"]) == (
        "failed", 422)
    assert writer.get("/articles/pier.json").status_code == 200 and writer.get("/articles/ferry.json").status_code == 404


def test_writing_refuses_bad_strings_with_a_422_per_article(writer):
    """Issue 11, item 2: an article with a NUL answered 200 with its id, then 404."""
    body = {"articles": [{"text": "The ferry\u0000 was late, the captain said.", "id": "ferry"},
                         {"text": "The captain said the ferry \ud800 was late.", "id": "surrogate"}]}
    response = writer.post("/api/articles", content=json.dumps(body).encode("ascii"),  # "\ud800" escaped in JSON
                           headers={"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"})
    assert response.status_code == 207
    data = response.json()
    assert data["failed"] == 2 and data["ids"] == [] and [i["code"] for i in data["items"]] == [422, 422]
    assert "NUL" in data["items"][0]["error"] and "surrogate" in data["items"][1]["error"]
    assert writer.get("/articles/ferry.json").status_code == 404


# ---------------------------------------------------------------- hostile requests (issue 11, items 8 and 9)

@pytest.fixture()
def any_backend(db_url):
    """The app over an empty store on SQLite and on PostgreSQL."""
    with TestClient(create_app(db_url, token=""), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize("url, status", [
    (f"/speakers/{2**31}.json", 404), (f"/speakers/{2**63}", 404), ("/speakers/99999999999999999999999.json", 404),
    (f"/claims/{2**31}.json", 404), (f"/claims/{2**40}", 404),
    (f"/quotes.json?speaker_id={2**31}", 422), ("/articles/a%00b.json", 404), ("/articles/%00", 404),
    ("/articles.json?q=a%00b", 422), ("/search.json?q=%00", 422), ("/quotes.json?speaker=x%00", 422),
    ("/articles.json?outlet=%00", 422),
])
def test_out_of_range_ids_and_nul_bytes_are_not_server_errors(any_backend, url, status):
    assert any_backend.get(url).status_code == status


def test_an_infinite_number_in_a_body_is_a_422(client):
    response = client.post("/api/extract", content=b'{"text": "He said so.", "published": 1e999}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "published"] and problem["input"] == "inf"


def test_a_lone_surrogate_in_a_body_is_a_422(client):
    response = client.post("/api/extract", content=b'{"text": "He said \\ud800 so.", "id": "a\\udc00"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert {p["input"] for p in response.json()["detail"]} <= {"He said \ufffd so.", "a\ufffd"}


def test_a_body_that_stops_coming_gets_408(db):
    import asyncio

    import httpx

    app = create_app(db, token="", body_timeout=0.2)

    async def scenario():
        async def stalled():
            yield b'{"text": "He said'
            await asyncio.sleep(5)  # announced more, never sends it
            yield b' so."}'

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.post("/api/extract", content=stalled(), headers={"content-type": "application/json"})

    response = asyncio.run(asyncio.wait_for(scenario(), 4))
    assert response.status_code == 408 and "not received within 0.2 s" in response.json()["detail"]


def test_extraction_runs_in_a_bounded_pool_with_a_time_limit(db):
    import asyncio
    import threading

    from onrecord.server.app import Backend
    from starlette.exceptions import HTTPException

    gate = threading.Event()

    async def busy_then_served(backend):
        slow = asyncio.ensure_future(backend.extract(gate.wait, 5))  # holds the only thread
        queued = asyncio.ensure_future(backend.extract(lambda: "queued"))
        await asyncio.sleep(0.05)
        with pytest.raises(HTTPException) as busy:  # the thread and the one queue place are taken
            await backend.extract(lambda: "third")
        assert busy.value.status_code == 503 and busy.value.headers["Retry-After"] == "5"
        gate.set()
        assert await slow is True and await queued == "queued"

    async def too_late(backend):
        gate.clear()
        with pytest.raises(HTTPException) as late:
            await backend.extract(gate.wait, 5)
        assert late.value.status_code == 503 and "longer than 0.2 s" in late.value.detail
        gate.set()
        assert await backend.extract(lambda: "next") == "next"  # the place is given back

    for scenario, timeout in ((busy_then_served, 5.0), (too_late, 0.2)):
        backend = Backend(db, extract_threads=1, extract_queue=1, extract_timeout=timeout)
        try:
            asyncio.run(scenario(backend))
        finally:
            gate.set()
            backend.close()
