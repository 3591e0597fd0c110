"""The Spark job on local[2]: the same attributions as one process, and only new articles on a re-run."""

from __future__ import annotations

import json

import pytest

from onrecord.config import Settings
from onrecord.models import Article
from onrecord.pipeline import extract_many

pytest.importorskip("pyspark")
pa_dataset = pytest.importorskip("pyarrow.dataset")

TEXTS = [
    "The harbour master said on Monday that the pier would stay closed until spring.",
    "\"Nobody asked us,\" a fisherman told the paper. The council denied that the decision was final.",
    "According to the coastguard, two boats were damaged in the storm.",
    "Residents complained that the ferry timetable had changed without notice.",
]


def _records(start: int, count: int) -> list[dict]:
    return [{"id": f"doc{n}", "text": TEXTS[n % 4] + f" It was report number {n}.",
             "published": f"2021-0{1 + n % 3}-1{n % 9}"} for n in range(start, start + count)]


@pytest.fixture(scope="module")
def spark():
    import os

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from onrecord.spark import session

    spark = session("local[2]", app="onrecord-test")
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()


def _read(folder):
    return pa_dataset.dataset(str(folder), format="parquet", partitioning="hive").to_table().to_pylist()


@pytest.mark.slow
@pytest.mark.integration
def test_spark_job_matches_one_process_and_processes_only_new_articles(spark, tmp_path):
    from onrecord.spark import run_job

    corpus = tmp_path / "corpus.jsonl"
    records = _records(0, 8)
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n{not json\n")
    out = tmp_path / "out"
    counts = run_job(spark, [str(corpus)], str(out), Settings(), partitions=2)
    assert counts == {"articles": 8, "attributions": counts["attributions"], "errors": 1}

    expected = {a.id: a for a in extract_many([Article(id=r["id"], text=r["text"], published=r["published"])
                                               for r in records], Settings())}
    rows = _read(out / "attributions")
    assert len(rows) == sum(len(a.attributions) for a in expected.values()) == counts["attributions"] > 8
    for row in rows:
        a = expected[row["article_id"]].attributions[row["index"]]
        assert (row["cue_start"], row["cue_end"], row["cue"]) == (a.cue.start, a.cue.end, a.cue.text)
        assert row["speaker_type"] == a.speaker.type and row["stance"] == a.stance
        assert row["month"] == expected[row["article_id"]].published[:7]
    assert {r["month"] for r in _read(out / "articles")} == {"2021-01", "2021-02", "2021-03"}
    errors = _read(out / "errors")
    assert len(errors) == 1 and "corpus.jsonl:9" in errors[0]["error"] and "bad JSON" in errors[0]["error"]

    # the corpus grows by two articles: only those are extracted and appended
    corpus.write_text("\n".join(json.dumps(r) for r in records + _records(8, 2)) + "\n")
    again = run_job(spark, [str(corpus)], str(out), Settings(), partitions=2)
    assert again["articles"] == 2 and again["errors"] == 0
    assert sorted(r["id"] for r in _read(out / "articles")) == sorted(f"doc{n}" for n in range(10))


@pytest.fixture(scope="module")
def spark_output(spark, tmp_path_factory):
    """The job's output over a small corpus, and the same articles extracted in one process."""
    from onrecord.spark import run_job

    folder = tmp_path_factory.mktemp("spark")
    records = _records(0, 6)
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    run_job(spark, [str(folder / "corpus.jsonl")], str(folder / "out"), Settings(), partitions=2)
    articles = list(extract_many([Article(id=r["id"], text=r["text"], published=r["published"]) for r in records],
                                 Settings()))
    return folder / "out", articles


@pytest.mark.slow
@pytest.mark.integration
def test_ingest_of_spark_output_stores_what_ingesting_the_texts_does(spark_output, db_url, tmp_path):
    from click.testing import CliRunner

    from onrecord.cli import cli
    from onrecord.link.stored import catch_up
    from onrecord.store import ingest, open_store

    from .test_ingest import stored

    out, articles = spark_output
    result = CliRunner().invoke(cli, ["ingest", "--from-spark", str(out), "--db", db_url, "--no-claims"])
    assert result.exit_code == 0, result.output
    assert "6 added, 0 updated, 0 skipped" in result.stderr
    with open_store(db_url) as loaded, open_store(str(tmp_path / "direct.db")) as direct:
        ingest(direct, articles, extracted=True)
        catch_up(direct, claims=False)  # as the CLI's ingest does after storing
        assert stored(loaded) == stored(direct) and stored(direct)[0]
        assert [loaded.get_article(a.id) for a in articles] == articles
