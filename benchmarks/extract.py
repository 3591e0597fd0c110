"""Benchmark: extraction throughput against a bare spaCy parse of the same texts, in one run.

    python -m benchmarks.extract PATHS… [--limit N] [--repeat N] [--modes fast] [--json]   (make bench)

Machines are shared and noisy, so figures are printed, never asserted; the ratio to
the bare parse measured in the same run is the figure to compare across machines.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import click

from onrecord.config import Settings
from onrecord.errors import InputError, OnRecordError
from onrecord.reading import read_paths


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_benchmark(paths: Iterable[str], *, limit: int | None = None, repeat: int = 2,
                  settings: Settings | None = None, attributors: Sequence[str] = ()) -> dict[str, Any]:
    """Time `extract_many` and a bare ``nlp.pipe`` over the same articles.

    Args:
        paths: files or directories of articles.
        limit: use at most this many articles.
        repeat: runs of each side; the best time of each counts.
        settings: extraction settings.
        attributors: further attribution modes (``Settings.attributor``) timed in the
            same run, e.g. ``("transformer",)``; a mode that cannot load is reported
            as skipped, with the reason.

    Returns:
        Figures: articles, words, seconds, articles/s and words/s for both runs,
        their ratio, attributions found and the process's peak memory; per further
        mode the same under ``modes``.
    """
    import spacy

    from onrecord.pipeline import extract_many

    settings = settings or Settings()
    articles = [a for a in read_paths(paths, settings) if not isinstance(a, InputError)][:limit]
    if not articles:
        raise OnRecordError("no readable articles to benchmark")
    words = sum(len(a.text.split()) for a in articles)
    # Warm all up on a few texts so that model loading is not timed.
    bare = spacy.load(settings.model)
    list(bare.pipe(a.text for a in articles[:3]))
    modes = {settings.attributor: settings}
    skipped: dict[str, str] = {}
    for name in attributors:
        if name in modes:
            continue
        try:
            mode = replace(settings, attributor=name)
            list(extract_many(articles[:3], mode))
            modes[name] = mode
        except OnRecordError as err:
            skipped[name] = str(err)
    list(extract_many(articles[:3], settings))
    memory_before = _peak_mb()

    # Interleave the runs and keep each one's best time: a shared machine's noise
    # then hits all sides alike.
    bare_seconds = float("inf")
    seconds = dict.fromkeys(modes, float("inf"))
    found = dict.fromkeys(modes, 0)
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in bare.pipe((a.text for a in articles), batch_size=settings.batch_size):
            pass
        bare_seconds = min(bare_seconds, time.perf_counter() - start)

        for name, mode in modes.items():
            start = time.perf_counter()
            found[name] = sum(len(a.attributions) for a in extract_many(articles, mode))
            seconds[name] = min(seconds[name], time.perf_counter() - start)

    def figures(name: str) -> dict[str, Any]:
        return {"seconds": seconds[name], "articles_per_s": len(articles) / seconds[name],
                "words_per_s": words / seconds[name], "attributions": found[name],
                "ratio_to_bare_spacy": bare_seconds / seconds[name]}

    return {
        "date": time.strftime("%Y-%m-%d"),
        "articles": len(articles),
        "repeat": repeat,
        "words": words,
        "attributor": settings.attributor,
        "attributions": found[settings.attributor],
        "extract": figures(settings.attributor),
        "bare_spacy": {"seconds": bare_seconds, "articles_per_s": len(articles) / bare_seconds,
                       "words_per_s": words / bare_seconds},
        "ratio_to_bare_spacy": bare_seconds / seconds[settings.attributor],
        "modes": {name: figures(name) for name in modes if name != settings.attributor},
        "skipped_modes": skipped,
        "peak_memory_mb": _peak_mb(),
        "peak_memory_mb_after_load": memory_before,
    }


def format_report(f: dict[str, Any]) -> str:
    e, b = f["extract"], f["bare_spacy"]
    lines = [
        f"benchmark {f['date']}: {f['articles']} articles, {f['words']} words, {f['attributions']} attributions",
        f"  onrecord extract   {e['articles_per_s']:8.1f} articles/s {e['words_per_s']:9.0f} words/s  ({e['seconds']:.1f} s)"
        f"  --attributor {f.get('attributor', 'auto')}, ratio {f['ratio_to_bare_spacy']:.2f}",
    ]
    for name, m in f.get("modes", {}).items():
        lines.append(f"  onrecord extract   {m['articles_per_s']:8.1f} articles/s {m['words_per_s']:9.0f} words/s  "
                     f"({m['seconds']:.1f} s)  --attributor {name}, ratio {m['ratio_to_bare_spacy']:.2f}, "
                     f"{m['attributions']} attributions")
    for name, why in f.get("skipped_modes", {}).items():
        lines.append(f"  --attributor {name}: skipped ({why})")
    lines += [
        f"  bare spaCy parse   {b['articles_per_s']:8.1f} articles/s {b['words_per_s']:9.0f} words/s  ({b['seconds']:.1f} s)",
        f"  ratio to bare spaCy: {f['ratio_to_bare_spacy']:.2f}",
        f"  peak memory: {f['peak_memory_mb']:.0f} MB (after model load: {f['peak_memory_mb_after_load']:.0f} MB)",
    ]
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--limit", type=int, default=None, help="Use at most this many articles.")
@click.option("--repeat", type=click.IntRange(min=1), default=2, show_default=True,
              help="Interleaved runs of each side; the best time of each counts.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--modes", default="fast", show_default=True,
              help="Further --attributor modes timed in the same run (comma-separated; empty for none).")
def main(paths: tuple[str, ...], limit: int | None, repeat: int, as_json: bool, modes: str) -> None:
    """Time extraction (the default and further attributor modes) against a bare spaCy parse of the same texts."""
    try:
        figures = run_benchmark(paths, limit=limit, repeat=repeat,
                                attributors=[m.strip() for m in modes.split(",") if m.strip()])
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps(figures, indent=2) if as_json else format_report(figures))


if __name__ == "__main__":
    main()
