"""The attribution rules on patterns written for the test (real spaCy model)."""

import pytest

from onrecord import Settings, extract

pytestmark = pytest.mark.slow
RULES = Settings(attributor="rules")


def attributions(text: str, **kwargs):
    return extract(text, settings=RULES, **kwargs).attributions


def only(text: str, **kwargs):
    found = attributions(text, **kwargs)
    assert len(found) == 1, [(a.cue.text, a.content_text) for a in found]
    return found[0]


def test_verb_cue_before_content():
    a = only("The senator said that the bill would fail in the House.")
    assert (a.source.text, a.cue.text, a.content_text) == ("The senator", "said",
                                                            "that the bill would fail in the House")
    assert a.kind == "indirect" and a.stance == "assert"


@pytest.mark.parametrize("text, source", [
    ("\"We will not back down from this fight,\" said Governor Jane Smith.", "Governor Jane Smith"),
    ("\"We will not back down from this fight,\" Governor Jane Smith said.", "Governor Jane Smith"),
])
def test_quote_before_verb_in_both_orders(text, source):
    a = only(text)
    assert a.source.text == source and a.cue.text == "said"
    assert a.content[0].text == "\"We will not back down from this fight,\""
    assert a.kind == "direct"
    assert a.speaker.name == "Jane Smith" and a.speaker.type == "person" and a.speaker.role == "Governor"


def test_according_to():
    a = only("According to the ministry, the convoy reached the border at dawn.")
    assert a.cue.text == "According to" and a.source.text == "the ministry"
    assert a.content_text == "the convoy reached the border at dawn"
    assert a.speaker.type == "organization"


def test_trailing_according_to():
    a = only("The convoy reached the border at dawn, according to local officials.")
    assert a.source.text == "local officials" and a.content_text == "The convoy reached the border at dawn"
    assert a.speaker.type == "anonymous"


@pytest.mark.parametrize("text, cue, source, content", [
    ("As the regional health officer Dr. Lena Park noted on Monday, the outbreak has been contained to two farms.",
     "noted", "the regional health officer Dr. Lena Park", "the outbreak has been contained to two farms"),
    ("As the repair guide points out, the new battery is glued to the frame.",
     "points out", "the repair guide", "the new battery is glued to the frame"),
    ("The mill will close in May, as the company said in its annual report.",
     "said", "the company", "The mill will close in May"),
])
def test_an_as_phrase_attributes_the_clause_beside_it(text, cue, source, content):
    a = only(text)
    assert (a.cue.text, a.source.text, a.content_text) == (cue, source, content)


def test_denial_and_belief_stance():
    deny, believe = attributions("The company denied that it had paid the hackers. Analysts believe that the "
                                 "market will recover next year.")
    assert deny.stance == "deny" and deny.speaker.type == "organization"
    assert believe.stance == "believe" and believe.speaker.type == "group"


def test_colon_lead_in_with_a_name():
    text = "Mayor Adams: \"The city is safe and the subway is running on time.\""
    a = only(text)
    assert a.cue.text == ":" and a.source.text == "Mayor Adams" and a.kind == "direct"


def test_a_transcript_speaker_before_a_colon_speaks():
    text = "WALLACE: Do you accept the result?\nOKONJO: I accept it, and I will work with the new council.\n"
    cues = [(a.source.text, a.cue.text) for a in extract(text).attributions]
    assert ("OKONJO", ":") in cues


@pytest.mark.parametrize("text", [
    "NEW DELHI: Nearly 150 students returned home on Tuesday after their visas were cancelled.\n"
    "The flight landed at dawn.\n",  # a dateline
    "Lake Runners: Forward Dan Ochoa missed his third straight game with a sprained ankle.\n"
    "The team plays again on Friday.\n",  # a note under a team's name
    "Harbor Depot (ticker: HD) reported $1.12 in per-share earnings for the third quarter. Analysts "
    "predicted $1.10 a share.\n",  # a colon inside brackets
])
def test_one_name_before_a_colon_is_no_transcript(text):
    assert not [a for a in extract(text).attributions if a.cue.text == ":"]


@pytest.mark.parametrize("text", [
    "DEAR ABBY: My neighbour parks his van across my drive every night.\n",  # a salutation, not a speaker
    "Dana Whitlock, 41, of Seymour: Possession of methamphetamine, theft.\n",  # a list under a name
])
def test_a_colon_after_a_label_or_before_a_list_is_no_attribution(text):
    assert not [a for a in extract(text).attributions if a.cue.text == ":"]


def test_an_embedded_tweet_is_attributed_by_its_signature():
    text = ("Council votes on the budget tonight.\n"
            "The vote is a test for us all. Show up and be heard. pic.twitter.com/abc123\n"
            "— Mayor Lena Ortiz (@LenaOrtiz) March 3, 2024\n"
            "The council meets at 7 p.m.\n")
    a = only(text)
    assert a.cue.text == "(@LenaOrtiz)" and a.source.text == "Mayor Lena Ortiz"
    assert a.content_text == "The vote is a test for us all. Show up and be heard"
    assert a.speaker.name == "Lena Ortiz"


def test_a_review_roundup_excerpt_is_attributed_by_its_bracketed_label():
    text = ("Early reviews of the Pixel Fold are in.\n"
            "The hinge feels sturdy and the inner screen is bright, but the battery barely lasts a day.\n"
            "[The Verge]\n"
            "Watch our hands-on below.\n"
            "[Video]\n")
    a = only(text)
    assert a.cue.text == "[The Verge]" and a.source.text == "The Verge"
    assert a.content_text.startswith("The hinge feels sturdy")


def test_source_line_attributes_the_paragraph_before():
    text = "Talks on the grain deal will resume next week.\n\nSource: two diplomats familiar with the talks\n"
    a = only(text)
    assert a.cue.text == "Source:" and a.content_text == "Talks on the grain deal will resume next week"
    assert a.speaker.type == "anonymous" and a.speaker.name is None


def test_passive_cue_with_agent():
    a = only("The resignation was first reported by The New York Times.")
    assert a.source.text == "The New York Times" and a.content_text == "The resignation"
    assert a.speaker.type == "media"


def test_split_quotation_has_two_fragments():
    a = only("\"We are ready,\" the coach said, \"and we will win the cup this year.\"")
    assert len(a.content) == 2 and a.kind == "direct"


def test_pronoun_source_resolves_to_the_last_person():
    found = attributions("Senator Maria Lopez spoke in Denver. She said that the vote would be close.")
    a = found[-1]
    assert a.source.text == "She" and a.speaker.name == "Maria Lopez" and a.speaker.resolved_from == "She"


def test_relative_pronoun_source_and_nesting():
    text = ("Reuters reported that the talks stalled after Prime Minister Olaf Scholz, who earlier said "
            "that a deal was close, left the summit.")
    outer, inner = attributions(text)
    assert outer.speaker.type == "media" and inner.source.text == "who"
    assert inner.speaker.name == "Olaf Scholz" and inner.nested_in == 0
    assert inner.cue.text == "earlier said"


def test_statement_dates_are_resolved_against_publication():
    a = only("On Tuesday, the minister said that prices would fall.", published="2022-11-09")
    assert a.statement_date == "2022-11-08"
    b = only("The minister said that prices would fall.", published="2022-11-09")
    assert b.statement_date is None


def test_no_attribution_in_plain_narration():
    assert attributions("The river flooded the valley and the bridge collapsed overnight.") == ()


def test_document_speaks_for_its_author():
    a = only("According to a statement published by the ministry, the border stays closed.")
    assert a.speaker.type == "organization" and a.speaker.name == "ministry"


def test_surname_resolves_to_the_full_name_in_the_article():
    found = attributions("Rep. Adam Schiff spoke first. Later, Schiff said that the report was flawed.")
    assert found[-1].speaker.name == "Adam Schiff" and found[-1].speaker.type == "person"


def test_titles_are_persons_and_honorifics_are_not_roles():
    president = only("The president said that the economy was strong.")
    assert president.speaker.type == "person" and president.speaker.role == "president"
    mr = only("Mr. Alan Brooks said that the economy was strong.")
    assert mr.speaker.name == "Alan Brooks" and mr.speaker.role is None


def test_html_page_end_to_end():
    from .test_reading import HTML

    article = extract(HTML)
    assert article.text_is_input is False and article.outlet
    denied = next(a for a in article.attributions if a.stance == "deny")
    assert article.text[denied.cue.start:denied.cue.end] == denied.cue.text
    assert denied.statement_date is not None or article.published is None


def test_he_prefers_the_subject_over_a_nearer_object():
    found = attributions("Donald Trump praised Vladimir Putin at the rally. He said that Russia was strong.")
    assert found[-1].source.text == "He" and found[-1].speaker.name == "Donald Trump"


def test_conjoined_names_are_not_roles():
    a = only("Senator Ann Lee and Governor Bo Park said that the deal was fair.")
    assert a.speaker.role != "and Governor Bo Park"


def test_an_unnamed_office_holder_is_anonymous():
    a = only("\"We simply don't have the money,\" one council leader said.")
    assert a.speaker.type == "anonymous" and a.speaker.description == "one council leader"


@pytest.mark.parametrize("text, source, content", [
    ("Bus fares will have to rise again next spring, argued the transport spokesman.",
     "the transport spokesman", ["Bus fares will have to rise again next spring"]),
    ("There is a real thrill, insists 15-year-old Tariq Hale, in landing a kite on the first try.",
     "15-year-old Tariq Hale", ["There is a real thrill", "in landing a kite on the first try"]),
    ("The river was higher than last year, explained the warden, pointing at the bank.",
     "the warden", ["The river was higher than last year"]),
])
def test_the_speaker_after_a_comma_is_the_source(text, source, content):
    a = only(text)
    assert a.source.text == source and [c.text for c in a.content] == content


@pytest.mark.parametrize("text", [
    "Dr. Imani Cole told NBC News' Weekend Edition program the final count could pass 9,000.",
    "Dr. Imani Cole told NBC News’ Evening show the final count could pass 9,000 by June.",
])
def test_the_addressee_of_told_is_not_content(text):
    a = only(text)
    assert a.cue.text == "told" and a.content_text.startswith("the final count could pass 9,000")


@pytest.mark.parametrize("text, source", [
    ("LONDON — Opposition Leader Rui Matos says the rail strike will end within days.",
     "Opposition Leader Rui Matos"),
    ("OSLO — The prime minister said on Tuesday the fuel tax would be cut.", "The prime minister"),
    ("Rail strike to end\nLONDON — Opposition Leader Rui Matos says the rail strike will end within days.",
     "Opposition Leader Rui Matos"),  # a dateline below the headline
])
def test_a_dateline_is_not_the_source(text, source):
    assert only(text).source.text == source


def test_a_quotation_signed_with_a_dash():
    a = only("“We will rebuild the pier before summer.” — Mayor Ana Ruiz\n")
    assert (a.source.text, a.cue.text, a.content_text) == ("Mayor Ana Ruiz", "—",
                                                            "“We will rebuild the pier before summer.”")


def test_a_dash_that_goes_on_with_the_sentence_signs_nothing():
    text = "The bank stopped the practice of “redlining” — refusing loans in poor neighborhoods\n"
    assert not [a for a in attributions(text) if a.cue.text == "—"]


def test_the_one_quoted_speaks_not_the_medium_that_quotes():
    a = only("The senator was quoted by Politico as saying that the deal was dead.")
    assert a.source.text == "The senator" and a.content_text == "that the deal was dead"
    assert a.speaker.name != "Politico"


def test_a_hedge_after_the_statement():
    a = only("Northfield have sacked their manager after ten games, it is understood.")
    assert a.cue.text == "it is understood" and a.source is None and a.stance == "believe"
    assert a.content_text == "Northfield have sacked their manager after ten games"
    # a hedge inside a quotation is the speaker's, found by the quotation's own cue
    assert all(x.cue.text != "it is understood" for x in attributions(
        "“The deal is off, it is understood,” said the agent, laughing."))
