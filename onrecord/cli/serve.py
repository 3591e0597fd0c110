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
def serve_command(db: str | None, host: str, port: int, max_body_bytes: int) -> None:
    """Serve the web UI and the JSON API over a store (writing needs ONRECORD_TOKEN)."""
    _require_server_extra()
    from ..errors import OnRecordError
    from ..server.app import run
    from ..store import open_store

    try:  # a database that cannot be opened is one line now, not an error page on every request
        open_store(db).close()
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    run(db, host=host, port=port, max_body_bytes=max_body_bytes)
