"""Linking after the server's writes, in the background: a write answers once its articles are
stored (202, with the URL of this status), and speakers and claims follow.

Linking rebuilds speakers and claims over every statement (`onrecord.link.stored.catch_up`), which under 50
clients kept each write waiting 23-26 s when it ran inside the request. Here one thread links
whatever is stored and not linked yet; writes that arrive meanwhile are covered by one more
run, not one each. A link that fails is logged and tried again by the next write (the articles
stay marked in ``link_pending``, so nothing is lost when the server stops either).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)

STATUS_PATH = "/api/linking"


class BackgroundLinker:
    """Runs `catch_up` over the store in a thread of its own, at most one run at a time and one waiting."""

    def __init__(self, open_store: Callable[[], Any]) -> None:
        self._open = open_store
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="onrecord-link")
        self._lock = threading.Lock()
        self._queued = False  # a run is submitted and has not started reading yet
        self.running = False
        self.error: str | None = None
        self.last_linked_at: str | None = None

    def request(self) -> None:
        """Link soon: a run that has not started yet covers this request too."""
        with self._lock:
            if self._queued:
                return
            self._queued = True
        self._pool.submit(self._run)

    def _run(self) -> None:
        with self._lock:
            self._queued = False
            self.running = True
        try:
            from ..link.stored import catch_up

            catch_up(self._open())
            self.error = None
            self.last_linked_at = time.strftime("%Y-%m-%dT%H:%M:%S")
        except Exception as err:  # the articles stay pending: the next write tries again
            self.error = f"{type(err).__name__}: {err}".splitlines()[0]
            logger.error("linking after a write failed (tried again on the next write): %s", self.error,
                         exc_info=err)
        finally:
            with self._lock:
                self.running = False

    def status(self, pending: int) -> dict[str, Any]:
        # waiting: stored, not linked, and no run queued (a read-only server, or before the next write)
        state = "running" if self.running else "queued" if self._queued else "waiting" if pending else "done"
        return {"status": state, "pending_articles": pending, "error": self.error,
                "last_linked_at": self.last_linked_at}

    def close(self) -> None:
        self._pool.shutdown(wait=True)  # a run under way finishes (its articles are otherwise pending)
