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
@click.option("--meaning", "--embeddings", "embeddings", is_flag=True,  # the web's ``meaning``; the old name kept
              help="Also find paraphrases by meaning: statements from the embedding index, the same content in "
                   "other words (needs the sentence-embedding model; an error names its install command).")
@db_option
@output_options
def verify(quote: str, speaker: str | None, limit: int, embeddings: bool, db: str | None, fmt: str | None,
           output: TextIO) -> None:
    """Check a quote against the stored statements: verbatim, altered, negated, paraphrase or not found
    for each close statement; the finding in one word (also wrong_speaker or absent) heads the table."""
    from ..verify import finding, verify as check

    with opened(db) as store:
        verdicts = check(store, quote, speaker, limit=limit, embeddings=embeddings)
    write_records(verdicts, fmt, output, ("verdict", "similarity", "speaker_match", "statement.speaker_name",
                                          "statement.attribution.content.text", "statement.title", "statement.published", "notes"),
                  title=f"finding: {finding(verdicts).replace('_', ' ')}")
