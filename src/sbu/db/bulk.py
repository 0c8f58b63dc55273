"""Bulk write helpers that behave the same on SQLite and PostgreSQL.

:func:`insert_rows` hands rows straight to the driver inside the session's transaction, after
applying each column type's own bind processor: ``executemany`` on SQLite (and for inserts that
may conflict), ``COPY`` on PostgreSQL. SQLAlchemy's per-row statement machinery costs more than
the database's insert itself on the ingest hot path.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts_on: Sequence[str] | None = None,
    ready: Collection[str] = (),
) -> None:
    """INSERT many rows (tuples in ``columns`` order); optionally ON CONFLICT DO NOTHING.

    Values go through their column type's bind processor, except in the ``ready`` columns,
    whose values the caller already converted to what the driver takes.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    processors = [
        (index, processor)
        for index, name in enumerate(columns)
        if name not in ready
        and (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        is not None
    ]
    if processors:
        converted = []
        for row in rows:
            values = list(row)
            for index, processor in processors:
                values[index] = processor(values[index])
            converted.append(tuple(values))
        rows = converted
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    if dialect.name == "postgresql" and not ignore_conflicts_on:
        # COPY is PostgreSQL's fastest way in; it runs in this session's transaction.
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({', '.join([marker] * len(columns))})"
    if ignore_conflicts_on:
        target = ", ".join(dialect.identifier_preparer.quote(name) for name in ignore_conflicts_on)
        sql += f" ON CONFLICT ({target}) DO NOTHING"
    # Runs in C on SQLite; pipelined by psycopg on PostgreSQL.
    connection.exec_driver_sql(sql, list(rows))


def insert_ignoring_conflicts(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], conflict_columns: Sequence[str]
) -> None:
    """INSERT ... ON CONFLICT (columns) DO NOTHING, for many rows given as dicts."""
    if not rows:
        return
    columns = list(rows[0])
    insert_rows(
        session,
        table,
        columns,
        [tuple(row[name] for name in columns) for row in rows],
        ignore_conflicts_on=conflict_columns,
    )


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
