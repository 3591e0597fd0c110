"""Figures of several references side by side in one table (PolNeAR dev, web dev, the sample, news).

The rows every kind shares use one rule: an attribution is matched when its content
token-F1 is >= 0.5, the cues overlap and the sources overlap or are both null, so
PolNeAR's relation P/R/F1 and the web precision/recall are the same measure. Rows a kind
does not have are shown as ``-``.
"""

from __future__ import annotations

from typing import Any

from .kinds import NEWS, POLNEAR, SAMPLE, WEB
from .sample import attribute_counts

ROWS = ("articles", "reference attributions", "predicted", "matched", "precision", "recall", "f1",
        "content token F1", "source exact F1", "cue exact F1", "attributes", "title", "published", "unlocated")


def _ratio(value: float) -> str:
    return f"{value:.3f}"


def summarize(kind: str, figures: dict[str, Any]) -> dict[str, str]:
    """The table's cells for the figures of one reference (rows it lacks are absent)."""
    if kind == POLNEAR:
        relation, headline = figures["relation"], figures["headline"]
        return {"articles": str(figures["articles"]), "reference attributions": str(relation["gold"]),
                "predicted": str(relation["pred"]), "matched": str(relation["tp"]),
                "precision": _ratio(relation["p"]), "recall": _ratio(relation["r"]), "f1": _ratio(relation["f1"]),
                "content token F1": _ratio(headline["content_token_f1"]),
                "source exact F1": _ratio(headline["source_exact_f1"]),
                "cue exact F1": _ratio(headline["cue_exact_f1"])}
    if kind in (WEB, NEWS):  # the news corpus: web_score.py's figures over every held-out fold
        pages = figures["pages"]
        return {"articles": str(pages), "reference attributions": str(figures["gold"]),
                "predicted": str(figures["predicted"]), "matched": str(figures["matched"]),
                "precision": _ratio(figures["precision"]), "recall": _ratio(figures["recall"]),
                "f1": _ratio(figures["f1"]), "attributes": f"{figures['correct']}/{figures['checks']}",
                "title": f"{figures['title']}/{pages}", "published": f"{figures['published']}/{pages}",
                "unlocated": str(figures["unlocated"])}
    if kind == SAMPLE:
        gold, pred, matched = figures["gold_attributions"], figures["predicted_attributions"], figures["matched"]
        p = matched / pred if pred else 0.0
        r = matched / gold if gold else 0.0
        correct, total = attribute_counts(figures)
        return {"articles": "1", "reference attributions": str(gold), "predicted": str(pred),
                "matched": str(matched), "precision": _ratio(p), "recall": _ratio(r),
                "f1": _ratio(2 * p * r / (p + r) if p + r else 0.0), "attributes": f"{correct}/{total}",
                "title": f"{figures['title']}/1", "published": f"{figures['published']}/1"}
    raise ValueError(f"unknown kind {kind!r}")


def side_by_side(columns: list[tuple[str, str, dict[str, Any]]]) -> str:
    """One text table: a row per figure, a column per ``(label, kind, figures)``."""
    cells = [summarize(kind, figures) for _, kind, figures in columns]
    rows = [row for row in ROWS if any(row in c for c in cells)]
    first = max(len(row) for row in rows) + 2
    widths = [max(len(label), 9) + 2 for label, _, _ in columns]
    lines = [" " * first + "".join(f"{label:>{w}}" for (label, _, _), w in zip(columns, widths))]
    for row in rows:
        lines.append(f"{row:<{first}}" + "".join(f"{c.get(row, '-'):>{w}}" for c, w in zip(cells, widths)))
    return "\n".join(lines)
