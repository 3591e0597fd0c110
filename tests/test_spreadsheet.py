"""Every CSV onrecord writes opens in a spreadsheet as text: no cell starts a formula (issue 24, item 8)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from onrecord.cli import cli
from onrecord.spreadsheet import safe_cell

from .store_articles import make_article

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]
STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_a_cell_that_would_start_a_formula_gets_an_apostrophe():
    assert [safe_cell(text) for text in HOSTILE] == ["'" + text for text in HOSTILE]
    assert safe_cell("The minister said so.") == "The minister said so."
    assert safe_cell(-5) == -5 and safe_cell(None) is None  # numbers stay numbers
    assert safe_cell(["=1"]) == json.dumps(["=1"])  # JSON starts with [ : nothing to run


def hostile_article():
    return make_article("formulas", [(f"Ann Lee{n}", "person", "said", "assert", text) for n, text in enumerate(HOSTILE)])


def no_formula(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        assert not [v for v in row.values() if v and v.startswith(STARTS)], row
    return rows


def test_export_and_the_cli_lists_neutralise_cells(tmp_path):
    pytest.importorskip("sqlalchemy")
    from onrecord.link.stored import link_store
    from onrecord.store import open_store
    from onrecord.store.export import export_store

    db = str(tmp_path / "f.db")
    with open_store(db) as store:
        store.add_articles([hostile_article()])
        link_store(store, claims=False)
        out = io.StringIO()
        export_store(store, "csv", out)
    rows = no_formula(out.getvalue())
    assert {row["content"] for row in rows} == {"'" + text for text in HOSTILE}
    listed = CliRunner().invoke(cli, ["quotes", "--db", db, "--format", "csv", "--limit", "50"])
    assert listed.exit_code == 0, listed.output
    no_formula(listed.stdout)


def test_extract_csv_neutralises_cells(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text('"=HYPERLINK(1) is what we need," the minister said on Monday.\n\n'
                    "-5 is what the mayor said the figure would be.\n")
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "csv", "--attributor", "rules"])
    assert result.exit_code == 0, result.output
    no_formula(result.stdout)
