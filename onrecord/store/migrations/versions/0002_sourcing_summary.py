"""Sourcing summaries: per-article source counts on ``articles`` and a per-outlet table.

``sourcing()`` read every attribution of an outlet at query time (88 ms p95 for one
outlet at 1M attributions on SQLite). The counts are now kept with each article row
(written in the same statement as the article) and summed per outlet in
``sourcing_outlets``, updated by ingest in the same transaction and rebuilt by ``link()``.
Existing databases are backfilled here.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NAMED = "('person', 'organization', 'group')"


def upgrade() -> None:
    for column in ("n_named", "n_anonymous", "n_media"):
        op.add_column("articles", sa.Column(column, sa.Integer, nullable=False, server_default="0"))
    op.execute(
        "UPDATE articles SET "
        f"n_named = (SELECT count(*) FROM attributions a WHERE a.article_pk = articles.pk AND a.speaker_type IN {NAMED}), "
        "n_anonymous = (SELECT count(*) FROM attributions a WHERE a.article_pk = articles.pk "
        "AND a.speaker_type = 'anonymous'), "
        "n_media = (SELECT count(*) FROM attributions a WHERE a.article_pk = articles.pk AND a.speaker_type = 'media'), "
        "n_attributions = (SELECT count(*) FROM attributions a WHERE a.article_pk = articles.pk)")
    # covering indexes for sourcing by article (all, and of one outlet): a page reads no article row
    counts: list[str | sa.TextClause] = [sa.text("n_attributions DESC"), "id", "n_named", "n_anonymous", "n_media"]
    op.create_index("ix_articles_sourcing", "articles", counts)
    op.create_index("ix_articles_outlet_sourcing", "articles", ["outlet", *counts])
    op.create_table(
        "sourcing_outlets",
        sa.Column("key", sa.String, primary_key=True),  # the outlet, "(unknown)" for none
        sa.Column("outlet", sa.String),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("named", sa.Integer, nullable=False),
        sa.Column("anonymous", sa.Integer, nullable=False),
        sa.Column("media", sa.Integer, nullable=False),
    )
    op.create_index("ix_sourcing_outlets_outlet", "sourcing_outlets", ["outlet"])
    op.execute(
        "INSERT INTO sourcing_outlets (key, outlet, total, named, anonymous, media) "
        "SELECT coalesce(outlet, '(unknown)'), max(outlet), sum(n_attributions), sum(n_named), sum(n_anonymous), "
        "sum(n_media) FROM articles GROUP BY coalesce(outlet, '(unknown)') HAVING sum(n_attributions) > 0")


def downgrade() -> None:
    op.drop_table("sourcing_outlets")
    op.drop_index("ix_articles_outlet_sourcing", "articles")
    op.drop_index("ix_articles_sourcing", "articles")
    for column in ("n_named", "n_anonymous", "n_media"):  # SQLite >= 3.35 drops columns in place
        op.drop_column("articles", column)
