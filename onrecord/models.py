"""The record types of onrecord, defined once and used everywhere.

`Span`, `Speaker`, `Attribution`, `Article` and `Claim` are frozen dataclasses.
Their JSON form (the contract in DESIGN.md) is produced here by `to_dict()` and
read back by `from_dict()`; no other module assembles that JSON by hand. Their one
flat row (`attribution_row`, `ROW_COLUMNS`) and the `content_hash` of a text are here too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

KINDS = ("direct", "indirect", "mixed")
STANCES = ("assert", "deny", "believe", "question")
SPEAKER_TYPES = ("person", "organization", "media", "group", "anonymous", "unknown")
GENDERS = ("female", "male", "unknown")
# Kinds of `LayoutSpan`: page structure and furniture that is never a source, cue or content
# ("bullet", a full-sentence list item, is the exception: its statements are still read).
LAYOUT_KINDS = ("heading", "list_item", "bullet", "caption", "credit", "byline", "related", "share", "menu",
                "dateline", "label")


# One attribution as one flat row: the columns of every table onrecord writes (`onrecord extract
# --format csv`, `onrecord export` as CSV or Parquet, the Spark job's attributions/, the server's
# CSV), in this order. `Attribution.to_row` fills them; ids of the linked speaker and claim are
# known only in a store (None elsewhere).
ROW_COLUMNS = (
    "article_id",      # the article's id
    "index",           # the attribution's position in its article
    "speaker",         # who, as shown (linked name, else name, description or source words)
    "speaker_id",      # the linked (canonical) speaker, in a store
    "speaker_type", "speaker_gender", "role", "description",
    "stance", "kind", "statement_date",
    "source", "cue", "content",  # the texts of the spans (content fragments joined by " … ")
    "nested_in",       # index of the attribution whose content holds this one
    "source_start", "source_end", "cue_start", "cue_end",  # character offsets into the article's text
    "content_spans",   # JSON [[start, end], ...]
    "title", "outlet", "url", "published",
    "claim_id",        # the claim cluster, in a store
)
INTEGER_ROW_COLUMNS = ("index", "speaker_id", "nested_in", "source_start", "source_end", "cue_start", "cue_end",
                       "claim_id")


def content_hash(text: str) -> str:
    """SHA-256 of a text: what the store and the Spark job know an article's text by."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the analysed text: Python ``str`` indices, ``text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(int(data["start"]), int(data["end"]), str(data.get("text", "")))


@dataclass(frozen=True, slots=True)
class LayoutSpan:
    """A stretch of the analysed text that is page structure or furniture, with its ``kind``.

    Kinds are listed in `LAYOUT_KINDS`: a heading, a list item, a photo caption or credit,
    a byline, a related-article link, a share line, a menu, a dateline ("OTTAWA —") or a
    section label ("BONDS:" in "BONDS: Bond prices fell").
    """

    start: int
    end: int
    text: str
    kind: str

    @classmethod
    def of(cls, text: str, start: int, end: int, kind: str) -> LayoutSpan:
        return cls(start, end, text[start:end], kind)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LayoutSpan:
        return cls(int(data["start"]), int(data["end"]), str(data.get("text", "")), str(data.get("kind", "")))


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who is behind a source: a named person, an institution, a medium or an anonymous source."""

    name: str | None = None
    type: str = "unknown"
    role: str | None = None
    description: str | None = None
    resolved_from: str | None = None
    # only from evidence (the article's pronouns and honorifics, a first-name list), never guessed
    gender: str = "unknown"

    def to_dict(self) -> dict[str, Any]:
        # spelled out: `asdict` deep-copies every field, a fifth of the store's write time at ingest
        return {"name": self.name, "type": self.type, "role": self.role, "description": self.description,
                "resolved_from": self.resolved_from, "gender": self.gender}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speaker:
        gender = data.get("gender")
        return cls(**{k: data.get(k) for k in ("name", "role", "description", "resolved_from")},
                   type=data.get("type") or "unknown", gender=gender if gender in GENDERS else "unknown")


@dataclass(frozen=True, slots=True)
class Attribution:
    """One statement, belief or denial: who (source), how (cue), what (content)."""

    cue: Span
    content: tuple[Span, ...]
    source: Span | None = None
    kind: str = "indirect"
    stance: str = "assert"
    speaker: Speaker = field(default_factory=Speaker)
    statement_date: str | None = None
    nested_in: int | None = None

    def to_row(self, *, article_id: str, index: int, title: str | None = None, outlet: str | None = None,
               url: str | None = None, published: str | None = None, speaker: str | None = None,
               speaker_id: int | None = None, claim_id: int | None = None) -> dict[str, Any]:
        """This attribution as one flat row of `ROW_COLUMNS` (None where unknown).

        ``speaker`` is who, as shown: the linked speaker's name when given, else the
        attribution's speaker name, its description, or the words of its source.
        ``content_spans`` is JSON (``[[start, end], ...]``) so that the row stays flat.
        """
        sp = self.speaker
        return {
            "article_id": article_id, "index": index,
            "speaker": speaker or sp.name or sp.description or (self.source.text if self.source else None) or None,
            "speaker_id": speaker_id, "speaker_type": sp.type, "speaker_gender": sp.gender, "role": sp.role,
            "description": sp.description, "stance": self.stance, "kind": self.kind,
            "statement_date": self.statement_date, "source": self.source.text if self.source else None,
            "cue": self.cue.text, "content": self.content_text, "nested_in": self.nested_in,
            "source_start": self.source.start if self.source else None,
            "source_end": self.source.end if self.source else None,
            "cue_start": self.cue.start, "cue_end": self.cue.end,
            "content_spans": json.dumps([[c.start, c.end] for c in self.content]),
            "title": title, "outlet": outlet, "url": url, "published": published, "claim_id": claim_id,
        }

    @property
    def content_text(self) -> str:
        return " … ".join(span.text for span in self.content)

    def to_dict(self) -> dict[str, Any]:
        content: Any = [s.to_dict() for s in self.content]
        return {
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict(),
            "content": content[0] if len(content) == 1 else content,
            "kind": self.kind,
            "stance": self.stance,
            "speaker": self.speaker.to_dict(),
            "statement_date": self.statement_date,
            "nested_in": self.nested_in,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        content = data["content"]
        content = content if isinstance(content, list) else [content]
        return cls(
            cue=Span.from_dict(data["cue"]),
            content=tuple(Span.from_dict(c) for c in content),
            source=Span.from_dict(data["source"]) if data.get("source") else None,
            kind=data.get("kind") or "indirect",
            stance=data.get("stance") or "assert",
            speaker=Speaker.from_dict(data.get("speaker") or {}),
            statement_date=data.get("statement_date"),
            nested_in=data.get("nested_in"),
        )


@dataclass(frozen=True, slots=True)
class Article:
    """A news article: its analysed text, metadata, boilerplate spans and attributions.

    ``text`` is the text every offset refers to. ``text_is_input`` is False when the
    text was derived (HTML input), so the JSON output carries it. ``layout`` holds the
    headings, list items, captions, datelines and other furniture found in the text (never
    read as attributions); ``warnings`` what a user should know about the input (a page whose
    main text is suspiciously short for its size).
    """

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    boilerplate: tuple[Span, ...] = ()
    editorial_notes: tuple[Span, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    text_is_input: bool = True
    layout: tuple[LayoutSpan, ...] = ()
    warnings: tuple[str, ...] = ()

    def attribution_rows(self) -> Iterator[dict[str, Any]]:
        """One `Attribution.to_row` per attribution, with this article's id and metadata."""
        for index, a in enumerate(self.attributions):
            yield a.to_row(article_id=self.id, index=index, title=self.title, outlet=self.outlet, url=self.url,
                           published=self.published)

    def to_dict(self, *, with_text: bool | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "outlet": self.outlet,
            "url": self.url,
            "boilerplate": [s.to_dict() for s in self.boilerplate],
            "editorial_notes": [s.to_dict() for s in self.editorial_notes],
            "attributions": [a.to_dict() for a in self.attributions],
            "layout": [s.to_dict() for s in self.layout],
        }
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if with_text if with_text is not None else not self.text_is_input:
            data["text"] = self.text
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str | None = None) -> Article:
        return cls(
            id=str(data["id"]),
            text=text if text is not None else data.get("text", ""),
            title=data.get("title"),
            published=data.get("published"),
            outlet=data.get("outlet"),
            url=data.get("url"),
            boilerplate=tuple(Span.from_dict(s) for s in data.get("boilerplate") or []),
            editorial_notes=tuple(Span.from_dict(s) for s in data.get("editorial_notes") or []),
            attributions=tuple(Attribution.from_dict(a) for a in data.get("attributions") or []),
            text_is_input="text" not in data,
            layout=tuple(LayoutSpan.from_dict(s) for s in data.get("layout") or []),
            warnings=tuple(str(w) for w in data.get("warnings") or []),
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """Statements from one or more articles that make the same claim."""

    id: int
    label: str
    members: tuple[tuple[str, int], ...] = ()  # (article id, attribution index)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "members": [list(m) for m in self.members]}
