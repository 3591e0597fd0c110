"""Opening a store from a URL: a SQLite file (default), ``sqlite:///path`` or ``postgresql://...``.

The schema is brought up to date by the Alembic migrations in ``migrations/`` when a
store is opened (skipped cheaply when it is already at `SCHEMA_REVISION`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .base import Store
from .errors import StoreError, database_error, database_name
from .schema import SCHEMA_REVISION

logger = logging.getLogger(__name__)

DEFAULT_URL = "onrecord.db"
BUSY_TIMEOUT_MS = 120_000  # how long a SQLite writer waits for another one
MIGRATIONS = Path(__file__).parent / "migrations"


def _engine(url: str) -> tuple[Any, str]:
    try:
        from sqlalchemy import create_engine, event
        from sqlalchemy.pool import StaticPool
    except ImportError:
        raise StoreError("the store needs SQLAlchemy: pip install 'onrecord[store]'") from None
    if url.startswith(("postgresql:", "postgres:", "postgresql+psycopg:")):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError("PostgreSQL needs psycopg: pip install 'onrecord[postgres]'") from None
        full = "postgresql+psycopg:" + url.split(":", 1)[1]
        return create_engine(full, pool_pre_ping=True), full
    if url.startswith("sqlite:"):
        path = url.split(":///", 1)[1] if ":///" in url else ":memory:"
    elif "://" in url:
        raise StoreError(f"unsupported database URL {database_name(url)!r}: use a file path, sqlite:///PATH or "
                         "postgresql://...")
    else:
        path = url
    memory = path in ("", ":memory:")
    if not memory:
        if Path(path).expanduser().is_dir():
            raise StoreError(f"cannot open the database {path}: it is a directory")
        parent = Path(path).expanduser().resolve().parent
        if not parent.is_dir():
            raise StoreError(f"cannot create the database {path}: {parent} is not a directory")
    engine = create_engine("sqlite://" if memory else f"sqlite:///{path}",
                           connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                           poolclass=StaticPool if memory else None)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # the transactions are ours (BEGIN below), not the sqlite3 module's implicit ones
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # A write transaction takes the write lock at once, so a second writer waits on the
        # busy timeout; a deferred one that reads first would fail with "database is locked"
        # when it tries to write behind another writer. Reads stay deferred (WAL: no waiting).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("onrecord_write") else "BEGIN")

    return engine, f"sqlite:///{path}" if not memory else "sqlite://"


def _revision(conn: Any) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value is not None else None


def migrate(engine: Any) -> None:
    """Run the migrations up to the latest revision (both backends).

    One migrator at a time: on PostgreSQL under an advisory lock, on SQLite in a write
    transaction (``BEGIN IMMEDIATE``); the revision is read again under the lock, so two
    processes opening a fresh database create the tables once and both go on.
    """
    from sqlalchemy import text

    with engine.connect() as conn:
        if _revision(conn) == SCHEMA_REVISION:  # the common case, without taking a lock
            return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.execution_options(onrecord_write=True).begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(814236)"))
        if _revision(conn) == SCHEMA_REVISION:  # another process migrated while we waited
            return
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    logger.info("database schema at revision %s", SCHEMA_REVISION)


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate) a store.

    Args:
        url: ``None`` for ``onrecord.db`` in the working directory, a file path,
            ``sqlite:///PATH``, ``sqlite://`` (in memory) or ``postgresql://user@host:port/db``.

    Raises:
        StoreError: the URL is not supported, a driver is missing, or the database
            cannot be opened.
    """
    url = url or DEFAULT_URL
    try:
        engine, full = _engine(url)
    except StoreError:
        raise
    except Exception as err:  # a URL SQLAlchemy cannot read (a port that is not a number, ...)
        raise database_error(err, url, "cannot open the database {name}") from err
    try:
        migrate(engine)
    except StoreError:
        raise
    except Exception as err:  # driver and migration errors: connection refused, not a database, permissions
        engine.dispose()
        raise database_error(err, url, "cannot open the database {name}") from err
    return Store(engine, full)
