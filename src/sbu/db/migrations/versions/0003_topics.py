"""topics: topics, versions, examples, topic matches, enrichment cursors, rematch jobs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 11:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import sbu.db.types

Text = sa.Text

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def _when() -> sbu.db.types.UtcDateTime:
    return sbu.db.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "enrichment_cursors",
        sa.Column("stage", sa.String(length=50), nullable=False),
        sa.Column("last_mention_id", sa.BigInteger(), nullable=False),
        sa.Column("gaps", _json(), nullable=False),
        sa.Column("stage_version", sa.Integer(), nullable=False),
        sa.Column("processed", sa.BigInteger(), nullable=False),
        sa.Column("failed", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("stage", name=op.f("pk_enrichment_cursors")),
    )
    op.create_table(
        "topics",
        sa.Column("id", _id(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("department_id", _id(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("examples", _json(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_topics_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("name", name=op.f("uq_topics_name")),
    )
    with op.batch_alter_table("topics", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_topics_department_id"), ["department_id"], unique=False
        )

    op.create_table(
        "enrichment_failures",
        sa.Column("id", _id(), nullable=False),
        sa.Column("stage", sa.String(length=50), nullable=False),
        sa.Column("stage_version", sa.Integer(), nullable=False),
        sa.Column("mention_id", _id(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("failed_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["mentions.id"],
            name=op.f("fk_enrichment_failures_mention_id_mentions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrichment_failures")),
        sa.UniqueConstraint(
            "stage", "mention_id", name=op.f("uq_enrichment_failures_stage_mention_id")
        ),
    )
    op.create_table(
        "rematch_jobs",
        sa.Column("id", _id(), nullable=False),
        sa.Column("topic_id", _id(), nullable=False),
        sa.Column("topic_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("done", sa.BigInteger(), nullable=False),
        sa.Column("until_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("worker", sa.String(length=64), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("started_at", _when(), nullable=True),
        sa.Column("updated_at", _when(), nullable=False),
        sa.Column("finished_at", _when(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_rematch_jobs_topic_id_topics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rematch_jobs")),
    )
    with op.batch_alter_table("rematch_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_rematch_jobs_status_id", ["status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rematch_jobs_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "topic_matches",
        sa.Column("mention_id", _id(), nullable=False),
        sa.Column("topic_id", _id(), nullable=False),
        sa.Column("topic_version", sa.Integer(), nullable=False),
        sa.Column("matched_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["mentions.id"],
            name=op.f("fk_topic_matches_mention_id_mentions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_topic_matches_topic_id_topics")
        ),
        sa.PrimaryKeyConstraint("mention_id", "topic_id", name=op.f("pk_topic_matches")),
    )
    with op.batch_alter_table("topic_matches", schema=None) as batch_op:
        batch_op.create_index(
            "ix_topic_matches_topic_id_mention_id", ["topic_id", "mention_id"], unique=False
        )

    op.create_table(
        "topic_versions",
        sa.Column("id", _id(), nullable=False),
        sa.Column("topic_id", _id(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("department_id", _id(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("examples", _json(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("author_member_id", _id(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_member_id"],
            ["members.id"],
            name=op.f("fk_topic_versions_author_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_topic_versions_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_topic_versions_topic_id_topics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_versions")),
        sa.UniqueConstraint("topic_id", "version", name=op.f("uq_topic_versions_topic_id_version")),
    )


def downgrade() -> None:
    op.drop_table("topic_versions")
    with op.batch_alter_table("topic_matches", schema=None) as batch_op:
        batch_op.drop_index("ix_topic_matches_topic_id_mention_id")

    op.drop_table("topic_matches")
    with op.batch_alter_table("rematch_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rematch_jobs_topic_id"))
        batch_op.drop_index("ix_rematch_jobs_status_id")

    op.drop_table("rematch_jobs")
    op.drop_table("enrichment_failures")
    with op.batch_alter_table("topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_topics_department_id"))

    op.drop_table("topics")
    op.drop_table("enrichment_cursors")
