"""Articles stored but not yet linked: ``link_pending``, one row per article, written with it.

An article is written in one transaction and linked in later ones (speakers, claims): a run
killed in between, ``ingest --no-link`` or a link that failed inside ``POST /api/articles``
left its statements without speakers until someone ran ``onrecord link``. The row written
with the article says "not linked yet" durably; linking deletes the rows it covered, and the
next ingest or write links whatever is still there (`Store.catch_up`).

Existing databases: articles with statements whose raw speaker key has no canonical speaker
(never linked) are marked here, so the next ingest links them.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_pending",
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
    )
    op.get_bind().execute(sa.text(
        "INSERT INTO link_pending (article_pk) SELECT DISTINCT a.article_pk FROM attributions a "
        "WHERE a.speaker_key IS NOT NULL AND a.speaker_id IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM speaker_keys k WHERE k.raw_key = a.speaker_key)"))


def downgrade() -> None:
    op.drop_table("link_pending")
