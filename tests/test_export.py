import csv
import io
import json

import pytest

from onrecord.models import ROW_COLUMNS

from .store_articles import corpus

pytest.importorskip("sqlalchemy")

from onrecord.link.stored import link_store  # noqa: E402


@pytest.fixture
def filled(store):
    store.add_articles(corpus())
    link_store(store, claims=False)
    return store


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "jsonld"])
def test_text_exports(filled, fmt):
    from onrecord.store.export import export_store

    out = io.StringIO()
    assert export_store(filled, fmt, out) == 9
    text = out.getvalue()
    if fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines()]
        assert {r["speaker_name"] for r in rows} >= {"Vladimir Putin", "Dmitry Peskov"}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 9 and json.loads(rows[0]["content_spans"])
    else:
        doc = json.loads(text)
        assert doc["@context"]["@vocab"] == "https://schema.org/"
        quotes = doc["@graph"]
        assert len(quotes) == 9 and all(q["@type"] == "Quotation" for q in quotes)
        putin = [q for q in quotes if q.get("creator", {}).get("name") == "Vladimir Putin"]
        assert putin and putin[0]["creator"]["@type"] == "Person" and putin[0]["isPartOf"]["@type"] == "NewsArticle"


def test_parquet_export(filled, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from onrecord.store.export import export_store

    path = tmp_path / "a.parquet"
    assert export_store(filled, "parquet", path) == 9
    table = pq.read_table(path)
    # the one row of an attribution (`ROW_COLUMNS`): the speaker as shown is `speaker` (was `speaker_name`)
    assert table.num_rows == 9 and table.schema.names == list(ROW_COLUMNS)
    assert "Vladimir Putin" in table.column("speaker").to_pylist()


def test_the_csv_export_of_an_empty_store_has_its_header(store):
    from onrecord.store.export import export_store

    out = io.StringIO()
    assert export_store(store, "csv", out) == 0
    assert out.getvalue().strip() == ",".join(ROW_COLUMNS)


@pytest.mark.slow
def test_export_cli(tmp_path, db_url):
    from click.testing import CliRunner

    from benchmarks.store import main as bench_store
    from onrecord.cli import cli

    from .conftest import EXAMPLES

    runner = CliRunner()
    result = runner.invoke(bench_store, [str(EXAMPLES), "--attributions", "300", "--queries", "5",
                                         "--db", db_url, "--json"])  # fills the store
    assert result.exit_code == 0, result.output
    out = tmp_path / "all.parquet"
    result = runner.invoke(cli, ["export", "--db", db_url, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert runner.invoke(cli, ["export", "--db", db_url, "--format", "parquet"]).exit_code == 2
