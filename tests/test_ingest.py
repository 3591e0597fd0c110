"""One ingest path: every input stored or reported, ids unique, strings checked before the database."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from onrecord.errors import InputError

from .conftest import ROOT
from .store_articles import corpus, make_article

pytest.importorskip("sqlalchemy")

from onrecord.link.stored import catch_up  # noqa: E402


def ingested(store, articles, **options):
    from onrecord.store import ingest

    return ingest(store, articles, extracted=True, **options)


def test_every_input_is_stored_or_reported(store):
    articles = corpus()
    report = ingested(store, [articles[0], InputError("cannot read", input="gone.txt"), articles[1]])
    assert report.counts() == {"added": 2, "updated": 0, "skipped": 0, "failed": 1}
    [failed] = report.failed
    assert failed.error == "gone.txt: cannot read"
    assert catch_up(store, claims=False) == 2  # what ingest stored waits for linking, which finds it
    again = ingested(store, articles)
    assert again.counts() == {"added": 1, "updated": 0, "skipped": 2, "failed": 0}


@pytest.mark.parametrize("field", ["outlet", "title", "url", "id", "published"])
def test_a_nul_in_metadata_costs_only_its_article(store, field):
    """Issue 11, item 1: on PostgreSQL a NUL in one record's metadata lost the whole batch."""
    good, bad = corpus()[0], replace(corpus()[1], **{field: "Met\x00a"})
    assert store.add_articles([good, bad, corpus()[2]]) == {"added": 2, "updated": 0, "skipped": 0, "failed": 1}
    report = ingested(store, [bad])
    assert report.counts()["failed"] == 1 and f"{field}: contains a NUL character" in report.failed[0].error
    assert store.count()["articles"] == 2


def test_a_nul_in_the_text_is_reported_and_the_run_goes_on(store):
    """Issue 11, item 2: a NUL in a text crashed the run after its batch (KeyError: 'failed')."""
    bad = make_article("nul", [("Odile Ferrand", "person", "said", "assert", "the ferry\x00 runs late")])
    report = ingested(store, [corpus()[0], bad, corpus()[1]], batch_size=2)
    assert report.counts() == {"added": 2, "updated": 0, "skipped": 0, "failed": 1}
    assert report.failed[0].id == "nul" and "text: contains a NUL character" in report.failed[0].error
    assert catch_up(store, claims=False) == 2 and store.count()["speakers"] > 0


@pytest.mark.parametrize("bad", [
    {"text": "The harbour \ud800 reopened."}, {"id": "x" * 501}, {"title": "\udfff"}, {"outlet": "Bell\x07 News"},
    {"id": " "}, {"id": {"a": 1}}, {"published": 20221110},
])
def test_strings_are_checked_before_the_database(store, bad):
    from onrecord.store import check_article

    article = replace(corpus()[0], **bad)
    assert check_article(article)
    report = ingested(store, [article])
    assert report.counts()["failed"] == 1 and store.count()["articles"] == 0


def test_an_id_repeated_with_another_text_is_an_error_not_an_overwrite(store):
    """Issue 11, item 3: duplicate ids kept one input, and successive runs flipped between them."""
    first = corpus()[0]
    other = make_article(first.id, [("Odile Ferrand", "person", "said", "assert", "the pier is closed")])
    report = ingested(store, [first, other, first])
    assert [(i.id, i.status) for i in report.items] == [("kyiv-1", "failed"), ("kyiv-1", "skipped"),
                                                       ("kyiv-1", "added")]
    assert "repeats with another text" in report.items[0].error
    for _ in range(2):  # a later run with the other text is refused too: nothing flips
        assert ingested(store, [other]).counts()["failed"] == 1
        assert store.get_article(first.id) == first


def test_files_under_a_directory_get_their_relative_path_as_id(tmp_path):
    from onrecord.store.ingest import read_inputs

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"The {folder} desk said the pier was shut.\n")
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": "Odile said so."}) + "\n"
                                         + json.dumps({"text": "Tomasz said no.", "id": "kept"}) + "\n")
    ids = [item.id for path in sorted(tmp_path.rglob("*.*")) for item in read_inputs(str(tmp_path), path, None)]
    assert ids == ["a/report", "b/report", "feed-1", "kept"]
    nested = tmp_path / "a" / "report.txt"
    assert [i.id for i in read_inputs(str(nested), nested, None)] == ["report"]  # named directly: its name


WRITER = """
import sys
from onrecord.link.stored import link_store
from onrecord.store import open_store
from tests.store_articles import make_article

url, name = sys.argv[1], sys.argv[2]
articles = [make_article(f"{name}-{n}", [("Odile Ferrand", "person", "said", "assert", f"{name} pier {n} is shut")])
            for n in range(20)]
with open_store(url) as store:
    for start in range(0, 20, 5):
        store.add_articles(articles[start:start + 5])
        link_store(store, claims=False)
"""


NAMES = ("north", "south", "east")


def test_two_processes_write_one_fresh_store(db_url):
    """Issue 11, item 7: a second process died ("table articles already exists", IntegrityError)."""
    from onrecord.store import open_store

    processes = [subprocess.Popen([sys.executable, "-c", WRITER, db_url, name], cwd=ROOT, stderr=subprocess.PIPE,
                                  text=True) for name in NAMES]
    errors = []
    for process in processes:
        try:
            _, err = process.communicate(timeout=600)
        finally:
            process.kill()
            process.wait()
        errors.append(err[-2000:] if process.returncode else "")
    assert errors == [""] * len(NAMES)
    with open_store(db_url) as store:
        assert store.count()["articles"] == 20 * len(NAMES)
        [speaker] = store.list_speakers()
        assert speaker.n_statements == 20 * len(NAMES)


_texts = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.one_of(st.none(), _texts), outlet=st.one_of(st.none(), _texts), url=st.one_of(st.none(), _texts),
       suffix=_texts)
def test_any_metadata_is_stored_exactly_or_reported(store, title, outlet, url, suffix):
    """Random strings (NUL, surrogates, controls included): never an exception; stored ones read back equal."""
    article = replace(corpus()[0], id=f"fuzz-{suffix}", title=title, outlet=outlet, url=url,
                      text=corpus()[0].text + " " + repr(suffix))
    report = ingested(store, [article])
    [item] = report.items
    if item.status == "failed":
        assert item.error
    else:
        assert item.status in ("added", "updated", "skipped")
        stored = store.get_article(article.id)
        assert (stored.title, stored.outlet or None, stored.url) == (title, outlet or None, url)  # "" is no outlet


# ---------------------------------------------------------------- the output of the Spark job
def write_spark_output(folder, articles, *, attribution_rows=None):
    """The datasets `onrecord spark` writes (`onrecord.spark` rows, Hive partitions by month), with pyarrow."""
    import pyarrow as pa
    import pyarrow.dataset as pa_dataset

    from onrecord import spark

    ints = {"n_attributions", "index", "source_start", "source_end", "cue_start", "cue_end", "nested_in"}

    def table(fields, rows):
        schema = pa.schema([(f, pa.int64() if f in ints else pa.bool_() if f == "text_is_input" else pa.string())
                            for f in fields])
        return pa.Table.from_pylist(rows, schema=schema)

    rows = attribution_rows if attribution_rows is not None else [
        r for a in articles for r in spark.attribution_rows(a)]
    for name, fields, data in (("articles", spark.ARTICLE_FIELDS, [spark.article_row(a) for a in articles]),
                               ("attributions", spark.ATTRIBUTION_FIELDS, rows)):
        pa_dataset.write_dataset(table(fields, data), str(folder / name), format="parquet",
                                 partitioning=["month"], partitioning_flavor="hive",
                                 basename_template="part-{i}.snappy.parquet", existing_data_behavior="overwrite_or_ignore")
    (folder / "articles" / "_SUCCESS").write_text("")  # as Spark leaves it


def stored(store):
    """Everything a user reads back: each statement as stored, with its speaker, and the speakers."""
    quotes = sorted((q.article_id, q.index, json.dumps(q.attribution.to_dict(), sort_keys=True), q.speaker_name,
                     q.outlet, q.published) for q in store.quotes(limit=1000))
    speakers = sorted((s.name, s.type, s.n_statements, tuple(sorted(s.aliases))) for s in store.list_speakers())
    return quotes, speakers, sorted(store.sourcing(), key=lambda r: r.key)


def spark_corpus():
    from onrecord.models import LayoutSpan, Span

    from .test_sourcing import more

    first = corpus()[0]
    furnished = replace(first, id="furnished", text=first.text + "\nPhoto: AP", text_is_input=False,
                        layout=(LayoutSpan.of(first.text + "\nPhoto: AP", len(first.text) + 1,
                                              len(first.text) + 10, "credit"),),
                        boilerplate=(Span.of(first.text, 0, 8),), warnings=("a short page",))
    return corpus() + more() + [furnished]


def test_spark_output_is_stored_as_ingesting_the_articles(store, tmp_path):
    from onrecord.spark import read_output
    from onrecord.store import ingest, open_store

    articles = spark_corpus()
    write_spark_output(tmp_path / "out", articles)
    report = ingest(store, read_output(tmp_path / "out"), extracted=True, batch_size=3)
    assert report.counts() == {"added": 6, "updated": 0, "skipped": 0, "failed": 0}
    assert catch_up(store, claims=False) == 6
    assert [store.get_article(a.id) for a in articles] == articles  # the very records, layout and all
    with open_store(str(tmp_path / "direct.db")) as direct:
        ingest(direct, articles, extracted=True)
        catch_up(direct, claims=False)
        assert stored(store) == stored(direct)
    counts = store.count()
    again = ingest(store, read_output(tmp_path / "out"), extracted=True)
    assert again.counts() == {"added": 0, "updated": 0, "skipped": 6, "failed": 0}
    assert store.count() == counts  # nothing twice


def test_spark_output_is_read_in_passes_with_the_same_result(tmp_path):
    from onrecord.spark import read_output

    articles = spark_corpus()
    write_spark_output(tmp_path / "out", articles)
    whole = sorted(read_output(tmp_path / "out"), key=lambda a: a.id)
    assert sorted(read_output(tmp_path / "out", batch_rows=2, pass_rows=2), key=lambda a: a.id) == whole
    assert sorted(whole, key=lambda a: a.id) == sorted(articles, key=lambda a: a.id)


def test_bad_rows_of_spark_output_cost_only_their_article(tmp_path):
    from onrecord import spark
    from onrecord.cli import cli
    from click.testing import CliRunner

    articles = spark_corpus()
    rows = [r for a in articles for r in spark.attribution_rows(a)]
    by_article = {}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)
    by_article["kyiv-1"][0]["cue_start"] += 3  # offsets that moved: they select another text
    by_article["moscow-2"][1]["cue_end"] = 10 ** 6  # outside the text
    by_article["wire-3"].pop()  # a row missing
    orphan = dict(by_article["tass-5"][0], article_id="ghost", content_hash="0" * 64)
    refused = [replace(a, title="Ti\x00tle") if a.id == "nowhere-4" else a for a in articles]  # by the store
    folder = tmp_path / "out"
    write_spark_output(folder, refused,
                       attribution_rows=[r for rs in by_article.values() for r in rs] + [orphan])
    db = tmp_path / "spark.db"
    result = CliRunner().invoke(cli, ["ingest", "--from-spark", str(folder), "--db", str(db), "--no-claims"])
    assert result.exit_code == 3, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    expected = ["out/articles: article kyiv-1: attribution 0: the cue offsets select 'd', not the cue written ('said')",
                "out/articles: article moscow-2: attribution 1: cue offsets 70-1000000 outside the text",
                "out/articles: article wire-3: 2 attribution row(s) with indices 0, 1 (expected 3)",
                "out/attributions: 1 attribution row(s) of article ghost, which is not in articles/",
                "nowhere-4: title: contains a NUL character"]
    assert len(errors) == len(expected) and all(sum(e in line for line in errors) == 1 for e in expected), errors
    assert "2 added, 0 updated, 0 skipped" in result.stderr

    again = CliRunner().invoke(cli, ["ingest", "--from-spark", str(folder), "--db", str(db), "--no-claims"])
    assert again.exit_code == 3 and "0 added, 0 updated, 2 skipped" in again.stderr


def test_spark_output_needs_from_spark_and_from_spark_needs_spark_output(tmp_path):
    from onrecord.cli import cli
    from click.testing import CliRunner

    write_spark_output(tmp_path / "out", corpus())
    (tmp_path / "texts").mkdir()
    db = str(tmp_path / "x.db")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "out"), "--db", db])
    assert result.exit_code == 2 and "load it with --from-spark" in result.output
    result = CliRunner().invoke(cli, ["ingest", "--from-spark", str(tmp_path / "texts"), "--db", db])
    assert result.exit_code == 2 and "not an output folder of 'onrecord spark'" in result.output
    (tmp_path / "out" / "attributions" / "month=2022-11" / "part-0.snappy.parquet").write_bytes(b"PAR1 not parquet")
    result = CliRunner().invoke(cli, ["ingest", "--from-spark", str(tmp_path / "out"), "--db", db])
    assert result.exit_code == 3 and "cannot read" in result.stderr, result.output


def test_spark_output_of_another_shape_is_reported_not_raised(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from onrecord.spark import read_output

    for name, table in (("articles", pa.table({"id": ["a"], "text": [b"\xff\xfe bytes"]})),
                        ("attributions", pa.table({"article_id": ["a"], "index": ["zero"], "cue_start": [0],
                                                   "cue_end": [1], "content_spans": ["[[0, "]}))):
        (tmp_path / "out" / name).mkdir(parents=True)
        pq.write_table(table, tmp_path / "out" / name / "part-0.parquet")
    [error] = list(read_output(tmp_path / "out"))
    assert "article a: id and text must be strings" in str(error)
    assert list(read_output(tmp_path / "nothing")) and "not the output of onrecord spark" in str(
        next(read_output(tmp_path / "nothing")))
