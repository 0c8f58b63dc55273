from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select
from sqlalchemy.exc import StatementError

from sbu.db.engine import Database
from sbu.db.types import UtcDateTime
from sbu.settings import DatabaseSettings


@pytest.fixture
def table(database_url: str) -> tuple[Database, Table]:
    database = Database(DatabaseSettings(url=database_url))
    metadata = MetaData()
    table = Table("t_times", metadata, Column("id", Integer, primary_key=True),
                  Column("at", UtcDateTime))  # fmt: skip
    metadata.drop_all(database.engine)
    metadata.create_all(database.engine)
    yield database, table
    metadata.drop_all(database.engine)
    database.dispose()


def test_aware_datetimes_round_trip_in_utc(table: tuple[Database, Table]) -> None:
    database, t = table
    paris = datetime(2026, 3, 29, 3, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    with database.write_session() as session:
        session.execute(insert(t).values(id=1, at=paris))
        session.commit()
        stored = session.execute(select(t.c.at)).scalar_one()
    assert stored == paris
    assert stored.tzinfo == UTC
    assert stored.hour == 1


def test_naive_datetimes_are_refused(table: tuple[Database, Table]) -> None:
    database, t = table
    with database.write_session() as session, pytest.raises(StatementError, match="Naive"):
        session.execute(insert(t).values(id=2, at=datetime(2026, 1, 1)))
