"""The store: articles and attributions in SQLite or PostgreSQL, with the same behaviour on both.

All SQL goes through SQLAlchemy Core with bound parameters; the few dialect-specific
parts (full-text search) are in `_fts_condition`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from ..models import Article, Attribution, content_hash
from ..outlets import canonical_outlet
from . import schema as s
from .checks import check_article, check_attributions
from .errors import StoreError, guarded_methods
from .records import ArticleSummary, ClaimGroup, Contradiction, Quote, SourcingRow, SpeakerEntry
from ..link.speakers import article_people, speaker_key

logger = logging.getLogger(__name__)

Progress = Callable[[Article, str], None]
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ][\d:.+-Z]*)?)?)?$")
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
    """The outlet, or the file-name prefix of "outlet_2016-09-12_title" ids (PolNeAR's naming)."""
    if article.outlet:
        return article.outlet
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


def _clean(value: Any) -> Any:
    """Query text without NUL characters (PostgreSQL refuses them; nothing stored contains one)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def check_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    if not _ISO_DATE.match(value):
        raise StoreError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)")
    return value


@guarded_methods
class Store:
    """Articles, attributions, speakers and claims in one database. Open it with `open_store`.

    A plain class, not a dataclass: it owns a connection pool. Every public method raises
    `StoreError` (never a driver's exception) when the database fails.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.writer = engine.execution_options(onrecord_write=True)  # see `_transaction`
        self.url = url
        self.dialect = engine.dialect.name

    # ---------------------------------------------------------------- writing
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

    def stored_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes (`content_hash` of a text) are stored."""
        wanted, found = list(set(hashes)), set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                found |= set(conn.execute(select(s.articles.c.content_hash)
                                          .where(s.articles.c.content_hash.in_(chunk))).scalars())
        return found

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored (a URL is the id of an article fetched from it)."""
        wanted, found = list(set(ids)), set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                found |= set(conn.execute(select(s.articles.c.id).where(s.articles.c.id.in_(chunk))).scalars())
        return found

    # ---------------------------------------------------------------- linking
    def link(self, *, claims: bool = True, threshold: float | None = None) -> None:
        """Recompute canonical speakers and, when ``claims`` and the [claims] extra is installed,
        claim clusters and contradictions; the articles that waited for it are linked then.

        Articles stored while it runs stay pending (`pending_links`) for the next link."""
        pending = self.pending_links()
        self.link_speakers()
        self.rebuild_sourcing()
        if claims:
            from ..link.stored import link_claims

            link_claims(self.writer, threshold=threshold)
        self._clear_pending(pending)

    def link_new(self, article_ids: Sequence[str], *, claims: bool = True, threshold: float | None = None) -> None:
        """Link after adding these articles: the same speakers and claims as `link`, always.

        Speakers and claims are decided over all statements at once (a new statement can join
        two speakers, or two statements into a claim, that were apart), so placing only the new
        ones among the old gave other results than a full link (340 vs 341 speakers); the
        speaker ids stay stable and the embeddings are cached, so the rebuild costs the
        clustering only. Kept for callers of the incremental API; `catch_up` is what ingest uses.
        """
        if article_ids:
            self.link(claims=claims, threshold=threshold)

    def pending_links(self) -> list[int]:
        """The articles (their primary keys) stored and not linked yet, oldest first."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(s.link_pending.c.article_pk).order_by(s.link_pending.c.article_pk))
                        .scalars())

    def _clear_pending(self, pks: Sequence[int]) -> None:
        with self._transaction() as conn:
            for start in range(0, len(pks), 500):
                conn.execute(delete(s.link_pending).where(s.link_pending.c.article_pk.in_(pks[start:start + 500])))

    def catch_up(self, *, claims: bool = True, threshold: float | None = None) -> int:
        """Link whatever is stored and not linked yet (an interrupted run, ``ingest --no-link``, a
        link that failed in the server); returns the number of articles that waited (0: nothing done).

        Ingest and the server's writes call it, so links always catch up on the next write."""
        pending = self.pending_links()
        if pending:
            self.link(claims=claims, threshold=threshold)
        return len(pending)

    def link_speakers(self) -> None:
        """Recompute canonical speakers (`onrecord.link.speakers`)."""
        from ..link.stored import link_speakers

        link_speakers(self.writer)

    # ---------------------------------------------------------------- reading
    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(s.articles.c.data, s.articles.c.text)
                               .where(s.articles.c.id == article_id)).first()
        if row is None:
            return None
        data = json.loads(row.data)
        text_is_input = data.pop("text_is_input", True)
        article = Article.from_dict(data, text=row.text)
        from dataclasses import replace

        return replace(article, text_is_input=text_is_input)

    def list_articles(self, *, q: str | None = None, outlet: str | None = None, limit: int = 50,
                      offset: int = 0) -> list[ArticleSummary]:
        t = s.articles.c
        q, outlet = _clean(q), _clean(outlet)
        query = article_filter(select(t.id, t.title, t.published, t.outlet, t.url, t.n_attributions), q, outlet)
        query = query.order_by(t.published.desc(), t.id).limit(_limit(limit)).offset(_offset(offset))
        with self.engine.connect() as conn:
            return [ArticleSummary(*row) for row in conn.execute(query)]

    def count(self) -> dict[str, int]:
        """Numbers of articles, attributions, speakers and claims stored."""
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in (("articles", s.articles), ("attributions", s.attributions),
                                        ("speakers", s.speakers), ("claims", s.claims))}

    def list_speakers(self, *, q: str | None = None, type: str | None = None, limit: int = 50,
                      offset: int = 0) -> list[SpeakerEntry]:
        sp = s.speakers.c
        q = _clean(q)
        query = speaker_filter(select(sp.id, sp.name, sp.type, sp.n_statements, sp.first_date, sp.last_date,
                                      sp.outlet, sp.gender), q, type)
        query = query.order_by(sp.n_statements.desc(), sp.name, sp.id).limit(_limit(limit)).offset(_offset(offset))
        with self.engine.connect() as conn:
            return self._speaker_entries(conn, conn.execute(query).all())

    def get_speaker(self, speaker_id: int) -> SpeakerEntry | None:
        sp = s.speakers.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(sp.id, sp.name, sp.type, sp.n_statements, sp.first_date, sp.last_date,
                                       sp.outlet, sp.gender).where(sp.id == int(speaker_id))).all()
            found = self._speaker_entries(conn, rows)
        return found[0] if found else None

    def _speaker_entries(self, conn: Connection, rows: Sequence[Any]) -> list[SpeakerEntry]:
        ids = [r.id for r in rows]
        aliases: dict[int, list[str]] = defaultdict(list)
        roles: dict[int, list[str]] = defaultdict(list)
        if ids:
            al = s.speaker_aliases.c
            for sid, alias in conn.execute(select(al.speaker_id, al.alias).where(al.speaker_id.in_(ids))
                                           .order_by(al.speaker_id, al.n.desc(), al.alias)):
                aliases[sid].append(alias)
            ro = s.speaker_roles.c
            for sid, role in conn.execute(select(ro.speaker_id, ro.role).where(ro.speaker_id.in_(ids))
                                          .order_by(ro.speaker_id, ro.first_date, ro.n.desc(), ro.role)):
                roles[sid].append(role)
        return [SpeakerEntry(id=r.id, name=r.name, type=r.type, aliases=tuple(aliases[r.id]),
                             roles=tuple(roles[r.id]), n_statements=r.n_statements, first_date=r.first_date,
                             last_date=r.last_date, outlet=r.outlet, gender=r.gender) for r in rows]

    def speaker_roles(self, speaker_id: int) -> list[dict[str, Any]]:
        """Roles of a speaker over time: ``[{role, n, first_date, last_date}]``, oldest first."""
        ro = s.speaker_roles.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(ro.role, ro.n, ro.first_date, ro.last_date)
                                .where(ro.speaker_id == int(speaker_id)).order_by(ro.first_date, ro.role))
            return [dict(r._mapping) for r in rows]

    def resolve_speaker(self, name: str) -> list[int]:
        """Ids of the speakers a name refers to: exact name or alias first, else a substring match."""
        low = _clean(name).strip().lower()
        sp, al = s.speakers.c, s.speaker_aliases.c
        with self.engine.connect() as conn:
            exact = set(conn.execute(select(sp.id).where(func.lower(sp.name) == low)).scalars())
            exact |= set(conn.execute(select(al.speaker_id).where(al.alias_lower == low)).scalars())
            if exact:
                return sorted(exact)
            return sorted(set(conn.execute(select(sp.id).where(
                func.lower(sp.name).contains(low, autoescape=True))).scalars()))

    # ---------------------------------------------------------------- quotes and search
    def _quote_query(self) -> Any:
        a, ar, sp = s.attributions, s.articles, s.speakers
        return (select(ar.c.id.label("article_id"), a.c.idx, a.c.speaker_id,
                       func.coalesce(sp.c.name, a.c.speaker_name, a.c.description).label("speaker_name"),
                       a.c.data, a.c.published, a.c.outlet, ar.c.title, a.c.claim_id,
                       a.c.id.label("attribution_id"))
                .select_from(a.join(ar, ar.c.pk == a.c.article_pk).outerjoin(sp, sp.c.id == a.c.speaker_id)))

    @staticmethod
    def _quote(row: Any) -> Quote:
        return Quote(article_id=row.article_id, index=row.idx, attribution=Attribution.from_dict(json.loads(row.data)),
                     speaker_id=row.speaker_id, speaker_name=row.speaker_name, published=row.published,
                     outlet=row.outlet, title=row.title, claim_id=row.claim_id)

    def statement_filters(self, speaker: str | int | None, speaker_type: str | None, stance: str | None,
                          outlet: str | None, since: str | None, until: str | None, *, gender: str | None = None,
                          text: str | None = None) -> list[Any] | None:
        """The WHERE of `quotes` and `search` (None: a speaker name that matches nobody)."""
        a = s.attributions.c
        speaker_type, stance, outlet, gender = _clean(speaker_type), _clean(stance), _clean(outlet), _clean(gender)
        where: list[Any] = []
        if speaker is not None and speaker != "":
            ids = [int(speaker)] if isinstance(speaker, int) else self.resolve_speaker(str(speaker))
            if not ids:
                return None
            where.append(a.speaker_id.in_(ids) if len(ids) > 1 else a.speaker_id == ids[0])
        if speaker_type:
            where.append(a.speaker_type == speaker_type)
        if stance:
            where.append(a.stance == stance)
        if outlet:
            where.append(a.outlet == outlet)
        if check_date(since, "since"):
            where.append(a.date >= since[:10])  # type: ignore[index]
        if check_date(until, "until"):
            where.append(a.date <= until[:10])  # type: ignore[index]
        if gender:  # a named person of this gender (the canonical speaker's, set by linking)
            sp = s.speakers.c
            where.append(a.speaker_id.in_(select(sp.id).where(sp.type == "person", sp.gender == gender)))
        words = re.findall(r"\w+", _clean(text) or "")
        if words:
            where.append(_fts_condition(self.dialect, words))
        return where

    def _ordered(self, query: Any) -> Any:
        a = s.attributions.c
        date = a.date.desc() if self.dialect == "sqlite" else a.date.desc().nulls_last()
        return query.order_by(date, a.id)

    def quotes(self, *, speaker: str | int | None = None, speaker_type: str | None = None, stance: str | None = None,
               outlet: str | None = None, since: str | None = None, until: str | None = None,
               gender: str | None = None, text: str | None = None, limit: int = 50,
               offset: int = 0) -> list[Quote]:
        """Stored statements, newest first (by statement date, else publication date).

        Args:
            speaker: a speaker id, or a name or alias ("Putin" finds "Vladimir Putin").
            speaker_type: person, organization, media, group, anonymous or unknown.
            stance: assert, deny, believe or question.
            outlet: the outlet as stored.
            since: ISO date, inclusive.
            until: ISO date, inclusive.
            gender: female, male or unknown: statements of named people (linked persons) of that gender.
            text: words that must all occur in what was said (as `search`, but newest first).
        """
        where = self.statement_filters(speaker, speaker_type, stance, outlet, since, until, gender=gender, text=text)
        if where is None:
            return []
        query = self._ordered(self._quote_query().where(*where))
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(_limit(limit)).offset(_offset(offset)))
            return [self._quote(r) for r in rows]

    def search(self, text_: str, *, speaker: str | int | None = None, speaker_type: str | None = None,
               stance: str | None = None, outlet: str | None = None, since: str | None = None,
               until: str | None = None, gender: str | None = None, limit: int = 50, offset: int = 0) -> list[Quote]:
        """Full-text search over what was said (all words must occur; stemmed English).

        Results come most recently stored first (so that a page costs the same at any
        corpus size); the filters are those of `quotes`.
        """
        words = re.findall(r"\w+", _clean(text_) or "")
        if not words:
            return []
        where = self.statement_filters(speaker, speaker_type, stance, outlet, since, until, gender=gender)
        if where is None:
            return []
        if not where and self.dialect == "sqlite":
            # no filters: FTS5 yields matches in rowid order, so the page costs O(limit), not O(matches)
            with self.engine.connect() as conn:
                ids = list(conn.execute(text(
                    "SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH :q "
                    "ORDER BY rowid DESC LIMIT :limit OFFSET :offset"),
                    {"q": _fts_query(words), "limit": _limit(limit), "offset": _offset(offset)}).scalars())
            found = self.quotes_by_ids(ids)
            return [found[i] for i in ids if i in found]
        query = self._quote_query().where(and_(_fts_condition(self.dialect, words), *where))
        query = query.order_by(s.attributions.c.id.desc())
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(_limit(limit)).offset(_offset(offset)))
            return [self._quote(r) for r in rows]

    def quotes_by_ids(self, ids: Sequence[int]) -> dict[int, Quote]:
        """Quotes by attribution id (the store's internal key)."""
        out: dict[int, Quote] = {}
        ids = list(ids)
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = self._quote_query().where(s.attributions.c.id.in_(ids[start:start + 500]))
                out.update({r.attribution_id: self._quote(r) for r in conn.execute(query)})
        return out

    # ---------------------------------------------------------------- claims
    def list_claims(self, *, limit: int = 50, offset: int = 0) -> list[ClaimGroup]:
        c = s.claims.c
        query = (select(c.id, c.label, c.n_statements, c.n_articles)
                 .order_by(c.n_articles.desc(), c.n_statements.desc(), c.id).limit(_limit(limit)).offset(_offset(offset)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return self._claim_groups(rows)

    def get_claim(self, claim_id: int) -> ClaimGroup | None:
        c = s.claims.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.id, c.label, c.n_statements, c.n_articles)
                                .where(c.id == int(claim_id))).all()
        groups = self._claim_groups(rows)
        return groups[0] if groups else None

    def get_claims(self, claim_ids: Sequence[int]) -> list[ClaimGroup]:
        """The claims with these ids (those that exist), with their members, in one query each."""
        c = s.claims.c
        ids = sorted({int(i) for i in claim_ids})
        rows: list[Any] = []
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                rows += conn.execute(select(c.id, c.label, c.n_statements, c.n_articles)
                                     .where(c.id.in_(ids[start:start + 500])).order_by(c.id)).all()
        return self._claim_groups(rows)

    def _claim_groups(self, rows: Sequence[Any]) -> list[ClaimGroup]:
        members: dict[int, list[Quote]] = defaultdict(list)
        if rows:
            query = self._ordered(self._quote_query().where(s.attributions.c.claim_id.in_([r.id for r in rows])))
            with self.engine.connect() as conn:
                for r in conn.execute(query):
                    members[r.claim_id].append(self._quote(r))
        groups = []
        for r in rows:
            stances: dict[str, int] = defaultdict(int)
            for q in members[r.id]:
                stances[q.attribution.stance] += 1
            groups.append(ClaimGroup(id=r.id, label=r.label, n_statements=r.n_statements, n_articles=r.n_articles,
                                     stances=dict(sorted(stances.items())), members=tuple(members[r.id])))
        return groups

    def contradictions(self, *, limit: int = 50, offset: int = 0) -> list[Contradiction]:
        """Pairs of statements of one claim whose stance or polarity oppose, with both as evidence."""
        c = s.contradictions.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.claim_id, c.a_id, c.b_id, c.reason, c.similarity)
                                .order_by(c.claim_id, c.id).limit(_limit(limit)).offset(_offset(offset))).all()
        quotes = self.quotes_by_ids([i for r in rows for i in (r.a_id, r.b_id)])
        return [Contradiction(claim_id=r.claim_id, a=quotes[r.a_id], b=quotes[r.b_id], reason=r.reason,
                              similarity=None if r.similarity is None else round(r.similarity, 3))
                for r in rows if r.a_id in quotes and r.b_id in quotes]

    # ---------------------------------------------------------------- sourcing
    def sourcing(self, *, by: str = "outlet", outlet: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[SourcingRow]:
        """Share of named, anonymous and media sources per outlet or per article.

        Named: a person, organization or group; anonymous: "a government source";
        media: "U.S. media"; other: speakers of unknown type and attributions without one.
        Read from the summaries kept by ingest (the articles' counts, ``sourcing_outlets``):
        a page costs the same at any corpus size.
        """
        outlet = _clean(outlet)
        if by == "outlet":
            so = s.sourcing_outlets.c
            query = (select(so.key, so.total, so.named, so.anonymous, so.media).where(so.total > 0)
                     .order_by(so.total.desc(), so.key))
            if outlet:
                query = query.where(so.outlet == outlet)
        elif by == "article":
            ar = s.articles.c
            query = (select(ar.id, ar.n_attributions, ar.n_named, ar.n_anonymous, ar.n_media)
                     .where(ar.n_attributions > 0).order_by(ar.n_attributions.desc(), ar.id))
            if outlet:
                query = query.where(ar.outlet == outlet)
        else:
            raise StoreError(f"sourcing by {by!r}: use 'outlet' or 'article'")
        if limit is not None:
            query = query.limit(_limit(limit)).offset(_offset(offset))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for key_, total, named, anonymous, media in rows:
            named, anonymous, media = int(named or 0), int(anonymous or 0), int(media or 0)
            out.append(SourcingRow(key=key_, total=total, named=named, anonymous=anonymous, media=media,
                                   other=total - named - anonymous - media, share_named=round(named / total, 4),
                                   share_anonymous=round(anonymous / total, 4), share_media=round(media / total, 4)))
        return out

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _limit(limit: int) -> int:
    return max(0, min(int(limit), 10_000))


def _offset(offset: int) -> int:
    return max(0, int(offset))


def _fts_condition(dialect: str, words: list[str]) -> Any:
    a = s.attributions.c
    if dialect == "postgresql":
        return text("attributions.tsv @@ plainto_tsquery('english', :fts_query)").bindparams(
            fts_query=" ".join(words))
    return a.id.in_(text("SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH :fts_query")
                    .bindparams(fts_query=_fts_query(words)).columns(rowid=s.attributions.c.id.type))


def _fts_query(words: list[str]) -> str:
    """An FTS5 query requiring every word, each quoted: no FTS syntax from user text gets through."""
    return " ".join('"' + w.replace('"', '') + '"' for w in words)


def speaker_filter(query: Any, q: str | None, type: str | None) -> Any:
    """Speakers whose name or an alias contains ``q``, of ``type`` (list, count and sort alike)."""
    sp = s.speakers.c
    if q:
        alias_match = select(s.speaker_aliases.c.speaker_id).where(
            s.speaker_aliases.c.alias_lower.contains(q.lower(), autoescape=True))
        query = query.where(or_(func.lower(sp.name).contains(q.lower(), autoescape=True), sp.id.in_(alias_match)))
    if type:
        query = query.where(sp.type == type)
    return query


def article_filter(query: Any, q: str | None, outlet: str | None) -> Any:
    """Articles whose title or id contains ``q``, from ``outlet`` (list, count and sort alike)."""
    t = s.articles.c
    if q:
        query = query.where(or_(func.lower(t.title).contains(q.lower(), autoescape=True),
                                func.lower(t.id).contains(q.lower(), autoescape=True)))
    if outlet:
        query = query.where(t.outlet == outlet)
    return query
