"""search index: full-text index of mention text for search over history

SQLite: an FTS5 virtual table without stored content, keyed by mention id. PostgreSQL: a table
of tsvector documents with a GIN index (and a small index of the mentions whose text is past
PostgreSQL's tsvector limits). Both are filled here for the mentions already stored; the ingest
service fills them for new ones. See sbu.listening.search_index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 11:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from sbu.listening.search_index import backfill

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "mention_search"
# One token per word of match text: see sbu.listening.search_index.
FTS5_OPTIONS = "content='', columnsize=0, tokenize=\"ascii tokenchars '#@_~=.-'\""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            f"CREATE TABLE {TABLE} ("
            "mention_id BIGINT NOT NULL, "
            "document TSVECTOR, "
            f"CONSTRAINT pk_{TABLE} PRIMARY KEY (mention_id), "
            f"CONSTRAINT fk_{TABLE}_mention_id_mentions FOREIGN KEY (mention_id) "
            "REFERENCES mentions (id) ON DELETE CASCADE)"
        )
    else:
        op.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, {FTS5_OPTIONS})")
    backfill(bind)
    if bind.dialect.name == "postgresql":
        # Built after the backfill: one pass is much faster than growing the index row by row.
        op.execute(f"CREATE INDEX ix_{TABLE}_document ON {TABLE} USING gin (document)")
        op.execute(
            f"CREATE INDEX ix_{TABLE}_unindexed ON {TABLE} (mention_id) WHERE document IS NULL"
        )
        op.execute(f"ANALYZE {TABLE}")


def downgrade() -> None:
    op.execute(f"DROP TABLE {TABLE}")
