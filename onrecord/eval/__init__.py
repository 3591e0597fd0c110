"""Evaluation on PolNeAR: corpus reader, the reference scorer's figures, a regression gate.

- `onrecord.eval.corpus`: read a compartment (texts and gold attributions).
- `onrecord.eval.metrics`: the figures of ``polnear_score.py`` plus recall per
  content kind and figures per outlet.
- `onrecord.eval.gate`: dev headline figures checked against floors in ``baseline.json``.
- `onrecord.eval.commands`: the ``onrecord eval`` and ``onrecord train`` commands.
"""

from __future__ import annotations

from .corpus import GoldArticle, corpus_sha256, load_compartment
from .metrics import format_table, headline_line, load_predictions, score

__all__ = ["GoldArticle", "corpus_sha256", "format_table", "headline_line", "load_compartment",
           "load_predictions", "score"]
