"""Persisting the link stage: canonical speakers, claim clusters and contradictions.

The decisions are the pure functions of `onrecord.link`; this module only reads their
inputs from the tables and writes their results back, each step in one transaction.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from ..errors import ModelError
from ..link.claims import MIN_CHARS, THRESHOLD, Statement, claim_text, cluster, label_of
from ..link.contradictions import contradictions_in
from ..link.speakers import RawSpeaker, canonicalize
from . import schema as s

logger = logging.getLogger(__name__)


LINK_LOCK = 814237  # PostgreSQL advisory lock: one linker at a time


def serialize(conn: Connection) -> None:
    """Wait for any other linker (PostgreSQL; on SQLite the write transaction already holds the lock)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT pg_advisory_xact_lock({LINK_LOCK})"))


def link_speakers(engine: Engine) -> int:
    """Recompute canonical speakers from every attribution's raw key; returns their number.

    Speaker ids stay stable across runs (a canonical key keeps its row). Pass a writer
    engine (`Store.writer`): on SQLite the transaction then takes the write lock at once.
    """
    a = s.attributions
    with engine.begin() as conn:
        serialize(conn)
        raw: dict[str, RawSpeaker] = {}
        query = (select(a.c.speaker_key, a.c.speaker_name, a.c.role, a.c.outlet, a.c.description,
                        func.count(), func.min(a.c.date), func.max(a.c.date))
                 .where(a.c.speaker_key.is_not(None))
                 .group_by(a.c.speaker_key, a.c.speaker_name, a.c.role, a.c.outlet, a.c.description))
        for key, name, role, outlet, description, n, first, last in conn.execute(query):
            raw.setdefault(key, RawSpeaker(key)).add(name, role, n, first, last, outlet, description)
        canon = canonicalize(list(raw.values()))
        existing = dict(conn.execute(select(s.speakers.c.key, s.speakers.c.id)).all())
        keep = {c.key for c in canon}
        gone = [k for k in existing if k not in keep]
        for start in range(0, len(gone), 500):
            conn.execute(delete(s.speakers).where(s.speakers.c.key.in_(gone[start:start + 500])))
        ids: dict[str, int] = {}
        for c in canon:
            values = {"name": c.name, "type": c.type, "outlet": c.outlet if c.type == "anonymous" else None,
                      "n_statements": c.n, "first_date": c.first_date, "last_date": c.last_date}
            if c.key in existing:
                conn.execute(update(s.speakers).where(s.speakers.c.id == existing[c.key]).values(**values))
                ids[c.key] = existing[c.key]
            else:
                ids[c.key] = conn.execute(insert(s.speakers).values(key=c.key, **values)
                                          .returning(s.speakers.c.id)).scalar_one()
        old_map = dict(conn.execute(select(s.speaker_keys.c.raw_key, s.speaker_keys.c.speaker_id)).all())
        new_map = {raw_key: ids[c.key] for c in canon for raw_key in c.raw_keys}
        for table in (s.speaker_keys, s.speaker_aliases, s.speaker_roles):
            conn.execute(delete(table))
        if new_map:
            conn.execute(insert(s.speaker_keys), [{"raw_key": k, "speaker_id": v} for k, v in new_map.items()])
        aliases = [{"speaker_id": ids[c.key], "alias": alias, "alias_lower": alias.lower(), "n": n}
                   for c in canon for alias, n in c.aliases.items()]
        if aliases:
            conn.execute(insert(s.speaker_aliases), aliases)
        roles = [{"speaker_id": ids[c.key], "role": role, "n": n, "first_date": first, "last_date": last}
                 for c in canon for role, (n, first, last) in c.roles.items()]
        if roles:
            conn.execute(insert(s.speaker_roles), roles)
        changed = [{"raw": k, "sid": v} for k, v in new_map.items() if old_map.get(k) != v]
        unlinked = conn.execute(select(func.count()).select_from(a)
                                .where(a.c.speaker_id.is_(None), a.c.speaker_key.is_not(None))).scalar_one()
        if unlinked:  # new attributions: give every key its id (one indexed update per key)
            changed = [{"raw": k, "sid": v} for k, v in new_map.items()]
        if changed:
            conn.execute(update(a).where(a.c.speaker_key == bindparam("raw"))
                         .values(speaker_id=bindparam("sid")), changed)
        dropped = [k for k in old_map if k not in new_map]  # keys no longer a speaker (refused names)
        for start in range(0, len(dropped), 500):
            conn.execute(update(a).where(a.c.speaker_key.in_(dropped[start:start + 500])).values(speaker_id=None))
    logger.info("linked %d raw speaker keys into %d speakers", len(raw), len(canon))
    return len(canon)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def vectors(engine: Engine, texts: list[str]) -> Any:
    """Embeddings of the texts, cached in the ``embeddings`` table by text hash."""
    import numpy as np

    from ..link.embeddings import load_encoder

    hashes = [text_hash(t) for t in texts]
    cached: dict[str, Any] = {}
    unique = list(dict.fromkeys(hashes))
    with engine.connect() as conn:
        for start in range(0, len(unique), 500):
            for h, blob in conn.execute(select(s.embeddings.c.text_hash, s.embeddings.c.vector)
                                        .where(s.embeddings.c.text_hash.in_(unique[start:start + 500]))):
                cached[h] = np.frombuffer(blob, dtype=np.float32)
    missing = {h: t for h, t in zip(hashes, texts) if h not in cached}
    if missing:
        encoder = load_encoder()
        logger.info("embedding %d statements", len(missing))
        computed = encoder.encode(list(missing.values()))
        rows = [{"text_hash": h, "vector": computed[n].astype(np.float32).tobytes()} for n, h in enumerate(missing)]
        _insert_new_vectors(engine, rows)
        cached.update({h: computed[n] for n, h in enumerate(missing)})
    return np.stack([cached[h] for h in hashes]) if hashes else np.zeros((0, 384), dtype=np.float32)


def _insert_new_vectors(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Cache rows, skipping hashes another writer stored meanwhile (the vector is the same)."""
    from sqlalchemy.dialects import postgresql, sqlite

    upsert: Any = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    with engine.begin() as conn:
        for start in range(0, len(rows), 500):
            conn.execute(upsert(s.embeddings).on_conflict_do_nothing(index_elements=["text_hash"]),
                         rows[start:start + 500])


def link_claims(engine: Engine, *, threshold: float | None = None) -> int:
    """Recompute claim clusters and contradictions; returns the number of claims.

    Without the [claims] extra (model package, numpy, tokenizers) this logs a warning
    and leaves claims empty: ingest still works.
    """
    threshold = THRESHOLD if threshold is None else threshold
    a = s.attributions.c
    with engine.connect() as conn:
        rows = conn.execute(select(a.id, a.article_pk, a.idx, a.nested_in, a.speaker_id, a.stance, a.content)
                            .where(func.length(a.content) >= MIN_CHARS).order_by(a.id)).all()
    statements = [Statement(*row) for row in rows]
    try:
        found = vectors(engine, [claim_text(st.content) for st in statements])
    except (ModelError, ImportError) as err:
        logger.warning("claims not linked: %s", err)
        return 0
    groups = cluster(found, statements, threshold)
    with engine.begin() as conn:
        serialize(conn)
        conn.execute(update(s.attributions).where(a.claim_id.is_not(None)).values(claim_id=None))
        conn.execute(delete(s.contradictions))
        conn.execute(delete(s.claims))
        for members in groups:
            claim_id = conn.execute(insert(s.claims).values(
                label=label_of(members, statements, found), n_statements=len(members),
                n_articles=len({statements[m].article for m in members})).returning(s.claims.c.id)).scalar_one()
            conn.execute(update(s.attributions).where(a.id.in_([statements[m].id for m in members]))
                         .values(claim_id=claim_id))
            pairs = contradictions_in(members, statements, found)
            if pairs:
                conn.execute(insert(s.contradictions), [
                    {"claim_id": claim_id, "a_id": statements[i].id, "b_id": statements[j].id, "reason": reason,
                     "similarity": sim} for i, j, reason, sim in pairs])
    logger.info("linked %d statements into %d claims", len(statements), len(groups))
    return len(groups)
