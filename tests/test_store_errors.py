"""Database failures leave the store as one-line `StoreError`s naming the database, never as driver exceptions."""

from __future__ import annotations

import os
import socket
import sqlite3

import pytest

pytest.importorskip("sqlalchemy")

from click.testing import CliRunner  # noqa: E402

from onrecord.cli import cli  # noqa: E402
from onrecord.errors import OnRecordError  # noqa: E402
from onrecord.link.stored import catch_up, link_store  # noqa: E402
from onrecord.store import Store, StoreError, StoreUnavailable, ingest, open_store, queries  # noqa: E402
from onrecord.store.errors import database_error  # noqa: E402
from onrecord.store.export import export_store, iter_quotes  # noqa: E402

from .store_articles import corpus  # noqa: E402

PASSWORD = "s3cret-pw"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nobody listens there once the socket is closed


def one_line_error(result) -> str:
    """The CLI's error: exit 1 from click's handler (not an escaped exception), one line on stderr."""
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.fixture
def broken(tmp_path):
    """A store whose tables were dropped behind its back (the revision table stays, so it opens)."""
    path = tmp_path / "broken.db"
    with open_store(str(path)) as store:
        store.add_articles(corpus())
    with sqlite3.connect(path) as conn:
        for table in ("contradictions", "speaker_roles", "speaker_aliases", "attributions_fts", "attributions",
                      "claims", "speakers", "sourcing_outlets", "articles"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    return path


def test_random_bytes_are_not_a_database(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(os.urandom(20_000))
    with pytest.raises(StoreError, match=r"^cannot open the database .*corrupt\.db: DatabaseError: file is not a "
                                         r"database$"):
        open_store(str(path))
    assert "corrupt.db: DatabaseError" in one_line_error(run("quotes", "--db", path))


def test_a_directory_is_not_a_database(tmp_path):
    assert one_line_error(run("speakers", "--db", tmp_path)) == f"Error: cannot open the database {tmp_path}: it is a directory"


def test_a_closed_postgresql_port_is_one_line_without_the_password():
    pytest.importorskip("psycopg")
    url = f"postgresql://onrecord:{PASSWORD}@127.0.0.1:{closed_port()}/news"
    with pytest.raises(StoreUnavailable) as caught:
        open_store(url)
    assert "Connection refused" in str(caught.value) or "connection failed" in str(caught.value)
    for command in ("quotes", "ingest", "link"):
        line = one_line_error(run(command, "--db", url, *(["-"] if command == "ingest" else [])))
        assert line.startswith("Error: cannot open the database postgresql://onrecord:***@127.0.0.1:")
        assert PASSWORD not in line


def test_every_store_command_on_a_broken_database_is_one_line(broken):
    for command in (["quotes"], ["speakers"], ["search", "Putin"], ["claims"], ["contradictions"], ["sourcing"],
                    ["export", "--format", "jsonl"], ["link", "--no-claims"], ["verify", "talks"]):
        line = one_line_error(run(*command, "--db", broken))
        assert line.startswith(f"Error: the database {broken} failed: OperationalError: no such table"), command


# every public method of the store, and every query function, with arguments that reach the database
STORE_CALLS = {
    "add_articles": lambda s: s.add_articles(corpus()),
    "write_articles": lambda s: s.write_articles(corpus()),
    "rebuild_sourcing": lambda s: s.rebuild_sourcing(),
    "stored_hashes": lambda s: s.stored_hashes(["x"]),
    "stored_ids": lambda s: s.stored_ids(["kyiv-1"]),
    "pending_links": lambda s: s.pending_links(),
    "clear_pending": lambda s: s.clear_pending([1]),
    "get_article": lambda s: s.get_article("kyiv-1"),
    "list_articles": lambda s: s.list_articles(),
    "count": lambda s: s.count(),
    "list_speakers": lambda s: s.list_speakers(),
    "get_speaker": lambda s: s.get_speaker(1),
    "speaker_roles": lambda s: s.speaker_roles(1),
    "resolve_speaker": lambda s: s.resolve_speaker("Putin"),
    "statement_filters": lambda s: s.statement_filters("Putin", None, None, None, None, None),
    "quotes": lambda s: s.quotes(),
    "search": lambda s: s.search("Putin"),
    "quotes_by_ids": lambda s: s.quotes_by_ids([1]),
    "list_claims": lambda s: s.list_claims(),
    "get_claim": lambda s: s.get_claim(1),
    "get_claims": lambda s: s.get_claims([1]),
    "contradictions": lambda s: s.contradictions(),
    "sourcing": lambda s: s.sourcing(),
}
QUERY_CALLS = {
    "article_speaker_ids": lambda s: queries.article_speaker_ids(s, "kyiv-1"),
    "outlets": lambda s: queries.outlets(s),
    "candidate_ids": lambda s: queries.candidate_ids(s, ["putin"]),
    "candidate_quotes": lambda s: queries.candidate_quotes(s, "Putin said"),
    "contents_by_ids": lambda s: queries.contents_by_ids(s, [1]),
    "sourcing_by_type": lambda s: queries.sourcing_by_type(s),
    "article_quotes": lambda s: queries.article_quotes(s, "kyiv-1"),
    "count_quotes": lambda s: queries.count_quotes(s),
    "quote_facets": lambda s: queries.quote_facets(s),
    "gender_by_outlet": lambda s: queries.gender_by_outlet(s),
    "people_of_gender": lambda s: queries.people_of_gender(s, {1}, "female"),
    "newest_on_record": lambda s: queries.newest_on_record(s, speaker_id=1),
    "last_stored": lambda s: queries.last_stored(s),
    "gender_evidence": lambda s: queries.gender_evidence(s, 1),
    "timeline_counts": lambda s: queries.timeline_counts(s, speaker=1),
    "count_speakers": lambda s: queries.count_speakers(s),
    "count_articles": lambda s: queries.count_articles(s),
    "speaker_type_facet": lambda s: queries.speaker_type_facet(s),
    "sorted_articles": lambda s: queries.sorted_articles(s, "title", False),
    "sorted_speaker_ids": lambda s: queries.sorted_speaker_ids(s, "name", False),
    "sorted_quote_ids": lambda s: queries.sorted_quote_ids(s, "date", True),
    "count_claims": lambda s: queries.count_claims(s, "bridge"),
    "count_contradictions": lambda s: queries.count_contradictions(s),
    "count_quote_speakers": lambda s: queries.count_quote_speakers(s),
    "gender_over_time": lambda s: queries.gender_over_time(s),
    "iter_quotes": lambda s: list(queries.iter_quotes(s)),
    "iter_claims": lambda s: list(queries.iter_claims(s)),
    "iter_speakers": lambda s: list(queries.iter_speakers(s)),
    "most_quoted_people": lambda s: queries.most_quoted_people(s),
    "quote_speakers": lambda s: queries.quote_speakers(s),
    "sorted_claim_ids": lambda s: queries.sorted_claim_ids(s),
    "sourcing_table": lambda s: queries.sourcing_table(s),
    "speakers_page": lambda s: queries.speakers_page(s),
}
OTHER_CALLS = {
    "ingest": lambda s: ingest(s, corpus(), extracted=True),
    "link_store": lambda s: link_store(s, claims=False),
    "catch_up": lambda s: catch_up(s, claims=False),
    "iter_quotes": lambda s: list(iter_quotes(s)),
    "export_store": lambda s: export_store(s, "jsonl", os.devnull),
}


def test_the_calls_cover_every_public_method_and_query():
    # the store is its writes and its reads (two mixins): every public method of either
    methods = {name for cls in Store.__mro__ if cls is not object for name, value in vars(cls).items()
               if not name.startswith("_") and callable(value)}
    assert methods - {"close"} == set(STORE_CALLS)
    functions = {name for name, value in vars(queries).items()
                 if callable(value) and getattr(value, "__module__", None) == queries.__name__
                 and not name.startswith("_") and not isinstance(value, type)}
    assert functions == set(QUERY_CALLS)


@pytest.mark.parametrize("call", [*STORE_CALLS, *QUERY_CALLS, *OTHER_CALLS])
def test_a_database_that_breaks_after_opening_gives_store_errors(tmp_path, call):
    """The file is replaced by random bytes under an open store: every call raises a StoreError."""
    path = tmp_path / "onrecord.db"
    store = open_store(str(path))
    store.add_articles(corpus())
    store.engine.dispose()  # the next call connects again, to what is now on disk
    for suffix in ("-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    path.write_bytes(os.urandom(64 * 1024))
    with pytest.raises(OnRecordError) as caught:
        {**STORE_CALLS, **QUERY_CALLS, **OTHER_CALLS}[call](store)
    assert isinstance(caught.value, StoreError)
    assert str(caught.value) == f"the database {path} failed: DatabaseError: file is not a database"
    assert caught.value.__cause__ is not None  # the driver's exception, for a traceback when one is wanted
    store.close()


def test_a_dropped_table_is_an_error_not_unavailability(broken):
    with open_store(str(broken)) as store:
        with pytest.raises(StoreError) as caught:
            store.quotes()
        assert not isinstance(caught.value, StoreUnavailable)
        assert "no such table: attributions" in str(caught.value)


def test_a_write_that_waits_past_the_busy_timeout_is_unavailable_not_a_failed_article(tmp_path, monkeypatch):
    """A locked database is the database's problem: the write stops with one error instead of
    reporting every article as failed, one busy timeout each."""
    import onrecord.store.engine as engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "locked.db"
    store = open_store(str(path))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="OperationalError: database is locked"):
            ingest(store, corpus(), extracted=True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.count()["articles"] == 0
    report = ingest(store, corpus(), extracted=True)  # free again: all stored
    assert report.counts()["added"] == 3
    store.close()


def test_the_message_never_shows_the_password_even_when_the_driver_echoes_it():
    url = f"postgresql://onrecord:{PASSWORD}@db.example:5432/news"
    error = database_error(ValueError(f"invalid dsn: password={PASSWORD} sslmode=nope"), url)
    assert str(error) == ("the database postgresql://onrecord:***@db.example:5432/news failed: ValueError: "
                          "invalid dsn: password=*** sslmode=nope")
    assert type(error) is StoreError


def test_postgresql_errors_after_opening_are_store_errors(pg_url):
    pytest.importorskip("psycopg")
    import psycopg

    store = open_store(pg_url)
    store.add_articles(corpus())
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP TABLE attributions CASCADE")
    with pytest.raises(StoreError, match="UndefinedTable: relation \"attributions\" does not exist"):
        store.quotes()
    store.close()


# ---------------------------------------------------------------- issue 24, item 6: every form of a password
SECRET = "S3cretPw"
URL_FORMS = [
    f"postgresql://u:{SECRET}@127.0.0.1:{{port}}/db",
    f"postgresql://u@127.0.0.1:{{port}}/db?password={SECRET}",
    f"postgresql://u@127.0.0.1:{{port}}/db?sslmode=disable&password={SECRET}",
    f"postgresql://u@127.0.0.1:{{port}}/db?sslpassword={SECRET}&sslmode=disable",
    f"postgresql://u@127.0.0.1:{{port}}/db?PASSWORD={SECRET}",
    f"host=127.0.0.1 port={{port}} user=u password={SECRET} dbname=db",
    f"host=127.0.0.1 port={{port}} password='{SECRET} x' dbname=db",
]


@pytest.mark.parametrize("form", URL_FORMS)
def test_a_database_name_never_shows_a_password(form):
    from onrecord.store.errors import database_name, mask_secrets

    url = form.format(port=5432)
    assert SECRET not in database_name(url) and "***" in database_name(url)
    assert SECRET not in mask_secrets(f"could not connect to {url}: refused")
    assert mask_secrets("sqlite:///news.db?mode=ro") == "sqlite:///news.db?mode=ro"  # nothing to hide, nothing hidden


@pytest.mark.parametrize("form", URL_FORMS[1:4])
def test_no_command_prints_a_password_given_in_the_query(form, monkeypatch):
    """Issue 24, item 6: --db 'postgresql://u@host/db?password=S3cret' (and $ONRECORD_DB) was printed in clear."""
    pytest.importorskip("psycopg")
    url = form.format(port=closed_port())
    for command in (["speakers"], ["ingest", "-"], ["link"], ["serve"]):
        for args, env in (([*command, "--db", url], {}), (command, {"ONRECORD_DB": url})):
            result = CliRunner().invoke(cli, args, env=env, input="")
            assert result.exit_code != 0 and "***" in result.output, (command, result.output)
            assert SECRET not in result.output, (command, env, result.output)


@pytest.mark.integration
def test_the_ingest_summary_names_the_database_without_its_password(pg_url, tmp_path):
    pytest.importorskip("psycopg")
    url = pg_url + ("&" if "?" in pg_url else "?") + f"password={SECRET}"  # trust auth: the password is not needed
    (tmp_path / "a.txt").write_text('"The bridge will reopen," the mayor said on Monday.\n')
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--db", url, "--no-link"])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and SECRET not in result.output and "password=***" in result.output
