"""A regression gate: dev headline figures must not fall below recorded floors.

``baseline.json`` (next to this module by default) holds, per corpus, the SHA-256 of
the corpus files and a floor per headline figure::

    {"corpus_sha256": "…", "floors": {"content_token_f1": 0.71, …}, "tolerance": 0.002}

The gate fails when a figure is below its floor minus the tolerance (the tolerance
absorbs rounding, not real drops). ``update=True`` raises floors to the new figures;
it lowers a floor only with ``allow_regression=True``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .corpus import Record, corpus_sha256, load_compartment
from .metrics import HEADLINE, load_predictions, records_from_json, score

BASELINE = Path(__file__).with_name("baseline.json")
DEFAULT_TOLERANCE = 0.002
OK, REGRESSION, ERROR = 0, 1, 2


def _predictions(value: Any, gold: dict[str, Any]) -> dict[str, list[Record]]:
    """Predictions from a JSONL path, a ``{stem: records}`` mapping, or articles / JSON objects."""
    if isinstance(value, (str, Path)):
        return load_predictions(value, gold)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Iterable):
        return records_from_json((item.to_dict() if hasattr(item, "to_dict") else item for item in value), gold)
    raise TypeError(f"cannot read predictions from {type(value).__name__}")


def check(figures: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Messages for every headline figure below its floor (empty when the gate passes)."""
    tolerance = baseline.get("tolerance", DEFAULT_TOLERANCE)
    failures = []
    for key, floor in baseline.get("floors", {}).items():
        value = figures["headline"][key]
        if value < floor - tolerance:
            failures.append(f"{key} {value:.3f} is below the floor {floor:.3f}")
    return failures


def updated(baseline: dict[str, Any], figures: dict[str, Any], allow_regression: bool) -> dict[str, Any]:
    """The baseline with floors raised to ``figures`` (lowered only if ``allow_regression``)."""
    floors = dict(baseline.get("floors", {}))
    for key in HEADLINE:
        value = round(figures["headline"][key], 4)
        floors[key] = value if allow_regression or key not in floors else max(floors[key], value)
    return {**baseline, "floors": floors, "tolerance": baseline.get("tolerance", DEFAULT_TOLERANCE)}


def main(gold_dir: str | Path, predictions_or_articles: Any, baseline_path: str | Path | None = None,
         update: bool = False, allow_regression: bool = False) -> int:
    """Check (and optionally update) the floors; print a verdict per figure.

    Args:
        gold_dir: the PolNeAR compartment scored (normally dev).
        predictions_or_articles: a predictions JSONL path, ``{stem: records}``, or
            an iterable of `onrecord.Article` objects / JSON objects with ``id``.
        baseline_path: the floors file (default: ``onrecord/eval/baseline.json``).
        update: write raised floors when the gate passes (or lowered ones with
            ``allow_regression``).
        allow_regression: pass despite figures below the floors, and let ``update``
            lower them.

    Returns:
        0 when the gate passes, 1 on a regression, 2 when the corpus does not match
        the baseline's SHA-256 or the baseline is missing (without ``update``).
    """
    baseline_path = Path(baseline_path) if baseline_path is not None else BASELINE
    gold = load_compartment(gold_dir)
    sha = corpus_sha256(gold_dir)
    figures = score(gold, _predictions(predictions_or_articles, gold))
    if baseline_path.is_file():
        baseline = json.loads(baseline_path.read_text(encoding="utf-8"))
    elif update:
        baseline = {"corpus_sha256": sha, "floors": {}}
    else:
        print(f"gate: no baseline at {baseline_path} (create one with --update-baseline)", file=sys.stderr)
        return ERROR
    if baseline.get("corpus_sha256") != sha:
        print(f"gate: {gold_dir} does not match the corpus of {baseline_path} (SHA-256 differs)", file=sys.stderr)
        return ERROR
    failures = check(figures, baseline)
    for key in HEADLINE:
        floor = baseline.get("floors", {}).get(key)
        shown = "none" if floor is None else f"{floor:.3f}"
        print(f"gate: {key}={figures['headline'][key]:.3f} floor={shown}")
    for failure in failures:
        print(f"gate: REGRESSION {failure}", file=sys.stderr)
    if failures and not allow_regression:
        return REGRESSION
    if update:
        baseline_path.write_text(json.dumps(updated(baseline, figures, allow_regression), indent=2) + "\n",
                                 encoding="utf-8")
        print(f"gate: floors written to {baseline_path}")
    return OK
