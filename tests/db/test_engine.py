from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from sbu.core.errors import ConfigError
from sbu.db.engine import Database
from sbu.settings import DatabaseSettings


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database(DatabaseSettings(url=f"sqlite:///{tmp_path / 'sub' / 'x.db'}"))
    try:
        with database.session() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (tmp_path / "sub").is_dir()  # the parent folder is created
    finally:
        database.dispose()


def test_two_sqlite_writers_wait_for_each_other(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    first, second = Database(DatabaseSettings(url=url)), Database(DatabaseSettings(url=url))
    try:
        with first.write_session() as session:
            session.execute(text("CREATE TABLE t (x INTEGER)"))
            session.commit()
        with first.write_session() as a:
            a.execute(text("INSERT INTO t VALUES (1)"))
            a.commit()
        with second.write_session() as b:
            b.execute(text("INSERT INTO t VALUES (2)"))
            b.commit()
        with first.session() as session:
            assert session.execute(text("SELECT count(*) FROM t")).scalar() == 2
    finally:
        first.dispose()
        second.dispose()


def test_unsupported_url_is_a_sentence() -> None:
    with pytest.raises(ConfigError, match="not supported: use sqlite"):
        Database(DatabaseSettings(url="mysql://root@localhost/sbu"))


def test_plain_postgresql_url_uses_psycopg() -> None:
    database = Database(DatabaseSettings(url="postgresql://postgres@127.0.0.1:1/none"))
    assert database.engine.dialect.driver == "psycopg"
    database.dispose()
