"""Who is on record for a claim: the members of a claim on its two sides, named by its most
representative statement.

A claim groups statements by meaning, whatever their polarity ("Russia has no
preconditions" and "Russia has preconditions" land together). The claim is named by
the member that shares most words with the others; every member is then for or against
*that* proposition: its content's negations and a denying cue each flip it. So "X denied
that A" and "Y said that not A" stand against "A", and a negated statement is never
filed as asserting it.

The polarity is `polarity.polarity`. A member is anything
with an ``attribution`` that has ``content_text`` and ``stance``: the server's
`schemas.QuoteOut` (``AttributionOut``) or a store `Quote` (``models.Attribution``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .polarity import NEGATIONS, polarity

_WORD = re.compile(r"\w+")
_LEADING_THAT = re.compile(r"^(?:that|whether|if)\s+", re.I)


@dataclass(frozen=True, slots=True)
class Sides:
    representative: Any | None
    label: str
    asserting: tuple[Any, ...]
    believing: tuple[Any, ...]
    denying: tuple[Any, ...]


def proposition(content: str) -> str:
    """What is claimed, without quote marks or a leading "that"."""
    return _LEADING_THAT.sub("", content.strip()).strip(" \"“”'‘’").strip()


def _words(content: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(NEGATIONS.sub(" ", content)) if len(w) > 2}


def _content(member: Any) -> str:
    return str(member.attribution.content_text)


def _stance(member: Any) -> str:
    return str(member.attribution.stance)


def representative(members: Sequence[Any]) -> Any | None:
    """The member sharing most words with the others (Jaccard), then the shorter, then the first."""
    if not members:
        return None
    words = [_words(_content(m)) for m in members]

    def centrality(i: int) -> tuple[float, int, int]:
        score = sum(len(words[i] & w) / len(words[i] | w) for j, w in enumerate(words) if j != i and words[i] | w)
        return (-score, len(_content(members[i])), i)
    return members[min(range(len(members)), key=centrality)]


def claim_sides(members: Sequence[Any]) -> Sides:
    """Members of one claim for and against its representative statement's proposition."""
    rep = representative(members)
    if rep is None:
        return Sides(None, "", (), (), ())
    claimed = polarity(_content(rep))
    asserting, believing, denying = [], [], []
    for m in members:
        effective = polarity(_content(m), _stance(m))
        if effective != claimed:
            denying.append(m)
        elif _stance(m) == "believe":
            believing.append(m)
        else:
            asserting.append(m)
    return Sides(rep, proposition(_content(rep)), tuple(asserting), tuple(believing), tuple(denying))
