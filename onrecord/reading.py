"""Read inputs into `Article` records: plain text, HTML, JSON Lines, directories, stdin,
the corpus formats of `onrecord.corpora` (WARC, Parquet, CSV) and URLs (`onrecord.fetching`).

Each input yields either an `Article` (text and metadata, no attributions yet) or an
`InputError` naming the input, so that one bad file never stops a batch.

Every string that reaches an `Article` goes through `clean_str`: a lone surrogate (JSON
allows ``"\\ud800"``) is replaced by U+FFFD, one character for one, so offsets hold and
neither spaCy nor the UTF-8 output chokes on it.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import Settings
from .corpora import is_corpus, open_regular, read_corpus
from .fetching import Fetcher, is_url, read_url
from .errors import InputError, InputTooLarge
from .html import article_from_html, looks_like_html
from .models import Article
from .outlets import derive_outlet

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

Item = Article | InputError

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_str(value: str) -> str:
    """``value`` with every lone surrogate replaced by U+FFFD (same length: offsets hold)."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def clean_article(article: Article) -> Article:
    """The article with `clean_str` applied to its text and metadata.

    When the text changes it is no longer the input's own, so the output carries it.
    """
    values = (article.id, article.text, article.title, article.published, article.outlet, article.url)
    if not any(v is not None and _SURROGATE.search(v) for v in values):
        return article
    text = clean_str(article.text)
    return replace(article, id=clean_str(article.id), text=text, title=_clean_opt(article.title),
                   published=_clean_opt(article.published), outlet=_clean_opt(article.outlet),
                   url=_clean_opt(article.url), text_is_input=article.text_is_input and text == article.text)


def _clean_opt(value: str | None) -> str | None:
    return None if value is None else clean_str(value)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of an input, or an `InputError` saying why it is not text."""
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file (NUL bytes), not text", input=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})",
                         input=name) from None


def _check_size(size: int, name: str, settings: Settings, *, at_least: bool = False) -> None:
    if size > settings.max_bytes:
        amount = f"more than {settings.max_bytes / 1e6:g} MB" if at_least else f"{size / 1e6:.1f} MB"
        raise InputTooLarge(f"{amount} is over the {settings.max_bytes / 1e6:g} MB limit "
                            "(raise it with --max-bytes)", input=name)


MAX_ID_CHARS = 1_000
_STRING_FIELDS = ("title", "published", "url", "outlet")


def _record_id(record: dict[str, Any], default_id: str, name: str, line: int) -> str:
    value = record.get("id")
    if value is None or value == "":
        return default_id
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(f"'id' must be a string or an integer, not {_json_type(value)}", input=name, line=line)
    rid = clean_str(str(value))
    if len(rid) > MAX_ID_CHARS:
        raise InputError(f"'id' is {len(rid):,} characters long (at most {MAX_ID_CHARS:,})", input=name, line=line)
    return rid


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def article_from_record(record: Any, *, name: str, line: int, default_id: str) -> Article:
    """An article from one JSON Lines record ``{id, text|html, title, published, url, outlet}``.

    Fields must be strings (or null); ``id`` may also be an integer. Anything else is an
    `InputError` naming the line, never a string made of a dict.
    """
    if not isinstance(record, dict):
        raise InputError("a JSON Lines record must be an object", input=name, line=line)
    rid = _record_id(record, default_id, name, line)
    for key in ("text", "html", *_STRING_FIELDS):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InputError(f"'{key}' must be a string, not {_json_type(record[key])}", input=name, line=line)
    title, published, url, outlet = (clean_str(record[k]) if record.get(k) is not None else None
                                     for k in _STRING_FIELDS)
    if isinstance(record.get("text"), str):
        # "nyt", "NYT" and nytimes.com are one outlet (`onrecord.outlets`); a page's is found from its HTML
        return clean_article(Article(id=rid, text=record["text"], title=title, published=published, url=url,
                                     outlet=derive_outlet(outlet, url=url)))
    if isinstance(record.get("html"), str):
        try:
            article = article_from_html(clean_str(record["html"]), id=rid, name=f"{name}:{line}", url=url,
                                        published=published, outlet=outlet)
        except InputError as err:
            raise InputError(str(err).split(": ", 1)[1], input=name, line=line) from None
        return clean_article(article)
    raise InputError("record has neither a 'text' nor an 'html' string", input=name, line=line)


def _loads(text: str) -> Any:
    """``json.loads``, with every way it fails as `ValueError` (deep nesting, huge integers)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{err.msg} at column {err.colno}") from None
    except ValueError as err:  # "Exceeds the limit (4300 digits) for integer string conversion: ..."
        raise ValueError(str(err).split(":")[0]) from None


def _jsonl_items(text: str, name: str, stem: str) -> Iterator[Item]:
    try:  # a .json file holding one document (an object or a list of records) gets one verdict
        whole = _loads(text)
    except ValueError:
        whole = None
    if isinstance(whole, (dict, list)):
        records = whole if isinstance(whole, list) else [whole]
        for number, record in enumerate(records, 1):
            try:
                yield article_from_record(record, name=name, line=number, default_id=f"{stem}-{number}")
            except InputError as err:
                yield err
        return
    # lines end at "\n" only: str.splitlines would also cut at U+2028 and others, legal inside JSON strings
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield article_from_line(line, name=name, number=number, stem=stem)


def article_from_line(line: str, *, name: str, number: int, stem: str) -> Item:
    """The article of one JSON Lines line, or the `InputError` naming that line."""
    try:
        record = _loads(line)
    except ValueError as err:
        return InputError(f"bad JSON ({err})", input=name, line=number)
    try:
        return article_from_record(record, name=name, line=number, default_id=f"{stem}-{number}")
    except InputError as err:
        return err


def read_bytes(data: bytes, name: str, settings: Settings, *, kind: str | None = None,
               id: str | None = None) -> Iterator[Item]:
    """Articles in one input's bytes; ``kind`` is text, html or jsonl (guessed when None)."""
    try:
        _check_size(len(data), name, settings)
        text = decode(data, name)
    except InputError as err:
        yield err
        return
    stem = id or Path(name).stem or "stdin"
    if kind is None:
        first = text.lstrip()[:1]
        kind = "jsonl" if first == "{" else "html" if looks_like_html(text) else "text"
    if kind == "jsonl":
        yield from _jsonl_items(text, name, stem)
    elif kind == "html":
        try:
            yield article_from_html(text, id=stem, name=name)
        except InputError as err:
            yield err
    else:
        yield Article(id=clean_str(stem), text=text)


def _kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return "html" if suffix in HTML_SUFFIXES else "jsonl" if suffix in JSONL_SUFFIXES else "text"


def display_name(path: str | Path) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 shown as ``\\xe9``."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _walk(directory: Path, ancestors: frozenset[tuple[int, int]]) -> Iterator[Path | InputError]:
    """Input files under ``directory``, sorted, depth first; each problem is an `InputError`.

    Symbolic links to directories are followed unless they lead back to a directory
    being walked (a loop). Unreadable directories, loops, broken links and special files
    (FIFOs, devices, sockets) with an input suffix are reported, never skipped silently.
    """
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as err:
        yield InputError(f"cannot read directory ({err.strerror or err})", input=display_name(directory))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            info = path.stat()  # follows links
        except OSError as err:
            if err.errno == errno.ELOOP:
                yield InputError("symbolic link loop", input=display_name(path))
            elif path.suffix.lower() in SUFFIXES or entry.is_symlink() or _is_dir_entry(entry):
                reason = "broken symbolic link" if entry.is_symlink() else (err.strerror or str(err))
                yield InputError(f"cannot read ({reason})", input=display_name(path))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                yield InputError("symbolic link loop (leads back to a directory being walked)",
                                 input=display_name(path))
            else:
                yield from _walk(path, ancestors | {key})
        elif path.suffix.lower() in SUFFIXES or is_corpus(path):
            yield path  # not a regular file (a FIFO, a device): read_paths says so


def _is_dir_entry(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def expand_paths(paths: Iterable[str | Path | InputError]) -> Iterator[Path | str | InputError]:
    """Files named or found (recursively, sorted) under directories; ``-`` is stdin.

    A directory that cannot be walked, or a loop of symbolic links in it, is an
    `InputError` in the stream (already expanded items pass through unchanged).
    """
    for path in paths:
        if isinstance(path, InputError) or str(path) == "-" or is_url(str(path)):
            yield path if isinstance(path, InputError) else str(path)
            continue
        path = Path(path)
        try:
            info = path.stat()
        except OSError:
            yield path  # read_paths reports why it cannot be read
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, frozenset({(info.st_dev, info.st_ino)}))
        else:
            yield path


def read_file(path: Path, settings: Settings) -> bytes:
    """The bytes of a regular file, at most ``settings.max_bytes``; `InputError` otherwise.

    The limit is checked on the bytes read, not on the size the file system reports
    (``/dev/zero`` and ``/proc`` files report 0). Only regular files are read: a FIFO or
    a device could block for ever or never end.
    """
    name = display_name(path)
    with open_regular(path, name) as file:
        _check_size(os.fstat(file.fileno()).st_size, name, settings)  # names the size when the file system knows it
        try:
            data = file.read(settings.max_bytes + 1)
        except OSError as err:
            raise InputError(f"cannot read ({err.strerror or err})", input=name) from None
    _check_size(len(data), name, settings, at_least=True)
    return data


def read_paths(paths: Iterable[str | Path | InputError], settings: Settings | None = None, *,
               known: Callable[[str], bool] | None = None, fetcher: Fetcher | None = None) -> Iterator[Item]:
    """Articles (or errors) from files, directories, URLs and ``-`` (stdin), in order.

    ``known(url)`` tells which pages listed by a feed or sitemap need not be fetched
    (already stored); ``fetcher`` sets timeouts, retries and the per-host delay.
    """
    settings = settings or Settings()
    for path in expand_paths(paths):
        if isinstance(path, InputError):
            yield path
            continue
        if isinstance(path, str) and is_url(path):
            fetcher = fetcher or Fetcher(max_bytes=settings.max_bytes)
            yield from read_url(path, settings, fetcher, known=known)
            continue
        if path == "-":
            data = sys.stdin.buffer.read(settings.max_bytes + 1)
            yield from read_bytes(data, "<stdin>", settings, id="stdin")
            continue
        assert isinstance(path, Path)
        name = display_name(path)
        if is_corpus(path):  # WARC, Parquet, CSV: many articles, read record by record
            yield from read_corpus(path, settings)
            continue
        try:
            data = read_file(path, settings)
        except InputError as err:
            yield err
            continue
        logger.debug("read %s (%d bytes)", name, len(data))
        yield from read_bytes(data, name, settings, kind=_kind_of(path))
