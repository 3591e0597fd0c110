"""The API's response schemas are derived from the record dataclasses: every field, the contract's JSON."""

from __future__ import annotations

import dataclasses

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

from onrecord.models import Article, Attribution, LayoutSpan, Span, Speaker  # noqa: E402
from onrecord.server import schemas  # noqa: E402
from onrecord.server.app import create_app  # noqa: E402
from onrecord.store.records import (ArticleSummary, ClaimGroup, Contradiction, IngestItem, Quote,  # noqa: E402
                                    SourcingRow, SpeakerEntry)
from onrecord.verify import Verdict  # noqa: E402

# record -> (its component in /openapi.json, fields the JSON leaves out, fields only the API adds)
RECORDS = {
    Span: ("SpanOut", set(), set()),
    LayoutSpan: ("LayoutSpanOut", set(), set()),
    Speaker: ("SpeakerOut", set(), set()),
    Attribution: ("AttributionOut", set(), set()),
    Article: ("ArticleOut", {"text_is_input"}, set()),
    ArticleSummary: ("ArticleSummaryOut", set(), set()),
    SpeakerEntry: ("SpeakerEntryOut", set(), set()),
    Quote: ("QuoteOut", set(), set()),
    ClaimGroup: ("ClaimGroupOut", set(), set()),
    Contradiction: ("ContradictionOut", set(), set()),
    SourcingRow: ("SourcingRowOut", set(), {"label", "outlet", "counts", "shares", "small_sample"}),
    Verdict: ("VerdictOut", set(), set()),
    IngestItem: ("IngestItemOut", set(), {"code"}),
}


@pytest.fixture(scope="module")
def components() -> dict:
    return create_app(store=object(), token="").openapi()["components"]["schemas"]


@pytest.mark.parametrize("record", list(RECORDS), ids=lambda r: r.__name__)
def test_every_record_field_is_in_the_api_schema(components, record):
    name, left_out, added = RECORDS[record]
    fields = {f.name for f in dataclasses.fields(record)}
    properties = set(components[name]["properties"])
    assert properties == (fields - left_out) | added
    # a response carries every field: only what the JSON may leave out is optional
    assert set(components[name]["required"]) == properties - {"warnings"}


def _quote(content: tuple[Span, ...]) -> Quote:
    attribution = Attribution(cue=Span(10, 14, "said"), content=content, source=Span(0, 9, "The mayor"),
                              kind="direct", stance="deny", speaker=Speaker("Ana Díaz", "person", "mayor", gender="female"),
                              statement_date="2022-11-08", nested_in=None)
    return Quote(article_id="a-1", index=0, attribution=attribution, speaker_id=3, speaker_name="Ana Díaz",
                 published="2022-11-09", outlet="daily", title="Bridge", claim_id=None)


ONE = (Span(16, 30, "it will reopen"),)
TWO = (Span(16, 30, "it will reopen"), Span(40, 47, "in May."))


@pytest.mark.parametrize("content", [ONE, TWO], ids=["one-span", "fragments"])
def test_records_through_their_schemas_are_their_json(content):
    quote = _quote(content)
    data = quote.to_dict()
    assert schemas.QuoteOut.model_validate(data).model_dump(mode="json") == data
    claim = ClaimGroup(id=1, label="it will reopen", n_statements=1, n_articles=1, stances={"deny": 1},
                       members=(quote,))
    assert schemas.ClaimGroupOut.model_validate(claim.to_dict()).model_dump(mode="json") == claim.to_dict()
    verdict = Verdict("altered", "it will open", 0.8, quote, (("replace", "open", "reopen"),), ("one word",), True)
    assert schemas.VerdictOut.model_validate(verdict.to_dict()).model_dump(mode="json") == verdict.to_dict()


@pytest.mark.parametrize("warnings", [(), ("page.html: main text suspiciously short",)])
def test_an_article_through_its_schema_is_the_contract_key_for_key(warnings):
    text = "The mayor said it will reopen. OTTAWA — Photo: A. Smith"
    article = Article(id="a-1", text=text, title="Bridge", published="2022-11-09", outlet="daily",
                      boilerplate=(Span(47, 55, "A. Smith"),), attributions=(_quote(TWO).attribution,),
                      layout=(LayoutSpan(31, 39, "OTTAWA —", "dateline"),), warnings=warnings)
    data = article.to_dict(with_text=True)
    out = schemas.ArticleOut.model_validate(data).model_dump(mode="json")
    assert list(out.items()) == list(data.items())  # the same keys in the same order
    assert ("warnings" in out) == bool(warnings)


def test_a_field_added_to_a_record_is_in_its_schema_without_a_second_edit():
    @dataclasses.dataclass(frozen=True)
    class Tagged:
        span: Span
        tags: tuple[str, ...] = ()
        speaker: Speaker = dataclasses.field(default_factory=Speaker)
        confidence: float | None = None

    @schemas.from_record(Tagged)
    class TaggedOut(schemas.RecordSchema):
        pass

    assert list(TaggedOut.model_fields) == ["span", "tags", "speaker", "confidence"]
    record = Tagged(Span(0, 3, "Ana"), ("x",), confidence=0.5)
    assert TaggedOut.model_validate(record).model_dump(mode="json") == {
        "span": {"start": 0, "end": 3, "text": "Ana"}, "tags": ["x"], "speaker": Speaker().to_dict(),
        "confidence": 0.5}


@dataclasses.dataclass(frozen=True)
class Inner:
    x: int


@dataclasses.dataclass(frozen=True)
class Outer:
    inner: Inner


def test_a_record_holding_a_record_without_a_schema_is_refused_at_import():
    with pytest.raises(TypeError, match="Inner has no schema yet"):
        @schemas.from_record(Outer)
        class OuterOut(schemas.RecordSchema):
            pass
