"""Who is on record for a claim: the members of a claim on its two sides, named by its proposition.

A claim groups statements by proposition, whatever their polarity ("Vantor will close the
plant", "Vantor denied that it would close the plant" and "the plant will stay open" land
together). The claim is named by its representative (`propositions.representative`: an
affirmed member that shares most words with the others), as a clean proposition
(`propositions.claim_label`, the label the store keeps and the CLI and API show); every
member is then for or against *that* proposition (`propositions.relative_side`): a
negation of its main predicate, a denial frame, a denying cue and a predicate of opposite
meaning each flip it. A negation elsewhere in the sentence does not.

A member is anything with an ``attribution`` that has ``content_text`` and ``stance``: the
server's `schemas.QuoteOut` (``AttributionOut``) or a store `Quote` (``models.Attribution``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .propositions import label_of_content, parse_all, relative_side
from .propositions import representative as representative_index


@dataclass(frozen=True, slots=True)
class Sides:
    representative: Any | None
    label: str
    asserting: tuple[Any, ...]
    believing: tuple[Any, ...]
    denying: tuple[Any, ...]


def proposition(content: str) -> str:
    """What is claimed: the clean proposition (`propositions.label_of_content`)."""
    return label_of_content(content)


def _content(member: Any) -> str:
    return str(member.attribution.content_text)


def _stance(member: Any) -> str:
    return str(member.attribution.stance)


def representative(members: Sequence[Any]) -> Any | None:
    """The member that names the claim (`propositions.representative`)."""
    if not members:
        return None
    return members[representative_index([_content(m) for m in members], [_stance(m) for m in members])]


def member_sides(members: Sequence[Any]) -> list[int]:
    """1 for each member that asserts the claim's proposition, -1 for each that denies or negates it."""
    if not members:
        return []
    contents, stances = [_content(m) for m in members], [_stance(m) for m in members]
    props = parse_all(contents)
    claim = props[representative_index(contents, stances)]
    return [relative_side(p, s, claim) for p, s in zip(props, stances)]


def claim_sides(members: Sequence[Any]) -> Sides:
    """Members of one claim for and against its representative statement's proposition."""
    rep = representative(members)
    if rep is None:
        return Sides(None, "", (), (), ())
    asserting, believing, denying = [], [], []
    for m, side in zip(members, member_sides(members)):
        if side < 0:
            denying.append(m)
        elif _stance(m) == "believe":
            believing.append(m)
        else:
            asserting.append(m)
    return Sides(rep, proposition(_content(rep)), tuple(asserting), tuple(believing), tuple(denying))
