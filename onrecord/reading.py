"""Read inputs into `Article` records: plain text, HTML, JSON Lines, directories, stdin.

Each input yields either an `Article` (text and metadata, no attributions yet) or an
`InputError` naming the input, so that one bad file never stops a batch.

Every string that reaches an `Article` goes through `clean_str`: a lone surrogate (JSON
allows ``"\\ud800"``) is replaced by U+FFFD, one character for one, so offsets hold and
neither spaCy nor the UTF-8 output chokes on it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import InputError, InputTooLarge
from .models import Article

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


def _check_size(size: int, name: str, settings: Settings) -> None:
    if size > settings.max_bytes:
        raise InputTooLarge(f"{size / 1e6:.1f} MB is over the {settings.max_bytes / 1e6:g} MB limit "
                            "(raise it with --max-bytes)", input=name)


def article_from_html(html: str, *, id: str, name: str, url: str | None = None,
                      published: str | None = None, outlet: str | None = None) -> Article:
    """Main text and metadata of an HTML page, by trafilatura; offsets refer to that text."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          favor_recall=True)
    except Exception as err:  # trafilatura/lxml raise many types on broken markup
        raise InputError(f"cannot parse HTML ({type(err).__name__}: {err})", input=name) from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not re.search(r"\w{2}", text):
        raise InputError("no article text found in the HTML", input=name)
    return Article(
        id=id, text=text,
        title=getattr(doc, "title", None),
        published=published or getattr(doc, "date", None),
        outlet=outlet or getattr(doc, "sitename", None),
        url=url or getattr(doc, "url", None),
        text_is_input=False,
    )


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head


def article_from_record(record: Any, *, name: str, line: int, default_id: str) -> Article:
    """An article from one JSON Lines record ``{id, text|html, published, url, outlet}``."""
    if not isinstance(record, dict):
        raise InputError("a JSON Lines record must be an object", input=name, line=line)
    rid = str(record.get("id") or default_id)
    published, url, outlet = (str(record[k]) if record.get(k) is not None else None
                              for k in ("published", "url", "outlet"))
    if isinstance(record.get("text"), str):
        title = record.get("title")
        return Article(id=rid, text=record["text"], title=str(title) if title is not None else None,
                       published=published, url=url, outlet=outlet)
    if isinstance(record.get("html"), str):
        try:
            return article_from_html(record["html"], id=rid, name=f"{name}:{line}", url=url, published=published,
                                     outlet=outlet)
        except InputError as err:
            raise InputError(str(err).split(": ", 1)[1], input=name, line=line) from None
    raise InputError("record has neither a 'text' nor an 'html' string", input=name, line=line)


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
        try:  # a .json file holding one document (an object or a list of records) gets one verdict
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, (dict, list)):
            records = whole if isinstance(whole, list) else [whole]
            for number, record in enumerate(records, 1):
                try:
                    yield article_from_record(record, name=name, line=number, default_id=f"{stem}-{number}")
                except InputError as err:
                    yield err
            return
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield InputError(f"bad JSON ({err.msg} at column {err.colno})", input=name, line=number)
                continue
            try:
                yield article_from_record(record, name=name, line=number, default_id=f"{stem}-{number}")
            except InputError as err:
                yield err
    elif kind == "html":
        try:
            yield article_from_html(text, id=stem, name=name)
        except InputError as err:
            yield err
    else:
        yield Article(id=stem, text=text)


def _kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return "html" if suffix in HTML_SUFFIXES else "jsonl" if suffix in JSONL_SUFFIXES else "text"


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | str]:
    """Files named or found (recursively, sorted) under directories; ``-`` is stdin."""
    for path in paths:
        if str(path) == "-":
            yield "-"
            continue
        path = Path(path)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path


def read_paths(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Item]:
    """Articles (or errors) from files, directories and ``-`` (stdin), in order."""
    settings = settings or Settings()
    for path in expand_paths(paths):
        if path == "-":
            data = sys.stdin.buffer.read(settings.max_bytes + 1)
            yield from read_bytes(data, "<stdin>", settings, id="stdin")
            continue
        assert isinstance(path, Path)
        name = str(path)
        try:
            size = path.stat().st_size
            _check_size(size, name, settings)
            data = path.read_bytes()
        except InputError as err:
            yield err
            continue
        except FileNotFoundError:
            yield InputError("no such file", input=name)
            continue
        except OSError as err:
            yield InputError(f"cannot read ({err.strerror or err})", input=name)
            continue
        logger.debug("read %s (%d bytes)", name, len(data))
        yield from read_bytes(data, name, settings, kind=_kind_of(path))
