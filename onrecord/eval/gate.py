"""A regression gate: dev headline figures must not fall below recorded floors.

``baseline.json`` (next to this module by default) holds one section per kind of
corpus: ``polnear`` (a PolNeAR compartment, `onrecord.eval.corpus`), ``web`` (a folder
of snippet references, `onrecord.eval.web`) and ``news`` (the news corpus, cross-validated:
`onrecord.eval.news`). Each section holds the SHA-256 of the
reference files and a floor per headline figure::

    {"polnear": {"corpus_sha256": "…", "floors": {"content_token_f1": 0.849, …}, "tolerance": 0.005},
     "web": {"corpus_sha256": "…", "floors": {"precision": 0.655, "recall": 0.706}, "tolerance": 0.005}}

The gate fails when a figure is below its floor minus the tolerance (the tolerance
absorbs rounding, not real drops). ``update=True`` raises floors to the new figures;
it lowers a floor only with ``allow_regression=True``. A file written before the web
section existed (one flat PolNeAR section) is read as the ``polnear`` section.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import corpus, metrics, web
from .corpus import Record, load_compartment
from .kinds import NEWS, POLNEAR, WEB, detect_kind
from .metrics import load_predictions, records_from_json

BASELINE = Path(__file__).with_name("baseline.json")
DEFAULT_TOLERANCE = 0.002
OK, REGRESSION, ERROR = 0, 1, 2
HEADLINES = {POLNEAR: metrics.HEADLINE, WEB: web.HEADLINE, NEWS: web.HEADLINE}


def _as_json(value: Iterable[Any]) -> Iterable[dict[str, Any]]:
    """Articles as their JSON form, with the analysed text (the web scorer locates snippets in it)."""
    for item in value:
        yield item.to_dict(with_text=True) if hasattr(item, "to_dict") else item


def _predictions(value: Any, gold: dict[str, Any]) -> dict[str, list[Record]]:
    """Predictions from a JSONL path, a ``{stem: records}`` mapping, or articles / JSON objects."""
    if isinstance(value, (str, Path)):
        return load_predictions(value, gold)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Iterable):
        return records_from_json(_as_json(value), gold)
    raise TypeError(f"cannot read predictions from {type(value).__name__}")


def _web_records(value: Any) -> Mapping[str, dict[str, Any]]:
    """Prediction records by id from a JSONL path, a ``{id: record}`` mapping, or articles / JSON objects."""
    if isinstance(value, (str, Path)):
        return web.load_records(value)
    if isinstance(value, Mapping):
        return value
    if isinstance(value, Iterable):
        return web.records_by_id(_as_json(value))
    raise TypeError(f"cannot read predictions from {type(value).__name__}")


def figures_and_sha(gold_dir: str | Path, predictions_or_articles: Any, kind: str) -> tuple[dict[str, Any], str]:
    """The figures (with a ``headline``) and the corpus SHA-256 of one gold folder."""
    if kind == WEB:
        return web.score_pages(gold_dir, _web_records(predictions_or_articles)), web.corpus_sha256(gold_dir)
    gold = load_compartment(gold_dir)
    return metrics.score(gold, _predictions(predictions_or_articles, gold)), corpus.corpus_sha256(gold_dir)


def check(figures: dict[str, Any], section: dict[str, Any]) -> list[str]:
    """Messages for every headline figure below its floor (empty when the gate passes)."""
    tolerance = section.get("tolerance", DEFAULT_TOLERANCE)
    failures = []
    for key, floor in section.get("floors", {}).items():
        value = figures["headline"][key]
        if value < floor - tolerance:
            failures.append(f"{key} {value:.3f} is below the floor {floor:.3f}")
    return failures


def updated(section: dict[str, Any], figures: dict[str, Any], allow_regression: bool,
            keys: Iterable[str] = metrics.HEADLINE) -> dict[str, Any]:
    """The section with floors raised to ``figures`` (lowered only if ``allow_regression``)."""
    floors = dict(section.get("floors", {}))
    for key in keys:
        value = round(figures["headline"][key], 4)
        floors[key] = value if allow_regression or key not in floors else max(floors[key], value)
    return {**section, "floors": floors, "tolerance": section.get("tolerance", DEFAULT_TOLERANCE)}


def read_baseline(path: Path) -> dict[str, Any]:
    """The baseline file as ``{kind: section}`` (a flat older file is the PolNeAR section)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {POLNEAR: data} if "floors" in data else data


def main(gold_dir: str | Path, predictions_or_articles: Any, baseline_path: str | Path | None = None,
         update: bool = False, allow_regression: bool = False, kind: str | None = None) -> int:
    """Check (and optionally update) the floors; print a verdict per figure.

    Args:
        gold_dir: the gold folder scored (normally PolNeAR dev or the web references).
        predictions_or_articles: a predictions JSONL path, ``{id: records}``, or
            an iterable of `onrecord.Article` objects / JSON objects with ``id``.
        baseline_path: the floors file (default: ``onrecord/eval/baseline.json``).
        update: write raised floors when the gate passes (or lowered ones with
            ``allow_regression``).
        allow_regression: pass despite figures below the floors, and let ``update``
            lower them.
        kind: ``"polnear"`` or ``"web"``; detected from the folder when not given.

    Returns:
        0 when the gate passes, 1 on a regression, 2 when the corpus does not match
        the baseline's SHA-256 or the baseline is missing (without ``update``).
    """
    kind = kind or detect_kind(gold_dir)
    figures, sha = figures_and_sha(gold_dir, predictions_or_articles, kind)
    return judge(kind, gold_dir, figures, sha, baseline_path, update, allow_regression)


def judge(kind: str, gold_dir: str | Path, figures: dict[str, Any], sha: str,
          baseline_path: str | Path | None = None, update: bool = False, allow_regression: bool = False) -> int:
    """`main` on figures already computed (the news corpus's are cross-validated: `onrecord.eval.news`)."""
    baseline_path = Path(baseline_path) if baseline_path is not None else BASELINE
    baseline = read_baseline(baseline_path) if baseline_path.is_file() else {}
    if kind not in baseline and not update:
        print(f"gate: no {kind} floors in {baseline_path} (create them with --update-baseline)", file=sys.stderr)
        return ERROR
    section = baseline.get(kind) or {"corpus_sha256": sha, "floors": {}}
    if section.get("corpus_sha256") != sha:
        print(f"gate: {gold_dir} does not match the {kind} corpus of {baseline_path} (SHA-256 differs)",
              file=sys.stderr)
        return ERROR
    failures = check(figures, section)
    for key in HEADLINES[kind]:
        floor = section.get("floors", {}).get(key)
        shown = "none" if floor is None else f"{floor:.3f}"
        print(f"gate: {kind} {key}={figures['headline'][key]:.3f} floor={shown}")
    for failure in failures:
        print(f"gate: REGRESSION {kind} {failure}", file=sys.stderr)
    if failures and not allow_regression:
        return REGRESSION
    if update:
        baseline[kind] = updated(section, figures, allow_regression, HEADLINES[kind])
        baseline_path.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
        print(f"gate: {kind} floors written to {baseline_path}")
    return OK
