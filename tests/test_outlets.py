"""One outlet per publication, whatever spelling an article brings it in."""

import json

import pytest

from onrecord.config import Settings
from onrecord.outlets import aliases, canonical_outlet, derive_outlet, host_of, outlet_from_title
from onrecord.reading import read_paths


@pytest.mark.parametrize("spelling", ["nyt", "NYT", "New York Times", "the new york times", "The New York Times",
                                      "nytimes.com", "https://www.nytimes.com/2016/09/12/us/politics/x.html"])
def test_every_spelling_of_a_known_paper_is_one_outlet(spelling):
    assert canonical_outlet(spelling) == "The New York Times"


@pytest.mark.parametrize("prefix, name", [("wash-post", "The Washington Post"), ("huff-post", "HuffPost"),
                                          ("usa-today", "USA Today"), ("west-journal", "The Western Journal"),
                                          ("breitbart", "Breitbart"), ("politico", "Politico")])
def test_the_polnear_file_prefixes_are_the_papers(prefix, name):
    assert canonical_outlet(prefix) == name


def test_case_alone_never_makes_two_outlets():
    assert canonical_outlet("POLITICO") == canonical_outlet("politico") == canonical_outlet("Politico")
    assert canonical_outlet("LOCAL GAZETTE") == canonical_outlet("local gazette") == "Local Gazette"


def test_a_publishers_own_spelling_and_acronyms_are_kept():
    assert canonical_outlet("openDemocracy") == "openDemocracy"
    assert canonical_outlet("KXAN") == "KXAN"
    assert canonical_outlet("  The   Harbour  Times ") == "The Harbour Times"
    assert canonical_outlet("") is None and canonical_outlet("   ") is None and canonical_outlet(None) is None


def test_a_host_loses_www_and_a_known_host_is_its_paper():
    assert host_of("https://www.kxan.com/news/a") == "kxan.com"
    assert canonical_outlet("www.kxan.com") == "kxan.com"
    assert canonical_outlet("https://edition.cnn.com/2022/x") == "CNN"
    assert canonical_outlet("https://www.bbc.co.uk/news/world-1") == "BBC News"
    assert host_of("not a url") is None and host_of(None) is None


@pytest.mark.parametrize("title, outlet", [
    ("Bridge reopens after storm | Local Gazette", "Local Gazette"),
    ("Bridge reopens – The Harbour Times", "The Harbour Times"),
    ("Bridge reopens - Local Gazette", "Local Gazette"),
    ("Clinton emails: what we know | Politics | POLITICO", "Politico"),
    ("Bridge reopens - what comes next", None),  # a headline's dash, not a site
    ("Ukraine: talks stall | He said the talks had stalled.", None),  # a sentence
    ("Local Gazette", None),
])
def test_the_title_suffix_names_the_site(title, outlet):
    assert outlet_from_title(title) == outlet


def test_the_most_explicit_source_wins():
    assert derive_outlet("nyt", site_names=("Other",), url="https://kxan.com/a") == "The New York Times"
    assert derive_outlet(None, site_names=("POLITICO",), titles=("A | Gazette",)) == "Politico"
    assert derive_outlet(None, titles=("A | Local Gazette",), url="https://lg.example/a") == "Local Gazette"
    assert derive_outlet(None, url="https://www.nytimes.com/a") == "The New York Times"
    assert derive_outlet(None) is None


def test_aliases_are_the_other_spellings():
    assert "nyt" in aliases("The New York Times") and "nytimes.com" in aliases("NYT")
    assert aliases("Local Gazette") == ()


def test_read_articles_carry_the_canonical_outlet(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "The mayor said it rained.", "outlet": "nyt"},
        {"id": "b", "text": "The mayor said it rained again.", "url": "https://www.nytimes.com/b"},
        {"id": "c", "text": "The mayor said it stopped.", "outlet": "POLITICO"},
    ]) + "\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Bridge reopens after the storm | Local Gazette</title></head><body><article>"
                    + "<p>The harbour bridge reopened on Tuesday, the mayor said, after a week of repairs.</p>" * 8
                    + "</article></body></html>", encoding="utf-8")
    outlets = {a.id: a.outlet for a in read_paths([feed, page], Settings())}
    assert outlets == {"a": "The New York Times", "b": "The New York Times", "c": "Politico", "page": "Local Gazette"}


def test_the_sourcing_table_shows_a_known_papers_other_spellings_once(tmp_path):
    """"nyt" and "The New York Times" are one row, its other spellings under its name, whether the
    outlet came canonical (as the readers give it) or raw (``add_articles``, the API); an outlet
    onrecord does not know has no such line."""
    import re

    from fastapi.testclient import TestClient

    from onrecord.link.stored import link_store
    from onrecord.server.app import create_app
    from onrecord.store import open_store

    from .store_articles import make_article

    path = str(tmp_path / "outlets.db")
    with open_store(path) as store:
        store.add_articles([
            make_article("n1", [("Jane Roe", "person", "said", "assert", "the bridge reopened")],
                         outlet="nyt"),  # raw: the store gives it its one name
            make_article("n2", [("a city official", "anonymous", "said", "assert", "repairs cost more")],
                         outlet=derive_outlet("The New York Times")),
            make_article("g1", [("Ann Lee", "person", "said", "assert", "the harbour flooded")],
                         outlet=derive_outlet("Local Gazette"))])
        link_store(store)
    with TestClient(create_app(path, token="")) as client:
        html = client.get("/sourcing").text
        rows = client.get("/sourcing.json").json()["rows"]
    table = html.split('<table class="list sourcing">', 1)[1].split("</table>", 1)[0]
    names = {name.strip(): rest for name, rest in re.findall(r'<th scope="row">([^<]*)(.*?)</th>', table, re.S)}
    assert sorted(names) == ["Local Gazette", "The New York Times"]
    assert '<div class="aliases">also written: nyt, NY Times, New York Times, nytimes' in names["The New York Times"]
    assert "also written" not in names["Local Gazette"]
    assert [(r["key"], r["total"]) for r in rows] == [("The New York Times", 2), ("Local Gazette", 1)]
    assert "aliases" not in rows[0]  # the JSON keeps its shape


def test_only_a_papers_one_name_carries_its_spellings():
    from onrecord.server.sourcing import known_spellings

    assert "nyt" in known_spellings("The New York Times")
    assert known_spellings("nyt") == () and known_spellings("Local Gazette") == () and known_spellings(None) == ()
