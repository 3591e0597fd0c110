"""Train the attribution CRF on PolNeAR and measure it on dev.

Usage (CLI: ``onrecord train``)::

    from onrecord.attribute.training import train
    manifest = train("…/polnear/train", dev_dir="…/polnear/dev")

Writes ``attribution.crfsuite`` (the CRF), ``attribution.cues.json`` (cue lemmas the
features use, counted on the training data) and ``attribution.manifest.json``
(training data SHA-256, command, seed, crfsuite parameters, dev figures, date).
crfsuite's L-BFGS training is deterministic and the features do not depend on set or
dict order, so retraining reproduces the model; the seed is recorded and seeds
Python's ``random`` for any future random step.
"""

from __future__ import annotations

from typing import Any

import json
import logging
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .candidates import Found
from ..eval.corpus import GoldArticle, Record, corpus_sha256, load_compartment
from ..eval.metrics import score
from .features import ROLES, FeatureExtractor, bio_labels
from .crf import CUES_SUFFIX, DATA_DIR, MODEL_FILE, LearnedAttributor

logger = logging.getLogger(__name__)

DEFAULT_PARAMS = {
    "c1": 0.05,  # L1 keeps the model small (most of the ~1M features get weight 0)
    "c2": 0.01,
    "max_iterations": 150,  # stacked model: 300 overfits (dev relation F1 .613 vs .626 alone)
    "feature.possible_transitions": True,
    "feature.minfreq": 2,
}
# A lemma is a cue word for the structural features when it is often annotated as
# (part of) a cue in the training data.
_CUE_MIN_COUNT = 5
_CUE_MIN_RATIO = 0.25


def parse(articles: Iterable[GoldArticle], nlp: Language, cache: Path | None = None,
          progress: Callable[[str], None] | None = None) -> list[Doc]:
    """Parse article texts with ``nlp``; optionally cache them as a DocBin file.

    The cache is used only when it holds the same number of docs with the same texts.
    """
    articles = list(articles)
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(articles) and all(d.text == a.text for d, a in zip(docs, articles)):
            return docs
    docs = []
    for n, doc in enumerate(nlp.pipe((a.text for a in articles), batch_size=16), 1):
        docs.append(doc)
        if progress and (n % 50 == 0 or n == len(articles)):
            progress(f"parsed {n}/{len(articles)} articles")
    if cache is not None:
        bin_ = DocBin(store_user_data=False, docs=docs)
        bin_.to_disk(cache)
    return docs


def role_fragments(article: GoldArticle) -> list[tuple[str, int, int]]:
    """Gold fragments ``(ROLE, start, end)`` of an article, cues first.

    Cues go first because a token tagged with two roles keeps the first one, and
    the cue is what the grouping step builds on.
    """
    order = {"cue": 0, "source": 1, "content": 2}
    out = []
    for attribution in article.attributions:
        for role, fragments in attribution.items():
            for start, end in fragments or []:
                out.append((order[role], start, role.upper(), end))
    return [(role, start, end) for _, start, role, end in sorted(out)]


def cue_lemmas(docs: list[Doc], articles: list[GoldArticle]) -> frozenset[str]:
    """Lemmas that are often (part of) a gold cue in the training data."""
    total: Counter[str] = Counter()
    as_cue: Counter[str] = Counter()
    for doc, article in zip(docs, articles):
        labels = bio_labels(doc, role_fragments(article))
        for token, label in zip(doc, labels):
            if token.is_alpha and token.pos_ in ("VERB", "NOUN", "AUX", "ADP"):
                lemma = token.lemma_.lower()
                total[lemma] += 1
                as_cue[lemma] += label.endswith("CUE")
    return frozenset(lemma for lemma, n in as_cue.items()
                     if n >= _CUE_MIN_COUNT and n / total[lemma] >= _CUE_MIN_RATIO)


def rule_attributions(doc: Doc) -> list[Found]:
    """The rules' attributions of a parsed article, outside the spans the pipeline skips.

    The same call as in `onrecord.pipeline`: `Layout.skip_spans` (boilerplate, the date line) is skipped.
    """
    from ..cleaning import analyse_layout
    from .rules import find_attributions

    return find_attributions(doc, analyse_layout(doc.text).skip_spans())


def training_sequences(docs: list[Doc], articles: list[GoldArticle], extractor: FeatureExtractor,
                       stacked: bool = False) -> Iterable[tuple[list[list[str]], list[str]]]:
    """``(features, labels)`` per paragraph of every training article.

    ``stacked``: add the rules' attributions as features (see `rule_attributions`).
    """
    for doc, article in zip(docs, articles):
        labels = bio_labels(doc, role_fragments(article))
        rules = rule_attributions(doc) if stacked else None
        for seq in extractor.sequences(doc, rules):
            yield seq.features, [labels[t] for t in seq.tokens]


def fit(sequences: Iterable[tuple[list[list[str]], list[str]]], model_path: Path, params: dict[str, Any],
        progress: Callable[[str], None] | None = None) -> None:
    """Train a CRF with L-BFGS on the sequences and write it to ``model_path``."""
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):  # type: ignore[misc]
        """Reports every 25th iteration to ``progress``; crfsuite's own log is not printed."""

        def on_iteration(self, log: str, info: dict[str, Any]) -> None:
            if progress and info.get("num", 0) % 25 == 0:
                progress(f"L-BFGS iteration {info['num']}/{params.get('max_iterations', '?')}, "
                         f"loss {info.get('loss', 0):.0f}")

        def _quiet(self, log: str, info: Any = None) -> None:
            pass

        on_start = on_featgen_progress = on_featgen_end = on_prepared = on_optimization_end = on_end = _quiet

    # verbose=True makes crfsuite parse its log into the on_* events above
    trainer = Trainer(verbose=True)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params(params)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))


def predict_records(attributor: LearnedAttributor, docs: list[Doc],
                    articles: list[GoldArticle]) -> dict[str, list[Record]]:
    """Predicted attributions per article stem, in the scorer's record form."""
    out = {}
    for doc, article in zip(docs, articles):
        out[article.stem] = [
            {"source": [found.source] if found.source else None,
             "cue": [found.cue],
             "content": list(found.content) or None}
            for found in attributor.predict(doc, rule_attributions(doc) if attributor.stacked else None)
        ]
    return out


def train(data_dir: str | Path, out: str | Path | None = None, *, dev_dir: str | Path | None = None,
          seed: int = 13, params: dict[str, Any] | None = None, nlp: Language | None = None,
          cache_dir: Path | None = None, command: str | None = None,
          progress: Callable[[str], None] | None = None, stacked: bool = True) -> dict[str, Any]:
    """Train on a PolNeAR compartment, write the model and its manifest, score dev.

    Args:
        data_dir: training compartment (``text/`` and ``attributions/``).
        out: model file; side files go next to it. Default: the packaged model.
        dev_dir: compartment to score after training (figures go into the manifest).
        seed: recorded in the manifest and used to seed Python's ``random``.
        params: crfsuite parameters (default `DEFAULT_PARAMS`).
        nlp: spaCy pipeline (default: `onrecord.nlp.load_nlp`, the pipeline that
            extraction uses, so that training sees the same sentence splits).
        cache_dir: where to keep parsed corpora between runs (for experiments).
        command: the command line recorded in the manifest.
        progress: called with a short message at each stage (the CLI prints them).
        stacked: give the CRF the rules' attributions as features (recorded in the
            cue side file; the pipeline then runs the rules before the model).

    Returns:
        The manifest as written.
    """
    random.seed(seed)
    started = time.time()
    model_path = Path(out) if out is not None else DATA_DIR / MODEL_FILE
    params = dict(DEFAULT_PARAMS if params is None else params)
    if nlp is None:
        from ..nlp import load_nlp

        nlp = load_nlp()
    articles = list(load_compartment(data_dir).values())
    docs = parse(articles, nlp, cache_dir / "train.spacy" if cache_dir else None, progress)
    logger.info("parsed %d training articles in %.0fs", len(docs), time.time() - started)

    cues = cue_lemmas(docs, articles)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model_path.with_suffix(CUES_SUFFIX).write_text(
        json.dumps({"cue_lemmas": sorted(cues), "stacked": stacked}, indent=0) + "\n", encoding="utf-8")
    extractor = FeatureExtractor(cues)
    fit(training_sequences(docs, articles, extractor, stacked), model_path, params, progress)
    train_seconds = time.time() - started
    logger.info("trained in %.0fs", train_seconds)

    manifest = {
        "model": model_path.name,
        "labels": ["O"] + [f"{b}-{r}" for r in ROLES for b in "BI"],
        "training_data": str(data_dir),
        "training_data_sha256": corpus_sha256(data_dir),
        "training_articles": len(articles),
        "command": command or " ".join(sys.argv),
        "seed": seed,
        "crfsuite_params": params,
        "cue_lemmas": len(cues),
        "stacked": stacked,
        "train_seconds": round(train_seconds),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if dev_dir is not None:
        dev_articles = list(load_compartment(dev_dir).values())
        dev_docs = parse(dev_articles, nlp, cache_dir / "dev.spacy" if cache_dir else None)
        attributor = LearnedAttributor.load(model_path)
        figures = score({a.stem: a for a in dev_articles}, predict_records(attributor, dev_docs, dev_articles))
        manifest["dev_data"] = str(dev_dir)
        manifest["dev_data_sha256"] = corpus_sha256(dev_dir)
        manifest["dev_figures"] = {"headline": figures["headline"], "relation": figures["relation"],
                                   "kind_recall": figures["kind_recall"]}
    model_path.with_suffix(".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                                                 encoding="utf-8")
    return manifest
