"""Read-only queries for the web UI and ``verify``: counts, facets and candidate statements.

Functions over an open `Store` (its engine and the tables of `schema`), kept apart from
`base.Store` so that the UI can ask new questions without changing the store's API.
Statements are still read through the store's public methods (`quotes_by_ids`).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, or_, select, text

from . import schema as s
from .reads import article_filter, speaker_filter
from .errors import guarded
from .records import Quote

_WORD = re.compile(r"\w+")


@guarded
def article_speaker_ids(store: Any, article_id: str) -> dict[int, int]:
    """The canonical speaker id of each attribution of an article (by its index), after `link()`."""
    a, ar = s.attributions.c, s.articles.c
    query = (select(a.idx, a.speaker_id).select_from(s.attributions.join(s.articles, ar.pk == a.article_pk))
             .where(ar.id == article_id, a.speaker_id.is_not(None)))
    with store.engine.connect() as conn:
        return {int(idx): int(sid) for idx, sid in conn.execute(query)}


@guarded
def outlets(store: Any, limit: int = 200) -> list[tuple[str, int]]:
    """Outlets with their numbers of statements, most quoted first: the outlet facet."""
    a = s.attributions.c
    query = (select(a.outlet, func.count()).where(a.outlet.is_not(None)).group_by(a.outlet)
             .order_by(func.count().desc(), a.outlet).limit(limit))
    with store.engine.connect() as conn:
        return [(str(o), int(n)) for o, n in conn.execute(query)]


@guarded
def candidate_ids(store: Any, words: list[str], limit: int = 50) -> list[int]:
    """Attribution ids whose content shares words with ``words``, best first (any word may match).

    SQLite ranks with FTS5's bm25, PostgreSQL with ``ts_rank``; user text reaches the
    full-text engine only as quoted words.
    """
    words = [w for w in dict.fromkeys(w.lower() for w in words) if w][:64]
    if not words:
        return []
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            query = text("SELECT id FROM attributions, to_tsquery('english', :q) query "
                         "WHERE tsv @@ query ORDER BY ts_rank(tsv, query) DESC, id DESC LIMIT :limit")
            # each word through plainto_tsquery, so no tsquery syntax from the user gets through
            q = " | ".join(f"({sub})" for sub in (
                conn.execute(text("SELECT plainto_tsquery('english', :w)::text"), {"w": w}).scalar_one()
                for w in words) if sub)
            if not q:
                return []
            return [int(i) for i in conn.execute(query, {"q": q, "limit": limit}).scalars()]
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = conn.execute(text("SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH :q "
                                 "ORDER BY bm25(attributions_fts) LIMIT :limit"), {"q": match, "limit": limit})
        return [int(i) for i in rows.scalars()]


@guarded
def candidate_quotes(store: Any, quote: str, limit: int = 50) -> list[tuple[int, Quote]]:
    """Stored statements sharing words with ``quote``: ``(attribution id, Quote)``, best first."""
    ids = candidate_ids(store, _WORD.findall(quote), limit)
    found = store.quotes_by_ids(ids)
    return [(i, found[i]) for i in ids if i in found]


@guarded
def contents_by_ids(store: Any, ids: list[int]) -> dict[int, str]:
    """The content text of attributions by id (for embedding look-ups)."""
    a = s.attributions.c
    with store.engine.connect() as conn:
        return {int(i): str(c) for i, c in conn.execute(select(a.id, a.content).where(a.id.in_(ids)))}


@guarded
def sourcing_by_type(store: Any, by: str = "outlet", since: str | None = None,
                     until: str | None = None) -> list[dict[str, Any]]:
    """Statements per speaker type for every outlet or every article (none left out), of
    statements dated from ``since`` to ``until`` (ISO days, inclusive) when given.

    Rows: ``{"key", "label", "outlet", "counts": {type: n}, "total"}``, largest first; ``label``
    is the article's title (by article) or the outlet. Counted from the attributions
    themselves (grouped on the outlet/type index), so every type keeps its own count.
    """
    a, ar = s.attributions.c, s.articles.c
    where = store.statement_filters(None, None, None, None, since, until)
    if by == "outlet":
        query = (select(a.outlet, a.outlet, a.outlet, a.speaker_type, func.count()).where(*where)
                 .group_by(a.outlet, a.speaker_type))
    elif by == "article":
        query = (select(ar.id, ar.title, ar.outlet, a.speaker_type, func.count())
                 .select_from(s.attributions.join(s.articles, ar.pk == a.article_pk)).where(*where)
                 .group_by(ar.id, ar.title, ar.outlet, a.speaker_type))
    else:
        raise ValueError(f"sourcing by {by!r}: use 'outlet' or 'article'")
    rows: dict[Any, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for key, label, outlet, type_, n in conn.execute(query):
            row = rows.setdefault(key, {"key": key, "label": label, "outlet": outlet, "counts": {}, "total": 0})
            row["counts"][type_ or "unknown"] = row["counts"].get(type_ or "unknown", 0) + int(n)
            row["total"] += int(n)
    return sorted(rows.values(), key=lambda r: (-r["total"], str(r["label"] or r["key"] or "")))


@guarded
def article_quotes(store: Any, article_id: str) -> list[Quote]:
    """Every stored statement of one article, in the article's order."""
    a, ar = s.attributions.c, s.articles.c
    query = (select(a.id).select_from(s.attributions.join(s.articles, ar.pk == a.article_pk))
             .where(ar.id == article_id).order_by(a.idx))
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(query).scalars()]
    found = store.quotes_by_ids(ids)
    return [found[i] for i in ids if i in found]


def _statement_conditions(store: Any, speaker: str | int | None = None, speaker_type: str | None = None,
                          stance: str | None = None, outlet: str | None = None, since: str | None = None,
                          until: str | None = None, gender: str | None = None,
                          text: str | None = None) -> list[Any] | None:
    """The WHERE of `Store.quotes` for counting and facets (None: a speaker name that matches nobody)."""
    conditions: list[Any] | None = store.statement_filters(speaker, speaker_type, stance, outlet, since, until,
                                                           gender=gender, text=text)
    return conditions


@guarded
def count_quotes(store: Any, **filters: Any) -> int:
    """How many statements `Store.quotes(**filters)` pages through."""
    where = _statement_conditions(store, **filters)
    if where is None:
        return 0
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(s.attributions).where(*where)).scalar_one())


@guarded
def quote_facets(store: Any, **filters: Any) -> dict[str, list[tuple[str, int]]]:
    """Counts per speaker type, stance and outlet of the statements that pass ``filters``
    (each facet ignores its own filter, so the other values stay visible), and the date range."""
    a = s.attributions.c
    out: dict[str, list[tuple[str, int]]] = {}
    with store.engine.connect() as conn:
        for name, column in (("speaker_type", a.speaker_type), ("stance", a.stance), ("outlet", a.outlet)):
            where = _statement_conditions(store, **{**filters, name: None})
            if where is None:
                out[name] = []
                continue
            rows = conn.execute(select(column, func.count()).where(column.is_not(None), *where).group_by(column)
                                .order_by(func.count().desc(), column).limit(200))
            out[name] = [(str(v), int(n)) for v, n in rows]
        where = _statement_conditions(store, **{**filters, "gender": None})
        sp = s.speakers.c
        out["gender"] = [] if where is None else [(str(g), int(n)) for g, n in conn.execute(
            select(sp.gender, func.count()).select_from(s.attributions.join(s.speakers, sp.id == a.speaker_id))
            .where(sp.type == "person", *where).group_by(sp.gender).order_by(func.count().desc(), sp.gender))]
        where = _statement_conditions(store, **filters) or []
        first, last = conn.execute(select(func.min(a.date), func.max(a.date)).where(*where)).one()
        out["dates"] = [(str(first), 0), (str(last), 0)] if first else []
    return out


@guarded
def gender_by_outlet(store: Any, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    """Named people quoted per outlet by gender: ``{"outlet", "sources": {gender: n}, "statements": {gender: n}}``.

    A source is a named person (a linked speaker of type person) once per article they are
    quoted in, as the Gender Gap Tracker counts them; their gender is the speaker's
    (`link.speakers.consistent_gender`). Largest outlets first.
    """
    a, sp = s.attributions.c, s.speakers.c
    where = store.statement_filters(None, None, None, None, since, until)
    people = select(sp.id).where(sp.type == "person")
    sources = (select(a.outlet, a.article_pk, a.speaker_id, func.count().label("n"))
               .where(a.speaker_id.in_(people), *where).group_by(a.outlet, a.article_pk, a.speaker_id).subquery())
    query = (select(sources.c.outlet, sp.gender, func.count(), func.sum(sources.c.n))
             .select_from(sources.join(s.speakers, sp.id == sources.c.speaker_id))
             .group_by(sources.c.outlet, sp.gender))
    rows: dict[Any, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for outlet, gender, n_sources, n_statements in conn.execute(query):
            row = rows.setdefault(outlet, {"outlet": outlet, "sources": {}, "statements": {}})
            row["sources"][gender] = int(n_sources)
            row["statements"][gender] = int(n_statements)
    return sorted(rows.values(), key=lambda r: (-sum(r["sources"].values()), str(r["outlet"] or "")))


@guarded
def people_of_gender(store: Any, speaker_ids: set[int], gender: str) -> set[int]:
    """Which of these speakers are named people (type person) of ``gender``."""
    sp = s.speakers.c
    ids = sorted(speaker_ids)
    found: set[int] = set()
    with store.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            found |= {int(i) for i in conn.execute(select(sp.id).where(
                sp.id.in_(ids[start:start + 500]), sp.type == "person", sp.gender == gender)).scalars()}
    return found


@guarded
def newest_on_record(store: Any, *, speaker_id: int | None = None, claim_id: int | None = None,
                     text: str | None = None, limit: int = 50) -> list[tuple[Quote, str | None, str | None]]:
    """Statements most recently stored first, with when their article was stored (``ingested_at``,
    the server's local time) and its URL: what a feed of a speaker, a claim or a search shows."""
    a, ar = s.attributions.c, s.articles.c
    where = store.statement_filters(speaker_id, None, None, None, None, None, text=text)
    if where is None:
        return []
    if claim_id is not None:
        where.append(a.claim_id == claim_id)
    query = (select(a.id, ar.ingested_at, ar.url).select_from(s.attributions.join(s.articles, ar.pk == a.article_pk))
             .where(*where).order_by(a.id.desc()).limit(limit))
    with store.engine.connect() as conn:
        rows = [(int(i), stored, url) for i, stored, url in conn.execute(query)]
    found = store.quotes_by_ids([i for i, _, _ in rows])
    return [(found[i], stored, url) for i, stored, url in rows if i in found]


@guarded
def last_stored(store: Any) -> str | None:
    """When the newest article was stored (``ingested_at``), or None for an empty store."""
    with store.engine.connect() as conn:
        value = conn.execute(select(func.max(s.articles.c.ingested_at))).scalar()
    return str(value) if value is not None else None


@guarded
def gender_evidence(store: Any, speaker_id: int) -> dict[str, int]:
    """How many of a speaker's statements give each gender (female, male, unknown): what its gender rests on."""
    a = s.attributions.c
    query = (select(a.speaker_gender, func.count()).where(a.speaker_id == int(speaker_id))
             .group_by(a.speaker_gender))
    with store.engine.connect() as conn:
        return {str(g or "unknown"): int(n) for g, n in conn.execute(query)}


@guarded
def timeline_counts(store: Any, **filters: Any) -> list[tuple[str, str, int]]:
    """``(date, stance, n)`` of the statements that pass ``filters`` (undated ones left out), by date."""
    a = s.attributions.c
    where = _statement_conditions(store, **filters)
    if where is None:
        return []
    query = (select(a.date, a.stance, func.count()).where(a.date.is_not(None), *where)
             .group_by(a.date, a.stance).order_by(a.date, a.stance))
    with store.engine.connect() as conn:
        return [(str(d), str(st), int(n)) for d, st, n in conn.execute(query)]


@guarded
def count_speakers(store: Any, q: str | None = None, type: str | None = None) -> int:
    query = speaker_filter(select(func.count()).select_from(s.speakers), q, type)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


@guarded
def count_articles(store: Any, q: str | None = None, outlet: str | None = None) -> int:
    query = article_filter(select(func.count()).select_from(s.articles), q, outlet)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


@guarded
def speaker_type_facet(store: Any, q: str | None = None) -> list[tuple[str, int]]:
    """Speakers per type (matching ``q``), for the speakers list."""
    sp = s.speakers.c
    query = select(sp.type, func.count()).group_by(sp.type).order_by(func.count().desc(), sp.type)
    if q:
        alias_match = select(s.speaker_aliases.c.speaker_id).where(
            s.speaker_aliases.c.alias_lower.contains(q.lower(), autoescape=True))
        query = query.where(or_(func.lower(sp.name).contains(q.lower(), autoescape=True), sp.id.in_(alias_match)))
    with store.engine.connect() as conn:
        return [(str(t), int(n)) for t, n in conn.execute(query)]


# sortable columns: the name in the URL -> the column (ties broken by id, so pages never overlap)
ARTICLE_SORTS = {"title": "title", "outlet": "outlet", "published": "published", "attributions": "n_attributions"}
SPEAKER_SORTS = {"name": "name", "type": "type", "statements": "n_statements", "first": "first_date",
                 "last": "last_date"}
QUOTE_SORTS = {"date": "date", "speaker": "speaker_name", "outlet": "outlet", "stance": "stance",
               "type": "speaker_type"}


def _order(column: Any, descending: bool) -> Any:
    # NULLs last either way, on SQLite and PostgreSQL alike
    return [column.is_(None), column.desc() if descending else column.asc()]


@guarded
def sorted_articles(store: Any, sort: str, descending: bool, q: str | None = None, outlet: str | None = None,
                    limit: int = 50, offset: int = 0) -> list[Any]:
    from .records import ArticleSummary

    t = s.articles.c
    query = article_filter(select(t.id, t.title, t.published, t.outlet, t.url, t.n_attributions), q, outlet)
    query = query.order_by(*_order(t[ARTICLE_SORTS[sort]], descending), t.id).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        return [ArticleSummary(*row) for row in conn.execute(query)]


@guarded
def sorted_speaker_ids(store: Any, sort: str, descending: bool, q: str | None = None, type: str | None = None,
                       limit: int = 50, offset: int = 0) -> list[int]:
    sp = s.speakers.c
    query = speaker_filter(select(sp.id), q, type).order_by(*_order(sp[SPEAKER_SORTS[sort]], descending), sp.id).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        return [int(i) for i in conn.execute(query).scalars()]


@guarded
def sorted_quote_ids(store: Any, sort: str, descending: bool, limit: int = 50, offset: int = 0,
                     **filters: Any) -> list[int]:
    a = s.attributions.c
    where = _statement_conditions(store, **filters)
    if where is None:
        return []
    column = a[QUOTE_SORTS[sort]]
    query = select(a.id).where(*where).order_by(*_order(column, descending), a.id).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        return [int(i) for i in conn.execute(query).scalars()]


# --- lists that narrow (issue 25): speakers of a statement list, claims, contradictions, gender -------

@guarded
def quote_speakers(store: Any, limit: int = 20, offset: int = 0, **filters: Any) -> list[tuple[int, str, int]]:
    """``(speaker id, name, statements)`` of the linked speakers of the statements that pass ``filters``,
    most statements first: the speaker facet of a list, and "who is on record about X" grouped by speaker."""
    a, sp = s.attributions.c, s.speakers.c
    where = _statement_conditions(store, **filters)
    if where is None:
        return []
    query = (select(sp.id, sp.name, func.count()).select_from(s.attributions.join(s.speakers, sp.id == a.speaker_id))
             .where(*where).group_by(sp.id, sp.name).order_by(func.count().desc(), sp.name, sp.id)
             .limit(limit).offset(offset))
    with store.engine.connect() as conn:
        return [(int(i), str(name or ""), int(n)) for i, name, n in conn.execute(query)]


@guarded
def count_quote_speakers(store: Any, **filters: Any) -> int:
    """How many linked speakers the statements that pass ``filters`` have (the groups of a grouped list)."""
    a = s.attributions.c
    where = _statement_conditions(store, **filters)
    if where is None:
        return 0
    query = select(func.count(func.distinct(a.speaker_id))).where(a.speaker_id.is_not(None), *where)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def iter_quotes(store: Any, sort: tuple[str, bool] | None = None, batch: int = 500, *, stored_order: bool = False,
                **filters: Any) -> Any:
    """Every statement that passes ``filters`` in the order of the list (``sort``: `QUOTE_SORTS` key and
    descending; ``stored_order``: most recently stored first, as `Store.search`), read ``batch`` at a time:
    what a download streams, with no row cap."""
    a = s.attributions.c
    where = _statement_conditions(store, **filters)
    if where is None:
        return
    if stored_order:
        query = select(a.id).where(*where).order_by(a.id.desc())
    elif sort is not None:
        query = select(a.id).where(*where).order_by(*_order(a[QUOTE_SORTS[sort[0]]], sort[1]), a.id)
    elif store.dialect == "sqlite":
        query = select(a.id).where(*where).order_by(a.date.desc(), a.id)
    else:
        query = select(a.id).where(*where).order_by(a.date.desc().nulls_last(), a.id)
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(query).scalars()]
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        found = store.quotes_by_ids(chunk)
        yield from (found[i] for i in chunk if i in found)


CLAIM_SORTS = {"label": "label", "statements": "n_statements", "articles": "n_articles"}


def _claim_where(store: Any, q: str | None) -> list[Any] | None:
    """Claims with a statement that has all the words of ``q`` (stemmed, as search), or every claim."""
    if not q:
        return []
    where = store.statement_filters(None, None, None, None, None, None, text=q)
    if not where:  # no word in q
        return []
    a = s.attributions.c
    return [s.claims.c.id.in_(select(a.claim_id).where(a.claim_id.is_not(None), *where))]


@guarded
def count_claims(store: Any, q: str | None = None) -> int:
    where = _claim_where(store, q) or []
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(s.claims).where(*where)).scalar_one())


@guarded
def sorted_claim_ids(store: Any, sort: tuple[str, bool] | None = None, q: str | None = None, limit: int = 50,
                     offset: int = 0) -> list[int]:
    """Claim ids matching ``q``, sorted (default: most articles, then most statements, as `Store.list_claims`)."""
    c = s.claims.c
    where = _claim_where(store, q) or []
    order = ([*_order(c[CLAIM_SORTS[sort[0]]], sort[1])] if sort else [c.n_articles.desc(), c.n_statements.desc()])
    query = select(c.id).where(*where).order_by(*order, c.id).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        return [int(i) for i in conn.execute(query).scalars()]


@guarded
def count_contradictions(store: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(s.contradictions)).scalar_one())


def _speaker_where(q: str | None, type: str | None, gender: str | None) -> Any:
    query = speaker_filter(select(s.speakers.c.id), q, type)
    if gender:
        query = query.where(s.speakers.c.type == "person", s.speakers.c.gender == gender)
    return query


@guarded
def speakers_page(store: Any, q: str | None = None, type: str | None = None, gender: str | None = None,
                  sort: tuple[str, bool] | None = None, limit: int = 50,
                  offset: int = 0) -> tuple[list[int], int, dict[str, list[tuple[str, int]]]]:
    """The ids of one page of speakers (default order: most statements first), their total and the facets
    (type and gender, each ignoring its own filter; gender counts named people only)."""
    sp = s.speakers.c
    ids_query = _speaker_where(q, type, gender)
    order = _order(sp[SPEAKER_SORTS[sort[0]]], sort[1]) if sort else [sp.n_statements.desc(), sp.name]
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(ids_query.order_by(*order, sp.id).limit(limit).offset(offset)).scalars()]
        total = int(conn.execute(select(func.count()).select_from(ids_query.subquery())).scalar_one())
        types = conn.execute(select(sp.type, func.count()).where(sp.id.in_(_speaker_where(q, None, gender)))
                             .group_by(sp.type).order_by(func.count().desc(), sp.type))
        genders = conn.execute(select(sp.gender, func.count()).where(
            sp.id.in_(_speaker_where(q, type, None)), sp.type == "person").group_by(sp.gender)
            .order_by(func.count().desc(), sp.gender))
        facets = {"type": [(str(t), int(n)) for t, n in types], "gender": [(str(g), int(n)) for g, n in genders]}
    return ids, total, facets


@guarded
def gender_over_time(store: Any, since: str | None = None, until: str | None = None) -> list[tuple[Any, str, str, int]]:
    """``(outlet, month, gender, named people)``: each named person once per article and month they are
    quoted in (as `gender_by_outlet` counts them), for the share of women per outlet over time."""
    a, sp = s.attributions.c, s.speakers.c
    where = store.statement_filters(None, None, None, None, since, until)
    people = select(sp.id).where(sp.type == "person")
    month = func.substr(a.date, 1, 7).label("month")
    sources = (select(a.outlet, month, a.article_pk, a.speaker_id)
               .where(a.speaker_id.in_(people), a.date.is_not(None), func.length(a.date) >= 7, *where)
               .group_by(a.outlet, month, a.article_pk, a.speaker_id).subquery())
    query = (select(sources.c.outlet, sources.c.month, sp.gender, func.count())
             .select_from(sources.join(s.speakers, sp.id == sources.c.speaker_id))
             .group_by(sources.c.outlet, sources.c.month, sp.gender))
    with store.engine.connect() as conn:
        return [(o, str(m), str(g or "unknown"), int(n)) for o, m, g, n in conn.execute(query)]


@guarded
def most_quoted_people(store: Any, since: str | None = None, until: str | None = None,
                       limit: int = 5) -> dict[Any, dict[str, list[tuple[int, str, int]]]]:
    """Per outlet, the ``limit`` women and men quoted in the most articles: ``{outlet: {gender: [(speaker id,
    name, articles)]}}`` (female and male only)."""
    a, sp = s.attributions.c, s.speakers.c
    where = store.statement_filters(None, None, None, None, since, until)
    n_articles = func.count(func.distinct(a.article_pk))
    query = (select(a.outlet, sp.gender, sp.id, sp.name, n_articles)
             .select_from(s.attributions.join(s.speakers, sp.id == a.speaker_id))
             .where(sp.type == "person", sp.gender.in_(["female", "male"]), *where)
             .group_by(a.outlet, sp.gender, sp.id, sp.name).order_by(n_articles.desc(), sp.name))
    out: dict[Any, dict[str, list[tuple[int, str, int]]]] = {}
    with store.engine.connect() as conn:
        for outlet, gender, sid, name, n in conn.execute(query):
            people = out.setdefault(outlet, {"female": [], "male": []})[str(gender)]
            if len(people) < limit:
                people.append((int(sid), str(name or ""), int(n)))
    return out


NAMED_SOURCES = ("person", "organization")  # a group ("critics", "residents") is an unnamed plural: not named


@guarded
def sourcing_table(store: Any, by: str = "outlet", outlet: str | None = None, since: str | None = None,
                   until: str | None = None) -> list[dict[str, Any]]:
    """The one sourcing query of the web's /sourcing and ``onrecord sourcing``: `sourcing_by_type`'s rows
    (of one ``outlet`` when given) with the figures both show: ``named`` (`NAMED_SOURCES`), ``anonymous``,
    ``media``, ``other`` (groups and unknown) and their shares of ``total``."""
    rows = []
    for raw in sourcing_by_type(store, by, since, until):
        if outlet and raw["outlet"] != outlet:
            continue
        counts, total = raw["counts"], int(raw["total"])
        named = sum(int(counts.get(t, 0)) for t in NAMED_SOURCES)
        anonymous, media = int(counts.get("anonymous", 0)), int(counts.get("media", 0))
        share = total or 1
        rows.append({**raw, "named": named, "anonymous": anonymous, "media": media,
                     "other": total - named - anonymous - media, "share_named": round(named / share, 4),
                     "share_anonymous": round(anonymous / share, 4), "share_media": round(media / share, 4)})
    return rows


# --- downloads of every row of a list (issue 25): the list's filters and order, no page, no cap -------

@guarded
def iter_claims(store: Any, sort: tuple[str, bool] | None = None, q: str | None = None,
                batch: int = 500) -> Any:
    """Every claim of the claims list (``q`` and ``sort`` as `sorted_claim_ids`, in its order), read
    ``batch`` at a time with their members: what the list's download streams."""
    c = s.claims.c
    where = _claim_where(store, q) or []
    order = ([*_order(c[CLAIM_SORTS[sort[0]]], sort[1])] if sort else [c.n_articles.desc(), c.n_statements.desc()])
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(select(c.id).where(*where).order_by(*order, c.id)).scalars()]
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        by_id = {claim.id: claim for claim in store.get_claims(chunk)}
        yield from (by_id[i] for i in chunk if i in by_id)


@guarded
def iter_speakers(store: Any, q: str | None = None, type: str | None = None, gender: str | None = None,
                  sort: tuple[str, bool] | None = None) -> Any:
    """Every speaker of the speakers list (``q``, ``type``, ``gender`` and ``sort`` as `speakers_page`, in
    its order), each read through `Store.get_speaker`: what the list's download streams."""
    sp = s.speakers.c
    order = _order(sp[SPEAKER_SORTS[sort[0]]], sort[1]) if sort else [sp.n_statements.desc(), sp.name]
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(_speaker_where(q, type, gender).order_by(*order, sp.id)).scalars()]
    for speaker_id in ids:
        entry = store.get_speaker(speaker_id)
        if entry is not None:  # deleted by a relink since the ids were read
            yield entry
