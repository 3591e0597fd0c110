"""One ingest path for the CLI (``onrecord ingest``) and the API (``POST /api/articles``).

`ingest` takes read articles (or the errors reading produced, as values), and for each
input decides once: refused with a reason (`check_article`: every string field checked
before the database sees it), skipped (its text is stored), or extracted and stored. The
callers only format the `IngestReport`: one line per failed input and exit code 3, or an
HTTP status per item. Linking is the next stage: what ingest stores waits in
``link_pending`` until the caller runs `onrecord.link.stored.catch_up` (the CLI at once, the
server in the background).

Ids are unique by design: an id that comes back in the same run with another text, or
that is stored with another text, is an error for that input, never an overwrite. A text
that comes back in the same run under another id is skipped (stored once, first id kept).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import InputError, OnRecordError
from ..models import Article, content_hash
from .checks import check_article
from .records import IngestItem, IngestReport

if TYPE_CHECKING:
    from .base import Store

logger = logging.getLogger(__name__)

def ingest(store: Store, inputs: Iterable[Article | OnRecordError], *, settings: Settings | None = None,
           extracted: bool = False, reextract: bool = False, batch_size: int = 50,
           progress: Callable[[IngestItem], None] | None = None) -> IngestReport:
    """Check, extract and store articles; every input ends as one item of the report.

    Args:
        store: an open store.
        inputs: articles as read (`onrecord.reading.read_paths`), or extracted ones with
            ``extracted``; errors among them (an unreadable file) are reported as failed.
        settings: extraction settings.
        extracted: the articles carry their attributions already (nothing is extracted).
        reextract: extract texts already stored again (and update them when it differs).
        batch_size: articles per transaction.
        progress: called with each item as it is decided.
    """
    settings = settings or Settings()
    items: list[IngestItem] = []
    seen: dict[str, str] = {}  # id -> content hash, in this run
    copies: dict[str, str] = {}  # content hash -> the first id it came with, in this run

    def report(item: IngestItem) -> None:
        items.append(item)
        if item.error:
            logger.warning("not stored: %s", item.error)
        if progress:
            progress(item)

    def failed(error: OnRecordError) -> None:
        report(IngestItem(id=getattr(error, "input", None) if isinstance(error, InputError) else None,
                          status="failed", error=str(error)))

    def admitted() -> Iterator[Article]:
        for entry in inputs:
            if isinstance(entry, OnRecordError):
                failed(entry)
                continue
            problem = check_article(entry)
            article_id = entry.id if isinstance(entry.id, str) else None
            if problem:
                report(IngestItem(id=article_id, status="failed", error=f"{_shown(article_id)}: {problem}"))
                continue
            chash = content_hash(entry.text)
            if entry.id in seen:
                if seen[entry.id] == chash:
                    report(IngestItem(id=entry.id, status="skipped"))
                else:
                    report(IngestItem(id=entry.id, status="failed", error=f"{_shown(entry.id)}: the id repeats "
                                      "with another text (ids must be unique: not overwritten)"))
                continue
            if copies.setdefault(chash, entry.id) != entry.id:
                # the text of another input of this run under another id (a corpus that repeats an
                # article): skipped, as it is on every later run, not an update of the first one
                report(IngestItem(id=entry.id, status="skipped"))
                continue
            seen[entry.id] = chash
            if not extracted and not reextract and store.stored_hashes([chash]):
                report(IngestItem(id=entry.id, status="skipped"))
                continue
            yield entry

    stream: Iterable[Article] = admitted()
    if not extracted:
        from ..parallel import extract_parallel

        stream = extract_parallel(stream, settings, workers=settings.workers, on_error=failed)
    batch: list[Article] = []

    def flush() -> None:
        for article, status, error in store.write_articles(batch):
            report(IngestItem(id=article.id, status=status,
                              error=f"{_shown(article.id)}: {error}" if error else None))
        batch.clear()

    for article in stream:
        batch.append(article)
        if len(batch) >= batch_size:
            flush()
    flush()
    return IngestReport(items=tuple(items))


def _shown(article_id: str | None) -> str:
    """An id as it can be printed: at most 80 characters, escapes for what is not printable."""
    if article_id is None:
        return "<no id>"
    shown = article_id[:80].encode("utf-8", "backslashreplace").decode("utf-8")
    return ascii(shown)[1:-1] if not shown.isprintable() else shown + ("…" if len(article_id) > 80 else "")


def read_inputs(root: str, path: Path | str | InputError, settings: Settings, *,
                known: Callable[[str], bool] | None = None) -> Iterator[Article | OnRecordError]:
    """The articles (or errors) of one input; under a directory, ids are relative paths.

    ``report.txt`` found as ``a/report.txt`` under the directory given is ``a/report``
    (its file name alone would be ``report`` for ``b/report.txt`` too); the default ids of
    JSON Lines records follow (``a/feed-3``). Ids written in the records are kept.
    ``known(url)`` skips the pages of a feed or sitemap that are already stored.
    """
    from ..reading import read_paths

    relative: str | None = None
    if isinstance(path, Path) and str(path) != root:
        try:
            relative = path.relative_to(root).with_suffix("").as_posix()
        except ValueError:
            relative = None
    for item in read_paths([path], settings, known=known):
        if isinstance(item, Article) and relative and isinstance(path, Path) and relative != path.stem:
            stem = path.stem
            if item.id == stem:
                item = replace(item, id=relative)
            elif item.id.startswith(f"{stem}-") and item.id[len(stem) + 1:].isdigit():
                item = replace(item, id=relative + item.id[len(stem):])
        yield item
