from onrecord.cleaning import analyse_layout, parse_date_line


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


def test_plain_article_without_furniture():
    text = "Senate passes budget.\n\nThe Senate passed the budget on Friday, officials said."
    layout = analyse_layout(text)
    assert layout.title == "Senate passes budget."
    assert layout.boilerplate == ()
    assert layout.published is None


def test_empty_text():
    layout = analyse_layout("")
    assert layout.title is None and layout.boilerplate == ()
