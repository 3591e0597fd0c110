"""The news corpus: folds, references located in their pages, agreement, cross-validation's guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord.eval import news
from onrecord.eval.errors import EvalError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "news"

TEXT = ("The mayor said on Monday that the bridge would reopen in May. “We are confident,” she added.\n"
        "Critics denied that the repairs were finished.\n")


def _reference(page_id: str, attributions: list[dict]) -> dict:
    return {"id": page_id, "title": "Bridge", "published": "2019-11-19", "attributions": attributions}


SAID = {"source": "The mayor", "cue": "said", "content": "that the bridge would reopen in May",
        "kind": "indirect", "stance": "assert", "speaker": {"name": None, "type": "person"}, "statement_date": None}
DENIED = {"source": "Critics", "cue": "denied", "content": "that the repairs were finished",
          "kind": "indirect", "stance": "deny", "speaker": {"name": None, "type": "group"}, "statement_date": None}


def _corpus(tmp_path: Path, first: list[dict], second: list[dict]) -> tuple[Path, Path]:
    corpus, pages = tmp_path / "news", tmp_path / "pages"
    for folder in (corpus / "gold", corpus / "second", pages):
        folder.mkdir(parents=True)
    (pages / "p1.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "gold" / "p1.gold.json").write_text(json.dumps(_reference("p1", first)), encoding="utf-8")
    (corpus / "second" / "p1.gold.json").write_text(json.dumps(_reference("p1", second)), encoding="utf-8")
    return corpus, pages


def test_folds_are_balanced_and_do_not_depend_on_order() -> None:
    ids = [f"page-{n}" for n in range(23)]
    forward, backward = news.folds(ids), news.folds(reversed(ids))
    assert forward == backward
    sizes = [list(forward.values()).count(k) for k in range(news.FOLDS)]
    assert max(sizes) - min(sizes) <= 1


def test_references_are_located_as_training_fragments(tmp_path: Path) -> None:
    corpus, pages = _corpus(tmp_path, [SAID, DENIED], [])
    texts = news.read_texts(["p1"], pages)
    [article] = news.gold_articles(news.load_references(corpus / "gold"), texts)
    said, denied = article.attributions
    assert [TEXT[s:e] for s, e in said["cue"]] == ["said"]
    assert [TEXT[s:e] for s, e in said["content"]] == ["that the bridge would reopen in May"]
    assert [TEXT[s:e] for s, e in denied["source"]] == ["Critics"]


def test_agreement_counts_what_only_one_annotator_marked(tmp_path: Path) -> None:
    corpus, pages = _corpus(tmp_path, [SAID, DENIED], [SAID])
    figures = news.agreement(corpus, pages)
    assert (figures["gold"], figures["predicted"], figures["matched"]) == (2, 1, 1)
    assert figures["precision"] == 1.0 and figures["recall"] == 0.5


def test_crossvalidation_refuses_to_run_without_the_fold_models(tmp_path: Path) -> None:
    corpus, pages = _corpus(tmp_path, [SAID], [])
    with pytest.raises(EvalError, match="fold 0"):
        news.crossvalidate(corpus, pages)


@pytest.mark.skipif(not (CORPUS / "gold").is_dir(), reason="the news corpus is not in this checkout")
def test_the_corpus_references_are_well_formed() -> None:
    references = news.load_references(CORPUS / "gold")
    assert len(references) >= 100
    for _, gold in references:
        assert {"id", "title", "published", "attributions"} <= set(gold)
        for attribution in gold["attributions"]:
            assert attribution["stance"] in {"assert", "deny", "believe", "question"}
            assert attribution["kind"] in {"direct", "indirect", "mixed"}
            date = attribution.get("statement_date")
            dates = date if isinstance(date, list) else [date]
            assert all(d is None or len(d) == 10 for d in dates), (gold["id"], date)


def test_the_filter_written_reads_the_shared_weights_plus_the_news_copies() -> None:
    from onrecord.training.news import (
        CORPUS_BIAS,
        NEWS_COPY,
        POLNEAR_COPY,
        augmented,
        news_weights,
    )

    assert augmented(["bias", "lemma=say"], NEWS_COPY) == ["bias", "lemma=say", "news:lemma=say", "news:" + CORPUS_BIAS]
    weights = {"bias": -1.0, "lemma=say": 2.0, NEWS_COPY + "lemma=say": 0.5, POLNEAR_COPY + "lemma=say": 3.0,
               NEWS_COPY + CORPUS_BIAS: -0.25, POLNEAR_COPY + CORPUS_BIAS: 1.0, NEWS_COPY + "lemma=urge": -2.0}
    # PolNeAR's own conventions stay in its copies: the news filter does not read them
    assert news_weights(weights) == {"bias": -1.25, "lemma=say": 2.5, "lemma=urge": -2.0}


@pytest.mark.slow
def test_crfs_trained_on_both_corpora_one_per_fold_leave_that_folds_pages_out(tmp_path: Path) -> None:
    """`onrecord train --model crf --news`: a working CRF per fold of the news corpus (where
    cross-validation and the filter's training look for it) and one on every page, with a manifest."""
    from click.testing import CliRunner

    from onrecord.attribute.crf import LearnedAttributor
    from onrecord.cli import cli

    from .conftest import small_polnear

    small = small_polnear("train", 3, tmp_path / "train")
    corpus, pages = _corpus(tmp_path, [SAID, DENIED], [])
    for n in range(2, 7):  # pages in every fold
        (pages / f"p{n}.txt").write_text(TEXT, encoding="utf-8")
        (corpus / "gold" / f"p{n}.gold.json").write_text(json.dumps(_reference(f"p{n}", [SAID, DENIED])),
                                                          encoding="utf-8")
    out = tmp_path / "model" / "attribution.crfsuite"
    result = CliRunner().invoke(cli, ["train", "--model", "crf", "--data", str(small), "--news", str(corpus),
                                      "--news-pages", str(pages), "--out", str(out), "--iterations", "5"])
    assert result.exit_code == 0, result.output
    fold = news.folds(f"p{n}" for n in range(1, 7))
    manifest = json.loads((corpus / "models" / "crf.manifest.json").read_text())
    assert manifest["news_pages"] == 6 and manifest["training_articles"] == 3 and manifest["folds"] == news.FOLDS
    for k in range(news.FOLDS):
        assert LearnedAttributor.load(news.fold_tagger(corpus, k)) is not None
    assert LearnedAttributor.load(out) is not None
    assert sorted(set(fold.values())) == list(range(news.FOLDS))  # every fold left pages out
    assert "CRF without fold 5/5 written" in result.stderr


def test_a_crf_asked_for_by_name_is_used_or_fails_loudly(tmp_path: Path) -> None:
    from onrecord import Settings, extract
    from onrecord.errors import ConfigError, ModelError

    with pytest.raises(ConfigError, match="crf_model"):
        Settings(crf_model=3)  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="not found"):
        extract(TEXT, settings=Settings(attributor="fast", crf_model=str(tmp_path / "missing.crfsuite")))
