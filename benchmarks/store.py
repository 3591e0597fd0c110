"""Ingest and query times at scale, on SQLite and PostgreSQL (``python -m benchmarks.store``).

Real extracted articles are replicated (new ids, a marker appended to the text, dates
shifted by a day per copy) until the target number of attributions is reached. Then
speaker lookups, full-text searches and sourcing queries with parameters drawn from the
data are timed. Figures are printed, never asserted: machines are shared and noisy.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from onrecord.errors import InputError, OnRecordError
from onrecord.models import Article


def _seed(paths: list[str] | None) -> list[Article]:
    from onrecord.pipeline import extract_many
    from onrecord.reading import read_paths

    if not paths:  # the Makefile passes PolNeAR dev; alone, the repository's examples
        paths = [str(Path(__file__).resolve().parents[1] / "examples")]
    articles = [a for a in read_paths(paths) if not isinstance(a, InputError)]
    seeds = [a for a in extract_many(articles) if a.attributions]
    if not seeds:
        raise OnRecordError("no attributions found in the seed articles")
    return seeds


def _shift(value: str | None, days: int) -> str | None:
    if not value or not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value
    return (date.fromisoformat(value[:10]) + timedelta(days=days)).isoformat() + value[10:]


def replicas(seeds: list[Article], target: int) -> Iterator[Article]:
    """Copies of the seed articles until ``target`` attributions (offsets stay valid: text is appended)."""
    made, copy = 0, 0
    while made < target:
        for seed in seeds:
            if made >= target:
                return
            days = copy % 3650
            text = seed.text + f"\n[copy {copy}]"
            attributions = tuple(replace(a, statement_date=_shift(a.statement_date, days)) for a in seed.attributions)
            yield replace(seed, id=f"{seed.id}~{copy}", text=text, published=_shift(seed.published, days),
                          attributions=attributions)
            made += len(attributions)
        copy += 1


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {"p50_ms": round(q[49] * 1000, 2), "p95_ms": round(q[94] * 1000, 2), "n": len(times)}


def _timed(fn: Callable[[Any], Any], params: list[Any]) -> dict[str, float]:
    times = []
    for p in params:
        start = time.perf_counter()
        fn(p)
        times.append(time.perf_counter() - start)
    return _percentiles(times)


def measure(url: str, seeds: list[Article], target: int, queries: int, log: Callable[[str], None]) -> dict[str, Any]:
    from onrecord.link.stored import link_store
    from onrecord.store import open_store

    rng = random.Random(7)
    with open_store(url) as store:
        if store.count()["articles"]:
            raise OnRecordError(f"bench-store needs an empty database: {url}")
        start = time.perf_counter()
        counts = store.add_articles(replicas(seeds, target), batch_size=500)
        ingest_s = time.perf_counter() - start
        start = time.perf_counter()
        link_store(store, claims=False)
        link_s = time.perf_counter() - start
        n = store.count()
        log(f"{store.dialect}: stored {n['attributions']} attributions in {ingest_s:.0f} s, linked in {link_s:.0f} s")
        speakers = [s.name for s in store.list_speakers(limit=200)]
        words = sorted({w.lower() for a in seeds for at in a.attributions
                        for w in re.findall(r"[A-Za-z]{5,}", at.content_text)})
        outlets = [r.key for r in store.sourcing()]
        for _ in range(3):  # warm caches
            store.quotes(speaker=speakers[0])
            store.search(words[0])
        figures = {
            "backend": store.dialect,
            "attributions": n["attributions"], "articles": n["articles"], "speakers": n["speakers"],
            "ingest_s": round(ingest_s, 1), "ingest_attributions_per_s": round(n["attributions"] / ingest_s),
            "link_speakers_s": round(link_s, 1), "added": counts["added"],
            "speaker_lookup": _timed(lambda name: store.quotes(speaker=name, limit=50),
                                     [rng.choice(speakers) for _ in range(queries)]),
            "full_text_search": _timed(lambda word: store.search(word, limit=50),
                                       [rng.choice(words) for _ in range(queries)]),
            "sourcing_one_outlet": _timed(lambda outlet: store.sourcing(outlet=outlet),
                                          [rng.choice(outlets) for _ in range(queries)]),
            "sourcing_all_outlets": _timed(lambda _: store.sourcing(), list(range(max(3, queries // 20)))),
            "sourcing_by_article": _timed(lambda outlet: store.sourcing(by="article", outlet=outlet, limit=50),
                                          [rng.choice(outlets) for _ in range(queries)]),
        }
    return figures


def run_store_benchmark(paths: list[str] | None = None, *, target: int = 1_000_000, urls: list[str] | None = None,
                        queries: int = 200, log: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """Ingest ``target`` replicated attributions into each database and time queries.

    Args:
        paths: seed articles (default: the repository's examples/).
        target: attributions to store.
        urls: databases (empty ones). Default: a temporary SQLite file, and the PostgreSQL
            database named by ``$ONRECORD_BENCH_PG_URL`` when set.
        queries: timed queries of each kind.
    """
    seeds = _seed(paths)
    log(f"seeds: {len(seeds)} articles, {sum(len(a.attributions) for a in seeds)} attributions")
    results = []
    with tempfile.TemporaryDirectory(prefix="onrecord-bench-") as tmp:
        if urls:
            for url in urls:
                results.append(measure(url, seeds, target, queries, log))
        else:
            results.append(measure(str(Path(tmp) / "bench.db"), seeds, target, queries, log))
            pg_url = os.environ.get("ONRECORD_BENCH_PG_URL")
            if pg_url:
                results.append(measure(pg_url, seeds, target, queries, log))
            else:
                log("PostgreSQL not measured: set ONRECORD_BENCH_PG_URL to an empty database")
    return {"date": time.strftime("%Y-%m-%d"), "target_attributions": target, "results": results}


def format_report(figures: dict[str, Any]) -> str:
    lines = [f"bench-store {figures['date']}: {figures['target_attributions']} attributions"]
    for r in figures["results"]:
        lines.append(f"  {r['backend']}: {r['attributions']} attributions, {r['articles']} articles, "
                     f"{r['speakers']} speakers; ingest {r['ingest_attributions_per_s']} attributions/s "
                     f"({r['ingest_s']} s), speaker linking {r['link_speakers_s']} s")
        for name in ("speaker_lookup", "full_text_search", "sourcing_one_outlet", "sourcing_all_outlets",
                     "sourcing_by_article"):
            q = r[name]
            lines.append(f"    {name:22s} p50 {q['p50_ms']:8.2f} ms   p95 {q['p95_ms']:8.2f} ms   (n={q['n']})")
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--attributions", "target", type=click.IntRange(1), default=1_000_000, show_default=True,
              help="Attributions to generate by replicating extracted ones.")
@click.option("--db", "urls", multiple=True,
              help="Databases to measure (default: a temporary SQLite file, and PostgreSQL from "
                   "$ONRECORD_BENCH_PG_URL).")
@click.option("--queries", type=click.IntRange(1), default=200, show_default=True, help="Timed queries of each kind.")
@click.option("--link", "link_only", is_flag=True,
              help="Instead: time speaker canonicalisation and claim clustering over --attributions synthetic "
                   "attributions (no database, no encoder), each in a fresh process, with its peak memory.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def main(paths: tuple[str, ...], target: int, urls: tuple[str, ...], queries: int, link_only: bool,
         as_json: bool) -> None:
    """Time ingest and queries (speaker, full text, sourcing) at scale on SQLite and PostgreSQL."""
    log = lambda m: click.echo(m, err=True)  # noqa: E731
    try:
        if link_only:
            from .linking import format_link_report, run_link_benchmark

            figures = run_link_benchmark([target], log=log)
            click.echo(json.dumps(figures, indent=2) if as_json else format_link_report(figures))
            return
        figures = run_store_benchmark(list(paths) or None, target=target, urls=list(urls) or None, queries=queries,
                                      log=log)
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps(figures, indent=2) if as_json else format_report(figures))


if __name__ == "__main__":
    main()
