"""Read news corpora into `Article` records: WARC archives and tables (Parquet, CSV).

Like `onrecord.reading`, every reader yields an `Article` or an `InputError` naming the
input (and the record within it), so one bad record never stops a crawl: a truncated
``.warc.gz`` yields what it held before the damage, then one error. A malformed record or
row (a bad Content-Length, a target that is not a web page's URL, an unclosed quotation
mark) is an error too, never a silent drop or a merge with the rows after it.

Only regular files are read (`open_regular`): a FIFO would block for ever and a device
never end. No read is unbounded: a record, a row or a line holds at most ``max_bytes``.
"""

from __future__ import annotations

import csv
import errno
import gzip
import io
import logging
import os
import re
import stat
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


def open_regular(path: Path, name: str) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file; `InputError` otherwise.

    The check is made on the opened file, so a link swapped in between cannot get past it,
    and the open does not block on a FIFO.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
    except FileNotFoundError:
        raise InputError("no such file", input=name) from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError("symbolic link loop", input=name) from None
        raise InputError(f"cannot read ({err.strerror or err})", input=name) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError("is a directory", input=name)
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a special file")
        raise InputError(f"not a regular file ({kind}); pipe it to '-' instead", input=name)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_corpus(path: Path, settings: Settings, columns: Columns | None = None) -> Iterator[Item]:
    """Articles of one corpus file, chosen by its suffix."""
    name = path.name.lower()
    try:
        raw = open_regular(path, str(path))
    except InputError as err:
        yield err
        return
    try:
        with raw:
            if name.endswith(WARC_SUFFIXES):
                # Python's gzip notices a truncated member, where warcio would stop quietly
                stream = _Watched(gzip.GzipFile(fileobj=raw) if name.endswith(".gz") else raw, settings.max_bytes)
                if not stream.peek(5).startswith(b"WARC/"):  # warcio reads any text as (ARC) records
                    why = f"damaged WARC ({stream.damage})" if stream.damage else "not a WARC file (no WARC/1.x header)"
                    yield InputError(why, input=str(path))
                    return
                reported = yield from read_warc(stream, str(path), settings)
                if stream.damage is not None and not reported:
                    yield InputError(f"damaged WARC ({stream.damage})", input=str(path))
            elif name.endswith(".parquet"):
                yield from read_parquet(path, settings, columns or Columns(), raw)
            else:
                yield from read_csv(path, settings, columns or Columns(), raw)
    except OSError as err:
        yield InputError(f"cannot read ({err.strerror or err})", input=str(path))


class _Watched(io.RawIOBase):
    """A stream that remembers a read error instead of letting a reader swallow it.

    Reads are small, so what a truncated gzip member held before the damage still comes out.
    A line (the bytes between two newlines) longer than ``max_line`` is damage too: the
    readers that parse lines (warcio's headers) would otherwise gather it all in memory.
    """

    def __init__(self, inner: BinaryIO | gzip.GzipFile, max_line: int) -> None:
        self.inner = inner
        self.damage: str | None = None
        self.head = b""
        self.max_line = max_line
        self.line = 0  # bytes read since the last newline
        self.total = 0  # bytes read in all

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
            data = self.inner.read1(size) if hasattr(self.inner, "read1") else self.inner.read(size)
        except (EOFError, OSError, zlib.error) as err:
            self.damage = f"{type(err).__name__}: {err}"
            return b""
        self.total += len(data)
        newline = data.rfind(b"\n")
        self.line = len(data) - newline - 1 if newline != -1 else self.line + len(data)
        if self.line > self.max_line:
            self.damage = f"a line longer than the {self.max_line / 1e6:g} MB limit"
            return b""
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def read_warc(stream: BinaryIO | io.RawIOBase, name: str, settings: Settings) -> Generator[Item, None, bool]:
    """HTML responses of a WARC file, gzipped or not, as articles; True where an error ended it.

    The record's URL becomes the article's ``id`` and ``url``; the crawl date is the
    fallback ``published`` when the page gives none. A record without a valid
    Content-Length, or cut short, ends the file with an error: the records after it
    cannot be found. A web page's record whose target is not an http(s) URL is an error
    for that record alone.
    """
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream)
    seen = False
    while True:
        try:
            record = next(records)
        except StopIteration:
            if records.offset < getattr(stream, "total", 0) and getattr(stream, "damage", None) is None:
                # warcio ends quietly where the file ends inside a record's headers
                yield InputError("damaged WARC (the archive ends inside a record's headers)",
                                 input=f"{name}@{records.offset}")
                return True
            if not seen:
                yield InputError("no WARC records (a WARC/1.x line and nothing after it)", input=name)
                return True
            return False
        except Exception as err:  # warcio, zlib and the HTTP parser each raise their own types on damage
            yield InputError(f"damaged WARC ({type(err).__name__}: {err})", input=name)
            return True
        if not record.rec_headers.headers and not seen:
            continue  # warcio's reading of a bare "WARC/1.0" line: no record; StopIteration says so
        seen = True
        url = record.rec_headers.get_header("WARC-Target-URI")
        where = f"{name}@{records.offset}"
        length = record.rec_headers.get_header("Content-Length")
        if length is None or not (length.isascii() and length.isdigit()):
            # warcio reads a bad length as 0 and the record's content as the next record's headers
            yield InputError("no Content-Length" if length is None else f"bad Content-Length {length!r}",
                             input=f"{where} {url or ''}".strip())
            return True
        try:
            item = _warc_item(record, url, where, settings)
            while record.raw_stream.read(65536):
                pass  # to the record's end: a record cut short is damage, whatever it holds
        except Exception as err:  # noqa: BLE001 - decoders of the payload raise their own types
            yield InputError(f"damaged WARC record ({type(err).__name__}: {err})", input=f"{where} {url or ''}".strip())
            return True
        if getattr(record.raw_stream, "limit", 0) > 0:
            yield InputError("damaged WARC record (EOFError: the archive ends inside this record)",
                             input=f"{where} {url or ''}".strip())
            return True
        if item is not None:
            yield item


_WEB_URL = re.compile(r"https?://", re.I)


def _warc_item(record: Any, url: str | None, where: str, settings: Settings) -> Item | None:
    """The article (or the error) of one WARC record; None for a record that holds no web page."""
    from .html import article_from_html

    if record.rec_type != "response":
        return None
    record_type = (record.rec_headers.get_header("Content-Type") or "").lower()
    if not _WEB_URL.match(url or "") and "application/http" in record_type:
        # an HTTP response must come from an http(s) URL (a crawl's dns: records are text/dns)
        return InputError(f"not an http(s) URL: {url or ''!r}", input=where)
    http = record.http_headers
    content_type = http.get_header("Content-Type") if http is not None else None
    if http is None or not content_type or "html" not in content_type.lower():
        return None  # images, scripts, robots.txt: a crawl holds many, none is an article
    payload = record.content_stream().read(settings.max_bytes + 1)
    if len(payload) > settings.max_bytes:
        return InputTooLarge(f"record {url} is over the {settings.max_bytes / 1e6:g} MB limit", input=where)
    crawled = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    try:
        article = article_from_html(decode_html(payload, content_type), id=url or where, name=url or where, url=url)
    except InputError as err:
        return InputError(str(err).split(": ", 1)[-1], input=f"{where} {url}" if url else where)
    if article.published is None and crawled:
        article = replace(article, published=crawled)
    return article


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


def read_parquet(path: Path, settings: Settings, columns: Columns, handle: BinaryIO | None = None) -> Iterator[Item]:
    """Rows of a Parquet file, read in record batches so memory stays bounded.

    ``handle``: the file, opened by `open_regular` (else it is opened here).
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield InputError("reading Parquet needs pyarrow: pip install 'onrecord[export]'", input=str(path))
        return
    try:
        handle = handle or open_regular(path, str(path))
    except InputError as err:
        yield err
        return
    try:
        table = pq.ParquetFile(handle)
        header = list(table.schema_arrow.names)
    except Exception as err:  # pyarrow raises ArrowInvalid and friends on a file that is not Parquet
        yield InputError(f"not a readable Parquet file ({type(err).__name__}: {err})", input=str(path))
        return
    wanted = [c for c in dict.fromkeys(astuple(columns)) if c in header]

    def rows() -> Iterator[Mapping[str, Any]]:
        for batch in table.iter_batches(batch_size=256, columns=wanted):
            yield from batch.to_pylist()
    yield from _rows(rows(), columns, str(path), settings, header)


def _lines(handle: BinaryIO, name: str, limit: int) -> Iterator[str]:
    """The lines of a table file, each read with a bound: a file without newlines is not read whole."""
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            raise InputTooLarge(f"a line is over the {limit / 1e6:g} MB limit (raise it with --max-bytes)",
                                input=name)
        yield line.decode("utf-8")


def read_csv(path: Path, settings: Settings, columns: Columns, handle: BinaryIO | None = None) -> Iterator[Item]:
    """Rows of a CSV (or, for ``.tsv``, tab-separated) file with a header line.

    A malformed row is an error naming its row number (as for bad values), and reading goes
    on at the next line: a quotation mark left open, which would otherwise swallow the rows
    after it into one, or more fields than the header has, which would be dropped.
    ``handle``: the file, opened by `open_regular` (else it is opened here).
    """
    name = str(path)
    csv.field_size_limit(max(settings.max_bytes, 131072))
    try:
        handle = handle or open_regular(path, name)
    except InputError as err:
        yield err
        return
    reader = csv.reader(_lines(handle, name, settings.max_bytes), strict=True,
                        delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    try:
        header = next(reader, [])
    except (UnicodeDecodeError, csv.Error) as err:
        yield InputError(f"not a readable CSV file ({err})", input=name)
        return
    except InputTooLarge as err:
        yield err
        return
    if columns.text not in header and columns.html not in header:
        yield InputError(f"no '{columns.text}' or '{columns.html}' column (columns: {', '.join(header[:20])})",
                         input=name)
        return
    number = 0
    while True:
        first_line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            number += 1
            why = ("unclosed quote: the file ends inside a quoted field" if "unexpected end of data" in str(err)
                   else f"malformed row ({err})")
            yield InputError(f"{why} (from line {first_line})", input=name, line=number)
            continue  # the reader starts afresh at the next line
        except UnicodeDecodeError as err:
            yield InputError(f"stopped reading at line {reader.line_num + 1} ({err})", input=name)
            return
        except InputTooLarge as err:
            yield InputTooLarge(f"{err.message} (from line {first_line})", input=name, line=number + 1)
            return
        if not fields:
            continue  # a blank line
        number += 1
        if len(fields) > len(header):
            yield InputError(f"the row has {len(fields)} fields, the header {len(header)} (from line {first_line})",
                             input=name, line=number)
            continue
        try:
            yield article_from_row(dict(zip(header, fields)), columns, name=name, number=number, settings=settings)
        except InputError as err:
            yield err
