"""Who is quoted: the sourcing table (person, organisation, media, group, anonymous, unknown
sources per outlet or article, counts with shares) and women among named people per outlet
(the Gender Gap Tracker's figure), with the definitions shown on the pages.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import Response

from ..models import GENDERS
from ..outlets import aliases, canonical_outlet
from . import schemas
from .charts import trend_chart
from .params import Day, Filters, statement_filters
from .responses import backend, respond, speaker_counts


SOURCE_DEFINITIONS = {
    "person": "a named person (“Andrey Rudenko”, “the minister Lavrov”)",
    "organization": "a named organisation speaking as one (“the Kremlin”, “the State Department”)",
    "media": "another outlet or “the media” as the source (“U.S. media wrote”)",
    "group": "an unnamed plural of people (“critics”, “the experts”, “residents”)",
    "anonymous": "a source deliberately not named (“a government source”, “officials who asked not to be named”)",
    "unknown": "no source found in the text, or one whose type could not be told",
}
SMALL_SAMPLE = 30  # below this many statements one statement moves a share by more than 3 points


def known_spellings(outlet: str | None) -> tuple[str, ...]:
    """The other spellings of a publication, shown under its row so a reader who knows it as "nyt"
    finds it. Only under its one name: a row stored under another spelling ("nyt") holds only part
    of the paper's statements, and labelling it with every spelling would say it is the paper."""
    if not outlet or canonical_outlet(outlet) != outlet:
        return ()
    return aliases(outlet)


def sourcing_row(raw: dict[str, Any]) -> schemas.SourcingRowOut:
    """A row of `queries.sourcing_table` (the CLI's figures) with each type's count and share."""
    counts = {t: int(raw["counts"].get(t, 0)) for t in schemas.SOURCE_TYPES}
    total = int(raw["total"]) or 1
    return schemas.SourcingRowOut.model_validate({
        **raw, "counts": counts, "shares": {t: round(n / total, 4) for t, n in counts.items()},
        "small_sample": raw["total"] < SMALL_SAMPLE})


GENDER_DEFINITION = (
    "Named people: statements linked to a person onrecord could name (a proper name, linked across articles: "
    "“Jane Roe” and “Roe” are one person); a person left unnamed (“he”, “a resident”) is not counted. Each "
    "person counts once per article they are quoted in, as the Gender Gap Tracker counts sources. Their gender "
    "is what the articles themselves give: a form of address or a gendered noun (“Mrs”, “spokeswoman”), the "
    "pronouns that refer to them, or a first name that a name list (gender-guesser) gives one gender in every "
    "reading. Unknown: no such evidence, or articles that disagree. Nothing else is guessed.")


def gender_row(outlet: str | None, sources: dict[str, int], statements: dict[str, int]) -> schemas.GenderRowOut:
    women, men, unknown = (int(sources.get(g, 0)) for g in GENDERS)
    total = women + men + unknown

    def share(n: int) -> float:
        return round(n / total, 4) if total else 0.0
    return schemas.GenderRowOut(
        outlet=outlet, sources=total, women=women, men=men, unknown=unknown, share_women=share(women),
        share_men=share(men), share_unknown=share(unknown),
        share_women_of_known=round(women / (women + men), 4) if women + men else None,
        statements=sum(statements.values()), women_statements=statements.get("female", 0),
        men_statements=statements.get("male", 0), unknown_statements=statements.get("unknown", 0),
        small_sample=total < SMALL_SAMPLE)


def gender_list(raw: list[dict[str, Any]], f: Filters, trend: list[tuple[Any, str, str, int]] | None = None,
                most_quoted: dict[Any, dict[str, list[tuple[int, str, int]]]] | None = None) -> schemas.GenderList:
    sources: Counter[str] = Counter()
    statements: Counter[str] = Counter()
    for r in raw:
        sources.update(r["sources"])
        statements.update(r["statements"])
    months: dict[tuple[Any, str], Counter[str]] = {}
    for outlet, month, gender, n in trend or []:
        months.setdefault((outlet, month), Counter())[gender] += n
    points = [schemas.GenderTrendPoint(outlet=o, month=m, sources=sum(c.values()), women=c["female"], men=c["male"],
                                       share_women=round(c["female"] / sum(c.values()), 4))
              for (o, m), c in sorted(months.items(), key=lambda x: (str(x[0][0] or ""), x[0][1]))]
    order = [r["outlet"] for r in raw]
    people = [schemas.MostQuoted(outlet=o, women=speaker_counts(most_quoted[o]["female"]),
                                 men=speaker_counts(most_quoted[o]["male"]))
              for o in order if most_quoted and o in most_quoted]
    return schemas.GenderList(items=[gender_row(r["outlet"], r["sources"], r["statements"]) for r in raw],
                              all=gender_row(None, sources, statements), since=f.since, until=f.until,
                              definition=GENDER_DEFINITION, small_sample_below=SMALL_SAMPLE, trend=points,
                              most_quoted=people)


async def sourcing(request: Request, by: Literal["outlet", "article"] = "outlet", since: Day = None,
                   until: Day = None) -> Response:
    from ..store.queries import gender_by_outlet, sourcing_table

    f = statement_filters(since=since, until=until)

    def load(store: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
        return (sourcing_table(store, by, None, f.since, f.until),
                gender_by_outlet(store, f.since, f.until) if by == "outlet" else None)
    raw, genders = await backend(request).in_store_thread(load)
    rows = [sourcing_row(r) for r in raw]
    data = schemas.SourcingOut(by=by, rows=rows, total=sum(int(r["total"]) for r in raw),
                               definitions=SOURCE_DEFINITIONS, small_sample_below=SMALL_SAMPLE, since=f.since,
                               until=f.until, gender=gender_list(genders, f) if genders is not None else None)
    chart = [{"key": row["label"] or row["key"] or "(unknown)", "counts": row["counts"], "total": row["total"]}
             for row in (r.model_dump() for r in rows)]
    dates = f.query()
    # the page's alone: the JSON and CSV keep their shape
    spellings = {r["key"]: known_spellings(r["key"]) for r in raw} if by == "outlet" else {}
    return respond(request, "sourcing.html", data, chart=chart, types=schemas.SOURCE_TYPES, filters=f,
                   dates=f"&{dates}" if dates else "", gender_query=f"?{dates}" if dates else "",
                   spellings=spellings)


async def sourcing_gender(request: Request, since: Day = None, until: Day = None) -> Response:
    """Women among named people, per outlet: the Gender Gap Tracker's figure, with counts."""
    from ..store.queries import gender_by_outlet, gender_over_time, most_quoted_people

    f = statement_filters(since=since, until=until)

    def load(store: Any) -> schemas.GenderList:
        return gender_list(gender_by_outlet(store, f.since, f.until), f, gender_over_time(store, f.since, f.until),
                           most_quoted_people(store, f.since, f.until))
    data = await backend(request).in_store_thread(load)
    dates = f.query()
    return respond(request, "sourcing_gender.html", data, filters=f, dates=f"&{dates}" if dates else "",
                   trend=trend_chart(data))
