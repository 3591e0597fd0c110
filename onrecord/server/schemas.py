"""Request and response schemas of the JSON API (pydantic stays inside ``onrecord/server``).

The records are the dataclasses of ``onrecord.models``, the store's result records and
`onrecord.verify.Verdict`. Their response schemas are derived from them (`from_record`):
one field per dataclass field, with its type (a record as its schema, a tuple as a list)
and its default, so a field added to a record is in the API without a second edit. What
is written here is only where the JSON differs from the dataclass (the contract's
single-or-list ``content``, fields only the API adds), the order of the JSON keys, and
descriptions for OpenAPI. ``from_attributes`` converts a record to its schema.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import types
from collections.abc import Callable
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..models import GENDERS, KINDS, SPEAKER_TYPES, STANCES, Article, Attribution, LayoutSpan, Span, Speaker
from ..store.records import ArticleSummary, ClaimGroup, Contradiction, IngestItem, Quote, SourcingRow, SpeakerEntry
from ..verify import Verdict

Kind = Literal[KINDS]  # type: ignore[valid-type]
Stance = Literal[STANCES]  # type: ignore[valid-type]
SpeakerType = Literal[SPEAKER_TYPES]  # type: ignore[valid-type]
SpeakerTypeOrEmpty = Literal[SPEAKER_TYPES + ("",)]  # type: ignore[valid-type]  # empty: any (a form's "any")
StanceOrEmpty = Literal[STANCES + ("",)]  # type: ignore[valid-type]
GenderOrEmpty = Literal[GENDERS + ("",)]  # type: ignore[valid-type]


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RecordSchema(Schema):
    """The schema of a record: a response carries every field, defaults included, so OpenAPI
    marks them all ``required`` in responses (where a record's JSON leaves a field out, its
    schema says so)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


S = TypeVar("S", bound=RecordSchema)
# record dataclass -> its schema; a record's fields may only name records derived before it
RECORD_SCHEMAS: dict[type, type[RecordSchema]] = {}


def from_record(record: type, *, first: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
                fields: dict[str, Any] | None = None,
                describe: dict[str, str] | None = None) -> Callable[[type[S]], type[S]]:
    """Class decorator: the schema of ``record``, a dataclass, with the decorated class as its base.

    The decorated class holds what is not a field (docstring, properties, serializers); the
    fields come from ``dataclasses.fields(record)``.

    Args:
        record: the dataclass the schema describes.
        first: fields that come first in the JSON, in this order (as the record's ``to_dict``);
            the others follow in the dataclass's order, then the fields only the API adds.
        exclude: dataclass fields that are not in the JSON.
        fields: ``name -> (type, default or Field(...))`` for a field whose JSON differs from
            the dataclass's, or one the API adds.
        describe: ``name -> description`` for OpenAPI.
    """
    def derive(cls: type[S]) -> type[S]:
        hints = get_type_hints(record)
        given, notes = dict(fields or {}), describe or {}
        names = [f.name for f in dataclasses.fields(record) if f.name not in exclude]
        unknown = set(first) - set(names) - set(given)
        if unknown:
            raise TypeError(f"{cls.__name__}: {sorted(unknown)} named in first= are not fields")
        definitions: dict[str, Any] = {}
        for f in dataclasses.fields(record):
            if f.name in exclude:
                continue
            if f.name in given:
                definitions[f.name] = given.pop(f.name)
                continue
            if f.default is not dataclasses.MISSING:
                default = Field(list(f.default) if isinstance(f.default, tuple) else f.default,
                                description=notes.get(f.name))
            elif f.default_factory is not dataclasses.MISSING:
                factory: Any = f.default_factory
                factory = RECORD_SCHEMAS.get(factory, factory)  # a record's default: its schema's
                default = Field(default_factory=factory, description=notes.get(f.name))
            else:
                default = Field(description=notes.get(f.name))
            definitions[f.name] = (api_type(hints[f.name]), default)
        definitions.update(given)  # the fields only the API adds
        order = list(first) + [name for name in definitions if name not in first]
        model = create_model(cls.__name__, __base__=cls, __module__=cls.__module__, __doc__=cls.__doc__,
                             **{name: definitions[name] for name in order})
        RECORD_SCHEMAS[record] = model
        return model
    return derive


def api_type(hint: Any) -> Any:
    """A dataclass field's type as the API's: records become their schemas, ``tuple[X, ...]`` a list."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint not in RECORD_SCHEMAS:
            raise TypeError(f"{hint.__name__} has no schema yet: derive it before the records that hold it")
        return RECORD_SCHEMAS[hint]
    origin, args = get_origin(hint), get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return list[api_type(args[0])]  # type: ignore[misc]
    if origin is tuple:
        return tuple[tuple(api_type(a) for a in args)]  # type: ignore[misc]
    if origin is dict:
        return dict[api_type(args[0]), api_type(args[1])]  # type: ignore[misc]
    if origin in (Union, types.UnionType):
        return functools.reduce(operator.or_, (api_type(a) for a in args))
    return hint


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, for people.")


# --- the JSON contract of DESIGN.md ------------------------------------------------------------

@from_record(Span)
class SpanOut(RecordSchema):
    pass


@from_record(LayoutSpan)
class LayoutSpanOut(RecordSchema):
    pass


@from_record(Speaker)
class SpeakerOut(RecordSchema):
    pass


@from_record(Attribution, first=("source", "cue", "content"),
             fields={"content": (SpanOut | list[SpanOut], ...)})  # the contract: one span, or the fragments
class AttributionOut(RecordSchema):
    @property
    def content_text(self) -> str:
        """The content's fragments joined, as ``Attribution.content_text`` (templates, sides, CSV)."""
        content: Any = self.content  # type: ignore[attr-defined]
        spans = content if isinstance(content, list) else [content]
        return " … ".join(span.text for span in spans)


@from_record(Article, exclude=("text_is_input",),
             first=("id", "title", "published", "outlet", "url", "boilerplate", "editorial_notes", "attributions",
                    "layout", "warnings", "text"),
             # as Article.to_dict: present only when there is something to say
             fields={"warnings": (list[str], Field([], exclude_if=lambda warnings: not warnings,
                                                   description="What a reader should know about the input "
                                                               "(absent when nothing).")),
                     "text": (str, Field(description="The analysed text: every offset indexes it."))},
             describe={"layout": "Captions, bylines, share and related boxes: not text."})
class ArticleOut(RecordSchema):
    """``Article.to_dict(with_text=True)``: every offset indexes ``text``."""


# --- store records ------------------------------------------------------------------------------

@from_record(ArticleSummary)
class ArticleSummaryOut(RecordSchema):
    pass


class Page(Schema):
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, if there may be one.")
    total: int | None = Field(default=None, description="How many items pass the filters (all pages).")


class ArticleList(Page):
    q: str | None = None
    items: list[ArticleSummaryOut]


@from_record(SpeakerEntry, describe={
    "outlet": "For anonymous sources, grouped per outlet.",
    "gender": "A person's gender: the one the articles' own words give in its statements (female, male; "
              "more than one in ten giving the other makes it unknown), else unknown."})
class SpeakerEntryOut(RecordSchema):
    """A canonical speaker: a named person, organisation or medium, or an anonymous source of one outlet."""


class SpeakerList(Page):
    q: str | None = None
    gender: str | None = Field(None, description="The gender filter (named people of this gender), if any.")
    items: list[SpeakerEntryOut]
    facets: dict[str, list[tuple[str, int]]] = Field(
        {}, description="Speakers per type and named people per gender (matching q; each ignoring its own filter).")


@from_record(Quote, describe={"index": "Position of the attribution in its article.",
                              "speaker_id": "The canonical speaker, once linked.",
                              "speaker_name": "The canonical speaker's name, else the attribution's own."})
class QuoteOut(RecordSchema):
    """A stored attribution (``attribution``: the extraction contract) with its linked speaker and article."""


class SpeakerCount(Schema):
    id: int
    name: str
    n: int = Field(description="Statements of this speaker that pass the filters.")


class SpeakerGroup(Schema):
    """One speaker on record about the words searched, with (the first of) their statements."""

    speaker: SpeakerCount
    statements: list[QuoteOut]


class QuoteList(Page):
    q: str | None = Field(None, description="Words that every statement contains (stemmed), if any.")
    items: list[QuoteOut]
    facets: dict[str, list[tuple[str, int]]] = Field(
        {}, description="Counts per speaker_type, stance, outlet and gender (of named people) of the filtered "
                        "statements (each facet ignoring its own filter), and dates: [[first, 0], [last, 0]].")
    speakers: list[SpeakerCount] = Field([], description="The speakers with the most statements that pass the "
                                                         "filters (the speaker facet).")


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
    facets: dict[str, list[tuple[str, int]]] = Field({}, description="As in /quotes.json.")
    speakers: list[SpeakerCount] = Field([], description="As in /quotes.json.")
    group: Literal["", "speaker"] = Field("", description="speaker: the page lists speakers (groups), each with "
                                                          "their statements; total counts speakers then.")
    groups: list[SpeakerGroup] = Field([], description="Who is on record about the words (group=speaker).")


@from_record(ClaimGroup)
class ClaimGroupOut(RecordSchema):
    """Statements from one or more articles that make the same claim, with their stances counted."""


class ClaimList(Page):
    q: str | None = Field(None, description="Claims with a statement containing these words, if any.")
    items: list[ClaimGroupOut]


class ClaimDetail(Schema):
    claim: ClaimGroupOut
    label: str = Field("", description="The claim in the words of its most representative statement.")
    representative: QuoteOut | None = None
    asserting: list[QuoteOut] = Field(description="Statements that assert the claim as labelled.")
    believing: list[QuoteOut] = Field([], description="Statements that believe it (stance believe).")
    denying: list[QuoteOut] = Field(description="Statements against it: a denial, or a negated statement.")


@from_record(Contradiction)
class ContradictionOut(RecordSchema):
    """Two statements of one claim whose stance or polarity oppose."""


class ContradictionList(Page):
    items: list[ContradictionOut]
    n_claims: int = Field(0, description="Claims whose statements were compared.")
    n_statements: int = Field(0, description="Statements stored.")


SOURCE_TYPES = ("person", "organization", "media", "group", "anonymous", "unknown")


@from_record(SourcingRow, first=("key", "label", "outlet", "total", "counts", "shares", "small_sample"),
             fields={
                 "key": (str | None, Field(description="The outlet, or the article id.")),
                 "label": (str | None, Field(None, description="The article's title (by article) or the outlet.")),
                 "outlet": (str | None, None),
                 "counts": (dict[str, int], Field({}, description="Statements per speaker type: "
                                                                  + ", ".join(SOURCE_TYPES) + ".")),
                 "shares": (dict[str, float], Field({}, description="counts / total, per speaker type.")),
                 "small_sample": (bool, Field(False, description="Fewer statements than a share can be read "
                                                                 "from (see caveat).")),
             },
             describe={"named": "Named people and organisations (not groups).",
                       "other": "Groups and unknown speakers."})
class SourcingRowOut(RecordSchema):
    """Statements per source type for one outlet or article, as counts and shares."""


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


class GenderTrendPoint(Schema):
    outlet: str | None
    month: str = Field(description="YYYY-MM")
    sources: int = Field(description="Named people quoted that month (each once per article).")
    women: int
    men: int
    share_women: float = Field(description="women / sources.")


class MostQuoted(Schema):
    outlet: str | None
    women: list[SpeakerCount] = Field(description="n: articles they are quoted in.")
    men: list[SpeakerCount]


class GenderList(Schema):
    items: list[GenderRowOut] = Field(description="One row per outlet, most sources first.")
    all: GenderRowOut = Field(description="Every outlet together.")
    since: str | None = None
    until: str | None = None
    definition: str = ""
    small_sample_below: int = 0
    trend: list[GenderTrendPoint] = Field([], description="Share of women among named people per outlet and month.")
    most_quoted: list[MostQuoted] = Field([], description="The women and men quoted in the most articles, per outlet.")


class SourcingOut(Schema):
    by: Literal["outlet", "article"]
    rows: list[SourcingRowOut]
    total: int = 0
    definitions: dict[str, str] = {}
    small_sample_below: int = 0
    since: str | None = None
    until: str | None = None
    gender: GenderList | None = Field(None, description="Women among named people, per outlet (by outlet only).")


@from_record(Verdict, fields={"verdict": (Literal["verbatim", "altered", "negated", "paraphrase", "not_found"], ...)},
             describe={"similarity": "1 for verbatim; word-level similarity for altered and negated; content-word "
                                     "overlap (or embedding cosine) for paraphrase.",
                       "diff": "(op, quoted words, words on record): op is equal, replace, insert (only on record) "
                               "or delete (only quoted).",
                       "speaker_match": "Whether the statement's speaker is the one asked about."})
class VerdictOut(RecordSchema):
    """One stored statement and how the quote compares with it."""


class VerifyOut(Schema):
    q: str
    speaker: str | None
    meaning: bool = Field(False, description="Whether statements were also searched by meaning (embeddings).")
    finding: Literal["verbatim", "altered", "negated", "paraphrase", "wrong_speaker", "absent"] | None = Field(
        None, description="The verdicts in one word (wrong_speaker: on record, but from someone else).")
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


@from_record(IngestItem, first=("id", "status", "code"),
             fields={"status": (Literal["added", "updated", "skipped", "failed"], ...),
                     "code": (int, Field(description="The HTTP status of this article: 201 added, 200 updated or "
                                                     "skipped, 422 refused."))},
             describe={"id": "The article's id (None when the input never became an article).",
                       "error": "Why the article was not stored."})
class IngestItemOut(RecordSchema):
    """What became of one article of a write."""


class IngestOut(Schema):
    """``onrecord.store.ingest``'s report: 200 when every article is stored (or was already),
    207 (Multi-Status) when any failed, with a status per item (422 for a refused article)."""

    added: int
    updated: int
    skipped: int
    failed: int = 0
    ids: list[str] = Field(description="Ids of the articles stored or already stored.")
    items: list[IngestItemOut] = []
