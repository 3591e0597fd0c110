"""The PolNeAR figures, computed the same way as the reference scorer ``polnear_score.py``.

Per role (source, cue, content): exact-span and token-overlap P/R/F1; relation
("attribution") P/R/F1; plus what the reference does not report: recall per content
kind (direct vs indirect) and all figures per outlet.

Span normalisation: each fragment is trimmed of leading/trailing whitespace and
punctuation (Unicode P*, plus backtick and acute accent); a span made only of
punctuation keeps its punctuation. Tokens are the ``\\w+`` runs of the text.
"""

from __future__ import annotations

from typing import Any

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import OnRecordError
from .corpus import ROLES, Fragments, GoldArticle, Record

_TOKEN = re.compile(r"\w+")
_EXTRA_TRIM = frozenset("`\u00b4")
_QUOTES = frozenset("\"\u201c\u201d\u00ab\u00bb")
HEADLINE = ("content_token_f1", "source_exact_f1", "cue_exact_f1", "relation_f1")


class PredictionError(OnRecordError):
    """A predictions file does not fit the gold compartment."""


def _is_trimmed(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P") or ch in _EXTRA_TRIM


def _trim(text: str, fragments: Fragments, trimmed: Callable[[str], bool]) -> frozenset[int]:
    chars: set[int] = set()
    for start, end in fragments:
        while start < end and trimmed(text[start]):
            start += 1
        while end > start and trimmed(text[end - 1]):
            end -= 1
        chars.update(range(start, end))
    return frozenset(chars)


def normalize(text: str, fragments: Fragments | None) -> frozenset[int]:
    """Character offsets of a span after trimming each fragment's edges."""
    if not fragments:
        return frozenset()
    return _trim(text, fragments, _is_trimmed) or _trim(text, fragments, str.isspace)


@dataclass
class _Scored:
    """An article prepared for scoring: its token index per character."""

    article: GoldArticle
    token_at: list[int]

    @classmethod
    def of(cls, article: GoldArticle) -> _Scored:
        token_at = [-1] * len(article.text)
        for i, match in enumerate(_TOKEN.finditer(article.text)):
            token_at[match.start():match.end()] = [i] * (match.end() - match.start())
        return cls(article, token_at)

    def tokens(self, chars: frozenset[int]) -> set[int]:
        return {self.token_at[c] for c in chars} - {-1}


@dataclass
class _RoleSpan:
    chars: frozenset[int]
    tokens: set[int]

    def overlaps(self, other: _RoleSpan) -> bool:
        if self.tokens and other.tokens:
            return bool(self.tokens & other.tokens)
        return not self.chars.isdisjoint(other.chars)


def _role_view(scored: _Scored, attributions: list[Record]) -> list[dict[str, _RoleSpan | None]]:
    view = []
    for attribution in attributions:
        chars = {role: normalize(scored.article.text, attribution[role]) for role in ROLES}
        view.append({role: _RoleSpan(c, scored.tokens(c)) if c else None for role, c in chars.items()})
    return view


def _f1(a: set[int], b: set[int]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def match_attributions(gold: list[dict[str, _RoleSpan | None]],
                       pred: list[dict[str, _RoleSpan | None]]) -> list[tuple[int, int]]:
    """One-to-one relation matches ``(gold index, predicted index)``, greedy by content token-F1."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if not (g["content"] and p["content"] and g["cue"] and p["cue"]):
                continue
            content_f1 = _f1(g["content"].tokens, p["content"].tokens)
            if g["source"] is None or p["source"] is None:
                sources_agree = g["source"] is p["source"]
            else:
                sources_agree = g["source"].overlaps(p["source"])
            if content_f1 >= 0.5 and g["cue"].overlaps(p["cue"]) and sources_agree:
                candidates.append((-content_f1, i, j))
    used_gold, used_pred, pairs = set(), set(), []
    for _, i, j in sorted(candidates):
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    """Precision, recall and F1 (0 where undefined) with the counts behind them."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "pred": n_pred, "gold": n_gold}


def content_kind(text: str, fragments: Fragments | None) -> str:
    """``"direct"`` when most of a content's word characters lie inside quotation marks.

    Quote state is tracked over the whole article with opening/closing curly quotes
    and toggling straight quotes, reset at each line break.
    """
    inside = _inside_quotes(text)
    chars = [c for c in normalize(text, fragments) if text[c].isalnum()]
    if not chars:
        return "indirect"
    quoted = sum(inside[c] for c in chars)
    return "direct" if quoted * 2 > len(chars) else "indirect"


def _inside_quotes(text: str) -> list[bool]:
    state, out = False, []
    for ch in text:
        if ch == "\n":
            state = False
        elif ch == "\u201c" or ch == "\u00ab" or (ch == '"' and not state):
            state = True
        elif ch == "\u201d" or ch == "\u00bb" or ch == '"':
            state = False
        out.append(state)
    return out


class _Tally:
    """Counts for one group of articles (all, or one outlet)."""

    def __init__(self) -> None:
        self.counts = {role: {"exact": [0, 0, 0], "token": [0, 0, 0]} for role in ROLES}
        self.relation = [0, 0, 0]
        self.kinds = {"direct": [0, 0], "indirect": [0, 0]}  # matched, gold
        self.articles = 0

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "gold_attributions": self.relation[2],
            "predicted_attributions": self.relation[1],
        }
        for role in ROLES:
            out[role] = {key: prf(*tally) for key, tally in self.counts[role].items()}
        out["relation"] = prf(*self.relation)
        out["headline"] = {
            "content_token_f1": out["content"]["token"]["f1"],
            "source_exact_f1": out["source"]["exact"]["f1"],
            "cue_exact_f1": out["cue"]["exact"]["f1"],
            "relation_f1": out["relation"]["f1"],
        }
        out["kind_recall"] = {kind: {"recall": (m / g if g else 0.0), "matched": m, "gold": g}
                              for kind, (m, g) in self.kinds.items()}
        return out


def score(gold: dict[str, GoldArticle], predictions: dict[str, list[Record]]) -> dict[str, Any]:
    """All figures for a compartment: the reference scorer's, plus ``kind_recall`` and ``outlets``.

    Args:
        gold: articles from `onrecord.eval.corpus.load_compartment`.
        predictions: predicted attributions per article stem (missing stems predict nothing).

    Raises:
        PredictionError: a predicted stem is not in the gold.
    """
    unknown = set(predictions) - set(gold)
    if unknown:
        raise PredictionError(f"ids not in the gold compartment: {sorted(unknown)[:5]}")
    total, outlets = _Tally(), dict[str, _Tally]()
    for stem, article in gold.items():
        tallies = (total, outlets.setdefault(article.outlet, _Tally()))
        scored = _Scored.of(article)
        pred = predictions.get(stem, [])
        for role in ROLES:
            gold_spans = {normalize(article.text, a[role]) for a in article.attributions} - {frozenset()}
            pred_spans = {normalize(article.text, a[role]) for a in pred} - {frozenset()}
            gold_tokens: set[int] = set().union(*(scored.tokens(s) for s in gold_spans))
            pred_tokens: set[int] = set().union(*(scored.tokens(s) for s in pred_spans))
            pairs_by_key: dict[str, tuple[set[Any], set[Any]]] = {"exact": (gold_spans, pred_spans),
                                                               "token": (gold_tokens, pred_tokens)}
            for key, (g, p) in pairs_by_key.items():
                for tally in tallies:
                    counts = tally.counts[role][key]
                    counts[0] += len(g & p)
                    counts[1] += len(p)
                    counts[2] += len(g)
        pairs = match_attributions(_role_view(scored, article.attributions), _role_view(scored, pred))
        matched = {i for i, _ in pairs}
        for tally in tallies:
            tally.articles += 1
            tally.relation[0] += len(pairs)
            tally.relation[1] += len(pred)
            tally.relation[2] += len(article.attributions)
        for i, attribution in enumerate(article.attributions):
            if attribution["content"]:
                kind = content_kind(article.text, attribution["content"])
                for tally in tallies:
                    tally.kinds[kind][0] += i in matched
                    tally.kinds[kind][1] += 1
    figures = total.figures()
    figures["outlets"] = {name: tally.figures() for name, tally in sorted(outlets.items())}
    return figures


def _parse_span(value: object, text: str, where: str) -> Fragments | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    fragments = []
    for item in items:
        if not isinstance(item, dict) or not all(type(item.get(k)) is int for k in ("start", "end")):
            raise PredictionError(f"{where}: a span needs integer 'start' and 'end': {item!r}")
        if not 0 <= item["start"] <= item["end"] <= len(text):
            raise PredictionError(f"{where}: span {item['start']}-{item['end']} outside text of {len(text)} chars")
        fragments.append((item["start"], item["end"]))
    return fragments


def records_from_json(records: Iterable[dict[str, Any]], gold: dict[str, GoldArticle]) -> dict[str, list[Record]]:
    """Predicted attributions per stem from JSON objects (the ``extract --format jsonl`` contract).

    Raises:
        PredictionError: unknown or repeated id, or a malformed span.
    """
    predictions: dict[str, list[Record]] = {}
    for number, record in enumerate(records, 1):
        stem = record.get("id")
        if stem not in gold:
            raise PredictionError(f"record {number}: id {stem!r} is not in the gold compartment")
        if stem in predictions:
            raise PredictionError(f"record {number}: id {stem!r} appears twice")
        text = gold[stem].text
        predictions[stem] = [
            {role: _parse_span(item.get(role), text, f"record {number}, {role}") for role in ROLES}
            for item in record.get("attributions") or []
        ]
    return predictions


def load_predictions(path: str | Path, gold: dict[str, GoldArticle]) -> dict[str, list[Record]]:
    """Predicted attributions per stem from a JSON Lines file."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return records_from_json((json.loads(line) for line in lines if line.strip()), gold)


def headline_line(figures: dict[str, Any]) -> str:
    """The reference scorer's last line."""
    return "headline: " + " ".join(f"{key}={value:.3f}" for key, value in figures["headline"].items())


def format_table(figures: dict[str, Any], outlets: bool = True) -> str:
    """A text table: the reference layout, then kind recall and per-outlet headlines."""
    lines = [
        f"articles={figures['articles']} gold_attributions={figures['gold_attributions']} "
        f"predicted_attributions={figures['predicted_attributions']}",
        f"{'':10}{'exact P':>9}{'R':>7}{'F1':>7}  {'token P':>9}{'R':>7}{'F1':>7}  {'gold':>6}{'pred':>6}",
    ]
    for role in ROLES:
        e, t = figures[role]["exact"], figures[role]["token"]
        lines.append(f"{role:10}{e['p']:9.3f}{e['r']:7.3f}{e['f1']:7.3f}  {t['p']:9.3f}{t['r']:7.3f}"
                     f"{t['f1']:7.3f}  {e['gold']:6}{e['pred']:6}")
    r = figures["relation"]
    lines.append(f"{'relation':10}{r['p']:9.3f}{r['r']:7.3f}{r['f1']:7.3f}  (matched {r['tp']})")
    kinds = figures["kind_recall"]
    lines.append("relation recall by kind: " + " ".join(
        f"{k}={v['recall']:.3f} ({v['matched']}/{v['gold']})" for k, v in kinds.items()))
    if outlets and figures.get("outlets"):
        lines.append(f"{'outlet':16}{'articles':>9}  " + "  ".join(f"{h:>16}" for h in HEADLINE))
        for name, fig in figures["outlets"].items():
            lines.append(f"{name:16}{fig['articles']:9}  "
                         + "  ".join(f"{fig['headline'][h]:16.3f}" for h in HEADLINE))
    return "\n".join(lines)
