"""What the server does before a request reaches a view: drop slow and idle clients, check the
token before reading a body, and never send a redirect to a host the client named.

The limits (all documented in ``onrecord serve --help``):

- ``HEADER_TIMEOUT``: a connection must send a request's complete headers within this many
  seconds of opening (or of the end of the previous response), else it is closed. Uvicorn
  alone waits for ever: 1,000 sockets sending half a request line held 1,000 connections.
- ``KEEP_ALIVE_TIMEOUT``: an idle kept-alive connection is closed after this (uvicorn's
  ``timeout_keep_alive``).
- ``MAX_HEADER_BYTES``: headers larger than this are a 400 (h11's ``max_incomplete_event_size``).
- ``BODY_PIECE_TIMEOUT`` / ``BODY_TIMEOUT``: a request body gets 408 when a piece takes longer
  than the first, or the whole body longer than the second (`app.BodyLimit`): a body sent
  one byte every few seconds no longer holds a connection for ever.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER_TIMEOUT = 10.0
KEEP_ALIVE_TIMEOUT = 5
MAX_HEADER_BYTES = 64 * 1024
BODY_PIECE_TIMEOUT = 10.0
BODY_TIMEOUT = 30.0


def timed_protocol(header_timeout: float = HEADER_TIMEOUT) -> type[Any]:
    """Uvicorn's h11 protocol with a deadline for the request headers (see the module's docstring)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout, self._headers_late)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_late(self) -> None:
            # IDLE: h11 has not got a whole request line and headers yet (a slow or silent client)
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.conn.their_state is h11.SEND_BODY:
                # answered before its body was all read (408 for a slow body, 401, 413): the rest
                # would hold the connection for ever, one byte at a time
                self._disarm()
                self.transport.close()
            elif not self.transport.is_closing():
                self._arm()  # the next request's headers get the same time

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return TimedH11Protocol


class RelativeRedirects:
    """A redirect's ``Location`` is a path, never ``scheme://host/...``: Starlette builds the
    slash redirect from the request's Host header, which a client can set to any site."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_relative(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                message["headers"] = [(name, relative(value) if name.lower() == b"location" else value)
                                      for name, value in message.get("headers", [])]
            await send(message)

        await self.app(scope, receive, send_relative)


def relative(location: bytes) -> bytes:
    """``location`` without its scheme and host (and never starting with ``//``, which is a host too)."""
    parts = urlsplit(location.decode("latin-1"))
    path = "/" + parts.path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, parts.fragment)).encode("latin-1")


class TokenFirst:
    """The routes that need the bearer token check it before their body is read: without a
    token, a malformed or huge body is 401 (or 403 read-only), not 422 or 413, and costs nothing."""

    def __init__(self, app: ASGIApp, paths: frozenset[str], check: Any) -> None:
        self.app, self.paths, self.check = app, paths, check

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in self.paths:
            request = Request(scope)
            try:
                self.check(request)
            except HTTPException as err:
                response = JSONResponse({"detail": err.detail}, status_code=err.status_code,
                                        headers=dict(err.headers or {}))
                return await response(scope, receive, send)
        await self.app(scope, receive, send)
