import json

from onrecord.models import Article, Attribution, Span, Speaker


def make_article() -> Article:
    text = 'Putin said that "talks" failed. Source: a diplomat.'
    attribution = Attribution(
        cue=Span.of(text, 6, 10),
        content=(Span.of(text, 11, 30), Span.of(text, 40, 50)),
        source=Span.of(text, 0, 5),
        kind="mixed", stance="deny",
        speaker=Speaker(name="Vladimir Putin", type="person", role="President"),
        statement_date="2022-11-08", nested_in=None,
    )
    return Article(id="a1", text=text, title="T", published="2022-11-09", attributions=(attribution,))


def test_span_of_takes_text_by_offsets():
    span = Span.of("hello world", 6, 11)
    assert span.text == "world"
    assert span.to_dict() == {"start": 6, "end": 11, "text": "world"}


def test_article_round_trips_through_json():
    article = make_article()
    data = json.loads(json.dumps(article.to_dict()))
    assert Article.from_dict(data, text=article.text) == article


def test_contract_fields_and_single_content_span():
    article = make_article()
    data = article.to_dict()
    assert set(data) >= {"id", "title", "published", "outlet", "url", "boilerplate", "attributions"}
    assert "text" not in data  # plain-text input: offsets refer to the input file
    attribution = data["attributions"][0]
    assert set(attribution) >= {"source", "cue", "content", "kind", "stance", "speaker", "statement_date", "nested_in"}
    assert isinstance(attribution["content"], list) and len(attribution["content"]) == 2
    one = Attribution(cue=Span(0, 1, "x"), content=(Span(2, 3, "y"),))
    assert one.to_dict()["content"] == {"start": 2, "end": 3, "text": "y"}


def test_derived_text_is_output():
    article = Article(id="h", text="abc", text_is_input=False)
    assert article.to_dict()["text"] == "abc"
