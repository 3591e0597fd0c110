"""onrecord.attribute.proposition: requests, plans and refusals are not statements."""

from __future__ import annotations

import pytest

from onrecord.attribute.candidates import Found
from onrecord.attribute.proposition import states_proposition, with_propositions

pytestmark = pytest.mark.slow


def _found(doc, cue: str, content: str, source: str | None = None) -> Found:
    text = doc.text
    c = text.index(cue)
    s = text.index(content, c + len(cue)) if content not in text[:c] else text.index(content)
    src = (text.index(source), text.index(source) + len(source)) if source else None
    return Found(cue=(c, c + len(cue)), content=((s, s + len(content)),), source=src)


@pytest.mark.parametrize(("text", "cue", "content"), [
    ("The union declined to comment on the strike.", "declined", "to comment on the strike"),
    ("The governor called on residents to stay indoors overnight.", "called on",
     "residents to stay indoors overnight"),
    ("The bakery plans to open a second shop next spring.", "plans", "to open a second shop next spring"),
    ("The mayor asked that the council delay its vote.", "asked", "that the council delay its vote"),
    ("The coach declined to be interviewed after the match.", "declined", "to be interviewed after the match"),
])
def test_requests_plans_and_refusals_state_nothing(nlp, text: str, cue: str, content: str) -> None:
    doc = nlp(text)
    found = _found(doc, cue, content)
    assert not states_proposition(doc, found)
    assert with_propositions(doc, [found]) == []


@pytest.mark.parametrize(("text", "cue", "content"), [
    # a clause with a finite verb
    ("The mayor said the library would open in May.", "said", "the library would open in May"),
    # facts and events reported as a noun phrase, even with an infinitive inside
    ("The ministry announced a plan to build two bridges.", "announced", "a plan to build two bridges"),
    ("The survey revealed a sharp rise in rents.", "revealed", "a sharp rise in rents"),
    # commissives commit the speaker to something true or false
    ("The senator vowed to block the bill.", "vowed", "to block the bill"),
    ("The airline expects to carry more passengers this year.", "expects", "to carry more passengers this year"),
    ("The senator threatened to leave the party.", "threatened", "to leave the party"),
])
def test_statements_facts_and_commitments_stay(nlp, text: str, cue: str, content: str) -> None:
    doc = nlp(text)
    assert states_proposition(doc, _found(doc, cue, content))


@pytest.mark.parametrize(("text", "cue", "content"), [
    ("Farmers' groups are calling for talks with the ministry.", "calling for", "talks with the ministry"),
    ("The opposition demanded an apology from the minister.", "demanded", "an apology from the minister"),
    ("Police urged calm after the match.", "urged", "calm"),
    # a request with its object before the infinitive, even where the tagger cut the content short
    ("Nurses pushed the hospital to hire more staff.", "pushed", "the hospital to hire more staff"),
    ("Nurses pushed the hospital to hire more staff.", "pushed", "the"),
])
def test_noun_phrases_asked_for_state_nothing(nlp, text: str, cue: str, content: str) -> None:
    doc = nlp(text)
    assert not states_proposition(doc, _found(doc, cue, content))


def test_calling_something_a_name_is_a_statement(nlp) -> None:
    # "call" asks for something only with "for" / "on"; "called the plan a mistake" judges the plan
    doc = nlp("The senator called the plan a mistake.")
    assert states_proposition(doc, _found(doc, "called", "the plan a mistake"))


def test_quotations_and_raised_subjects_stay(nlp) -> None:
    doc = nlp('The chef urged: "Come early."')
    assert states_proposition(doc, _found(doc, "urged", '"Come early."'))
    # "X is forecast to ...": the fragment before the cue is part of what is forecast
    doc = nlp("The storm is forecast to reach the coast on Friday.")
    cue = doc.text.index("is forecast")
    raised = Found(cue=(cue, cue + 11), content=((0, 9), (cue + 12, len(doc.text) - 1)))
    assert states_proposition(doc, raised)


def test_layout_attributions_are_not_judged(nlp) -> None:
    doc = nlp("Source: the union declined to comment.")
    layout = Found(cue=(6, 7), content=((8, 37),), origin="layout")
    assert with_propositions(doc, [layout]) == [layout]


@pytest.mark.parametrize("text", [
    "The transport union declined to comment on the new timetable.",
    "Health officials called on parents to keep sick children at home this week.",
    "The owners of the mill plan to reopen it as a museum next year.",
])
def test_extract_reports_no_request_plan_or_refusal(text: str) -> None:
    from onrecord import extract

    assert [a.cue.text for a in extract(text).attributions] == []


def test_a_content_of_only_function_words_says_nothing(nlp) -> None:
    doc = nlp("Critics slammed the decision on Monday.")
    assert not states_proposition(doc, _found(doc, "slammed", "the"))
    assert states_proposition(doc, _found(doc, "slammed", "the decision"))


@pytest.mark.parametrize(("text", "cue", "content", "states"), [
    ("The teachers' union endorsed Senator Ana Ruiz on Monday.", "endorsed", "Senator Ana Ruiz", False),
    ("Farmers are backing the new water plan.", "backing", "the new water plan", False),
    ("Most residents oppose the new runway.", "oppose", "the new runway", False),
    # a clause after the cue is a claim the endorser makes
    ("The council backed claims that the bridge was unsafe.", "backed", "claims that the bridge was unsafe", True),
])
def test_endorsements_take_a_side_and_state_nothing(nlp, text: str, cue: str, content: str, states: bool) -> None:
    doc = nlp(text)
    assert states_proposition(doc, _found(doc, cue, content)) is states


@pytest.mark.parametrize(("text", "cue", "content", "states"), [
    ("The senator talked about the economy for an hour.", "talked about", "the economy", False),
    ("The mayor, asked about the plan, said it was sound.", "asked about", "the plan", False),
    ("The minister commented on the report in parliament.", "commented on", "the report", False),
    # what was said about the topic is a statement; a revelation reported as a noun phrase stays
    ("The senator talked about how the economy had recovered.", "talked about", "how the economy had recovered",
     True),
    ("The ministry revealed a surge in cases.", "revealed", "a surge in cases", True),
])
def test_a_topic_talked_about_states_nothing(nlp, text: str, cue: str, content: str, states: bool) -> None:
    doc = nlp(text)
    assert states_proposition(doc, _found(doc, cue, content)) is states


@pytest.mark.parametrize(("text", "cue", "content", "states"), [
    ("The company did not respond to requests for comment.", "did not respond to", "requests for comment", False),
    ("The minister would not comment on the report.", "would not comment on", "the report", False),
    ("The minister responded to the report with a letter.", "responded to", "the report", True),
])
def test_an_answer_not_given_states_nothing(nlp, text: str, cue: str, content: str, states: bool) -> None:
    doc = nlp(text)
    assert states_proposition(doc, _found(doc, cue, content)) is states


def test_declining_to_comment_on_a_question_states_nothing(nlp) -> None:
    doc = nlp("The Treasury declined to comment on whether more money would be made available.")
    c = doc.text.index("declined")
    found = Found(cue=(c, c + len("declined")), content=(
        (doc.text.index("to comment"), doc.text.index("to comment") + len("to comment on")),
        (doc.text.index("whether"), len(doc.text) - 1)), source=(0, len("The Treasury")))
    assert not states_proposition(doc, found)
    doc = nlp("The minister declined to say whether she would resign.")
    assert states_proposition(doc, _found(doc, "declined", "to say whether she would resign"))


@pytest.mark.parametrize("text", [
    "The console is not a bad buy. That said, the maker promised more than it delivered.\n",
    "Having said that, the coach picked the same eleven players.\n",
    "Needless to say, the fans were furious about the late kick-off.\n",
])
def test_a_connective_built_on_say_is_nobodys_statement(text) -> None:
    from onrecord import extract

    assert extract(text).attributions == ()


def test_a_statement_that_starts_like_a_connective_stays() -> None:
    from onrecord import extract

    found = extract("The analysts said that the merger would fail.\n").attributions
    assert [a.cue.text for a in found] == ["said"]
