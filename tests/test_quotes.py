"""onrecord.attribute.quotes: floating and multi-paragraph quotations, content boundaries."""

import pytest
from hypothesis import given, settings, strategies as st

from onrecord import Settings, extract

BOTH = pytest.mark.parametrize("attributor", ["rules", "auto"])


def attributions(text: str, attributor: str = "auto"):
    return extract(text, settings=Settings(attributor=attributor)).attributions


def only(text: str, attributor: str = "auto"):
    found = attributions(text, attributor)
    assert len(found) == 1, [(a.cue.text, a.content_text) for a in found]
    return found[0]


def by_cue(text: str, cue: str, attributor: str = "auto"):
    found = [a for a in attributions(text, attributor) if a.cue.text == cue]
    assert len(found) == 1, [(a.cue.text, a.content_text) for a in attributions(text, attributor)]
    return found[0]


# --- floating quotations ---------------------------------------------------------------------

FLOATING = ("The harbour will reopen to fishing boats in March.\n"
            "“We will rebuild the pier before the summer,” said harbour master Ines Albers.\n"
            "“The boats cannot wait another season.”\n"
            "The work is expected to cost four million euros.\n")


@pytest.mark.slow
@BOTH
def test_floating_quote_continues_the_speaker(attributor):
    a = by_cue(FLOATING, "said", attributor)
    assert [c.text for c in a.content] == ["“We will rebuild the pier before the summer,”",
                                           "“The boats cannot wait another season.”"]
    assert a.kind == "direct" and a.speaker.name == "Ines Albers"


MULTI = ("The union leader Marta Kovacs said: “Our members have waited three years for this offer.\n"
         "“They will vote on it in the coming week.\n"
         "“If they turn it down, the strike goes ahead on Monday.”\n"
         "The company has not commented.\n")


@pytest.mark.slow
@BOTH
def test_quotation_over_several_paragraphs_is_not_cut(attributor):
    a = by_cue(MULTI, "said", attributor)
    assert [c.text for c in a.content] == ["“Our members have waited three years for this offer.",
                                           "“They will vote on it in the coming week.",
                                           "“If they turn it down, the strike goes ahead on Monday.”"]
    assert a.kind == "direct"


@pytest.mark.slow
def test_floating_quote_between_blank_lines_after_an_indirect_statement():
    text = ("The mayor said the bridge would stay closed until the repairs are finished.\n\n"
            "“Nobody should drive across it before the inspectors are done.”\n\n"
            "Traffic is being sent through the old town.\n")
    a = by_cue(text, "said", "rules")
    assert [c.text for c in a.content] == ["the bridge would stay closed until the repairs are finished",
                                           "“Nobody should drive across it before the inspectors are done.”"]
    assert a.kind == "mixed"


@pytest.mark.slow
def test_a_cue_inside_the_floating_quote_is_the_speakers_own():
    text = ("“The vote was closer than we hoped,” said party secretary Tomas Lind.\n"
            "“I think we will have to win the rural seats back next time.”\n")
    a = by_cue(text, "said", "rules")
    assert len(a.content) == 2 and a.content[1].text.startswith("“I think")


@pytest.mark.slow
@BOTH
def test_another_person_named_in_between_stops_the_floating_quote(attributor):
    text = ("“The dam is perfectly safe,” said the engineer Paul Grant.\n"
            "Farmer Ada Moss has lived below the dam for forty years.\n"
            "“It leaks every spring.”\n")
    a = by_cue(text, "said", attributor)
    assert [c.text for c in a.content] == ["“The dam is perfectly safe,”"]


@pytest.mark.slow
@BOTH
def test_a_quotation_after_narrative_without_a_quote_before_is_not_attached(attributor):
    text = ("The minister said the budget would be balanced.\n"
            "Parliament meets again in the autumn after a long break.\n"
            "“Nothing is ever balanced in this town.”\n")
    a = by_cue(text, "said", attributor)
    assert [c.text for c in a.content] == ["the budget would be balanced"]


# --- boundaries ------------------------------------------------------------------------------


@pytest.mark.slow
@BOTH
def test_content_stops_at_the_closing_mark_before_the_next_sentence(attributor):
    a = by_cue("Nadia Ferreira said “the ferry is safe to board again.\" Sailors are not so sure.\n", "said",
               attributor)
    assert a.content_text == "“the ferry is safe to board again.\""


@pytest.mark.slow
@BOTH
def test_curly_quote_closed_by_a_straight_one_is_a_quotation(attributor):
    a = by_cue("“The tunnel stays shut until Friday,\" the sheriff said on Monday.\n", "said",
               attributor)
    assert a.content_text == "“The tunnel stays shut until Friday,\"" and a.kind == "direct"


@pytest.mark.slow
@pytest.mark.parametrize("text, source, content", [
    ("BERLIN — The chancellor said on Monday the pension reform would be delayed.\n", "The chancellor",
     "the pension reform would be delayed"),
    ("MADRID — Labour Leader Ana Costa says the rail strike will end within days.\n", "Labour Leader Ana Costa",
     "the rail strike will end within days"),
])
def test_a_dateline_is_neither_content_nor_source(text, source, content):
    a = only(text)
    assert (a.source.text, a.content_text) == (source, content)


@pytest.mark.slow
def test_a_stage_direction_in_quotation_marks_is_not_a_floating_quote():
    text = ("“We will cut the fuel duty in the first week,” said candidate Rosa Ibarra.\n"
            "\"(APPLAUSE.)\"\n")
    a = by_cue(text, "said", "rules")
    assert [c.text for c in a.content] == ["“We will cut the fuel duty in the first week,”"]


@pytest.mark.slow
@BOTH
def test_a_quotation_belongs_to_the_cue_that_closes_it(attributor):
    text = ("The ferry operator Lena Brandt said the crossing would resume on Monday.\n"
            "“The engines have been checked twice.\n"
            "“We are ready to sail,” said the captain, Ivo Marek.\n"
            "“Nobody will be left behind.”\n")
    operator, captain = attributions(text, attributor)
    assert operator.content_text == "the crossing would resume on Monday"
    assert [c.text for c in captain.content] == ["“The engines have been checked twice.", "“We are ready to sail,”",
                                                 "“Nobody will be left behind.”"]


# --- invariants of the pass on any attributions (blank pipeline, no model) -------------------

PARAGRAPHS = st.sampled_from([
    "“We will win the vote,” said Ana Lopes.", "“The boats cannot wait another season.”",
    "“They will vote on it next week.", "\"It is over.\"", "The council met on Monday.",
    "BERLIN — The chancellor said the plan works.", "Team news", "He said: “Yes.”", "“(Applause.)”"])


@settings(deadline=None)  # the blank pipeline loads on the first example
@given(st.lists(PARAGRAPHS, min_size=1, max_size=6), st.lists(st.tuples(
    st.integers(0, 300), st.integers(0, 40), st.integers(0, 300), st.integers(1, 80)), max_size=4))
def test_continue_quotes_keeps_offsets_in_the_text(paragraphs, raw):
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.quotes import continue_quotes

    nlp = _blank()
    text = "\n".join(paragraphs) + "\n"
    doc = nlp(text)
    n = len(text)
    found = [Found(cue=(min(c, n - 1), min(c + 1 + cl % 5, n)), content=((min(s, n - 1), min(s + sl, n)),))
             for c, cl, s, sl in raw]
    result = continue_quotes(doc, found)
    assert {f.cue for f in result} <= {f.cue for f in found}
    for after in result:
        assert after.content and all(0 <= s < e <= n for s, e in after.content)
        assert all(a[1] <= b[0] or b[1] <= a[0] for i, a in enumerate(after.content) for b in after.content[i + 1:])


def _blank():
    import spacy

    if not hasattr(_blank, "nlp"):
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        _blank.nlp = nlp
    return _blank.nlp


def test_a_straight_closing_mark_does_not_open_a_quotation():
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.quotes import continue_quotes

    text = "\"She is a fine judge. One of the sharpest on the bench,\" Senator Paul Okafor said in a call.\n"
    doc = _blank()(text)
    second = text.index("One")
    cue = text.index("said")
    found = Found(cue=(cue, cue + 4), content=((1, 20), (second, text.index(" Senator"))),
                  source=(text.index("Senator"), cue - 1))
    (result,) = continue_quotes(doc, [found])
    assert text[result.content[-1][0]:result.content[-1][1]] == "One of the sharpest on the bench,\""


@pytest.mark.slow
def test_the_addressee_is_cut_from_any_attributors_content():
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.quotes import continue_quotes
    from onrecord.nlp import load_nlp

    text = "The governor told the local radio station the number of victims was far higher than reported.\n"
    doc = load_nlp()(text)
    cue = text.index("told")
    content = (text.index("the local"), text.index(" than reported") + len(" than reported"))
    (result,) = continue_quotes(doc, [Found(cue=(cue, cue + 4), content=(content,), source=(0, 12), origin="model")])
    assert text[result.content[0][0]:result.content[0][1]] == "the number of victims was far higher than reported"


def _at(text: str, words: str) -> tuple[int, int]:
    i = text.index(words)
    return (i, i + len(words))


@pytest.mark.slow
def test_what_the_speaker_was_doing_is_not_content(nlp):
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.quotes import continue_quotes

    text = "Asked when the exercises would end, Peskov said he did not know."
    found = Found(cue=_at(text, "said"), source=_at(text, "Peskov"),
                  content=(_at(text, "Asked when the exercises would end"), _at(text, "he did not know")))
    [kept] = continue_quotes(nlp(text), [found])
    assert kept.content == (_at(text, "he did not know"),)


@pytest.mark.slow
def test_a_participle_goes_on_with_the_speaker_not_a_subject_inside_the_content(nlp):
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.quotes import continue_quotes

    text = "The Kremlin denied a report that Russia was massing troops, calling it nonsense."
    denied = Found(cue=_at(text, "denied"), source=_at(text, "The Kremlin"),
                   content=(_at(text, "a report that Russia was massing troops"),))
    calling = Found(cue=_at(text, "calling"), source=_at(text, "Russia"), content=(_at(text, "it nonsense"),))
    kept = {f.cue: f for f in continue_quotes(nlp(text), [denied, calling])}
    assert kept[calling.cue].source is None and kept[calling.cue].inherited_source == denied.source
    # inside a quotation, the shared subject of a conjoined cue stays its source
    text = '"They have been eyeing the seat and figured they had two more years," said the operative.'
    outer = Found(cue=_at(text, "said"), source=_at(text, "the operative"),
                  content=(_at(text, '"They have been eyeing the seat and figured they had two more years,"'),))
    figured = Found(cue=_at(text, "figured"), source=_at(text, "They"), content=(_at(text, "they had two more years"),))
    kept = {f.cue: f for f in continue_quotes(nlp(text), [outer, figured])}
    assert kept[figured.cue].source == figured.source


@pytest.mark.parametrize("attributor", ["auto", "fast"])
def test_a_clause_with_its_own_subject_after_the_report_is_reported_too(attributor):
    first = only("The company said sales rose 5 percent in May, and it expects a strong winter season.", attributor)
    assert first.content_text == "sales rose 5 percent in May, and it expects a strong winter season"
    # a cue of its own: its own statement
    both = attributions("The mayor said the road was safe, but the engineers warned that the bridge was not.",
                        attributor)
    assert [a.cue.text for a in both] == ["said", "warned"]
    assert "engineers" not in both[0].content_text and both[1].content_text == "that the bridge was not"


# --- pull quotes -----------------------------------------------------------------------------

def test_a_quotation_repeated_as_a_pull_quote_is_one_statement():
    text = ("The committee heard three witnesses on Tuesday.\n"
            "“Without a heavy launcher, we will not get back to the Moon this decade,” Ruth Adeyemi said. "
            "The hearing went on for four hours.\n"
            "Other witnesses disagreed about the cost.\n"
            "“Without a heavy launcher, we will not get back to the Moon this decade,” said Adeyemi.\n")
    found = attributions(text)
    assert [a.content_text for a in found] == [
        "“Without a heavy launcher, we will not get back to the Moon this decade,”"]
    assert found[0].cue.start < text.index("The hearing went on")  # the first one, in the body


def test_two_speakers_saying_different_things_are_both_kept():
    text = ("“Without a heavy launcher, we will not get back to the Moon this decade,” Ruth Adeyemi said.\n"
            "“Without a heavy launcher, we will still get back to the Moon this decade,” Tom Ferris replied.\n")
    assert len(attributions(text)) == 2


# --- one speaker per quotation -----------------------------------------------------------------

def test_a_quotation_given_to_two_cues_stays_with_the_cue_beside_it():
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.quotes import continue_quotes

    text = ("Senior author Dr. Ana Ruiz, a professor of epidemiology, commented: “Heavy use in adolescence "
            "has lasting costs.\n“Given our findings, prevention should come first,” Ruiz said.\n")
    first, second = _at(text, "“Heavy use in adolescence has lasting costs."), _at(
        text, "“Given our findings, prevention should come first,”")
    commented = Found(cue=_at(text, "commented"), content=(first, second), source=_at(text, "Senior author Dr. Ana Ruiz"),
                      origin="model")
    said = Found(cue=_at(text, "said"), content=(second,), source=_at(text, "Ruiz said")[:1] + (text.index(" said"),),
                 origin="model")
    result = {text[slice(*f.cue)]: [text[s:e] for s, e in f.content] for f in continue_quotes(_blank()(text), [commented, said])}
    assert result == {"commented": ["“Heavy use in adolescence has lasting costs."],
                      "said": ["“Given our findings, prevention should come first,”"]}


@pytest.mark.slow
def test_a_question_before_a_cue_with_a_that_clause_is_not_its_content(nlp):
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.quotes import continue_quotes

    text = ("Dale returned to the issue later. “Which rockets can launch the lander by 2024?” Ruiz responded "
            "that only the heavy launcher could.\n")
    question = _at(text, "“Which rockets can launch the lander by 2024?”")
    responded = Found(cue=_at(text, "responded"), content=(question, _at(text, "that only the heavy launcher could")),
                      source=_at(text, "Ruiz"), origin="model")
    (result,) = continue_quotes(nlp(text), [responded])
    assert [text[s:e] for s, e in result.content] == ["that only the heavy launcher could"]


@pytest.mark.slow
def test_a_content_cut_after_its_conjunction_runs_through_the_clause_it_joins(nlp):
    from onrecord.attribute.candidates import Found
    from onrecord.attribute.quotes import continue_quotes

    text = ("The prosecutor explained that the evidence had first been deemed credible, but after more interviews, "
            "it had become clear that the witnesses' memories had faded.\nThe case is closed.\n")
    cut = (text.index("that the evidence"), text.index(", but") + len(", but"))
    explained = Found(cue=_at(text, "explained"), content=(cut,), source=_at(text, "The prosecutor"), origin="model")
    (result,) = continue_quotes(nlp(text), [explained])
    assert text[slice(*result.content[0])].endswith("but after more interviews, it had become clear that the "
                                                   "witnesses' memories had faded")
