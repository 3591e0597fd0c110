"""Exports of every stored attribution: JSON Lines, CSV, Parquet (pyarrow) and JSON-LD (schema.org).

Rows are the store's `Quote` records (one per attribution), read in pages so that memory
stays bounded: JSON Lines writes each whole (its ``attribution`` as in the extraction
contract), CSV and Parquet flatten it into the one row of an attribution
(`onrecord.models.ROW_COLUMNS`, as ``onrecord extract --format csv`` writes it); JSON-LD gives each a schema.org
``Quotation`` with its ``creator`` (a ``Person`` or ``Organization``) and the article as
``isPartOf``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..models import INTEGER_ROW_COLUMNS, ROW_COLUMNS
from ..spreadsheet import CsvWriter
from .errors import StoreError, guarded
from .records import Quote

if TYPE_CHECKING:
    from .base import Store

FORMATS = ("jsonl", "csv", "parquet", "jsonld")
PAGE = 5000


@guarded
def iter_quotes(store: Store) -> Iterator[Quote]:
    """Every stored attribution, in storage order."""
    from sqlalchemy import select

    from . import schema as s

    last = 0
    while True:
        with store.engine.connect() as conn:
            ids = list(conn.execute(select(s.attributions.c.id).where(s.attributions.c.id > last)
                                    .order_by(s.attributions.c.id).limit(PAGE)).scalars())
        if not ids:
            return
        quotes = store.quotes_by_ids(ids)
        for i in ids:
            yield quotes[i]
        last = ids[-1]


# CSV and Parquet are tables: one flat row per attribution, the columns every table has
COLUMNS = ROW_COLUMNS
INTEGER_COLUMNS = INTEGER_ROW_COLUMNS


def flat_row(q: Quote) -> dict[str, Any]:
    """A quote as one table row (`Quote.to_row`; ``content_spans``: JSON ``[[start, end], ...]``)."""
    return q.to_row()


def jsonld(q: Quote) -> dict[str, Any]:
    """One attribution as a schema.org Quotation."""
    a = q.attribution
    creator: dict[str, Any] | None = None
    if q.speaker_name:
        kind = "Person" if a.speaker.type == "person" else "Organization" if a.speaker.type in (
            "organization", "media", "group") else "Thing"
        creator = {"@type": kind, "name": q.speaker_name}
        if q.speaker_id is not None:
            creator["@id"] = f"onrecord:speaker/{q.speaker_id}"
        if a.speaker.role and kind == "Person":
            creator["jobTitle"] = a.speaker.role
        if a.speaker.type == "anonymous":
            creator["description"] = "anonymous source"
    item: dict[str, Any] = {
        "@type": "Quotation",
        "@id": f"onrecord:article/{q.article_id}#{q.index}",
        "text": a.content_text,
        "isPartOf": {"@type": "NewsArticle", "@id": f"onrecord:article/{q.article_id}", "headline": q.title,
                     "datePublished": q.published, "publisher": {"@type": "Organization", "name": q.outlet}
                     if q.outlet else None},
        "additionalProperty": [{"@type": "PropertyValue", "name": k, "value": v}
                               for k, v in (("stance", a.stance), ("kind", a.kind), ("cue", a.cue.text)) if v],
    }
    if creator:
        item["creator"] = creator
    if a.statement_date:
        item["dateCreated"] = a.statement_date
    return item


@guarded
def export_store(store: Store, fmt: str, target: str | Path | TextIO) -> int:
    """Write every attribution to ``target`` (a path or an open text stream); returns how many.

    Args:
        store: an open store.
        fmt: jsonl, csv, parquet (needs a path) or jsonld.
        target: a file path, or a text stream for the text formats.
    """
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not isinstance(target, (str, Path)):
            raise StoreError("parquet export needs a file path")
        return _parquet(store, Path(target))
    if isinstance(target, (str, Path)):
        with open(target, "w", encoding="utf-8", newline="") as out:
            return _text(store, fmt, out)
    return _text(store, fmt, target)


def _text(store: Store, fmt: str, out: TextIO) -> int:
    n = 0
    if fmt == "csv":
        writer = CsvWriter(out, list(COLUMNS))  # formula cells neutralised
        writer.writeheader()
    elif fmt == "jsonld":
        out.write('{"@context": {"@vocab": "https://schema.org/", "onrecord": "urn:onrecord:"},\n "@graph": [')
    for q in iter_quotes(store):
        if fmt == "jsonl":
            out.write(json.dumps(q.to_dict(), ensure_ascii=False) + "\n")
        elif fmt == "csv":
            writer.writerow(flat_row(q))
        else:
            out.write(("," if n else "") + "\n  " + json.dumps(jsonld(q), ensure_ascii=False))
        n += 1
    if fmt == "jsonld":
        out.write("\n]}\n")
    return n


def _parquet(store: Store, path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise StoreError("Parquet export needs pyarrow: pip install 'onrecord[export]'") from None
    schema = pa.schema([(name, pa.int64() if name in INTEGER_COLUMNS else pa.string()) for name in COLUMNS])
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for q in iter_quotes(store):
            batch.append(flat_row(q))
            if len(batch) >= PAGE:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
