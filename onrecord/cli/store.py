"""The commands over a store: thin shells that parse options, call one store function and print.

Loaded lazily by `onrecord.cli.LazyGroup`, so ``onrecord extract`` never imports SQLAlchemy.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TextIO

import click

from . import EXIT_SOME_FAILED, default_format, extraction_options, option_group, output_options, worker_count
from ..config import Settings
from ..errors import OnRecordError
from ..models import GENDERS, SPEAKER_TYPES, STANCES, Article
from ..progress import listening
from .progress import Progress
from ..spreadsheet import CsvWriter

DB_HELP = "Database: a SQLite file (default onrecord.db, or $ONRECORD_DB), sqlite:///PATH or postgresql://..."


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db", envvar="ONRECORD_DB", default=None, help=DB_HELP)(func)


@contextmanager
def opened(db: str | None) -> Iterator[Any]:
    """The store, with every `OnRecordError` turned into a one-line CLI error."""
    from ..store import open_store

    try:
        store = open_store(db)
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    try:
        yield store
    except OnRecordError as err:
        raise click.ClickException(str(err)) from None
    finally:
        store.close()


def write_records(records: Sequence[Any], fmt: str | None, out: TextIO, columns: Sequence[str],
                  title: str = "", *, empty: str = "nothing matches") -> None:
    """Records (store dataclasses) as a table, JSON, JSON Lines or CSV (nested fields as JSON).

    No records: ``empty`` in one line on stderr, and no empty table (JSON stays ``[]``, CSV keeps its
    header: a program reading them needs no special case).
    """
    fmt = default_format(fmt, out)
    if not records:
        click.echo(empty, err=True)
        if fmt == "table":
            return
    dicts = [r.to_dict() for r in records]
    if fmt == "json":
        out.write(json.dumps(dicts, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for d in dicts:
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        names = list(dicts[0]) if dicts else list(columns)
        writer = CsvWriter(out, names)  # formula cells neutralised, nested values as JSON
        writer.writeheader()
        writer.writerows(dicts)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title or None, title_justify="left", show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for d in dicts:
            table.add_row(*(_cell(_get(d, c)) for c in columns))
        buffer = io.StringIO()
        Console(file=buffer, width=160, color_system=None).print(table)
        out.write(buffer.getvalue())


def _get(d: Any, path: str) -> Any:
    """The value at a dotted path; through a list, the values of its items joined (content fragments)."""
    for part in path.split("."):
        if isinstance(d, list):
            d = " … ".join(str(item.get(part)) for item in d if isinstance(item, dict) and item.get(part) is not None)
        else:
            d = d.get(part) if isinstance(d, dict) else None
    return d


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."


# ``--limit`` and ``--offset``: every command that lists records.
paging_options = option_group(
    click.option("--limit", type=click.IntRange(0, 10_000), default=50, show_default=True),
    click.option("--offset", type=click.IntRange(0), default=0),
)

def _outlet(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Any spelling of an outlet ("nyt", nytimes.com) finds it: outlets are stored canonical."""
    from ..outlets import canonical_outlet

    return canonical_outlet(value)


def _until(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """"--until 2022-11" means to the end of November, as on the web (dates compare as text)."""
    if value and len(value) in (4, 7) and value.replace("-", "").isdigit():
        value += {4: "-12-31", 7: "-31"}[len(value)]
    return value or None


# The dates and the outlet as the web's ``since``, ``until`` and ``outlet`` read them.
date_options = option_group(
    click.option("--since", help="From this day (YYYY, YYYY-MM or YYYY-MM-DD, inclusive)."),
    click.option("--until", callback=_until, help="Up to this day (YYYY, YYYY-MM or YYYY-MM-DD, inclusive)."),
)
outlet_option = click.option("--outlet", callback=_outlet,
                             help="Outlet, in any spelling (\"nyt\" finds The New York Times).")
# the web's parameter is ``speaker_type``: ``--speaker-type``, with ``--type`` kept as its alias
speaker_type_option = click.option("--speaker-type", "--type", "speaker_type", type=click.Choice(SPEAKER_TYPES),
                                   help="Speaker type.")

filter_options = option_group(
    click.option("--speaker", help="Speaker name, alias or id (\"Putin\" finds Vladimir Putin)."),
    speaker_type_option,
    click.option("--stance", type=click.Choice(STANCES), help="Stance of the cue."),
    outlet_option,
    date_options,
    paging_options,
)


def _given(**filters: Any) -> str:
    return " ".join(f"--{k.replace('_', '-')} {v}" for k, v in filters.items() if v not in (None, ""))


def _nothing(what: str, **filters: Any) -> str:
    """The one line an empty result prints: "no statements match --stance deny --outlet Reuters"."""
    given = _given(**filters)
    return f"no {what} match {given}" if given else f"no {what} stored yet"


QUOTE_COLUMNS = ("attribution.statement_date", "published", "speaker_name", "attribution.stance",
                 "attribution.cue.text", "attribution.content.text", "outlet")


def _speaker_arg(speaker: str | None) -> str | int | None:
    return int(speaker) if speaker and speaker.isdigit() else speaker


@click.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@extraction_options
@click.option("--reextract", is_flag=True, help="Extract texts already stored again (and update them).")
@click.option("--from-spark", is_flag=True,
              help="PATHS are --output folders of 'onrecord spark': store their articles and attributions as "
                   "extracted there (nothing is extracted again).")
@click.option("--no-link", is_flag=True, help="Do not recompute speakers and claims afterwards.")
@click.option("--no-claims", is_flag=True, help="Link speakers only (no claim clustering).")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=None,
              help="Articles per transaction [default: 50; 1,000 with --from-spark].")
def ingest(paths: tuple[str, ...], db: str | None, published: str | None, max_bytes: int, attributor: str,
           workers: int | None, reextract: bool, from_spark: bool, no_link: bool, no_claims: bool,
           batch_size: int | None, silent: bool) -> None:
    """Extract articles and store them with their attributions (idempotent, resumable).

    Files found under a directory get their path relative to it as id (``a/report``,
    ``b/report``); an id that comes back with another text is an error, not an overwrite.
    With ``--from-spark``, the output of ``onrecord spark`` is loaded as it is.
    """
    from ..reading import expand_paths
    from ..spark import is_output
    from ..store.ingest import ingest as ingest_articles, read_inputs

    if from_spark:
        _ingest_spark_output(paths, db, reextract, not no_link, not no_claims, batch_size or 1_000, silent)
        return
    spark_output = next((p for p in paths if is_output(p)), None)
    if spark_output:
        raise click.UsageError(f"{spark_output} is the output of 'onrecord spark': load it with --from-spark "
                               "(otherwise its texts would be extracted again)")
    settings = Settings(max_bytes=max_bytes, attributor=attributor, workers=worker_count(workers))
    files = [(root, path) for root in paths for path in expand_paths([root])]
    with opened(db) as store, Progress(hidden=silent) as progress:
        # the bar counts articles decided (extracted and stored, skipped or failed), not files read:
        # reading runs ahead of extraction. Its total is the articles read, the files while reading.
        read, decided, reading = 0, 0, True

        def inputs() -> Iterator[Article | OnRecordError]:
            nonlocal read, reading
            for root, path in files:
                for item in read_inputs(root, path, settings, known=lambda url: bool(store.stored_ids([url]))):
                    if isinstance(item, Article) and published and not item.published:
                        item = replace(item, published=published)
                    read += 1
                    yield item
            reading = False

        def told(_item: Any) -> None:
            nonlocal decided
            decided += 1
            progress.update("extracting", decided, max(read, len(files)) if reading else read)

        with listening(progress.update):  # then each link step, with its own count
            report = ingest_articles(store, inputs(), settings=settings, reextract=reextract,
                                     batch_size=batch_size or 50, progress=told)
            _link_after(store, not no_link, not no_claims)
        where = store.url
    _print_report(report, where)


def _ingest_spark_output(paths: tuple[str, ...], db: str | None, reextract: bool, link: bool, claims: bool,
                         batch_size: int, silent: bool) -> None:
    from ..spark import is_output, output_size, read_output
    from ..store.ingest import ingest as ingest_articles

    if reextract:
        raise click.UsageError("--reextract does not apply to --from-spark (nothing is extracted)")
    for path in paths:
        if not is_output(path):
            raise click.UsageError(f"{path} is not an output folder of 'onrecord spark' (no articles/ and "
                                   "attributions/ folders)")
    try:
        total = sum(output_size(path) for path in paths)
    except ImportError as err:
        raise click.ClickException(str(err)) from None
    with opened(db) as store, Progress(hidden=silent) as progress, listening(progress.update):
        inputs = (item for path in paths for item in read_output(path))
        loaded = iter(range(1, total + 1))
        report = ingest_articles(store, inputs, extracted=True, batch_size=batch_size,
                                 progress=lambda item: progress.update("loading", next(loaded, total), total))
        _link_after(store, link, claims)
        where = store.url
    _print_report(report, where)


def _link_after(store: Any, link: bool, claims: bool) -> None:
    """Link whatever waits, from this run or an earlier one (--no-link, a kill, a failed link): a full
    link over all statements, so the result never depends on how the articles came in."""
    if link:
        from ..link.stored import catch_up

        catch_up(store, claims=claims)


def _print_report(report: Any, url: str) -> None:
    """One line per failed input, the counts (naming the database, never its password), and exit code 3
    when anything failed."""
    from ..store.errors import database_name

    where = database_name(url)
    for item in report.failed:
        click.echo(f"error: {item.error}", err=True)
    counts = report.counts()
    click.echo(f"{counts['added']} added, {counts['updated']} updated, {counts['skipped']} skipped ({where})", err=True)
    if counts["failed"]:
        click.echo(f"{counts['failed']} input(s) failed", err=True)
        sys.exit(EXIT_SOME_FAILED)


@click.command()
@db_option
@click.option("--no-claims", is_flag=True, help="Link speakers only.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Cosine similarity for \"same claim\" (default: the tuned value).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a summary for people on stderr; json: the counts on stdout, for programs.")
@click.option("--silent", is_flag=True, help="No progress.")
def link(db: str | None, no_claims: bool, threshold: float | None, fmt: str, silent: bool) -> None:
    """Recompute canonical speakers, claim clusters and contradictions."""
    import time

    from ..link.stored import link_store
    from ..store.queries import count_contradictions

    started = time.monotonic()
    with opened(db) as store:
        with Progress(hidden=silent) as progress, listening(progress.update):
            link_store(store, claims=not no_claims, threshold=threshold)
        counts = {**store.count(), "contradictions": count_contradictions(store),
                  "seconds": round(time.monotonic() - started, 1)}
    if fmt == "json":
        click.echo(json.dumps(counts))
    else:
        click.echo(link_summary(counts), err=True)


def link_summary(counts: dict[str, Any]) -> str:
    """``linked 1,926 statements of 97 articles: 412 speakers, 230 claims, 12 contradictions in 14.2 s``."""
    return (f"linked {counts['attributions']:,} statements of {counts['articles']:,} articles: "
            f"{counts['speakers']:,} speakers, {counts['claims']:,} claims, {counts['contradictions']:,} "
            f"contradictions in {counts['seconds']} s")


@click.command()
@db_option
@output_options
@click.option("-q", "--q", "--query", "q", help="Only speakers whose name or an alias contains this.")
@click.option("--type", "--speaker-type", "speaker_type", type=click.Choice(SPEAKER_TYPES),
              help="Speaker type (the web's ``type`` here).")
@paging_options
def speakers(db: str | None, fmt: str | None, output: TextIO, q: str | None, speaker_type: str | None, limit: int,
             offset: int) -> None:
    """Canonical speakers with aliases, roles over time and number of statements."""
    with opened(db) as store:
        found = store.list_speakers(q=q, type=speaker_type, limit=limit, offset=offset)
    write_records(found, fmt, output, ("id", "name", "type", "gender", "n_statements", "first_date", "last_date",
                                       "aliases", "roles"), empty=_nothing("speakers", q=q, type=speaker_type))


@click.command()
@db_option
@output_options
@filter_options
@click.option("--gender", type=click.Choice(GENDERS),
              help="Only named people of this gender (the linked speaker's).")
def quotes(db: str | None, fmt: str | None, output: TextIO, speaker: str | None, speaker_type: str | None,
           stance: str | None, outlet: str | None, since: str | None, until: str | None, limit: int,
           offset: int, gender: str | None) -> None:
    """Statements by speaker, type, gender, stance, outlet and date, newest first."""
    with opened(db) as store:
        found = store.quotes(speaker=_speaker_arg(speaker), speaker_type=speaker_type, stance=stance, outlet=outlet,
                             since=since, until=until, gender=gender, limit=limit, offset=offset)
    write_records(found, fmt, output, QUOTE_COLUMNS, empty=_nothing(
        "statements", speaker=speaker, speaker_type=speaker_type, stance=stance, outlet=outlet, since=since,
        until=until, gender=gender) + (f" (from --offset {offset})" if offset else ""))


@click.command()
@click.argument("text")
@db_option
@output_options
@filter_options
def search(text: str, db: str | None, fmt: str | None, output: TextIO, speaker: str | None,
           speaker_type: str | None, stance: str | None, outlet: str | None, since: str | None, until: str | None,
           limit: int, offset: int) -> None:
    """Full-text search over what was said (every word must occur)."""
    with opened(db) as store:
        found = store.search(text, speaker=_speaker_arg(speaker), speaker_type=speaker_type, stance=stance,
                             outlet=outlet, since=since, until=until, limit=limit, offset=offset)
    write_records(found, fmt, output, QUOTE_COLUMNS, empty=" ".join(filter(None, (
        f"no statements match {text!r}", _given(speaker=speaker, speaker_type=speaker_type, stance=stance,
                                                outlet=outlet, since=since, until=until)))))


@click.command()
@db_option
@output_options
@paging_options
def claims(db: str | None, fmt: str | None, output: TextIO, limit: int, offset: int) -> None:
    """Groups of statements that make the same claim, most widely reported first."""
    with opened(db) as store:
        found = store.list_claims(limit=limit, offset=offset)
    write_records(found, fmt, output, ("id", "n_articles", "n_statements", "stances", "label"),
                  empty="no claims stored yet (onrecord link groups statements into claims)" if not offset
                  else f"no claims after --offset {offset}")


@click.command()
@db_option
@output_options
@paging_options
def contradictions(db: str | None, fmt: str | None, output: TextIO, limit: int, offset: int) -> None:
    """Statements of one claim whose stance or polarity oppose, with both as evidence."""
    with opened(db) as store:
        found = store.contradictions(limit=limit, offset=offset)
    write_records(found, fmt, output, ("claim_id", "reason", "a.speaker_name", "a.attribution.content.text",
                                       "b.speaker_name", "b.attribution.content.text"),
                  empty="no contradictions found" if not offset else f"no contradictions after --offset {offset}")


@click.command()
@db_option
@output_options
@click.option("--by", type=click.Choice(["outlet", "article"]), default="outlet", show_default=True)
@outlet_option
@date_options
def sourcing(db: str | None, fmt: str | None, output: TextIO, by: str, outlet: str | None, since: str | None,
             until: str | None) -> None:
    """Share of named, anonymous and media sources per outlet or per article, of the statements
    dated from --since to --until when given."""
    with opened(db) as store:
        found = dated_sourcing(store, by, outlet, since, until)
    write_records(found, fmt, output, ("key", "total", "named", "anonymous", "media", "other", "share_named",
                                       "share_anonymous", "share_media"),
                  empty=_nothing("statements", outlet=outlet, since=since, until=until))


def dated_sourcing(store: Any, by: str, outlet: str | None, since: str | None, until: str | None) -> list[Any]:
    """The rows of the web's /sourcing (`queries.sourcing_table`: one query for both), as records."""
    from ..store.reads import check_date
    from ..store.queries import sourcing_table
    from ..store.records import SourcingRow

    check_date(since, "since"), check_date(until, "until")
    return [SourcingRow(key=row["key"] if row["key"] is not None else "(unknown)", total=int(row["total"]),
                        named=row["named"], anonymous=row["anonymous"], media=row["media"], other=row["other"],
                        share_named=row["share_named"], share_anonymous=row["share_anonymous"],
                        share_media=row["share_media"])
            for row in sourcing_table(store, by, outlet, since, until)]


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "jsonld"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", "output", default="-", help="File to write (parquet needs a file).")
def export(db: str | None, fmt: str, output: str) -> None:
    """Export stored attributions: JSON Lines, CSV, Parquet or JSON-LD (schema.org Quotation)."""
    from ..store.export import export_store

    with opened(db) as store:
        if output == "-":
            if fmt == "parquet":
                raise click.UsageError("parquet needs a file: -o FILE")
            n = export_store(store, fmt, sys.stdout)
        else:
            n = export_store(store, fmt, output)
    click.echo(f"{n} attributions exported", err=True)
