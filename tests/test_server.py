"""The web app through Starlette's TestClient: pages, JSON, errors, security, writing."""

from __future__ import annotations

import json
import time
import re

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

from fastapi.testclient import TestClient  # noqa: E402

from onrecord.server.app import create_app  # noqa: E402
from onrecord.link.stored import link_store  # noqa: E402
from onrecord.models import Article  # noqa: E402
from onrecord.server import schemas  # noqa: E402
from onrecord.server.highlight import highlight  # noqa: E402

from .server_data import SAMPLE, XSS_ID, sample_article, server_articles  # noqa: E402

SAMPLE_ID = "ukrainska-pravda-2022-11-09"
TOKEN = "s3cret-token"


def make_db(folder) -> str:
    """A SQLite store with the sample (its reference attributions) and the hostile article, linked."""
    from onrecord.store import open_store

    path = str(folder / "onrecord.db")
    with open_store(path) as store:
        store.add_articles(server_articles())
        link_store(store)
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
    assert row["total"] == sum(row["counts"].values())
    assert set(row["counts"]) == {"person", "organization", "media", "group", "anonymous", "unknown"}


def test_groups_are_not_named_and_every_cell_drills_down(client):
    rows = client.get("/sourcing.json").json()["rows"]
    evil = next(r for r in rows if r["key"] and r["key"].startswith("Evil"))
    assert evil["counts"]["group"] == 1 and evil["named"] == 1  # "The engineers" is a group, not named
    html = client.get("/sourcing").text
    assert "an unnamed plural of people" in html and "small sample" in html
    links = re.findall(r'href="(/quotes\?outlet=[^"&]+&amp;speaker_type=anonymous)"', html)
    assert links
    drilled = client.get(links[0].replace("&amp;", "&").replace("/quotes", "/quotes.json")).json()["items"]
    row = next(r for r in rows if r["counts"]["anonymous"] and f"outlet={r['key']}".replace(" ", "%20") in links[0])
    assert len(drilled) == row["counts"]["anonymous"] and {q["attribution"]["speaker"]["type"] for q in drilled} == {"anonymous"}


def test_sourcing_by_article_lists_every_article_by_title_with_drill_down(client):
    data = client.get("/sourcing.json", params={"by": "article"}).json()
    assert len(data["rows"]) == 2 and all(r["label"] for r in data["rows"])
    html = client.get("/sourcing", params={"by": "article"}).text
    assert "Ukraine is not being pushed" in html
    sample = next(r for r in data["rows"] if r["key"] == SAMPLE_ID)
    media = client.get("/quotes.json", params={"article": SAMPLE_ID, "speaker_type": "media"}).json()["items"]
    assert len(media) == sample["counts"]["media"] and {q["article_id"] for q in media} == {SAMPLE_ID}


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


def test_bad_parameters_are_refused(client):
    assert client.get("/articles.json", params={"limit": 0}).status_code == 422
    assert client.get("/quotes.json", params={"stance": "shout"}).status_code == 422
    assert client.get("/speakers/abc.json").status_code == 422
    html = client.get("/quotes", params={"since": "yesterday"})
    assert html.status_code == 422 and "2022-11-09" in html.text


def test_a_parameter_given_twice_is_refused(client):
    # taking the first or the last of several values would page or filter silently wrong
    response = client.get("/contradictions.json?offset=%5B%7B%7D%5D&offset=0.0&limit=1")
    assert response.status_code == 400 and "'offset' is given more than once" in response.json()["detail"]
    page = client.get("/quotes?q=mayor&q=bridge")
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]
    assert client.get("/quotes.json?q=mayor&limit=5").status_code == 200


def test_empty_filters_mean_no_filter(client):
    # what a form sends when "any type" is chosen, and Enter in an empty search box
    html = client.get("/speakers", params={"q": "Rudenko", "type": ""})
    assert html.status_code == 200 and "Andrey Rudenko" in html.text
    assert client.get("/search", params={"q": ""}).status_code == 200
    assert client.get("/search.json", params={"q": ""}).json()["items"] == []
    everything = client.get("/quotes.json").json()["items"]
    empty = {k: "" for k in ("speaker", "speaker_type", "stance", "outlet", "since", "until")}
    assert client.get("/quotes.json", params=empty).json()["items"] == everything
    assert client.get("/articles", params={"q": "", "outlet": ""}).status_code == 200


def test_bad_filter_values_get_a_sentence_not_validator_text(client):
    for url, params, words in [("/speakers", {"type": "alien"}, "not a speaker type"),
                               ("/quotes", {"stance": "shout"}, "not a stance"),
                               ("/quotes", {"since": "2022-13-45"}, "not a date"),
                               ("/quotes", {"sort": "colour"}, "cannot be sorted by"),
                               ("/articles", {"limit": "many"}, "whole number")]:
        html = client.get(url, params=params)
        assert html.status_code in (400, 422), url
        assert words in html.text, (url, params)
        for validator_text in ("String should match", "Input should be", "literal_error", "pattern"):
            assert validator_text not in html.text, (url, params)


def test_article_speakers_link_to_their_page_by_id(client):
    html = client.get(f"/articles/{SAMPLE_ID}").text
    assert "/speakers?q=" not in html
    ids = set(re.findall(r'class="speaker" href="/speakers/(\d+)"', html))
    assert ids
    names = {client.get(f"/speakers/{i}.json").json()["speaker"]["name"] for i in ids}
    assert "Andrey Rudenko" in names


def test_navigation_links_every_list_and_marks_the_current_page(client):
    html = client.get("/quotes").text
    for href in ("/articles", "/speakers", "/quotes", "/claims", "/sourcing", "/verify"):
        assert f'href="{href}"' in html
    assert '<a href="/quotes" aria-current="page">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    # the statement filters are labelled controls
    for name in ("speaker", "speaker_type", "stance", "outlet", "since", "until"):
        control = re.search(rf'id="(f-[a-z]+)"[^>]* name="{name}"', html)
        assert control and f'for="{control.group(1)}"' in html, name


def test_articles_box_says_what_it_matches(client):
    html = client.get("/articles").text
    assert "Title or id contains" in html and "Title or text" not in html


def test_errors_never_show_a_traceback(db, monkeypatch):
    from onrecord.store import open_store

    store = open_store(db)
    monkeypatch.setattr(store, "get_claims", lambda *a, **kw: 1 / 0)
    with TestClient(create_app(store=store, token=""), raise_server_exceptions=False) as client:
        for url in ("/claims", "/claims.json"):
            response = client.get(url)
            assert response.status_code == 500
            assert "Traceback" not in response.text and "ZeroDivision" not in response.text
            assert "content-security-policy" in response.headers


def test_a_database_that_cannot_be_reached_is_503_with_a_sentence(monkeypatch, caplog):
    pytest.importorskip("psycopg")
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the socket is: nobody listens there
    url = f"postgresql://onrecord:pg-s3cret@127.0.0.1:{port}/news"
    monkeypatch.setattr("onrecord.server.api._extract", lambda item, settings: Article(id="a", text=item.text))
    with TestClient(create_app(url, token=TOKEN), raise_server_exceptions=False) as client:
        for response in (client.get("/articles.json"), client.get("/speakers/1.json"),
                         client.get("/sourcing/gender.json"), client.get("/speakers/1.json?q=peace&stance=deny"),
                         client.post("/api/articles", json={"articles": [{"text": "Nobody said anything."}]},
                                     headers={"Authorization": f"Bearer {TOKEN}"})):
            assert response.status_code == 503 and response.headers["retry-after"] == "30"
            assert response.json() == {"detail": "the database is unavailable: try again shortly"}
        page = client.get("/articles")
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
        assert "try again shortly" in page.text and "Traceback" not in page.text
        for feed in ("/speakers/1.atom", "/claims/1.atom", "/search.atom?q=peace"):
            response = client.get(feed)
            assert response.status_code == 503 and response.headers["retry-after"] == "30", feed
            assert "try again shortly" in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if r.name == "onrecord.server.app"]
    assert logged and all("postgresql://onrecord:***@127.0.0.1" in r.getMessage() for r in logged)
    assert not any("pg-s3cret" in r.getMessage() or r.exc_info for r in logged)  # one line each, no password


def test_a_broken_database_is_a_500_with_json_not_a_traceback(tmp_path):
    import sqlite3

    path = make_db(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE speaker_aliases")
    with TestClient(create_app(path, token=""), raise_server_exceptions=False) as client:
        response = client.get("/speakers.json")
        assert response.status_code == 500
        assert response.json() == {"detail": "the store could not answer this request (logged on the server)"}
        page = client.get("/speakers")
        assert page.status_code == 500 and "Traceback" not in page.text and path not in page.text
        assert client.get(f"/articles/{SAMPLE_ID}.json").status_code == 200  # the rest still answers


def test_openapi_describes_the_json_routes(client):
    spec = client.get("/openapi.json").json()
    assert {"/articles.json", "/articles/{article_id}.json", "/speakers/{speaker_id}.json", "/search.json",
            "/claims.json", "/contradictions.json", "/sourcing.json", "/api/extract", "/api/articles"} <= set(spec["paths"])
    assert "/articles" not in spec["paths"]


def test_docs_page_and_bearer_scheme(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower() and "/openapi.json" in docs.text
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    (name, scheme), = schemes.items()
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert spec["paths"]["/api/articles"]["post"]["security"] == [{name: []}]
    assert "security" not in spec["paths"]["/api/extract"]["post"]
    assert "security" not in spec["paths"]["/articles.json"]["get"]


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
    assert response.status_code == 202  # stored; linked after, in the background
    assert response.json() == {"added": 1, "updated": 0, "skipped": 0, "failed": 0, "ids": ["bridge"],
                               "items": [{"id": "bridge", "status": "added", "code": 201, "error": None},
                                         ], "linking": "/api/linking"}
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


def test_claim_sides_never_file_a_negated_statement_as_asserting():
    from types import SimpleNamespace as Q

    from onrecord.link.sides import claim_sides

    def member(content: str, stance: str) -> Q:  # a stored statement: its attribution carries content and stance
        return Q(attribution=Q(content_text=content, stance=stance))

    members = [member("the talks will resume in Geneva next week", "assert"),
               member("that the talks will not resume in Geneva next week", "assert"),
               member("that the talks will resume in Geneva", "deny"),
               member("the talks will resume in Geneva next week, probably", "believe"),
               member("talks will resume in Geneva next week", "assert")]
    sides = claim_sides(members)
    assert sides.label == "the talks will resume in Geneva next week"
    assert sides.denying == (members[1], members[2])
    assert members[3] in sides.believing and members[4] in sides.asserting
    assert not [m for m in sides.asserting if " not " in m.attribution.content_text]


def test_claim_sides_read_the_nested_attribution_of_the_api_schema():
    from onrecord.server.schemas import QuoteOut
    from onrecord.link.sides import claim_sides

    def quote(index: int, content: str, stance: str) -> QuoteOut:
        span = {"start": 0, "end": len(content), "text": content}
        return QuoteOut.model_validate({
            "article_id": "a", "index": index, "speaker_id": None, "speaker_name": None, "published": None,
            "outlet": None, "title": None, "claim_id": 1,
            "attribution": {"source": None, "cue": {"start": 0, "end": 4, "text": "said"}, "content": span,
                            "kind": "indirect", "stance": stance, "speaker": {}, "statement_date": None,
                            "nested_in": None}})
    members = [quote(0, "the bridge will reopen in May", "assert"), quote(1, "the bridge will reopen in May", "deny"),
               quote(2, "the bridge will not reopen in May", "assert")]
    sides = claim_sides(members)
    assert sides.label == "the bridge will reopen in May"
    assert sides.asserting == (members[0],) and sides.denying == (members[1], members[2])


def test_claim_page_names_the_claim_and_contradictions_say_what_was_compared(client):
    claim = client.get("/claims.json").json()["items"][0]
    detail = client.get(f"/claims/{claim['id']}.json").json()
    assert detail["label"] and detail["representative"]["attribution"]["content"]
    html = client.get(f"/claims/{claim['id']}").text
    assert "Who asserts it" in html and "Who denies or contradicts it" in html
    page = client.get("/contradictions").text
    assert "What is compared" in page and "same subject" in page


def test_lists_have_totals_facets_and_downloads_with_the_same_filters(client):
    everything = client.get("/quotes.json", params={"limit": 500}).json()
    assert everything["total"] == len(everything["items"])
    deny = client.get("/quotes.json", params={"stance": "deny", "limit": 1}).json()
    assert deny["total"] == sum(q["attribution"]["stance"] == "deny" for q in everything["items"])
    assert len(deny["items"]) == 1
    stances = dict(deny["facets"]["stance"])  # a facet ignores its own filter
    assert stances["deny"] == deny["total"] and sum(stances.values()) == everything["total"]
    outlets = dict(deny["facets"]["outlet"])
    assert sum(outlets.values()) == deny["total"]
    csv_text = client.get("/quotes.csv", params={"stance": "deny"})
    assert csv_text.headers["content-type"].startswith("text/csv")
    lines = csv_text.text.strip().splitlines()
    assert lines[0].startswith("article_id,") and len(lines) == 1 + deny["total"]
    # flat columns, as `onrecord export --format csv`: the content's words, not the attribution as JSON
    import csv
    import io

    from onrecord.store.export import COLUMNS

    rows = list(csv.DictReader(io.StringIO(csv_text.text)))
    assert tuple(rows[0]) == COLUMNS and {r["stance"] for r in rows} == {"deny"}
    assert all(r["content"] and not r["content"].startswith("{") for r in rows)
    html = client.get("/quotes", params={"stance": "deny"}).text
    assert f"<strong class=\"total\">{deny['total']}</strong> statements" in html
    assert 'href="/quotes.csv?stance=deny"' in html and 'href="/quotes.json?stance=deny"' in html
    speakers = client.get("/speakers.json", params={"type": "person"}).json()
    assert speakers["total"] == dict(speakers["facets"]["type"])["person"]
    assert client.get("/speakers.csv").status_code == 200
    nothing = client.get("/quotes.csv", params={"outlet": "no such outlet"}).text  # a header, no rows
    assert nothing.strip() == ",".join(COLUMNS)
    articles = client.get("/articles.json").json()
    assert articles["total"] == 2 and client.get("/articles.csv").text.count("\n") == 3
    month = client.get("/quotes.json", params={"until": "2022-11"}).json()
    assert month["total"] == everything["total"]  # "to 2022-11" includes the end of November


def test_columns_sort_both_ways_and_bad_sorts_get_a_sentence(client):
    names = [s["name"] for s in client.get("/speakers.json", params={"sort": "name", "limit": 500}).json()["items"]]
    assert names == sorted(names)
    counts = [s["n_statements"] for s in client.get("/speakers.json", params={"sort": "-statements"}).json()["items"]]
    assert counts == sorted(counts, reverse=True)
    dates = [q["attribution"]["statement_date"] or q["published"] for q in
             client.get("/quotes.json", params={"sort": "speaker"}).json()["items"]]
    assert len(dates) == client.get("/quotes.json").json()["total"]
    html = client.get("/speakers", params={"sort": "name", "type": ""}).text
    assert 'aria-sort="ascending"' in html and "sort=-name" in html
    titles = [a["title"] for a in client.get("/articles.json", params={"sort": "-title"}).json()["items"]]
    assert titles == sorted(titles, reverse=True)
    bad = client.get("/quotes", params={"sort": "colour"})
    assert bad.status_code == 422 and "cannot be sorted by" in bad.text
    backwards = client.get("/quotes", params={"since": "2022-12", "until": "2022-11"})
    assert backwards.status_code == 200 and "comes after" in backwards.text


# ---------------------------------------------------------------- gender, the speaker page (issue 13)

@pytest.fixture(scope="module")
def gendered(tmp_path_factory):
    """The app over the sample, the hostile article and articles whose speakers carry genders, linked."""
    from onrecord.store import open_store

    from .store_articles import GENDERED

    path = str(tmp_path_factory.mktemp("gendered") / "onrecord.db")
    with open_store(path) as store:
        store.add_articles(server_articles() + GENDERED)
        link_store(store)
    with TestClient(create_app(path, token="")) as client:
        yield client


def test_speakers_carry_their_gender_in_json_and_on_their_page(gendered):
    roe = first_speaker(gendered, "Jane Roe")
    assert roe["gender"] == "female" and first_speaker(gendered, "Alex Poe")["gender"] == "unknown"
    detail = gendered.get(f"/speakers/{roe['id']}.json").json()
    assert detail["speaker"]["gender"] == "female" and detail["gender_evidence"] == {"female": 3, "unknown": 1}
    html = gendered.get(f"/speakers/{roe['id']}").text
    assert 'Gender: <span class="gender">female</span>' in html and "female: 3, male: 0, none: 1" in html
    poe = first_speaker(gendered, "Alex Poe")["id"]
    assert "female: 1, male: 1, none: 0: they conflict" in gendered.get(f"/speakers/{poe}").text


def test_gender_table_counts_named_people_per_outlet_and_each_share_drills_down(gendered):
    data = gendered.get("/sourcing/gender.json").json()
    harbour = next(r for r in data["items"] if r["outlet"] == "Harbour Times")
    # Jane Roe twice (g-1; g-2, where "Roe" is her too: once per article), John Doe; Alex Poe twice, Sam Loe
    assert (harbour["sources"], harbour["women"], harbour["men"], harbour["unknown"]) == (6, 2, 1, 3)
    assert harbour["share_women"] == pytest.approx(2 / 6, abs=1e-4) and harbour["share_women_of_known"] == pytest.approx(2 / 3, abs=1e-4)
    assert data["all"]["sources"] == sum(r["sources"] for r in data["items"]) and "Gender Gap Tracker" in data["definition"]
    html = gendered.get("/sourcing").text
    assert "Women among named people, per outlet" in html and "once per article" in html
    links = re.findall(r'href="(/quotes\?outlet=Harbour%20Times&amp;gender=(\w+))"', html)
    assert {g for _, g in links} == {"female", "male", "unknown"}
    for link, gender in links:  # every share links to the statements of those people
        drilled = gendered.get(link.replace("&amp;", "&").replace("/quotes", "/quotes.json")).json()
        assert drilled["total"] == harbour[f"{ {'female': 'women', 'male': 'men'}.get(gender, gender) }_statements"]
        assert {q["outlet"] for q in drilled["items"]} == {"Harbour Times"}
    women = gendered.get("/quotes.json", params={"gender": "female", "outlet": "Harbour Times"}).json()["items"]
    assert {q["speaker_name"] for q in women} == {"Jane Roe"} and len(women) == 3  # "Roe" included
    assert dict(gendered.get("/quotes.json").json()["facets"]["gender"])["female"] == 4
    assert 'id="f-gender"' in gendered.get("/quotes").text and 'for="f-gender"' in gendered.get("/quotes").text


def test_gender_table_downloads_and_date_filters_keep_to_the_page(gendered):
    import csv
    import io

    november = {"since": "2022-11", "until": "2022-11"}
    data = gendered.get("/sourcing/gender.json", params=november).json()
    assert "Coast News" not in {r["outlet"] for r in data["items"]}  # its article is from December
    rows = list(csv.DictReader(io.StringIO(gendered.get("/sourcing/gender.csv", params=november).text)))
    assert [r["outlet"] for r in rows] == [r["outlet"] for r in data["items"]]
    assert {"women", "men", "unknown", "share_women", "sources"} <= set(rows[0])
    html = gendered.get("/sourcing", params=november).text
    assert 'href="/sourcing/gender.csv?since=2022-11&amp;until=2022-11-31"' in html
    assert 'gender=female&amp;since=2022-11&amp;until=2022-11-31"' in html  # the drill-down keeps the dates
    assert gendered.get("/sourcing.json", params=november).json()["total"] < gendered.get("/sourcing.json").json()["total"]
    page = gendered.get("/sourcing/gender", params={"since": "", "until": ""})
    assert page.status_code == 200 and "Harbour Times" in page.text
    assert "not a date" in gendered.get("/sourcing/gender", params={"since": "soon"}).text
    assert "Women among named people" not in gendered.get("/sourcing", params={"by": "article"}).text


def test_timeline_is_a_time_axis_with_empty_days_kept():
    from onrecord.server.charts import timeline

    points, unit = timeline([("2022-11-01", "assert", 2), ("2022-11-04", "deny", 1), ("2022-11-04", "assert", 1)])
    assert unit == "day" and [p.date for p in points] == ["2022-11-01", "2022-11-02", "2022-11-03", "2022-11-04"]
    assert [p.stances for p in points] == [{"assert": 2}, {}, {}, {"deny": 1, "assert": 1}]
    points, unit = timeline([("2021-12-30", "assert", 1), ("2022-06-02", "assert", 1), ("2022-06", "deny", 1)])
    assert unit == "month" and len(points) == 7 and points[-1].stances == {"assert": 1, "deny": 1}
    points, unit = timeline([("2010-05-01", "assert", 1), ("2022-02-31", "assert", 1), ("not a date", "x", 1)])
    assert unit == "year" and [p.date for p in points][::4] == ["2010", "2014", "2018", "2022"]
    assert timeline([]) == ([], "day")


def test_speaker_page_filters_and_groups_statements_by_claim(gendered):
    roe = first_speaker(gendered, "Jane Roe")
    data = gendered.get(f"/speakers/{roe['id']}.json").json()
    assert data["total"] == 4 and data["timeline_unit"] == "day"
    assert (data["timeline"][0]["date"], data["timeline"][-1]["date"], len(data["timeline"])) == ("2022-11-01", "2022-12-20", 50)
    [claim] = data["claims"]
    assert claim["label"].startswith("the harbour would reopen")
    html = gendered.get(f"/speakers/{roe['id']}").text
    heading = f'<h3>Claim: <a href="/claims/{claim["id"]}">'
    assert heading in html and "Statements in no claim" in html
    assert html.index(heading) < html.index("Statements in no claim")
    grouped = html[html.index(heading):html.index("Statements in no claim")]
    assert grouped.count('class="quote ') == 2
    chart = json.loads(re.search(r'id="timeline-data">(.*?)</script>', html, re.S).group(1))
    assert chart["unit"] == "day" and len(chart["points"]) == 50
    for params, total in [({"stance": "deny"}, 1), ({"q": "harbour"}, 3), ({"q": "harbour", "stance": "assert"}, 2),
                          ({"since": "2022-12"}, 1), ({"until": "2022-11"}, 3), ({"q": "zeppelin"}, 0),
                          ({"q": "", "stance": "", "since": "", "until": ""}, 4)]:
        filtered = gendered.get(f"/speakers/{roe['id']}.json", params=params).json()
        assert filtered["total"] == len(filtered["statements"]) == total, params
        assert sum(sum(p["stances"].values()) for p in filtered["timeline"]) == total, params
    page = gendered.get(f"/speakers/{roe['id']}", params={"stance": "deny"}).text
    for name in ("q", "stance", "since", "until"):  # labelled controls
        control = re.search(rf'id="(f-[a-z]+)"[^>]* name="{name}"', page)
        assert control and f'for="{control.group(1)}"' in page, name
    assert "not a stance" in gendered.get(f"/speakers/{roe['id']}", params={"stance": "shout"}).text


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
    ("/articles.json?outlet=%00", 422), ("/speakers.json?q=%00", 422), ("/quotes.json?article=a%00", 422),
    ("/verify.json?q=%00", 422), (f"/speakers/{2**62 + 1}.json", 404), (f"/claims/{2**63}", 404),
    ("/articles/a%00b", 404),
])
def test_out_of_range_ids_and_nul_bytes_are_not_server_errors(any_backend, url, status):
    assert any_backend.get(url).status_code == status


def test_html_pages_say_a_nul_is_refused_in_a_sentence(any_backend):
    """The human sentences of the HTML 422 page (issue 13) also cover the NUL refusal (issue 11)."""
    for url in ("/search?q=a%00b", "/quotes?outlet=%00&stance=", "/speakers?q=x%00"):
        response = any_backend.get(url)
        assert response.status_code == 422 and "NUL character" in response.text
        assert "String should match pattern" not in response.text


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
    assert response.status_code == 408 and "within 0.2 s" in response.json()["detail"]


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


def test_reads_go_on_while_writes_wait_for_the_store(writer, monkeypatch):
    """Writes queue in a writer thread of their own: with 6 writes stuck in the store, pages still
    answer (they used to share the 4 store threads, and 4 waiting writers starved every reader)."""
    import importlib
    import threading

    from onrecord.models import Article

    ingest_module = importlib.import_module("onrecord.store.ingest")  # the package re-exports the function

    release, entered = threading.Event(), threading.Event()
    real_ingest = ingest_module.ingest

    def stuck_ingest(store, inputs, **kwargs):
        entered.set()
        release.wait(60)
        return real_ingest(store, inputs, **kwargs)

    monkeypatch.setattr(ingest_module, "ingest", stuck_ingest)
    monkeypatch.setattr("onrecord.server.api._extract", lambda item, settings: Article(id=item.id, text=item.text))
    headers = {"Authorization": f"Bearer {TOKEN}"}
    answers: list[int] = []

    def post(n: int) -> None:
        body = {"articles": [{"id": f"queued-{n}", "text": f"Note {n} had no quotes."}]}
        answers.append(writer.post("/api/articles", json=body, headers=headers).status_code)

    posts = [threading.Thread(target=post, args=(n,)) for n in range(6)]
    for thread in posts:
        thread.start()
    try:
        assert entered.wait(30), "no write reached the store"
        time.sleep(0.5)  # let the other writes reach their queue
        reads: list[int] = []
        read = threading.Thread(target=lambda: reads.append(writer.get(f"/articles/{SAMPLE_ID}.json").status_code))
        read.start()
        read.join(30)
        assert reads == [200], "a read waited behind the writes"
    finally:
        release.set()
        for thread in posts:
            thread.join(60)
    assert answers == [202] * 6
    for n in range(6):
        assert writer.get(f"/articles/queued-{n}.json").status_code == 200


# ---------------------------------------------------------------- issue 24: pages, CSV cells, redirects, writes
def test_the_statements_of_one_article_render(client):
    """Issue 24, item 4: /quotes?article=ID answered 500 ('dict object' has no attribute 'dates')."""
    response = client.get("/quotes", params={"article": SAMPLE_ID})
    assert response.status_code == 200 and "Rudenko" in response.text
    assert client.get("/quotes", params={"article": "no such article"}).status_code == 200


def test_csv_cells_never_start_a_formula(tmp_path):
    """Issue 24, item 8: cells beginning with = + - @ were written as they are (formula injection)."""
    import csv
    import io

    from onrecord.store import open_store

    from .store_articles import make_article

    hostile = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    article = make_article("formulas", [(f"Ann Lee {n}", "person", "said", "assert", text)
                                        for n, text in enumerate(hostile)])
    path = str(tmp_path / "f.db")
    with open_store(path) as store:
        store.add_articles([article])
        link_store(store, claims=False)
    with TestClient(create_app(path, token="")) as client:
        rows = list(csv.DictReader(io.StringIO(client.get("/quotes.csv", params={"limit": 50}).text)))
    contents = {row["content"] for row in rows}
    assert contents == {"'" + text for text in hostile}
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values() if value)


def test_redirects_never_name_the_host_the_client_sent(client):
    """Issue 24, item 8: the slash redirect echoed the Host header into Location."""
    response = client.get("/speakers/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert 300 <= response.status_code < 400
    assert response.headers["location"] == "/speakers"


def test_the_token_is_checked_before_the_body_is_read(writer, client):
    """Issue 24, item 8: malformed JSON without a token got 422 before 401."""
    bad = {"content-type": "application/json"}
    assert writer.post("/api/articles", content=b"{not json", headers=bad).status_code == 401
    assert writer.post("/api/articles", content=b"{not json",
                       headers={**bad, "Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/api/articles", content=b"{not json", headers=bad).status_code == 403  # read-only
    good = writer.post("/api/articles", content=b"{not json", headers={**bad, "Authorization": f"Bearer {TOKEN}"})
    assert good.status_code == 422


def test_a_write_is_acknowledged_and_linked_after(writer, monkeypatch):
    """Issue 24, item 8: under load a write waited 23-26 s for linking. Now it answers 202 once stored,
    with a status URL, and the statements are linked in the background; a failed link is caught up
    by the next write (item 5: a link failure inside POST /api/articles left the article unlinked)."""
    from onrecord.link import stored

    monkeypatch.setattr("onrecord.server.api._extract", lambda item, settings: _quoted(item.id, item.text))
    headers = {"Authorization": f"Bearer {TOKEN}"}
    real_link = stored.link_store
    monkeypatch.setattr(stored, "link_store", lambda store, **kw: (_ for _ in ()).throw(RuntimeError("link failed")))
    first = writer.post("/api/articles", json={"articles": [{"id": "w1", "text": "Zora Quill said hello."}]},
                        headers=headers)
    assert first.status_code == 202 and first.headers["location"] == "/api/linking"
    assert first.json()["ids"] == ["w1"]
    status = _settled(writer)
    assert status["pending_articles"] == 1 and "link failed" in status["error"]
    monkeypatch.setattr(stored, "link_store", real_link)
    second = writer.post("/api/articles", json={"articles": [{"id": "w2", "text": "Zora Quill said goodbye."}]},
                         headers=headers)
    assert second.status_code == 202
    status = _settled(writer)
    assert status == {**status, "status": "done", "pending_articles": 0, "error": None}
    zora = first_speaker(writer, "Zora Quill")
    assert zora["n_statements"] == 2


def _quoted(article_id, text):
    from onrecord.models import Attribution, Span, Speaker

    cue = text.index("said")
    return Article(id=article_id, text=text, attributions=[Attribution(
        source=Span(0, 10, text[:10]), cue=Span(cue, cue + 4, "said"),
        content=(Span(cue + 5, len(text) - 1, text[cue + 5:-1]),),
        kind="indirect", stance="assert", speaker=Speaker(name="Zora Quill", type="person"))])


def _settled(client, seconds=30.0):
    deadline = time.monotonic() + seconds
    while True:
        status = client.get("/api/linking").json()
        if status["status"] in ("done", "waiting") or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


# ---------------------------------------------------------------- search that narrows (issue 25)

@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """The app over 800 canned statements of ten named people (speakers linked, no claims)."""
    from onrecord.store import open_store

    from .server_data import many_articles

    path = str(tmp_path_factory.mktemp("many") / "onrecord.db")
    with open_store(path) as store:
        store.add_articles(many_articles())
        link_store(store, claims=False)
    with TestClient(create_app(path, token="")) as client:
        yield client


def csv_rows(response):
    import csv
    import io

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_quotes_narrow_by_the_words_said_with_facets_that_count_them(many):
    everything = many.get("/quotes.json").json()["total"]
    bridge = many.get("/quotes.json", params={"q": "bridge"}).json()
    assert everything == 800 and bridge["total"] == 640 and bridge["q"] == "bridge"
    assert all("bridge" in q["attribution"]["content"]["text"] for q in bridge["items"])
    narrowed = many.get("/quotes.json", params={"q": "bridge", "outlet": "Coast News", "stance": "deny"}).json()
    assert 0 < narrowed["total"] < bridge["total"]
    assert dict(narrowed["facets"]["stance"])["deny"] == narrowed["total"]  # a facet ignores its own filter
    assert dict(narrowed["facets"]["outlet"])["Coast News"] == narrowed["total"]
    assert sum(s["n"] for s in narrowed["speakers"]) == narrowed["total"]
    genders = dict(bridge["facets"]["gender"])
    assert sum(genders.values()) == 640 and genders["male"] > genders["female"] > 0
    html = many.get("/quotes", params={"q": "bridge", "stance": "deny"}).text
    assert 'value="bridge"' in html and "download all" in html
    assert 'href="/quotes.csv?q=bridge&amp;stance=deny"' in html


def test_downloads_have_every_row_with_the_filters_and_no_cap(many):
    rows = csv_rows(many.get("/quotes.csv", params={"q": "bridge"}))
    assert len(rows) == 640 and all("bridge" in r["content"] for r in rows)
    shown = many.get("/quotes.json", params={"q": "bridge", "offset": 100}).json()["items"]
    assert [(r["article_id"], int(r["index"])) for r in rows[100:150]] == [(q["article_id"], q["index"]) for q in shown]
    assert len(csv_rows(many.get("/quotes.csv", params={"limit": 501}))) == 501  # was an HTML 422
    narrowed = {"q": "bridge", "outlet": "Coast News", "stance": "deny"}
    total = many.get("/quotes.json", params=narrowed).json()["total"]
    rows = csv_rows(many.get("/quotes.csv", params=narrowed))
    assert len(rows) == total and {(r["outlet"], r["stance"]) for r in rows} == {("Coast News", "deny")}
    searched = csv_rows(many.get("/search.csv", params={"q": "bridge"}))
    page = many.get("/search.json", params={"q": "bridge", "limit": 500}).json()["items"]
    assert len(searched) == 640 and [(r["article_id"], int(r["index"])) for r in searched[:500]] == [
        (q["article_id"], q["index"]) for q in page]  # the rows of the page, in its order
    lines = many.get("/quotes.jsonl", params=narrowed).text.splitlines()
    assert [json.loads(line)["article_id"] for line in lines] == [r["article_id"] for r in rows]
    assert len(many.get("/search.jsonl", params={"q": "bridge"}).text.splitlines()) == 640
    assert "speaker_gender" in rows[0] or "gender" in "".join(rows[0])  # the row shape of the record
    sorted_rows = csv_rows(many.get("/quotes.csv", params={"q": "bridge", "sort": "speaker"}))
    assert [r["speaker"] for r in sorted_rows] == sorted(r["speaker"] for r in sorted_rows)
    empty = many.get("/quotes.csv", params={"q": "zeppelin"})
    assert empty.text.strip() == ",".join(csv_rows(many.get("/quotes.csv", params={"limit": 1}))[0])


def test_search_has_a_total_facets_and_groups_by_speaker(many):
    found = many.get("/search.json", params={"q": "bridge", "outlet": "Valley Post"}).json()
    assert found["total"] == many.get("/quotes.json", params={"q": "bridge", "outlet": "Valley Post"}).json()["total"]
    assert dict(found["facets"]["outlet"])["Valley Post"] == found["total"]
    grouped = many.get("/search.json", params={"q": "bridge", "outlet": "Valley Post", "group": "speaker"}).json()
    assert grouped["total"] == len(grouped["groups"]) == 10
    assert sum(g["speaker"]["n"] for g in grouped["groups"]) == found["total"]
    for g in grouped["groups"]:
        assert 0 < len(g["statements"]) <= 3
        assert {q["speaker_id"] for q in g["statements"]} == {g["speaker"]["id"]}
    html = many.get("/search", params={"q": "bridge", "group": "speaker"}).text
    assert "Who is on record about" in html and 'name="group" value="speaker"' in html
    assert "statements of Mary Lane with these words" in html


def test_claims_and_contradictions_have_totals_search_sort_and_csv(client):
    claims = client.get("/claims.json").json()
    assert claims["total"] == len(claims["items"]) > 0
    some = client.get("/claims.json", params={"q": "harbour zeppelin"}).json()
    assert some["total"] == 0 and some["items"] == []
    counts = [c["n_statements"] for c in client.get("/claims.json", params={"sort": "-statements"}).json()["items"]]
    assert counts == sorted(counts, reverse=True)
    assert client.get("/claims", params={"sort": "-articles"}).text.count('aria-sort="descending"') == 1
    assert client.get("/claims.csv").text.startswith("id,")
    contradictions = client.get("/contradictions.json").json()
    assert contradictions["total"] == len(contradictions["items"])
    assert client.get("/contradictions.csv").text.splitlines()[0].startswith("claim_id,")


def test_speakers_download_every_row_with_the_filters(many):
    """/speakers.csv and .jsonl have every speaker the list finds, not its page, with its filters and order."""
    assert many.get("/speakers.json", params={"limit": 3}).json()["total"] == 10
    rows = csv_rows(many.get("/speakers.csv"))
    assert len(rows) == 10 and rows[0]["name"] and int(rows[0]["n_statements"]) > 0
    women = many.get("/speakers.json", params={"gender": "female"}).json()
    rows = csv_rows(many.get("/speakers.csv", params={"gender": "female"}))
    assert len(rows) == women["total"] == 5 and {r["gender"] for r in rows} == {"female"}
    assert [int(r["id"]) for r in rows] == [s["id"] for s in women["items"]]  # the page's order
    by_name = csv_rows(many.get("/speakers.csv", params={"sort": "-name"}))
    assert [r["name"] for r in by_name] == sorted((r["name"] for r in by_name), reverse=True)
    lines = many.get("/speakers.jsonl", params={"gender": "female"}).text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [int(r["id"]) for r in rows]
    empty = many.get("/speakers.csv", params={"q": "zeppelin"})
    assert empty.text.splitlines() == [",".join(schemas.SpeakerEntryOut.model_fields)]  # a header, no rows
    assert many.get("/speakers.jsonl", params={"q": "zeppelin"}).text == ""
    html = many.get("/speakers", params={"gender": "female", "limit": 2}).text
    assert 'href="/speakers.csv?gender=female"' in html and 'href="/speakers.jsonl?gender=female"' in html
    assert "download all 5 rows" in html
    assert many.get("/speakers.csv", params={"gender": "nobody"}).status_code in (400, 422)


def test_claims_download_every_row_with_the_words_and_order(client):
    """/claims.csv and .jsonl have every claim the list finds (its words, its sort), named as on the page."""
    everything = client.get("/claims.json", params={"sort": "-statements", "limit": 500}).json()
    rows = csv_rows(client.get("/claims.csv", params={"sort": "-statements"}))
    assert len(rows) == everything["total"] >= 1  # the fixture's store holds one claim
    assert [(int(r["id"]), r["label"]) for r in rows] == [(c["id"], c["label"]) for c in everything["items"]]
    first = csv_rows(client.get("/claims.csv", params={"sort": "-statements", "limit": 1}))
    assert [r["id"] for r in first] == [rows[0]["id"]]
    word = next(w for w in everything["items"][0]["label"].split() if len(w) > 4 and w.isalpha())
    some = client.get("/claims.json", params={"q": word}).json()
    found = csv_rows(client.get("/claims.csv", params={"q": word}))
    assert 0 < len(found) == some["total"] and [int(r["id"]) for r in found] == [c["id"] for c in some["items"]]
    lines = client.get("/claims.jsonl", params={"q": word}).text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [c["id"] for c in some["items"]]
    assert all(json.loads(line)["members"] for line in lines)  # each claim with its statements
    empty = client.get("/claims.csv", params={"q": "harbour zeppelin"})
    assert empty.text.splitlines() == [",".join(schemas.ClaimGroupOut.model_fields)]
    html = client.get("/claims", params={"q": word, "limit": 1}).text
    assert f'href="/claims.csv?q={word}"' in html and f"download all {some['total']} rows" in html


def test_speakers_show_and_filter_by_gender(many):
    women = many.get("/speakers.json", params={"gender": "female"}).json()
    assert women["total"] == 5 and {s["gender"] for s in women["items"]} == {"female"}
    assert dict(women["facets"]["gender"]) == {"female": 5, "male": 5}
    html = many.get("/speakers", params={"gender": "male"}).text
    assert '<option value="male" selected>' in html and "<th scope=\"col\">Gender</th>" in html
    assert 'class="arrow"' in html  # sortable headings say so


def test_sourcing_downloads_as_csv_with_a_header(many):
    rows = csv_rows(many.get("/sourcing.csv"))
    assert {r["key"] for r in rows} == {"Harbour Times", "Coast News", "Valley Post", "City Ledger"}
    assert sum(int(r["total"]) for r in rows) == 800 and all(r["person"] == r["total"] for r in rows)
    assert len(csv_rows(many.get("/sourcing.csv", params={"by": "article"}))) == 50


def test_gender_gap_views_share_over_time_and_most_quoted(many):
    data = many.get("/sourcing/gender.json").json()
    months = {p["month"] for p in data["trend"]}
    assert months == {f"2022-{m:02d}" for m in range(1, 7)}
    for p in data["trend"]:
        assert p["share_women"] == round(p["women"] / p["sources"], 4)
    quoted = {m["outlet"]: m for m in data["most_quoted"]}
    assert set(quoted) == {"Harbour Times", "Coast News", "Valley Post", "City Ledger"}
    assert all(len(m["men"]) == 5 for m in quoted.values()) and len(quoted["Harbour Times"]["women"]) == 3
    shares = {r["outlet"]: r["share_women"] for r in data["items"]}
    assert shares["Harbour Times"] < shares["Coast News"] == 0.5
    assert {s["name"] for s in quoted["Coast News"]["women"]} == {"Mary Lane", "Ruth Hale", "Anna Berg",
                                                                  "Lena Ortiz", "Grace Kimball"}
    html = many.get("/sourcing/gender").text
    assert '<svg id="gender-trend"' in html and html.count("<polyline") == 4 and "Most-quoted women and men" in html


def test_one_statement_dated_by_its_year_keeps_a_daily_timeline():
    from onrecord.server.charts import timeline

    counts = [(f"2016-03-{d:02d}", "assert", 10) for d in range(1, 29)] + [("2016", "assert", 1)]
    points, unit = timeline(counts)
    assert unit == "day" and len(points) == 28 and sum(sum(p.stances.values()) for p in points) == 280
    vague = [("2016", "assert", 5), ("2017", "assert", 5), ("2016-03-01", "assert", 1)]
    assert timeline(vague)[1] == "year"


def test_date_filters_show_a_format_not_a_date(client):
    for url in ("/quotes", "/sourcing", "/sourcing/gender"):
        html = client.get(url).text
        assert 'placeholder="YYYY-MM-DD"' in html and 'placeholder="2022' not in html, url
