"""Reporting constructions the rules used to miss or misattribute (real spaCy model, rules only)."""

import pytest

from onrecord import Settings, extract

pytestmark = pytest.mark.slow
RULES = Settings(attributor="rules")


def by_cue(text: str, cue: str):
    found = [a for a in extract(text, settings=RULES).attributions if a.cue.text.endswith(cue)]
    assert found, [(a.cue.text, a.content_text) for a in extract(text, settings=RULES).attributions]
    return found[0]


@pytest.mark.parametrize("text, content", [
    ("Asked why she left the bakery, Martha Quill said the rent had doubled.", "why she left the bakery"),
    ("Asked whether the bridge would reopen, the engineer said it was too early to tell.",
     "whether the bridge would reopen"),
])
def test_asked_participle_has_no_source(text, content):
    # the subject of "said" is the one asked, not the one asking: the question's source is unknown
    a = by_cue(text, "Asked")
    assert a.content_text == content
    assert a.source is None and a.stance == "question"
    answer = by_cue(text, "said")
    assert answer.source is not None


@pytest.mark.parametrize("text, source, content", [
    ("The mayor has been on the record as saying that the stadium will never be sold.", "The mayor",
     "that the stadium will never be sold"),
    ("Harold Finch was quoted as saying that the merger would cost jobs.", "Harold Finch",
     "that the merger would cost jobs"),
])
def test_gerund_after_as_takes_the_subject_of_its_verb(text, source, content):
    a = by_cue(text, "saying")
    assert a.source is not None and a.source.text == source
    assert a.content_text == content


@pytest.mark.parametrize("text, cue, content", [
    ("The coach understands that the team needs a new goalkeeper.", "understands",
     "that the team needs a new goalkeeper"),
    ("Ana Ruiz realized that the vote in her county would decide the race.", "realized",
     "that the vote in her county would decide the race"),
    ("The farmers recognize that the drought will last another year.", "recognize",
     "that the drought will last another year"),
    ("Investors figured the central bank would cut rates in March.", "figured",
     "the central bank would cut rates in March"),
])
def test_verbs_of_cognition_with_a_clause(text, cue, content):
    a = by_cue(text, cue)
    assert a.content_text == content and a.stance == "believe"


@pytest.mark.parametrize("text, verb", [
    ("The coach understands the offside rule.", "understands"),
    ("Ana Ruiz realized her ambition in 2019.", "realized"),
    ("Investors figured prominently in the report.", "figured"),
])
def test_verbs_of_cognition_without_a_clause_are_not_attributions(text, verb):
    assert not [a for a in extract(text, settings=RULES).attributions if verb in a.cue.text]


@pytest.mark.parametrize("text, content", [
    ("Asked what drew him to chess, Tomas Berg said his grandmother taught him.", "what drew him to chess"),
    ("Asked if the strike would end soon, the union leader said talks were going well.",
     "if the strike would end soon"),
])
def test_asked_question_opening_a_sentence(text, content):
    # the tagger may read the opening participle as a past tense, and "if" clauses as adverbial
    a = by_cue(text, "Asked")
    assert a.content_text == content and a.source is None


def test_asked_question_in_the_default_mode_keeps_no_source():
    text = ("Voters lined up early at the library.\n\n"
            "Asked what drew him to the polls this year, Tomas Berg said the school budget mattered most.")
    found = [a for a in extract(text).attributions if a.cue.text == "Asked"]
    assert all(a.source is None for a in found)


@pytest.mark.parametrize("text, cue, fragments", [
    ("Rainfall is forecast to reach record levels next week.", "forecast",
     ["Rainfall", "to reach record levels next week"]),
    ("The minister is said to be furious about the leak.", "said", ["The minister", "to be furious about the leak"]),
    ("The bakery is expected to close in June.", "expected", ["The bakery", "to close in June"]),
])
def test_passive_raising_cue_holds_the_subject_and_the_infinitive(text, cue, fragments):
    a = by_cue(text, cue)
    assert [c.text for c in a.content] == fragments and a.source is None


def test_a_request_in_the_passive_is_not_widened():
    # "was asked to leave" is a request: its subject does not become part of a content
    for a in extract("The visitor was asked to leave the gallery.", settings=RULES).attributions:
        assert "The visitor" not in a.content_text


@pytest.mark.parametrize("text, cue, source, content", [
    ("The contract makes clear that the tenant pays for repairs.", "makes clear", "The contract",
     "that the tenant pays for repairs"),
    ("Dr Patel made it clear that the clinic would stay open.", "made it clear", "Dr Patel",
     "that the clinic would stay open"),
])
def test_makes_clear_that(text, cue, source, content):
    a = by_cue(text, cue)
    assert a.source is not None and a.source.text == source and a.content_text == content


@pytest.mark.parametrize("text, cue, content", [
    ("I want to stress that nobody was hurt in the fire.", "want to stress", "that nobody was hurt in the fire"),
    ("We would like to say that the vote was fair.", "would like to say", "that the vote was fair"),
])
def test_announced_speech_act(text, cue, content):
    a = by_cue(text, cue)
    assert a.content_text == content


@pytest.mark.parametrize("text", [
    "She wanted to know whether the museum would reopen.",
    "He wants to say goodbye to the team.",
])
def test_wanting_to_know_or_to_say_goodbye_is_no_statement(text):
    assert not [a for a in extract(text, settings=RULES).attributions if "want" in a.cue.text]


def test_speech_verb_tagged_as_a_noun_after_a_plural_subject():
    a = by_cue("The new regulations state that venues must close by midnight.", "state")
    assert a.source is not None and a.source.text == "The new regulations"
    assert a.content_text == "that venues must close by midnight"


def test_a_noun_followed_by_a_relative_clause_is_no_cue():
    assert not extract("The state that won the most medals is Ohio.", settings=RULES).attributions


@pytest.mark.parametrize("text, cue, content", [
    ("The governor denied the rumours about her health.", "denied", "the rumours about her health"),
    ("The orchestra announced the departure of its conductor.", "announced", "the departure of its conductor"),
])
def test_statement_as_the_object_of_a_speech_verb(text, cue, content):
    a = by_cue(text, cue)
    assert a.content_text == content and a.source is not None


def test_statement_object_does_not_replace_a_clause():
    a = by_cue("The mayor confirmed on Friday that the bridge will reopen.", "confirmed")
    assert a.content_text == "that the bridge will reopen"


@pytest.mark.parametrize("text, cue, source, content", [
    ("Many shoppers seemed to agree the prices were too high.", "seemed to agree", "Many shoppers",
     "the prices were too high"),
    ("The minister appeared to acknowledge that the plan had failed.", "appeared to acknowledge", "The minister",
     "that the plan had failed"),
])
def test_hedged_speech_verb_after_seem(text, cue, source, content):
    a = by_cue(text, cue)
    assert a.source is not None and a.source.text == source and a.content_text == content


@pytest.mark.parametrize("text, cue, source, content", [
    ("The historian sees the dispute as more urgent than ever.", "sees", "The historian",
     "the dispute as more urgent than ever"),
    ("Critics view the law as an attack on free speech.", "view", "Critics", "the law as an attack on free speech"),
])
def test_seeing_something_as_something_is_a_belief(text, cue, source, content):
    a = by_cue(text, cue)
    assert a.source is not None and a.source.text == source and a.content_text == content
    assert a.stance == "believe"


def test_being_seen_as_has_no_holder():
    assert not [a for a in extract("The plan is seen as a failure.", settings=RULES).attributions if a.cue.text == "seen"]


def test_merge_takes_the_rule_content_when_the_model_cut_a_short_piece_of_it():
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.merging import merge

    text = "The new rules state that bars must not play music above 85 decibels after midnight on weekdays."
    cue = (14, 19)
    rule = Found(cue=cue, content=((20, len(text) - 1),), source=(0, 13))
    model = Found(cue=cue, content=((20, 34),), source=(0, 13), origin="model")  # "that bars must"
    longer = Found(cue=cue, content=((20, 60),), source=(0, 13), origin="model")
    assert [f.content for f in merge([rule], [model], text)] == [rule.content]
    # a model content that is a fair share of the rule's is the model's choice
    assert [f.content for f in merge([rule], [longer], text)] == [longer.content]
