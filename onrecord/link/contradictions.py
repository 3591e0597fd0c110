"""Contradictions: pairs of statements of one claim that oppose, by rules on spaCy's parse.

A contradiction is a pair in one cluster that passes general rules on spaCy's parse of
both contents (`opposing`): two propositions (not topics, not questions) about the same
subject with the same predicate (or antonyms) and opposite *effective polarity* (the
cue's stance, deny flipping it, and the negations in the content that bear on words both
share). Precision on hand-labelled pairs from PolNeAR dev and train and the sample:
tests/data/contradiction_pairs.jsonl, README "Store". Pairs from one speaker in one
article, and nested statements with their outer statement, are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from .claims import Statement, claim_text, nested_pair
from .polarity import NEGATIONS

MAX_PAIRS_PER_CLAIM = 20
POLARITY_OVERLAP = 0.6  # difflib ratio of the two lemma sequences without negations


def comparable(a: Statement, b: Statement) -> bool:
    """Whether two statements of one claim can contradict each other (not one speaker in one article)."""
    if nested_pair(a, b):
        return False
    return not (a.article == b.article and a.speaker is not None and a.speaker == b.speaker)


FIRST_PERSON = {"i", "me", "we", "us", "my", "our"}
PRONOUNS = FIRST_PERSON | {"he", "she", "it", "they", "him", "her", "them", "you", "this", "that", "there"}
NEGATION_WORDS = {"not", "n't", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"}
# predicates of opposite meaning: "X will win" vs "X will lose" is a polarity flip like "X will not win"
ANTONYMS = {frozenset(p) for p in [
    ("win", "lose"), ("increase", "decrease"), ("rise", "fall"), ("raise", "lower"), ("support", "oppose"),
    ("accept", "reject"), ("confirm", "deny"), ("admit", "deny"), ("agree", "disagree"), ("allow", "ban"),
    ("allow", "forbid"), ("approve", "reject"), ("gain", "lose"), ("succeed", "fail"), ("pass", "fail"),
    ("open", "close"), ("start", "stop"), ("begin", "end"), ("include", "exclude"), ("legal", "illegal"),
    ("true", "false"), ("guilty", "innocent"), ("safe", "dangerous"), ("possible", "impossible"),
    ("likely", "unlikely"), ("qualified", "unqualified"), ("right", "wrong"), ("strong", "weak"),
    ("higher", "lower"), ("more", "less"), ("better", "worse"), ("up", "down"), ("leave", "stay"),
]}


@dataclass(frozen=True, slots=True)
class Clause:
    """What the opposition rules need of a statement's content, from spaCy's parse."""
    is_clause: bool  # a verb (or copula) at the root with a subject: a proposition, not a topic
    subject: frozenset[str]  # lower-cased words of the root's subject
    predicate: str  # lemma of the root, or of the complement of a copula ("is qualified" -> qualified)
    lemmas: tuple[str, ...]  # lemmas without negations, for aligning the two statements
    negations: tuple[str, ...]  # negations that bear on a word (their head), as "neg>head-lemma"


@lru_cache(maxsize=20_000)
def parse(content: str) -> Clause:
    from ..nlp import load_nlp

    doc = load_nlp()(claim_text(content))
    roots = [t for t in doc if t.dep_ == "ROOT"]
    root = roots[0] if roots else None
    subject: frozenset[str] = frozenset()
    is_clause, predicate = False, ""
    if root is not None:
        subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")]
        is_clause = root.pos_ in ("VERB", "AUX") and bool(subjects) and not doc.text.rstrip(" \"”’'").endswith("?")
        if subjects and subjects[0].dep_ == "expl":  # "there are no boots on the ground": the boots
            subjects = [c for c in root.children if c.dep_ in ("attr", "nsubj")] or subjects
        if subjects:
            subject = frozenset(w.lower_ for w in subjects[0].subtree if w.is_alpha and not w.is_stop
                                or w.lower_ in PRONOUNS)
        head = root
        if root.lemma_ == "go":  # "is going to vote": vote
            head = next((c for c in root.children if c.dep_ == "xcomp"), root)
        predicate = head.lemma_.lower()
        if head.lemma_ == "be":
            complements = [c for c in head.children if c.dep_ in ("acomp", "attr", "oprd")]
            if complements:
                predicate = complements[0].lemma_.lower()
    negations = tuple(f"{t.lower_}>{t.head.lemma_.lower()}" for t in doc if _is_negation(t))
    lemmas = tuple(t.lemma_.lower() for t in doc if t.is_alpha and not _is_negation(t))
    return Clause(is_clause, subject, predicate, lemmas, negations)


def _is_negation(token: Any) -> bool:
    return token.dep_ == "neg" or token.lower_ in NEGATION_WORDS


def aligned_negations(x: Clause, y: Clause) -> int:
    """Negations of ``x`` that bear on a word ``y`` also has: "not me, not Bill" in a longer
    version of a sentence says nothing about the claim the two statements share."""
    other = set(y.lemmas)
    return sum(1 for n in x.negations if n.split(">", 1)[1] in other)


def same_subject(a: Statement, b: Statement, x: Clause, y: Clause) -> bool:
    """Whether the two statements can be about the same subject.

    "I" and "we" are the speaker: the same subject only for the same speaker. Other pronouns
    ("he", "they") can only be taken to be the same referent within one article: a pronoun
    subject in different articles is unknown, so no contradiction. Two subjects with no word
    in common are different; within one article a pronoun and a noun may be the same.
    """
    sx, sy = x.subject, y.subject
    if not sx or not sy:
        return False
    if sx & FIRST_PERSON or sy & FIRST_PERSON:
        return bool(sx & sy & FIRST_PERSON) and a.speaker is not None and a.speaker == b.speaker
    px, py = sx <= PRONOUNS, sy <= PRONOUNS
    if (px or py) and a.article != b.article:
        return False
    if sx & sy:
        return True
    return px != py  # one article: a pronoun and a noun phrase


def _opposite_predicates(x: Clause, y: Clause) -> bool | None:
    """True for antonyms, False for the same predicate, None for unrelated ones."""
    if x.predicate == y.predicate:
        return False
    if frozenset((x.predicate, y.predicate)) in ANTONYMS:
        return True
    return None


def opposing(a: Statement, b: Statement) -> str | None:
    """Why two statements of one claim contradict each other, or None.

    Both must be propositions (a verb with a subject: "the story about her emails" is a
    topic, "she used a private server" a claim; questions assert nothing), about the same
    subject (`same_subject`), with the same predicate or antonyms ("win" / "lose"). Their effective polarity must differ: the
    cue's stance (deny flips it), the negations in the content that bear on a word the
    other statement also has, and an antonym flip. A polarity contradiction (neither or
    both denied) also needs the same words apart from the negation (`POLARITY_OVERLAP`,
    in order), and neither may be a fragment of the other: a piece of a sentence that
    lacks its "not" is not a contradiction.
    """
    if not comparable(a, b) or "question" in (a.stance, b.stance):  # a question asserts nothing
        return None
    deny_a, deny_b = a.stance == "deny", b.stance == "deny"
    if deny_a == deny_b and not (NEGATIONS.search(a.content) or NEGATIONS.search(b.content)) \
            and not _may_be_antonyms(a.content, b.content):
        return None  # cheap exit before parsing
    ta, tb = claim_text(a.content).lower(), claim_text(b.content).lower()
    if deny_a == deny_b and (ta in tb or tb in ta):
        return None  # one is a fragment of the other: its "not" was cut off, not denied
    x, y = parse(a.content), parse(b.content)
    if not (x.is_clause and y.is_clause) or not same_subject(a, b, x, y):
        return None
    flipped = _opposite_predicates(x, y)
    if flipped is None:
        return None
    na, nb = aligned_negations(x, y), aligned_negations(y, x)
    if (deny_a + deny_b + na + nb + flipped) % 2 == 0:
        return None
    if deny_a != deny_b:
        other = b if deny_a else a
        return f"stance: {other.stance} vs deny"
    if SequenceMatcher(None, x.lemmas, y.lemmas).ratio() < POLARITY_OVERLAP:
        return None
    if flipped:
        return f"polarity: antonyms ({x.predicate} vs {y.predicate})"
    negated = x if na % 2 else y
    words = sorted({n.split(">", 1)[0] for n in negated.negations})
    return f"polarity: affirmed vs negated ({', '.join(words)})"


def _may_be_antonyms(content_a: str, content_b: str) -> bool:
    wa = set(re.findall(r"[a-z]+", content_a.lower()))
    wb = set(re.findall(r"[a-z]+", content_b.lower()))
    return any(len(p & wa) == 1 and len(p & wb) == 1 and p & wa != p & wb for p in ANTONYMS)


def contradictions_in(members: Sequence[int], statements: Sequence[Statement], vectors: Any) -> list[tuple[int, int, str, float]]:
    found = []
    for x, i in enumerate(members):
        for j in members[x + 1:]:
            reason = opposing(statements[i], statements[j])
            if reason:
                found.append((i, j, reason, float(vectors[i] @ vectors[j])))
    found.sort(key=lambda f: -f[3])
    return found[:MAX_PAIRS_PER_CLAIM]
