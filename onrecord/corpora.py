"""Read news corpora into `Article` records: WARC archives and tables (Parquet, CSV).

Like `onrecord.reading`, every reader yields an `Article` or an `InputError` naming the
input (and the record within it), so one bad record never stops a crawl: a truncated
``.warc.gz`` yields what it held before the damage, then one error.
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
import zlib
from collections.abc import Generator, Iterator, Mapping
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from .config import Settings
from .errors import InputError, InputTooLarge
from .html import decode_html
from .models import Article

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
TABLE_SUFFIXES = (".parquet", ".csv", ".tsv")

Item = Article | InputError


@dataclass(frozen=True, slots=True)
class Columns:
    """Which table columns hold what (``--text-column``, ``--html-column`` …)."""

    id: str = "id"
    text: str = "text"
    html: str = "html"
    title: str = "title"
    published: str = "published"
    url: str = "url"
    outlet: str = "outlet"


def is_corpus(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(WARC_SUFFIXES) or name.endswith(TABLE_SUFFIXES)


def read_corpus(path: Path, settings: Settings, columns: Columns | None = None) -> Iterator[Item]:
    """Articles of one corpus file, chosen by its suffix."""
    name = path.name.lower()
    try:
        if name.endswith(WARC_SUFFIXES):
            with path.open("rb") as raw:
                # Python's gzip notices a truncated member, where warcio would stop quietly
                stream = _Watched(gzip.GzipFile(fileobj=raw) if name.endswith(".gz") else raw)
                if not stream.peek(5).startswith(b"WARC/"):  # warcio reads any text as (ARC) records
                    why = f"damaged WARC ({stream.damage})" if stream.damage else "not a WARC file (no WARC/1.x header)"
                    yield InputError(why, input=str(path))
                    return
                reported = yield from read_warc(stream, str(path), settings)
                if stream.damage is not None and not reported:
                    yield InputError(f"damaged WARC ({stream.damage})", input=str(path))
        elif name.endswith(".parquet"):
            yield from read_parquet(path, settings, columns or Columns())
        else:
            yield from read_csv(path, settings, columns or Columns())
    except OSError as err:
        yield InputError(f"cannot read ({err.strerror or err})", input=str(path))


class _Watched(io.RawIOBase):
    """A stream that remembers a read error instead of letting a reader swallow it.

    Reads are small, so what a truncated gzip member held before the damage still comes out.
    """

    def __init__(self, inner: BinaryIO | gzip.GzipFile) -> None:
        self.inner = inner
        self.damage: str | None = None
        self.head = b""

    def peek(self, size: int) -> bytes:
        """The first bytes, which later reads still return."""
        while len(self.head) < size and (more := self._read(size - len(self.head))):
            self.head += more
        return self.head

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self._read(size)

    def _read(self, size: int) -> bytes:
        if self.damage is not None:
            return b""
        try:
            size = min(size, 8192) if size >= 0 else 8192
            # read1: a buffered reader's read() would drop what it gathered before the error
            return self.inner.read1(size) if hasattr(self.inner, "read1") else self.inner.read(size)
        except (EOFError, OSError, zlib.error) as err:
            self.damage = f"{type(err).__name__}: {err}"
            return b""

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def read_warc(stream: BinaryIO | io.RawIOBase, name: str, settings: Settings) -> Generator[Item, None, bool]:
    """HTML responses of a WARC file, gzipped or not, as articles.

    The record's URL becomes the article's ``id`` and ``url``; the crawl date is the
    fallback ``published`` when the page gives none.
    """
    from warcio.archiveiterator import ArchiveIterator

    from .html import article_from_html

    records = ArchiveIterator(stream)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return False
        except Exception as err:  # warcio, zlib and the HTTP parser each raise their own types on damage
            yield InputError(f"damaged WARC ({type(err).__name__}: {err})", input=name)
            return True
        if record.rec_type != "response":
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or None
        where = f"{name}@{records.offset}"
        http = record.http_headers
        content_type = http.get_header("Content-Type") if http is not None else None
        if http is None or not content_type or "html" not in content_type.lower():
            continue  # images, scripts, robots.txt: a crawl holds many, none is an article
        try:
            payload = record.content_stream().read(settings.max_bytes + 1)
            if len(payload) <= settings.max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
                raise EOFError("the archive ends inside this record")
        except Exception as err:
            yield InputError(f"damaged WARC record ({type(err).__name__}: {err})",
                             input=f"{where} {url or ''}".strip())
            return True
        if len(payload) > settings.max_bytes:
            yield InputTooLarge(f"record {url} is over the {settings.max_bytes / 1e6:g} MB limit", input=where)
            continue
        crawled = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
        try:
            article = article_from_html(decode_html(payload, content_type), id=url or where, name=url or where,
                                        url=url)
        except InputError as err:
            yield InputError(str(err).split(": ", 1)[-1], input=f"{where} {url}" if url else where)
            continue
        if article.published is None and crawled:
            article = replace(article, published=crawled)
        yield article


def article_from_row(row: Mapping[str, Any], columns: Columns, *, name: str, number: int,
                     settings: Settings) -> Article:
    """An article from one table row: the text column, or else the HTML column."""
    from .html import article_from_html

    def field(column: str) -> str | None:
        value = row.get(column)
        if value is None or value == "":
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise InputError(f"column '{column}' holds {type(value).__name__}, not text", input=name, line=number)
        return str(value)

    rid = field(columns.id) or f"{Path(name).stem}-{number}"
    published, url, outlet = field(columns.published), field(columns.url), field(columns.outlet)
    text, html = field(columns.text), field(columns.html)
    for value in (text, html):
        if value is not None and len(value.encode("utf-8", "surrogatepass")) > settings.max_bytes:
            raise InputTooLarge(f"row is over the {settings.max_bytes / 1e6:g} MB limit", input=name, line=number)
    if text is not None:
        return Article(id=rid, text=text, title=field(columns.title), published=published, url=url, outlet=outlet)
    if html is not None:
        try:
            return article_from_html(html, id=rid, name=f"{name}:{number}", published=published, url=url,
                                     outlet=outlet)
        except InputError as err:
            raise InputError(str(err).split(": ", 1)[-1], input=name, line=number) from None
    raise InputError(f"row has no '{columns.text}' or '{columns.html}' value", input=name, line=number)


def _rows(rows: Iterator[Mapping[str, Any]], columns: Columns, name: str, settings: Settings,
          header: list[str]) -> Iterator[Item]:
    if columns.text not in header and columns.html not in header:
        yield InputError(f"no '{columns.text}' or '{columns.html}' column (columns: {', '.join(header[:20])})",
                         input=name)
        return
    for number, row in enumerate(rows, 1):
        try:
            yield article_from_row(row, columns, name=name, number=number, settings=settings)
        except InputError as err:
            yield err


def read_parquet(path: Path, settings: Settings, columns: Columns) -> Iterator[Item]:
    """Rows of a Parquet file, read in record batches so memory stays bounded."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield InputError("reading Parquet needs pyarrow: pip install 'onrecord[export]'", input=str(path))
        return
    try:
        table = pq.ParquetFile(path)
        header = list(table.schema_arrow.names)
    except Exception as err:  # pyarrow raises ArrowInvalid and friends on a file that is not Parquet
        yield InputError(f"not a readable Parquet file ({type(err).__name__}: {err})", input=str(path))
        return
    wanted = [c for c in dict.fromkeys(astuple(columns)) if c in header]

    def rows() -> Iterator[Mapping[str, Any]]:
        for batch in table.iter_batches(batch_size=256, columns=wanted):
            yield from batch.to_pylist()
    yield from _rows(rows(), columns, str(path), settings, header)


def read_csv(path: Path, settings: Settings, columns: Columns) -> Iterator[Item]:
    """Rows of a CSV (or, for ``.tsv``, tab-separated) file with a header line."""
    csv.field_size_limit(max(settings.max_bytes, 131072))
    with path.open(newline="", encoding="utf-8", errors="strict") as handle:
        reader = csv.DictReader(handle, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
        try:
            header = list(reader.fieldnames or [])
        except (UnicodeDecodeError, csv.Error) as err:
            yield InputError(f"not a readable CSV file ({err})", input=str(path))
            return
        try:
            yield from _rows(iter(reader), columns, str(path), settings, header)
        except (UnicodeDecodeError, csv.Error) as err:
            yield InputError(f"stopped reading at line {reader.line_num} ({err})", input=str(path))
