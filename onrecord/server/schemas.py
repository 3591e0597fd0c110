"""Request and response schemas of the JSON API (pydantic stays inside ``onrecord/server``).

The records themselves are the dataclasses of ``onrecord.models`` and the store's
result records; these classes only describe them for OpenAPI and validate what
crosses the HTTP boundary. ``from_attributes`` converts a record to its schema.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from ..models import GENDERS, KINDS, SPEAKER_TYPES, STANCES

Kind = Literal[KINDS]  # type: ignore[valid-type]
Stance = Literal[STANCES]  # type: ignore[valid-type]
SpeakerType = Literal[SPEAKER_TYPES]  # type: ignore[valid-type]
SpeakerTypeOrEmpty = Literal[SPEAKER_TYPES + ("",)]  # type: ignore[valid-type]  # empty: any (a form's "any")
StanceOrEmpty = Literal[STANCES + ("",)]  # type: ignore[valid-type]
GenderOrEmpty = Literal[GENDERS + ("",)]  # type: ignore[valid-type]


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, for people.")


# --- the JSON contract of DESIGN.md ------------------------------------------------------------

class SpanOut(Schema):
    start: int
    end: int
    text: str


class LayoutSpanOut(SpanOut):
    kind: str = ""


class SpeakerOut(Schema):
    name: str | None = None
    type: str = "unknown"
    role: str | None = None
    description: str | None = None
    resolved_from: str | None = None
    gender: str = "unknown"


class AttributionOut(Schema):
    source: SpanOut | None
    cue: SpanOut
    content: SpanOut | list[SpanOut]
    kind: str
    stance: str
    speaker: SpeakerOut
    statement_date: str | None
    nested_in: int | None

    @property
    def content_text(self) -> str:
        """The content's fragments joined, as ``Attribution.content_text`` (templates, sides, CSV)."""
        spans = self.content if isinstance(self.content, list) else [self.content]
        return " … ".join(span.text for span in spans)


class ArticleOut(Schema):
    """``Article.to_dict(with_text=True)``: every offset indexes ``text``."""

    id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    boilerplate: list[SpanOut]
    editorial_notes: list[SpanOut]
    layout: list[LayoutSpanOut] = Field([], description="Captions, bylines, share and related boxes: not text.")
    warnings: list[str] = []
    attributions: list[AttributionOut]
    text: str

    @model_serializer(mode="wrap")
    def _contract(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("warnings"):  # as Article.to_dict: present only when there is something to say
            data.pop("warnings", None)
        return data


# --- store records ------------------------------------------------------------------------------

class ArticleSummaryOut(Schema):
    id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    n_attributions: int


class Page(Schema):
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, if there may be one.")
    total: int | None = Field(default=None, description="How many items pass the filters (all pages).")


class ArticleList(Page):
    q: str | None = None
    items: list[ArticleSummaryOut]


class SpeakerEntryOut(Schema):
    id: int
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    n_statements: int
    first_date: str | None
    last_date: str | None
    outlet: str | None = Field(None, description="For anonymous sources, grouped per outlet.")
    gender: str = Field("unknown", description="A person's gender: the one the articles' own words give in every "
                                               "statement (female, male), else unknown.")


class SpeakerList(Page):
    q: str | None = None
    items: list[SpeakerEntryOut]
    facets: dict[str, list[tuple[str, int]]] = Field({}, description="Speakers per type (matching q).")


class QuoteOut(Schema):
    """A stored attribution (``attribution``: the extraction contract) with its linked speaker and article."""

    article_id: str
    index: int = Field(description="Position of the attribution in its article.")
    attribution: AttributionOut
    speaker_id: int | None = Field(description="The canonical speaker, once linked.")
    speaker_name: str | None = Field(description="The canonical speaker's name, else the attribution's own.")
    published: str | None
    outlet: str | None
    title: str | None
    claim_id: int | None


class QuoteList(Page):
    items: list[QuoteOut]
    facets: dict[str, list[tuple[str, int]]] = Field(
        {}, description="Counts per speaker_type, stance, outlet and gender (of named people) of the filtered "
                        "statements (each facet ignoring its own filter), and dates: [[first, 0], [last, 0]].")


class TimelinePoint(Schema):
    date: str = Field(description="Day (YYYY-MM-DD), month (YYYY-MM) or year (YYYY) of the statements.")
    stances: dict[str, int] = Field(description="Statements per stance; empty for a day, month or year without any.")


class ClaimRef(Schema):
    id: int
    label: str = Field(description="The claim in the words of its most representative statement.")


class SpeakerDetail(Schema):
    speaker: SpeakerEntryOut
    statements: list[QuoteOut] = Field(description="This page of the speaker's statements that pass the filters, "
                                                   "newest first.")
    total: int = Field(0, description="How many of the speaker's statements pass the filters (all pages).")
    claims: list[ClaimRef] = Field([], description="The claims the statements of this page belong to.")
    timeline: list[TimelinePoint] = Field(description="Every day (month, year) from the first statement that "
                                                      "passes the filters to the last, empty ones included.")
    timeline_unit: Literal["day", "month", "year"] = "day"
    gender_evidence: dict[str, int] = Field({}, description="How many of the speaker's statements give each "
                                                            "gender (female, male, unknown): what its gender rests on.")


class SearchResult(Page):
    q: str
    articles: list[ArticleSummaryOut]
    items: list[QuoteOut]


class ClaimGroupOut(Schema):
    id: int
    label: str
    n_statements: int
    n_articles: int
    stances: dict[str, int]
    members: list[QuoteOut]


class ClaimList(Page):
    items: list[ClaimGroupOut]


class ClaimDetail(Schema):
    claim: ClaimGroupOut
    label: str = Field("", description="The claim in the words of its most representative statement.")
    representative: QuoteOut | None = None
    asserting: list[QuoteOut] = Field(description="Statements that assert the claim as labelled.")
    believing: list[QuoteOut] = Field([], description="Statements that believe it (stance believe).")
    denying: list[QuoteOut] = Field(description="Statements against it: a denial, or a negated statement.")


class ContradictionOut(Schema):
    claim_id: int
    a: QuoteOut
    b: QuoteOut
    reason: str
    similarity: float | None = None


class ContradictionList(Page):
    items: list[ContradictionOut]
    n_claims: int = Field(0, description="Claims whose statements were compared.")
    n_statements: int = Field(0, description="Statements stored.")


SOURCE_TYPES = ("person", "organization", "media", "group", "anonymous", "unknown")


class SourcingRowOut(Schema):
    key: str | None = Field(description="The outlet, or the article id.")
    label: str | None = Field(None, description="The article's title (by article) or the outlet.")
    outlet: str | None = None
    total: int
    counts: dict[str, int] = Field({}, description="Statements per speaker type: " + ", ".join(SOURCE_TYPES) + ".")
    shares: dict[str, float] = Field({}, description="counts / total, per speaker type.")
    small_sample: bool = Field(False, description="Fewer statements than a share can be read from (see caveat).")
    named: int = Field(description="Named people and organisations (not groups).")
    anonymous: int
    media: int
    other: int = Field(description="Groups and unknown speakers.")
    share_named: float
    share_anonymous: float
    share_media: float


class GenderRowOut(Schema):
    """Named people quoted by one outlet, by gender: one flat row (the CSV's columns)."""

    outlet: str | None
    sources: int = Field(description="Named people quoted, each once per article they are quoted in.")
    women: int
    men: int
    unknown: int = Field(description="Named people whose gender the articles do not give (or contradict).")
    share_women: float = Field(description="women / sources.")
    share_men: float
    share_unknown: float
    share_women_of_known: float | None = Field(description="women / (women + men); None without either.")
    statements: int = Field(description="Their statements (what the drill-down links list).")
    women_statements: int
    men_statements: int
    unknown_statements: int
    small_sample: bool = Field(description="Fewer sources than a share can be read from.")


class GenderList(Schema):
    items: list[GenderRowOut] = Field(description="One row per outlet, most sources first.")
    all: GenderRowOut = Field(description="Every outlet together.")
    since: str | None = None
    until: str | None = None
    definition: str = ""
    small_sample_below: int = 0


class SourcingOut(Schema):
    by: Literal["outlet", "article"]
    rows: list[SourcingRowOut]
    total: int = 0
    definitions: dict[str, str] = {}
    small_sample_below: int = 0
    since: str | None = None
    until: str | None = None
    gender: GenderList | None = Field(None, description="Women among named people, per outlet (by outlet only).")


class VerdictOut(Schema):
    verdict: Literal["verbatim", "altered", "paraphrase", "not_found"]
    quote: str
    similarity: float = Field(description="1 for verbatim; word-level similarity for altered; content-word "
                                          "overlap (or embedding cosine) for paraphrase.")
    statement: QuoteOut | None
    diff: list[tuple[str, str, str]] = Field(description="(op, quoted words, words on record): op is equal, "
                                                         "replace, insert (only on record) or delete (only quoted).")
    notes: list[str]
    speaker_match: bool | None = Field(description="Whether the statement's speaker is the one asked about.")


class VerifyOut(Schema):
    q: str
    speaker: str | None
    verdicts: list[VerdictOut]


# --- requests -----------------------------------------------------------------------------------

class ArticleIn(Schema):
    """One article to analyse: plain text or an HTML page, with optional metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article as plain text or as an HTML page (detected).")
    id: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=64, description="ISO date or timestamp.")
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=500)


class ArticlesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=1000)


class IngestItemOut(Schema):
    id: str | None = Field(description="The article's id (None when the input never became an article).")
    status: Literal["added", "updated", "skipped", "failed"]
    code: int = Field(description="The HTTP status of this article: 201 added, 200 updated or skipped, 422 refused.")
    error: str | None = Field(None, description="Why the article was not stored.")


class IngestOut(Schema):
    """``onrecord.store.ingest``'s report: 200 when every article is stored (or was already),
    207 (Multi-Status) when any failed, with a status per item (422 for a refused article)."""

    added: int
    updated: int
    skipped: int
    failed: int = 0
    ids: list[str] = Field(description="Ids of the articles stored or already stored.")
    items: list[IngestItemOut] = []
