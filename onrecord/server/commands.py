"""``onrecord serve`` and ``onrecord bench-serve``: click commands, importable without the server extra."""

from __future__ import annotations

import json

import click

from .extra import INSTALL_HINT

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
    from ..store import open_store
    from .app import run

    try:  # a database that cannot be opened is one line now, not an error page on every request
        open_store(db).close()
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    run(db, host=host, port=port, max_body_bytes=max_body_bytes)


@click.command("bench-serve")
@db_option
@click.option("--url", default=None, help="Load a running server instead of starting one over --db.")
@click.option("--clients", type=click.IntRange(1, 1000), default=50, show_default=True, help="Concurrent clients.")
@click.option("--duration", type=click.FloatRange(0.5, 600), default=20.0, show_default=True, help="Seconds.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_serve_command(db: str | None, url: str | None, clients: int, duration: float, as_json: bool) -> None:
    """Load-test the server: concurrent clients on the article and search endpoints."""
    _require_server_extra()
    from ..benchmarks.serve import format_report, run_load

    try:
        figures = run_load(db=db, url=url, clients=clients, duration=duration)
    except RuntimeError as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps(figures, indent=2) if as_json else format_report(figures))
    if figures["errors"]:
        raise SystemExit(1)
