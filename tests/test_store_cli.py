"""The store commands end to end: ingest real text with the real model, then query."""

import json
import re

import pytest
from click.testing import CliRunner

from onrecord.cli import cli

from .conftest import SAMPLE

pytest.importorskip("sqlalchemy")
pytestmark = pytest.mark.slow


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


@pytest.fixture
def ingested(tmp_path):
    db = tmp_path / "cli.db"
    good = tmp_path / "in" / "reuters_2022-11-10_talks.txt"
    good.parent.mkdir()
    good.write_text("Vladimir Putin said on Tuesday that Russia would not stop the offensive. "
                    "A senior Kremlin source denied that talks had begun.", encoding="utf-8")
    result = run("ingest", "--db", db, "--silent", "--no-claims", SAMPLE, good.parent)
    assert result.exit_code == 0, result.output
    assert "2 added, 0 updated, 0 skipped" in result.stderr
    return db, tmp_path


def test_ingest_twice_stores_nothing_new(ingested):
    db, tmp_path = ingested
    again = run("ingest", "--db", db, "--silent", "--no-claims", SAMPLE, tmp_path / "in")
    assert again.exit_code == 0 and "0 added, 0 updated, 2 skipped" in again.stderr
    articles = json.loads(run("sourcing", "--db", db, "--by", "article", "--format", "json").stdout)
    assert sorted(a["key"] for a in articles) == ["reuters_2022-11-10_talks", SAMPLE.stem]


def test_reextract_keeps_sourcing_exact(ingested):
    """--reextract with another attributor updates in place; the sourcing summaries follow."""
    from onrecord.store import open_store

    from .test_sourcing import scanned

    db, tmp_path = ingested
    again = run("ingest", "--db", db, "--silent", "--no-link", "--reextract", "--attributor", "rules", SAMPLE,
                tmp_path / "in")
    assert again.exit_code == 0, again.output
    assert "0 added, 1 updated" in again.stderr  # the sample: rules extract it differently
    shown = json.loads(run("sourcing", "--db", db, "--format", "json").stdout)
    with open_store(str(db)) as store:
        for by in ("outlet", "article"):
            assert store.sourcing(by=by) == scanned(store, by)
        # the CLI shows the web's table (one query: a group is not a named source); the totals are the store's
        assert [(r["key"], r["total"]) for r in shown] == [(r.key, r.total) for r in scanned(store)]


def test_bad_inputs_exit_3_and_the_rest_is_stored(tmp_path):
    db = tmp_path / "x.db"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    result = run("ingest", "--db", db, "--silent", "--no-link", bad, SAMPLE, tmp_path / "missing.txt")
    assert result.exit_code == 3
    assert f"error: {bad}: looks like a binary file" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert "1 added" in result.stderr and "2 input(s) failed" in result.stderr


def test_queries_as_json(ingested):
    db, _ = ingested
    speakers = json.loads(run("speakers", "--db", db, "--format", "json").stdout)
    putin = [s for s in speakers if s["name"] == "Vladimir Putin"]
    assert putin and putin[0]["n_statements"] >= 2 and "Vladimir Putin" in putin[0]["aliases"]
    quotes = json.loads(run("quotes", "--db", db, "--speaker", "Putin", "--format", "json").stdout)
    assert quotes and {q["speaker_name"] for q in quotes} == {"Vladimir Putin"}
    assert any("not stop the offensive" in json.dumps(q["attribution"]["content"]) for q in quotes)
    denials = json.loads(run("quotes", "--db", db, "--stance", "deny", "--format", "json").stdout)
    assert {q["attribution"]["speaker"]["type"] for q in denials} >= {"anonymous"}
    men = json.loads(run("quotes", "--db", db, "--gender", "male", "--format", "json").stdout)
    assert men and "Vladimir Putin" in {q["speaker_name"] for q in men}
    assert all(q["attribution"]["speaker"]["type"] == "person" for q in men)
    women = json.loads(run("quotes", "--db", db, "--gender", "female", "--format", "json").stdout)
    assert "Vladimir Putin" not in {q["speaker_name"] for q in women}
    rows = json.loads(run("sourcing", "--db", db, "--format", "json").stdout)
    assert {r["key"] for r in rows} == {"Ukrainska Pravda", "Reuters"}  # "reuters_2022-…": the canonical outlet
    wire = json.loads(run("quotes", "--db", db, "--outlet", "reuters.com", "--format", "json").stdout)
    assert wire and {q["outlet"] for q in wire} == {"Reuters"}  # any spelling of an outlet finds it
    found = run("search", "negotiations", "--db", db, "--format", "jsonl").stdout.splitlines()
    assert found and all("negotiat" in json.dumps(json.loads(line)["attribution"]["content"]).lower() for line in found)


@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl"])
def test_other_formats(ingested, fmt):
    db, _ = ingested
    result = run("quotes", "--db", db, "--format", fmt, "--limit", "3")
    assert result.exit_code == 0 and "Ukrainska Pravda" in result.stdout
    if fmt == "table":  # the attribution's fields are columns of the table
        assert "deny" in run("quotes", "--db", db, "--stance", "deny", "--format", "table").stdout


def test_store_errors_are_one_line(tmp_path):
    result = run("speakers", "--db", tmp_path / "no" / "such" / "dir.db")
    assert result.exit_code == 1 and "is not a directory" in result.stderr
    result = run("quotes", "--db", tmp_path / "q.db", "--since", "yesterday")
    assert result.exit_code == 1 and "not an ISO date" in result.stderr
    notdb = tmp_path / "not.db"
    notdb.write_text("hello, I am not a database " * 100)
    result = run("speakers", "--db", notdb)
    assert result.exit_code == 1 and "cannot open the database" in result.stderr


def test_ingest_reports_each_bad_input_and_keeps_ids_apart(tmp_path):
    """Issue 11, items 2 and 3: a NUL in one record crashed the run; a/report.txt and b/report.txt shared an id."""
    root = tmp_path / "desk"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        (root / folder / "report.txt").write_text(f"The {folder} harbour master said the pier would stay shut.",
                                                  encoding="utf-8")
    (root / "wire.jsonl").write_text(
        json.dumps({"id": "nul", "text": "The ferry\u0000 was late, the captain said."}) + "\n"
        + json.dumps({"id": "ok", "text": "The captain said the ferry was late again."}) + "\n", encoding="utf-8")
    db = tmp_path / "desk.db"
    result = run("ingest", "--db", db, "--silent", "--no-claims", root)
    assert result.exit_code == 3, result.output
    assert "error: nul: text: contains a NUL character" in result.stderr
    assert "3 added, 0 updated, 0 skipped" in result.stderr and "1 input(s) failed" in result.stderr
    ids = [a["key"] for a in json.loads(run("sourcing", "--db", db, "--by", "article", "--format", "json").stdout)]
    rows = json.loads(run("quotes", "--db", db, "--format", "json").stdout)
    assert {"a/report", "b/report"} <= {q["article_id"] for q in rows} | set(ids)
    again = run("ingest", "--db", db, "--silent", "--no-claims", root)  # nothing flips between the two
    assert "0 added, 0 updated, 3 skipped" in again.stderr


def test_an_empty_result_says_so_in_one_line(ingested):
    db, _ = ingested
    table = run("quotes", "--db", db, "--speaker", "Nobody Atall", "--format", "table")
    assert table.exit_code == 0 and table.stdout == ""  # no empty table
    assert table.stderr.strip() == "no statements match --speaker Nobody Atall"
    as_json = run("quotes", "--db", db, "--stance", "deny", "--outlet", "nyt", "--format", "json")
    assert json.loads(as_json.stdout) == [] and "no statements match --stance deny" in as_json.stderr
    assert "The New York Times" in as_json.stderr  # the outlet as it is looked for
    found = run("search", "zeppelins", "--db", db, "--format", "table")
    assert found.stdout == "" and found.stderr.strip() == "no statements match 'zeppelins'"
    assert run("claims", "--db", db, "--format", "table").stderr.startswith("no claims stored yet")


def test_the_web_s_parameter_names_are_options(ingested):
    db, _ = ingested
    canonical = run("quotes", "--db", db, "--speaker-type", "anonymous", "--format", "json")
    alias = run("quotes", "--db", db, "--type", "anonymous", "--format", "json")
    assert canonical.exit_code == 0 and json.loads(canonical.stdout) == json.loads(alias.stdout) != []
    assert "--speaker-type, --type" in run("quotes", "--help").stdout
    assert "--meaning, --embeddings" in run("verify", "--help").stdout  # /verify?meaning=…


def test_sourcing_between_dates(ingested):
    db, _ = ingested
    every = json.loads(run("sourcing", "--db", db, "--format", "json").stdout)
    dated = json.loads(run("sourcing", "--db", db, "--since", "2016", "--until", "2022-11", "--format", "json").stdout)
    assert {r["key"]: r["total"] for r in dated} == {r["key"]: r["total"] for r in every}  # all dated in that span
    assert {r["key"]: r["share_named"] for r in dated} == {r["key"]: r["share_named"] for r in every}
    later = run("sourcing", "--db", db, "--since", "2023-01-01", "--format", "table")
    assert later.stdout == "" and later.stderr.strip() == "no statements match --since 2023-01-01"
    assert run("sourcing", "--db", db, "--since", "soon").exit_code == 1


def test_link_prints_a_summary_and_json_for_programs(ingested):
    db, _ = ingested
    human = run("link", "--db", db, "--no-claims")
    assert human.exit_code == 0 and human.stdout == ""
    assert re.fullmatch(r"linked \d+ statements of 2 articles: \d+ speakers, 0 claims, 0 contradictions in [\d.]+ s",
                        human.stderr.strip()), human.stderr
    machine = json.loads(run("link", "--db", db, "--no-claims", "--format", "json").stdout)
    assert machine["articles"] == 2 and machine["speakers"] > 0 and {"contradictions", "seconds"} <= set(machine)


def test_ingest_progress_counts_articles_extracted_then_each_link_step(tmp_path, monkeypatch):
    from onrecord.cli.progress import Progress

    told = []
    monkeypatch.setattr(Progress, "update", lambda self, step, done, total=None: told.append((step, done, total)))
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(f"The harbour master said on Monday that pier {n} would stay shut.",
                                          encoding="utf-8")
    result = run("ingest", "--db", tmp_path / "p.db", "--no-claims", folder)
    assert result.exit_code == 0, result.output
    extracted = [(done, total) for step, done, total in told if step == "extracting"]
    assert [done for done, _ in extracted] == [1, 2, 3] and extracted[-1][1] == 3
    assert [step for step, *_ in told][-1] == "speakers"  # then the link steps, each with its own count
