"""The store: extracted articles in SQLite (default) or PostgreSQL, linked and searchable.

    >>> from onrecord.store import open_store
    >>> with open_store("onrecord.db") as store:
    ...     store.add_articles(onrecord.extract_many(articles))
    ...     store.link()
    ...     store.quotes(speaker="Putin", stance="deny")

Needs the ``store`` extra (SQLAlchemy, Alembic); PostgreSQL also ``postgres`` (psycopg),
claim clustering ``claims`` (the packaged MiniLM model). Not imported by ``onrecord``.
"""

from __future__ import annotations

from .base import Store, StoreError, content_hash
from .engine import DEFAULT_URL, open_store
from .records import ArticleSummary, ClaimGroup, Contradiction, Quote, SourcingRow, SpeakerEntry

__all__ = [
    "DEFAULT_URL",
    "ArticleSummary",
    "ClaimGroup",
    "Contradiction",
    "Quote",
    "SourcingRow",
    "SpeakerEntry",
    "Store",
    "StoreError",
    "content_hash",
    "open_store",
]
