"""Speaker canonicalisation and claim clustering at scale (``python -m benchmarks.linking``, or
``python -m benchmarks.store --link``).

Synthetic attributions stand in for a news crawl (no database, no encoder): speakers with
many written variants (full names, middle initials, titles, bare surnames, epithets,
organisations in several spellings, anonymous sources of many outlets) and statements as
sentence vectors, most of them alone, many in families of near-duplicates (wire copies
with the same text, paraphrases around one claim), all on a few shared topics as real
sentence vectors are. Time and peak memory of `canonicalize` and `cluster` are measured
in a fresh process each, so one stage's memory is not another's.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import time
from collections.abc import Callable
from typing import Any

import click

from onrecord.link.claims import Statement

DIM = 384
TITLES = ("Senator", "President", "Gov.", "Dr.", "Mr.", "Ms.", "Secretary", "Rep.")
EPITHETS = ("Crooked", "Sleepy", "Little", "Crazy")
OUTLETS = 400
SYLLABLES = ("ka", "lo", "mi", "ra", "den", "vi", "sto", "ne", "ber", "tan", "ol", "gu", "rie", "shi", "mon", "da",
             "fel", "zo", "ha", "pri")


def _word(rng: Any, low: int, high: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(int(rng.integers(low, high + 1)))).capitalize()


def synthetic_speakers(n_attributions: int, seed: int = 7) -> list[Any]:
    """The raw speakers (`RawSpeaker`, one per raw key) of ``n_attributions`` synthetic attributions.

    About 70% name a person (one of n/10 people, a few quoted often and most rarely, one
    in eight sharing a surname with another), written as "First Last", "First M. Last",
    with a title, as a bare surname or with an epithet; 15% an organisation or medium (one of n/200, in three
    spellings); 15% an anonymous source (one of 300 descriptions, of 400 outlets).
    """
    import numpy as np

    from onrecord.link.speakers import RawSpeaker, speaker_key
    from onrecord.models import Speaker

    rng = np.random.default_rng(seed)
    n_people, n_orgs = max(10, n_attributions // 10), max(5, n_attributions // 200)
    surnames = [_word(rng, 2, 3) for _ in range(n_people)]
    for n in range(0, n_people, 8):  # one in eight shares a surname with the person before
        if n:
            surnames[n] = surnames[n - 1]
    firsts = [_word(rng, 1, 2) for _ in range(n_people)]
    orgs = [_word(rng, 2, 4) + " " + rng.choice(["Institute", "Party", "Council", "News", "Group"])
            for _ in range(n_orgs)]
    descriptions = [f"{rng.choice(['senior', 'a', 'two', 'several'])} {_word(rng, 1, 2).lower()} "
                    f"{rng.choice(['official', 'source', 'aide', 'diplomat'])}" for _ in range(300)]
    raw: dict[str, RawSpeaker] = {}
    kinds = rng.random(n_attributions)
    people = (n_people * rng.random(n_attributions) ** 2.5).astype(np.int64)  # a few often, most rarely
    variants = rng.integers(0, 10, n_attributions)
    for n in range(n_attributions):
        outlet = f"outlet{n % OUTLETS}"
        date = f"20{15 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        if kinds[n] < 0.70:
            p = int(people[n])
            first, last, v = firsts[p], surnames[p], variants[n]
            name = (f"{first} {last}" if v < 5 else f"{first} {first[0]}. {last}" if v < 6
                    else f"{TITLES[p % len(TITLES)]} {first} {last}" if v < 8 else last if v < 9
                    else f"{EPITHETS[p % len(EPITHETS)]} {first} {last}")
            speaker = Speaker(name=name, type="person", role=TITLES[p % len(TITLES)] if v == 7 else None)
        elif kinds[n] < 0.85:
            org = orgs[int(people[n]) % n_orgs]
            name = (org, org.upper(), "the " + org)[n % 3]
            speaker = Speaker(name=name, type="media" if org.endswith("News") else "organization")
        else:
            speaker = Speaker(type="anonymous", description=descriptions[int(people[n]) % 300])
        key = speaker_key(speaker, source=None, outlet=outlet)
        if key is not None:
            raw.setdefault(key, RawSpeaker(key)).add(speaker.name, speaker.role, 1, date, date, outlet,
                                                     speaker.description)
    return list(raw.values())


def synthetic_statements(n: int, seed: int = 7) -> tuple[Any, list[Statement]]:
    """Unit vectors of ``n`` statements and the statements (ten per article).

    Half stand alone; half belong to claims (n/40 of them, Zipf-sized, so a few are reported
    hundreds of times), each member a paraphrase (cosine to the claim about 0.85-0.97) or,
    one time in three, a copy of a text already used (the same vector).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    n_claims = max(2, n // 40)
    topics = rng.standard_normal((40, DIM)).astype(np.float32)
    centres = rng.standard_normal((n_claims, DIM)).astype(np.float32) + 0.7 * topics[rng.integers(0, 40, n_claims)]
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(n, start + 100_000) - start
        chunk = rng.standard_normal((m, DIM)).astype(np.float32) + 0.7 * topics[rng.integers(0, 40, m)]
        chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
        member = rng.random(m) < 0.5
        claim = np.minimum(rng.zipf(1.5, m) - 1, n_claims - 1)[member]
        noise = rng.standard_normal((len(claim), DIM)).astype(np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        paraphrase = centres[claim] + noise * rng.uniform(0.25, 0.6, (len(claim), 1)).astype(np.float32)
        chunk[member] = paraphrase / np.linalg.norm(paraphrase, axis=1, keepdims=True)
        vectors[start:start + m] = chunk
    copies = np.nonzero(rng.random(n) < 1 / 6)[0]  # a third of the claims' members (half of all)
    copies = copies[copies > 0]
    vectors[copies] = vectors[rng.integers(0, copies)]  # an earlier text, word for word
    statements = [Statement(i, i // 10, i % 10, None, None, "assert", "") for i in range(n)]
    return vectors, statements


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _stage(kind: str, n: int, queue: Any) -> None:
    """In a fresh process: make the data, then time one stage and note its peak memory."""
    if kind == "speakers":
        from onrecord.link.speakers import canonicalize

        raw = synthetic_speakers(n)
        before = _rss_mb()
        start = time.perf_counter()
        out: Any = canonicalize(raw)
        figures = {"raw_keys": len(raw), "speakers": len(out)}
    else:
        from onrecord.link.claims import cluster

        vectors, statements = synthetic_statements(n)
        before = _rss_mb()
        start = time.perf_counter()
        out = cluster(vectors, statements)
        figures = {"claims": len(out), "in_claims": sum(len(g) for g in out)}
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({**figures, "seconds": round(seconds, 2), "rss_before_mb": round(before),
               "peak_rss_mb": round(peak)})


def measure_stage(kind: str, n: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_stage, args=(kind, n, queue))
    process.start()
    result = queue.get()
    process.join()
    return dict(result)


def run_link_benchmark(sizes: list[int], log: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """Time speaker canonicalisation and claim clustering at each number of attributions."""
    results = []
    for n in sizes:
        for kind in ("speakers", "claims"):
            figures = {"stage": kind, "attributions": n, **measure_stage(kind, n)}
            log(f"{kind} at {n:,}: {figures}")
            results.append(figures)
    return {"date": time.strftime("%Y-%m-%d"), "cpus": multiprocessing.cpu_count(), "results": results}


def format_link_report(figures: dict[str, Any]) -> str:
    lines = [f"bench-store --link {figures['date']} ({figures['cpus']} cores)"]
    for r in figures["results"]:
        what = (f"{r['raw_keys']:,} raw keys -> {r['speakers']:,} speakers" if r["stage"] == "speakers"
                else f"{r['claims']:,} claims of {r['in_claims']:,} statements")
        lines.append(f"  {r['stage']:8s} {r['attributions']:>10,}: {r['seconds']:8.2f} s, peak {r['peak_rss_mb']:,} MB "
                     f"(data {r['rss_before_mb']:,} MB); {what}")
    return "\n".join(lines)




@click.command()
@click.option("--attributions", "sizes", type=click.IntRange(1), multiple=True, default=[1_000_000],
              show_default=True, help="Synthetic attributions (repeat for several sizes).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def main(sizes: tuple[int, ...], as_json: bool) -> None:
    """Time speaker canonicalisation and claim clustering on synthetic attributions, each in a fresh process."""
    figures = run_link_benchmark(list(sizes), log=lambda m: click.echo(m, err=True))
    click.echo(json.dumps(figures, indent=2) if as_json else format_link_report(figures))


if __name__ == "__main__":
    main()
