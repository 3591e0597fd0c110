"""``onrecord serve``: importable without the server extra (it says what to install)."""

from __future__ import annotations

import click

from ..server.extra import INSTALL_HINT

db_option = click.option("--db", envvar="ONRECORD_DB", default=None, metavar="URL",
                         help="Store: SQLite path, sqlite:///path or postgresql://… (default: onrecord.db; "
                              "env ONRECORD_DB).")


def _require_server_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import jinja2  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as err:
        raise click.ClickException(f"{INSTALL_HINT} ({err})") from None


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--max-body-bytes", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Refuse larger request bodies (and larger articles to extract) with 413.")
@click.option("--header-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a connection has to send a request's headers (from opening, or from the end of "
                   "the previous response); then it is closed.")
@click.option("--keep-alive", "keep_alive", type=click.IntRange(min=1), default=5, show_default=True,
              help="Seconds an idle kept-alive connection stays open.")
@click.option("--body-timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a request body may take in all (408 after; also 408 after 10 s without a piece).")
def serve_command(db: str | None, host: str, port: int, max_body_bytes: int, header_timeout: float,
                  keep_alive: int, body_timeout: float) -> None:
    """Serve the web UI and the JSON API over a store (writing needs ONRECORD_TOKEN).

    Slow and idle clients are dropped: headers must arrive within --header-timeout seconds
    (at most 64 KiB of them, else 400), an idle kept-alive connection is closed after
    --keep-alive seconds, a body gets 408 when it takes longer than --body-timeout. A write
    (POST /api/articles) answers 202 once its articles are stored; speakers and claims are
    linked after it, in the background (GET /api/linking says where that stands).
    """
    _require_server_extra()
    from ..errors import OnRecordError
    from ..server.app import run
    from ..store import open_store
    from ..store.errors import database_name

    try:  # a database that cannot be opened is one line now, not an error page on every request
        open_store(db).close()
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"serving {database_name(db or 'onrecord.db')} on http://{host}:{port}", err=True)
    run(db, host=host, port=port, max_body_bytes=max_body_bytes, header_timeout=header_timeout,
        keep_alive_timeout=keep_alive, body_deadline=body_timeout)
