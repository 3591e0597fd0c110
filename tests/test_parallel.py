"""Extraction on several cores gives what one process gives, in input order."""

from __future__ import annotations

import pickle

import pytest

from onrecord.config import Settings
from onrecord.errors import ExtractionError, InputError, InputTooLarge
from onrecord.models import Article
from onrecord.parallel import extract_parallel
from onrecord.pipeline import extract_many

SENTENCES = [
    "The coach said that the team would train indoors on {n} March.",
    "\"We are not selling the stadium,\" the club's owner told reporters after match {n}.",
    "According to the league, {n} tickets were returned unused.",
    "Fans complained that the queue at gate {n} took an hour.",
]


def _articles(count: int) -> list[Article]:
    return [Article(id=f"a{n:03d}", text=" ".join(s.format(n=n + 1) for s in SENTENCES[n % 4:] + SENTENCES[:n % 4]))
            for n in range(count)]


@pytest.mark.slow
def test_two_workers_give_the_same_attributions_in_input_order():
    settings = Settings(batch_size=8)
    articles = _articles(30)  # four batches: the pool runs
    alone = [a.to_dict() for a in extract_many(articles, settings)]
    seen: list[str] = []
    together = [a.to_dict() for a in extract_parallel(articles, settings, workers=2,
                                                      progress=lambda a: seen.append(a.id))]
    assert [a["id"] for a in together] == [a.id for a in articles] == seen
    assert together == alone
    assert sum(len(a["attributions"]) for a in together) >= 60


@pytest.mark.slow
def test_a_single_batch_runs_in_process_and_accepts_any_iterable():
    found = list(extract_parallel(iter(_articles(3)), Settings(batch_size=8), workers=4))
    assert [a.id for a in found] == ["a000", "a001", "a002"]


@pytest.mark.parametrize("error", [InputError("not valid UTF-8", input="x.txt", line=3),
                                   ExtractionError("extraction failed (ValueError: boom)", input="doc-7"),
                                   InputTooLarge("11.0 MB is over the 10 MB limit", input="big.txt")])
def test_errors_cross_process_boundaries_unchanged(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    assert (copy.input, copy.line) == (error.input, error.line)


@pytest.mark.slow
def test_extract_with_two_workers_writes_what_one_writes(tmp_path):
    from click.testing import CliRunner

    from onrecord.cli import cli

    for article in _articles(40):
        (tmp_path / f"{article.id}.txt").write_text(article.text)
    one = CliRunner().invoke(cli, ["extract", str(tmp_path), "--format", "jsonl", "--workers", "1", "--silent"])
    two = CliRunner().invoke(cli, ["extract", str(tmp_path), "--format", "jsonl", "--workers", "2", "--silent"])
    assert one.exit_code == two.exit_code == 0, two.output
    assert one.stdout == two.stdout and one.stdout.count("\n") == 40


def test_workers_must_be_positive():
    from onrecord.errors import ConfigError

    with pytest.raises(ConfigError):
        Settings(workers=0)


def test_default_workers_never_exceed_what_memory_holds(monkeypatch):
    import os

    from onrecord import parallel

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.setattr(os, "sysconf", lambda name: {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": 4 * 2**30 // 4096}[name])
    assert parallel.default_workers() == 4  # 64 cores, 4 GB: four workers of about 1 GB
