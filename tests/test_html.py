"""HTML pages: the headline a reader sees, the page's structure as layout, short extractions reported."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onrecord.cli import cli
from onrecord.html import article_from_html

PARAGRAPH = ("The harbour board met on Tuesday evening to decide the future of the old ferry pier, "
             "which has been closed to the public since the winter storms damaged its timber deck.")


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def story(*, h1: str | None = "Ferry pier to reopen in spring", extra: str = "") -> str:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    return f"{heading}<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>{extra}<p>{PARAGRAPH}</p>"


# ------------------------------------------------------------------ titles

def test_title_without_site_suffix():
    html = page(story(h1=None), "<title>Ferry pier to reopen in spring | The Harbour Gazette</title>")
    assert article_from_html(html, id="a", name="a.html").title == "Ferry pier to reopen in spring"


@pytest.mark.parametrize("title", [
    "Ferry pier to reopen in spring - Harbour Gazette",
    "Harbour Gazette - Ferry pier to reopen in spring",
    "Ferry pier to reopen in spring | News | Harbour Gazette | 19.01.2020",
    "Ferry pier to reopen in spring – Gazette",
])
def test_title_site_name_parts_are_dropped(title):
    html = page(story(h1=None), f'<title>{title}</title><meta property="og:site_name" content="Harbour Gazette">')
    assert article_from_html(html, id="a", name="a.html").title == "Ferry pier to reopen in spring"


def test_a_hyphen_inside_the_headline_is_kept():
    html = page(story(h1=None), "<title>Pier re-opens: a long-awaited day for the town</title>")
    assert article_from_html(html, id="a", name="a.html").title == "Pier re-opens: a long-awaited day for the town"


def test_the_h1_headline_wins_over_a_social_media_title():
    head = ('<title>Ferry pier to reopen in spring | Harbour Gazette</title>'
            '<meta property="og:title" content="Good news for walkers: the pier is back!">'
            '<meta name="twitter:title" content="The pier is back!">')
    html = page(story(), head)
    assert article_from_html(html, id="a", name="a.html").title == "Ferry pier to reopen in spring"


def test_the_h1_headline_without_its_nested_byline():
    h1 = "Ferry pier to reopen in spring <div class='byline'>- by Ann Lee, 3 May 2021</div>"
    html = page(story(h1=h1), "<title>Ferry pier to reopen in spring - Harbour Gazette</title>")
    assert article_from_html(html, id="a", name="a.html").title == "Ferry pier to reopen in spring"


def test_a_logo_h1_is_not_the_headline():
    html = ("<html><head><title>Ferry pier to reopen in spring | Harbour Gazette</title></head><body>"
            "<header><h1><a href='/'>Harbour Gazette</a></h1></header>"
            f"<article>{story(h1=None)}</article></body></html>")
    assert article_from_html(html, id="a", name="a.html").title == "Ferry pier to reopen in spring"


# ------------------------------------------------------------------ structure as layout

def test_page_headings_and_list_items_are_layout_spans_in_the_text():
    extra = ("<h2>What happens next</h2><ul><li>Timetable</li><li>Fares and passes</li>"
             "<li>The board said the first crossing would leave at seven on a Monday morning.</li></ul>")
    article = article_from_html(page(story(extra=extra)), id="a", name="a.html")
    for span in article.layout:
        assert article.text[span.start:span.end] == span.text  # offsets never move
    from onrecord.cleaning import analyse_layout

    layout = {s.text.lstrip("-• "): s for s in analyse_layout(article.text, article.layout).furniture}
    assert layout["What happens next"].kind == "heading"
    assert layout["Ferry pier to reopen in spring"].kind == "heading"
    assert layout["Timetable"].kind == "list_item"
    assert layout["The board said the first crossing would leave at seven on a Monday morning."].kind == "bullet"


def test_layout_is_part_of_the_json_contract():
    article = article_from_html(page(story(extra="<h2>What happens next</h2>")), id="a", name="a.html")
    data = article.to_dict()
    assert {"start", "end", "text", "kind"} <= set(data["layout"][0])
    from onrecord.models import Article

    assert Article.from_dict(json.loads(json.dumps(data))).layout == article.layout


# ------------------------------------------------------------------ short extractions

FILLER = "<script>var state = '" + "x" * 60000 + "';</script>"


def short_page() -> str:
    return (f"<html><head><title>Pier news</title></head><body>{FILLER}<article><h1>Pier reopens</h1>"
            "<p>The pier reopened on Saturday after two years of repairs, the council said.</p>"
            "</article></body></html>")


def test_short_extraction_warns():
    article = article_from_html(short_page(), id="pier", name="pages/pier.html")
    assert len(article.warnings) == 1
    assert "pages/pier.html" in article.warnings[0] and "short" in article.warnings[0]
    assert article.to_dict()["warnings"] == list(article.warnings)


def test_a_normal_page_does_not_warn():
    article = article_from_html(page(story()), id="a", name="a.html")
    assert article.warnings == () and "warnings" not in article.to_dict()


def test_short_extraction_falls_back_to_the_pages_paragraphs(monkeypatch):
    import trafilatura

    real = trafilatura.bare_extraction

    def missing_the_body(html, **kwargs):  # the extractor picks a teaser and misses the story
        doc = real(html, **kwargs)
        doc.text = "Pier reopens"
        doc.body = None
        return doc

    monkeypatch.setattr(trafilatura, "bare_extraction", missing_the_body)
    article = article_from_html(page(story() * 4), id="a", name="a.html")
    assert "harbour board met on Tuesday" in article.text
    assert article.warnings == ()


@pytest.mark.slow
def test_cli_reports_a_short_page_and_strict_exits_3(tmp_path):
    path = tmp_path / "pier.html"
    path.write_text(short_page(), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", "--format", "jsonl", "--silent", str(path)])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and str(path) in warnings[0]
    assert json.loads(result.stdout.splitlines()[0])["warnings"]
    strict = runner.invoke(cli, ["extract", "--format", "jsonl", "--silent", "--strict", str(path)])
    assert strict.exit_code == 3


# ------------------------------------------------------------------ furniture is never an attribution

def said(article) -> list[tuple[str | None, str, str]]:
    return [(a.source.text if a.source else None, a.cue.text, a.content_text) for a in article.attributions]


@pytest.mark.slow
def test_a_heading_line_is_not_a_source():
    from onrecord import extract

    text = ("Harbour council backs ferry plan\n\n"
            "The harbour master said the berths were ready for the first crossings in April.\n\n"
            "Lisa Chen: Harbour stories from our readers\n\n"
            "READ MORE: Ferry operator warns of winter delays\n\n"
            "Volunteers said they would clear the slipway before the vote.\n")
    found = said(extract(text))
    assert not any(source in {"Lisa Chen", "Ferry operator"} for source, _, _ in found)
    assert ("The harbour master", "said", "the berths were ready for the first crossings in April") in found


@pytest.mark.slow
def test_a_caption_is_not_an_attribution():
    from onrecord import extract

    text = ("Ferry plan approved\n\n"
            "Volunteers said they would clear the beach. (Photo: Tom Weller/Harbour Press)\n\n"
            "The mayor said the ferry would run all year.\n")
    found = said(extract(text))
    assert [source for source, _, _ in found] == ["The mayor"]


@pytest.mark.slow
def test_a_section_label_is_not_a_source():
    from onrecord import extract

    text = "Market report\n\nMARKETS: Traders said shares in the ferry company rose in early trading.\n"
    found = said(extract(text))
    assert ("MARKETS" not in {source for source, _, _ in found})
    assert any(source == "Traders" for source, _, _ in found)


@pytest.mark.slow
def test_a_dateline_is_not_content():
    from onrecord import extract

    text = ("Fares stay frozen\n\n"
            "TORONTO — The city's mayor says transit fares will stay frozen, according to a statement "
            "released Friday.\n")
    article = extract(text)
    assert [s.kind for s in article.layout] == ["dateline"]
    for attribution in article.attributions:
        for span in attribution.content:
            assert "TORONTO" not in span.text and not span.text[:1].isspace()


@pytest.mark.slow
def test_html_headings_and_menus_are_not_attributions():
    from onrecord import extract

    extra = ("<h2>Officials say the pier is safe</h2><ul><li>Ferry operator warns of delays</li>"
             "<li>Council says no to parking fees</li></ul>")
    article = extract(page(story(extra=extra) + "<p>The harbour master said the deck had been rebuilt.</p>"))
    cues = {a.cue.text for a in article.attributions}
    assert "warns" not in cues
    assert all("pier is safe" not in a.content_text for a in article.attributions)
    assert any(a.source and a.source.text == "The harbour master" for a in article.attributions)


# ------------------------------------------------------------------ structure mapping, any page

from hypothesis import given, settings, strategies as st  # noqa: E402

WORDS = st.lists(st.sampled_from("pier ferry Harbour board «quoted» said (note) 2021 café & — council".split()),
                 min_size=2, max_size=7).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["h2", "li", "p"]), WORDS), min_size=1, max_size=6))
def test_page_structure_lands_on_its_own_lines(blocks):
    body = "".join(f"<ul><li>{words}</li></ul>" if tag == "li" else f"<{tag}>{words}</{tag}>"
                   for tag, words in blocks)
    article = article_from_html(page(story(extra=body)), id="a", name="a.html")
    previous_end = -1
    for span in article.layout:
        assert article.text[span.start:span.end] == span.text and "\n" not in span.text
        assert span.start >= previous_end  # in order, never overlapping
        previous_end = span.end
    headings = {s.text for s in article.layout if s.kind == "heading"}
    texts = [words for _, words in blocks]
    for tag, words in blocks:
        # a text that a block repeats may be dropped as a duplicate by trafilatura and still be in
        # the text through the other block: only a heading of its own must be found as one
        if tag == "h2" and words in article.text and sum(words in other for other in texts) == 1:
            assert words in headings


def test_a_dash_between_names_in_the_headline_is_kept():
    html = page(story(h1=None), "<title>Morales - Holland debate draws a record audience | Harbour Gazette</title>")
    assert article_from_html(html, id="a", name="a.html").title == "Morales - Holland debate draws a record audience"


def test_a_story_interrupted_by_a_figure_is_read_whole_with_its_furniture_as_layout():
    figure = ('<div class="image-block"><img src="pier.jpg"><p class="photo-caption">Volunteers said they '
              'would clear the beach before the vote.</p></div>')
    boxes = ('<div class="share-tools"><p>Share this story with friends who said they care</p></div>'
             '<div class="related-links"><p>Mayor says harbour will thrive</p></div>')
    body = (f"<h1>Ferry pier to reopen</h1><p>{PARAGRAPH}</p>{figure}<p>The board chair said repairs "
            f"would cost less than feared.</p><p>{PARAGRAPH}</p>{boxes}<p>{PARAGRAPH} The end.</p>")
    article = article_from_html(page(body), id="a", name="a.html")
    assert "repairs would cost less than feared" in article.text and "The end." in article.text
    kinds = {s.text: s.kind for s in article.layout}
    for furniture, kind in [("Volunteers said they would clear the beach before the vote.", "caption"),
                            ("Share this story with friends who said they care", "share"),
                            ("Mayor says harbour will thrive", "related")]:
        if furniture in article.text:
            assert kinds[furniture] == kind
    for span in article.layout:
        assert article.text[span.start:span.end] == span.text


def test_a_class_word_on_the_whole_story_is_not_furniture():
    from onrecord.html import paragraph_text
    from trafilatura.utils import load_html

    paragraphs = f"<p>{PARAGRAPH}</p>" * 4
    html = f'<html><body><article><div class="post author-jane">{paragraphs}</div></article></body></html>'
    text, spans = paragraph_text(load_html(html))
    assert text.count("harbour board") == 4 and spans == []
