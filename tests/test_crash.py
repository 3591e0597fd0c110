"""No data lost: `onrecord ingest` killed with SIGKILL mid-run, then re-run, stores every article once."""

import os
import signal
import subprocess
import sys
import time

import pytest

pytest.importorskip("sqlalchemy")
pytestmark = pytest.mark.slow

N = 300
PEOPLE = ["Vladimir Putin", "Joe Biden", "Olaf Scholz", "Emmanuel Macron", "Rishi Sunak"]


def write_articles(folder):
    folder.mkdir()
    for n in range(N):
        who = PEOPLE[n % len(PEOPLE)]
        (folder / f"wire_2022-11-{1 + n % 28:02d}_story-{n:04d}.txt").write_text(
            f"Story {n}\n\n{who} said on Tuesday that the talks on item {n} would resume next week. "
            f"A senior official denied that the deal on item {n} had collapsed.\n", encoding="utf-8")


def stored(url):
    from onrecord.store import open_store

    with open_store(url) as store:
        return store.count()["articles"]


def test_sigkill_mid_ingest_then_rerun_stores_each_article_once(db_url, tmp_path):
    from onrecord.store import open_store

    folder = tmp_path / "articles"
    write_articles(folder)
    command = [sys.executable, "-m", "onrecord", "ingest", str(folder), "--db", db_url, "--silent", "--no-claims",
               "--batch-size", "10"]
    stored(db_url)  # schema created before the race
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    at_kill = 0
    while time.monotonic() < deadline and process.poll() is None:
        at_kill = stored(db_url)
        if at_kill >= 30:
            break
        time.sleep(0.2)
    assert process.poll() is None, "ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert 0 < stored(db_url) < N

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(db_url) as store:
        assert store.count()["articles"] == N
        ids = [a.id for a in store.list_articles(limit=10_000)]
        assert len(ids) == len(set(ids)) == N
        assert all(a.n_attributions >= 1 for a in store.list_articles(limit=10_000))
        assert store.count()["attributions"] == sum(a.n_attributions for a in store.list_articles(limit=10_000))
        # the re-run skipped what the killed run had committed
        skipped = int(rerun.stderr.split(" skipped")[0].rsplit(", ", 1)[1])
        assert skipped >= 30
