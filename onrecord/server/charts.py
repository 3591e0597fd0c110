"""The charts' data: a speaker's statements per stance on a real time axis (`timeline`), and the
share of women per outlet and month as SVG coordinates (`trend_chart`). Only presentation: the
counts come from the store.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from . import schemas
from .params import ISO_DATE


TimeUnit = Literal["day", "month", "year"]


def timeline(counts: list[tuple[str, str, int]]) -> tuple[list[schemas.TimelinePoint], TimeUnit]:
    """Statements per stance on a real time axis: every day from the first date to the last, empty
    days included (every month when they span more than 92 days or a date names only its month,
    every year beyond 10 years or when a date names only its year), and the unit.

    ``counts``: ``(date, stance, n)`` as the store groups them; dates that are not ISO are left out.
    """
    import datetime as dt

    dated = [(_calendar_day(d), st, n) for d, st, n in counts if ISO_DATE.match(d) and d[:4] != "0000"]
    if not dated:
        return [], "day"
    precise = bulk_precision(dated)
    dated = [x for x in dated if len(x[0]) >= precise]  # a date vaguer than the bulk cannot be placed: left out
    first, last = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    unit: TimeUnit
    if precise == 10 and (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days <= 92:
        unit, width = "day", 10
    elif precise >= 7 and (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) < 120:
        unit, width = "month", 7
    else:
        unit, width = "year", 4
    buckets: dict[str, Counter[str]] = {}
    for d, st, n in dated:
        buckets.setdefault(d[:width], Counter())[st] += n
    return [schemas.TimelinePoint(date=key, stances=dict(buckets.get(key, {})))
            for key in _every(min(buckets), max(buckets), unit)], unit


BULK = 0.9  # the share of statements whose dates decide the unit of a timeline


def bulk_precision(dated: list[tuple[str, str, int]]) -> int:
    """The length of date (10: day, 7: month, 4: year) that at least 90% of the statements have: one
    statement dated only by its year does not turn 200 dated to the day into one yearly bar."""
    total = sum(n for _, _, n in dated)
    for width in (10, 7):
        if sum(n for d, _, n in dated if len(d) >= width) >= BULK * total:
            return width
    return 4


def vaguer_than(counts: list[tuple[str, str, int]], unit: str) -> int:
    """How many statements are dated less precisely than a timeline's ``unit`` (not on the chart)."""
    width = {"day": 10, "month": 7, "year": 4}[unit]
    return sum(n for d, _, n in counts if ISO_DATE.match(d) and d[:4] != "0000" and len(d) < width)


def _calendar_day(value: str) -> str:
    """An ISO day the calendar has ("2022-02-31" is the month's last day); months and years as they are."""
    import calendar

    if len(value) < 10:
        return value
    year, month = int(value[:4]), int(value[5:7])
    return f"{value[:8]}{min(int(value[8:10]), calendar.monthrange(year, month)[1]):02d}"


def _every(first: str, last: str, unit: str) -> list[str]:
    """Every day (YYYY-MM-DD), month (YYYY-MM) or year (YYYY) from ``first`` to ``last``."""
    import datetime as dt

    if unit == "year":
        return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
    if unit == "month":
        start, end = int(first[:4]) * 12 + int(first[5:7]) - 1, int(last[:4]) * 12 + int(last[5:7]) - 1
        return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, end + 1)]
    start_day, end_day = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [(start_day + dt.timedelta(days=n)).isoformat() for n in range((end_day - start_day).days + 1)]


TREND_OUTLETS = 6  # lines on the chart of women's share over time: the outlets with the most named people


def trend_chart(g: schemas.GenderList, width: int = 640, height: int = 220) -> dict[str, Any] | None:
    """The share of women per outlet and month as SVG coordinates (a line per outlet, months on a real
    axis, 0 to 100% up the side): drawn by the template as inline SVG, no script."""
    outlets = [r.outlet for r in g.items[:TREND_OUTLETS]]
    points = [p for p in g.trend if p.outlet in outlets]
    months = sorted({p.month for p in points})
    if not months:
        return None
    axis = _every(months[0], months[-1], "month")
    left, right, top, bottom = 40, 30, 10, 30  # room for the labels of the axes
    step = (width - left - right) / max(1, len(axis) - 1)

    def x(month: str) -> float:
        return round(left + axis.index(month) * step if len(axis) > 1 else (width + left - right) / 2, 1)

    def y(share: float) -> float:
        return round(top + (1 - share) * (height - top - bottom), 1)
    series = []
    for n, outlet in enumerate(outlets):
        mine = [p for p in points if p.outlet == outlet]
        if mine:
            series.append({"outlet": outlet or "(unknown outlet)", "cls": f"series-{n}",
                           "line": " ".join(f"{x(p.month)},{y(p.share_women)}" for p in mine),
                           "dots": [{"x": x(p.month), "y": y(p.share_women), "title":
                                     f"{outlet or '(unknown outlet)'}, {p.month}: {100 * p.share_women:.0f}% women "
                                     f"({p.women} of {p.sources} named people)"} for p in mine]})
    ticks = [{"x": x(m), "label": m} for m in axis[::max(1, len(axis) // 6)]]
    return {"width": width, "height": height, "left": left, "bottom": height - bottom, "right": width - right,
            "series": series, "ticks": ticks,
            "levels": [{"y": y(v / 100), "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]}

