"""Train the attribution CRF on PolNeAR and measure it on dev.

Usage (CLI: ``onrecord train``)::

    from onrecord.training.crf import train
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
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..attribute.committee import complement_verbs
from ..attribute.candidates import Found
from ..attribute.crf import CUES_SUFFIX, DATA_DIR, MODEL_FILE, LearnedAttributor
from ..attribute.features import ROLES, FeatureExtractor, bio_labels
from ..errors import ModelError
from ..eval.corpus import GoldArticle, Record, corpus_sha256, load_compartment
from ..eval.metrics import score

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
    from ..attribute.rules import find_attributions

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


def fit_tagger(docs: list[Doc], articles: list[GoldArticle], model_path: Path, params: dict[str, Any],
               stacked: bool = True, progress: Callable[[str], None] | None = None) -> frozenset[str]:
    """Fit the CRF on parsed articles; write it and its cue side file. Returns the cue lemmas."""
    cues = cue_lemmas(docs, articles)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model_path.with_suffix(CUES_SUFFIX).write_text(
        json.dumps({"cue_lemmas": sorted(cues), "stacked": stacked}, indent=0) + "\n", encoding="utf-8")
    fit(training_sequences(docs, articles, FeatureExtractor(cues), stacked), model_path, params, progress)
    return cues


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

    cues = fit_tagger(docs, articles, model_path, params, stacked, progress)
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


# --- The candidate filter (`onrecord.attribute.filter`) ---------------------------------------------

# Logistic regression: inverse L2 strength, and the thresholds tried on dev.
FILTER_C = 0.1
FILTER_THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(1, 19))
# Candidates below the floor figures on dev (content token / source exact / cue exact F1) are
# not chosen: the filter must not buy relation F1 with the other figures.
FILTER_FLOORS = {"content_token_f1": 0.849, "source_exact_f1": 0.741, "cue_exact_f1": 0.678}


def filter_examples(doc: Doc, article: GoldArticle | None = None, *, model: Any = None,
                    extra: bool = True, rules_out: list[Found] | None = None) -> list[tuple[Found, int]]:
    """The filter's candidates of one article with labels (1: the cue matches a gold cue).

    The candidates are what `attribute()` proposes before filtering, with ``model`` (a
    `LearnedAttributor`; default: the packaged one); with ``extra``, also every rule
    attribution the merge left out (origin "extra") and every other verb with a complement
    (origin "verb", `attribute.committee.complement_verbs`). Without ``article`` every label is 0. The rules'
    attributions (a feature of the filter) are appended to ``rules_out`` when given.
    """
    from ..cleaning import analyse_layout
    from ..attribute import _learned, propose

    skip = analyse_layout(doc.text).skip_spans()
    candidates, rules = propose(doc, model if model is not None else _learned(), skip=skip)
    if rules_out is not None:
        rules_out.extend(rules)
    if extra:
        seen = {f.cue for f in candidates}
        candidates += [replace(r, origin="extra") for r in rules
                       if not any(a < r.cue[1] and r.cue[0] < b for a, b in seen)]
        candidates += complement_verbs(doc, candidates)
    gold_cues: list[tuple[int, int]] = []
    if article is not None:
        gold_cues = [(s, e) for a in article.attributions for s, e in a.get("cue") or []]

    return [(f, cue_matches(doc.text, f.cue, gold_cues)) for f in candidates]


def cue_matches(text: str, cue: tuple[int, int], gold_cues: Iterable[tuple[int, int]]) -> int:
    """1 where ``cue`` overlaps a gold cue in a word character, as the scorer counts cue overlap
    (any character for ":" cues), else 0."""
    s, e = cue
    return int(any(gs < e and s < ge and (any(ch.isalnum() for ch in text[max(s, gs):min(e, ge)])
                                          or not any(ch.isalnum() for ch in text[gs:ge]))
                   for gs, ge in gold_cues))


def _records(found: Iterable[Found]) -> list[Record]:
    return [{"source": [f.source] if f.source else None, "cue": [f.cue], "content": list(f.content) or None}
            for f in found]


def fit_filter(examples: list[tuple[list[str], int]], c: float = FILTER_C, seed: int = 13,
               sample_weight: list[float] | None = None) -> dict[str, float]:
    """Logistic-regression weights per feature (``bias`` the intercept), fitted with scikit-learn.

    ``sample_weight``: each example's weight (default: all 1).
    """
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as err:  # training only: prediction reads the weights without scikit-learn
        raise ModelError("training the filter needs scikit-learn (pip install 'onrecord[train]')") from err
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{name: 1 for name in feats if name != "bias"} for feats, _ in examples])
    y = [label for _, label in examples]
    x = x.tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear wants 32-bit
    model = LogisticRegression(C=c, max_iter=2000, solver="liblinear", random_state=seed)
    model.fit(x, y, sample_weight=sample_weight)
    weights = {name: float(w) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])}
    weights["bias"] = float(model.intercept_[0])
    return weights


def choose_threshold(scored: dict[str, list[tuple[Found, float]]], gold: dict[str, GoldArticle],
                     thresholds: Iterable[float] = FILTER_THRESHOLDS,
                     floors: dict[str, float] | None = None) -> tuple[float, list[dict[str, Any]]]:
    """The threshold with the best relation F1 on ``gold`` that keeps the other figures above ``floors``.

    Candidates the filter does not judge (`filter.exempt`) are kept at every threshold. Returns
    the threshold and the figures of every threshold tried (0.0 keeps everything).
    """
    from ..attribute.filter import exempt

    floors = FILTER_FLOORS if floors is None else floors
    scored = {stem: [(f, 1.0 if exempt(f, [g for g, _ in items]) else p) for f, p in items]
              for stem, items in scored.items()}
    tried = []
    for threshold in (0.0, *thresholds):
        figures = score(gold, {stem: _records(f for f, p in items if p >= threshold)
                               for stem, items in scored.items()})
        row = {"threshold": threshold, **{k: round(v, 4) for k, v in figures["headline"].items()},
               "relation_p": round(figures["relation"]["p"], 4), "relation_r": round(figures["relation"]["r"], 4)}
        tried.append(row)
    allowed = [r for r in tried if all(r[k] >= v for k, v in floors.items())] or tried[:1]
    best = max(allowed, key=lambda r: (r["relation_f1"], r["threshold"]))
    return float(best["threshold"]), tried


def crossfit_models(docs: list[Doc], articles: list[GoldArticle], folds: int, work_dir: Path,
                    params: dict[str, Any] | None = None,
                    progress: Callable[[str], None] | None = None) -> list[LearnedAttributor]:
    """One stacked CRF per fold, each trained without the articles ``i`` with ``i % folds == k``.

    The packaged CRF has seen every training article: on them it is nearly always right
    (PolNeAR train: 19,396 of its 19,446 candidates match a gold cue, against 1,536 of 1,862
    on dev), so a filter trained on its output would learn to trust it blindly. Each training
    article's candidates come from the fold model that did not see it, as on new text.
    Models already in ``work_dir`` are reused (experiments); training is deterministic.
    """
    models = []
    for k in range(folds):
        path = work_dir / f"fold{k}.crfsuite"
        if not path.is_file():
            keep = [i for i in range(len(docs)) if i % folds != k]
            fold_docs, fold_articles = [docs[i] for i in keep], [articles[i] for i in keep]
            cues = cue_lemmas(fold_docs, fold_articles)
            path.with_suffix(CUES_SUFFIX).write_text(
                json.dumps({"cue_lemmas": sorted(cues), "stacked": True}) + "\n", encoding="utf-8")
            fit(training_sequences(fold_docs, fold_articles, FeatureExtractor(cues), True), path,
                dict(DEFAULT_PARAMS if params is None else params), progress)
            if progress:
                progress(f"fold model {k + 1}/{folds} trained")
        models.append(LearnedAttributor.load(path))
    return models


def crossfit_examples(docs: list[Doc], articles: list[GoldArticle], folds: int, work_dir: Path,
                      crf_params: dict[str, Any] | None = None,
                      progress: Callable[[str], None] | None = None) -> list[tuple[list[str], int]]:
    """The filter's examples (features, label) of training articles, each article's candidates from the
    fold CRF that did not see it (`crossfit_models`)."""
    from ..attribute.filter import context, features

    models = crossfit_models(docs, articles, folds, work_dir, crf_params, progress)
    examples: list[tuple[list[str], int]] = []
    for n, (doc, article) in enumerate(zip(docs, articles), 1):
        rules: list[Found] = []
        found = filter_examples(doc, article, model=models[(n - 1) % folds], rules_out=rules)
        ctx = context(doc, rules)
        examples += [(features(doc, f, ctx), label) for f, label in found]
        if progress and (n % 100 == 0 or n == len(docs)):
            progress(f"candidates of {n}/{len(docs)} articles ({len(examples)} so far)")
    return examples


def train_filter(data_dir: str | Path, out: str | Path | None = None, *, dev_dir: str | Path | None = None,
                 seed: int = 13, c: float = FILTER_C, folds: int = 2, nlp: Language | None = None,
                 cache_dir: Path | None = None, command: str | None = None,
                 progress: Callable[[str], None] | None = None, limit: int | None = None,
                 crf_params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train the candidate filter on a PolNeAR compartment and choose its threshold on dev.

    Training candidates come from CRFs cross-fitted on the training data (`crossfit_models`,
    ``folds`` of them); dev candidates from the packaged CRF, as in extraction, so retrain the
    filter after retraining the CRF. Writes ``attribution.filter.json`` (the weights and
    threshold) and ``attribution.filter.manifest.json`` next to it.

    Args:
        data_dir: training compartment; dev_dir: where the threshold is chosen (without it
            the threshold is 0.5).
        out: the filter file (default: the packaged one).
        seed, c: the logistic regression's seed and inverse regularisation strength.
        cache_dir: where parsed corpora and fold models are kept between runs (experiments).
        limit: use the first ``limit`` articles of each compartment only (tests).
        crf_params: crfsuite parameters of the fold models (default `DEFAULT_PARAMS`).

    Returns:
        The manifest as written.
    """
    import tempfile

    from ..attribute.filter import DATA_DIR as FILTER_DIR, FILTER_FILE, AttributionFilter, context

    random.seed(seed)
    started = time.time()
    path = Path(out) if out is not None else FILTER_DIR / FILTER_FILE
    if nlp is None:
        from ..nlp import load_nlp

        nlp = load_nlp()
    articles = list(load_compartment(data_dir).values())[:limit]
    cached = cache_dir if limit is None else None
    docs = parse(articles, nlp, cached / "train.spacy" if cached else None, progress)
    with tempfile.TemporaryDirectory() as scratch:
        examples = crossfit_examples(docs, articles, folds, cached or Path(scratch), crf_params, progress)
    positives = sum(label for _, label in examples)
    weights = fit_filter(examples, c, seed)
    threshold, tried = 0.5, list[dict[str, Any]]()
    manifest: dict[str, Any] = {
        "model": path.name,
        "kind": "logistic regression over candidate features (onrecord.attribute.filter)",
        "training_data": str(data_dir),
        "training_data_sha256": corpus_sha256(data_dir),
        "training_articles": len(articles),
        "training_candidates": len(examples),
        "training_positives": positives,
        "crossfit_folds": folds,
        "features": len(weights),
        "command": command or " ".join(sys.argv),
        "seed": seed,
        "c": c,
        "crf_model_sha256": _sha256(DATA_DIR / MODEL_FILE),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if dev_dir is not None:
        gold = load_compartment(dev_dir)
        dev_articles = list(gold.values())[:limit]
        dev_docs = parse(dev_articles, nlp, cached / "dev.spacy" if cached else None)
        flt = AttributionFilter(weights)
        scored = {}
        for doc, article in zip(dev_docs, dev_articles):
            rules: list[Found] = []
            found = filter_examples(doc, extra=False, rules_out=rules)
            ctx = context(doc, rules)
            scored[article.stem] = [(f, flt.probability(doc, f, ctx)) for f, _ in found]
        threshold, tried = choose_threshold(scored, {a.stem: a for a in dev_articles})
        manifest.update(dev_data=str(dev_dir), dev_data_sha256=corpus_sha256(dev_dir), threshold=threshold,
                        dev_figures=next(r for r in tried if r["threshold"] == threshold),
                        dev_unfiltered=tried[0], dev_thresholds=tried)
    manifest["train_seconds"] = round(time.time() - started)
    AttributionFilter(weights, threshold, {"trained": manifest["date"], "seed": seed}).save(path)
    path.with_suffix(".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _sha256(path: Path) -> str | None:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
