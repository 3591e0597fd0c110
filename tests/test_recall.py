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
