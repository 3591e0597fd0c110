"""Read-only queries for the web UI and ``verify``: counts, facets and candidate statements.

Functions over an open `Store` (its engine and the tables of `schema`), kept apart from
`base.Store` so that the UI can ask new questions without changing the store's API.
Statements are still read through the store's public methods (`quotes_by_ids`).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select, text

from . import schema as s
from .records import Quote

_WORD = re.compile(r"\w+")


def article_speaker_ids(store: Any, article_id: str) -> dict[int, int]:
    """The canonical speaker id of each attribution of an article (by its index), after `link()`."""
    a, ar = s.attributions.c, s.articles.c
    query = (select(a.idx, a.speaker_id).select_from(s.attributions.join(s.articles, ar.pk == a.article_pk))
             .where(ar.id == article_id, a.speaker_id.is_not(None)))
    with store.engine.connect() as conn:
        return {int(idx): int(sid) for idx, sid in conn.execute(query)}


def outlets(store: Any, limit: int = 200) -> list[tuple[str, int]]:
    """Outlets with their numbers of statements, most quoted first: the outlet facet."""
    a = s.attributions.c
    query = (select(a.outlet, func.count()).where(a.outlet.is_not(None)).group_by(a.outlet)
             .order_by(func.count().desc(), a.outlet).limit(limit))
    with store.engine.connect() as conn:
        return [(str(o), int(n)) for o, n in conn.execute(query)]


def candidate_ids(store: Any, words: list[str], limit: int = 50) -> list[int]:
    """Attribution ids whose content shares words with ``words``, best first (any word may match).

    SQLite ranks with FTS5's bm25, PostgreSQL with ``ts_rank``; user text reaches the
    full-text engine only as quoted words.
    """
    words = [w for w in dict.fromkeys(w.lower() for w in words) if w][:64]
    if not words:
        return []
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            query = text("SELECT id FROM attributions, to_tsquery('english', :q) query "
                         "WHERE tsv @@ query ORDER BY ts_rank(tsv, query) DESC, id DESC LIMIT :limit")
            # each word through plainto_tsquery, so no tsquery syntax from the user gets through
            q = " | ".join(f"({sub})" for sub in (
                conn.execute(text("SELECT plainto_tsquery('english', :w)::text"), {"w": w}).scalar_one()
                for w in words) if sub)
            if not q:
                return []
            return [int(i) for i in conn.execute(query, {"q": q, "limit": limit}).scalars()]
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = conn.execute(text("SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH :q "
                                 "ORDER BY bm25(attributions_fts) LIMIT :limit"), {"q": match, "limit": limit})
        return [int(i) for i in rows.scalars()]


def candidate_quotes(store: Any, quote: str, limit: int = 50) -> list[tuple[int, Quote]]:
    """Stored statements sharing words with ``quote``: ``(attribution id, Quote)``, best first."""
    ids = candidate_ids(store, _WORD.findall(quote), limit)
    found = store.quotes_by_ids(ids)
    return [(i, found[i]) for i in ids if i in found]


def contents_by_ids(store: Any, ids: list[int]) -> dict[int, str]:
    """The content text of attributions by id (for embedding look-ups)."""
    a = s.attributions.c
    with store.engine.connect() as conn:
        return {int(i): str(c) for i, c in conn.execute(select(a.id, a.content).where(a.id.in_(ids)))}


def sourcing_by_type(store: Any, by: str = "outlet") -> list[dict[str, Any]]:
    """Statements per speaker type for every outlet or every article (none left out).

    Rows: ``{"key", "label", "outlet", "counts": {type: n}, "total"}``, largest first; ``label``
    is the article's title (by article) or the outlet. Counted from the attributions
    themselves (grouped on the outlet/type index), so every type keeps its own count.
    """
    a, ar = s.attributions.c, s.articles.c
    if by == "outlet":
        query = select(a.outlet, a.outlet, a.outlet, a.speaker_type, func.count()).group_by(a.outlet, a.speaker_type)
    elif by == "article":
        query = (select(ar.id, ar.title, ar.outlet, a.speaker_type, func.count())
                 .select_from(s.attributions.join(s.articles, ar.pk == a.article_pk))
                 .group_by(ar.id, ar.title, ar.outlet, a.speaker_type))
    else:
        raise ValueError(f"sourcing by {by!r}: use 'outlet' or 'article'")
    rows: dict[Any, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for key, label, outlet, type_, n in conn.execute(query):
            row = rows.setdefault(key, {"key": key, "label": label, "outlet": outlet, "counts": {}, "total": 0})
            row["counts"][type_ or "unknown"] = row["counts"].get(type_ or "unknown", 0) + int(n)
            row["total"] += int(n)
    return sorted(rows.values(), key=lambda r: (-r["total"], str(r["label"] or r["key"] or "")))


def article_quotes(store: Any, article_id: str) -> list[Quote]:
    """Every stored statement of one article, in the article's order."""
    a, ar = s.attributions.c, s.articles.c
    query = (select(a.id).select_from(s.attributions.join(s.articles, ar.pk == a.article_pk))
             .where(ar.id == article_id).order_by(a.idx))
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(query).scalars()]
    found = store.quotes_by_ids(ids)
    return [found[i] for i in ids if i in found]
