"""Propositions: what a statement asserts, in a form two statements can be compared in.

No entailment model ships as a package here, so the comparison is built from what does:
spaCy's parse (`onrecord.nlp`) and the sentence vectors (`embeddings`). A statement's
content becomes a `Proposition`:

- its clean text (`clean`): without a leading "that", quotation marks, an inner "X said
  that" and a trailing attribution (", he said", ", according to ...");
- its *core*, the proposition itself, without a frame that denies or reports it ("it is
  not true that P", "there is no evidence that P", "claims that P"): the core is what is
  embedded, so that "X denied that P" and "P" are compared as P against P;
- its polarity: -1 when a negation bears on the main predicate ("will not run", "no
  troops will be deployed", "had no intention of"), or when a denial frame wraps it; a
  negation inside a subordinate phrase ("not the 1,200 the union announced") does not count;
- the slots that tell two propositions on one topic apart: figures (numbers with their
  scale), dates (a day of a month, a year, a quarter), places and other names (spaCy's
  entities), the main predicate and its subject.

Two propositions conflict (`conflict`) when a slot both fill differs: another figure,
date, place or name makes another claim, whatever the cosine similarity of the texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..lexicon import PERSON_NOUNS, PERSON_TITLES

_QUOTES = " \"“”'‘’«»"
_LEADING_THAT = re.compile(r"^(?:that|whether|if)\s+", re.I)
# "Mayor Ioana Petrescu said that ...": a reporting frame inside the content
_INNER_REPORT = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,5}(?:said|says|told\s+\w+|added|stated|claimed)\s+(?:that\s+)?")
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?:(?:he|she|they|it|we|officials?|sources?|analysts?|(?:the|a|an)\s+[\w\s]{1,30}?|"
    r"(?:[A-Z][\w.'’-]*\s*){1,4})\s+(?:said|says|added|told\s+\w+|wrote|argued|claimed)"
    r"|according\s+to\s+[^,]{1,60}|in\s+(?:his|her|their|my|our)\s+view)\s*[.,]?$")
# frames that deny the proposition they wrap: "it is not true that P" is against P
_DENIAL_FRAME = re.compile(
    r"^(?:it\s+(?:is|was|'s|’s)\s+(?:not|n[’']t|never|simply\s+not)\s+(?:true|correct|accurate|the\s+case)"
    r"|(?:there\s+(?:is|was|'s|’s)\s+)?no\s+(?:evidence|proof|indication|sign|truth|basis)(?:\s+(?:to|for)"
    r"\s+(?:the\s+)?(?:claims?|reports?|suggestions?|allegations?))?"
    r"|(?:it\s+(?:is|was)\s+)?(?:false|untrue|a\s+lie)"
    r"|nothing\s+suggests)\s+that\s+", re.I)
# frames that only report it: "(rejected) claims that P" is P, the cue says what is done with it
_REPORT_FRAME = re.compile(
    r"^(?:(?:the|those|these|any)\s+)?(?:claims?|reports?|allegations?|accusations?|suggestions?|rumou?rs?|"
    r"speculation|charges?|assertions?)\s+that\s+", re.I)
NEGATION_DETS = {"no", "neither"}
NEGATIVE_WORDS = {"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor", "cannot"}
COPULAS = {"be", "stay", "remain", "become", "seem", "appear"}
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")
# verbs whose complement does not happen (Karttunen's negative implicatives): "refused to answer"
NEGATIVE_IMPLICATIVES = {"refuse", "fail", "decline", "neglect"}
# a figure after one of these is the one rejected, not the one asserted: "800 jobs, not the 1,200"
_CONTRASTED = re.compile(r"(?:\bnot|\brather\s+than|\binstead\s+of)\s+(?:the\s+|about\s+|some\s+|around\s+)?$", re.I)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_DAY = re.compile(r"\b(" + "|".join(_MONTHS) + r")\.?\s+(\d{1,2})\b|\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\b",
                        re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_QUARTER = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter\b|\bq([1-4])\b", re.I)
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
PLACE_LABELS = ("GPE", "LOC", "FAC")
NAME_LABELS = ("PERSON", "ORG", "NORP")
PRONOUNS = {"i", "me", "we", "us", "he", "she", "it", "they", "him", "her", "them", "you", "this", "that", "there"}
# unresolved places: "unemployment there rose" is about a place named elsewhere in its article
DEICTIC_PLACES = {"there", "here"}


@dataclass(frozen=True, slots=True)
class Proposition:
    text: str  # the clean proposition, as a claim is labelled
    core: str  # the proposition without a denial or report frame: what is embedded and compared
    polarity: int  # 1 affirmed, -1 negated (a negation on the main predicate, or a denial frame)
    denial_frame: bool  # "it is not true that", "no evidence that"
    figures: frozenset[str]  # numbers with their scale, "40000", "8.2%"
    figure_text: tuple[str, ...]  # the same as written, for reasons ("40,000")
    dates: tuple[tuple[str, str], ...]  # (granularity, value): ("day", "march 4"), ("year", "2023"), ("quarter", "3")
    places: frozenset[str]
    names: frozenset[str]  # words of the names of people, organisations and nationalities
    predicate: str  # lemma of the main predicate (a copula's complement: "stay open" -> open)
    subject: frozenset[str]  # lower-cased words of the main predicate's subject
    unresolved_place: bool  # "there", "here": a place the statement does not name
    is_clause: bool  # a predicate with a subject: a proposition, not a topic
    arguments: frozenset[str] = frozenset()  # lemmas of the nouns and names: what the proposition is about
    words: frozenset[str] = frozenset()  # every lower-cased word of the core: where a name may be mentioned
    patient: frozenset[str] = frozenset()  # what the predicate acts on: the object, or the passive's subject
    passive: bool = False  # the subject is the patient ("12,000 people were displaced")


def clean(content: str) -> str:
    """A content as a claim's label: no leading "that", quotation marks, inner "X said that"
    or trailing attribution; fragments joined. Pronouns stay as
    they are: what they refer to is not known here."""
    text = " ".join(part.strip(_QUOTES) for part in content.split(" … ") if part.strip(_QUOTES))
    text = text.strip().strip(_QUOTES).strip()
    for _ in range(3):
        before = text
        text = _LEADING_THAT.sub("", text).strip(_QUOTES).strip()
        text = _INNER_REPORT.sub("", text).strip(_QUOTES).strip()
        text = _TRAILING_ATTRIBUTION.sub("", text).strip().rstrip(",;:").strip(_QUOTES).strip()
        if text == before:
            break
    return text.rstrip(",;: ")


def unframed(text: str) -> tuple[str, bool]:
    """The proposition without a frame that denies it (True) or only reports it."""
    denied = False
    for _ in range(2):
        m = _DENIAL_FRAME.match(text)
        if m:
            text, denied = text[m.end():], not denied
            continue
        m = _REPORT_FRAME.match(text)
        if m:
            text = text[m.end():]
            continue
        break
    return text, denied


def core_text(content: str) -> str:
    """What is embedded for a statement: its clean proposition without a denial or report frame."""
    return unframed(clean(content))[0]


def parse_all(contents: Iterable[str]) -> list[Proposition]:
    """Propositions of many contents, parsed in batches (each distinct text once per process)."""
    contents = list(contents)
    todo = [c for c in dict.fromkeys(contents) if c not in _cache]
    if todo:
        from ..nlp import load_nlp

        nlp = load_nlp()
        texts = [unframed(clean(c)) for c in todo]
        for content, (text, denied), doc in zip(todo, texts, nlp.pipe([t for t, _ in texts], batch_size=256)):
            _remember(content, _from_doc(clean(content), text, denied, doc))
    return [_cache[c] for c in contents]


_cache: dict[str, Proposition] = {}
CACHE_SIZE = 200_000


def _remember(content: str, proposition: Proposition) -> None:
    if len(_cache) >= CACHE_SIZE:
        _cache.clear()  # a million statements: a bounded cache, refilled batch by batch
    _cache[content] = proposition


def parse(content: str) -> Proposition:
    """The proposition of one content (`parse_all` for many)."""
    return parse_all([content])[0]


def _from_doc(label: str, core: str, denied: bool, doc: Any) -> Proposition:
    sentences = list(doc.sents)
    first = sentences[0] if sentences else doc[:]
    root = first.root if len(first) else None
    predicate, subject, is_clause, negated, patient, passive = "", frozenset[str](), False, 0, frozenset[str](), False
    if root is not None:
        head, scope, flips = _proposition_head(root)
        predicate = head.lemma_.lower()
        # "the floods displaced 40,000 people" and "12,000 people were displaced": one patient
        patient = frozenset(c.lemma_.lower() for c in head.children
                            if c.dep_ in ("dobj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN"))
        passive = any(c.dep_ == "nsubjpass" for c in head.children)
        if head.lemma_.lower() in COPULAS:
            complement = [c for c in head.children if c.dep_ in ("acomp", "attr", "oprd")]
            if complement:
                predicate = complement[0].lemma_.lower()
        subjects = [c for c in root.children if c.dep_ in SUBJECT_DEPS]
        is_clause = root.pos_ in ("VERB", "AUX") and bool(subjects) and not first.text.rstrip(_QUOTES).endswith("?")
        # the subject of the proposition: its own clause's ("it means Trump did not pay": Trump)
        subjects = [c for c in scope.children if c.dep_ in SUBJECT_DEPS] or subjects
        if subjects:
            subject = frozenset(w.lower_ for w in subjects[0].subtree
                                if (w.is_alpha and not w.is_stop) or w.lower_ in PRONOUNS)
        negated = _main_negations(scope) + (head is not scope and _main_negations(head)) + flips
    figures, figure_text = _figures(doc)
    places = frozenset(e.text.lower().removeprefix("the ") for e in doc.ents if e.label_ in PLACE_LABELS)
    names = frozenset(w.lower_ for e in doc.ents if e.label_ in NAME_LABELS for w in e if w.is_alpha and not w.is_stop)
    unresolved = any(t.lower_ in DEICTIC_PLACES and t.dep_ == "advmod" for t in doc)
    polarity = -1 if (negated + denied) % 2 else 1
    arguments = frozenset(t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "PROPN") and not t.is_stop)
    words = frozenset(t.lower_ for t in doc if t.is_alpha)
    return Proposition(label, core, polarity, denied, figures, figure_text, _dates(doc.text), places,
                       names, predicate, subject, unresolved, is_clause, arguments, words, patient, passive)


def _proposition_head(root: Any) -> tuple[Any, Any, int]:
    """The verb that carries the proposition: through a verb that takes it as its complement
    ("planned to close", "was going to close", "is due to appear": close, appear; "had been
    told the plant would shut down", "we have heard that Vantor is closing": shut, close), so
    that two reports of one event compare its predicate, not their frames.

    Also the verb from which negations bear on it: the root, or the clause a "that" complement
    opens. "Did not plan to close" does not close, but "doesn't want people to know that he paid
    nothing" still says he paid nothing: a negated frame of knowing or saying leaves its
    complement as it is. And how many verbs on the way deny their complement ("refused to
    answer" does not answer: `NEGATIVE_IMPLICATIVES`)."""
    head = scope = root
    flips = 0
    for _ in range(3):
        nxt = next((c for c in head.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if nxt is None:  # "is due to appear": the complement hangs on the adjective
            nxt = next((g for c in head.children if c.dep_ in ("acomp", "attr") for g in c.children
                        if g.dep_ == "xcomp" and g.pos_ in ("VERB", "AUX")), None)
        if nxt is not None:
            flips += head.lemma_.lower() in NEGATIVE_IMPLICATIVES
        else:
            nxt = next((c for c in head.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
            if nxt is not None:
                scope, flips = nxt, 0
        if nxt is None:
            break
        head = nxt
    return head, scope, flips


def _main_negations(verb: Any) -> int:
    """Negations that bear on the main predicate: its "not"/"never", its auxiliaries', and a
    "no" before its subject or object ("no troops will be deployed", "had no intention of")."""
    n = 0
    for child in verb.children:
        if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ == "never"):
            n += 1
        elif child.dep_ in ("aux", "auxpass"):
            n += sum(1 for c in child.children if c.dep_ == "neg")
        elif child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr"):
            if child.lower_ in ("nobody", "nothing", "none", "no one"):
                n += 1
            elif any(c.dep_ == "det" and c.lower_ in NEGATION_DETS for c in child.children):
                n += 1
    return n


def _figures(doc: Any) -> tuple[frozenset[str], tuple[str, ...]]:
    values, written = [], []
    for ent in doc.ents:
        if ent.label_ not in ("CARDINAL", "PERCENT", "MONEY", "QUANTITY"):
            continue
        if _CONTRASTED.search(doc.text[:ent.start_char]):
            continue
        match = _NUMBER.search(ent.text)
        if not match:
            continue
        try:
            value = float(match.group(0).replace(",", ""))
        except ValueError:
            continue
        lower = ent.text.lower()
        for word, scale in _SCALES.items():
            if word in lower:
                value *= scale
        unit = "%" if ("percent" in lower or "%" in lower or "per cent" in lower) else ""
        values.append(f"{value:g}{unit}")
        written.append(ent.text.strip())
    return frozenset(values), tuple(written)


def _dates(text: str) -> tuple[tuple[str, str], ...]:
    found: set[tuple[str, str]] = set()
    for m in _MONTH_DAY.finditer(text):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.add(("day", f"{month.lower()} {int(day)}"))
    for m in _YEAR.finditer(text):
        found.add(("year", m.group(1)))
    for m in _QUARTER.finditer(text):
        found.add(("quarter", str(_ORDINAL[m.group(1).lower()] if m.group(1) else m.group(2))))
    return tuple(sorted(found))


def _disjoint(x: Iterable[str], y: Iterable[str]) -> bool:
    sx, sy = set(x), set(y)
    return bool(sx) and bool(sy) and not sx & sy


def date_conflict(x: Proposition, y: Proposition) -> tuple[str, str] | None:
    """The two dates, when both name one at the same granularity and no value is shared."""
    for granularity in ("day", "quarter", "year"):
        dx = [v for g, v in x.dates if g == granularity]
        dy = [v for g, v in y.dates if g == granularity]
        if _disjoint(dx, dy):
            return ", ".join(dx), ", ".join(dy)
    return None


def _word_set(names: Iterable[str]) -> set[str]:
    return {w for n in names for w in n.split()}


def conflicts(x: Proposition, y: Proposition) -> list[str]:
    """The slots two propositions on one topic fill differently ("figure", "date", "place",
    "name"): any of them makes another claim."""
    found = []
    if _disjoint(x.figures, y.figures):
        found.append("figure")
    if date_conflict(x, y):
        found.append("date")
    places_x, places_y = _word_set(x.places), _word_set(y.places)
    if _disjoint(places_x, places_y):
        found.append("place")
    if names_differ(x.names | places_x, x.words, y.names | places_y, y.words):
        found.append("name")
    return found


def names_differ(names_x: frozenset[str], words_x: frozenset[str], names_y: frozenset[str],
                 words_y: frozenset[str]) -> bool:
    """Each proposition names someone or somewhere the other never mentions: the Valencia
    contract and the Seville one, even when both name the player. One that only adds a name
    ("Ruiz signed" and "Marco Ruiz signed with Valencia") still reports the same thing. The
    names are those of spaCy's entities, people, organisations and places together (the small
    model calls one town a place in one sentence and an organisation in the next), and a name
    counts as mentioned when the other text has it as a plain word ("Herrera" that the parser
    took for a noun)."""
    return bool(names_x - words_y) and bool(names_y - words_x)


def conflict(x: Proposition, y: Proposition) -> str | None:
    """The first slot two propositions fill differently (`conflicts`), or None."""
    found = conflicts(x, y)
    return found[0] if found else None


# predicates of opposite meaning: "the plant will close" / "the plant will stay open"
ANTONYMS = {frozenset(p) for p in [
    ("win", "lose"), ("increase", "decrease"), ("rise", "fall"), ("raise", "lower"), ("support", "oppose"),
    ("accept", "reject"), ("confirm", "deny"), ("admit", "deny"), ("agree", "disagree"), ("allow", "ban"),
    ("allow", "forbid"), ("approve", "reject"), ("gain", "lose"), ("succeed", "fail"), ("pass", "fail"),
    ("open", "close"), ("start", "stop"), ("begin", "end"), ("include", "exclude"), ("legal", "illegal"),
    ("true", "false"), ("guilty", "innocent"), ("safe", "dangerous"), ("possible", "impossible"),
    ("likely", "unlikely"), ("qualified", "unqualified"), ("right", "wrong"), ("strong", "weak"),
    ("higher", "lower"), ("more", "less"), ("better", "worse"), ("up", "down"), ("leave", "stay"),
    ("open", "shut"), ("grow", "shrink"), ("expand", "cut"), ("hire", "fire"),
]}


# verbs that say little without their object: one of them is one predicate only with one object
LIGHT_VERBS = {"be", "have", "do", "go", "come", "get", "make", "take", "give"}


def same_frame(x: Proposition, y: Proposition) -> bool:
    """One predicate (or its opposite) about at least one same thing: "the plant will close" and
    "the Lorain plant will stay open", "she will not run for a second term" and "she would run for
    a second term". Together with a looser similarity of the texts this joins paraphrases that
    cosine similarity alone leaves apart (real paraphrases score .6-.75)."""
    if not x.predicate or not (x.predicate == y.predicate or antonyms(x, y)):
        return False
    if not (x.is_clause and y.is_clause):  # "the audit as the reason …" names a topic, asserts nothing
        return False
    if x.predicate in LIGHT_VERBS and not x.patient & y.patient:
        return False  # "Clarke had the backing of …" and "Clarke's work had an impact on …": two claims
    if not (pronoun_fits(x.subject, y) and pronoun_fits(y.subject, x)):
        return False
    return bool(x.arguments & y.arguments)


def pronoun_fits(subject: frozenset[str], other: Proposition) -> bool:
    """Whether a "he"/"she" subject may be the other proposition's subject: only a person may
    ("he paid nothing" is not about "the top 1 percent"): a name, a pronoun, or a word for a
    person or a title. Any other subject may be anything: paraphrases name one subject in many
    ways ("the bank", "the lender", "Castlegate", "we"), which the parse cannot tell apart."""
    if not subject or not subject <= {"he", "she"} or not other.subject:
        return True
    return bool(other.subject & (other.names | PRONOUNS | PERSON_NOUNS | PERSON_TITLES))


def antonyms(x: Proposition, y: Proposition) -> bool:
    return frozenset((x.predicate, y.predicate)) in ANTONYMS


def effective_polarity(p: Proposition, stance: str | None) -> int:
    """The statement's polarity: the content's, flipped by a denying cue ("X denied that P")."""
    return -p.polarity if stance == "deny" else p.polarity


def relative_side(member: Proposition, stance: str | None, claim: Proposition) -> int:
    """1 when a statement asserts the claim's proposition, -1 when it denies or negates it
    (its effective polarity against the claim's; a predicate of opposite meaning flips it)."""
    side = effective_polarity(member, stance) * claim.polarity
    return -side if antonyms(member, claim) else side


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)} - NEGATIVE_WORDS


REPRESENTATIVE_SAMPLE = 200  # members a claim's candidate name is compared with


def representative(contents: Sequence[str], stances: Sequence[str]) -> int:
    """Which member names a claim: an affirmed, asserted proposition (not a question, not a
    negated or framed one) that shares most words with the other members, then the shorter,
    then the first in text order. A function of the members' texts only, so the store, the CLI,
    the API and the page name a claim the same way whatever order they read its members in."""
    props = parse_all(contents)
    words = [_words(p.core) for p in props]
    others: Sequence[int] = range(len(words))
    if len(words) > REPRESENTATIVE_SAMPLE:
        # a claim reported thousands of times: compare with an even sample of its texts, not every
        # pair (quadratic); sorted by text, so the sample does not depend on the members' order
        by_text = sorted(range(len(words)), key=lambda j: props[j].core)
        step = len(by_text) / REPRESENTATIVE_SAMPLE
        others = [by_text[int(k * step)] for k in range(REPRESENTATIVE_SAMPLE)]

    def rank(i: int) -> tuple[int, int, float, int, str]:
        p = props[i]
        shared = sum(len(words[i] & words[j]) / len(words[i] | words[j]) for j in others
                     if j != i and words[i] | words[j])
        return (stances[i] == "question", p.polarity < 0 or p.denial_frame, -round(shared, 6),
                abs(len(p.core) - 90), p.core)
    return min(range(len(contents)), key=rank)


MAX_LABEL = 300


def claim_label(contents: Sequence[str], stances: Sequence[str]) -> str:
    """A claim's label: its representative's clean proposition, without a denial frame."""
    if not contents:
        return ""
    return label_of_content(contents[representative(contents, stances)])


def label_of_content(content: str) -> str:
    """A statement's proposition as a label (the clean text without a denial or report frame)."""
    return core_text(content)[:MAX_LABEL]

