from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SAMPLE = EXAMPLES / "ukrainska-pravda-2022-11-09.txt"
SAMPLE_GOLD = EXAMPLES / "ukrainska-pravda-2022-11-09.gold.json"
SHARED = ROOT.parent / "shared"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev"


def small_polnear(part: str, n: int, folder: Path) -> Path:
    """The first ``n`` articles of a PolNeAR compartment (``train``, ``dev``) copied to ``folder``
    (training tests on small data); skips where ../shared holds no PolNeAR."""
    import shutil

    source = SHARED / "data" / "polnear" / part
    if not source.exists():
        pytest.skip(f"{source} not found: ../shared beside this checkout holds PolNeAR")
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    for text in sorted((source / "text").glob("*.txt"))[:n]:
        shutil.copy(text, folder / "text")
        for ann in (source / "attributions").glob(text.stem + "_*.ann"):
            shutil.copy(ann, folder / "attributions")
    return folder


def load_shared_scorer(name: str):
    """The reference scorers in ../shared/eval (CI has ../shared beside the clone)."""
    path = SHARED / "eval" / f"{name}.py"
    if not path.exists():
        pytest.skip(f"{path} not found")
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    from onrecord.nlp import load_nlp

    return load_nlp()


# ---------------------------------------------------------------- store fixtures
# The same store tests run on SQLite and on a real PostgreSQL server: a throwaway cluster
# started once per session (Debian's postgresql package, installed by scripts/setup-system),
# or the server named by ONRECORD_TEST_PG_URL.

@pytest.fixture(scope="session")
def pg_server():
    import os

    pytest.importorskip("psycopg")
    from tests.pgcluster import TempCluster, server_bin

    if os.environ.get("ONRECORD_TEST_PG_URL"):
        yield None
        return
    if not server_bin("initdb"):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries missing in CI: scripts/setup-system should install them")
        pytest.skip("PostgreSQL server binaries not installed (scripts/setup-system)")
    cluster = TempCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


_pg_databases = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty PostgreSQL database for one test."""
    import os

    url = os.environ.get("ONRECORD_TEST_PG_URL")
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        return url
    return pg_server.create_database(f"test_{next(_pg_databases)}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def db_url(request, tmp_path):
    """A fresh database URL on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "onrecord.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    pytest.importorskip("sqlalchemy")
    from onrecord.store import open_store

    with open_store(db_url) as opened:
        yield opened
