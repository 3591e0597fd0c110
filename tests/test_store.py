"""The store on both backends (SQLite, and PostgreSQL marked integration): the same tests."""

import json
from dataclasses import replace

import pytest

from onrecord.models import Article

from .store_articles import GENDERED, corpus, make_article

pytest.importorskip("sqlalchemy")

from onrecord.link.stored import link_store  # noqa: E402


@pytest.fixture
def filled(store):
    assert store.add_articles(corpus()) == {"added": 3, "updated": 0, "skipped": 0}
    link_store(store, claims=False)
    return store


def test_add_is_idempotent_by_content_hash(store):
    articles = corpus()
    store.add_articles(articles)
    assert store.add_articles(articles) == {"added": 0, "updated": 0, "skipped": 3}
    # the same text under another id is not stored twice
    renamed = Article(**{**{f: getattr(articles[0], f) for f in articles[0].__slots__}, "id": "copy"})
    assert store.add_articles([renamed]) == {"added": 0, "updated": 0, "skipped": 1}
    assert store.count()["articles"] == 3 and store.count()["attributions"] == 9


def test_changed_extraction_updates_in_place(store):
    first = corpus()[0]
    store.add_articles([first])
    changed = replace(first, attributions=first.attributions[:1])  # the same text, extracted otherwise
    assert store.add_articles([changed]) == {"added": 0, "updated": 1, "skipped": 0}
    assert store.count() == {"articles": 1, "attributions": 1, "speakers": 0, "claims": 0}
    assert store.get_article(first.id) == changed


def test_an_id_stored_with_another_text_is_refused_not_overwritten(store):
    """Two inputs with one id (``a/report.txt``, ``b/report.txt``) must not flip the stored article."""
    first = corpus()[0]
    other = make_article(first.id, [("Vladimir Putin", "person", "said", "deny", "anything at all")])
    store.add_articles([first])
    for _ in range(2):
        assert store.add_articles([other]) == {"added": 0, "updated": 0, "skipped": 0, "failed": 1}
        assert store.get_article(first.id) == first


def test_progress_callback_reports_each_article(store):
    seen = []
    store.add_articles(corpus(), progress=lambda a, status: seen.append((a.id, status)), batch_size=2)
    assert seen == [("kyiv-1", "added"), ("moscow-2", "added"), ("wire-3", "added")]


def test_get_article_round_trips(filled):
    article = corpus()[1]
    stored = filled.get_article("moscow-2")
    assert stored == article
    assert stored.to_dict(with_text=True)["text"] == article.text
    assert filled.get_article("nope") is None


def test_list_articles(filled):
    assert [a.id for a in filled.list_articles()] == ["wire-3", "moscow-2", "kyiv-1"]
    assert [a.id for a in filled.list_articles(outlet="Meduza")] == ["moscow-2"]
    assert [a.n_attributions for a in filled.list_articles(q="KYIV")] == [3]
    assert len(filled.list_articles(limit=1, offset=1)) == 1


def test_speakers_are_linked_across_articles(filled):
    putin = [s for s in filled.list_speakers() if s.name == "Vladimir Putin"]
    assert len(putin) == 1
    entry = putin[0]
    assert entry.type == "person" and entry.n_statements == 4
    assert set(entry.aliases) == {"Russian President Vladimir Putin", "Putin", "Vladimir Putin"}
    assert entry.first_date == "2022-11-09" and entry.last_date == "2022-11-12"
    assert filled.get_speaker(entry.id) == entry
    assert [s.name for s in filled.list_speakers(q="putin")] == ["Vladimir Putin"]


def test_anonymous_sources_grouped_by_description_and_outlet(filled):
    anonymous = filled.list_speakers(type="anonymous")
    names = sorted((s.name, s.n_statements) for s in anonymous)
    # "a government source" and "government sources" are one group per outlet, never a person
    # the group is named by one of its descriptions, which one is not the point
    assert sorted((name.rsplit(" (", 1)[1], n) for name, n in names) == [("Meduza)", 1), ("Ukrainska Pravda)", 2)]
    assert all(name.split(" (")[0] in {"a government source", "government sources"} for name, _ in names)
    assert all(s.type == "anonymous" and s.outlet for s in anonymous)


def test_speaker_ids_stay_stable_across_links(filled):
    before = {s.name: s.id for s in filled.list_speakers()}
    filled.add_articles([make_article("late-4", [("Putin", "person", "said", "assert", "talks are possible")],
                                      published="2022-12-01", outlet="Meduza")])
    link_store(filled, claims=False)
    after = {s.name: s.id for s in filled.list_speakers()}
    assert all(after[name] == sid for name, sid in before.items())
    assert filled.quotes(speaker="Putin", limit=1)[0].article_id == "late-4"


def test_quotes_filters(filled):
    putin = filled.quotes(speaker="Putin")
    assert [q.article_id for q in putin] == ["wire-3", "moscow-2", "kyiv-1", "kyiv-1"]  # newest first
    assert {q.speaker_name for q in putin} == {"Vladimir Putin"}
    assert [q.article_id for q in filled.quotes(speaker="Putin", since="2022-11-10")] == ["wire-3", "moscow-2"]
    assert [q.article_id for q in filled.quotes(speaker="Putin", until="2022-11-09")] == ["kyiv-1", "kyiv-1"]
    [denial] = filled.quotes(stance="deny")
    assert denial.speaker_name == "Dmitry Peskov" and denial.attribution.cue.text == "denied"
    assert len(filled.quotes(speaker_type="anonymous")) == 3
    assert len(filled.quotes(outlet="Meduza")) == 3
    assert filled.quotes(speaker="Nobody Atall") == []
    assert filled.quotes(speaker=putin[0].speaker_id, limit=2) == putin[:2]
    assert filled.quotes(speaker="Putin", offset=3) == putin[3:]


def test_quotes_carry_spans_as_evidence(filled):
    quote = filled.quotes(stance="deny")[0]
    text = filled.get_article(quote.article_id).text
    [content] = quote.attribution.content
    assert text[content.start:content.end] == content.text
    cue = quote.attribution.cue
    assert text[cue.start:cue.end] == cue.text == "denied"
    data = json.loads(json.dumps(quote.to_dict()))
    assert data["attribution"]["content"] == content.to_dict() and data["attribution"]["stance"] == "deny"


def test_quotes_carry_the_attribution_as_extracted(filled):
    """Every stored attribution comes back equal to the one extracted: spans, speaker, nesting."""
    for summary in filled.list_articles(limit=100):
        article = filled.get_article(summary.id)
        quotes = sorted((q for q in filled.quotes(limit=1000) if q.article_id == article.id), key=lambda q: q.index)
        assert tuple(q.attribution for q in quotes) == article.attributions


def test_search_full_text(filled):
    assert {q.article_id for q in filled.search("mobilisation")} == {"moscow-2", "wire-3"}
    assert [q.speaker_name for q in filled.search("mobilisation", stance="deny")] == ["Dmitry Peskov"]
    assert [q.index for q in filled.search("talks", speaker="Putin")] == [2, 0]  # most recently stored first
    assert filled.search("talk") != []  # stemmed: "talk" finds "talks"
    assert filled.search("") == [] and filled.search("zebra") == []


@pytest.mark.parametrize("hostile", ['"unbalanced', "a OR b NOT c", "NEAR(x y)", "col:val*", "'; DROP TABLE articles; --",
                                     "\x00", "%_"])
def test_search_and_filters_take_any_text(filled, hostile):
    filled.search(hostile)
    filled.quotes(speaker=hostile, outlet=hostile)
    filled.list_speakers(q=hostile)
    filled.list_articles(q=hostile)
    assert filled.count()["articles"] == 3


def test_bad_date_is_an_error(filled):
    from onrecord.store import StoreError

    with pytest.raises(StoreError, match="since"):
        filled.quotes(since="last tuesday")


def test_sourcing(filled):
    rows = {r.key: r for r in filled.sourcing()}
    up = rows["Ukrainska Pravda"]
    assert (up.total, up.named, up.anonymous, up.media, up.other) == (6, 3, 2, 1, 0)
    assert up.share_anonymous == pytest.approx(2 / 6, abs=1e-3)
    by_article = {r.key: r for r in filled.sourcing(by="article")}
    assert by_article["moscow-2"].named == 2 and by_article["moscow-2"].anonymous == 1
    from onrecord.store import StoreError

    with pytest.raises(StoreError):
        filled.sourcing(by="speaker")


def test_claims_empty_until_linked(filled):
    assert filled.list_claims() == [] and filled.contradictions() == [] and filled.get_claim(1) is None


def test_migration_from_0002_backfills_the_attribution_records(db_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import select

    from onrecord.store import open_store
    from onrecord.store import schema as s
    from onrecord.store.engine import MIGRATIONS

    with open_store(db_url) as store:
        store.add_articles(corpus())
        expected = store.quotes(limit=1000)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
    with open_store(db_url) as store:  # upgraded again on opening
        with store.engine.connect() as conn:
            assert None not in set(conn.execute(select(s.attributions.c.data)).scalars())
        assert store.quotes(limit=1000) == expected


def test_a_speaker_carries_the_gender_its_statements_agree_on(store):
    store.add_articles(GENDERED)
    link_store(store, claims=False)
    genders = {s.name: s.gender for s in store.list_speakers(limit=100)}
    assert genders["Jane Roe"] == "female"  # "Roe" in g-2, ungendered there, is her too
    assert genders["John Doe"] == "male"
    assert genders["Alex Poe"] == "unknown"  # "Ms" in one article, "he" in another: a conflict
    assert genders["Sam Loe"] == "unknown"  # no evidence, nothing guessed
    assert genders["the Port Authority"] == "unknown"  # an organisation has none
    assert {g for n, g in genders.items() if n.startswith("a port official")} == {"unknown"}  # people named only
    [roe] = [s for s in store.list_speakers(q="Jane Roe")]
    assert store.get_speaker(roe.id).gender == "female" and store.get_speaker(roe.id).to_dict()["gender"] == "female"


def test_migration_from_0003_backfills_genders(db_url):
    from alembic import command
    from alembic.config import Config

    from onrecord.store import open_store
    from onrecord.store.engine import MIGRATIONS

    from .store_articles import with_genders

    tolerance = [with_genders(make_article(f"t-{name}", [(name, "person", "said", "assert", f"point {n}")
                                                         for n in range(len(genders))]), genders)
                 for name, genders in (("Max Moe", ["male"] * 9 + ["female"]), ("Kim Koe", ["male"] * 8 + ["female"]))]
    with open_store(db_url) as store:
        store.add_articles(GENDERED + tolerance)
        link_store(store, claims=False)
        expected = sorted((s.name, s.gender) for s in store.list_speakers(limit=100))
        assert ("Max Moe", "male") in expected and ("Kim Koe", "unknown") in expected
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
    with open_store(db_url) as store:  # upgraded again on opening: genders read back from the records
        assert sorted((s.name, s.gender) for s in store.list_speakers(limit=100)) == expected
        assert ("Jane Roe", "female") in expected and ("Alex Poe", "unknown") in expected


def test_statements_by_gender_and_words_and_the_gender_figures(store):
    """The queries behind the gender table, the speaker page and the feeds, alike on both backends."""
    from onrecord.store import queries

    store.add_articles(GENDERED)
    link_store(store, claims=False)
    women = store.quotes(gender="female")
    assert {q.speaker_name for q in women} == {"Jane Roe"} and len(women) == 4
    assert {q.speaker_name for q in store.quotes(gender="male")} == {"John Doe"}
    assert {q.speaker_name for q in store.quotes(gender="unknown")} == {"Alex Poe", "Sam Loe"}  # people only
    [roe] = store.resolve_speaker("Jane Roe")
    harbour = store.quotes(speaker=roe, text="harbour")
    assert [q.article_id for q in harbour] == ["g-3", "g-2", "g-1"]  # newest first, every word must occur
    assert store.quotes(speaker=roe, text="harbour April") == harbour[:1] and store.quotes(text="!?") != []
    assert queries.count_quotes(store, speaker=roe, text="harbour", stance="assert") == 2
    figures = {r["outlet"]: r for r in queries.gender_by_outlet(store)}
    assert figures["Harbour Times"]["sources"] == {"female": 2, "male": 1, "unknown": 3}
    assert figures["Harbour Times"]["statements"] == {"female": 3, "male": 1, "unknown": 3}
    assert "Coast News" not in {r["outlet"] for r in queries.gender_by_outlet(store, until="2022-11-30")}
    assert queries.timeline_counts(store, speaker=roe) == [("2022-11-01", "assert", 1), ("2022-11-03", "assert", 1),
                                                           ("2022-11-03", "deny", 1), ("2022-12-20", "assert", 1)]
    newest = queries.newest_on_record(store, speaker_id=roe, limit=2)
    assert [(q.article_id, q.index) for q, _, _ in newest] == [("g-3", 0), ("g-2", 1)]
    assert all(stored for _, stored, _ in newest) and queries.last_stored(store) >= newest[0][1]
    assert [q.article_id for q, _, _ in queries.newest_on_record(store, text="dredging")] == ["g-2"]
