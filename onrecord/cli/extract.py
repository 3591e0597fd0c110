"""``onrecord extract``: who said what in articles, written as a table, JSON, JSON Lines or CSV."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TextIO

import click

from ..config import Settings
from ..errors import InputError, OnRecordError
from ..models import Article
from . import EXIT_SOME_FAILED, ArticleWriter, default_format, extraction_options, output_options, worker_count


def run_batch(paths: Iterable[str], settings: Settings, published: str | None, silent: bool,
              handle: Callable[[Article], None], *, skip: Callable[[Article], bool] | None = None,
              label: str = "extracting") -> int:
    """Extract every input, hand each article to ``handle``; returns the number of failed inputs.

    ``skip`` (optional) is asked about each article as read; those it accepts are not
    extracted (``onrecord ingest`` skips texts already stored).
    """
    from ..parallel import extract_parallel
    from ..reading import expand_paths, read_paths

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


@click.command()
@click.argument("paths", nargs=-1, required=True)
@output_options
@extraction_options
@click.option("--strict", is_flag=True,
              help="Exit 3 when an input gives a warning (an HTML page whose main text is suspiciously short).")
def extract(paths: tuple[str, ...], fmt: str | None, output: TextIO, published: str | None, max_bytes: int,
            attributor: str, workers: int | None, silent: bool, strict: bool) -> None:
    """Find who said what in articles: .txt, .html, .jsonl files, directories, or - for stdin."""
    settings = Settings(max_bytes=max_bytes, attributor=attributor, workers=worker_count(workers))
    writer = ArticleWriter(output, default_format(fmt, output))
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
