"""onrecord.attribute.committee: the default keeps what two taggers agree on."""

from __future__ import annotations

import pytest

from onrecord.attribute.candidates import Found
from onrecord.attribute.committee import ALONE_AT_LEAST, ONE_AT_LEAST, agree, quoted_statements
from onrecord.attribute.filter import AttributionFilter

pytestmark = pytest.mark.slow

TEXT = "The mayor said the bridge would reopen. The river rose overnight near the mill."


class _Sure(AttributionFilter):
    """A filter whose probability is set per cue start, to test the decision alone."""

    def __init__(self, probabilities: dict[int, float]) -> None:
        super().__init__({}, threshold=0.3)
        self.probabilities = probabilities

    def probability(self, doc, found, ctx=None) -> float:  # type: ignore[no-untyped-def]
        return self.probabilities[found.cue[0]]


def _at(text: str, word: str) -> tuple[int, int]:
    i = text.index(word)
    return (i, i + len(word))


def test_agreement_or_near_certainty_keeps_a_candidate(nlp) -> None:
    doc = nlp(TEXT)
    said = Found(cue=_at(TEXT, "said"), content=(_at(TEXT, "the bridge would reopen"),), source=_at(TEXT, "The mayor"),
                 origin="model")
    rose = Found(cue=_at(TEXT, "rose"), content=(_at(TEXT, "overnight near the mill"),), origin="model")
    backed_rose = Found(cue=_at(TEXT, "rose"), content=(_at(TEXT, "overnight"),), origin="model")
    # both taggers propose "said"; only the transformer proposes "rose"
    flt = _Sure({said.cue[0]: 0.5, rose.cue[0]: 0.5})
    assert agree(doc, [said, rose], [said], [], flt) == [said]
    # the filter sure of "rose" alone keeps it
    flt = _Sure({said.cue[0]: 0.5, rose.cue[0]: ALONE_AT_LEAST})
    assert agree(doc, [said, rose], [said], [], flt) == [said, rose]
    # backing needs the filter to keep the other tagger's candidate too
    flt = _Sure({said.cue[0]: 0.1, rose.cue[0]: 0.5})
    assert agree(doc, [said, rose], [said, backed_rose], [], flt) == [rose]


def test_what_the_transformer_misses_is_kept_where_the_filter_is_sure_of_it(nlp) -> None:
    """A statement only the CRF, the rules or the parse propose is kept at `ONE_AT_LEAST`, never in a
    span that holds no statement (a title, boilerplate)."""
    text = "The inspectors concluded that the fire started in a faulty lead."
    doc = nlp(text)
    concluded = Found(cue=_at(text, "concluded"), content=(_at(text, "that the fire started in a faulty lead"),),
                      source=_at(text, "The inspectors"), origin="model")
    started = _at(text, "started")[0]
    sure = _Sure({concluded.cue[0]: ONE_AT_LEAST, started: 0.0})
    assert agree(doc, [], [concluded], [], sure) == [concluded]
    assert agree(doc, [], [concluded], [], _Sure({concluded.cue[0]: ONE_AT_LEAST - 0.01, started: 0.0})) == []
    assert agree(doc, [], [concluded], [], sure, skip=[(0, len(text))]) == []
    # the parse alone proposes it (every verb with a complement) when no tagger does
    [from_parse] = agree(doc, [], [], [], sure)
    assert (from_parse.cue, from_parse.origin) == (concluded.cue, "verb")


QUOTED = ('"We understand that the outages are hard for families," the spokeswoman said. '
          "Crews said the lines would be fixed by Friday.")


def test_a_statement_quoted_inside_a_quotation_is_added(nlp) -> None:
    doc = nlp(QUOTED)
    outer = Found(cue=_at(QUOTED, "said."), content=((0, QUOTED.index(",\" the") + 2),),
                  source=_at(QUOTED, "the spokeswoman"), origin="model")
    outer = Found(cue=(outer.cue[0], outer.cue[1] - 1), content=outer.content, source=outer.source, origin="model")
    inner = Found(cue=_at(QUOTED, "understand"), content=(_at(QUOTED, "that the outages are hard for families"),),
                  source=_at(QUOTED, "We"))
    outside = Found(cue=_at(QUOTED, "Crews said")[:1] + (QUOTED.index("Crews said") + 10,),
                    content=(_at(QUOTED, "the lines would be fixed by Friday"),))
    outside = Found(cue=(outside.cue[1] - 4, outside.cue[1]), content=outside.content, source=_at(QUOTED, "Crews"))
    kept = quoted_statements(doc, [outer], [inner, outside])
    assert kept == [inner, outer]  # the quoted belief is added; a rule outside every quotation is not
    # nothing is added where no kept attribution holds the quotation
    assert quoted_statements(doc, [], [inner]) == []


def test_extract_reports_the_quoted_belief_nested_in_its_quotation() -> None:
    from onrecord import extract

    text = '"My neighbours believe the river will flood again this winter," the farmer said on Monday.'
    found = extract(text).attributions
    cues = [a.cue.text for a in found]
    assert "said" in cues and "believe" in cues
    inner = found[cues.index("believe")]
    assert inner.nested_in == cues.index("said") and inner.stance == "believe"
    assert inner.content[0].text == "the river will flood again this winter"


def test_a_quoted_belief_the_parser_hangs_on_the_outer_cue_keeps_its_clause(nlp) -> None:
    from onrecord.attribute.committee import complement_verbs

    # the small model makes "are" a complement of "said", beside "think"
    text = 'The session went on.\n"I think the accusations against the governor are self-serving and not credible," Ortiz said.'
    doc = nlp(text)
    think = next(f for f in complement_verbs(doc) if text[slice(*f.cue)] == "think")
    assert [text[s:e] for s, e in think.content] == [
        "the accusations against the governor are self-serving and not credible"]


def test_a_date_is_not_a_fragment_of_the_content(nlp) -> None:
    from onrecord.attribute.committee import without_date_fragments

    text = "The mayor denied on Tuesday that the library would close."
    doc = nlp(text)
    found = Found(cue=_at(text, "denied"), content=(_at(text, "on Tuesday"), _at(text, "that the library would close")),
                  source=_at(text, "The mayor"))
    assert without_date_fragments(doc, found).content == (_at(text, "that the library would close"),)
    # a date that is the whole content stays: there is nothing else to report
    alone = Found(cue=_at(text, "denied"), content=(_at(text, "on Tuesday"),))
    assert without_date_fragments(doc, alone) == alone
    # nor is the "it" that stands in for the statement
    text = "It is understood that the library would close."
    doc = nlp(text)
    found = Found(cue=_at(text, "is understood"), content=((0, 2), _at(text, "that the library would close")))
    assert without_date_fragments(doc, found).content == (_at(text, "that the library would close"),)
    text = "The library will close, it is understood."
    doc = nlp(text)
    found = Found(cue=_at(text, "it is understood"), content=(_at(text, "The library will close"), _at(text, "it")))
    assert without_date_fragments(doc, found).content == (_at(text, "The library will close"),)
    # "it" that is what the content speaks of stays
    text = "The ministry told reporters it is clear that the bridge is safe."
    doc = nlp(text)
    found = Found(cue=_at(text, "told"), content=(_at(text, "it"), _at(text, "is clear that the bridge is safe")))
    assert without_date_fragments(doc, found) == found


def test_the_sample_has_no_spurious_attribution() -> None:
    """The sample article of the README: its 12 references and nothing else (sample_score.py's count)."""
    from pathlib import Path

    from onrecord import extract

    sample = Path(__file__).resolve().parent.parent / "examples" / "ukrainska-pravda-2022-11-09.txt"
    article = extract(sample.read_text(encoding="utf-8"), id=sample.stem)
    assert len(article.attributions) == 12


@pytest.mark.parametrize("text, cue, content", [
    ("“I’m sure they’ve got a good evaluation plan in place,” the director said on Friday.",
     "’m sure", "they’ve got a good evaluation plan in place"),
    ("“We’re confident we’ll have those rockets by the spring,” the administrator told the committee.",
     "’re confident", "we’ll have those rockets by the spring"),
])
def test_a_quoted_speakers_own_belief_is_a_nested_statement(text, cue, content) -> None:
    from onrecord import extract

    found = extract(text).attributions
    inner = next(a for a in found if a.cue.text == cue)
    assert inner.nested_in is not None and inner.stance == "believe"
    assert [c.text for c in inner.content] == [content]
    assert inner.source is not None and inner.source.text in {"I", "We"}


def test_a_hedge_or_a_question_in_a_quotation_is_not_a_belief() -> None:
    from onrecord import extract

    text = "“I guess the plan is fine, but I don’t know what happened to the money,” the treasurer said."
    assert [a.cue.text for a in extract(text).attributions] == ["said"]
