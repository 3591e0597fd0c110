"""Result records of store queries: frozen dataclasses with ``to_dict()``.

The extraction records (`Article`, `Attribution`, `Speaker`, `Span`, `Claim`) live in
`onrecord.models`; these are the views the store returns over many articles.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..models import Attribution


class _Record:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]


def _plain(value: Any) -> Any:
    if isinstance(value, (_Record, Attribution)):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class ArticleSummary(_Record):
    id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    n_attributions: int


@dataclass(frozen=True, slots=True)
class SpeakerEntry(_Record):
    """A canonical speaker: a named person/organization/medium, or an anonymous source of one outlet."""

    id: int
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    n_statements: int
    first_date: str | None
    last_date: str | None
    outlet: str | None = None  # set for anonymous sources, which are grouped per outlet
    gender: str = "unknown"  # a person's: the one gender its statements give (`link.speakers.consistent_gender`)


@dataclass(frozen=True, slots=True)
class Quote(_Record):
    """One stored attribution in its context: the `Attribution` as extracted (its spans index
    the article's text), the canonical speaker it was linked to, the article and the claim."""

    article_id: str
    index: int  # position of the attribution in its article
    attribution: Attribution
    speaker_id: int | None  # canonical speaker (`SpeakerEntry.id`), set by linking
    speaker_name: str | None  # the canonical speaker's name, else the attribution's own
    published: str | None
    outlet: str | None
    title: str | None
    claim_id: int | None

    def to_row(self) -> dict[str, Any]:
        """One flat row of `onrecord.models.ROW_COLUMNS`, with the linked speaker and claim."""
        return self.attribution.to_row(article_id=self.article_id, index=self.index, title=self.title,
                                       outlet=self.outlet, published=self.published, speaker=self.speaker_name,
                                       speaker_id=self.speaker_id, claim_id=self.claim_id)


@dataclass(frozen=True, slots=True)
class ClaimGroup(_Record):
    id: int
    label: str
    n_statements: int
    n_articles: int
    stances: dict[str, int]
    members: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class Contradiction(_Record):
    claim_id: int
    a: Quote
    b: Quote
    reason: str
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class SourcingRow(_Record):
    key: str
    total: int
    named: int
    anonymous: int
    media: int
    other: int
    share_named: float
    share_anonymous: float
    share_media: float




@dataclass(frozen=True, slots=True)
class IngestItem(_Record):
    """What became of one input: stored ("added", "updated"), "skipped" (already stored) or "failed"."""

    id: str | None  # the article's id; None when the input never became an article
    status: str
    error: str | None = None  # why it failed, naming the input


@dataclass(frozen=True, slots=True)
class IngestReport(_Record):
    """Every input of one ingest, each either stored or reported, in the order they were decided."""

    items: tuple[IngestItem, ...]

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> tuple[IngestItem, ...]:
        return tuple(item for item in self.items if item.status == "failed")

    def counts(self) -> dict[str, int]:
        """``{"added": n, "updated": n, "skipped": n, "failed": n}``."""
        return {status: self.count(status) for status in ("added", "updated", "skipped", "failed")}
