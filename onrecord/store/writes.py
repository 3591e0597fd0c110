"""The store's writes: articles and their attributions in, with the summaries kept beside them.

Every write goes through `Writes.write_articles` (one transaction per batch) or the link
bookkeeping (`pending_links`, `clear_pending`, `rebuild_sourcing`); the reads are in
`reads`. The raw speaker key is computed here, as an attribution is written, from
`onrecord.names`: the store needs nothing from the link stage above it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from ..models import Article, content_hash
from ..names import article_people, speaker_key
from ..outlets import canonical_outlet
from . import schema as s
from .checks import check_article, check_attributions
from .errors import guarded_methods

logger = logging.getLogger(__name__)

Progress = Callable[[Article, str], None]
_OUTLET_IN_ID = re.compile(r"^([a-z][a-z0-9-]*)_\d{4}-\d{2}-\d{2}(_|$)")
NAMED = ("person", "organization", "group")
UNKNOWN_OUTLET = "(unknown)"


def source_counts(types: Iterable[str]) -> list[int]:
    """[total, named, anonymous, media] for these speaker types."""
    counts = [0, 0, 0, 0]
    for type_ in types:
        counts[0] += 1
        if type_ in NAMED:
            counts[1] += 1
        elif type_ == "anonymous":
            counts[2] += 1
        elif type_ == "media":
            counts[3] += 1
    return counts


def _add_delta(deltas: dict[tuple[str, str | None], list[int]], outlet: str | None, counts: Sequence[int]) -> None:
    current = deltas.setdefault((outlet if outlet is not None else UNKNOWN_OUTLET, outlet), [0, 0, 0, 0])
    for n, value in enumerate(counts):
        current[n] += value


@dataclass
class _Prepared:
    """An article as the store writes it: its row, its attributions' rows, its source counts."""

    row: dict[str, Any]
    attributions: list[dict[str, Any]]
    counts: list[int]


# columns of the attributions table filled as in the one row of an attribution (`ROW_COLUMNS`);
# the others (the raw speaker name and key, the day to filter on, the links) are the store's own
_SHARED_COLUMNS = ("speaker_gender", "role", "description", "stance", "kind", "cue", "cue_start", "cue_end", "source",
                   "content", "content_spans", "statement_date", "published", "outlet", "nested_in")


def outlet_of(article: Article) -> str | None:
    """The outlet's one name (`canonical_outlet`: "nyt" and "The New York Times" are one row
    however the article came in, a file, JSON Lines, `add_articles` or the API), or the file-name
    prefix of "outlet_2016-09-12_title" ids (PolNeAR's naming)."""
    if article.outlet:
        return canonical_outlet(article.outlet) or article.outlet
    m = _OUTLET_IN_ID.match(article.id)
    return canonical_outlet(m[1]) if m else None  # "nyt_2016-…" is The New York Times, as its pages are


def _db_error(err: DBAPIError) -> str:
    """The driver's message, first line only (no SQL, no parameters)."""
    text_ = str(err.orig).strip() if err.orig is not None else type(err).__name__
    return f"{type(err.orig).__name__ if err.orig is not None else 'DatabaseError'}: {text_.splitlines()[0] if text_ else ''}"


def _refused(err: DBAPIError) -> bool:
    """Whether the database refused what one transaction wrote (a constraint, a value it cannot
    hold, a conflict with a concurrent writer) rather than failed itself (unreachable, locked,
    read-only, corrupt): only then is each article worth a try of its own."""
    if isinstance(err, (IntegrityError, DataError)):
        return True
    # PostgreSQL's classes: 22 data exception, 23 integrity, 40 transaction rollback, 54 program limit
    return str(getattr(err.orig, "sqlstate", "") or "")[:2] in {"22", "23", "40", "54"}

def _day(value: str | None) -> str | None:
    return value[:10] if value else None


@guarded_methods
class Writes:
    """The write half of `Store` (a mixin: `base.Store` holds the engines)."""

    engine: Engine
    writer: Engine
    dialect: str

    def add_articles(self, articles: Iterable[Article], *, progress: Progress | None = None,
                     batch_size: int = 50) -> dict[str, int]:
        """Store extracted articles with their attributions; idempotent by content hash.

        The persistence step of `onrecord.store.ingest.ingest` (which also validates,
        extracts, reports each input and links): use that unless the articles are
        extracted and checked already. A text already stored is skipped when nothing
        changed and updated in place (same id) when its extraction differs; an id stored
        with another text is refused. Each batch of ``batch_size`` articles is one
        transaction, so an interrupted run loses at most the batch in flight.

        Args:
            articles: extracted articles (`onrecord.extract_many`).
            progress: called with each article and "added", "updated", "skipped" or "failed".
            batch_size: articles per transaction.

        Returns:
            Counts ``{"added": n, "updated": n, "skipped": n}``, plus ``"failed"`` when
            articles could not be stored.
        """
        counts = {"added": 0, "updated": 0, "skipped": 0}
        batch: list[Article] = []

        def flush() -> None:
            for article, status, _error in self.write_articles(batch):
                counts[status] = counts.get(status, 0) + 1
                if progress:
                    progress(article, status)
            batch.clear()

        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        return counts

    def write_articles(self, batch: Sequence[Article]) -> list[tuple[Article, str, str | None]]:
        """Write one batch in one transaction: ``(article, status, error)`` for each, once committed.

        Articles whose text and id are new to the store and to the batch are inserted
        together (one multi-row insert of the articles, one of their attributions); the
        others (stored text, stored id, repeated in the batch) are decided one by one, in
        order, after them, which is what writing them one by one would do.
        When the database refuses the batch (a constraint a concurrent writer hit first, a value
        it cannot hold), each article is written again in a transaction of its own, so one bad
        article costs only itself; its error is reported, never raised. When the database
        itself fails (unreachable, locked, read-only, corrupt), that is a `StoreError`.
        """
        if not batch:
            return []
        try:
            with self._transaction() as conn:
                deltas: dict[tuple[str, str | None], list[int]] = {}
                done = self._write_batch(conn, batch, deltas)
                self._apply_sourcing(conn, deltas)
        except DBAPIError as err:
            if not _refused(err):
                raise
            if len(batch) == 1:
                logger.warning("not stored %s: %s", batch[0].id, _db_error(err))
                return [(batch[0], "failed", _db_error(err))]
            return [row for article in batch for row in self.write_articles([article])]
        for article, status, error in done:
            logger.info("stored %s: %s", article.id, status if error is None else f"{status} ({error})")
        return done

    def _write_batch(self, conn: Connection, batch: Sequence[Article],
                     deltas: dict[tuple[str, str | None], list[int]]) -> list[tuple[Article, str, str | None]]:
        done: list[tuple[Article, str, str | None] | None] = [None] * len(batch)
        prepared: dict[int, _Prepared] = {}
        for n, article in enumerate(batch):
            problem = check_article(article) or check_attributions(article)  # before the database sees it
            if problem:
                done[n] = (article, "failed", problem)
            else:
                prepared[n] = self._prepare(article)
        ar = s.articles.c
        hashes = {p.row["content_hash"] for p in prepared.values()}
        ids = {p.row["id"] for p in prepared.values()}
        taken: set[str] = set()
        for column, values in ((ar.content_hash, hashes), (ar.id, ids)):
            wanted = list(values)
            for start in range(0, len(wanted), 500):
                taken |= set(conn.execute(select(column).where(column.in_(wanted[start:start + 500]))).scalars())
        fresh: list[int] = []
        one_by_one: list[int] = []
        for n, p in prepared.items():  # in batch order: whatever shares a text or id with another waits
            chash, id_ = p.row["content_hash"], p.row["id"]
            (one_by_one if chash in taken or id_ in taken else fresh).append(n)
            taken |= {chash, id_}
        if fresh:
            rows = [prepared[n].row for n in fresh]
            pks = conn.execute(insert(s.articles).returning(s.articles.c.pk, sort_by_parameter_order=True),
                               rows).scalars().all()
            attribution_rows = []
            for n, pk in zip(fresh, pks):
                for r in prepared[n].attributions:
                    r["article_pk"] = pk
                attribution_rows += prepared[n].attributions
                _add_delta(deltas, prepared[n].row["outlet"], prepared[n].counts)
                done[n] = (batch[n], "added", None)
            if attribution_rows:
                conn.execute(insert(s.attributions), attribution_rows)
            conn.execute(insert(s.link_pending), [{"article_pk": pk} for pk in pks])  # linked later: `catch_up`
        for n in one_by_one:
            status = self._write_article(conn, prepared[n], deltas)
            done[n] = (batch[n], "failed", f"id {batch[n].id!r} is stored with another text (not overwritten)") \
                if status == "conflict" else (batch[n], status, None)
        return [d for d in done if d is not None]

    def _transaction(self) -> Any:
        """A write transaction: on SQLite it takes the write lock first (``BEGIN IMMEDIATE``),
        so concurrent writers queue on the busy timeout instead of failing."""
        return self.writer.begin()

    def _prepare(self, article: Article) -> _Prepared:
        """The article's row and its attributions' rows, as stored."""
        chash = content_hash(article.text)
        data = article.to_dict(with_text=False)
        data["text_is_input"] = article.text_is_input
        outlet = outlet_of(article)
        dhash = hashlib.sha256(json.dumps({**data, "id": None, "outlet": outlet}, sort_keys=True,
                                          ensure_ascii=False).encode()).hexdigest()
        row = {"id": article.id, "content_hash": chash, "data_hash": dhash, "title": article.title,
               "published": article.published, "outlet": outlet, "url": article.url, "text": article.text,
               "data": json.dumps(data, ensure_ascii=False), "n_attributions": len(article.attributions),
               "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        rows = self._attribution_rows(article, 0, outlet, data["attributions"])
        counts = source_counts(r["speaker_type"] for r in rows)
        row.update(n_named=counts[1], n_anonymous=counts[2], n_media=counts[3])
        return _Prepared(row, rows, counts)

    def _write_article(self, conn: Connection, prepared: _Prepared,
                       deltas: dict[tuple[str, str | None], list[int]]) -> str:
        row, rows, counts = prepared.row, prepared.attributions, prepared.counts
        chash, dhash, outlet = row["content_hash"], row["data_hash"], row["outlet"]
        ar = s.articles.c
        stored = (ar.pk, ar.id, ar.data_hash, ar.outlet, ar.n_attributions, ar.n_named, ar.n_anonymous, ar.n_media)
        same = conn.execute(select(*stored).where(ar.content_hash == chash).order_by(ar.pk).limit(1)).first()
        if same is None and conn.execute(select(ar.pk).where(ar.id == row["id"])).first() is not None:
            return "conflict"  # the id names another text: an error, never an overwrite
        if same is not None and same.data_hash == dhash:
            return "skipped"
        _add_delta(deltas, outlet, counts)
        if same is not None:
            _add_delta(deltas, same.outlet, [-same.n_attributions, -same.n_named, -same.n_anonymous, -same.n_media])
            row = {**row, "id": same.id}  # the stored id is kept
            conn.execute(delete(s.attributions).where(s.attributions.c.article_pk == same.pk))
            conn.execute(update(s.articles).where(s.articles.c.pk == same.pk).values(**row))
            pk, status = same.pk, "updated"
        else:
            pk = conn.execute(insert(s.articles).values(**row).returning(s.articles.c.pk)).scalar_one()
            status = "added"
        for r in rows:
            r["article_pk"] = pk
        if rows:
            conn.execute(insert(s.attributions), rows)
        from sqlalchemy.dialects import postgresql, sqlite

        upsert: Any = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        conn.execute(upsert(s.link_pending).values(article_pk=pk).on_conflict_do_nothing())
        return status

    @staticmethod
    def _attribution_rows(article: Article, pk: int, outlet: str | None,
                          records: Sequence[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """One row per attribution; ``records``: their `Attribution.to_dict`, when computed already."""
        people = article_people(a.speaker for a in article.attributions)
        rows = []
        for index, a in enumerate(article.attributions):
            sp = a.speaker
            # the columns the table shares with every other row of an attribution (`Attribution.to_row`)
            row = a.to_row(article_id=article.id, index=index, outlet=outlet, published=article.published)
            rows.append({
                **{column: row[column] for column in _SHARED_COLUMNS},
                "article_pk": pk, "idx": index,
                "speaker_key": speaker_key(sp, source=a.source.text if a.source else None, outlet=outlet,
                                           people=people),
                "speaker_id": None, "speaker_name": sp.name, "speaker_type": sp.type or "unknown",
                "date": _day(a.statement_date) or _day(article.published), "claim_id": None,
                "data": json.dumps(records[index] if records is not None else a.to_dict(), ensure_ascii=False),
            })
        return rows

    def _apply_sourcing(self, conn: Connection, deltas: dict[tuple[str, str | None], list[int]]) -> None:
        """Add the batch's source counts to ``sourcing_outlets`` (in the batch's transaction).

        Upserts in key order, so concurrent writers on PostgreSQL lock rows in one order.
        """
        so = s.sourcing_outlets
        from sqlalchemy.dialects import postgresql, sqlite

        upsert: Any = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        for (key, outlet), (total, named, anonymous, media) in sorted(deltas.items(), key=lambda d: d[0][0]):
            if not (total or named or anonymous or media):
                continue
            statement = upsert(so).values(key=key, outlet=outlet, total=total, named=named, anonymous=anonymous,
                                          media=media)
            conn.execute(statement.on_conflict_do_update(index_elements=[so.c.key], set_={
                "total": so.c.total + statement.excluded.total, "named": so.c.named + statement.excluded.named,
                "anonymous": so.c.anonymous + statement.excluded.anonymous,
                "media": so.c.media + statement.excluded.media}))

    def rebuild_sourcing(self) -> None:
        """Recompute ``sourcing_outlets`` from the articles' counts (after deleting articles by hand).

        ``link()`` calls it. On PostgreSQL the table is locked against concurrent ingests for
        the rebuild; their batches add their counts once it is done.
        """
        ar, so = s.articles.c, s.sourcing_outlets
        key = func.coalesce(ar.outlet, UNKNOWN_OUTLET)
        with self._transaction() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("LOCK TABLE sourcing_outlets IN EXCLUSIVE MODE"))
            conn.execute(delete(so))  # first: on SQLite the write lock is taken before the articles are read
            conn.execute(insert(so).from_select(
                ["key", "outlet", "total", "named", "anonymous", "media"],
                select(key, func.max(ar.outlet), func.sum(ar.n_attributions), func.sum(ar.n_named),
                       func.sum(ar.n_anonymous), func.sum(ar.n_media))
                .group_by(key).having(func.sum(ar.n_attributions) > 0)))

    def pending_links(self) -> list[int]:
        """The articles (their primary keys) stored and not linked yet, oldest first."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(s.link_pending.c.article_pk).order_by(s.link_pending.c.article_pk))
                        .scalars())

    def clear_pending(self, pks: Sequence[int]) -> None:
        """Mark these articles linked (`onrecord.link.stored.link_store` calls it once it is done)."""
        with self._transaction() as conn:
            for start in range(0, len(pks), 500):
                conn.execute(delete(s.link_pending).where(s.link_pending.c.article_pk.in_(pks[start:start + 500])))
