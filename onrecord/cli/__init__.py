"""The `onrecord` command line: a thin shell over the library.

This package holds the group, the options several commands share and the output formats;
each group of commands is a module of its own, imported only when one of its commands runs
(so ``onrecord --help`` and ``onrecord extract`` never import SQLAlchemy, FastAPI or torch):
`extract`, `store` (ingest, link and the queries over a store), `verify`, `eval` (eval and
train), `serve` and `spark`. No library module imports this package.

Exit codes: 0 ok, 1 error, 2 usage, 3 some inputs failed while the others were written (or, under
``extract --strict``, some inputs gave warnings).
Data goes to stdout, logs and progress to stderr.
"""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Callable
from typing import Any, TextIO

import click

from .. import __version__
from ..config import ATTRIBUTORS, Settings
from ..models import ROW_COLUMNS, Article
from ..spreadsheet import CsvWriter

logger = logging.getLogger(__name__)

EXIT_SOME_FAILED = 3
FORMATS = ("table", "json", "jsonl", "csv")


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
    from ..parallel import default_workers

    return workers or default_workers()


def default_format(fmt: str | None, out: TextIO) -> str:
    return fmt or ("table" if out.isatty() else "jsonl")


class ArticleWriter:
    """Writes articles as they come, in one of the output formats."""

    def __init__(self, out: TextIO, fmt: str) -> None:
        self.out, self.fmt = out, fmt
        self.count = 0
        if fmt == "csv":
            self.csv = CsvWriter(out, ROW_COLUMNS)  # formula cells neutralised
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
            self.csv.writerows(article.attribution_rows())
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
    for row in article.attribution_rows():
        who = (row["speaker"] or "") + (f" ({row['role']})" if row["role"] else "")
        nested = f" ⊂{row['nested_in']}" if row["nested_in"] is not None else ""
        content = row["content"] if len(row["content"]) <= 160 else row["content"][:157] + "..."
        table.add_row(f"{row['index']}{nested}", who, row["speaker_type"], row["stance"], row["cue"], content,
                      row["statement_date"] or "")
    buffer = io.StringIO()
    Console(file=buffer, width=140, color_system=None).print(table)
    return buffer.getvalue().rstrip("\n")


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


# Each command: (module, attribute, the extra it needs, named in the message when it cannot be loaded)
STORE = "onrecord.cli.store"
COMMANDS: dict[str, tuple[str, str, str | None]] = {
    "extract": ("onrecord.cli.extract", "extract", None),
    "eval": ("onrecord.cli.eval", "eval_command", None),
    "train": ("onrecord.cli.eval", "train_command", None),
    "serve": ("onrecord.cli.serve", "serve_command", "server"),
    "spark": ("onrecord.cli.spark", "spark", None),
    "verify": ("onrecord.cli.verify", "verify", "store"),
    **{name: (STORE, name, "store") for name in (
        "ingest", "link", "speakers", "quotes", "search", "claims", "contradictions", "sourcing", "export")},
}


class LazyGroup(click.Group):
    """Commands are loaded only when used: their modules import heavy extras."""

    lazy = COMMANDS

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            import importlib

            module, attr, extra = self.lazy[name]
            try:
                return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
            except (ImportError, AttributeError) as err:
                reason = f"{err} (pip install 'onrecord[{extra}]')" if extra else str(err)

                @click.command(name, help=f"(unavailable: {reason})")
                def unavailable() -> None:
                    raise click.ClickException(f"'onrecord {name}' is unavailable: {reason}")
                return unavailable
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup)
@click.version_option(__version__, package_name="onrecord")  # given: no package metadata read at start
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """onrecord: who said what, when, according to whom - and who denies it."""
    _configure_logging(verbose)


def main() -> None:
    cli()
