"""Bulk write helpers that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflicts(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], conflict_columns: Sequence[str]
) -> None:
    """INSERT ... ON CONFLICT (columns) DO NOTHING, for many rows."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    else:
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    session.execute(statement, list(rows))


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """Reserve ``count`` primary keys of ``table`` for rows this transaction will insert.

    PostgreSQL draws them from the column's sequence. SQLite continues after the largest id: the
    caller must hold the write lock (``Database.write_session``), so no other writer can take them.
    Knowing ids before inserting lets one batch link rows to each other without round trips.
    """
    if count <= 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        rows = session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": count},
        ).scalars()
        return sorted(int(v) for v in rows)
    largest = session.execute(select(table.c.id).order_by(table.c.id.desc()).limit(1)).scalar()
    start = (largest or 0) + 1
    return list(range(start, start + count))
