"""Each attribution row keeps its record: ``attributions.data`` holds ``Attribution.to_dict()``.

Queries return `Quote` records that carry the `Attribution` itself (spans with offsets,
the speaker as resolved), not a flattened copy of some of its fields. The flat columns
stay: they are what filters, sorting and full-text search read. Existing databases are
backfilled from each article's stored JSON.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attributions", sa.Column("data", sa.Text, nullable=True))
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(sa.text("SELECT pk, data FROM articles WHERE pk > :last ORDER BY pk LIMIT 500"),
                            {"last": last}).all()
        if not rows:
            break
        updates = [{"pk": pk, "idx": idx, "data": json.dumps(a, ensure_ascii=False)}
                   for pk, data in rows for idx, a in enumerate(json.loads(data).get("attributions") or [])]
        if updates:
            conn.execute(sa.text("UPDATE attributions SET data = :data WHERE article_pk = :pk AND idx = :idx"),
                         updates)
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_column("attributions", "data")
