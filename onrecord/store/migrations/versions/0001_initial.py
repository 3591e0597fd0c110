"""Initial schema: articles, attributions, speakers, claims, contradictions, full-text index.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String, nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, index=True),
        sa.Column("data_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String),
        sa.Column("outlet", sa.String, index=True),
        sa.Column("url", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("n_attributions", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.String, nullable=False),
    )
    op.create_table(
        "attributions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("speaker_key", sa.String),
        sa.Column("speaker_id", sa.Integer, index=True),
        sa.Column("speaker_name", sa.String),
        sa.Column("speaker_type", sa.String, nullable=False),
        sa.Column("role", sa.String),
        sa.Column("description", sa.String),
        sa.Column("stance", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("cue", sa.String, nullable=False),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("source", sa.Text),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("content_spans", sa.Text, nullable=False),
        sa.Column("statement_date", sa.String),
        sa.Column("published", sa.String),
        sa.Column("date", sa.String),
        sa.Column("outlet", sa.String),
        sa.Column("nested_in", sa.Integer),
        sa.Column("claim_id", sa.Integer, index=True),
        sa.UniqueConstraint("article_pk", "idx", name="uq_attributions_article_idx"),
    )
    op.create_index("ix_attributions_speaker_key", "attributions", ["speaker_key"])
    op.create_index("ix_attributions_speaker_date", "attributions", ["speaker_id", "date"])
    op.create_index("ix_attributions_date", "attributions", ["date"])
    op.create_index("ix_attributions_outlet_type", "attributions", ["outlet", "speaker_type"])
    op.create_index("ix_attributions_article", "attributions", ["article_pk", "speaker_type"])
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String, nullable=False, unique=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("type", sa.String, nullable=False),
        sa.Column("outlet", sa.String),
        sa.Column("n_statements", sa.Integer, nullable=False),
        sa.Column("first_date", sa.String),
        sa.Column("last_date", sa.String),
    )
    op.create_index("ix_speakers_name", "speakers", ["name"])
    op.create_table(
        "speaker_keys",
        sa.Column("raw_key", sa.String, primary_key=True),
        sa.Column("speaker_id", sa.Integer, nullable=False, index=True),
    )
    op.create_table(
        "speaker_aliases",
        sa.Column("speaker_id", sa.Integer, primary_key=True),
        sa.Column("alias", sa.String, primary_key=True),
        sa.Column("alias_lower", sa.String, nullable=False, index=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_table(
        "speaker_roles",
        sa.Column("speaker_id", sa.Integer, primary_key=True),
        sa.Column("role", sa.String, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("first_date", sa.String),
        sa.Column("last_date", sa.String),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("n_statements", sa.Integer, nullable=False),
        sa.Column("n_articles", sa.Integer, nullable=False),
    )
    op.create_table(
        "contradictions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.Integer, nullable=False, index=True),
        sa.Column("a_id", sa.Integer, nullable=False),
        sa.Column("b_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("similarity", sa.Float),
    )
    op.create_table(
        "embeddings",
        sa.Column("text_hash", sa.String(40), primary_key=True),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE attributions ADD COLUMN tsv tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('english', content)) STORED")
        op.execute("CREATE INDEX ix_attributions_tsv ON attributions USING gin (tsv)")
    else:
        op.execute("CREATE VIRTUAL TABLE attributions_fts USING fts5("
                   "content, content='attributions', content_rowid='id', tokenize='porter unicode61')")
        op.execute("CREATE TRIGGER attributions_fts_insert AFTER INSERT ON attributions BEGIN "
                   "INSERT INTO attributions_fts(rowid, content) VALUES (new.id, new.content); END")
        op.execute("CREATE TRIGGER attributions_fts_delete AFTER DELETE ON attributions BEGIN "
                   "INSERT INTO attributions_fts(attributions_fts, rowid, content) "
                   "VALUES ('delete', old.id, old.content); END")
        op.execute("CREATE TRIGGER attributions_fts_update AFTER UPDATE OF content ON attributions BEGIN "
                   "INSERT INTO attributions_fts(attributions_fts, rowid, content) "
                   "VALUES ('delete', old.id, old.content); "
                   "INSERT INTO attributions_fts(rowid, content) VALUES (new.id, new.content); END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS attributions_fts")
    for table in ("embeddings", "contradictions", "claims", "speaker_roles", "speaker_aliases", "speaker_keys",
                  "speakers", "attributions", "articles"):
        op.drop_table(table)
