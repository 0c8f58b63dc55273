"""Engines and sessions. SQLite runs in WAL mode with foreign keys on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from sbu.core.errors import ConfigError
from sbu.settings import DatabaseSettings


class SerializedJson(str):
    """A JSON document already serialised by the caller; stored as is in JSON columns.

    The ingest service serialises raw payloads once (it must inspect them anyway) and hands
    the text over wrapped in this type, so SQLAlchemy does not serialise them a second time.
    """

    __slots__ = ()


def _json_dumps(value: Any) -> str:
    if isinstance(value, SerializedJson):
        return str.__str__(value)
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


class Database:
    """One engine and its session factory."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self.settings = settings
        self.url = make_url(settings.url)
        self.engine = _create_engine(settings)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        # Writers take SQLite's write lock when they begin (BEGIN IMMEDIATE), so two writers
        # queue on busy_timeout instead of failing when one upgrades a read to a write.
        self._write_sessionmaker = sessionmaker(
            self.engine.execution_options(sbu_immediate=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading (and small writes); the caller commits; rolled back on error."""
        with self.sessionmaker() as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session that writes: on SQLite it holds the write lock from its first statement."""
        with self._write_sessionmaker() as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def _create_engine(settings: DatabaseSettings) -> Engine:
    url = make_url(settings.url)
    kwargs: dict[str, Any] = {
        "echo": settings.echo,
        "json_serializer": _json_dumps,
        "json_deserializer": orjson.loads,
    }
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            parent = Path(database).expanduser().resolve().parent
            if not parent.exists():
                parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
        engine = create_engine(url, **kwargs)
        _install_sqlite_pragmas(engine, settings.sqlite_cache_mb)
        return engine
    if url.get_backend_name() == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        kwargs["pool_size"] = settings.pool_size
        kwargs["pool_pre_ping"] = True
        try:
            return create_engine(url, **kwargs)
        except ModuleNotFoundError as exc:
            msg = (
                "PostgreSQL needs the psycopg driver: install it with "
                "`pip install 'sbu[postgres]'` and try again."
            )
            raise ConfigError(msg) from exc
    msg = (
        f"The database URL {url.render_as_string(hide_password=True)!r} is not supported: "
        "use sqlite:///path/to/file.db or postgresql+psycopg://user@host/dbname."
    )
    raise ConfigError(msg)


def _install_sqlite_pragmas(engine: Engine, cache_mb: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (needed for SAVEPOINT
        # and for BEGIN IMMEDIATE-free writes under WAL).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA cache_size=-{cache_mb * 1024}")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sbu_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
