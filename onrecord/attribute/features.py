"""Token features for the attribution tagger, shared by training and prediction.

The tagger labels each token of a paragraph with BIO tags over three roles
(``B-SOURCE``, ``I-CUE``, ``B-CONTENT``, ... and ``O``). Features come from one spaCy
parse of the whole article. They must be cheap: prediction runs on every article next
to the spaCy parse, so everything here works on plain Python lists taken from
``Doc.to_array`` (one C call) instead of touching ``Token`` objects one at a time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence as Seq
from dataclasses import dataclass

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_SPACE, LEMMA, LOWER, POS, SENT_START, SHAPE, TAG
from spacy.tokens import Doc

from .candidates import Found
from ..lexicon import SPEECH_NOUNS, SPEECH_VERBS

ROLES = ("SOURCE", "CUE", "CONTENT")
_ATTRS = [LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_IOB, ENT_TYPE, SHAPE, SENT_START, IS_SPACE]
# Opening / closing quotation marks; a straight double quote toggles.
_OPEN_QUOTES = frozenset({"\u201c", "``", "\u00ab"})
_CLOSE_QUOTES = frozenset({"\u201d", "''", "\u00bb"})
_TOGGLE_QUOTES = frozenset({'"'})
# How far up the parse tree we look for a cue word: deeper links are rarely attributions.
_MAX_DEPTH = 8
# Dependency labels of children that mark a reporting verb (subject + clausal object).
_CHILD_DEPS = frozenset({"nsubj", "nsubjpass", "ccomp", "xcomp", "dobj", "advcl", "parataxis", "prep", "agent",
                         "mark", "punct"})

DEFAULT_CUE_LEMMAS = frozenset(SPEECH_VERBS | SPEECH_NOUNS | {"accord"})


@dataclass(frozen=True, slots=True)
class Sequence:
    """One paragraph of an article: the doc token indices it covers and their features."""

    tokens: list[int]
    features: list[list[str]]


# `FeatureExtractor.sequences`' last doc, its key (cue lemmas, rules) and result; holding the doc
# keeps its identity from being reused while it is compared
_LAST: dict[str, tuple[Doc, tuple[frozenset[str], tuple[Found, ...] | None], list[Sequence]]] = {}


def _bucket(distance: int) -> str:
    """Coarse distance classes, so that the CRF sees few distinct values."""
    if distance <= 1:
        return "1"
    if distance <= 3:
        return "3"
    if distance <= 7:
        return "7"
    if distance <= 15:
        return "15"
    return "far"


class FeatureExtractor:
    """Turns a parsed article into per-paragraph feature sequences.

    Args:
        cue_lemmas: lemmas treated as cue words by the structural features (the
            ancestor and distance features); the trained model stores the list it
            was trained with.
    """

    def __init__(self, cue_lemmas: frozenset[str] = DEFAULT_CUE_LEMMAS) -> None:
        self.cue_lemmas = frozenset(cue_lemmas)
        self._strings: dict[int, str] = {0: ""}

    def _string(self, doc: Doc, key: int) -> str:
        # Memoised hash -> string: the StringStore lookup is the costly part otherwise.
        try:
            return self._strings[key]
        except KeyError:
            value = self._strings[key] = doc.vocab.strings[key]
            return value

    def sequences(self, doc: Doc, rules: Seq[Found] | None = None) -> list[Sequence]:
        """Feature sequences of ``doc``, one per paragraph (split at line breaks).

        Whitespace tokens are left out of the sequences; they are never labelled.
        With ``rules`` (the hand-written rules' attributions of the same doc), every
        token also gets the rules' verdict as features (stacking).
        The last result is kept: the default mode's two taggers read the same features.
        """
        key = (self.cue_lemmas, None if rules is None else tuple(rules))
        last = _LAST.get("last")  # one immutable tuple: read and replaced whole, also across threads
        if last is not None and last[0] is doc and last[1] == key:
            return last[2]
        out = self._sequences(doc, rules)
        _LAST["last"] = (doc, key, out)
        return out

    def _sequences(self, doc: Doc, rules: Seq[Found] | None) -> list[Sequence]:
        n = len(doc)
        if n == 0:
            return []
        rows = doc.to_array(_ATTRS).tolist()
        s = self._string
        lower = [s(doc, r[0]) for r in rows]
        lemma = [s(doc, r[1]).lower() for r in rows]
        pos = [s(doc, r[2]) for r in rows]
        tag = [s(doc, r[3]) for r in rows]
        dep = [s(doc, r[4]) for r in rows]
        head = [i + _signed(r[5]) for i, r in enumerate(rows)]
        ent = [(s(doc, r[7]) if r[6] in (1, 3) else "") for r in rows]
        shape = [s(doc, r[8]) for r in rows]
        sent_start = [r[9] == 1 for r in rows]
        is_space = [r[10] == 1 for r in rows]
        is_cue = [lemma[i] in self.cue_lemmas and pos[i] in ("VERB", "NOUN", "AUX") or lower[i] == "according"
                  for i in range(n)]

        children: list[list[str]] = [[] for _ in range(n)]
        for i in range(n):
            h = head[i]
            if h != i and dep[i] in _CHILD_DEPS:
                children[h].append(dep[i])

        quoted = self._quoted(doc, lower, is_space)
        anc, anc_lemma = self._cue_ancestors(head, dep, is_cue, lemma)
        near = self._nearest_cue(sent_start, is_cue, n)

        rule_tag = _rule_tags(doc, rules, lemma, is_space) if rules is not None else None

        base: list[list[str]] = []
        for i in range(n):
            h = head[i]
            f = [
                "b",
                "w=" + lower[i],
                "l=" + lemma[i],
                "p=" + pos[i],
                "t=" + tag[i],
                "d=" + dep[i],
                "s=" + shape[i],
                "x=" + lower[i][-3:],
                "hl=" + lemma[h],
                "hp=" + pos[h],
                "dhd=" + dep[i] + "|" + dep[h],
                "dhl=" + dep[i] + "|" + lemma[h],
                "q=" + quoted[i],
                "a=" + anc[i],
                "al=" + anc_lemma[i],
                "qa=" + quoted[i] + anc[i],
                "n=" + near[i],
            ]
            if ent[i]:
                f.append("e=" + ent[i])
            if is_cue[i]:
                f.append("cue")
                f.append("cued=" + dep[i])
            if sent_start[i]:
                f.append("ss")
            if children[i]:
                f.extend("k=" + d for d in dict.fromkeys(children[i]))  # ordered: reproducible
            if rule_tag is not None:
                r = rule_tag[i]
                f.append("r=" + r[0])
                f.append("ro=" + r[0] + r[1])
                f.append("rp=" + r[0] + "|" + pos[i])
                f.append("rq=" + r[0] + "|" + quoted[i])
                if r[2]:
                    f.append("rl=" + r[0][2:] + "|" + r[2])
            base.append(f)

        # Neighbour features: words, POS and quote state around each token.
        seqs = []
        for para in _paragraphs(n, lower, is_space):
            feats = []
            m = len(para)
            # Paragraphs that open with a quote mark are mostly quotations.
            opening = "pq=" + quoted[para[0]]
            for k, i in enumerate(para):
                f = list(base[i])
                for off in (-2, -1, 1, 2):
                    j = k + off
                    if 0 <= j < m:
                        t = para[j]
                        f.append(f"{off}w={lower[t]}")
                        f.append(f"{off}p={pos[t]}")
                        if off in (-1, 1):
                            f.append(f"{off}l={lemma[t]}")
                            f.append(f"{off}q={quoted[t]}")
                            f.append(f"{off}a={anc[t]}")
                            if rule_tag is not None:
                                f.append(f"{off}r={rule_tag[t][0]}")
                                f.append(f"{off}rr={rule_tag[t][0]}|{rule_tag[i][0]}")
                    elif off in (-1, 1):
                        f.append(f"{off}w=<edge>")
                if k + 1 < m and sent_start[para[k + 1]]:
                    f.append("se")  # last token of its sentence: where contents mostly end
                    if rule_tag is not None:
                        f.append("rse=" + rule_tag[i][0])
                f.append("ww=" + (lower[para[k - 1]] if k else "<s>") + "|" + lower[i])
                f.append("wn=" + lower[i] + "|" + (lower[para[k + 1]] if k + 1 < m else "</s>"))
                f.append(opening)
                feats.append(f)
            seqs.append(Sequence(para, feats))
        return seqs

    @staticmethod
    def _quoted(doc: Doc, lower: list[str], is_space: list[bool]) -> list[str]:
        """Per token: "o"/"c" for quote marks, "1" inside quotes, "0" outside.

        The state resets at each paragraph, because news paragraphs of a long
        quotation open a new quote without closing the previous one.
        """
        out = []
        inside = False
        for i, w in enumerate(lower):
            if is_space[i] and "\n" in w:
                inside = False
                out.append("0")
            elif w in _OPEN_QUOTES or (w in _TOGGLE_QUOTES and not inside):
                inside = True
                out.append("o")
            elif w in _CLOSE_QUOTES or (w in _TOGGLE_QUOTES and inside):
                inside = False
                out.append("c")
            else:
                out.append("1" if inside else "0")
        return out

    @staticmethod
    def _cue_ancestors(head: list[int], dep: list[str], is_cue: list[bool],
                       lemma: list[str]) -> tuple[list[str], list[str]]:
        """Per token: via which dependency the nearest cue-word ancestor governs it, and its lemma.

        "ccomp:3" means the path from the token climbs to a child attached to a cue
        word by ``ccomp`` and is 3 steps long; "self" marks cue words; "-" none.
        The second list pairs the cue lemma with that dependency ("say|ccomp").
        """
        out, lemmas = [], []
        for i in range(len(head)):
            if is_cue[i]:
                out.append("self")
                lemmas.append("-")
                continue
            child, node, depth = i, head[i], 1
            found, found_lemma = "-", "-"
            while node != child and depth <= _MAX_DEPTH:
                if is_cue[node]:
                    found = f"{dep[child]}:{_bucket(depth)}"
                    found_lemma = f"{lemma[node]}|{dep[child]}"
                    break
                child, node, depth = node, head[node], depth + 1
            out.append(found)
            lemmas.append(found_lemma)
        return out, lemmas

    @staticmethod
    def _nearest_cue(sent_start: list[bool], is_cue: list[bool], n: int) -> list[str]:
        """Per token: direction and distance class of the nearest cue word in the sentence."""
        left = [-1] * n
        last = -1
        for i in range(n):
            if sent_start[i]:
                last = -1
            left[i] = last
            if is_cue[i]:
                last = i
        out = [""] * n
        nxt = -1
        for i in range(n - 1, -1, -1):
            l_dist = i - left[i] if left[i] >= 0 else None
            r_dist = nxt - i if nxt >= 0 else None
            if l_dist is None and r_dist is None:
                out[i] = "-"
            elif l_dist is not None and (r_dist is None or l_dist <= r_dist):
                out[i] = "L" + _bucket(l_dist)
            elif r_dist is not None:
                out[i] = "R" + _bucket(r_dist)
            if sent_start[i]:
                nxt = -1
            if is_cue[i]:
                nxt = i
        return out


def _rule_tags(doc: Doc, rules: Seq[Found], lemma: list[str], is_space: list[bool]) -> list[tuple[str, str, str]]:
    """Per token: the rules' BIO tag ("B-CUE", "I-CONTENT", "O"), the rule's origin
    ("layout" or "rules", "" outside) and, for sources and contents, the lemma of the
    rule's cue (its first alphabetic token: "say" for "said Friday")."""
    n = len(doc)
    starts = doc.to_array(IDX).tolist()  # not `t.idx for t in doc`: a Token object per token costs more
    out = [("O", "", "")] * n

    def tokens(start: int, end: int) -> range:
        first = max(bisect_right(starts, start) - 1, 0)
        last = bisect_right(starts, end - 1) if end > start else first
        return range(first, last)

    for found in rules:
        cue_tokens = tokens(*found.cue)
        cue_lemma = "-"
        for t in cue_tokens:
            if lemma[t].isalpha():
                cue_lemma = lemma[t]
                break
        parts = [("CUE", found.cue, "")]
        if found.source:
            parts.append(("SOURCE", found.source, cue_lemma))
        parts.extend(("CONTENT", c, cue_lemma) for c in found.content)
        for role, (start, end), lem in parts:
            first = True
            for t in tokens(start, end):
                if out[t][0] == "O" and not is_space[t]:
                    out[t] = (("B-" if first else "I-") + role, found.origin, lem)
                    first = False
    return out


def _signed(value: int) -> int:
    """``Doc.to_array`` returns HEAD offsets as unsigned 64-bit integers."""
    return value - (1 << 64) if value >= (1 << 63) else value


def _paragraphs(n: int, lower: list[str], is_space: list[bool]) -> list[list[int]]:
    """Token indices per paragraph: a line break ends a paragraph; spaces are dropped.

    spaCy keeps any whitespace other than one plain space as a token of its own,
    so every line break is inside a whitespace token.
    """
    paras: list[list[int]] = []
    current: list[int] = []
    for i in range(n):
        if is_space[i]:
            if "\n" in lower[i] and current:
                paras.append(current)
                current = []
            continue
        current.append(i)
    if current:
        paras.append(current)
    return paras


def bio_labels(doc: Doc, spans: list[tuple[str, int, int]]) -> list[str]:
    """Gold BIO labels of all tokens of ``doc`` from role fragments ``(ROLE, start, end)``.

    A token takes the role of the first fragment it overlaps (PolNeAR gives each
    token at most one attribution); the first token of each fragment is ``B-``.
    Used only in training.
    """
    token_at = [-1] * len(doc.text)
    for tok in doc:
        token_at[tok.idx:tok.idx + len(tok)] = [tok.i] * len(tok)
    labels = ["O"] * len(doc)
    for role, start, end in spans:
        tokens = sorted({t for t in token_at[start:end] if t >= 0})
        if not tokens or any(labels[t] != "O" for t in tokens):
            continue
        labels[tokens[0]] = "B-" + role
        for t in tokens[1:]:
            labels[t] = "I-" + role
    return labels
