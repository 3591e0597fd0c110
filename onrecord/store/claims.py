"""Claims and contradictions: statements that make the same claim, and pairs of them that oppose.

Statements are embedded with all-MiniLM-L6-v2 (`embeddings`), and two statements make
the same claim when the cosine similarity of their contents is at least `THRESHOLD`
(connected components of that graph, then members far from their cluster's centroid
are dropped, which stops chaining). 0.80 was tuned on a labelled set of pairs from
PolNeAR dev and the sample article (tests/data/claim_pairs.jsonl; README "Store").

A contradiction is a pair in one cluster whose *effective polarity* differs: the stance
of the cue (deny flips it) combined with negation in the content ("X will" vs "X will
not"). Pairs from one speaker in one article, and nested statements with their outer
statement, are not compared.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ModelError

if TYPE_CHECKING:
    from .base import Store

logger = logging.getLogger(__name__)

THRESHOLD = 0.80
CENTROID_SLACK = 0.10
MIN_CHARS = 20
MAX_PAIRS_PER_CLAIM = 20
POLARITY_OVERLAP = 0.6
NEGATIONS = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|without)\b|n[’']t\b", re.I)
_LEADING_THAT = re.compile(r"^(?:that|whether|if)\s+", re.I)


@dataclass(frozen=True, slots=True)
class Statement:
    id: int
    article: int
    index: int
    nested_in: int | None
    speaker: int | None
    stance: str
    content: str


def claim_text(content: str) -> str:
    """The text that is embedded: the content without quotes and a leading "that"."""
    return _LEADING_THAT.sub("", content.strip()).strip(" \"“”'‘’")


def negations(content: str) -> list[str]:
    return [m.group(0).lower() for m in NEGATIONS.finditer(content)]


def polarity(statement: Statement) -> int:
    """1 for an affirmed claim, -1 for a negated or denied one."""
    flips = len(negations(statement.content)) + (statement.stance == "deny")
    return -1 if flips % 2 else 1


def nested_pair(a: Statement, b: Statement) -> bool:
    """One statement reported inside the other ("X wrote that Y, who said that ...")."""
    return a.article == b.article and (a.nested_in == b.index or b.nested_in == a.index)


def comparable(a: Statement, b: Statement) -> bool:
    """Whether two statements of one claim can contradict each other (not one speaker in one article)."""
    if nested_pair(a, b):
        return False
    return not (a.article == b.article and a.speaker is not None and a.speaker == b.speaker)


def cluster(vectors: Any, statements: Sequence[Statement], threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups (of two or more row indices) of statements that make the same claim."""
    import numpy as np

    n = len(statements)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    block = 2048
    for start in range(0, n, block):
        sims = vectors[start:start + block] @ vectors.T
        rows, cols = np.nonzero(sims >= threshold)
        for i, j in zip(rows.tolist(), cols.tolist()):
            i += start
            if i < j and not nested_pair(statements[i], statements[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        if len(members) > 2:
            centroid = vectors[members].mean(0)
            centroid /= np.linalg.norm(centroid) or 1.0
            members = [m for m in members if float(vectors[m] @ centroid) >= threshold - CENTROID_SLACK]
        if len(members) >= 2:
            out.append(sorted(members))
    return out


def _words(content: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", NEGATIONS.sub(" ", content.lower())) if len(w) > 2}


def opposing(a: Statement, b: Statement) -> str | None:
    """Why two statements of one claim contradict each other, or None.

    A stance contradiction (assert/believe vs deny) needs only the shared cluster. A
    polarity contradiction also needs the same words apart from the negation (Jaccard
    >= `POLARITY_OVERLAP`): a fragment of a longer sentence that happens to lack its
    "not" is not a contradiction.
    """
    if not comparable(a, b) or polarity(a) == polarity(b):
        return None
    if (a.stance == "deny") != (b.stance == "deny"):
        other = b if a.stance == "deny" else a
        return f"stance: {other.stance} vs deny"
    ta, tb = claim_text(a.content).lower(), claim_text(b.content).lower()
    if ta in tb or tb in ta:  # one is a fragment of the other: its "not" was cut off, not denied
        return None
    wa, wb = _words(a.content), _words(b.content)
    if not wa or not wb or len(wa & wb) / len(wa | wb) < POLARITY_OVERLAP:
        return None
    neg = negations(a.content) or negations(b.content)
    return f"polarity: affirmed vs negated ({', '.join(sorted(set(neg)))})"


def contradictions_in(members: Sequence[int], statements: Sequence[Statement], vectors: Any) -> list[tuple[int, int, str, float]]:
    found = []
    for x, i in enumerate(members):
        for j in members[x + 1:]:
            reason = opposing(statements[i], statements[j])
            if reason:
                found.append((i, j, reason, float(vectors[i] @ vectors[j])))
    found.sort(key=lambda f: -f[3])
    return found[:MAX_PAIRS_PER_CLAIM]


def _vectors(store: Store, texts: list[str]) -> Any:
    """Embeddings of the texts, cached in the store by text hash."""
    import numpy as np
    from sqlalchemy import insert, select

    from . import schema as s
    from .embeddings import load_encoder

    hashes = [hashlib.sha1(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]
    cached: dict[str, Any] = {}
    unique = list(dict.fromkeys(hashes))
    with store.engine.connect() as conn:
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
        with store.engine.begin() as conn:
            conn.execute(insert(s.embeddings), rows)
        cached.update({h: computed[n] for n, h in enumerate(missing)})
    return np.stack([cached[h] for h in hashes]) if hashes else np.zeros((0, 384), dtype=np.float32)


def link_claims(store: Store, *, threshold: float | None = None) -> int:
    """Recompute claim clusters and contradictions; returns the number of claims.

    Without the [claims] extra (model package, numpy, tokenizers) this logs a warning
    and leaves claims empty: ingest still works.
    """
    from sqlalchemy import delete, func, insert, select, update

    from . import schema as s

    threshold = THRESHOLD if threshold is None else threshold
    a = s.attributions.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(a.id, a.article_pk, a.idx, a.nested_in, a.speaker_id, a.stance, a.content)
                            .where(func.length(a.content) >= MIN_CHARS).order_by(a.id)).all()
    statements = [Statement(*row) for row in rows]
    try:
        vectors = _vectors(store, [claim_text(st.content) for st in statements])
    except (ModelError, ImportError) as err:
        logger.warning("claims not linked: %s", err)
        return 0
    groups = cluster(vectors, statements, threshold)
    with store.engine.begin() as conn:
        conn.execute(update(s.attributions).where(a.claim_id.is_not(None)).values(claim_id=None))
        conn.execute(delete(s.contradictions))
        conn.execute(delete(s.claims))
        for members in groups:
            centroid = vectors[members].mean(0)
            label_row = max(members, key=lambda m: float(vectors[m] @ centroid))
            claim_id = conn.execute(insert(s.claims).values(
                label=claim_text(statements[label_row].content)[:300], n_statements=len(members),
                n_articles=len({statements[m].article for m in members})).returning(s.claims.c.id)).scalar_one()
            conn.execute(update(s.attributions).where(a.id.in_([statements[m].id for m in members]))
                         .values(claim_id=claim_id))
            pairs = contradictions_in(members, statements, vectors)
            if pairs:
                conn.execute(insert(s.contradictions), [
                    {"claim_id": claim_id, "a_id": statements[i].id, "b_id": statements[j].id, "reason": reason,
                     "similarity": sim} for i, j, reason, sim in pairs])
    logger.info("linked %d statements into %d claims", len(statements), len(groups))
    return len(groups)
