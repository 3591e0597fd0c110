"""Train the learned filter on PolNeAR train and the news corpus together, fold by fold.

Usage (CLI: ``onrecord train --model filter --news data/news``)::

    from onrecord.training.news import train_news_filters
    manifest = train_news_filters("data/news", "../shared/data/news/pages", "../shared/data/polnear/train",
                                  dev_dir="../shared/data/polnear/dev")

The two corpora follow different conventions. PolNeAR annotates requests, plans and
endorsements and leaves nested statements out; the news corpus follows onrecord's own
(`../shared/data/web/README.md`). The filter learns from both by feature augmentation
(Daumé III, "Frustratingly easy domain adaptation", 2007): every feature is seen once as
itself, shared by both corpora, and once as a copy of its corpus (``polnear:`` / ``news:``),
so that what only PolNeAR's conventions count as an attribution is learned by the PolNeAR
copies. The filter written keeps the shared weights plus the news copies (onrecord's own
conventions), so prediction reads one weight per feature as before. Requests and plans are
dropped after the filter anyway (`onrecord.attribute.proposition`), and nested statements
are not judged by it (`filter.exempt`).

The news candidates are those the default proposes before its decision: the transformer's
and the CRF's (each merged with the rules), every rule attribution left out, and every other
verb with a complement. The transformer learned from PolNeAR only; the CRF of a page is one
that never saw it (`train_news_taggers` writes one per fold; without them, the packaged CRF, which
then learned from PolNeAR only), so the candidates of a news page are those of a page the taggers
never saw. Writes one filter per fold of the news corpus
(trained without that fold's pages: `onrecord.eval.news.crossvalidate` scores each fold with
its own) and the packaged filter, trained on every page. The threshold, 0.15, is below the
logistic regression's 0.5 because the default's committee asks the filter about the candidates
both taggers agree on too; it was chosen on the development sets (web dev, PolNeAR dev) among
0.5, 0.25 and 0.15, never on the news folds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..attribute.candidates import Found, Offsets
from ..eval import news
from ..eval.corpus import GoldArticle, corpus_sha256, load_compartment
from ..eval.web import corpus_sha256 as references_sha256, load_references
from ..attribute.committee import complement_verbs
from ..attribute.features import ROLES
from .crf import DEFAULT_PARAMS, FILTER_C, crossfit_examples, cue_matches, fit_filter, fit_tagger, parse

logger = logging.getLogger(__name__)

Example = tuple[list[str], int]
Progress = Callable[[str], None]

# The corpus copies of the features (see the module docstring).
POLNEAR_COPY, NEWS_COPY, CORPUS_BIAS = "polnear:", "news:", "__corpus__"
THRESHOLD = 0.15
# The CRF sees each news page this many times: 82 pages beside 840 PolNeAR articles would
# otherwise hardly move it (chosen before measuring, not tuned)
NEWS_REPEAT = 2


def augmented(features: list[str], copy: str) -> list[str]:
    """``features`` with their copy for one corpus and that corpus's own intercept."""
    return [*features, *(copy + f for f in features if f != "bias"), copy + CORPUS_BIAS]


def news_weights(weights: dict[str, float]) -> dict[str, float]:
    """The filter's weights on news: each shared weight plus its news copy (PolNeAR copies dropped)."""
    out: dict[str, float] = {}
    for name, weight in weights.items():
        if name.startswith(POLNEAR_COPY):
            continue
        if name.startswith(NEWS_COPY):
            name = name[len(NEWS_COPY):]
            name = "bias" if name == CORPUS_BIAS else name
        out[name] = out.get(name, 0.0) + weight
    return out


def default_candidates(doc: Doc, tagger: Path | None = None) -> tuple[list[Found], list[Found]]:
    """What the default mode proposes for ``doc`` before its decision (with the CRF ``tagger``, else
    the packaged one), and the rules' attributions."""
    from ..attribute import _learned, committee_candidates
    from ..cleaning import analyse_layout

    model = _learned(str(tagger) if tagger is not None else None)
    found, other, rules = committee_candidates(doc, model, analyse_layout(doc.text).skip_spans())
    candidates = list(found)
    seen = {(f.cue, f.content) for f in candidates}
    candidates += [f for f in other if (f.cue, f.content) not in seen]
    cues = [f.cue for f in candidates]
    candidates += [replace(r, origin="extra") for r in rules
                   if not any(a < r.cue[1] and r.cue[0] < b for a, b in cues)]
    candidates += complement_verbs(doc, candidates)
    return candidates, rules


def news_candidates(texts: dict[str, str], nlp: Language, cache_dir: Path | None = None,
                    progress: Progress | None = None, taggers: dict[str, Path] | None = None
                    ) -> dict[str, list[tuple[list[str], Offsets]]]:
    """The filter's features and the cue of every candidate (`default_candidates`) of each page.

    ``taggers``: the CRF of each page, one that did not train on it (`train_news_taggers`); pages
    without one get the packaged CRF. With ``cache_dir`` the candidates are kept there (JSON Lines,
    named by the SHA-256 of the texts and of the taggers' files): they depend on those only, not on
    the references.
    """
    from ..attribute.crf import DATA_DIR, MODEL_FILE
    from ..attribute.filter import context, features

    taggers = taggers or {}
    digest = hashlib.sha256("".join(f"{page}\0{text}\0{taggers.get(page, '')}\0"
                                    for page, text in sorted(texts.items())).encode())
    for tagger in sorted({DATA_DIR / MODEL_FILE, DATA_DIR / "attribution-transformer.safetensors",
                          *taggers.values()}):
        digest.update(tagger.read_bytes() if tagger.is_file() else b"")
    cached = cache_dir / f"news-candidates-{digest.hexdigest()[:16]}.jsonl" if cache_dir else None
    if cached is not None and cached.is_file():
        out: dict[str, list[tuple[list[str], Offsets]]] = {}
        for line in cached.read_text(encoding="utf-8").splitlines():
            page, feats, cue = json.loads(line)
            out.setdefault(page, []).append((feats, (cue[0], cue[1])))
        return {page: out.get(page, []) for page in texts}
    out = {}
    # page by page, grouped by CRF: each is loaded once
    for n, (page, text) in enumerate(sorted(texts.items(), key=lambda item: (str(taggers.get(item[0], "")), item[0])),
                                     1):
        doc = nlp(text)
        candidates, rules = default_candidates(doc, taggers.get(page))
        ctx = context(doc, rules)
        out[page] = [(features(doc, f, ctx), f.cue) for f in candidates]
        if progress and (n % 10 == 0 or n == len(texts)):
            progress(f"news candidates of {n}/{len(texts)} pages")
    if cached is not None:
        cached.write_text("".join(json.dumps([page, feats, list(cue)]) + "\n"
                                  for page, items in out.items() for feats, cue in items), encoding="utf-8")
    return out


def news_examples(candidates: dict[str, list[tuple[list[str], Offsets]]],
                  articles: Sequence[GoldArticle]) -> dict[str, list[Example]]:
    """The examples of each page: 1 where a candidate's cue matches a reference cue."""
    out = {}
    for article in articles:
        gold_cues = [(s, e) for a in article.attributions for s, e in a.get("cue") or []]
        out[article.stem] = [(feats, cue_matches(article.text, cue, gold_cues))
                             for feats, cue in candidates.get(article.stem, [])]
    return out


def polnear_examples(data_dir: str | Path, nlp: Language, cache_dir: Path | None,
                     progress: Progress | None = None, folds: int = 2) -> list[Example]:
    """PolNeAR train's examples as `train_filter` makes them (candidates of cross-fitted CRFs).

    With ``cache_dir`` they are kept there (JSON Lines, named by the corpus's SHA-256) for the next run.
    """
    import tempfile


    cached = cache_dir / f"polnear-examples-{corpus_sha256(data_dir)[:16]}.jsonl" if cache_dir else None
    if cached is not None and cached.is_file():
        rows = (json.loads(line) for line in cached.read_text(encoding="utf-8").splitlines())
        return [(row[0], int(row[1])) for row in rows]
    articles = list(load_compartment(data_dir).values())
    docs = parse(articles, nlp, cache_dir / "train.spacy" if cache_dir else None, progress)
    with tempfile.TemporaryDirectory() as scratch:
        examples = crossfit_examples(docs, articles, folds, cache_dir or Path(scratch), None, progress)
    if cached is not None:
        cached.write_text("".join(json.dumps([f, label]) + "\n" for f, label in examples), encoding="utf-8")
    return examples


def train_news_taggers(corpus: str | Path, pages: str | Path, data_dir: str | Path, *,
                       out: str | Path | None = None, params: dict[str, Any] | None = None,
                       repeat: int = NEWS_REPEAT, nlp: Language | None = None, cache_dir: Path | None = None,
                       command: str | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """Write the CRFs trained on PolNeAR train and the news corpus: one per fold of the news corpus
    (without that fold's pages: ``corpus/models/crf.fold<k>.crfsuite``, which `eval.news.crossvalidate`
    and `train_news_filters` use for that fold's pages) and the one trained on every page (``out``,
    default the packaged CRF).

    The CRF has no corpus copies of its features (the filter's domain adaptation): both corpora
    mark cues, sources and contents the same way, and where PolNeAR annotates requests and plans the
    statements are dropped after the decision (`onrecord.attribute.proposition`). A nested
    statement's tokens keep the role of the statement listed first (`crf.role_fragments`).

    Returns:
        The manifest (written next to ``out`` and as ``corpus/models/crf.manifest.json``).
    """
    from ..attribute.crf import DATA_DIR, MODEL_FILE

    started = time.time()
    params = dict(DEFAULT_PARAMS if params is None else params)
    if nlp is None:
        from ..nlp import load_nlp

        nlp = load_nlp()
    polnear = list(load_compartment(data_dir).values())
    polnear_docs = parse(polnear, nlp, cache_dir / "train.spacy" if cache_dir else None, progress)
    references = load_references(Path(corpus) / news.GOLD)
    texts = news.read_texts((g["id"] for _, g in references), pages)
    articles = news.gold_articles(references, texts)
    docs = parse(articles, nlp, cache_dir / "news.spacy" if cache_dir else None, progress)
    fold = news.folds(a.stem for a in articles)
    models = Path(corpus) / news.MODELS
    models.mkdir(parents=True, exist_ok=True)

    def fitted(excluded: int | None, path: Path) -> None:
        mine = [(d, a) for d, a in zip(docs, articles) if fold[a.stem] != excluded]
        fit_tagger(polnear_docs + [d for d, _ in mine] * repeat, polnear + [a for _, a in mine] * repeat,
                   path, params, progress=progress)

    for k in range(news.FOLDS):
        fitted(k, news.fold_tagger(corpus, k))
        if progress:
            progress(f"CRF without fold {k + 1}/{news.FOLDS} written")
    path = Path(out) if out is not None else DATA_DIR / MODEL_FILE
    fitted(None, path)
    manifest = {
        "model": path.name,
        "labels": ["O"] + [f"{b}-{r}" for r in ROLES for b in "BI"],
        "training_data": [str(data_dir), str(corpus)],
        "training_data_sha256": corpus_sha256(data_dir),
        "news_references_sha256": references_sha256(Path(corpus) / news.GOLD),
        "training_articles": len(polnear),
        "news_pages": len(articles),
        "news_repeat": repeat,
        "folds": news.FOLDS,
        "crfsuite_params": params,
        "stacked": True,
        "command": command or " ".join(sys.argv),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "train_seconds": round(time.time() - started),
    }
    text = json.dumps(manifest, indent=2) + "\n"
    path.with_suffix(".manifest.json").write_text(text, encoding="utf-8")
    (models / "crf.manifest.json").write_text(text, encoding="utf-8")
    return manifest


def train_news_filters(corpus: str | Path, pages: str | Path, data_dir: str | Path, *,
                       out: str | Path | None = None, c: float = FILTER_C, seed: int = 13,
                       threshold: float = THRESHOLD, nlp: Language | None = None, cache_dir: Path | None = None,
                       command: str | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """Write the fold filters under ``corpus/models/`` and the filter trained on everything to ``out``.

    Args:
        corpus: the news corpus folder (``gold/`` references; models are written to ``models/``).
        pages: the folder of its pages (``<id>.html``).
        data_dir: PolNeAR train.
        out: the filter trained on all pages (default: the packaged filter).
        c, seed: the logistic regression's inverse regularisation strength and seed.
        threshold: the least probability of a kept candidate.
        cache_dir: where PolNeAR's parse, fold CRFs and examples are kept between runs.

    Returns:
        The manifest (also written next to ``out`` and as ``corpus/models/manifest.json``).
    """
    from ..attribute.filter import DATA_DIR, FILTER_FILE, AttributionFilter

    random.seed(seed)
    started = time.time()
    if nlp is None:
        from ..nlp import load_nlp

        nlp = load_nlp()
    references = load_references(Path(corpus) / news.GOLD)
    texts = news.read_texts((g["id"] for _, g in references), pages)
    articles = news.gold_articles(references, texts)
    fold = news.folds(a.stem for a in articles)
    # each page's candidates from the CRF that did not train on it, where the corpus has one per fold
    taggers = {page: news.fold_tagger(corpus, k) for page, k in fold.items() if news.fold_tagger(corpus, k).is_file()}
    by_page = news_examples(news_candidates({a.stem: a.text for a in articles}, nlp, cache_dir, progress, taggers),
                            articles)
    polnear = [(augmented(f, POLNEAR_COPY), label) for f, label in
               polnear_examples(data_dir, nlp, cache_dir, progress)]
    date = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def fitted(excluded: int | None, info: dict[str, Any]) -> AttributionFilter:
        mine = [(augmented(f, NEWS_COPY), label) for page, items in by_page.items() if fold[page] != excluded
                for f, label in items]
        weights = news_weights(fit_filter([*polnear, *mine], c, seed))
        return AttributionFilter(weights, threshold, {"trained": date, "seed": seed, **info})

    models = Path(corpus) / news.MODELS
    models.mkdir(parents=True, exist_ok=True)
    for k in range(news.FOLDS):
        fitted(k, {"without_fold": k}).save(news.fold_model(corpus, k))
        if progress:
            progress(f"filter without fold {k + 1}/{news.FOLDS} written")
    path = Path(out) if out is not None else DATA_DIR / FILTER_FILE
    fitted(None, {}).save(path)
    manifest = {
        "model": path.name,
        "kind": "logistic regression over candidate features (onrecord.attribute.filter), PolNeAR train and "
                "the news corpus by feature augmentation (onrecord.training.news)",
        "training_data": [str(data_dir), str(corpus)],
        "training_data_sha256": corpus_sha256(data_dir),
        "news_references_sha256": references_sha256(Path(corpus) / news.GOLD),
        "news_pages": len(articles),
        "news_candidates": sum(len(v) for v in by_page.values()),
        "news_positives": sum(label for v in by_page.values() for _, label in v),
        "polnear_candidates": len(polnear),
        "folds": news.FOLDS,
        "fold_of_page": fold,
        "threshold": threshold,
        "command": command or " ".join(sys.argv),
        "seed": seed,
        "c": c,
        "date": date,
        "train_seconds": round(time.time() - started),
    }
    text = json.dumps(manifest, indent=2) + "\n"
    path.with_suffix(".manifest.json").write_text(text, encoding="utf-8")
    (models / "manifest.json").write_text(text, encoding="utf-8")
    return manifest
