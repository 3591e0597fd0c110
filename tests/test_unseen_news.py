"""Patterns of news from outlets the taggers were not tuned on (issue "Trusted on news it has never seen").

Each sentence is written for this test (none comes from a corpus page). They run the default mode,
whose learned filter now trains on the news corpus as well as PolNeAR.
"""

import pytest

from onrecord import extract

pytestmark = pytest.mark.slow


def cues(text: str) -> list[str]:
    return [a.cue.text for a in extract(text).attributions]


def found(text: str, cue: str):
    hits = [a for a in extract(text).attributions if cue in a.cue.text]
    assert hits, [(a.cue.text, a.content_text) for a in extract(text).attributions]
    return hits[0]


@pytest.mark.parametrize("text, verb", [
    ("The rebel commander declared victory after the garrison surrendered on Sunday.", "declared"),
    ("Several council members shared that sentiment at the hearing in Leeds.", "shared"),
    ("The coroner has not disclosed the identities of the three climbers.", "disclosed"),
    pytest.param("A jury in Fresno found the landlord guilty of fraud on Thursday.", "found",
                 marks=pytest.mark.xfail(reason="known miss: the filter's .15 threshold (chosen on the dev sets) "
                                                "keeps this verdict; at .25 it is dropped", strict=False)),
    ("The school board has been informed of the incident, the principal's office said.", "informed"),
    ("Fans dubbed the new stadium the Cauldron within a week of its opening.", "dubbed"),
])
def test_a_verb_whose_object_states_nothing_is_not_a_statement(text, verb):
    assert not any(verb in cue for cue in cues(text)), cues(text)


@pytest.mark.parametrize("text, cue, content", [
    ("A survey of 2,000 tenants showed that most had never met their landlord.", "showed",
     "that most had never met their landlord"),
    ("The report demonstrates that the charity spent half its income on salaries.", "demonstrates",
     "that the charity spent half its income on salaries"),
    ("The audit demonstrates that the charity spent half its income on salaries.", "demonstrates",
     "that the charity spent half its income on salaries"),
    ("The fire chief believed that the boiler had been fitted without a permit.", "believed",
     "that the boiler had been fitted without a permit"),
])
def test_findings_and_beliefs_with_a_clause_are_statements(text, cue, content):
    a = found(text, cue)
    assert a.content_text == content


def test_adding_that_keeps_the_speaker_of_the_first_cue():
    text = ("Harriet Voss, the port's director, said traffic fell by a third last year, adding that two "
            "shipping lines had already left for Rotterdam.")
    added = found(text, "adding")
    assert added.speaker is not None and added.speaker.name == "Harriet Voss"


def test_a_navigation_line_is_not_the_title():
    text = ("Menu Home World Business Sport Subscribe\n"
            "Ferry operator cancels winter crossings\n"
            "The operator said on Monday that the crossings would stop until March.\n")
    article = extract(text)
    assert article.title == "Ferry operator cancels winter crossings"
