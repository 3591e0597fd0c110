"""The benchmarks beside the package (benchmarks/): each runs and prints its figures (never asserted fast)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from .conftest import EXAMPLES, SAMPLE


@pytest.mark.slow
def test_bench_prints_figures_against_bare_spacy():
    from benchmarks.extract import main

    result = CliRunner().invoke(main, ["--limit", "1", "--repeat", "1", "--json", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["articles"] == 1 and figures["attributions"] >= 11
    assert figures["ratio_to_bare_spacy"] > 0 and figures["peak_memory_mb"] > 0


@pytest.mark.slow
def test_bench_store_times_ingest_and_queries(tmp_path):
    pytest.importorskip("sqlalchemy")
    from benchmarks.store import main

    result = CliRunner().invoke(main, [str(EXAMPLES), "--attributions", "300", "--queries", "5",
                                       "--db", str(tmp_path / "bench.db"), "--json"])
    assert result.exit_code == 0, result.output
    [figures] = json.loads(result.stdout)["results"]
    assert figures["attributions"] >= 300
    assert {"p50_ms", "p95_ms"} <= set(figures["full_text_search"])


@pytest.mark.parametrize("command", [["benchmarks.linking"], ["benchmarks.store", "--link"]])
def test_bench_link_times_speakers_and_claims_on_synthetic_attributions(command):
    pytest.importorskip("numpy")
    import importlib

    main = importlib.import_module(command[0]).main
    result = CliRunner().invoke(main, [*command[1:], "--attributions", "3000", "--json"])
    assert result.exit_code == 0, result.output
    speakers, claims = json.loads(result.stdout)["results"]
    # name variants merge: fewer speakers than raw keys; near-duplicates group: fewer claims than members
    assert speakers["stage"] == "speakers" and 0 < speakers["speakers"] < speakers["raw_keys"]
    assert claims["stage"] == "claims" and 0 < claims["claims"] < claims["in_claims"] < 3000
    assert all(r["seconds"] >= 0 and r["peak_rss_mb"] >= r["rss_before_mb"] > 0 for r in (speakers, claims))


def test_benchmarks_run_as_modules_and_are_not_commands():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for name in ("extract", "store", "linking", "serve", "cli"):
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--help"], cwd=root,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "--json" in done.stdout, (name, done.stderr)
    from onrecord.cli import cli

    assert not [c for c in cli.list_commands(None) if c.startswith("bench")]
