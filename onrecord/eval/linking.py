"""Claim linking against hand-labelled articles: claims, denials joined to their claim, contradictions.

A linking reference is a folder (tests/data/linking) with ``articles/*.txt`` (the file stem is
the article id), ``labels.jsonl`` (one statement a line: ``article``, a ``snippet`` of its
content, its ``claim`` id and its ``side``, ``for`` or ``against`` the claim's affirmative
proposition) and ``contradictions.jsonl`` (pairs of claims, ``a`` and ``b``, whose statements
cannot both be true, with a ``reason``). Every ``for`` x ``against`` pair of one claim in two
articles is a contradiction too.

`score_linking` extracts the articles with onrecord, stores and links them in a temporary store
(the library's `Store.link`, as ``onrecord link`` does), then reports:

- claim grouping: pairwise precision and recall over labelled statements (two statements in
  one predicted claim vs. in one labelled claim);
- denials joined: the share of ``against`` statements (of a claim that also has ``for``
  statements) that sit in a predicted claim with one of those, on the other side;
- contradictions: pairwise precision and recall of predicted contradictions between labelled
  statements of two articles (pairs in one article are not scored, on either side).

A labelled statement the extraction does not find (or merges with another labelled one) is
reported and counts as a miss: it is in no predicted claim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

Key = tuple[str, int]  # (article id, attribution index)


@dataclass(frozen=True, slots=True)
class Label:
    article: str
    snippet: str
    claim: str
    side: str


@dataclass
class LinkingFigures:
    statements: int = 0  # labelled statements
    found: int = 0  # of them found among the extracted statements
    missing: list[str] = field(default_factory=list)
    pairs_predicted: int = 0
    pairs_gold: int = 0
    pairs_right: int = 0
    denials: int = 0
    denials_joined: int = 0
    contradictions_predicted: int = 0
    contradictions_gold: int = 0
    contradictions_right: int = 0
    contradictions_reason_right: int = 0
    claims: list[dict[str, Any]] = field(default_factory=list)
    wrong_contradictions: list[str] = field(default_factory=list)
    missed_contradictions: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pairs_right / self.pairs_predicted if self.pairs_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_right / self.pairs_gold if self.pairs_gold else 1.0

    @property
    def denials_share(self) -> float:
        return self.denials_joined / self.denials if self.denials else 1.0

    @property
    def contradiction_precision(self) -> float:
        return self.contradictions_right / self.contradictions_predicted if self.contradictions_predicted else 1.0

    @property
    def contradiction_recall(self) -> float:
        return self.contradictions_right / self.contradictions_gold if self.contradictions_gold else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"statements": self.statements, "found": self.found, "missing": self.missing,
                "grouping": {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                             "predicted_pairs": self.pairs_predicted, "gold_pairs": self.pairs_gold,
                             "right_pairs": self.pairs_right},
                "denials_joined": {"share": round(self.denials_share, 3), "joined": self.denials_joined,
                                   "denials": self.denials},
                "contradictions": {"precision": round(self.contradiction_precision, 3),
                                   "recall": round(self.contradiction_recall, 3),
                                   "predicted": self.contradictions_predicted, "gold": self.contradictions_gold,
                                   "right": self.contradictions_right,
                                   "reason_right": self.contradictions_reason_right},
                "claims": self.claims, "wrong_contradictions": self.wrong_contradictions,
                "missed_contradictions": self.missed_contradictions}


def load_reference(folder: Path) -> tuple[dict[str, str], list[Label], list[dict[str, str]]]:
    """Articles (id -> text), statement labels and claim-pair contradictions of a linking reference."""
    articles = {p.stem: p.read_text(encoding="utf-8") for p in sorted((folder / "articles").glob("*.txt"))}
    labels = [Label(**json.loads(line)) for line in _lines(folder / "labels.jsonl")]
    pairs = [json.loads(line) for line in _lines(folder / "contradictions.jsonl")]
    return articles, labels, pairs


def _lines(path: Path) -> Iterable[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"')).strip().lower()


def score_linking(folder: Path, settings: Any = None, *, extracted: list[Any] | None = None) -> LinkingFigures:
    """Extract (unless ``extracted`` is given), store and link the reference's articles; score
    them against its labels."""
    from ..models import Article
    from ..pipeline import extract_many
    from .speakers import linked_store

    texts, labels, claim_pairs = load_reference(folder)
    if extracted is None:
        extracted = list(extract_many([Article(id=i, text=t) for i, t in texts.items()], settings))
    with linked_store(extracted) as store:
        claims = store.list_claims(limit=10_000)
        contradictions = []
        offset = 0
        while True:
            page = store.contradictions(limit=10_000, offset=offset)
            contradictions += page
            if len(page) < 10_000:
                break
            offset += len(page)
    return score(extracted, labels, claim_pairs, claims, contradictions)


def score(extracted: list[Any], labels: list[Label], claim_pairs: list[dict[str, str]], claims: list[Any],
          contradictions: list[Any]) -> LinkingFigures:
    """The figures, from the extracted articles, the labels and what the store linked."""
    from ..link.sides import member_sides

    figures = LinkingFigures(statements=len(labels))
    contents = {(a.id, n): _norm(att.content_text) for a in extracted for n, att in enumerate(a.attributions)}
    key_of: dict[int, Key] = {}
    taken: dict[Key, int] = {}
    for n, label in enumerate(labels):
        snippet = _norm(label.snippet)
        found = [k for k, c in contents.items() if k[0] == label.article and snippet in c]
        if not found or found[0] in taken:
            figures.missing.append(f"{label.article}: {label.snippet}" + (" (merged with another labelled statement)"
                                                                          if found else ""))
            continue
        key_of[n] = found[0]
        taken[found[0]] = n
    figures.found = len(key_of)

    predicted: dict[Key, int] = {}
    side: dict[Key, int] = {}
    for claim in claims:
        keys = [(q.article_id, q.index) for q in claim.members]
        for k, s in zip(keys, member_sides(claim.members)):
            predicted[k], side[k] = claim.id, s
        labelled = [labels[taken[k]] for k in keys if k in taken]
        if labelled:
            figures.claims.append({"id": claim.id, "label": claim.label,
                                   "members": [f"{lb.claim}/{lb.side}" for lb in labelled],
                                   "unlabelled": len(keys) - len(labelled)})

    # pairwise grouping over labelled statements
    for x, y in combinations(range(len(labels)), 2):
        same_gold = labels[x].claim == labels[y].claim
        kx, ky = key_of.get(x), key_of.get(y)
        same_pred = kx is not None and ky is not None and kx in predicted and predicted.get(kx) == predicted.get(ky)
        figures.pairs_gold += same_gold
        figures.pairs_predicted += same_pred
        figures.pairs_right += same_gold and same_pred

    # denials joined to the claim they deny, on its other side
    by_claim: dict[str, list[int]] = {}
    for n, label in enumerate(labels):
        by_claim.setdefault(label.claim, []).append(n)
    for members in by_claim.values():
        fors = [n for n in members if labels[n].side == "for"]
        if not fors:
            continue
        for n in members:
            if labels[n].side != "against":
                continue
            figures.denials += 1
            kn = key_of.get(n)
            if kn is None or kn not in predicted:
                continue
            k = kn
            if any(key_of.get(f) is not None and predicted.get(key_of[f]) == predicted[k]
                   and side.get(key_of[f]) == -side[k] for f in fors):
                figures.denials_joined += 1

    # contradictions between labelled statements of two articles
    gold: dict[frozenset[int], str] = {}
    for members in by_claim.values():
        for x, y in combinations(members, 2):
            if labels[x].side != labels[y].side and labels[x].article != labels[y].article:
                gold[frozenset((x, y))] = "denies/negates"
    for pair in claim_pairs:
        for x in by_claim.get(pair["a"], []):
            for y in by_claim.get(pair["b"], []):
                if labels[x].article != labels[y].article:
                    gold[frozenset((x, y))] = pair["reason"]
    found_pairs: dict[frozenset[int], str] = {}
    for c in contradictions:
        ka, kb = (c.a.article_id, c.a.index), (c.b.article_id, c.b.index)
        if ka[0] == kb[0] or ka not in taken or kb not in taken:
            continue
        found_pairs[frozenset((taken[ka], taken[kb]))] = c.reason
    figures.contradictions_gold = len(gold)
    figures.contradictions_predicted = len(found_pairs)
    for found_pair, reason in found_pairs.items():
        x, y = sorted(found_pair)
        text = f"{labels[x].article}:{labels[x].snippet} / {labels[y].article}:{labels[y].snippet} ({reason})"
        if found_pair in gold:
            figures.contradictions_right += 1
            expected = gold[found_pair]
            if reason.split(":")[0] in expected.split("/") or reason.startswith(expected):
                figures.contradictions_reason_right += 1
        else:
            figures.wrong_contradictions.append(text)
    for gold_pair, reason in gold.items():
        if gold_pair not in found_pairs:
            x, y = sorted(gold_pair)
            figures.missed_contradictions.append(
                f"{labels[x].article}:{labels[x].snippet} / {labels[y].article}:{labels[y].snippet} ({reason})")
    return figures


def format_report(figures: LinkingFigures, verbose: bool = False) -> str:
    """A short report; its last line is the headline."""
    lines = [f"labelled statements: {figures.statements}, found by the extraction: {figures.found}"]
    if verbose:
        lines += [f"  missing: {m}" for m in figures.missing]
        for c in figures.claims:
            lines.append(f"  claim {c['id']}: {c['label'][:90]!r} <- {', '.join(c['members'])}"
                         + (f" (+{c['unlabelled']} unlabelled)" if c["unlabelled"] else ""))
        lines += [f"  wrong contradiction: {w}" for w in figures.wrong_contradictions]
        lines += [f"  missed contradiction: {m}" for m in figures.missed_contradictions]
    lines.append(f"claim grouping: P {figures.precision:.3f} R {figures.recall:.3f} "
                 f"({figures.pairs_right} of {figures.pairs_predicted} predicted pairs, {figures.pairs_gold} labelled)")
    lines.append(f"denials joined to their claim: {figures.denials_share:.3f} "
                 f"({figures.denials_joined} of {figures.denials})")
    lines.append(f"contradictions: P {figures.contradiction_precision:.3f} R {figures.contradiction_recall:.3f} "
                 f"({figures.contradictions_right} of {figures.contradictions_predicted} predicted, "
                 f"{figures.contradictions_gold} labelled; reason right {figures.contradictions_reason_right})")
    lines.append(f"linking: grouping P {figures.precision:.3f} R {figures.recall:.3f}, denials joined "
                 f"{figures.denials_share:.3f}, contradictions P {figures.contradiction_precision:.3f} "
                 f"R {figures.contradiction_recall:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m onrecord.eval.linking DIR [-v] [--json]``: score linking on a labelled folder."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m onrecord.eval.linking", description=main.__doc__)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    for folder in args.folders:
        figures = score_linking(folder)
        print(json.dumps(figures.to_dict(), indent=2) if args.json else f"== {folder}\n"
              + format_report(figures, args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
