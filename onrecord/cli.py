"""The `onrecord` command line: a thin shell over the library.

Exit codes: 0 ok, 1 error, 2 usage, 3 some inputs failed while the others were written (or, under
``extract --strict``, some inputs gave warnings).
Data goes to stdout, logs and progress to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from dataclasses import replace
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

import click

from .config import ATTRIBUTORS, Settings
from .errors import InputError, OnRecordError
from .models import Article

logger = logging.getLogger(__name__)

EXIT_SOME_FAILED = 3
FORMATS = ("table", "json", "jsonl", "csv")
CSV_FIELDS = ("id", "index", "speaker", "speaker_type", "role", "description", "stance", "kind",
              "statement_date", "source", "cue", "content", "nested_in", "cue_start", "cue_end")


Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def option_group(*options: Decorator) -> Decorator:
    """One decorator applying click options in the order given (as they show in --help)."""
    def apply(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func
    return apply


# ``--format`` and ``-o``, shared by every command that prints records.
output_options = option_group(
    click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                 help="Output format (default: table on a terminal, jsonl otherwise)."),
    click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
                 help="Write to FILE instead of stdout."),
)

def _attributor(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    """``--attributor``, or ``fast`` under ``--fast`` (eager, so known here), else ``auto``."""
    fast = bool(ctx.meta.get("onrecord.fast"))
    if fast and value not in (None, "fast"):
        raise click.BadParameter(f"--fast and --attributor {value} contradict each other")
    return "fast" if fast else value or "auto"


# ``--published``, ``--max-bytes``, ``--attributor`` / ``--fast`` and ``--silent``: every command that extracts.
extraction_options = option_group(
    click.option("--published", help="Publication date for inputs that carry none (ISO, e.g. 2022-11-09)."),
    click.option("--max-bytes", type=click.IntRange(min=1), default=Settings().max_bytes, show_default=True,
                 help="Refuse inputs larger than this."),
    click.option("--fast", is_flag=True, is_eager=True, expose_value=False, callback=lambda ctx, _p, v: (
        ctx.meta.__setitem__("onrecord.fast", v)), help="The fast mode for bulk jobs (--attributor fast)."),
    click.option("--attributor", type=click.Choice(ATTRIBUTORS), default=None, callback=_attributor,
                 help="auto (default: the transformer and CRF taggers must agree), fast (CRF + rules + filter), "
                      "transformer (unfiltered), model (CRF alone) or rules."),
    click.option("--workers", type=click.IntRange(min=1), default=None,
                 help="Processes that extract, each loading the models once (default: one per core, at most one "
                      "per GB of memory)."),
    click.option("--silent", is_flag=True, help="No progress bar."),
)


def worker_count(workers: int | None) -> int:
    from .parallel import default_workers

    return workers or default_workers()


def _default_format(fmt: str | None, out: TextIO) -> str:
    return fmt or ("table" if out.isatty() else "jsonl")


def attribution_rows(article: Article) -> Iterator[dict[str, Any]]:
    """One flat row per attribution (CSV and table output)."""
    for index, a in enumerate(article.attributions):
        yield {
            "id": article.id, "index": index,
            "speaker": a.speaker.name or a.speaker.description or (a.source.text if a.source else ""),
            "speaker_type": a.speaker.type, "role": a.speaker.role or "", "description": a.speaker.description or "",
            "stance": a.stance, "kind": a.kind, "statement_date": a.statement_date or "",
            "source": a.source.text if a.source else "", "cue": a.cue.text, "content": a.content_text,
            "nested_in": "" if a.nested_in is None else a.nested_in, "cue_start": a.cue.start, "cue_end": a.cue.end,
        }


class ArticleWriter:
    """Writes articles as they come, in one of the output formats."""

    def __init__(self, out: TextIO, fmt: str) -> None:
        self.out, self.fmt = out, fmt
        self.count = 0
        if fmt == "csv":
            self.csv = csv.DictWriter(out, fieldnames=CSV_FIELDS)
            self.csv.writeheader()
        elif fmt == "json":
            out.write("[")

    def write(self, article: Article) -> None:
        if self.fmt == "jsonl":
            self.out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            self.out.write(("," if self.count else "") + "\n" + json.dumps(article.to_dict(), ensure_ascii=False,
                                                                            indent=2))
        elif self.fmt == "csv":
            self.csv.writerows(attribution_rows(article))
        else:
            self.out.write(format_table(article) + "\n")
        self.out.flush()
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n")


def format_table(article: Article) -> str:
    """A readable who-said-what table of one article."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{article.title or article.id}  ({article.published or 'undated'})", show_lines=True,
                  title_justify="left")
    for column in ("#", "who", "type", "stance", "cue", "what", "when"):
        table.add_column(column, overflow="fold")
    for row in attribution_rows(article):
        who = row["speaker"] + (f" ({row['role']})" if row["role"] else "")
        nested = f" ⊂{row['nested_in']}" if row["nested_in"] != "" else ""
        content = row["content"] if len(row["content"]) <= 160 else row["content"][:157] + "..."
        table.add_row(f"{row['index']}{nested}", who, row["speaker_type"], row["stance"], row["cue"], content,
                      row["statement_date"])
    buffer = io.StringIO()
    Console(file=buffer, width=140, color_system=None).print(table)
    return buffer.getvalue().rstrip("\n")


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


class LazyGroup(click.Group):
    """Commands whose modules import heavy extras are loaded only when used."""

    lazy = {
        "eval": ("onrecord.eval.commands", "eval_command"),
        "train": ("onrecord.eval.commands", "train_command"),
        "serve": ("onrecord.server.commands", "serve_command"),
        "bench-serve": ("onrecord.server.commands", "bench_serve_command"),
        **{name: ("onrecord.store.commands", attr) for name, attr in (
            ("ingest", "ingest"), ("link", "link"), ("speakers", "speakers"), ("quotes", "quotes"),
            ("search", "search"), ("claims", "claims"), ("contradictions", "contradictions"),
            ("sourcing", "sourcing"), ("export", "export"), ("bench-store", "bench_store"))},
        "verify": ("onrecord.store.verify_command", "verify"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            import importlib

            module, attr = self.lazy[name]
            try:
                return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
            except (ImportError, AttributeError) as err:
                extra = module.split(".")[1]  # onrecord.server.commands -> the [server] extra
                reason = f"{err} (pip install 'onrecord[{extra}]')" if extra in {"server", "store"} else str(err)

                @click.command(name, help=f"(unavailable: {reason})")
                def unavailable() -> None:
                    raise click.ClickException(f"'onrecord {name}' is unavailable: {reason}")
                return unavailable
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup)
@click.version_option(package_name="onrecord")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """onrecord: who said what, when, according to whom - and who denies it."""
    _configure_logging(verbose)


def run_batch(paths: Iterable[str], settings: Settings, published: str | None, silent: bool,
              handle: Callable[[Article], None], *, skip: Callable[[Article], bool] | None = None,
              label: str = "extracting") -> int:
    """Extract every input, hand each article to ``handle``; returns the number of failed inputs.

    ``skip`` (optional) is asked about each article as read; those it accepts are not
    extracted (``onrecord ingest`` skips texts already stored).
    """
    from .parallel import extract_parallel
    from .reading import expand_paths, read_paths

    failures = 0
    files = list(expand_paths(paths))  # walk directories once: for the bar's length and for reading

    def articles() -> Iterator[Article]:
        nonlocal failures
        for item in read_paths(files, settings):
            if isinstance(item, InputError):
                failures += 1
                click.echo(f"error: {item}", err=True)
                continue
            if published and not item.published:
                item = replace(item, published=published)
            if skip is not None and skip(item):
                bar.update(1)
                continue
            yield item

    total = len(files)
    show = not silent and total > 1 and sys.stderr.isatty()
    with click.progressbar(length=total, label=label, file=sys.stderr, hidden=not show) as bar:
        def failed(error: OnRecordError) -> None:
            nonlocal failures
            failures += 1
            click.echo(f"error: {error}", err=True)

        for article in extract_parallel(articles(), settings, workers=settings.workers, on_error=failed):
            handle(article)
            bar.update(1)
    return failures


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@output_options
@extraction_options
@click.option("--strict", is_flag=True,
              help="Exit 3 when an input gives a warning (an HTML page whose main text is suspiciously short).")
def extract(paths: tuple[str, ...], fmt: str | None, output: TextIO, published: str | None, max_bytes: int,
            attributor: str, workers: int | None, silent: bool, strict: bool) -> None:
    """Find who said what in articles: .txt, .html, .jsonl files, directories, or - for stdin."""
    settings = Settings(max_bytes=max_bytes, attributor=attributor, workers=worker_count(workers))
    writer = ArticleWriter(output, _default_format(fmt, output))
    warned = 0

    def handle(article: Article) -> None:
        nonlocal warned
        writer.write(article)
        for warning in article.warnings:  # one line each, naming the input
            click.echo(f"warning: {warning}", err=True)
        warned += bool(article.warnings)

    try:
        failures = run_batch(paths, settings, published, silent, handle)
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    finally:
        writer.close()
    if failures:
        click.echo(f"{failures} input(s) failed, {writer.count} written", err=True)
        sys.exit(EXIT_SOME_FAILED)
    if strict and warned:
        click.echo(f"{warned} input(s) with warnings (--strict)", err=True)
        sys.exit(EXIT_SOME_FAILED)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--limit", type=int, default=None, help="Use at most this many articles.")
@click.option("--repeat", type=click.IntRange(min=1), default=2, show_default=True,
              help="Interleaved runs of each side; the best time of each counts.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--modes", default="fast", show_default=True,
              help="Further --attributor modes timed in the same run (comma-separated; empty for none).")
def bench(paths: tuple[str, ...], limit: int | None, repeat: int, as_json: bool, modes: str) -> None:
    """Time extraction (the default and further attributor modes) against a bare spaCy parse of the same texts."""
    from .benchmarks.extract import format_report, run_benchmark

    try:
        figures = run_benchmark(paths, limit=limit, repeat=repeat,
                                attributors=[m.strip() for m in modes.split(",") if m.strip()])
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps(figures, indent=2) if as_json else format_report(figures))


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", required=True, help="Folder of the Parquet datasets (articles/, attributions/, errors/).")
@click.option("--master", default="local[*]", show_default=True, help="Spark master URL.")
@click.option("--partitions", type=click.IntRange(min=1), default=None, help="Partitions (default: Spark's).")
@click.option("--attributor", type=click.Choice(ATTRIBUTORS), default="auto", show_default=True,
              help="As for extract (each executor loads the models once).")
def spark(inputs: tuple[str, ...], output: str, master: str, partitions: int | None, attributor: str) -> None:
    """Run the Spark job (JSON Lines, Parquet or WARC in; Parquet datasets out) on MASTER."""
    from .spark import run_job, session

    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise click.ClickException("'onrecord spark' needs pyspark: pip install 'onrecord[spark]'") from None
    spark_session = session(master)
    try:
        counts = run_job(spark_session, list(inputs), output, Settings(attributor=attributor), partitions)
    finally:
        spark_session.stop()
    click.echo(f"{counts['articles']} articles, {counts['attributions']} attributions, {counts['errors']} errors "
               f"written to {output}", err=True)
    if counts["errors"]:
        sys.exit(EXIT_SOME_FAILED)


def main() -> None:
    cli()
