"""Evaluation: PolNeAR, web pages with snippet references and the sample, as the reference scorers score them.

- `onrecord.eval.corpus`: read a compartment (texts and gold attributions).
- `onrecord.eval.metrics`: the figures of ``polnear_score.py`` plus recall per
  content kind and figures per outlet; the relation matching every scorer shares.
- `onrecord.eval.sample`: one article against a reference with offsets (``sample_score.py``).
- `onrecord.eval.web`: web pages against snippet references (``web_score.py``).
- `onrecord.eval.kinds`: which kind of reference a gold path holds.
- `onrecord.eval.summary`: several references side by side in one table.
- `onrecord.eval.gate`: dev headline figures (PolNeAR and web) checked against floors in ``baseline.json``.
- the ``onrecord eval`` command is `onrecord.cli.eval`.
"""

from __future__ import annotations

from .corpus import GoldArticle, corpus_sha256, load_compartment
from .metrics import format_table, headline_line, load_predictions, score

__all__ = ["GoldArticle", "corpus_sha256", "format_table", "headline_line", "load_compartment",
           "load_predictions", "score"]
