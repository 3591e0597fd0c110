"""Claims: statements that make the same claim, as pure functions over statements and vectors.

Statements are embedded with all-MiniLM-L6-v2 (`embeddings`), and two statements make
the same claim when the cosine similarity of their contents is at least `THRESHOLD`
(connected components of that graph, then members far from their cluster's centroid
are dropped, which stops chaining). 0.80 was tuned on a labelled set of pairs from
PolNeAR dev and the sample article (tests/data/claim_pairs.jsonl; README "Store").
The store persists what these functions compute (`onrecord.store.linking`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

THRESHOLD = 0.80
CENTROID_SLACK = 0.10
MIN_CHARS = 20
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



def label_of(members: Sequence[int], statements: Sequence[Statement], vectors: Any) -> str:
    """A claim's label: the member's text nearest the cluster's centroid (at most 300 characters)."""
    centroid = vectors[list(members)].mean(0)
    best = max(members, key=lambda m: float(vectors[m] @ centroid))
    return claim_text(statements[best].content)[:300]
