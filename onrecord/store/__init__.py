"""The store: extracted articles in SQLite (default) or PostgreSQL, linked and searchable.

    >>> from onrecord.store import open_store
    >>> with open_store("onrecord.db") as store:
    ...     report = ingest(store, onrecord.read_paths(["articles/"]))  # checked, extracted, stored
    ...     report.failed                                              # each input stored or reported
    ...     catch_up(store)                     # linked: speakers and claims (onrecord.link.stored)
    ...     store.quotes(speaker="Putin", stance="deny")

Needs the ``store`` extra (SQLAlchemy, Alembic); PostgreSQL also ``postgres`` (psycopg),
claim clustering ``claims`` (the packaged MiniLM model). Not imported by ``onrecord``.
"""

from __future__ import annotations

from ..models import content_hash
from .base import Store
from .errors import StoreError, StoreUnavailable
from .engine import DEFAULT_URL, open_store
from .checks import check_article
from .ingest import ingest
from .records import (ArticleSummary, ClaimGroup, Contradiction, IngestItem, IngestReport, Quote, SourcingRow,
                      SpeakerEntry)

__all__ = [
    "DEFAULT_URL",
    "ArticleSummary",
    "ClaimGroup",
    "Contradiction",
    "IngestItem",
    "IngestReport",
    "Quote",
    "SourcingRow",
    "SpeakerEntry",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "check_article",
    "content_hash",
    "ingest",
    "open_store",
]
