"""The store's reads: articles, speakers, statements, claims and sourcing, as records.

The read half of `Store`; the questions the web asks besides (counts, facets, sorted pages)
are the functions of `queries`, which build on `statement_filters`, `speaker_filter` and
`article_filter` here so that a list, its count and its facets filter alike. All SQL goes
through SQLAlchemy Core with bound parameters; the dialect-specific part (full-text search)
is `_fts_condition`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.engine import Connection, Engine

from ..models import Article, Attribution
from . import schema as s
from .errors import StoreError, guarded_methods
from .records import ArticleSummary, ClaimGroup, Contradiction, Quote, SourcingRow, SpeakerEntry

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ][\d:.+-Z]*)?)?)?$")


def _clean(value: Any) -> Any:
    """Query text without NUL characters (PostgreSQL refuses them; nothing stored contains one)."""
    return value.replace("\x00", "") if isinstance(value, str) else value

def check_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    if not _ISO_DATE.match(value):
        raise StoreError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)")
    return value



@guarded_methods
class Reads:
    """The read half of `Store` (a mixin: `base.Store` holds the engines)."""

    engine: Engine
    dialect: str

    def stored_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes (`content_hash` of a text) are stored."""
        wanted, found = list(set(hashes)), set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                found |= set(conn.execute(select(s.articles.c.content_hash)
                                          .where(s.articles.c.content_hash.in_(chunk))).scalars())
        return found

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored (a URL is the id of an article fetched from it)."""
        wanted, found = list(set(ids)), set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                found |= set(conn.execute(select(s.articles.c.id).where(s.articles.c.id.in_(chunk))).scalars())
        return found

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(s.articles.c.data, s.articles.c.text)
                               .where(s.articles.c.id == article_id)).first()
        if row is None:
            return None
        data = json.loads(row.data)
        text_is_input = data.pop("text_is_input", True)
        article = Article.from_dict(data, text=row.text)
        return replace(article, text_is_input=text_is_input)

    def list_articles(self, *, q: str | None = None, outlet: str | None = None, limit: int = 50,
                      offset: int = 0) -> list[ArticleSummary]:
        t = s.articles.c
        q, outlet = _clean(q), _clean(outlet)
        query = article_filter(select(t.id, t.title, t.published, t.outlet, t.url, t.n_attributions), q, outlet)
        query = query.order_by(t.published.desc(), t.id).limit(_limit(limit)).offset(_offset(offset))
        with self.engine.connect() as conn:
            return [ArticleSummary(*row) for row in conn.execute(query)]

    def count(self) -> dict[str, int]:
        """Numbers of articles, attributions, speakers and claims stored."""
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in (("articles", s.articles), ("attributions", s.attributions),
                                        ("speakers", s.speakers), ("claims", s.claims))}

    def list_speakers(self, *, q: str | None = None, type: str | None = None, limit: int = 50,
                      offset: int = 0) -> list[SpeakerEntry]:
        sp = s.speakers.c
        q = _clean(q)
        query = speaker_filter(select(sp.id, sp.name, sp.type, sp.n_statements, sp.first_date, sp.last_date,
                                      sp.outlet, sp.gender), q, type)
        query = query.order_by(sp.n_statements.desc(), sp.name, sp.id).limit(_limit(limit)).offset(_offset(offset))
        with self.engine.connect() as conn:
            return self._speaker_entries(conn, conn.execute(query).all())

    def get_speaker(self, speaker_id: int) -> SpeakerEntry | None:
        sp = s.speakers.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(sp.id, sp.name, sp.type, sp.n_statements, sp.first_date, sp.last_date,
                                       sp.outlet, sp.gender).where(sp.id == int(speaker_id))).all()
            found = self._speaker_entries(conn, rows)
        return found[0] if found else None

    def _speaker_entries(self, conn: Connection, rows: Sequence[Any]) -> list[SpeakerEntry]:
        ids = [r.id for r in rows]
        aliases: dict[int, list[str]] = defaultdict(list)
        roles: dict[int, list[str]] = defaultdict(list)
        if ids:
            al = s.speaker_aliases.c
            for sid, alias in conn.execute(select(al.speaker_id, al.alias).where(al.speaker_id.in_(ids))
                                           .order_by(al.speaker_id, al.n.desc(), al.alias)):
                aliases[sid].append(alias)
            ro = s.speaker_roles.c
            for sid, role in conn.execute(select(ro.speaker_id, ro.role).where(ro.speaker_id.in_(ids))
                                          .order_by(ro.speaker_id, ro.first_date, ro.n.desc(), ro.role)):
                roles[sid].append(role)
        return [SpeakerEntry(id=r.id, name=r.name, type=r.type, aliases=tuple(aliases[r.id]),
                             roles=tuple(roles[r.id]), n_statements=r.n_statements, first_date=r.first_date,
                             last_date=r.last_date, outlet=r.outlet, gender=r.gender) for r in rows]

    def speaker_roles(self, speaker_id: int) -> list[dict[str, Any]]:
        """Roles of a speaker over time: ``[{role, n, first_date, last_date}]``, oldest first."""
        ro = s.speaker_roles.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(ro.role, ro.n, ro.first_date, ro.last_date)
                                .where(ro.speaker_id == int(speaker_id)).order_by(ro.first_date, ro.role))
            return [dict(r._mapping) for r in rows]

    def resolve_speaker(self, name: str) -> list[int]:
        """Ids of the speakers a name refers to: exact name or alias first, else a substring match."""
        low = _clean(name).strip().lower()
        sp, al = s.speakers.c, s.speaker_aliases.c
        with self.engine.connect() as conn:
            exact = set(conn.execute(select(sp.id).where(func.lower(sp.name) == low)).scalars())
            exact |= set(conn.execute(select(al.speaker_id).where(al.alias_lower == low)).scalars())
            if exact:
                return sorted(exact)
            return sorted(set(conn.execute(select(sp.id).where(
                func.lower(sp.name).contains(low, autoescape=True))).scalars()))

    # ---------------------------------------------------------------- quotes and search
    def _quote_query(self) -> Any:
        a, ar, sp = s.attributions, s.articles, s.speakers
        return (select(ar.c.id.label("article_id"), a.c.idx, a.c.speaker_id,
                       func.coalesce(sp.c.name, a.c.speaker_name, a.c.description).label("speaker_name"),
                       a.c.data, a.c.published, a.c.outlet, ar.c.title, a.c.claim_id,
                       a.c.id.label("attribution_id"))
                .select_from(a.join(ar, ar.c.pk == a.c.article_pk).outerjoin(sp, sp.c.id == a.c.speaker_id)))

    @staticmethod
    def _quote(row: Any) -> Quote:
        return Quote(article_id=row.article_id, index=row.idx, attribution=Attribution.from_dict(json.loads(row.data)),
                     speaker_id=row.speaker_id, speaker_name=row.speaker_name, published=row.published,
                     outlet=row.outlet, title=row.title, claim_id=row.claim_id)

    def statement_filters(self, speaker: str | int | None, speaker_type: str | None, stance: str | None,
                          outlet: str | None, since: str | None, until: str | None, *, gender: str | None = None,
                          text: str | None = None) -> list[Any] | None:
        """The WHERE of `quotes` and `search` (None: a speaker name that matches nobody)."""
        a = s.attributions.c
        speaker_type, stance, outlet, gender = _clean(speaker_type), _clean(stance), _clean(outlet), _clean(gender)
        where: list[Any] = []
        if speaker is not None and speaker != "":
            ids = [int(speaker)] if isinstance(speaker, int) else self.resolve_speaker(str(speaker))
            if not ids:
                return None
            where.append(a.speaker_id.in_(ids) if len(ids) > 1 else a.speaker_id == ids[0])
        if speaker_type:
            where.append(a.speaker_type == speaker_type)
        if stance:
            where.append(a.stance == stance)
        if outlet:
            where.append(a.outlet == outlet)
        if check_date(since, "since"):
            where.append(a.date >= since[:10])  # type: ignore[index]
        if check_date(until, "until"):
            where.append(a.date <= until[:10])  # type: ignore[index]
        if gender:  # a named person of this gender (the canonical speaker's, set by linking)
            sp = s.speakers.c
            where.append(a.speaker_id.in_(select(sp.id).where(sp.type == "person", sp.gender == gender)))
        words = re.findall(r"\w+", _clean(text) or "")
        if words:
            where.append(_fts_condition(self.dialect, words))
        return where

    def _ordered(self, query: Any) -> Any:
        a = s.attributions.c
        date = a.date.desc() if self.dialect == "sqlite" else a.date.desc().nulls_last()
        return query.order_by(date, a.id)

    def quotes(self, *, speaker: str | int | None = None, speaker_type: str | None = None, stance: str | None = None,
               outlet: str | None = None, since: str | None = None, until: str | None = None,
               gender: str | None = None, text: str | None = None, limit: int = 50,
               offset: int = 0) -> list[Quote]:
        """Stored statements, newest first (by statement date, else publication date).

        Args:
            speaker: a speaker id, or a name or alias ("Putin" finds "Vladimir Putin").
            speaker_type: person, organization, media, group, anonymous or unknown.
            stance: assert, deny, believe or question.
            outlet: the outlet as stored.
            since: ISO date, inclusive.
            until: ISO date, inclusive.
            gender: female, male or unknown: statements of named people (linked persons) of that gender.
            text: words that must all occur in what was said (as `search`, but newest first).
        """
        where = self.statement_filters(speaker, speaker_type, stance, outlet, since, until, gender=gender, text=text)
        if where is None:
            return []
        query = self._ordered(self._quote_query().where(*where))
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(_limit(limit)).offset(_offset(offset)))
            return [self._quote(r) for r in rows]

    def search(self, text_: str, *, speaker: str | int | None = None, speaker_type: str | None = None,
               stance: str | None = None, outlet: str | None = None, since: str | None = None,
               until: str | None = None, gender: str | None = None, limit: int = 50, offset: int = 0) -> list[Quote]:
        """Full-text search over what was said (all words must occur; stemmed English).

        Results come most recently stored first (so that a page costs the same at any
        corpus size); the filters are those of `quotes`.
        """
        words = re.findall(r"\w+", _clean(text_) or "")
        if not words:
            return []
        where = self.statement_filters(speaker, speaker_type, stance, outlet, since, until, gender=gender)
        if where is None:
            return []
        if not where and self.dialect == "sqlite":
            # no filters: FTS5 yields matches in rowid order, so the page costs O(limit), not O(matches)
            with self.engine.connect() as conn:
                ids = list(conn.execute(text(
                    "SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH :q "
                    "ORDER BY rowid DESC LIMIT :limit OFFSET :offset"),
                    {"q": _fts_query(words), "limit": _limit(limit), "offset": _offset(offset)}).scalars())
            found = self.quotes_by_ids(ids)
            return [found[i] for i in ids if i in found]
        query = self._quote_query().where(and_(_fts_condition(self.dialect, words), *where))
        query = query.order_by(s.attributions.c.id.desc())
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(_limit(limit)).offset(_offset(offset)))
            return [self._quote(r) for r in rows]

    def quotes_by_ids(self, ids: Sequence[int]) -> dict[int, Quote]:
        """Quotes by attribution id (the store's internal key)."""
        out: dict[int, Quote] = {}
        ids = list(ids)
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = self._quote_query().where(s.attributions.c.id.in_(ids[start:start + 500]))
                out.update({r.attribution_id: self._quote(r) for r in conn.execute(query)})
        return out

    # ---------------------------------------------------------------- claims
    def list_claims(self, *, limit: int = 50, offset: int = 0) -> list[ClaimGroup]:
        c = s.claims.c
        query = (select(c.id, c.label, c.n_statements, c.n_articles)
                 .order_by(c.n_articles.desc(), c.n_statements.desc(), c.id).limit(_limit(limit)).offset(_offset(offset)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return self._claim_groups(rows)

    def get_claim(self, claim_id: int) -> ClaimGroup | None:
        c = s.claims.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.id, c.label, c.n_statements, c.n_articles)
                                .where(c.id == int(claim_id))).all()
        groups = self._claim_groups(rows)
        return groups[0] if groups else None

    def get_claims(self, claim_ids: Sequence[int]) -> list[ClaimGroup]:
        """The claims with these ids (those that exist), with their members, in one query each."""
        c = s.claims.c
        ids = sorted({int(i) for i in claim_ids})
        rows: list[Any] = []
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                rows += conn.execute(select(c.id, c.label, c.n_statements, c.n_articles)
                                     .where(c.id.in_(ids[start:start + 500])).order_by(c.id)).all()
        return self._claim_groups(rows)

    def _claim_groups(self, rows: Sequence[Any]) -> list[ClaimGroup]:
        members: dict[int, list[Quote]] = defaultdict(list)
        if rows:
            query = self._ordered(self._quote_query().where(s.attributions.c.claim_id.in_([r.id for r in rows])))
            with self.engine.connect() as conn:
                for r in conn.execute(query):
                    members[r.claim_id].append(self._quote(r))
        groups = []
        for r in rows:
            stances: dict[str, int] = defaultdict(int)
            for q in members[r.id]:
                stances[q.attribution.stance] += 1
            groups.append(ClaimGroup(id=r.id, label=r.label, n_statements=r.n_statements, n_articles=r.n_articles,
                                     stances=dict(sorted(stances.items())), members=tuple(members[r.id])))
        return groups

    def contradictions(self, *, limit: int = 50, offset: int = 0) -> list[Contradiction]:
        """Pairs of statements of one claim whose stance or polarity oppose, with both as evidence."""
        c = s.contradictions.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.claim_id, c.a_id, c.b_id, c.reason, c.similarity)
                                .order_by(c.claim_id, c.id).limit(_limit(limit)).offset(_offset(offset))).all()
        quotes = self.quotes_by_ids([i for r in rows for i in (r.a_id, r.b_id)])
        return [Contradiction(claim_id=r.claim_id, a=quotes[r.a_id], b=quotes[r.b_id], reason=r.reason,
                              similarity=None if r.similarity is None else round(r.similarity, 3))
                for r in rows if r.a_id in quotes and r.b_id in quotes]

    # ---------------------------------------------------------------- sourcing
    def sourcing(self, *, by: str = "outlet", outlet: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[SourcingRow]:
        """Share of named, anonymous and media sources per outlet or per article.

        Named: a person, organization or group; anonymous: "a government source";
        media: "U.S. media"; other: speakers of unknown type and attributions without one.
        Read from the summaries kept by ingest (the articles' counts, ``sourcing_outlets``):
        a page costs the same at any corpus size.
        """
        outlet = _clean(outlet)
        if by == "outlet":
            so = s.sourcing_outlets.c
            query = (select(so.key, so.total, so.named, so.anonymous, so.media).where(so.total > 0)
                     .order_by(so.total.desc(), so.key))
            if outlet:
                query = query.where(so.outlet == outlet)
        elif by == "article":
            ar = s.articles.c
            query = (select(ar.id, ar.n_attributions, ar.n_named, ar.n_anonymous, ar.n_media)
                     .where(ar.n_attributions > 0).order_by(ar.n_attributions.desc(), ar.id))
            if outlet:
                query = query.where(ar.outlet == outlet)
        else:
            raise StoreError(f"sourcing by {by!r}: use 'outlet' or 'article'")
        if limit is not None:
            query = query.limit(_limit(limit)).offset(_offset(offset))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for key_, total, named, anonymous, media in rows:
            named, anonymous, media = int(named or 0), int(anonymous or 0), int(media or 0)
            out.append(SourcingRow(key=key_, total=total, named=named, anonymous=anonymous, media=media,
                                   other=total - named - anonymous - media, share_named=round(named / total, 4),
                                   share_anonymous=round(anonymous / total, 4), share_media=round(media / total, 4)))
        return out

def _limit(limit: int) -> int:
    return max(0, min(int(limit), 10_000))


def _offset(offset: int) -> int:
    return max(0, int(offset))


def _fts_condition(dialect: str, words: list[str]) -> Any:
    a = s.attributions.c
    if dialect == "postgresql":
        return text("attributions.tsv @@ plainto_tsquery('english', :fts_query)").bindparams(
            fts_query=" ".join(words))
    return a.id.in_(text("SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH :fts_query")
                    .bindparams(fts_query=_fts_query(words)).columns(rowid=s.attributions.c.id.type))


def _fts_query(words: list[str]) -> str:
    """An FTS5 query requiring every word, each quoted: no FTS syntax from user text gets through."""
    return " ".join('"' + w.replace('"', '') + '"' for w in words)


def speaker_filter(query: Any, q: str | None, type: str | None) -> Any:
    """Speakers whose name or an alias contains ``q``, of ``type`` (list, count and sort alike)."""
    sp = s.speakers.c
    if q:
        alias_match = select(s.speaker_aliases.c.speaker_id).where(
            s.speaker_aliases.c.alias_lower.contains(q.lower(), autoescape=True))
        query = query.where(or_(func.lower(sp.name).contains(q.lower(), autoescape=True), sp.id.in_(alias_match)))
    if type:
        query = query.where(sp.type == type)
    return query


def article_filter(query: Any, q: str | None, outlet: str | None) -> Any:
    """Articles whose title or id contains ``q``, from ``outlet`` (list, count and sort alike)."""
    t = s.articles.c
    if q:
        query = query.where(or_(func.lower(t.title).contains(q.lower(), autoescape=True),
                                func.lower(t.id).contains(q.lower(), autoescape=True)))
    if outlet:
        query = query.where(t.outlet == outlet)
    return query
