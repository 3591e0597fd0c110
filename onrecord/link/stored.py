"""The link stage over a store: canonical speakers, claim clusters and contradictions.

The decisions are the pure functions of `onrecord.link` (which know no database); this
module reads their inputs from the store's tables and writes their results back, each
step in one transaction. It sits above the store, which never imports it: the shells call
`link_store` (``onrecord link``) and `catch_up` (after ``onrecord ingest`` and the server's
writes).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from ..errors import ModelError
from ..progress import tell
from ..store import schema as s
from ..store.base import Store
from ..store.errors import guarded
from .claims import MIN_CHARS, THRESHOLD, Statement, claim_text, label_of, link, nested_pair
from .contradictions import between, contradictions_in
from .speakers import RawSpeaker, canonicalize, consistent_gender

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
        set_genders(conn)
    tell("speakers", len(canon), len(canon))
    logger.info("linked %d raw speaker keys into %d speakers", len(raw), len(canon))
    return len(canon)


def set_genders(conn: Connection, speaker_ids: Sequence[int] | None = None) -> None:
    """Set the gender of these speakers (None: of every speaker) from how many of their statements
    give each gender (`consistent_gender`): after a full link, or for the speakers new statements joined."""
    a, sp = s.attributions.c, s.speakers.c
    chunks = [None] if speaker_ids is None else [list(speaker_ids[i:i + 500]) for i in range(0, len(speaker_ids), 500)]
    changed = []
    for chunk in chunks:
        speakers = select(sp.id, sp.type, sp.gender)
        evidence = (select(a.speaker_id, a.speaker_gender, func.count()).where(
                        a.speaker_id.is_not(None), a.speaker_gender.in_(("female", "male")))
                    .group_by(a.speaker_id, a.speaker_gender))
        if chunk is not None:
            speakers, evidence = speakers.where(sp.id.in_(chunk)), evidence.where(a.speaker_id.in_(chunk))
        genders: dict[int, dict[str, int]] = {}
        for sid, gender, n in conn.execute(evidence):
            genders.setdefault(sid, {})[gender] = n
        for sid, type_, current in conn.execute(speakers):
            gender = consistent_gender(type_, genders.get(sid, {}))
            if gender != current:
                changed.append({"sid": sid, "new_gender": gender})
    if changed:
        conn.execute(update(s.speakers).where(sp.id == bindparam("sid")).values(gender=bindparam("new_gender")),
                     changed)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


EMBED_CHUNK = 1024  # texts encoded between two progress reports (the encoder batches by length within)


def vectors(engine: Engine, texts: list[str]) -> Any:
    """Embeddings of the texts, cached in the ``embeddings`` table by text hash."""
    import numpy as np

    from .embeddings import load_encoder

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
        todo = list(missing.values())
        parts = []
        for start in range(0, len(todo), EMBED_CHUNK):  # in chunks, to tell how far it is
            tell("embeddings", start, len(todo))
            parts.append(encoder.encode(todo[start:start + EMBED_CHUNK]))
        tell("embeddings", len(todo), len(todo))
        computed = np.concatenate(parts)
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
        rows = conn.execute(select(a.id, a.article_pk, a.idx, a.nested_in, a.speaker_id, a.stance, a.content,
                                   a.date, a.cue).where(func.length(a.content) >= MIN_CHARS).order_by(a.id)).all()
    statements = [Statement(*row) for row in rows]
    try:
        found = vectors(engine, [claim_text(st.content) for st in statements])
    except (ModelError, ImportError) as err:
        logger.warning("claims not linked: %s", err)
        return 0
    linked = link(found, statements, threshold)
    groups = linked.groups
    with engine.begin() as conn:
        serialize(conn)
        conn.execute(update(s.attributions).where(a.claim_id.is_not(None)).values(claim_id=None))
        conn.execute(delete(s.contradictions))
        conn.execute(delete(s.claims))
        claim_of: dict[int, int] = {}

        def new_claim(members: list[int]) -> int:
            claim_id: int = conn.execute(insert(s.claims).values(
                label=label_of(members, statements), n_statements=len(members),
                n_articles=len({statements[m].article for m in members})).returning(s.claims.c.id)).scalar_one()
            conn.execute(update(s.attributions).where(a.id.in_([statements[m].id for m in members]))
                         .values(claim_id=claim_id))
            claim_of.update({m: claim_id for m in members})
            return claim_id

        def record(claim_id: int, pairs: list[tuple[int, int, str, float]]) -> None:
            if pairs:
                conn.execute(insert(s.contradictions), [
                    {"claim_id": claim_id, "a_id": statements[i].id, "b_id": statements[j].id, "reason": reason,
                     "similarity": sim} for i, j, reason, sim in pairs])

        for members in groups:
            record(new_claim(members), contradictions_in(members, statements, found))
        # between claims: a statement contradicted by another claim is on record as a claim of its own
        for i, j, reason, sim in between(linked.candidates, dict(claim_of), statements, linked.propositions):
            for m in (i, j):
                if m not in claim_of:
                    new_claim([m])
            record(claim_of[i], [(i, j, reason, sim)])
    tell("claims", len(statements), len(statements))
    tell("contradictions", len(groups), len(groups))  # looked for within each claim, while it was written
    logger.info("linked %d statements into %d claims", len(statements), len(groups))
    return len(groups)



# ---------------------------------------------------------------- over a store
@guarded
def link_store(store: Store, *, claims: bool = True, threshold: float | None = None) -> None:
    """Recompute canonical speakers, the sourcing summary and, when ``claims`` and the [claims]
    extra is installed, claim clusters and contradictions; the articles that waited for it are
    linked then (``onrecord link``).

    Articles stored while it runs stay pending (`Store.pending_links`) for the next link."""
    pending = store.pending_links()
    link_speakers(store.writer)
    store.rebuild_sourcing()
    if claims:
        link_claims(store.writer, threshold=threshold)
    store.clear_pending(pending)


@guarded
def catch_up(store: Store, *, claims: bool = True, threshold: float | None = None) -> int:
    """Link whatever is stored and not linked yet (this ingest, an interrupted run, ``ingest
    --no-link``, a link that failed in the server); returns the number of articles that waited
    (0: nothing done). The CLI's ingest and the server's writes call it after storing, so links
    always catch up on the next write.

    Speakers and claims are decided over all statements at once (a new statement can join two
    speakers, or two statements into a claim, that were apart), so the result never depends on
    how the articles came in; speaker ids stay stable and embeddings are cached."""
    pending = store.pending_links()
    if pending:
        link_store(store, claims=claims, threshold=threshold)
    return len(pending)


# ---------------------------------------------------------------- incremental linking
def _upsert(conn: Connection) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def link_new_speakers(engine: Engine, article_pks: Sequence[int]) -> int:
    """Link the statements of newly added articles into the existing speakers; returns new speakers.

    Only what was added is read: the new attributions' raw keys, and the canonical speakers
    (one entry each, with its aliases). A key already linked takes its speaker; a new key is
    placed by `canonicalize` among the existing speakers (its surname, an epithet before a
    known name, the same organisation), else it becomes a speaker of its own. Existing
    speakers are never merged or split here: `onrecord link` recomputes everything.
    """
    a = s.attributions
    with engine.begin() as conn:
        serialize(conn)
        raw: dict[str, RawSpeaker] = {}
        for start in range(0, len(article_pks), 500):
            chunk = list(article_pks[start:start + 500])
            query = (select(a.c.speaker_key, a.c.speaker_name, a.c.role, a.c.outlet, a.c.description,
                            func.count(), func.min(a.c.date), func.max(a.c.date))
                     .where(a.c.article_pk.in_(chunk), a.c.speaker_key.is_not(None))
                     .group_by(a.c.speaker_key, a.c.speaker_name, a.c.role, a.c.outlet, a.c.description))
            for key, name, role, outlet, description, n, first, last in conn.execute(query):
                raw.setdefault(key, RawSpeaker(key)).add(name, role, n, first, last, outlet, description)
        if not raw:
            return 0
        sk = s.speaker_keys.c
        known: dict[str, int] = {}
        keys = list(raw)
        for start in range(0, len(keys), 500):
            known.update(conn.execute(select(sk.raw_key, sk.speaker_id)
                                      .where(sk.raw_key.in_(keys[start:start + 500]))).all())
        speaker_of: dict[str, int] = {k: v for k, v in known.items()}
        unknown = [r for k, r in raw.items() if k not in known]
        created = 0
        if unknown:
            sp, al = s.speakers.c, s.speaker_aliases.c
            existing: dict[str, RawSpeaker] = {}
            ids: dict[str, int] = {}
            for sid, key, n in conn.execute(select(sp.id, sp.key, sp.n_statements)):
                existing[key] = RawSpeaker(key, n=n)
                ids[key] = sid
            by_id = {sid: key for key, sid in ids.items()}
            for sid, alias, n in conn.execute(select(al.speaker_id, al.alias, al.n)):
                if sid in by_id:
                    existing[by_id[sid]].names[alias] += n
            for c in canonicalize([*existing.values(), *unknown]):
                new = [k for k in c.raw_keys if k in raw and k not in known]
                if not new:
                    continue
                old = next((ids[k] for k in c.raw_keys if k in ids), ids.get(c.key))
                if old is None:
                    values = {"name": c.name, "type": c.type, "outlet": c.outlet if c.type == "anonymous" else None,
                              "n_statements": 0, "first_date": None, "last_date": None}
                    old = conn.execute(insert(s.speakers).values(key=c.key, **values)
                                       .returning(s.speakers.c.id)).scalar_one()
                    ids[c.key] = old
                    created += 1
                for k in new:
                    speaker_of[k] = old
            rows = [{"raw_key": k, "speaker_id": speaker_of[k]} for k in raw if k not in known and k in speaker_of]
            if rows:
                conn.execute(_upsert(conn)(s.speaker_keys).on_conflict_do_nothing(index_elements=["raw_key"]), rows)
        _add_statements(conn, raw, speaker_of, article_pks)
        set_genders(conn, sorted(set(speaker_of.values())))
    tell("speakers", len(raw), len(raw))
    logger.info("linked %d new raw speaker keys (%d new speakers)", len(raw), created)
    return created


def _add_statements(conn: Connection, raw: dict[str, RawSpeaker], speaker_of: dict[str, int],
                    article_pks: Sequence[int]) -> None:
    """Point the new attributions at their speakers and add their counts, aliases and roles."""
    a, sp = s.attributions, s.speakers
    upsert = _upsert(conn)
    for start in range(0, len(article_pks), 500):
        chunk = list(article_pks[start:start + 500])
        for key, sid in speaker_of.items():
            if key in raw:
                conn.execute(update(a).where(a.c.article_pk.in_(chunk), a.c.speaker_key == key)
                             .values(speaker_id=sid))
    totals: dict[int, list[Any]] = {}
    aliases: dict[tuple[int, str], int] = {}
    roles: dict[tuple[int, str], list[Any]] = {}
    for key, r in raw.items():
        if key not in speaker_of:
            continue
        sid = speaker_of[key]
        t = totals.setdefault(sid, [0, None, None])
        t[0] += r.n
        t[1] = r.first_date if t[1] is None or (r.first_date and r.first_date < t[1]) else t[1]
        t[2] = r.last_date if t[2] is None or (r.last_date and r.last_date > t[2]) else t[2]
        names = r.names
        if not names and key.startswith("anonymous|"):  # as `canonicalize` names them: the description
            names = Counter({r.description or key.split("|")[1]: r.n})
        for alias, n in names.items():
            aliases[(sid, alias)] = aliases.get((sid, alias), 0) + n
        for role, (n, first, last) in r.roles.items():
            entry = roles.setdefault((sid, role), [0, first, last])
            entry[0] += n
    for sid, (n, first, last) in totals.items():
        values: dict[str, Any] = {"n_statements": sp.c.n_statements + n}
        if first is not None:
            values["first_date"] = func.coalesce(func.min(sp.c.first_date, first), first) \
                if conn.dialect.name == "sqlite" else func.least(func.coalesce(sp.c.first_date, first), first)
        if last is not None:
            values["last_date"] = func.coalesce(func.max(sp.c.last_date, last), last) \
                if conn.dialect.name == "sqlite" else func.greatest(func.coalesce(sp.c.last_date, last), last)
        conn.execute(update(sp).where(sp.c.id == sid).values(**values))
    al = s.speaker_aliases
    for (sid, alias), n in sorted(aliases.items()):
        statement = upsert(al).values(speaker_id=sid, alias=alias, alias_lower=alias.lower(), n=n)
        conn.execute(statement.on_conflict_do_update(index_elements=[al.c.speaker_id, al.c.alias],
                                                     set_={"n": al.c.n + statement.excluded.n}))
    ro = s.speaker_roles
    for (sid, role), (n, first, last) in sorted(roles.items()):
        statement = upsert(ro).values(speaker_id=sid, role=role, n=n, first_date=first, last_date=last)
        conn.execute(statement.on_conflict_do_update(index_elements=[ro.c.speaker_id, ro.c.role],
                                                     set_={"n": ro.c.n + statement.excluded.n}))


def link_new_claims(engine: Engine, article_pks: Sequence[int], *, threshold: float | None = None) -> int:
    """Place the statements of newly added articles into claims by nearest neighbours; returns
    the number of statements placed.

    Each new statement joins the claim of its most similar statement at `THRESHOLD` or more,
    or forms a claim with its unclustered neighbours; contradictions are looked for between
    it and the claim's members. Existing claims are not re-clustered (`onrecord link` is the
    full rebuild).
    """
    import numpy as np

    threshold = THRESHOLD if threshold is None else threshold
    a = s.attributions.c
    pks = set(article_pks)
    with engine.connect() as conn:
        rows = conn.execute(select(a.id, a.article_pk, a.idx, a.nested_in, a.speaker_id, a.stance, a.content,
                                   a.date, a.cue, a.claim_id).where(func.length(a.content) >= MIN_CHARS)
                            .order_by(a.id)).all()
    statements = [Statement(*row[:9]) for row in rows]
    claim_of: list[int | None] = [row[9] for row in rows]
    new = [n for n, st in enumerate(statements) if st.article in pks]
    if not new:
        return 0
    try:
        found = vectors(engine, [claim_text(st.content) for st in statements])
    except (ModelError, ImportError) as err:
        logger.warning("claims not linked: %s", err)
        return 0
    old = np.array([n for n, st in enumerate(statements) if st.article not in pks], dtype=np.int64)
    placed = 0
    with engine.begin() as conn:
        serialize(conn)
        touched: dict[int, list[int]] = {}
        seen: list[int] = [int(i) for i in old]
        for k, i in enumerate(new):
            if k % 100 == 0:
                tell("claims", k, len(new))
            pool = np.array(seen, dtype=np.int64)
            sims = found[pool] @ found[i] if len(pool) else np.zeros(0, dtype=np.float32)
            near = [(float(sims[k]), int(j)) for k, j in enumerate(pool.tolist())
                    if sims[k] >= threshold and not nested_pair(statements[i], statements[j])]
            seen.append(i)
            if not near:
                continue
            near.sort(reverse=True)
            clustered = [(sim, j) for sim, j in near if claim_of[j] is not None]
            joined = claim_of[clustered[0][1]] if clustered else None
            if joined is not None:
                claim_id, members = joined, [i]
            else:
                members = [i, *(j for _, j in near)]
                claim_id = conn.execute(insert(s.claims).values(
                    label=label_of(members, statements), n_statements=0, n_articles=0)
                    .returning(s.claims.c.id)).scalar_one()
            for m in members:
                claim_of[m] = claim_id
            conn.execute(update(s.attributions).where(a.id.in_([statements[m].id for m in members]))
                         .values(claim_id=claim_id))
            touched.setdefault(claim_id, []).append(i)
            placed += 1
        for claim_id, added in touched.items():
            members = [n for n, c in enumerate(claim_of) if c == claim_id]
            conn.execute(update(s.claims).where(s.claims.c.id == claim_id).values(
                label=label_of(members, statements), n_statements=len(members),
                n_articles=len({statements[m].article for m in members})))
            pairs = [p for p in contradictions_in(members, statements, found) if p[0] in added or p[1] in added]
            if pairs:
                conn.execute(insert(s.contradictions), [
                    {"claim_id": claim_id, "a_id": statements[x].id, "b_id": statements[y].id, "reason": reason,
                     "similarity": sim} for x, y, reason, sim in pairs])
    tell("claims", len(new), len(new))
    tell("contradictions", len(touched), len(touched))  # looked for in each claim a new statement joined
    logger.info("placed %d of %d new statements into claims", placed, len(new))
    return placed
