"""One article against a hand-made reference with offsets, scored as ``sample_score.py`` does.

A reference (``examples/<id>.gold.json``, its text the ``<id>.txt`` beside it) lists
attributions with spans (``{"start", "end", "text"}`` or a list of them) and the fields a
reader sees: stance, speaker, statement date, kind. Attributions are matched one-to-one
by the relation rule of `onrecord.eval.metrics.relation_pairs`; on each matched pair:

- ``stance``, ``speaker_type``, ``kind``: equal values;
- ``speaker_name`` (only where the reference names a speaker): the predicted name,
  lower-cased, equals the reference's or contains its last word ("Putin" in "Vladimir Putin");
- ``statement_date``: equal, or the prediction begins with a partial reference date ("2024-02").

A reference value may be a list of acceptable values. Article fields: title (trimmed),
published (date part), boilerplate (every reference span overlapped by a predicted one).
Predicted attributions that match nothing are spurious.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .corpus import ROLES, Fragments, Record
from .metrics import relation_pairs

FIELDS = ("stance", "speaker_type", "speaker_name", "statement_date", "kind")
SUFFIX = ".gold.json"


def fragments_of(span: object) -> Fragments | None:
    """``{"start", "end"}`` or a list of them as ``[(start, end), ...]`` (None stays None)."""
    if span is None:
        return None
    items: list[Any] = span if isinstance(span, list) else [span]
    return [(int(item["start"]), int(item["end"])) for item in items]


def span_text(span: object) -> str:
    """The ``text`` of a span or of its fragments, joined by an ellipsis."""
    items = span if isinstance(span, list) else [span]
    return " … ".join(item.get("text", "") for item in items if isinstance(item, dict))


def describe(attribution: dict[str, Any]) -> str:
    """``cue / content`` (content cut at 60 characters), as the scorers list misses."""
    return span_text(attribution.get("cue")) + " / " + span_text(attribution.get("content"))[:60]


def _field(attribution: dict[str, Any], name: str) -> object:
    speaker = attribution.get("speaker") or {}
    if name == "speaker_type":
        return speaker.get("type")
    if name == "speaker_name":
        return speaker.get("name")
    return attribution.get(name)


def agrees(name: str, gold: object, pred: object) -> bool:
    """Whether a predicted field value is one the reference accepts."""
    if isinstance(gold, list):  # several readings are right
        return any(agrees(name, option, pred) for option in gold)
    if name == "statement_date" and isinstance(gold, str) and isinstance(pred, str):
        return pred.startswith(gold)  # "2024-02" accepts any day of that month
    if name == "speaker_name":
        if not isinstance(pred, str):
            return False
        gold_name, pred_name = str(gold).lower(), pred.lower()
        words = gold_name.split()
        return pred_name == gold_name or bool(words) and words[-1] in pred_name
    return gold == pred


def _roles(attributions: list[dict[str, Any]]) -> list[Record]:
    return [{role: fragments_of(a.get(role)) for role in ROLES} for a in attributions]


def score_article(gold: dict[str, Any], text: str, predicted: dict[str, Any]) -> dict[str, Any]:
    """The figures of one article: matched, missed, spurious, attribute fields, article fields.

    Args:
        gold: the reference, spans with offsets into ``text``.
        text: the article text the offsets point into.
        predicted: one record of ``onrecord extract --format jsonl``.
    """
    gold_attrs = gold["attributions"]
    pred_attrs = predicted.get("attributions") or []
    pairs = relation_pairs(text, _roles(gold_attrs), _roles(pred_attrs))
    checks = {name: [0, 0] for name in FIELDS}
    rows = []
    for i, j in pairs:
        row: dict[str, Any] = {"gold": i, "pred": j}
        for name in FIELDS:
            want = _field(gold_attrs[i], name)
            if name == "speaker_name" and want is None:
                continue  # an unnamed source: nothing to compare
            ok = agrees(name, want, _field(pred_attrs[j], name))
            checks[name][0] += ok
            checks[name][1] += 1
            row[name] = ok
        rows.append(row)
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    boiler_pred = [(b["start"], b["end"]) for b in predicted.get("boilerplate") or []]
    boilerplate_ok = all(any(s < b["end"] and b["start"] < e for s, e in boiler_pred)
                         for b in gold.get("boilerplate") or [])
    return {
        "gold_attributions": len(gold_attrs),
        "predicted_attributions": len(pred_attrs),
        "matched": len(pairs),
        "missed": [describe(a) for i, a in enumerate(gold_attrs) if i not in matched_gold],
        "spurious": [describe(a) for j, a in enumerate(pred_attrs) if j not in matched_pred],
        "fields": {name: {"correct": c, "of": n} for name, (c, n) in checks.items()},
        "pairs": rows,
        "title": int((predicted.get("title") or "").strip() == (gold.get("title") or "").strip()),
        "published": int(str(predicted.get("published") or "")[:10] == str(gold.get("published") or "")[:10]),
        "boilerplate": int(boilerplate_ok),
    }


def attribute_counts(figures: dict[str, Any]) -> tuple[int, int]:
    """Attribute fields right on matched pairs, and how many were compared."""
    fields = figures["fields"].values()
    return sum(f["correct"] for f in fields), sum(f["of"] for f in fields)


def headline_line(figures: dict[str, Any]) -> str:
    """``sample_score.py``'s last line."""
    correct, total = attribute_counts(figures)
    return (f"headline: matched={figures['matched']}/{figures['gold_attributions']} "
            f"attributes={correct}/{total} title={figures['title']} "
            f"published={figures['published']} boilerplate={figures['boilerplate']} "
            f"predicted={figures['predicted_attributions']}")


def format_report(figures: dict[str, Any]) -> str:
    """Fields, misses, spurious attributions, then the headline (``sample_score.py``'s layout)."""
    lines = [f"{name:15} {f['correct']}/{f['of']}" for name, f in figures["fields"].items()]
    lines += [f"missed: {m}" for m in figures["missed"]]
    lines += [f"spurious: {s}" for s in figures["spurious"]]
    lines.append(headline_line(figures))
    return "\n".join(lines)


def load_reference(path: str | Path) -> tuple[dict[str, Any], str]:
    """A reference and the text beside it (``<id>.gold.json`` and ``<id>.txt``).

    Raises:
        OSError: the reference or its text cannot be read.
        ValueError: the reference is not JSON.
    """
    path = Path(path)
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = path.with_name(path.name.removesuffix(SUFFIX) + ".txt").read_text(encoding="utf-8")
    return gold, text
