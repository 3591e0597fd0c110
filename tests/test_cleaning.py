import re

import pytest
from hypothesis import given, settings, strategies as st

from onrecord.cleaning import analyse_layout, find_furniture, paragraphs, parse_date_line


def test_sample_layout(sample_text):
    layout = analyse_layout(sample_text)
    assert layout.title == "Ukraine is not being pushed to negotiate with Russia"
    assert layout.published == "2022-11-09T11:00"
    texts = [s.text for s in layout.boilerplate]
    assert "Support Us" in texts
    assert any(t.startswith("Journalists fight") for t in texts)
    # the second copy of the title is page furniture
    assert len(layout.title_spans) == 2 and layout.title_spans[1].text == layout.title
    assert layout.editorial_notes[0].text.endswith("- ed.]")
    assert layout.outlet == "Ukrainska Pravda"
    for span in layout.boilerplate + layout.editorial_notes:
        assert sample_text[span.start:span.end] == span.text  # offsets never move


def test_date_lines():
    assert parse_date_line("Wednesday, 9 November 2022, 11:00") == "2022-11-09T11:00"
    assert parse_date_line("March 3, 2016") == "2016-03-03"
    assert parse_date_line("The senator said on Tuesday that she would run again.") is None
    assert parse_date_line("Support Us") is None


@pytest.mark.parametrize(("line", "iso"), [
    ("By Anna Lee | March 4, 2025", "2025-03-04"),
    ("By Anna Lee, March 4, 2025", "2025-03-04"),
    ("By ANNA LEE, Associated Press | March 4, 2025 5:30 PM", "2025-03-04T17:30"),
    ("Published: March 4, 2025", "2025-03-04"),
    ("Updated 4 March 2025", "2025-03-04"),
    ("Posted on Tuesday, March 4, 2025 at 10:15", "2025-03-04T10:15"),
    ("By Tom Wu — Reuters — May 2, 2024", "2024-05-02"),
    ("By May Brown", None),
    ("Published by Penguin in May 2024", None),
])
def test_a_date_after_a_label_or_a_byline(line, iso):
    assert parse_date_line(line) == iso


@given(st.text(max_size=120))
def test_a_date_line_is_iso_or_nothing(line):
    iso = parse_date_line(line)
    assert iso is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?", iso)


def test_the_head_dates_the_article_and_its_statements():
    text = "Bridge to close\n\nBy Anna Lee | March 4, 2025\n\nThe mayor said on Tuesday that the bridge would close.\n"
    layout = analyse_layout(text)
    assert layout.published == "2025-03-04" and layout.title == "Bridge to close"


def test_plain_article_without_furniture():
    text = "Senate passes budget.\n\nThe Senate passed the budget on Friday, officials said."
    layout = analyse_layout(text)
    assert layout.title == "Senate passes budget."
    assert layout.boilerplate == ()
    assert layout.published is None


def test_empty_text():
    layout = analyse_layout("")
    assert layout.title is None and layout.boilerplate == ()


# ------------------------------------------------------------------ page furniture by line shape

def kinds(text: str) -> dict[str, str]:
    """What each furniture span holds, by kind (the last one of a kind wins)."""
    return {s.text: s.kind for s in analyse_layout(text).furniture}


STORY = """Harbour council backs ferry plan

PORTSMOUTH — Council leader Ann Marsh says the new ferry link will open next spring.

By Grace Olsen

Residents pack the town hall

The harbour master said the berths were ready for the first crossings in April.

Volunteers clear the slipway before the vote. (Photo: Tom Weller/Harbour Press)

READ MORE: Ferry operator warns of winter delays

MARKETS: Traders said shares in the ferry company rose in early trading.

Storm damage: Coastal towns count the cost

- Timetable
- Fares
- The operator said it would add a night crossing on Fridays.

Share this article
"""


def test_furniture_kinds_of_a_story():
    found = kinds(STORY)
    assert found["PORTSMOUTH —"] == "dateline"
    assert found["By Grace Olsen"] == "byline"
    assert found["Residents pack the town hall"] == "heading"
    assert found["Volunteers clear the slipway before the vote. (Photo: Tom Weller/Harbour Press)"] == "caption"
    assert found["READ MORE: Ferry operator warns of winter delays"] == "related"
    assert found["MARKETS:"] == "label"  # only the label: the sentence after it is news
    assert found["Storm damage: Coastal towns count the cost"] == "heading"
    assert found["- Timetable"] == "list_item"
    assert found["- The operator said it would add a night crossing on Fridays."] == "bullet"
    assert found["Share this article"] == "share"


def test_the_title_and_body_paragraphs_are_not_furniture():
    layout = analyse_layout(STORY)
    assert layout.title == "Harbour council backs ferry plan"
    texts = {s.text for s in layout.furniture}
    assert "Harbour council backs ferry plan" not in texts  # titles carry attributions (PolNeAR)
    assert not any("harbour master said" in t for t in texts)


def test_skip_spans_cover_furniture_but_not_full_sentence_bullets_or_the_title():
    layout = analyse_layout(STORY)
    skip = layout.skip_spans()

    def skipped(snippet: str) -> bool:
        at = STORY.index(snippet)
        return any(s <= at < e for s, e in skip)

    assert skipped("MARKETS:") and skipped("READ MORE") and skipped("Residents pack") and skipped("PORTSMOUTH")
    assert not skipped("Traders said")
    assert not skipped("The operator said it would add")
    assert not skipped("Harbour council backs")


@pytest.mark.parametrize("line", [
    "WASHINGTON (Reuters) - Senators said on Tuesday they had a deal.",
    "NEW YORK, Jan. 5 (AP) — The mayor said the subway would reopen.",
    "ST. LOUIS — A judge ruled that the vote could go ahead.",
])
def test_datelines_in_the_lead(line):
    text = f"Title of the story\n\n{line}\n"
    (span,) = [s for s in analyse_layout(text).furniture if s.kind == "dateline"]
    assert line.startswith(span.text) and span.text.rstrip()[-1] in "-—"


def test_a_dash_inside_a_sentence_is_not_a_dateline():
    text = "Title of the story\n\nThe plan - which the mayor backs - was approved.\n"
    assert not [s for s in analyse_layout(text).furniture if s.kind == "dateline"]


def test_speakers_before_a_colon_are_not_section_labels():
    # a transcript: the same capitalised name starts several lines
    transcript = "Debate night\n\nMORALES: We will cut taxes.\n\nHOLLAND: That is not true.\n\nMORALES: It is.\n"
    assert "label" not in {s.kind for s in analyse_layout(transcript).furniture}
    # a name written capitalised inside the story's sentences is a speaker, not a topic
    named = "Title here\n\nOkafor: Budget cuts will hit rural schools\n\nThe plan worries Okafor and others.\n"
    assert "label" not in {s.kind for s in analyse_layout(named).furniture}
    # "Source:" lines attribute the paragraph before them
    sourced = "Title here\n\nThe minister will resign.\n\nSource: two officials in her office\n"
    assert not analyse_layout(sourced).furniture
    # a known first name heading a line is a person
    person = "Title here\n\nMARIA LOPEZ: The vote was fair and the count was clean.\n"
    assert "label" not in {s.kind for s in analyse_layout(person).furniture}


def test_topic_labels_are_labels():
    # a topic (written in lower case inside the story) before a headline-like fragment
    text = ("Title here\n\nFlooding: River towns brace for a wet weekend as the agency warns levels will rise "
            "again\n\nPeople fear more flooding this year.\n")
    assert kinds(text)["Flooding:"] == "label"
    # a section in capitals before news prose: only the label is furniture
    text = "Title here\n\nCURRENCIES: The pound fell after the bank said it would cut rates.\n"
    assert kinds(text)["CURRENCIES:"] == "label"


def test_a_quotation_signature_is_not_a_list_item():
    text = "Title here\n\n“We will not give up on this town.”\n\n- Mayor Ann Marsh\n"
    assert not [s for s in analyse_layout(text).furniture if s.kind == "list_item"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "BONDS: Prices fell.", "Read more: a link", "- item", "Short heading", "OTTAWA — The minister said so.",
    "A normal sentence, which the reporter wrote, ends here.", "(Photo: A. Person/Agency)", "By Ann Lee", "",
    "  indented line  ", "“A quote,” she said.", "Share", "\t", "é: ü", ":", "-", "—",
]), max_size=12), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_furniture_offsets_never_move(lines, sep):
    text = sep.join(lines)
    layout = analyse_layout(text)
    for span in layout.furniture:
        assert text[span.start:span.end] == span.text and span.start < span.end
        assert "\n" not in span.text  # furniture never spans two lines
    assert find_furniture(text, paragraphs(text)) == find_furniture(text, paragraphs(text))


def test_a_dateline_on_its_own_line_is_not_the_title():
    text = "LISBON —\n\nThe minister said the bridge would close for a week of repairs.\n"
    layout = analyse_layout(text)
    assert layout.title != "LISBON —"
    assert [(s.kind, s.text) for s in layout.furniture] == [("dateline", "LISBON —")]


@pytest.mark.parametrize("item, kind", [
    ("- The agency says two million people have fled", "bullet"),  # a summary point: still read
    ("• Ministers expect the bridge to reopen in May.", "bullet"),
    ("- HOPE AND LOSS: Your stories of the flood", "list_item"),
    ("- Keywords Harbour, Ferry, Council, Portsmouth, Pier", "list_item"),
    ("• Most Read Stories This Week", "list_item"),
])
def test_list_items_that_are_statements_are_read(item, kind):
    text = f"Title of the story\n\nThe council met on Monday.\n\n{item}\n"
    assert kinds(text)[item] == kind


def test_a_dateline_read_as_the_content_gives_way_to_what_the_speaker_says():
    from onrecord.attribute import Found
    from onrecord.pipeline import respect_layout

    text = "OTTAWA — Party leader Dana Holt says the carbon levy will be scrapped. Then more."
    furniture = [(0, 8)]  # "OTTAWA —"
    says = text.index("says")
    holt = (text.index("Party"), text.index(" says"))
    wrong = Found(cue=(says, says + 4), content=((0, 6),), source=holt)
    fixed = respect_layout(wrong, furniture, text)
    assert fixed is not None
    assert [text[s:e] for s, e in fixed.content] == ["the carbon levy will be scrapped"]
    # a source reaching into the dateline is trimmed to the name
    reaching = Found(cue=(says, says + 4), content=((says + 5, text.index(". Then")),), source=(0, holt[1]))
    assert text[slice(*respect_layout(reaching, furniture, text).source)] == "Party leader Dana Holt"
    # a cue inside furniture is no attribution at all
    assert respect_layout(Found(cue=(7, 8), content=((9, 20),)), furniture, text) is None


def test_a_site_menu_above_the_headline_is_not_the_title():
    layout = analyse_layout("Menu Home World Business Sport Subscribe\nFerry operator cancels winter crossings\n"
                            "The operator said on Monday that the crossings would stop.\n")
    assert layout.title == "Ferry operator cancels winter crossings"
    assert analyse_layout("News | Sport | Weather\nFloods close the valley road\nText.\n").title == \
        "Floods close the valley road"
    # a headline in title case is not a menu, even where a sentence-case standfirst follows it
    assert analyse_layout("Joe Biden Wins Iowa Caucus\nHow the night unfolded in Des Moines\nIt did.\n").title == \
        "Joe Biden Wins Iowa Caucus"
