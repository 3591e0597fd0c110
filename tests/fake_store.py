"""A small in-memory store that follows /work/notes/store-api.md, for server tests
written before the SQLite store landed. Kept for the fast unit tests of the views."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from onrecord.models import Article


class Record:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class ArticleSummary(Record):
    id: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    n_attributions: int


@dataclass(frozen=True)
class SpeakerEntry(Record):
    id: int
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    n_statements: int
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True)
class Quote(Record):
    article_id: str
    index: int
    speaker_id: int | None
    speaker_name: str | None
    speaker_type: str | None
    role: str | None
    stance: str
    kind: str
    cue: str
    content: str
    source: str | None
    statement_date: str | None
    published: str | None
    outlet: str | None
    title: str | None
    claim_id: int | None


@dataclass(frozen=True)
class ClaimGroup(Record):
    id: int
    label: str
    n_statements: int
    n_articles: int
    stances: dict[str, int]
    members: tuple[Quote, ...]


@dataclass(frozen=True)
class Contradiction(Record):
    claim_id: int
    a: Quote
    b: Quote
    reason: str


@dataclass(frozen=True)
class SourcingRow(Record):
    key: str | None
    total: int
    named: int
    anonymous: int
    media: int
    other: int
    share_named: float
    share_anonymous: float
    share_media: float


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@dataclass
class FakeStore:
    articles: dict[str, Article] = field(default_factory=dict)
    speakers: list[SpeakerEntry] = field(default_factory=list)
    all_quotes: list[Quote] = field(default_factory=list)
    claims: list[ClaimGroup] = field(default_factory=list)

    def add_articles(self, articles, *, progress=None) -> dict[str, int]:
        counts = Counter(added=0, updated=0, skipped=0)
        for a in articles:
            old = self.articles.get(a.id)
            counts["skipped" if old == a else "updated" if old else "added"] += 1
            self.articles[a.id] = a
        self.link()
        return dict(counts)

    def link(self) -> None:
        keys: dict[tuple[str, str], int] = {}
        raw = []
        for art in self.articles.values():
            for i, a in enumerate(art.attributions):
                name = a.speaker.name or a.speaker.description or (a.source.text if a.source else None)
                sid = keys.setdefault((name, a.speaker.type), len(keys) + 1) if name else None
                raw.append((art, i, a, sid, name))
        groups: dict[str, list[tuple[str, int]]] = {}
        for art, i, a, _, _ in raw:
            groups.setdefault(_norm(a.content_text), []).append((art.id, i))
        claim_of = {}
        for n, (label, members) in enumerate(sorted((k, v) for k, v in groups.items() if len(v) > 1), start=1):
            claim_of.update({m: n for m in members})
        self.all_quotes = [
            Quote(art.id, i, sid, name, a.speaker.type, a.speaker.role, a.stance, a.kind, a.cue.text, a.content_text,
                  a.source.text if a.source else None, a.statement_date, art.published, art.outlet, art.title,
                  claim_of.get((art.id, i)))
            for art, i, a, sid, name in raw]
        self.speakers = []
        for (name, type_), sid in keys.items():
            mine = [q for q in self.all_quotes if q.speaker_id == sid]
            dates = sorted(d for q in mine if (d := q.statement_date or q.published))
            self.speakers.append(SpeakerEntry(sid, name, type_, (), tuple(sorted({q.role for q in mine if q.role})),
                                              len(mine), dates[0] if dates else None, dates[-1] if dates else None))
        self.claims = []
        for cid in sorted(set(claim_of.values())):
            members = tuple(q for q in self.all_quotes if q.claim_id == cid)
            self.claims.append(ClaimGroup(cid, members[0].content, len(members), len({q.article_id for q in members}),
                                          dict(Counter(q.stance for q in members)), members))

    def get_article(self, article_id: str) -> Article | None:
        return self.articles.get(article_id)

    def list_articles(self, *, q=None, outlet=None, limit=50, offset=0):
        found = [a for a in self.articles.values()
                 if (not q or q.lower() in (a.title or "").lower() + a.text.lower())
                 and (not outlet or a.outlet == outlet)]
        return [ArticleSummary(a.id, a.title, a.published, a.outlet, a.url, len(a.attributions))
                for a in found[offset:offset + limit]]

    def list_speakers(self, *, q=None, type=None, limit=50, offset=0):
        found = [s for s in self.speakers if (not q or q.lower() in s.name.lower()) and (not type or s.type == type)]
        return sorted(found, key=lambda s: -s.n_statements)[offset:offset + limit]

    def get_speaker(self, speaker_id: int):
        return next((s for s in self.speakers if s.id == speaker_id), None)

    def quotes(self, *, speaker=None, speaker_type=None, stance=None, outlet=None, since=None, until=None, limit=50,
               offset=0, _text=None):
        def keep(q: Quote) -> bool:
            date = q.statement_date or q.published or ""
            return ((speaker is None or (q.speaker_id == speaker if isinstance(speaker, int) else q.speaker_name == speaker))
                    and (not speaker_type or q.speaker_type == speaker_type) and (not stance or q.stance == stance)
                    and (not outlet or q.outlet == outlet) and (not since or date >= since)
                    and (not until or date[:len(until)] <= until)
                    and (not _text or _text.lower() in q.content.lower()))
        found = sorted(filter(keep, self.all_quotes), key=lambda q: q.statement_date or q.published or "")
        return found[offset:offset + limit]

    def search(self, text: str, **filters):
        return self.quotes(_text=text, **filters)

    def list_claims(self, *, limit=50, offset=0):
        return self.claims[offset:offset + limit]

    def get_claim(self, claim_id: int):
        return next((c for c in self.claims if c.id == claim_id), None)

    def contradictions(self, *, limit=50, offset=0):
        found = [Contradiction(c.id, a, b, "assert vs deny") for c in self.claims for a in c.members for b in c.members
                 if a.stance == "assert" and b.stance == "deny"]
        return found[offset:offset + limit]

    def sourcing(self, *, by="outlet"):
        rows: dict[str | None, Counter[str]] = {}
        for q in self.all_quotes:
            key = q.outlet if by == "outlet" else q.article_id
            kind = {"person": "named", "organization": "named", "anonymous": "anonymous", "media": "media"}.get(
                q.speaker_type or "", "other")
            rows.setdefault(key, Counter())[kind] += 1
        out = []
        for key, c in rows.items():
            total = sum(c.values())
            out.append(SourcingRow(key, total, c["named"], c["anonymous"], c["media"], c["other"],
                                   c["named"] / total, c["anonymous"] / total, c["media"] / total))
        return out

    def close(self) -> None:
        pass
