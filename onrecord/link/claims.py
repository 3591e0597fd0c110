"""Claims: statements that make the same claim, as pure functions over statements and vectors.

Statements are embedded with all-MiniLM-L6-v2 (`embeddings`), and two statements make
the same claim when the cosine similarity of their contents is at least `THRESHOLD`
(connected components of that graph, then members far from their cluster's centroid
are dropped, which stops chaining). Past `EXACT_BELOW` distinct statements the graph's
edges come from an approximate nearest-neighbour index instead of every pair (`cluster`). 0.80 was tuned on a labelled set of pairs from
PolNeAR dev and the sample article (tests/data/claim_pairs.jsonl; README "Store").
The store persists what these functions compute (`onrecord.store.linking`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

THRESHOLD = 0.80
CENTROID_SLACK = 0.10
MIN_CHARS = 20
# Below this many distinct statements every pair is compared (a second or two); above, an HNSW
# index gives each statement its NEIGHBOURS nearest ones (README "Linking at scale").
EXACT_BELOW = 20_000
NEIGHBOURS = 16
HNSW_LINKS, HNSW_EF = 16, 40  # on synthetic claims, the same groups as every pair (README)
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


def nested_pair(a: Statement, b: Statement) -> bool:
    """One statement reported inside the other ("X wrote that Y, who said that ...")."""
    return a.article == b.article and (a.nested_in == b.index or b.nested_in == a.index)



def cluster(vectors: Any, statements: Sequence[Statement], threshold: float = THRESHOLD, *,
            exact_below: int = EXACT_BELOW) -> list[list[int]]:
    """Groups (of two or more row indices) of statements that make the same claim.

    Statements with the same vector (the same text) are one point. Below ``exact_below``
    points every pair is compared; above, each point's `NEIGHBOURS` nearest points come
    from an HNSW index (faiss, the ``claims`` extra), so a million statements cost
    n log n, not n²: a claim's members join through their neighbours, as they join through
    each other when every pair is compared. Nested statements (`nested_pair`) are never
    joined directly.
    """
    import numpy as np

    n = len(statements)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(group_a: list[int], group_b: list[int]) -> None:
        """Join two statements' groups through a pair that is not nested (the first few tried)."""
        for i in group_a[:4]:
            for j in group_b[:4]:
                if i != j and not nested_pair(statements[i], statements[j]):
                    parent[find(i)] = find(j)
                    return

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    points, members = _points(vectors)
    for group in members:  # one text: one claim (nested copies aside)
        for m in group[1:]:
            join([m], group)
    for p, q in _similar_pairs(vectors, points, threshold, exact_below):
        join(members[p], members[q])
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out = []
    for group in groups.values():
        if len(group) < 2:
            continue
        if len(group) > 2:
            centroid = vectors[group].mean(0)
            centroid /= np.linalg.norm(centroid) or 1.0
            group = [m for m in group if float(vectors[m] @ centroid) >= threshold - CENTROID_SLACK]
        if len(group) >= 2:
            out.append(sorted(group))
    return out


def _points(vectors: Any) -> tuple[list[int], list[list[int]]]:
    """The first row of each distinct vector, and the rows of each (identical texts: one point)."""
    import hashlib

    first: dict[bytes, int] = {}
    points: list[int] = []
    members: list[list[int]] = []
    for i in range(len(vectors)):
        key = hashlib.blake2b(vectors[i].tobytes(), digest_size=16).digest()
        p = first.setdefault(key, len(points))
        if p == len(points):
            points.append(i)
            members.append([i])
        else:
            members[p].append(i)
    return points, members


def _similar_pairs(vectors: Any, points: list[int], threshold: float,
                   exact_below: int) -> Iterator[tuple[int, int]]:
    """Pairs (positions in ``points``, rows of ``vectors``) whose cosine similarity is
    ``threshold`` or more: all of them below ``exact_below`` points, else those among each
    point's `NEIGHBOURS` nearest (faiss HNSW). Read in chunks: no copy of all the vectors."""
    import numpy as np

    n, rows = len(points), np.asarray(points, dtype=np.int64)
    if n < exact_below or n <= NEIGHBOURS:
        unique = vectors[rows]
        for start in range(0, n, 1024):
            near, cols = np.nonzero(unique[start:start + 1024] @ unique.T >= threshold)
            for i, j in zip((near + start).tolist(), cols.tolist()):
                if i < j:
                    yield i, j
        return
    try:
        import faiss
    except ImportError:
        logger.warning("comparing all %d pairs of statements: pip install 'onrecord[claims]' (faiss-cpu) for "
                       "the nearest-neighbour index", n * (n - 1) // 2)
        yield from _similar_pairs(vectors, points, threshold, n + 1)
        return
    index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF
    for start in range(0, n, 50_000):
        index.add(vectors[rows[start:start + 50_000]])
    index.hnsw.efSearch = HNSW_EF
    for start in range(0, n, 20_000):
        sims, ids = index.search(vectors[rows[start:start + 20_000]], NEIGHBOURS + 1)
        near, cols = np.nonzero((sims >= threshold) & (ids >= 0))
        for i, j in zip((near + start).tolist(), ids[near, cols].tolist()):
            if i != j:
                yield i, j


def label_of(members: Sequence[int], statements: Sequence[Statement], vectors: Any) -> str:
    """A claim's label: the member's text nearest the cluster's centroid (at most 300 characters)."""
    centroid = vectors[list(members)].mean(0)
    best = max(members, key=lambda m: float(vectors[m] @ centroid))
    return claim_text(statements[best].content)[:300]
