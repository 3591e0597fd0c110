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


def test_an_attribution_is_one_row_of_the_documented_columns():
    from onrecord.models import ROW_COLUMNS

    [row] = make_article().attribution_rows()
    assert tuple(row) == ROW_COLUMNS
    assert row["article_id"] == "a1" and row["index"] == 0 and row["speaker"] == "Vladimir Putin"
    assert (row["source_start"], row["source_end"], row["cue_start"], row["cue_end"]) == (0, 5, 6, 10)
    assert json.loads(row["content_spans"]) == [[11, 30], [40, 50]] and row["content"] == 'that "talks" failed … a diplomat'
    assert row["published"] == "2022-11-09" and row["speaker_id"] is None and row["claim_id"] is None


def test_the_row_shows_an_unnamed_speaker_by_description_or_source():
    text = "Officials said it rained."
    described = Attribution(cue=Span.of(text, 10, 14), content=(Span.of(text, 15, 24),),
                            source=Span.of(text, 0, 9), speaker=Speaker(type="group", description="officials"))
    assert described.to_row(article_id="x", index=0)["speaker"] == "officials"
    bare = Attribution(cue=Span.of(text, 10, 14), content=(Span.of(text, 15, 24),), source=Span.of(text, 0, 9))
    assert bare.to_row(article_id="x", index=0, speaker="Linked Name")["speaker"] == "Linked Name"
    assert bare.to_row(article_id="x", index=0)["speaker"] == "Officials"


def test_content_hash_is_one_function_for_store_and_spark():
    from onrecord import spark, store
    from onrecord.models import content_hash

    assert store.content_hash is content_hash and spark.content_hash is content_hash
    assert content_hash("a") == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
