"""The polarity of a statement: whether it affirms or negates the proposition it states.

One count for every stage that compares statements: each negation in the content
("not", "never", "n't", ...) flips it, and so does a denying cue ("X denied that A" is
against A, as is "Y said that not A"). The sides of a claim (`sides.claim_sides`) read it;
contradictions (`contradictions.opposing`) start from the same negation words and keep
those that bear on a word both statements share.
"""

from __future__ import annotations

import re

NEGATIONS = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|without)\b|n[’']t\b", re.I)


def negations(content: str) -> list[str]:
    """The negation words of ``content``, lower-cased, in order."""
    return [m.group(0).lower() for m in NEGATIONS.finditer(content)]


def polarity(content: str, stance: str | None = None) -> int:
    """1 for an affirmed proposition, -1 for a negated or denied one (``stance`` "deny")."""
    flips = len(negations(content)) + (stance == "deny")
    return -1 if flips % 2 else 1
