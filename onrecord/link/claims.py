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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .propositions import names_differ

logger = logging.getLogger(__name__)

THRESHOLD = 0.80
# pairs this similar are compared as propositions (contradictions between claims come from them)
CANDIDATE = 0.50
# a pair this similar with one predicate about one thing (`propositions.same_frame`) is one claim
FRAME_THRESHOLD = 0.50
CENTROID_SLACK = 0.10
MIN_CHARS = 20
# Below this many distinct statements every pair is compared (a second or two); above, an HNSW
# index gives each statement its NEIGHBOURS nearest ones (README "Linking at scale").
EXACT_BELOW = 20_000
NEIGHBOURS = 16
HNSW_LINKS, HNSW_EF = 16, 40  # on synthetic claims, the same groups as every pair (README)


@dataclass(frozen=True, slots=True)
class Statement:
    id: int
    article: int
    index: int
    nested_in: int | None
    speaker: int | None
    stance: str
    content: str
    date: str | None = None  # when it was said ("YYYY-MM-DD…"): the statement's date, else its article's
    cue: str | None = None  # the words that attribute it ("said", "shows")


def claim_text(content: str) -> str:
    """The text that is embedded: the clean proposition without a frame that denies or reports it
    (`propositions.core_text`: "it is not true that P" is embedded as P)."""
    from .propositions import core_text

    return core_text(content)


def nested_pair(a: Statement, b: Statement) -> bool:
    """One statement reported inside the other ("X wrote that Y, who said that ...")."""
    return a.article == b.article and (a.nested_in == b.index or b.nested_in == a.index)



def cluster(vectors: Any, statements: Sequence[Statement], threshold: float = THRESHOLD, *,
            exact_below: int = EXACT_BELOW, structured: bool = False) -> list[list[int]]:
    """Groups (of two or more row indices) of statements that make the same claim (`link`)."""
    return link(vectors, statements, threshold, exact_below=exact_below, structured=structured).groups


@dataclass(frozen=True, slots=True)
class Linked:
    groups: list[list[int]]  # row indices of each claim's members (two or more)
    candidates: list[tuple[int, int, float]]  # similar pairs that were compared (rows, cosine)
    propositions: dict[int, Any]  # row -> `propositions.Proposition`, for the rows that were compared


def link(vectors: Any, statements: Sequence[Statement], threshold: float = THRESHOLD, *,
         exact_below: int = EXACT_BELOW, structured: bool = True) -> Linked:
    """Statements that make the same claim, and the similar pairs that were compared.

    Statements with the same vector (the same text) are one point. Candidate pairs are
    those whose cosine similarity is ``CANDIDATE`` or more: below ``exact_below`` points
    every pair is compared; above, each point's `NEIGHBOURS` nearest points come from an
    HNSW index (faiss, the ``claims`` extra), so a million statements cost n log n, not n².
    Pairs are joined from the most similar down when their cosine is ``threshold`` or more
    and, when ``structured``, when the two propositions (`propositions.parse_all`: spaCy's
    parse of the contents) and the two groups they would join fill no slot differently:
    another figure, date, place or name makes another claim however similar the words
    (`propositions.conflict`). Polarity is not a slot: "X denied that P" joins P, on its
    other side. Nested statements (`nested_pair`) are never joined directly.
    """
    import numpy as np

    n = len(statements)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    points, members = _points(vectors)
    for group in members:  # one text: one claim (nested copies aside)
        for m in group[1:]:
            for other in group[:4]:
                if other != m and not nested_pair(statements[m], statements[other]):
                    parent[find(m)] = find(other)
                    break
    low = min(CANDIDATE, threshold) if structured else threshold
    seen: dict[tuple[int, int], float] = {}
    for p, q, sim in _similar_pairs(vectors, points, low, exact_below):  # the index finds a pair from both ends
        seen[(p, q) if p < q else (q, p)] = float(sim)
    pairs = sorted(((sim, members[p][0], members[q][0]) for (p, q), sim in seen.items()), reverse=True)
    del seen
    from .propositions import same_frame

    props: dict[int, Any] = {}
    slots: dict[int, _Slots] = {}
    if structured and pairs:
        from .propositions import parse_all

        rows = sorted({r for _, i, j in pairs for r in (i, j)})
        props = dict(zip(rows, parse_all([statements[r].content for r in rows])))
        for r, prop in props.items():
            slots[find(r)] = _Slots.merged(slots.get(find(r)), _Slots.of(prop))
    candidates = []
    for sim, i, j in pairs:
        candidates.append((i, j, sim))
        if sim < threshold and not (structured and sim >= FRAME_THRESHOLD and i in props and j in props
                                    and same_frame(props[i], props[j])):
            continue
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        if structured and slots.get(ri) and slots.get(rj) and slots[ri].conflicts(slots[rj]):
            continue
        if nested_pair(statements[i], statements[j]):
            continue
        parent[ri] = rj
        if structured:
            slots[rj] = _Slots.merged(slots.get(ri), slots.get(rj))
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
    return Linked(out, candidates, props)


@dataclass(slots=True)
class _Slots:
    """What a group of statements says in each slot (figures, dates, places, names): a group
    joins another only where no slot both fill is disjoint."""
    values: dict[str, frozenset[str]]

    @classmethod
    def of(cls, prop: Any) -> _Slots:
        places = frozenset(w for p in prop.places for w in p.split())
        values = {"figure": prop.figures, "place": places, "name": prop.names | places, "words": prop.words}
        for granularity, value in prop.dates:
            values[granularity] = values.get(granularity, frozenset()) | {value}
        return cls({k: v for k, v in values.items() if v})

    @classmethod
    def merged(cls, a: _Slots | None, b: _Slots | None) -> _Slots:
        values = dict(a.values) if a else {}
        for k, v in (b.values if b else {}).items():
            values[k] = values.get(k, frozenset()) | v
        return cls(values)

    def conflicts(self, other: _Slots) -> bool:
        mine, theirs = self.values, other.values
        if names_differ(mine.get("name", frozenset()), mine.get("words", frozenset()),
                        theirs.get("name", frozenset()), theirs.get("words", frozenset())):
            return True
        return any(k in theirs and not v & theirs[k] for k, v in mine.items() if k not in ("name", "words"))


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
                   exact_below: int) -> Iterator[tuple[int, int, float]]:
    """Pairs (positions in ``points``, rows of ``vectors``) whose cosine similarity is
    ``threshold`` or more: all of them below ``exact_below`` points, else those among each
    point's `NEIGHBOURS` nearest (faiss HNSW). Read in chunks: no copy of all the vectors."""
    import numpy as np

    n, rows = len(points), np.asarray(points, dtype=np.int64)
    if n < exact_below or n <= NEIGHBOURS:
        unique = vectors[rows]
        for start in range(0, n, 1024):
            sims = unique[start:start + 1024] @ unique.T
            near, cols = np.nonzero(sims >= threshold)
            for i, j, sim in zip((near + start).tolist(), cols.tolist(), sims[near, cols].tolist()):
                if i < j:
                    yield i, j, sim
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
        for i, j, sim in zip((near + start).tolist(), ids[near, cols].tolist(), sims[near, cols].tolist()):
            if i != j:
                yield i, j, sim


def label_of(members: Sequence[int], statements: Sequence[Statement], vectors: Any = None) -> str:
    """A claim's label: its representative's clean proposition (`propositions.claim_label`), the
    label the CLI, the API and the claim page all show."""
    from .propositions import claim_label

    return claim_label([statements[m].content for m in members], [statements[m].stance for m in members])
