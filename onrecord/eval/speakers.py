"""Speaker merges against hand-labelled statements: pairwise precision and recall.

A labelled set is a directory with ``articles.jsonl`` (id, published, outlet, title, text)
and ``gold.jsonl`` (one statement a line: ``article``, a piece of its ``content``, and the
gold ``speaker`` id). The articles are extracted and stored in a scratch store, speakers are
linked as `onrecord link` links them, and every pair of labelled statements found is scored:

- precision: of the pairs filed under one speaker, the share that the gold gives one speaker
  (two people merged into one lowers it);
- recall: of the pairs the gold gives one speaker, the share filed under one speaker (one
  person split over several speakers, or a statement left without a speaker, lowers it).

A gold statement that extraction does not find counts in ``missing`` and in no pair.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from ..config import Settings
from ..models import Article


@dataclass
class SpeakerScore:
    """Pairwise figures of one labelled set, with the pairs that went wrong."""

    statements: int = 0
    found: int = 0
    pairs_same_gold: int = 0
    pairs_same_predicted: int = 0
    pairs_right: int = 0
    merged_wrongly: list[tuple[str, str, str]] = field(default_factory=list)  # (speaker, gold a, gold b)
    split_wrongly: list[tuple[str, str, str]] = field(default_factory=list)  # (gold, speaker a, speaker b)

    @property
    def precision(self) -> float:
        return self.pairs_right / self.pairs_same_predicted if self.pairs_same_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_right / self.pairs_same_gold if self.pairs_same_gold else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"statements": self.statements, "found": self.found, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "pairs_same_gold": self.pairs_same_gold,
                "pairs_same_predicted": self.pairs_same_predicted, "pairs_right": self.pairs_right,
                "merged_wrongly": sorted(set(self.merged_wrongly)), "split_wrongly": sorted(set(self.split_wrongly))}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_articles(directory: Path) -> list[Article]:
    return [Article(id=r["id"], text=r["text"], title=r.get("title"), published=r.get("published"),
                    outlet=r.get("outlet")) for r in read_jsonl(directory / "articles.jsonl")]


@contextmanager
def linked_store(articles: Iterable[Article], *, claims: bool = True) -> Iterator[Any]:
    """A throwaway store holding ``articles`` (extracted), linked as `onrecord link` does: what the
    labelled-data scorers (speakers, claims, verify) read their predictions from."""
    from ..link.stored import link_store
    from ..store import open_store

    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "labelled.db")) as store:
        store.add_articles(list(articles))
        link_store(store, claims=claims)
        yield store


def score_speakers(directory: str | Path, settings: Settings | None = None) -> SpeakerScore:
    """Extract, store and link the articles of ``directory``; score speaker merges on its gold."""
    from ..pipeline import extract_many

    directory = Path(directory)
    gold = read_jsonl(directory / "gold.jsonl")
    with linked_store(extract_many(load_articles(directory), settings), claims=False) as store:
        stored = store.quotes(limit=100_000)
        predicted: list[tuple[str, str | None]] = []  # (gold speaker, predicted speaker) per labelled statement
        for label in gold:
            hits = [q for q in stored if q.article_id == label["article"]
                    and label["content"] in q.attribution.content_text]
            if not hits:
                continue
            hit = min(hits, key=lambda q: len(q.attribution.content_text))  # the innermost statement
            name = f"{hit.speaker_id}:{hit.speaker_name}" if hit.speaker_id is not None else None
            predicted.append((label["speaker"], name))
    score = SpeakerScore(statements=len(gold), found=len(predicted))
    for (gold_a, pred_a), (gold_b, pred_b) in combinations(predicted, 2):
        same_gold, same_pred = gold_a == gold_b, pred_a is not None and pred_a == pred_b
        score.pairs_same_gold += same_gold
        score.pairs_same_predicted += same_pred
        score.pairs_right += same_gold and same_pred
        if same_pred and not same_gold:
            low, high = sorted((gold_a, gold_b))
            score.merged_wrongly.append((str(pred_a), low, high))
        elif same_gold and not same_pred:
            low, high = sorted((str(pred_a), str(pred_b)))
            score.split_wrongly.append((gold_a, low, high))
    return score
