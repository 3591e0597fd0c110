"""Contradictions: pairs of statements whose propositions cannot both be true, each with its reason.

Two kinds, from the propositions of `propositions` (spaCy's parse of each content):

- within one claim, a statement on one side against one on the other (`sides`): "denies"
  when one of them is a denial (a denying cue, "it is not true that"), "negates" when one
  negates what the other affirms ("will not run" / "will run", "will stay open" / "will close");
- between two claims on one subject (`between`): a similar pair kept apart only by a figure
  or a date, with the same predicate or nearly the same words, the same polarity and
  subjects that can be the same ("different figure: 40,000 vs 12,000", "different date:
  March 4 vs March 11"). A place or a name that differs makes another claim, not a
  contradiction: floods in Serbia do not contradict floods in Romania; and figures stated more
  than a week apart may measure a quantity that changed (polls, counts, prices), and two findings
  of different sources ("a poll shows", "the average of polls shows") are two measurements.

Pairs from one speaker in one article, and nested statements with their outer statement,
are never compared (`comparable`); questions assert nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .claims import Statement, nested_pair
from .propositions import (
    PRONOUNS,
    antonyms,
    Proposition,
    conflict,
    conflicts,
    date_conflict,
    effective_polarity,
    parse_all,
    pronoun_fits,
    relative_side,
    representative,
)

MAX_PAIRS_PER_CLAIM = 20
SIDE_SAMPLE = 200  # members per side compared in a very large claim (`_typical`)
# a pair kept apart by a figure or a date is a contradiction when this similar (or with one predicate)
BETWEEN_SIMILARITY = 0.80
FIRST_PERSON = {"i", "me", "we", "us", "my", "our"}
# Figures stated further apart than this are not taken for one quantity (a week: one news cycle; not tuned)
SAME_PERIOD_DAYS = 7


def comparable(a: Statement, b: Statement) -> bool:
    """Whether two statements can contradict each other (not one speaker in one article, not nested,
    not a question, not an indirect question: "does not answer whether Scott had a gun")."""
    if nested_pair(a, b) or "question" in (a.stance, b.stance) or asks(a.content) or asks(b.content):
        return False
    return not (a.article == b.article and a.speaker is not None and a.speaker == b.speaker)


def asks(content: str) -> bool:
    """Whether a content is an indirect question ("whether Scott had a gun", "if the plant will
    close"): it asserts nothing, so nothing contradicts it."""
    words = content.lstrip(" \"'“‘").split(maxsplit=1)
    return bool(words) and words[0].lower() in {"whether", "if"}


def same_subject(a: Statement, b: Statement, x: Proposition, y: Proposition) -> bool:
    """Whether two propositions can be about one subject: a pronoun ("it", "she") in another
    article is unknown, so two pronoun subjects there are taken to be the same only when the
    same speaker says both ("it" is the company that speaks); a pronoun against a noun phrase
    may be it; two noun phrases need a word in common."""
    sx, sy = x.subject, y.subject
    if not sx or not sy:
        return True
    px, py = sx <= PRONOUNS, sy <= PRONOUNS
    if px and py:
        return a.article == b.article or (a.speaker is not None and a.speaker == b.speaker) or \
            not (sx & FIRST_PERSON or sy & FIRST_PERSON) and a.speaker is None and b.speaker is None
    if px or py:  # "he" is a person: not "the top 1 percent"
        return pronoun_fits(sx, y) and pronoun_fits(sy, x)
    return bool(sx & sy)


def opposing_in_claim(a: Statement, b: Statement, x: Proposition, y: Proposition, claim: Proposition) -> str | None:
    """Why two members of one claim contradict each other ("denies", "negates"), or None."""
    if not comparable(a, b):
        return None
    if relative_side(x, a.stance, claim) == relative_side(y, b.stance, claim):
        return None
    # a claim joins statements on one topic; opposite sides contradict each other only when both
    # state one predicate (or its opposite) of one subject: a "not" somewhere in a long quote on the
    # same topic ("that makes me smart" against "he did not pay") is no contradiction
    if not (x.predicate and (x.predicate == y.predicate or antonyms(x, y))) or not same_subject(a, b, x, y):
        return None
    if "deny" in (a.stance, b.stance) or x.denial_frame or y.denial_frame:
        return "denies"
    return "negates"


def opposing(a: Statement, b: Statement, similarity: float = 1.0) -> str | None:
    """Why two statements contradict each other, taken as one claim (sides against the first),
    or, kept apart, by a figure or a date (`between`); None when they can both be true."""
    x, y = parse_all([a.content, b.content])
    if not comparable(a, b) or not (x.is_clause and y.is_clause):
        return None
    slot = conflict(x, y)
    if slot is None:
        return opposing_in_claim(a, b, x, y, x)
    return different(a, b, x, y, similarity)


def different(a: Statement, b: Statement, x: Proposition, y: Proposition, similarity: float) -> str | None:
    """"different figure: 40,000 vs 12,000" or "different date: ..." for a pair about one subject
    with one predicate and polarity that differs only there; None otherwise."""
    # one event told in two voices ("the floods displaced 40,000 people", "12,000 people were
    # displaced"): the same predicate acting on the same thing, where the subjects cannot be
    # compared (one is the agent, the other the patient, or one is missing)
    one_event = x.predicate == y.predicate and bool(x.patient & y.patient) and \
        (x.passive != y.passive or not x.subject or not y.subject)
    if not comparable(a, b) or not ((x.is_clause and y.is_clause) or one_event):
        return None
    if x.unresolved_place or y.unresolved_place:  # "unemployment there": a place named elsewhere
        return None
    if effective_polarity(x, a.stance) != effective_polarity(y, b.stance):
        return None
    if not (one_event or same_subject(a, b, x, y)):
        return None
    if x.predicate != y.predicate and similarity < BETWEEN_SIMILARITY:
        return None
    slots = conflicts(x, y)
    if "place" in slots or "name" in slots or len(slots) != 1:  # another place or name: another claim
        return None
    slot = slots[0]
    if slot == "figure" and apart(a, b):
        return None  # a count, a price or a poll reported weeks apart may simply have changed
    if slot == "figure" and measured(a) and measured(b) and a.speaker != b.speaker:
        return None  # two polls, two studies: two samples, whose figures differ without contradicting
    if slot == "figure":
        only_x = [t for t in x.figure_text if t not in y.figure_text] or list(x.figure_text)
        only_y = [t for t in y.figure_text if t not in x.figure_text] or list(y.figure_text)
        return f"different figure: {', '.join(only_x)} vs {', '.join(only_y)}"
    if slot == "date":
        dates = date_conflict(x, y)
        assert dates is not None
        return f"different date: {_date(dates[0])} vs {_date(dates[1])}"
    return None


# cues of a finding: what a poll, a study or an average shows (a measurement, not a claim about the world)
FINDING_CUES = {"show", "shows", "showed", "shown", "showing", "find", "finds", "found", "finding"}


def measured(statement: Statement) -> bool:
    """Whether a statement is a finding ("a poll released Friday shows that …")."""
    words = (statement.cue or "").lower().split()
    return bool(words) and words[-1] in FINDING_CUES


def apart(a: Statement, b: Statement) -> bool:
    """Whether two statements were made more than `SAME_PERIOD_DAYS` apart (unknown dates are not)."""
    from datetime import date

    try:
        days = abs((date.fromisoformat((a.date or "")[:10]) - date.fromisoformat((b.date or "")[:10])).days)
    except ValueError:
        return False
    return days > SAME_PERIOD_DAYS


def _date(value: str) -> str:
    return " ".join(w.capitalize() if w.isalpha() else w for w in value.split())


def contradictions_in(members: Sequence[int], statements: Sequence[Statement],
                      vectors: Any) -> list[tuple[int, int, str, float]]:
    """Pairs of members of one claim on opposite sides of its proposition, with the reason."""
    contents = [statements[m].content for m in members]
    stances = [statements[m].stance for m in members]
    props = parse_all(contents)
    claim = props[representative(contents, stances)]
    sides = [relative_side(p, stance, claim) for p, stance in zip(props, stances)]
    chosen = _typical(members, sides, vectors)
    found = []
    for n, x in enumerate(chosen):  # only members on opposite sides can contradict each other
        for y in chosen[n + 1:]:
            if sides[x] == sides[y]:
                continue
            i, j = members[x], members[y]
            reason = opposing_in_claim(statements[i], statements[j], props[x], props[y], claim)
            if reason:
                found.append((i, j, reason, float(vectors[i] @ vectors[j])))
    found.sort(key=lambda f: -f[3])
    return found[:MAX_PAIRS_PER_CLAIM]


def _typical(members: Sequence[int], sides: Sequence[int], vectors: Any) -> list[int]:
    """Positions of the members whose pairs are compared: all of them, or in a claim reported
    thousands of times the `SIDE_SAMPLE` of each side nearest the claim's centre (comparing every
    pair is quadratic, and only `MAX_PAIRS_PER_CLAIM` pairs are kept)."""
    import numpy as np

    positions = list(range(len(members)))
    if len(members) <= 2 * SIDE_SAMPLE:
        return positions
    matrix = np.asarray(vectors)[list(members)]
    centre = matrix.mean(0)
    closeness = matrix @ centre
    chosen: list[int] = []
    for side in set(sides):
        on_side = [p for p in positions if sides[p] == side]
        chosen += sorted(on_side, key=lambda p: -float(closeness[p]))[:SIDE_SAMPLE]
    return sorted(chosen)


def between(candidates: Sequence[tuple[int, int, float]], claim_of: dict[int, int], statements: Sequence[Statement],
            propositions: dict[int, Proposition]) -> list[tuple[int, int, str, float]]:
    """Contradictions between statements that are not of one claim: similar pairs (``candidates``,
    rows and cosine) kept apart only by a figure or a date (`different`). At most
    `MAX_PAIRS_PER_CLAIM` per pair of claims."""
    found: list[tuple[int, int, str, float]] = []
    per_pair: dict[tuple[int, int], int] = {}
    for i, j, sim in candidates:
        ci, cj = claim_of.get(i, -1 - i), claim_of.get(j, -1 - j)
        if ci == cj or i not in propositions or j not in propositions:
            continue
        x, y = propositions[i], propositions[j]
        if conflict(x, y) not in ("figure", "date"):
            continue
        reason = different(statements[i], statements[j], x, y, sim)
        if reason is None:
            continue
        key = (min(ci, cj), max(ci, cj))
        if per_pair.get(key, 0) >= MAX_PAIRS_PER_CLAIM:
            continue
        per_pair[key] = per_pair.get(key, 0) + 1
        found.append((i, j, reason, sim))
    return found
