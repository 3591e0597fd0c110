"""The store: articles and attributions in SQLite or PostgreSQL, with the same behaviour on both.

`Store` is its writes (`writes.Writes`) and its reads (`reads.Reads`) over one connection
pool; the web's further questions are `queries`. Linking (speakers, claims) is the stage
above: `onrecord.link.stored` runs it over a store, and the shells call it after a write.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from .errors import guarded_methods
from .reads import Reads
from .writes import Writes


@guarded_methods
class Store(Writes, Reads):
    """Articles, attributions, speakers and claims in one database. Open it with `open_store`.

    A plain class, not a dataclass: it owns a connection pool. Every public method raises
    `StoreError` (never a driver's exception) when the database fails.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.writer = engine.execution_options(onrecord_write=True)  # see `Writes._transaction`
        self.url = url
        self.dialect = engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

