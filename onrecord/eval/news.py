"""The news corpus: real pages from about 100 outlets, annotated in onrecord's conventions.

The corpus folder (``data/news/`` in the repository) holds the references; the pages
themselves stay in ``../shared/data/news/pages/``::

    gold/<id>.gold.json     every page's reference (the snippet format of `onrecord.eval.web`)
    second/<id>.gold.json   a second, independent annotation of some pages (agreement)
    models/filter.fold<k>.json
                            the learned filter trained on PolNeAR train and the pages of
                            every fold but ``k`` (`onrecord.training.news`)

The corpus is training data, so every figure on it is cross-validated: the pages are
split into `FOLDS` folds (`folds`: fixed by the page ids, not by file order), and the
pages of fold ``k`` are extracted with the filter that did not see them. The figures
per fold are those of ``web_score.py`` on that fold's references; the total is the
same score over all pages (micro-averaged).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Settings
from .corpus import GoldArticle, Record
from .errors import EvalError
from .web import extract_pages, load_references, locate, page_paths, score_references

__all__ = ["FOLDS", "agreement", "crossvalidate", "folds", "gold_articles", "load_references", "read_texts"]

FOLDS = 5
GOLD, SECOND, MODELS = "gold", "second", "models"

Progress = Callable[[str], None]


def folds(ids: Iterable[str], k: int = FOLDS) -> dict[str, int]:
    """Each page id's fold: ids ordered by their SHA-256, dealt round-robin (balanced, order-free)."""
    ordered = sorted(set(ids), key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest())
    return {page: n % k for n, page in enumerate(ordered)}


def fold_model(corpus: str | Path, k: int) -> Path:
    """The filter trained without fold ``k``."""
    return Path(corpus) / MODELS / f"filter.fold{k}.json"


def fold_tagger(corpus: str | Path, k: int) -> Path:
    """The CRF trained without fold ``k`` (`onrecord.training.news.train_news_taggers`)."""
    return Path(corpus) / MODELS / f"crf.fold{k}.crfsuite"


def read_texts(ids: Iterable[str], pages: str | Path, settings: Settings | None = None) -> dict[str, str]:
    """The analysed text of each page (what `onrecord extract` reports as ``"text"``)."""
    from ..errors import OnRecordError
    from ..reading import read_paths

    texts = {}
    for page, path in page_paths(ids, pages).items():
        for item in read_paths([path], settings or Settings()):
            if isinstance(item, OnRecordError):
                raise EvalError(f"cannot read the page of {page}: {item}")
            texts[page] = item.text
    return texts


def _fragments(span: Any) -> list[tuple[int, int]] | None:
    if not span:
        return None
    spans = span if isinstance(span, list) else [span]
    return [(s["start"], s["end"]) for s in spans]


def gold_articles(references: Iterable[tuple[Path, dict[str, Any]]], texts: Mapping[str, str]) -> list[GoldArticle]:
    """The references located in their pages' texts, as the taggers' training data reads them.

    A reference whose content is not in the text is left out (the extractor lost it).
    """
    articles = []
    for _, gold in references:
        text = texts.get(gold["id"])
        if text is None:
            continue
        located, _ = locate(text, gold)
        records: list[Record] = [{role: _fragments(a.get(role)) for role in ("source", "cue", "content")}
                                 for a in located["attributions"]]
        articles.append(GoldArticle(gold["id"], text, records))
    return articles


def agreement(corpus: str | Path, pages: str | Path, settings: Settings | None = None) -> dict[str, Any]:
    """The second annotation scored against the first on the pages both cover, as ``web_score.py`` does.

    Precision is then the share of the second annotator's attributions the first has too, recall
    the share of the first's that the second found.
    """
    second = load_references(Path(corpus) / SECOND)
    if not second:
        raise EvalError(f"no second annotation under {Path(corpus) / SECOND}")
    ids = {gold["id"] for _, gold in second}
    first = [(path, gold) for path, gold in load_references(Path(corpus) / GOLD) if gold["id"] in ids]
    texts = read_texts(ids, pages, settings)
    records = {}
    for _, gold in second:
        text = texts[gold["id"]]
        located, _ = locate(text, gold)
        records[gold["id"]] = {**located, "text": text}
    return score_references(first, records)


def crossvalidate(corpus: str | Path, pages: str | Path, settings: Settings | None = None,
                  progress: Progress | None = None) -> dict[str, Any]:
    """Every page extracted with the filter (and the CRF, where the corpus has one per fold:
    `fold_tagger`) of the fold that did not train on it, and scored.

    Returns ``web_score.py``'s figures over all pages, with ``"folds"``: the figures of each fold.

    Raises:
        EvalError: no references, or a fold's model is missing (train them with
            ``onrecord train --model filter --news DIR``).
    """
    settings = settings or Settings()
    references = load_references(Path(corpus) / GOLD)
    if not references:
        raise EvalError(f"no references under {Path(corpus) / GOLD}")
    fold = folds(gold["id"] for _, gold in references)
    paths = page_paths(fold, pages)
    records: dict[str, dict[str, Any]] = {}
    per_fold = []
    for k in range(FOLDS):
        model = fold_model(corpus, k)
        if not model.is_file():
            raise EvalError(f"no filter for fold {k} ({model}): run onrecord train --model filter --news {corpus}")
        mine = [(path, gold) for path, gold in references if fold[gold["id"]] == k]
        if progress:
            progress(f"fold {k + 1}/{FOLDS}: {len(mine)} pages")
        tagger = fold_tagger(corpus, k)
        found = extract_pages({g["id"]: paths[g["id"]] for _, g in mine if g["id"] in paths},
                              replace(settings, filter_model=str(model),
                                      crf_model=str(tagger) if tagger.is_file() else settings.crf_model),
                              on_error=(lambda error: progress(f"error: {error}")) if progress else None)
        records.update(found)
        figures = score_references(mine, found)
        per_fold.append({key: figures[key] for key in ("pages", "gold", "predicted", "matched",
                                                       "precision", "recall", "f1")})
    totals = score_references(references, records)
    totals["folds"] = per_fold
    return totals
