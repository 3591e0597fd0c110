"""``onrecord spark``: the Spark job (`onrecord.spark`) on a master from this machine."""

from __future__ import annotations

import sys

import click

from ..config import ATTRIBUTORS, Settings
from . import EXIT_SOME_FAILED


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", required=True, help="Folder of the Parquet datasets (articles/, attributions/, errors/).")
@click.option("--master", default="local[*]", show_default=True, help="Spark master URL.")
@click.option("--partitions", type=click.IntRange(min=1), default=None, help="Partitions (default: Spark's).")
@click.option("--attributor", type=click.Choice(ATTRIBUTORS), default="auto", show_default=True,
              help="As for extract (each executor loads the models once).")
def spark(inputs: tuple[str, ...], output: str, master: str, partitions: int | None, attributor: str) -> None:
    """Run the Spark job (JSON Lines, Parquet or WARC in; Parquet datasets out) on MASTER."""
    from ..spark import run_job, session

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
