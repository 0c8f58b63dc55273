"""source credentials, pause and health

``sources.credentials`` holds the source's credentials (the ``SecretStr`` fields of its
connector's configuration) encrypted with SBU_CREDENTIALS__KEY (see sbu.core.credentials);
``sources.paused_reason`` says why sbu paused a source on its own (the platform refused the
credentials), until someone enters new ones or resumes it. The health columns keep the last
successful poll, the token expiry and the quota or cost the platform reported, and the alert
the source is in (see sbu.listening.source_health and source_alerts).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 14:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from sbu.db.types import UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COLUMNS = ("credentials", "paused_reason", "last_success_at", "token_expires_at", "usage",
           "alert", "alerted_at")  # fmt: skip


def upgrade() -> None:
    op.add_column("sources", sa.Column("credentials", sa.Text(), nullable=True))
    op.add_column("sources", sa.Column("paused_reason", sa.Text(), nullable=True))
    op.add_column(
        "sources", sa.Column("last_success_at", UtcDateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "sources", sa.Column("token_expires_at", UtcDateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "sources",
        sa.Column(
            "usage",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
    )
    op.add_column("sources", sa.Column("alert", sa.String(20), nullable=True))
    op.add_column("sources", sa.Column("alerted_at", UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of "sources" would trip
    # the foreign keys of the tables that point to it.
    for column in reversed(COLUMNS):
        op.drop_column("sources", column)
