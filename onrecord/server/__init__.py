"""Web UI and JSON API over an onrecord store (needs the ``[server]`` extra).

    from onrecord.server import create_app, run
    app = create_app("onrecord.db")        # an ASGI app: HTML pages, and JSON with a .json suffix
    run("onrecord.db", port=8000)          # the same app under uvicorn (``onrecord serve``)

The server holds no extraction or query logic: pages and API call ``onrecord.extract``
and the store (``onrecord.store.open_store``).
"""

from __future__ import annotations

from typing import Any

from .extra import INSTALL_HINT


def create_app(db: str | None = None, **kwargs: Any) -> Any:
    """The ASGI app; see `onrecord.server.app.create_app`."""
    from .app import create_app as _create_app

    return _create_app(db, **kwargs)


def run(db: str | None = None, *, host: str = "127.0.0.1", port: int = 8000, **kwargs: Any) -> None:
    """Serve the app with uvicorn until interrupted; see `onrecord.server.app.run`."""
    from .app import run as _run

    _run(db, host=host, port=port, **kwargs)


__all__ = ["INSTALL_HINT", "create_app", "run"]
