"""Speakers carry a gender: ``speakers.gender``, from ``attributions.speaker_gender``.

Each attribution keeps the gender its extraction found (`Speaker.gender`: female, male or
unknown, from evidence only), in a column of its own so that linking can read it without
parsing every record. A canonical person's gender is the one its statements give: unknown
when they give none, or when more than one gendered statement in ten gives the other one
(`link.speakers.consistent_gender`). Linking keeps it up to date; existing databases are
backfilled here from each attribution's record (``attributions.data``, revision 0003).

Revision ID: 0004
Revises: 0003
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KNOWN = ("female", "male")


def upgrade() -> None:
    op.add_column("attributions", sa.Column("speaker_gender", sa.String, nullable=True))
    op.add_column("speakers", sa.Column("gender", sa.String, nullable=False, server_default="unknown"))
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(sa.text("SELECT id, data FROM attributions WHERE id > :last ORDER BY id LIMIT 2000"),
                            {"last": last}).all()
        if not rows:
            break
        updates = []
        for id_, data in rows:
            gender = ((json.loads(data) if data else {}).get("speaker") or {}).get("gender")
            if gender in KNOWN:
                updates.append({"id": id_, "gender": gender})
        if updates:
            conn.execute(sa.text("UPDATE attributions SET speaker_gender = :gender WHERE id = :id"), updates)
        last = rows[-1][0]
    conn.execute(sa.text("UPDATE attributions SET speaker_gender = 'unknown' WHERE speaker_gender IS NULL"))
    # people only: the gender their statements give, the other one in at most one in ten, else
    # unknown (as `link.speakers.consistent_gender` at the time of this revision)
    female = "sum(CASE WHEN a.speaker_gender = 'female' THEN 1 ELSE 0 END)"
    male = "sum(CASE WHEN a.speaker_gender = 'male' THEN 1 ELSE 0 END)"
    conn.execute(sa.text(
        f"UPDATE speakers SET gender = coalesce((SELECT CASE WHEN {female} > {male} AND 10 * {male} <= {female} + {male} "
        f"THEN 'female' WHEN {male} > {female} AND 10 * {female} <= {female} + {male} THEN 'male' END "
        "FROM attributions a WHERE a.speaker_id = speakers.id AND a.speaker_gender IN ('female', 'male')), 'unknown') "
        "WHERE type = 'person'"))


def downgrade() -> None:
    op.drop_column("speakers", "gender")
    op.drop_column("attributions", "speaker_gender")
