"""onrecord.attribute.filter: the learned decision on candidate attributions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord.attribute.candidates import Found
from onrecord.attribute.filter import DATA_DIR, FILTER_FILE, AttributionFilter, features
from onrecord.errors import ModelError



def _cues(text: str) -> list[str]:
    from onrecord import extract

    return [a.cue.text for a in extract(text).attributions]


def test_weights_decide_with_the_threshold(tmp_path: Path) -> None:
    flt = AttributionFilter({"bias": -1.0, "l=say": 3.0}, threshold=0.5)
    path = tmp_path / "f.json"
    flt.save(path)
    again = AttributionFilter.load(path)
    assert again.weights == {"bias": -1.0, "l=say": 3.0} and again.threshold == 0.5


def test_a_broken_or_missing_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        AttributionFilter.load(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text('{"threshold": 0.5}', encoding="utf-8")
    with pytest.raises(ModelError, match="broken"):
        AttributionFilter.load(tmp_path / "bad.json")


def test_the_shipped_filter_loads_with_its_manifest() -> None:
    flt = AttributionFilter.load()
    assert 0 < flt.threshold < 1 and len(flt.weights) > 100 and "bias" in flt.weights
    manifest = json.loads((DATA_DIR / FILTER_FILE).with_suffix(".manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["training_data_sha256"]) == 64 and manifest["threshold"] == flt.threshold
    assert manifest["command"].startswith("onrecord train") and "--model filter" in manifest["command"]
    # trained on PolNeAR train and the news corpus, with one filter per fold for cross-validation
    assert manifest["news_pages"] >= 100 and manifest["news_positives"] > 500 and manifest["folds"] >= 2
    assert set(manifest["fold_of_page"].values()) == set(range(manifest["folds"]))


@pytest.mark.slow
def test_features_see_the_sense_of_the_cue(nlp) -> None:
    doc = nlp("The minister said that the talks would resume soon.")
    said = doc.text.index("said")
    f = features(doc, Found(cue=(said, said + 4), content=((said + 5, len(doc.text) - 1),), source=(0, 12)))
    assert {"l=say", "k=that-clause", "cfin=True", "subj=noun", "src=noun"} <= set(f)
    doc = nlp("The two singers were named best performers of the year.")
    named = doc.text.index("named")
    f = features(doc, Found(cue=(named - 5, named + 5), content=((named + 6, len(doc.text) - 1),)))
    assert {"l=name", "k=nsubjpass", "cfin=False", "src=none"} <= set(f)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    # reported before the filter (a naming "called", object verb rule): the filter rejects it
    "The players roll a small wooden ball called the kitty across the lawn before each round.",
    "The city's main share index declined 0.3 per cent in early trading on Tuesday.",
    "The farmers' unions threw their support behind the new water plan last week.",
    "The council's decision was based on a survey of local shop owners.",
    "The old harbour is seen as the heart of the town.",
    # kept by the filter alone (PolNeAR annotates "named" and "known for"); the CRF and the
    # transformer do not agree on them, so the default drops them (onrecord.attribute.committee)
    "Two young violinists were named best soloists at the festival in Vienna on Sunday.",
    "The painter was known mostly for his portraits of sailors and fishermen.",
    # PolNeAR has too few "That said" idioms for the taggers and the filter to learn them: a
    # connective built on "say" is left out after them (onrecord.attribute.proposition)
    "That said, the new bridge leaves the old ferry without passengers for most of the year.",
])
def test_naming_figures_and_idioms_are_not_attributions(text: str) -> None:
    assert _cues(text) == []


def test_layout_and_nested_statements_are_not_judged() -> None:
    from onrecord.attribute.filter import exempt

    outer = Found(cue=(0, 5), content=((6, 80),), source=None)
    nested = Found(cue=(20, 26), content=((27, 60),), source=(10, 19), origin="rules")
    layout = Found(cue=(90, 91), content=((92, 120),), source=(82, 89), origin="layout")
    assert exempt(nested, [outer, nested]) and exempt(layout, [layout])
    assert not exempt(outer, [outer, nested])
    # a filter that rejects everything still keeps them
    flt = AttributionFilter({"bias": -20.0}, threshold=0.5)
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    doc = blank("x " * 70)
    assert flt.keep(doc, [outer, nested, layout]) == [nested, layout]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "cue"), [
    ("The mayor of Ashford said that the new library would open in the spring.", "said"),
    ("According to the harbour authority, three ships were turned away overnight.", "According to"),
    ("\u201cWe will not close the clinic,\u201d the health minister told reporters on Monday.", "told"),
    ("Local teachers warned that the new timetable leaves no room for art classes.", "warned"),
])
def test_ordinary_statements_are_still_attributions(text: str, cue: str) -> None:
    assert cue in _cues(text)


@pytest.mark.slow
def test_a_tiny_filter_trains_end_to_end(tmp_path: Path) -> None:
    """`onrecord train --model filter` on a few PolNeAR articles: weights, threshold and manifest."""
    from click.testing import CliRunner

    from onrecord.cli import cli

    from .conftest import small_polnear

    small = {part: small_polnear(part, n, tmp_path / part) for part, n in (("train", 4), ("dev", 2))}
    out = tmp_path / "tiny.filter.json"
    result = CliRunner().invoke(cli, ["train", "--model", "filter", "--data", str(small["train"]),
                                      "--dev", str(small["dev"]), "--out", str(out), "--iterations", "10"])
    assert result.exit_code == 0, result.output
    assert "fold model 2/2 trained" in result.stderr and "candidates of 4/4 articles" in result.stderr and "dev at threshold" in result.output
    flt = AttributionFilter.load(out)
    manifest = json.loads(out.with_suffix(".manifest.json").read_text(encoding="utf-8"))
    assert manifest["training_articles"] == 4 and manifest["training_positives"] > 0
    assert manifest["threshold"] == flt.threshold and manifest["seed"] == 13
    assert flt.weights["l=say"] > 0
