"""``onrecord verify``: did they really say it? (over a store, beside the store commands)."""

from __future__ import annotations

from typing import TextIO

import click

from . import output_options
from .store import db_option, opened, write_records


@click.command()
@click.argument("quote")
@click.option("--speaker", help="Who is said to have said it (a name or alias).")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True, help="Most statements shown.")
@click.option("--embeddings", is_flag=True, help="Also find paraphrases by meaning (sentence embeddings).")
@db_option
@output_options
def verify(quote: str, speaker: str | None, limit: int, embeddings: bool, db: str | None, fmt: str | None,
           output: TextIO) -> None:
    """Check a quote against the stored statements: verbatim, altered, paraphrase or not found."""
    from ..verify import verify as check

    with opened(db) as store:
        verdicts = check(store, quote, speaker, limit=limit, embeddings=embeddings)
    write_records(verdicts, fmt, output, ("verdict", "similarity", "speaker_match", "statement.speaker_name",
                                          "statement.attribution.content.text", "statement.title", "statement.published", "notes"))
