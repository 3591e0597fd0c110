"""A learned decision on candidate attributions: keep those that are attributions.

The rules and the CRF propose candidates (`Found` records); many are not speech at
all on real pages: naming ("were named best actors", "a ball called the jack"),
figures ("the index declined 0.1 per cent"), idioms ("That said, ..."), support
("threw their support behind"), headlines without a source. `AttributionFilter`
scores every candidate with a logistic regression over general features of the cue
and its sense context: the cue's lemma and dependency, what it governs (a clause, a
quotation, a "that"-clause, an object), whether the content is a proposition (has a
finite verb), passive and infinitive patterns, the subject and source type, the
position in the sentence and paragraph, quotation marks nearby. It is trained on
PolNeAR train (`onrecord.training.crf.train_filter`): candidates that match a gold cue are
positives, all others negatives; the threshold is chosen on PolNeAR dev.

The model is a JSON file of feature weights (``onrecord/data/attribution.filter.json``),
so prediction needs no machine-learning library, and it is loaded once per process.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from ..errors import ModelError
from ..lexicon import HEDGES, OBJECT_VERBS, SPEECH_NOUNS, SPEECH_VERBS
from ..nlp import FINITE_TAGS, doc_index
from .candidates import Found, Offsets
from .rules import doc_quotations

FILTER_FILE = "attribution.filter.json"
DATA_DIR = Path(__file__).parent.parent / "data"

_QUOTE_CHARS = frozenset("\"“”«»„")
_PERSON_PRONOUNS = frozenset("i we he she they you who".split())
_WH_WORDS = frozenset("how what who whom whose why where when which whether if".split())
_ENTITY_KINDS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Children of the cue that tell its sense: what it governs and how.
_SENSE_DEPS = frozenset({"ccomp", "xcomp", "dobj", "oprd", "attr", "dative", "agent", "nsubj", "nsubjpass",
                         "csubj", "advcl", "parataxis", "acomp", "npadvmod", "mark", "neg", "auxpass", "prt"})


def _bucket(n: int, edges: Sequence[int] = (0, 1, 2, 4, 8, 16, 32)) -> str:
    """A coarse class of a count, so that the model sees few distinct values."""
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "more"


class _Tokens:
    """Character offsets → token indices of one doc, by bisection."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        # one C call: creating a Token object per token would cost more than the parse of a candidate
        self.starts = doc.to_array(IDX).tolist() if len(doc) else []

    def span(self, start: int, end: int) -> list[Token]:
        if end <= start or not self.starts:
            return []
        first = max(bisect_right(self.starts, start) - 1, 0)
        last = bisect_right(self.starts, end - 1)
        return [t for t in self.doc[first:last] if not t.is_space]


def _root(tokens: list[Token]) -> Token | None:
    """The token of a span whose head lies outside it (the first such, preferring content words)."""
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    for t in roots:
        if t.pos_ in {"VERB", "NOUN", "PROPN", "AUX"} or t.lower_ == "according":
            return t
    return roots[0] if roots else tokens[0]


def _kind_of_nominal(token: Token) -> str:
    """person / org / place / pronoun / thing / none: the kind of a subject or source head."""
    if token.lower_ in _PERSON_PRONOUNS:
        return "pron-person"
    if token.pos_ == "PRON":
        return "pron-" + token.lower_  # it, that, this, which: often not a speaker
    if token.ent_type_ in _ENTITY_KINDS:
        return "ent-" + token.ent_type_
    if token.ent_type_:
        return "ent-other"  # dates, numbers, percentages: "the index" of a market report
    if token.pos_ == "PROPN":
        return "propn"
    return "noun" if token.pos_ == "NOUN" else "other-" + token.pos_


@dataclass(frozen=True, slots=True)
class _Context:
    """What the features of all candidates of one doc share: token lookup and quotations."""

    tokens: _Tokens
    quotes: list[Offsets]
    text: str
    rule_cues: frozenset[int]  # characters of the cues the hand-written rules found


def context(doc: Doc, rules: Iterable[Found] = ()) -> _Context:
    """What the features of ``doc``'s candidates share; ``rules``: the rules' attributions of ``doc``."""
    text = doc_index(doc).text
    return _Context(_Tokens(doc), doc_quotations(doc), text, frozenset(c for r in rules for c in range(*r.cue)))


def _in_quote(quotes: list[Offsets], pos: int) -> bool:
    i = bisect_right(quotes, (pos, 1 << 62)) - 1
    return i >= 0 and quotes[i][0] < pos < quotes[i][1]


def features(doc: Doc, found: Found, ctx: _Context | None = None) -> list[str]:
    """The features of one candidate attribution (strings; each is present or not)."""
    ctx = ctx or context(doc)
    cue_tokens = ctx.tokens.span(*found.cue)
    cue = _root(cue_tokens)
    f = ["bias", "origin=" + found.origin, "kind=" + str(found.kind)]
    if cue is None:
        return f + ["nocue"]
    lemma = cue.lemma_.lower()
    f += [
        "l=" + lemma, "p=" + cue.pos_, "t=" + cue.tag_, "d=" + cue.dep_, "ld=" + lemma + "|" + cue.dep_,
        "lt=" + lemma + "|" + cue.tag_, "hl=" + cue.head.lemma_.lower(), "hd=" + cue.dep_ + "|" + cue.head.pos_,
        "ncue=" + _bucket(len(cue_tokens), (1, 2, 3)), "lo=" + lemma + "|" + found.origin,
    ]
    # the rules and the model agree on this cue (the model's candidates carry the rules' cue when they do)
    agreed = found.origin in {"rules", "layout"} or any(c in ctx.rule_cues for c in range(*found.cue))
    f += ["ruled=" + str(agreed), "lruled=" + lemma + "|" + str(agreed)]
    if lemma in SPEECH_VERBS:
        f.append("lex=verb")
    if lemma in OBJECT_VERBS:
        f.append("lex=object")
    if lemma in SPEECH_NOUNS:
        f.append("lex=noun")
    if lemma in HEDGES:
        f.append("lex=hedge")
    if not any(x in f for x in ("lex=verb", "lex=object", "lex=noun")):
        f.append("lex=none")
    # what the cue governs: its sense
    kids = {c.dep_ for c in cue.children if c.dep_ in _SENSE_DEPS}
    for c in cue.children:
        if c.dep_ == "prep":
            kids.add("prep:" + c.lower_)
        if c.dep_ == "aux" and c.lower_ == "to":
            kids.add("to-inf")
        elif c.dep_ in {"aux", "auxpass"} and c.tag_ == "MD":
            kids.add("modal")
        if c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            kids.add("that-clause")
        if c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ in {"if", "whether"} for g in c.children):
            kids.add("if-clause")
    f += ["k=" + k for k in sorted(kids)]
    f += ["lk=" + lemma + "|" + k for k in sorted(kids) if k in {"ccomp", "xcomp", "dobj", "oprd", "attr",
                                                                  "nsubjpass", "auxpass", "that-clause", "to-inf",
                                                                  "prep:as", "prep:for", "prep:on", "agent",
                                                                  "neg", "prt"}]
    if not kids & {"ccomp", "xcomp", "dobj", "oprd", "attr", "parataxis"}:
        f.append("nocomplement")
    # the subject: a person or organisation speaks, an index or "that" does not
    subject = next((c for c in cue.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}), None)
    if subject is not None:
        kind = _kind_of_nominal(subject)
        f += ["subj=" + kind, "subjl=" + subject.lemma_.lower() if subject.pos_ in {"PRON", "NOUN"} else "subjl=-",
              "lsubj=" + lemma + "|" + kind, "subjside=" + ("L" if subject.i < cue.i else "R")]
    else:
        f.append("subj=none")
    # the source the candidate names
    if found.source:
        src = _root(ctx.tokens.span(*found.source))
        skind = _kind_of_nominal(src) if src is not None else "none"
        f += ["src=" + skind, "lsrc=" + lemma + "|" + skind,
              "srclen=" + _bucket(len(ctx.tokens.span(*found.source)), (1, 2, 4, 8))]
        if src is not None and src.pos_ == "NOUN":
            f.append("srcl=" + src.lemma_.lower())
    else:
        f += ["src=none", "lsrc=" + lemma + "|none"]
        if found.inherited_source:
            f.append("inherited")
    # the content: a cue needs a proposition
    content_tokens = [t for s, e in found.content for t in ctx.tokens.span(s, e)]
    n_content = len(content_tokens)
    finite = any(t.tag_ in FINITE_TAGS for t in content_tokens)
    with_subject = any(t.dep_ in {"nsubj", "nsubjpass", "expl"} for t in content_tokens)
    croot = _root(content_tokens)
    f += ["clen=" + _bucket(n_content), "nfrag=" + _bucket(len(found.content), (1, 2, 3)),
          "cfin=" + str(finite), "csubj=" + str(with_subject), "lcfin=" + lemma + "|" + str(finite),
          "cfs=" + str(finite) + str(with_subject)]
    if croot is not None:
        f += ["croot=" + croot.pos_, "crootd=" + croot.dep_, "lcroot=" + lemma + "|" + croot.pos_]
    if found.content:
        first = ctx.text[found.content[0][0]:found.content[0][0] + 1]
        last = ctx.text[found.content[-1][1] - 1:found.content[-1][1]]
        quoted = first in _QUOTE_CHARS or last in _QUOTE_CHARS
        f += ["cq=" + str(quoted), "lcq=" + lemma + "|" + str(quoted)]
        if content_tokens and content_tokens[0].lower_ == "that":
            f.append("cthat")
        elif content_tokens and content_tokens[0].lower_ in _WH_WORDS:
            # "knew how …", "learned who …": an indirect question or a topic, rarely a statement
            f += ["cwh", "lcwh=" + lemma]
        side = "".join(sorted({"L" if e <= found.cue[0] else "R" if s >= found.cue[1] else "O"
                               for s, e in found.content}))
        f.append("cside=" + side)
    # position: in the sentence, in the paragraph, headline-like lines without a final stop
    sent = doc_index(doc).sent_of(cue.i)  # Token.sent walks the whole doc on every call
    words = [t for t in sent if not t.is_space]
    position = sum(1 for t in words if t.i < cue.i)
    f += ["pos=" + _bucket(position, (0, 1, 2, 4, 8)), "after=" + _bucket(len(words) - position - 1, (0, 1, 2, 4, 8))]
    last_word = words[-1] if words else None
    if last_word is not None and last_word.text == "?":
        f.append("question")
    if cue.tag_ == "VB" and position == 0 and subject is None:
        f.append("imperative")  # "Say goodbye to …", "Think of it as …": the writer addressing readers
    if last_word is not None and last_word.text[-1:] not in ".?!\"”'’:)":
        f.append("nostop")  # headings, captions and menus end without a full stop
    alpha = [t for t in words if t.is_alpha]
    if len(alpha) >= 4 and sum(t.text[0].isupper() for t in alpha) / len(alpha) > 0.6:
        f.append("titlecase")
    if sent.start == 0 or doc[sent.start - 1].is_space and "\n" in doc[sent.start - 1].text:
        f.append("parastart")
    if cue.i > 0:
        prev = doc[cue_tokens[0].i - 1] if cue_tokens[0].i > 0 else None
        if prev is not None:
            f += ["pw=" + prev.lower_, "pwp=" + prev.pos_]
    nxt_i = cue_tokens[-1].i + 1
    if nxt_i < len(doc):
        f += ["nw=" + doc[nxt_i].lower_ if doc[nxt_i].is_punct else "nwp=" + doc[nxt_i].pos_]
    # quotation marks: inside a quote (a speaker quoting someone), a quote next to the cue
    f.append("cueq=" + str(_in_quote(ctx.quotes, found.cue[0])))
    window = ctx.text[max(0, found.cue[0] - 40):found.cue[1] + 40]
    if any(ch in _QUOTE_CHARS for ch in window):
        f.append("quotenear")
    return f


def exempt(found: Found, candidates: Sequence[Found]) -> bool:
    """Candidates the filter does not judge: layout patterns and statements nested in another's content.

    Layout patterns (``Source:`` lines, colon lead-ins, dash signatures) are rare in PolNeAR and
    decided by the layout rules. PolNeAR gives each token one attribution, so a statement nested in
    another's content ("'..., but are simply saying that ...'") is a negative there by convention,
    not by sense; the merge already decided which nested ones to keep.
    """
    if found.origin == "layout":
        return True
    return any(other is not found and any(s <= found.cue[0] < e for s, e in other.content) for other in candidates)


def _sigmoid(x: float) -> float:
    if x < -50:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


class AttributionFilter:
    """Scores candidate attributions; those at or above ``threshold`` are kept.

    Args:
        weights: feature → weight of the logistic regression ("bias" is the intercept).
        threshold: the least probability of a kept candidate (chosen on dev).
        info: what the model file records besides (training data, figures).
    """

    def __init__(self, weights: dict[str, float], threshold: float = 0.5, info: dict[str, Any] | None = None) -> None:
        self.weights = dict(weights)
        self.threshold = threshold
        self.info = dict(info or {})

    def probability(self, doc: Doc, found: Found, ctx: _Context | None = None) -> float:
        """The model's probability that ``found`` is an attribution."""
        w = self.weights
        return _sigmoid(sum(w.get(name, 0.0) for name in features(doc, found, ctx)))

    def keep(self, doc: Doc, candidates: Iterable[Found], rules: Iterable[Found] = ()) -> list[Found]:
        """The candidates whose probability reaches the threshold, in their order; `exempt` ones stay.

        ``rules``: the hand-written rules' attributions of ``doc`` (whether they agree is a feature).
        """
        candidates = list(candidates)
        if not candidates:
            return []
        ctx = context(doc, rules)
        return [f for f in candidates if exempt(f, candidates) or self.probability(doc, f, ctx) >= self.threshold]

    def save(self, path: str | Path) -> None:
        data = dict(self.info, threshold=self.threshold,
                    weights={k: round(v, 6) for k, v in sorted(self.weights.items()) if abs(v) > 1e-6})
        Path(path).write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path | None = None) -> AttributionFilter:
        """A filter file (default: the one shipped in ``onrecord/data``).

        Raises:
            ModelError: the file is missing or is not a filter model.
        """
        file = Path(path) if path is not None else DATA_DIR / FILTER_FILE
        if not file.is_file():
            raise ModelError(f"attribution filter {file} not found; train one with `onrecord train --model filter`")
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in data.pop("weights").items()}
            threshold = float(data.pop("threshold"))
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise ModelError(f"attribution filter {file} is broken: {err}") from None
        return cls(weights, threshold, data)
