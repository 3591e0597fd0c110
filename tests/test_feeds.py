"""Atom feeds of new statements (`onrecord.server.feeds`): valid Atom 1.0, newest on record first,
hostile text escaped, and found from the pages they follow."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

from fastapi.testclient import TestClient  # noqa: E402

from onrecord.models import Article, Attribution, Span, Speaker  # noqa: E402
from onrecord.link.stored import link_store  # noqa: E402
from onrecord.server.app import create_app  # noqa: E402

from .server_data import server_articles  # noqa: E402
from .store_articles import GENDERED, make_article  # noqa: E402

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
HOSTILE_NAME = "Jane <script>alert(1)</script> Roe\x1b[31m"
HOSTILE_CONTENT = 'the <script>alert("feed")</script> harbour\x01 is \x0bsafe & sound'


def hostile_article() -> Article:
    """Jane Roe again, with markup and control characters in what she said (and in her name as written)."""
    text = f"{HOSTILE_NAME} said that {HOSTILE_CONTENT}."
    start = text.index(HOSTILE_CONTENT)
    return Article(id="hostile-feed", text=text, title="<b>Harbour</b>", published="2022-10-01",
                   outlet="Harbour Times", attributions=(Attribution(
                       cue=Span.of(text, len(HOSTILE_NAME) + 1, len(HOSTILE_NAME) + 5),
                       content=(Span.of(text, start, start + len(HOSTILE_CONTENT)),),
                       source=Span.of(text, 0, len(HOSTILE_NAME)), stance="assert",
                       speaker=Speaker(name="Jane Roe", type="person", role="<i>mayor</i>\x07")),))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The sample, the hostile article and the gendered ones, linked; then, stored last, a statement of
    Jane Roe dated before all the others, and the article with hostile text."""
    from onrecord.store import open_store

    path = str(tmp_path_factory.mktemp("feeds") / "onrecord.db")
    with open_store(path) as store:
        store.add_articles(server_articles() + GENDERED)
        link_store(store)
        store.add_articles([make_article("old-news", [("Jane Roe", "person", "said", "assert",
                                                       "the harbour had been dredged in 1990")],
                                         published="1990-05-01", outlet="Coast News"), hostile_article()])
        link_store(store)
    with TestClient(create_app(path, token="")) as client:
        yield client


def parse(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == f"{A}feed"
    return root


def links(element, rel):
    return [link.get("href") for link in element.findall(f"{A}link") if link.get("rel") == rel]


def assert_valid_atom(root, html_path):
    """RFC 4287's musts: feed id, title, updated, an author; each entry id, title, updated, a link."""
    assert root.findtext(f"{A}id").startswith("http://testserver/")
    assert root.findtext(f"{A}title") and RFC3339.match(root.findtext(f"{A}updated"))
    assert root.find(f"{A}author/{A}name").text == "onrecord"
    assert links(root, "alternate") == [f"http://testserver{html_path}"] and len(links(root, "self")) == 1
    entries = root.findall(f"{A}entry")
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert re.match(r"^http://testserver/articles/[^#\s]+#a\d+$", entry.findtext(f"{A}id"))
        assert links(entry, "alternate") == [entry.findtext(f"{A}id")]
        assert entry.findtext(f"{A}title") and RFC3339.match(entry.findtext(f"{A}updated"))
        assert entry.findtext(f"{A}updated") <= root.findtext(f"{A}updated")
        assert entry.find(f"{A}content").get("type") == "text" and entry.find(f"{A}author/{A}name").text
    return entries


def speaker_id(client, name):
    return next(s["id"] for s in client.get("/speakers.json", params={"q": name}).json()["items"] if s["name"] == name)


def test_speaker_feed_is_atom_newest_on_record_first(client):
    roe = speaker_id(client, "Jane Roe")
    entries = assert_valid_atom(parse(client.get(f"/speakers/{roe}.atom")), f"/speakers/{roe}")
    ids = [e.findtext(f"{A}id").split("/articles/")[1] for e in entries]
    # stored last, so first, though said long before the others: a reader is told of it
    assert ids[:2] == ["hostile-feed#a0", "old-news#a0"] and len(ids) == 6
    assert entries[1].findtext(f"{A}published") == "1990-05-01T00:00:00Z"
    updated = [e.findtext(f"{A}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert {e.find(f"{A}author/{A}uri").text for e in entries} == {f"http://testserver/speakers/{roe}"}
    assert len(parse(client.get(f"/speakers/{roe}.atom", params={"limit": 2})).findall(f"{A}entry")) == 2


def test_search_and_claim_feeds(client):
    root = parse(client.get("/search.atom", params={"q": "harbour reopen"}))
    entries = assert_valid_atom(root, "/search?q=harbour+reopen")
    assert root.findtext(f"{A}id") == "http://testserver/search.atom?q=harbour+reopen"
    assert len(entries) == 2 and all("harbour would reopen" in e.findtext(f"{A}content") for e in entries)
    claim = next(c for c in client.get("/claims.json").json()["items"] if "harbour" in c["label"])
    entries = assert_valid_atom(parse(client.get(f"/claims/{claim['id']}.atom")), f"/claims/{claim['id']}")
    assert len(entries) == claim["n_statements"]
    assert all(f"http://testserver/claims/{claim['id']}" in links(e, "related") for e in entries)
    assert entries[0].find(f"{A}category").get("term") in {"assert", "deny", "believe", "question"}
    assert parse(client.get("/search.atom", params={"q": "zeppelin"})).findall(f"{A}entry") == []


def test_hostile_text_is_escaped_and_control_characters_replaced(client):
    raw = client.get("/search.atom", params={"q": "sound"})
    assert b"<script>" not in raw.content and b"\x01" not in raw.content and b"\x1b" not in raw.content
    [entry] = parse(raw).findall(f"{A}entry")
    content = entry.findtext(f"{A}content")
    assert 'the <script>alert("feed")</script> harbour\ufffd is \ufffdsafe & sound' in content
    assert "<b>Harbour</b>" in content and "<i>mayor</i>\ufffd" in content  # as text, never as markup
    assert entry.find(f"{A}author/{A}name").text == "Jane Roe"


def test_pages_announce_their_feed(client):
    roe = speaker_id(client, "Jane Roe")
    claim = client.get("/claims.json").json()["items"][0]["id"]
    for page, feed in [(f"/speakers/{roe}", f"/speakers/{roe}.atom"), (f"/claims/{claim}", f"/claims/{claim}.atom"),
                       ("/search?q=harbour", "/search.atom?q=harbour")]:
        html = client.get(page).text
        assert f'<link rel="alternate" type="application/atom+xml" title="New statements" href="{feed}">' in html, page
        assert f'class="feed" href="{feed}"' in html, page
        assert client.get(feed).status_code == 200
    assert "application/atom+xml" not in client.get("/search").text  # no words, no feed
    assert "application/atom+xml" not in client.get("/quotes").text


def test_feeds_of_nothing_are_errors_not_empty_feeds(client):
    assert client.get("/speakers/999999.atom").status_code == 404
    assert client.get(f"/speakers/{2**40}.atom").status_code == 404
    assert client.get("/claims/424242.atom").status_code == 404
    response = client.get("/search.atom", params={"q": " !? "})
    assert response.status_code == 400 and "needs words" in response.text
    assert client.get("/search.atom", params={"q": "a\x00b"}).status_code == 422
    assert client.get("/speakers/abc.atom").status_code == 422
