"""Progress of the long steps, told to whoever listens: the library never prints.

A step (``"speakers"``, ``"embeddings"``, ``"claims"``, ``"contradictions"``) calls `tell` with how
much of it is done; a shell that wants to show it (``onrecord ingest``'s bar, its log line when
stderr is not a terminal) listens for the duration of a call with `listening`. Nobody listening
costs a context-variable read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (step, done, total): total None while unknown; done == total when the step ends
Listener = Callable[[str, int, "int | None"], None]

_listener: ContextVar[Listener | None] = ContextVar("onrecord_progress", default=None)


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    """Send the progress of the steps run inside the block to ``listener`` (None: to nobody)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def tell(step: str, done: int, total: int | None = None) -> None:
    """Report that ``done`` of ``total`` units of ``step`` are done."""
    listener = _listener.get()
    if listener is not None:
        listener(step, done, total)
