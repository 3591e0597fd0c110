"""The pages: each answers HTML at its path and JSON at the same path plus ``.json``.

A view reads its parameters (`params`), asks the store (or ``onrecord.extract``) for records,
converts them to their schema at the boundary, and hands them to `responses.respond`. What is
computed here is only presentation; the sourcing pages are in `sourcing`, the downloads of every
row in `downloads`, the write API in `api`.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from ..models import GENDERS, SPEAKER_TYPES, STANCES, Article
from ..store.queries import ARTICLE_SORTS, CLAIM_SORTS, QUOTE_SORTS, SPEAKER_SORTS
from . import schemas
from .charts import timeline, vaguer_than
from .highlight import highlight, speaker_label
from .params import (MAX_ID, ArticleSort, ClaimSort, Day, Filters, GenderFilter, Id, Limit, Offset, QuoteSort,
                     QuoteText, SpeakerIdParam, SpeakerSort, StanceFilter, Text, TypeFilter, blank, choice, sorting,
                     statement_filters)
from .responses import (backend, claim_out, export_url, next_url, not_found, pages, prev_url, quote_list, respond,
                        speaker_counts)


async def home(request: Request) -> Response:
    """Search box, recent articles and the most quoted speakers."""
    def load(store: Any) -> tuple[list[Any], list[Any]]:
        return store.list_articles(limit=15), store.list_speakers(limit=15)
    recent, speakers = await backend(request).in_store_thread(load)
    data = schemas.ArticleList(items=[schemas.ArticleSummaryOut.model_validate(a) for a in recent],
                               limit=15, offset=0, next=None)
    return respond(request, "home.html", data, json_url=None,
                   speakers=[schemas.SpeakerEntryOut.model_validate(s) for s in speakers])


async def articles(request: Request, q: Text = None, outlet: Text = None, sort: ArticleSort = None,
                   limit: Limit = 50, offset: Offset = 0) -> Response:
    from ..store.queries import count_articles, sorted_articles

    q, outlet = blank(q), blank(outlet)
    order = sorting(sort, ARTICLE_SORTS)

    def load(store: Any) -> tuple[list[Any], int]:
        found = (sorted_articles(store, *order, q=q, outlet=outlet, limit=limit, offset=offset) if order
                 else store.list_articles(q=q, outlet=outlet, limit=limit, offset=offset))
        return found, count_articles(store, q=q, outlet=outlet)
    found, total = await backend(request).in_store_thread(load)
    data = schemas.ArticleList(q=q, items=[schemas.ArticleSummaryOut.model_validate(a) for a in found],
                               total=total, **pages(request, len(found), limit, offset))
    return respond(request, "articles.html", data, prev=prev_url(request, limit, offset), sort=sort or "")


async def article(request: Request, article_id: str) -> Response:
    if "\x00" in article_id:  # no stored id has one, and PostgreSQL cannot compare it
        raise not_found("article")

    def load(store: Any) -> tuple[Article | None, dict[int, int]]:
        from ..store.queries import article_speaker_ids

        found = store.get_article(article_id)
        as_json = request.url.path.endswith(".json")
        return found, ({} if found is None or as_json else article_speaker_ids(store, article_id))
    found, speaker_ids = await backend(request).in_store_thread(load)
    if found is None:
        raise not_found("article")
    data = schemas.ArticleOut.model_validate(found.to_dict(with_text=True))
    if request.url.path.endswith(".json"):
        return respond(request, "article.html", data)
    # speakers link to their page by id (linked by `onrecord link`); unlinked ones are plain text
    cards = [{"index": i, "speaker": speaker_label(found, i), "speaker_id": speaker_ids.get(i), "a": a,
              "content": a.content_text} for i, a in enumerate(found.attributions)]
    return respond(request, "article.html", data, segments=highlight(found), cards=cards)


async def speakers(request: Request, q: Text = None, type: TypeFilter = None, gender: GenderFilter = None,
                   sort: SpeakerSort = None, limit: Limit = 50, offset: Offset = 0) -> Response:
    """Speakers by name or alias, type and (named people's) gender, with the counts of each."""
    from ..store.queries import speakers_page

    q, type = blank(q), choice(type, SPEAKER_TYPES, "speaker type")
    gender = choice(gender, GENDERS, "gender")
    order = sorting(sort, SPEAKER_SORTS)

    def load(store: Any) -> tuple[list[Any], int, dict[str, list[tuple[str, int]]]]:
        ids, total, facets = speakers_page(store, q, type, gender, order, limit=limit, offset=offset)
        entries = [store.get_speaker(i) for i in ids]
        return [e for e in entries if e is not None], total, facets
    found, total, facets = await backend(request).in_store_thread(load)
    data = schemas.SpeakerList(q=q, gender=gender, items=[schemas.SpeakerEntryOut.model_validate(s) for s in found],
                               total=total, facets=facets, **pages(request, len(found), limit, offset))
    return respond(request, "speakers.html", data, prev=prev_url(request, limit, offset), sort=sort or "",
                   genders=GENDERS, speaker_types=SPEAKER_TYPES, csv_url=export_url(request, ".csv"),
                   jsonl_url=export_url(request, ".jsonl"))


async def speaker(request: Request, speaker_id: Id, q: Text = None, stance: StanceFilter = None, since: Day = None,
                  until: Day = None, limit: Limit = 100, offset: Offset = 0) -> Response:
    """A speaker: aliases, roles, gender, a timeline on a real time axis, and their statements
    grouped by claim, narrowed by words, stance and dates."""
    from ..store.queries import count_quotes, gender_evidence, timeline_counts
    from ..link.sides import claim_sides

    if speaker_id > MAX_ID:
        raise not_found("speaker")
    f = statement_filters(speaker_id=speaker_id, stance=stance, since=since, until=until, text=q)

    def load(store: Any) -> tuple[Any, list[Any], int, list[tuple[str, str, int]], list[Any], dict[str, int]]:
        entry = store.get_speaker(speaker_id)
        if entry is None:
            return None, [], 0, [], [], {}
        args = f.store_args()
        found = store.quotes(**args, limit=limit, offset=offset)
        claims = store.get_claims({q.claim_id for q in found if q.claim_id is not None})
        return (entry, found, count_quotes(store, **args), timeline_counts(store, **args), claims,
                gender_evidence(store, speaker_id))
    entry, found, total, counts, claims, evidence = await backend(request).in_store_thread(load)
    if entry is None:
        raise not_found("speaker")
    labels = {c.id: claim_sides(c.members).label or c.label for c in claims}
    points, unit = timeline(counts)
    statements = quote_list(found)
    data = schemas.SpeakerDetail(speaker=schemas.SpeakerEntryOut.model_validate(entry), statements=statements,
                                 total=total, claims=[schemas.ClaimRef(id=i, label=label) for i, label in
                                                      labels.items()], timeline=points, timeline_unit=unit,
                                 gender_evidence=evidence)
    groups: dict[int | None, list[schemas.QuoteOut]] = {}
    for record, item in zip(found, statements):  # in order of their newest statement; statements in no claim last
        groups.setdefault(record.claim_id if record.claim_id in labels else None, []).append(item)
    grouped = [{"claim_id": i, "label": labels[i], "statements": g} for i, g in groups.items() if i is not None]
    if None in groups:
        grouped.append({"claim_id": None, "label": None, "statements": groups[None]})
    return respond(request, "speaker.html", data, filters=f, stances=STANCES, groups=grouped, offset=offset,
                   left_out=vaguer_than(counts, unit),
                   chart={"unit": unit, "points": [p.model_dump() for p in points]},
                   feed_url=f"/speakers/{speaker_id}.atom",
                   next=next_url(request, len(found), limit, offset) if offset + len(found) < total else None,
                   prev=prev_url(request, limit, offset))


async def quotes(request: Request, q: Text = None, speaker: Text = None, speaker_id: SpeakerIdParam = None,
                 speaker_type: TypeFilter = None, stance: StanceFilter = None, outlet: Text = None,
                 since: Day = None, until: Day = None, gender: GenderFilter = None, article: Text = None,
                 sort: QuoteSort = None, limit: Limit = 50, offset: Offset = 0) -> Response:
    """Statements narrowed by the words said (``q``) and by speaker, type, stance, outlet, gender and dates."""
    from ..store.queries import sorted_quote_ids

    f = statement_filters(speaker, speaker_id, speaker_type, stance, outlet, since, until, gender, text=q)
    article = blank(article)
    order = sorting(sort, QUOTE_SORTS)

    def load(store: Any) -> tuple[list[Any], int, dict[str, list[tuple[str, int]]], list[Any]]:
        from ..store.queries import article_quotes, count_quotes, people_of_gender, quote_facets, quote_speakers

        if article is not None:  # the statements of one article (the sourcing drill-down), filtered here
            kept = [q for q in article_quotes(store, article) if f.admits(q)]
            if f.gender:
                people = people_of_gender(store, {q.speaker_id for q in kept if q.speaker_id is not None}, f.gender)
                kept = [q for q in kept if q.speaker_id in people]
            return kept[offset:offset + limit], len(kept), {}, []
        if order:
            ids = sorted_quote_ids(store, *order, limit=limit, offset=offset, **f.store_args())
            by_id = store.quotes_by_ids(ids)
            found = [by_id[i] for i in ids if i in by_id]
        else:
            found = store.quotes(**f.store_args(), limit=limit, offset=offset)
        return (found, count_quotes(store, **f.store_args()), quote_facets(store, **f.store_args()),
                quote_speakers(store, **f.store_args()))
    found, total, facets, top = await backend(request).in_store_thread(load)
    data = schemas.QuoteList(q=f.text, items=quote_list(found), total=total, facets=facets,
                             speakers=speaker_counts(top), **pages(request, len(found), limit, offset))
    exports = {} if article is not None else {"csv_url": export_url(request, ".csv"),
                                               "jsonl_url": export_url(request, ".jsonl")}
    return respond(request, "quotes.html", data, prev=prev_url(request, limit, offset), filters=f,
                   outlets=facets.get("outlet", []), speaker_types=SPEAKER_TYPES, stances=STANCES, genders=GENDERS,
                   sort=sort or "", **exports)


GROUP_STATEMENTS = 3  # statements shown under each speaker of a grouped search (their page has the rest)


async def search(request: Request, q: Text = None, speaker_type: TypeFilter = None, stance: StanceFilter = None,
                 outlet: Text = None, since: Day = None, until: Day = None, gender: GenderFilter = None,
                 group: Literal["", "speaker"] = "", limit: Limit = 50, offset: Offset = 0) -> Response:
    """Statements with all the words, narrowed by facets; ``group=speaker``: who is on record about them,
    each speaker with their statements (then the page and its total count speakers)."""
    from ..store.queries import count_quote_speakers, count_quotes, quote_facets, quote_speakers

    f = statement_filters(None, None, speaker_type, stance, outlet, since, until, gender)
    words = blank(q)
    by_speaker = group == "speaker"

    def load(store: Any) -> dict[str, Any]:
        if words is None:  # Enter in an empty search box: the page asks for words
            return {"found": [], "matching": [], "total": None, "facets": {}, "top": [], "groups": []}
        args = {**f.store_args(), "text": words}
        out: dict[str, Any] = {"matching": store.list_articles(q=words, limit=10) if offset == 0 else [],
                               "facets": quote_facets(store, **args), "top": quote_speakers(store, **args)}
        if by_speaker:
            people = quote_speakers(store, limit=limit, offset=offset, **args)
            out["groups"] = [(person, store.search(words, **{**f.store_args(), "speaker": person[0]},
                                                   limit=GROUP_STATEMENTS)) for person in people]
            out["found"], out["total"] = [], count_quote_speakers(store, **args)
        else:
            out["found"], out["groups"] = store.search(words, **f.store_args(), limit=limit, offset=offset), []
            out["total"] = count_quotes(store, **args)
        return out
    got = await backend(request).in_store_thread(load)
    groups = [schemas.SpeakerGroup(speaker=speaker_counts([person])[0], statements=quote_list(found))
              for person, found in got["groups"]]
    n_items = len(groups) if by_speaker else len(got["found"])
    data = schemas.SearchResult(q=words or "", items=quote_list(got["found"]), total=got["total"],
                                articles=[schemas.ArticleSummaryOut.model_validate(a) for a in got["matching"]],
                                facets=got["facets"], speakers=speaker_counts(got["top"]), group=group,
                                groups=groups, **pages(request, n_items, limit, offset))
    f = Filters(speaker_type=f.speaker_type, stance=f.stance, outlet=f.outlet, since=f.since, until=f.until,
                gender=f.gender, text=words)
    return respond(request, "search.html", data, prev=prev_url(request, limit, offset), filters=f,
                   outlets=got["facets"].get("outlet", []), speaker_types=SPEAKER_TYPES, stances=STANCES,
                   genders=GENDERS, csv_url=export_url(request, ".csv") if words else None,
                   jsonl_url=export_url(request, ".jsonl") if words else None,
                   feed_url=f"/search.atom?{urlencode({'q': words})}" if words else None)


async def claims(request: Request, q: Text = None, sort: ClaimSort = None, limit: Limit = 50,
                 offset: Offset = 0) -> Response:
    """Claims, those with a statement containing the words ``q`` (stemmed), sorted by a column."""
    from ..store.queries import count_claims, sorted_claim_ids

    words, order = blank(q), sorting(sort, CLAIM_SORTS)

    def load(store: Any) -> tuple[list[Any], int]:
        ids = sorted_claim_ids(store, order, words, limit=limit, offset=offset)
        by_id = {c.id: c for c in store.get_claims(ids)}
        return [by_id[i] for i in ids if i in by_id], count_claims(store, words)
    found, total = await backend(request).in_store_thread(load)
    data = schemas.ClaimList(q=words, items=[claim_out(c) for c in found], total=total,
                             **pages(request, len(found), limit, offset))
    return respond(request, "claims.html", data, prev=prev_url(request, limit, offset), sort=sort or "",
                   csv_url=export_url(request, ".csv"), jsonl_url=export_url(request, ".jsonl"))


async def claim(request: Request, claim_id: Id) -> Response:
    if claim_id > MAX_ID:
        raise not_found("claim")
    found = await backend(request).query("get_claim", claim_id)
    if found is None:
        raise not_found("claim")
    from ..link.sides import claim_sides

    group: Any = schemas.ClaimGroupOut.model_validate(found.to_dict())  # fields from ClaimGroup
    sides = claim_sides(group.members)
    data = schemas.ClaimDetail(claim=group, label=sides.label, representative=sides.representative,
                               asserting=list(sides.asserting), believing=list(sides.believing),
                               denying=list(sides.denying))
    return respond(request, "claim.html", data, feed_url=f"/claims/{claim_id}.atom")


async def contradictions(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
    from ..store.queries import count_contradictions

    def load(store: Any) -> tuple[list[Any], dict[str, int], int]:
        return store.contradictions(limit=limit, offset=offset), store.count(), count_contradictions(store)
    found, counts, total = await backend(request).in_store_thread(load)
    data = schemas.ContradictionList(items=[schemas.ContradictionOut.model_validate(c.to_dict()) for c in found],
                                     total=total,
                                     n_claims=counts.get("claims", 0), n_statements=counts.get("attributions", 0),
                                     **pages(request, len(found), limit, offset))
    return respond(request, "contradictions.html", data, prev=prev_url(request, limit, offset))


async def verify(request: Request, q: QuoteText = None, speaker: Text = None, meaning: bool = False) -> Response:
    """Did they really say it? The stored statements closest to a quote, each with a verdict;
    with ``meaning``, also the statements that say the same in other words (embeddings)."""
    from ..verify import finding, verify as check

    words, who = blank(q), blank(speaker)  # a longer quote is refused by its parameter's schema (QuoteText)
    found = await backend(request).in_store_thread(
        lambda store: check(store, words, who, embeddings=meaning) if words else [])
    data = schemas.VerifyOut(q=words or "", speaker=who, meaning=meaning, finding=finding(found) if words else None,
                             verdicts=[schemas.VerdictOut.model_validate(v.to_dict()) for v in found])
    return respond(request, "verify.html", data)
