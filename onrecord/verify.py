"""Did they really say it? A quote checked against the stored statements.

`verify(store, quote, speaker=None)` finds the stored statements closest to a quote
(full-text search ranked by bm25 / ``ts_rank``, and with ``embeddings=True`` also the
statements nearest in meaning in the embedding index that `onrecord link` fills, which
needs the ``[claims]`` extra) and gives each a verdict:

- ``verbatim``: the quote's words occur, in order, in what was said (case, punctuation
  and curly quotes aside);
- ``altered``: most of the quote lines up with what was said, but words differ: the
  word-level ``diff`` shows which (a changed word, a changed figure...);
- ``negated``: as altered, or the same meaning in other words, but one of the two denies
  what the other says (a "not", "never", "no" added or dropped);
- ``paraphrase``: the statement shares most of the quote's content words but not their
  order, or (with embeddings) says the same in other words: close in meaning (cosine at
  least `PARAPHRASE_COSINE`) with the same polarity, the same figures and the same names;
- ``not_found``: nothing stored comes close (a single verdict with no statement).

With ``speaker``, each verdict says whether the statement's speaker is that one
(``speaker_match``): words on record from someone else are not that person's.
`finding` sums the verdicts up in one word for a reader: verbatim, altered, negated,
paraphrase, wrong_speaker (on record, but from someone else) or absent.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from .errors import ModelError
from .models import Attribution
from .store.records import Quote

logger = logging.getLogger(__name__)

VERDICTS = ("verbatim", "altered", "negated", "paraphrase", "not_found")
Finding = Literal["verbatim", "altered", "negated", "paraphrase", "wrong_speaker", "absent"]
FINDINGS: tuple[Finding, ...] = ("verbatim", "altered", "negated", "paraphrase", "wrong_speaker", "absent")
ALTERED_MIN = 0.7  # word-level Dice similarity of the quote and the aligned stretch of the statement
ALTERED_COVER = 0.6  # ... and the share of the quote's words found there, in order
PARAPHRASE_MIN = 0.6  # share of the quote's content words in the statement
# cosine similarity (all-MiniLM-L6-v2) from which a statement may say the same as the quote in
# other words: real paraphrases score .66-.73 (issue 22), statements on the same topic that say
# something else mostly below .6; the polarity, figure and name checks (`_disagreement`) keep a
# negated or altered quote from passing as a paraphrase above it
PARAPHRASE_COSINE = 0.6
CANDIDATES = 50
NEAREST = 20  # statements taken from the embedding index
INDEX_ON_THE_FLY = 5000  # statements not yet in the index embedded at verify time, at most (else: run link)
NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without",
                       "n't"})
STOPWORDS = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been being
that this these those it its he she they we you i his her their our your my me him them us will would can could
should may might must shall do does did has have had there here which who whom what when where why how so than then
too very just also about into over after before said says say told according""".split())
# words; "don't" -> "do", "n't" (so an added or dropped negation is a word of its own)
_TOKEN = re.compile(r"\w+(?=n['’]t\b)|n['’]t\b|\w+(?:['’]\w+)*")


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Words of ``text``, lower-cased, with their offsets (apostrophes unified)."""
    return [Token(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class Verdict:
    """One stored statement and how a quote compares with it.

    ``diff`` is a word-level alignment of the quote with the matching stretch of the
    statement: ``(op, quoted, on_record)`` with op ``equal``, ``replace``, ``insert``
    (words only on record) or ``delete`` (words only in the quote).
    """

    verdict: str
    quote: str
    similarity: float
    statement: Quote | None = None
    diff: tuple[tuple[str, str, str], ...] = ()
    notes: tuple[str, ...] = ()
    speaker_match: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "quote": self.quote, "similarity": self.similarity,
                "statement": self.statement.to_dict() if self.statement else None,
                "diff": [list(d) for d in self.diff], "notes": list(self.notes), "speaker_match": self.speaker_match}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        statement = data.get("statement")
        if statement is not None:
            statement = Quote(**{**statement, "attribution": Attribution.from_dict(statement["attribution"])})
        return cls(verdict=str(data["verdict"]), quote=str(data["quote"]), similarity=float(data["similarity"]),
                   statement=statement, diff=tuple((str(o), str(a), str(b)) for o, a, b in data.get("diff") or ()),
                   notes=tuple(str(n) for n in data.get("notes") or ()), speaker_match=data.get("speaker_match"))

    @property
    def said_by_speaker(self) -> bool:
        """The quote's words (verbatim or nearly) are on record from the speaker asked about."""
        return self.verdict in {"verbatim", "altered"} and self.speaker_match is not False


def compare(quote: str, content: str) -> tuple[str, float, tuple[tuple[str, str, str], ...], tuple[str, ...]]:
    """The verdict of one statement for a quote: ``(verdict, similarity, diff, notes)``."""
    q, c = tokens(quote), tokens(content)
    if not q or not c:
        return "not_found", 0.0, (), ()
    qn, cn = [t.norm for t in q], [t.norm for t in c]
    matcher = difflib.SequenceMatcher(None, qn, cn, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return "not_found", 0.0, (), ()
    if any(b.size == len(qn) for b in blocks):
        return "verbatim", 1.0, (("equal", quote.strip(), _surface(content, c, blocks[0].b, blocks[0].b + len(qn))),), ()
    # the stretch of the statement the quote lines up with, widened to whole quote edges
    lo = max(0, blocks[0].b - blocks[0].a)
    hi = min(len(cn), blocks[-1].b + blocks[-1].size + (len(qn) - blocks[-1].a - blocks[-1].size))
    window = cn[lo:hi]
    aligned = difflib.SequenceMatcher(None, qn, window, autojunk=False)
    matched = sum(b.size for b in aligned.get_matching_blocks())
    similarity = round(2 * matched / (len(qn) + len(window)), 3)
    diff = tuple((op, _surface(quote, q, i1, i2), _surface(content, c, lo + j1, lo + j2))
                 for op, i1, i2, j1, j2 in aligned.get_opcodes())
    notes = _notes(aligned.get_opcodes(), qn, window)
    if similarity >= ALTERED_MIN and matched / len(qn) >= ALTERED_COVER:
        negation = any(n.startswith("negation") for n in notes) or _polarity(qn) != _polarity(window)
        return "negated" if negation else "altered", similarity, diff, notes
    content_words = {w for w in qn if w not in STOPWORDS}
    if content_words and len(content_words & set(cn)) / len(content_words) >= PARAPHRASE_MIN:
        overlap = round(len(content_words & set(cn)) / len(content_words), 3)
        return "paraphrase", overlap, (), notes
    return "not_found", similarity, (), ()


def _polarity(words: Sequence[str]) -> int:
    """1, or -1 where an odd number of negations ("not", "never", "no" ...) bears on the words."""
    return -1 if sum(w in NEGATIONS for w in words) % 2 else 1


_NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12})
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "hundred": 100}


def figures(text: str) -> set[float]:
    """The numbers a text gives, written in digits or words: "4,000" and "four thousand" are 4000."""
    found: set[float] = set()
    words = re.findall(r"\d[\d,]*(?:\.\d+)?|[a-z]+", text.lower())
    i = 0
    while i < len(words):
        word, value = words[i], None
        if word[0].isdigit():
            try:
                value = float(word.replace(",", ""))
            except ValueError:
                value = None
        elif word in _NUMBER_WORDS and word != "hundred":
            value = float(_NUMBER_WORDS[word])
        if value is not None:
            while i + 1 < len(words) and words[i + 1] in _SCALES:
                value *= _SCALES[words[i + 1]]
                i += 1
            found.add(value)
        i += 1
    return found


def _names(text: str) -> set[str]:
    """Capitalised words inside a sentence: the names a quote holds ("Meridian", "Shipping")."""
    out = set()
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = re.findall(r"[\w'’-]+", sentence)
        out |= {w.lower() for w in words[1:] if w[:1].isupper() and w.lower() not in STOPWORDS | {"i"}}
    return out


def _disagreement(quote: str, content: str) -> str | None:
    """Why a statement close in meaning does not say what the quote says, or None: a negation
    on one side only, a figure the statement does not give, a name it does not hold."""
    if _polarity([t.norm for t in tokens(quote)]) != _polarity([t.norm for t in tokens(content)]):
        return "negated"
    missing = figures(quote) - figures(content)
    if missing:
        return "number changed: " + ", ".join(f"{n:g}" for n in sorted(missing))
    said = {t.norm for t in tokens(content)}
    names = {n for n in _names(quote) if n not in said and n.rstrip("s") not in said}
    if names:
        return "names not on record: " + ", ".join(sorted(names))
    return None


def _surface(text: str, toks: list[Token], i: int, j: int) -> str:
    return text[toks[i].start:toks[j - 1].end] if i < j else ""


def _notes(opcodes: Sequence[tuple[str, int, int, int, int]], qn: list[str], window: list[str]) -> tuple[str, ...]:
    """What a fact-checker should look at first: negations and numbers that differ."""
    notes: list[str] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            continue
        quoted, stored = set(qn[i1:i2]), set(window[j1:j2])
        if (quoted - stored) & NEGATIONS:
            notes.append("negation added: " + ", ".join(sorted((quoted - stored) & NEGATIONS)))
        if (stored - quoted) & NEGATIONS:
            notes.append("negation dropped: " + ", ".join(sorted((stored - quoted) & NEGATIONS)))
        numbers_q = {w for w in quoted - stored if any(ch.isdigit() for ch in w)}
        numbers_s = {w for w in stored - quoted if any(ch.isdigit() for ch in w)}
        if numbers_q or numbers_s:
            notes.append(f"number changed: {', '.join(sorted(numbers_s)) or '-'} → {', '.join(sorted(numbers_q)) or '-'}")
    return tuple(dict.fromkeys(notes))


def _speaker_ids(store: Any, speaker: str | None) -> set[int] | None:
    if not speaker or not speaker.strip():
        return None
    return set(store.resolve_speaker(speaker.strip()))


def _encoder() -> Any:
    """The sentence encoder, asked for explicitly: a missing model is an error (`ModelError`,
    naming the install commands), never a silent full-text-only answer."""
    from .link.embeddings import load_encoder

    try:
        return load_encoder()
    except ModelError as err:  # the model package, numpy, safetensors or tokenizers is missing
        raise ModelError(f"verify with embeddings needs the sentence-embedding model: {err}") from err


def _embedding_scores(encoder: Any, quote: str, statements: list[Quote]) -> dict[int, float]:
    """Cosine similarity of the quote with each statement, by position."""
    vectors = encoder.encode([quote] + [q.attribution.content_text for q in statements])
    scores = vectors[1:] @ vectors[0]
    return {i: float(s) for i, s in enumerate(scores)}


def _nearest_quotes(store: Any, encoder: Any, quote: str, k: int = NEAREST) -> list[Quote]:
    """The ``k`` stored statements nearest the quote in the embedding index (the vectors
    `onrecord link` caches by content; statements not in it yet are embedded now, up to
    `INDEX_ON_THE_FLY`, beyond which they are left out with a warning to run link)."""
    import heapq

    import numpy as np
    from sqlalchemy import func, select

    from .link.claims import MIN_CHARS, claim_text
    from .link.stored import text_hash, vectors
    from .store import schema as s

    query = encoder.encode([claim_text(quote) or quote])[0]
    a, e = s.attributions.c, s.embeddings.c
    best: list[tuple[float, int]] = []
    missing: list[tuple[int, str]] = []
    last = 0
    while True:
        with store.engine.connect() as conn:
            rows = conn.execute(select(a.id, a.content).where(func.length(a.content) >= MIN_CHARS, a.id > last)
                                .order_by(a.id).limit(5000)).all()
            if not rows:
                break
            last = rows[-1][0]
            hashes = {int(i): text_hash(claim_text(str(c))) for i, c in rows}
            cached = {h: v for h, v in conn.execute(select(e.text_hash, e.vector).where(
                e.text_hash.in_(list(set(hashes.values())))))}
        ids = [i for i in hashes if hashes[i] in cached]
        missing += [(int(i), str(c)) for i, c in rows if hashes[int(i)] not in cached]
        ids = [i for i in ids if len(cached[hashes[i]]) == 4 * len(query)]  # an index of another model: not comparable
        if ids:
            matrix = np.stack([np.frombuffer(cached[hashes[i]], dtype=np.float32) for i in ids])
            for i, score in zip(ids, matrix @ query):
                heapq.heappush(best, (float(score), i))
                if len(best) > k:
                    heapq.heappop(best)
    if missing and len(missing) <= INDEX_ON_THE_FLY:
        matrix = vectors(store.engine, [claim_text(c) for _, c in missing])
        if matrix.shape[1] != len(query):
            matrix = encoder.encode([claim_text(c) for _, c in missing])
        for (i, _), score in zip(missing, matrix @ query):
            heapq.heappush(best, (float(score), i))
            if len(best) > k:
                heapq.heappop(best)
    elif missing:
        logger.warning("verify: %d statements are not in the embedding index yet (run onrecord link)", len(missing))
    found = store.quotes_by_ids([i for _, i in sorted(best, reverse=True)])
    return [found[i] for _, i in sorted(best, reverse=True) if i in found]


RANK = {"verbatim": 0, "altered": 1, "negated": 2, "paraphrase": 3, "not_found": 4}


def verify(store: Any, quote: str, speaker: str | None = None, *, limit: int = 10,
           embeddings: bool = False) -> list[Verdict]:
    """The stored statements closest to ``quote``, each with a verdict, best first.

    Args:
        store: an open store (``onrecord.store.open_store``).
        quote: the words someone is said to have said.
        speaker: who is said to have said them (a name or alias); statements of that
            speaker come first and each verdict says whether its speaker matches.
        limit: the most verdicts returned.
        embeddings: also call statements with the same meaning paraphrases (needs the
            ``[claims]`` extra; loads the sentence encoder, and raises `ModelError` without it).

    Returns:
        Verdicts best first; ``[Verdict("not_found", ...)]`` when nothing comes close.
    """
    from .store.queries import candidate_quotes

    quote = " ".join(quote.split())
    if not tokens(quote):
        return [Verdict("not_found", quote, 0.0)]
    encoder = _encoder() if embeddings else None  # before searching: a missing model fails at once
    ids = _speaker_ids(store, speaker)
    candidates = [q for _, q in candidate_quotes(store, quote, CANDIDATES)]
    more = _speaker_candidates(store, quote, ids) if ids else []  # the speaker's own, even when others rank higher
    if encoder is not None:
        more += _nearest_quotes(store, encoder, quote)  # the same meaning in other words
    seen = {(q.article_id, q.index) for q in candidates}
    for q in more:
        if (q.article_id, q.index) not in seen:
            seen.add((q.article_id, q.index))
            candidates.append(q)
    scores = _embedding_scores(encoder, quote, candidates) if encoder is not None and candidates else {}
    verdicts: list[Verdict] = []
    for i, statement in enumerate(candidates):
        content = statement.attribution.content_text
        verdict, similarity, diff, notes = compare(quote, content)
        if verdict in {"not_found", "paraphrase"} and scores.get(i, 0.0) >= PARAPHRASE_COSINE:
            why = _disagreement(quote, content)
            if why is None:
                verdict, similarity = "paraphrase", round(scores[i], 3)
            elif why == "negated":
                verdict, similarity, notes = "negated", round(scores[i], 3), notes + ("same meaning, negated",)
            elif verdict == "paraphrase":
                verdict = "not_found"  # the words are there, but not what they say
        if verdict == "not_found":
            continue
        if statement.attribution.stance == "deny":
            notes += ("on record as a denial",)
        match = None if ids is None else statement.speaker_id in ids
        verdicts.append(Verdict(verdict, quote, similarity, statement, diff, notes, match))
    verdicts.sort(key=lambda v: (v.speaker_match is False, RANK[v.verdict], -v.similarity,
                                 v.statement.article_id if v.statement else "", v.statement.index if v.statement else 0))
    logger.info("verify: %d statements close to a %d-word quote", len(verdicts), len(tokens(quote)))
    return verdicts[:limit] or [Verdict("not_found", quote, 0.0, speaker_match=None if ids is None else False)]


def finding(verdicts: Sequence[Verdict]) -> Finding:
    """The verdicts in one word: the best verdict on record from the speaker asked about
    (verbatim, altered, negated, paraphrase); wrong_speaker when the words are on record
    (verbatim or altered) only from someone else; absent when nothing comes close."""
    found = [v for v in verdicts if v.verdict != "not_found"]
    if not found:
        return "absent"
    theirs = [v for v in found if v.speaker_match is not False]
    others = [v for v in found if v.speaker_match is False]
    mine = min(theirs, key=lambda v: RANK[v.verdict]) if theirs else None
    best_other = min(others, key=lambda v: RANK[v.verdict]) if others else None
    if best_other is not None and best_other.verdict in {"verbatim", "altered"} and (
            mine is None or RANK[best_other.verdict] < RANK[mine.verdict]):
        return "wrong_speaker"  # the words are on record, from someone else
    return cast(Finding, mine.verdict) if mine is not None else "absent"


def _speaker_candidates(store: Any, quote: str, ids: set[int], per_speaker: int = 500) -> list[Quote]:
    """The speaker's statements that share a content word with the quote."""
    words = {t.norm for t in tokens(quote)} - STOPWORDS
    out: list[Quote] = []
    for sid in sorted(ids)[:20]:
        out += [q for q in store.quotes(speaker=sid, limit=per_speaker)
                if words & {t.norm for t in tokens(q.attribution.content_text)}]
    return out
