"""SQL expressions that keep statements cacheable on both dialects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, String, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import TypeEngine


def in_list(
    session: Session, column: InstrumentedAttribute[Any], values: Sequence[Any]
) -> ColumnElement[bool]:
    """``column IN (values)`` with the whole list as ONE bound parameter.

    SQLite reads it from a JSON array (``json_each``), PostgreSQL from an array (``= ANY``). The
    statement text no longer depends on how many values there are, so it is compiled once and
    cached, and no list can exceed the driver's parameter limit.
    """
    is_text = isinstance(column.type, String)
    if session.get_bind().dialect.name == "postgresql":
        element: TypeEngine[Any] = String() if is_text else BigInteger()
        return column == func.any(
            bindparam("in_values", list(values), type_=ARRAY(element), unique=True)
        )
    import orjson

    values_json = orjson.dumps(list(values)).decode()
    return column.in_(
        select(literal_column("value")).select_from(
            func.json_each(bindparam("in_values", values_json, unique=True))
        )
    )


def escape_like(text: str) -> str:
    """Make ``%``, ``_`` and ``\\`` match themselves in a LIKE pattern (use ``escape="\\"``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
