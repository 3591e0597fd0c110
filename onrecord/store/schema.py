"""The tables, as SQLAlchemy Core objects for queries.

The schema itself is created and changed only by the versioned Alembic migrations in
``migrations/versions/`` (which run on SQLite and PostgreSQL); these definitions mirror
the latest revision, `SCHEMA_REVISION`. Full-text indexes are dialect-specific and live
only in the migrations: an FTS5 table ``attributions_fts`` kept in sync by triggers on
SQLite, a generated ``tsv`` column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
                        UniqueConstraint)

SCHEMA_REVISION = "0005"

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String, nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("data_hash", String(64), nullable=False),
    Column("title", Text),
    Column("published", String),
    Column("outlet", String, index=True),
    Column("url", Text),
    Column("text", Text, nullable=False),
    Column("data", Text, nullable=False),  # Article.to_dict() without text: JSON
    Column("n_attributions", Integer, nullable=False),
    Column("ingested_at", String, nullable=False),
    # source counts of this article's attributions (written with the row): sourcing by article
    Column("n_named", Integer, nullable=False, server_default="0"),
    Column("n_anonymous", Integer, nullable=False, server_default="0"),
    Column("n_media", Integer, nullable=False, server_default="0"),
    # + covering indexes ix_articles_sourcing (n_attributions DESC, id, n_named, n_anonymous, n_media)
    # and ix_articles_outlet_sourcing (outlet, the same), created by the migration 0002
)

attributions = Table(
    "attributions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("speaker_key", String),  # raw key: type|normalized name (or description|outlet)
    Column("speaker_id", Integer, index=True),  # canonical speaker, set by link()
    Column("speaker_name", String),
    Column("speaker_type", String, nullable=False),
    Column("speaker_gender", String),  # Speaker.gender as extracted: female, male, unknown (revision 0004)
    Column("role", String),
    Column("description", String),
    Column("stance", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("cue", String, nullable=False),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("source", Text),
    Column("content", Text, nullable=False),
    Column("content_spans", Text, nullable=False),  # JSON [[start, end], ...]
    Column("statement_date", String),
    Column("published", String),
    Column("date", String),  # statement_date, else the publication day: ordering and date filters
    Column("outlet", String),
    Column("nested_in", Integer),
    Column("claim_id", Integer, index=True),
    Column("data", Text),  # Attribution.to_dict(): JSON, the record `Quote` carries (revision 0003)
    UniqueConstraint("article_pk", "idx", name="uq_attributions_article_idx"),
    Index("ix_attributions_speaker_key", "speaker_key"),
    Index("ix_attributions_speaker_date", "speaker_id", "date"),
    Index("ix_attributions_date", "date"),
    Index("ix_attributions_outlet_type", "outlet", "speaker_type"),
    Index("ix_attributions_article", "article_pk", "speaker_type"),
)

speakers = Table(
    "speakers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String, nullable=False, unique=True),  # canonical key: ids stay stable across link()
    Column("name", String, nullable=False),
    Column("type", String, nullable=False),
    Column("outlet", String),
    Column("n_statements", Integer, nullable=False),
    Column("first_date", String),
    Column("last_date", String),
    # a person's gender: the one its statements give, else unknown (set by linking, revision 0004)
    Column("gender", String, nullable=False, server_default="unknown"),
    Index("ix_speakers_name", "name"),
)

speaker_keys = Table(
    "speaker_keys", metadata,
    Column("raw_key", String, primary_key=True),
    Column("speaker_id", Integer, nullable=False, index=True),
)

speaker_aliases = Table(
    "speaker_aliases", metadata,
    Column("speaker_id", Integer, primary_key=True),
    Column("alias", String, primary_key=True),
    Column("alias_lower", String, nullable=False, index=True),
    Column("n", Integer, nullable=False),
)

speaker_roles = Table(
    "speaker_roles", metadata,
    Column("speaker_id", Integer, primary_key=True),
    Column("role", String, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("first_date", String),
    Column("last_date", String),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", Text, nullable=False),
    Column("n_statements", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
)

contradictions = Table(
    "contradictions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", Integer, nullable=False, index=True),
    Column("a_id", Integer, nullable=False),
    Column("b_id", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("similarity", Float),
)

# per-outlet sums of the articles' source counts: updated by ingest in the same transaction
# as the articles, rebuilt from the articles by link() (revision 0002)
sourcing_outlets = Table(
    "sourcing_outlets", metadata,
    Column("key", String, primary_key=True),  # the outlet, "(unknown)" for none
    Column("outlet", String, index=True),
    Column("total", Integer, nullable=False),
    Column("named", Integer, nullable=False),
    Column("anonymous", Integer, nullable=False),
    Column("media", Integer, nullable=False),
)

embeddings = Table(
    "embeddings", metadata,
    Column("text_hash", String(40), primary_key=True),  # sha1 of the content text: a cache across re-ingests
    Column("vector", LargeBinary, nullable=False),  # 384 float32
)

# articles stored and not linked yet, written in the article's transaction and deleted by the
# link that covers them: the next ingest or write links what is left (revision 0005)
link_pending = Table(
    "link_pending", metadata,
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
)
