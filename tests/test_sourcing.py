"""Sourcing from the summaries (revision 0002) gives the numbers of a scan over the attributions.

Both backends: after ingest, re-ingest (skipped, updated in place, moved to another
outlet, all attributions dropped), articles deleted by hand followed by ``link()``, and a
database migrated from revision 0001 (backfill).
"""

from dataclasses import replace

import pytest
from sqlalchemy import case, delete, func, select

from onrecord.models import Article
from onrecord.link.stored import link_store

from .store_articles import corpus, make_article

NAMED = ("person", "organization", "group")


def scanned(store, by="outlet", outlet=None):
    """The query sourcing() ran before the summaries: an aggregate over every attribution."""
    from onrecord.store import schema as s
    from onrecord.store.records import SourcingRow

    a, ar = s.attributions.c, s.articles.c
    key = func.coalesce(a.outlet, "(unknown)") if by == "outlet" else ar.id
    source = s.attributions if by == "outlet" else s.attributions.join(s.articles, ar.pk == a.article_pk)

    def share(condition):
        return func.sum(case((condition, 1), else_=0))

    query = (select(key, func.count(), share(a.speaker_type.in_(NAMED)), share(a.speaker_type == "anonymous"),
                    share(a.speaker_type == "media")).select_from(source).group_by(key)
             .order_by(func.count().desc(), key))
    if outlet:
        query = query.where(a.outlet == outlet)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [SourcingRow(key=k, total=t, named=int(n), anonymous=int(an), media=int(m), other=t - n - an - m,
                        share_named=round(n / t, 4), share_anonymous=round(an / t, 4), share_media=round(m / t, 4))
            for k, t, n, an, m in rows]


def assert_same(store):
    outlets = {a.outlet for a in store.list_articles(limit=1000)} | {"nowhere"}
    for by in ("outlet", "article"):
        assert store.sourcing(by=by) == scanned(store, by)
        for outlet in outlets:
            assert store.sourcing(by=by, outlet=outlet) == scanned(store, by, outlet)
    assert store.sourcing(limit=1, offset=1) == scanned(store)[1:2]


def more() -> list[Article]:
    return [
        make_article("nowhere-4", [("a source", "anonymous", "said", "assert", "the convoy had left"),
                                   ("Reuters", "media", "reported", "assert", "the convoy had stopped"),
                                   (None, "unknown", "said", "assert", "nothing was certain")]),
        make_article("tass-5", [("Sergei Lavrov", "person", "said", "assert", "talks were possible")],
                     outlet="TASS", published="2022-11-11"),
    ]


def test_sourcing_matches_a_scan_through_reingest_and_deletes(store):
    articles = corpus() + more()
    store.add_articles(articles, batch_size=2)
    assert_same(store)
    by_outlet = {r.key: r.total for r in store.sourcing()}
    assert by_outlet == {"Ukrainska Pravda": 6, "Meduza": 3, "(unknown)": 3, "TASS": 1}

    store.add_articles(articles)  # all skipped
    store.add_articles([Article(**{**{f: getattr(articles[0], f) for f in articles[0].__slots__}, "id": "copy"})])
    assert_same(store)

    # re-extracted differently (the same texts): fewer attributions, other types, another outlet, none at all
    texts = {a.id: a.text for a in articles}
    store.add_articles([replace(a, text=texts[a.id]) for a in [
        make_article("kyiv-1", [("Reuters", "media", "reported", "assert", "the strikes continued")],
                     published="2022-11-09", outlet="Ukrainska Pravda"),
        make_article("moscow-2", [("Putin", "person", "said", "assert", "the special operation is going to plan"),
                                  ("a Kremlin source", "anonymous", "said", "assert", "nothing had changed")],
                     published="2022-11-10", outlet="TASS"),
        make_article("tass-5", [], outlet="TASS", published="2022-11-11"),
    ]], batch_size=2)
    assert_same(store)
    assert "Meduza" not in {r.key for r in store.sourcing()}
    assert "tass-5" not in {r.key for r in store.sourcing(by="article")}

    # deleted by hand (cascading to the attributions): by article at once, by outlet after link()
    from onrecord.store import schema as s

    with store.engine.begin() as conn:
        conn.execute(delete(s.articles).where(s.articles.c.id == "wire-3"))
    assert store.sourcing(by="article") == scanned(store, "article")
    link_store(store, claims=False)
    assert_same(store)


def test_migration_from_0001_backfills_the_summaries(db_url):
    from alembic import command
    from alembic.config import Config

    from onrecord.store import open_store
    from onrecord.store.engine import MIGRATIONS

    with open_store(db_url) as store:
        store.add_articles(corpus() + more())
        expected = {by: scanned(store, by) for by in ("outlet", "article")}
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
    with open_store(db_url) as store:  # upgraded again on opening
        assert store.count()["attributions"] == 13
        for by in ("outlet", "article"):
            assert store.sourcing(by=by) == expected[by]
        assert_same(store)


@pytest.mark.parametrize("outlet", ["\x00", "'; DROP TABLE articles; --", "%"])
def test_sourcing_takes_any_outlet(store, outlet):
    store.add_articles(corpus())
    for by in ("outlet", "article"):  # NUL is dropped from query text (as in quotes): no filter is left
        assert store.sourcing(by=by, outlet=outlet) == ([] if outlet != "\x00" else store.sourcing(by=by))


def test_the_web_and_its_csv_count_sourcing_with_the_one_query(tmp_path):
    """/sourcing.json, /sourcing.csv and `queries.sourcing_table` give the same figures; a group
    ("critics") is not a named source there, and the dated rows agree with the summaries otherwise."""
    pytest.importorskip("fastapi")
    import csv
    import io

    from fastapi.testclient import TestClient

    from onrecord.server.app import create_app
    from onrecord.store import open_store
    from onrecord.store.queries import sourcing_table

    path = str(tmp_path / "onrecord.db")
    articles = corpus() + more() + [make_article("critics-6", [("critics", "group", "said", "assert", "it failed")],
                                                 outlet="TASS", published="2022-11-12")]
    with open_store(path) as store:
        store.add_articles(articles)
        link_store(store, claims=False)
        table = {r["key"]: r for r in sourcing_table(store)}
        summaries = {r.key: r for r in store.sourcing()}
    assert table["TASS"]["counts"]["group"] == 1 and table["TASS"]["named"] == table["TASS"]["counts"]["person"]
    for key, row in table.items():
        summary = summaries[key if key is not None else "(unknown)"]
        assert (row["total"], row["anonymous"], row["media"]) == (summary.total, summary.anonymous, summary.media)
        assert row["named"] + row["counts"].get("group", 0) == summary.named
    with TestClient(create_app(path, token="")) as client:
        web = {r["key"]: r for r in client.get("/sourcing.json").json()["rows"]}
        rows = {r["key"] or None: r for r in csv.DictReader(io.StringIO(client.get("/sourcing.csv").text))}
    for key, row in table.items():
        assert (web[key]["named"], web[key]["other"], web[key]["total"]) == (row["named"], row["other"], row["total"])
        assert int(rows[key]["named"]) == row["named"] and int(rows[key]["total"]) == row["total"]
