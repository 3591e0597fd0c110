"""Verdicts of `onrecord verify` against labelled quotes.

A labelled set is a directory with ``articles.jsonl`` (id, published, outlet, title, text)
and ``quotes.jsonl`` (one quote a line: ``quote``, optionally ``speaker``, and the expected
``verdict``: verbatim, altered, negated, paraphrase, wrong_speaker or absent). The articles
are extracted into a scratch store and linked; each quote's `onrecord.verify.finding` is
compared with its label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from .speakers import linked_store, load_articles, read_jsonl


@dataclass
class VerifyScore:
    """Right findings per expected verdict, and the quotes that got another one."""

    total: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # (quote, expected, found)

    def accuracy(self, verdict: str | None = None) -> float:
        total = self.total[verdict] if verdict else sum(self.total.values())
        right = self.right[verdict] if verdict else sum(self.right.values())
        return right / total if total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": round(self.accuracy(), 3),
                "by_verdict": {v: f"{self.right[v]}/{n}" for v, n in sorted(self.total.items())},
                "wrong": self.wrong}


def score_verify(directory: str | Path, settings: Settings | None = None, *, embeddings: bool = True) -> VerifyScore:
    """Extract, store and link the articles of ``directory``; check each labelled quote."""
    from ..pipeline import extract_many
    from ..verify import finding, verify

    directory = Path(directory)
    score = VerifyScore()
    with linked_store(extract_many(load_articles(directory), settings), claims=embeddings) as store:
        for label in read_jsonl(directory / "quotes.jsonl"):
            found = finding(verify(store, label["quote"], label.get("speaker"), embeddings=embeddings))
            score.total[label["verdict"]] += 1
            if found == label["verdict"]:
                score.right[label["verdict"]] += 1
            else:
                score.wrong.append((label["quote"], label["verdict"], found))
    return score
