"""Shared fixtures: real SQLite and PostgreSQL databases, a fixed clock, a built app.

PostgreSQL runs when SBU_TEST_DATABASE_URL is set; NATS when SBU_TEST_NATS_URL is set; the browser
tests when /usr/bin/chromium exists. SBU_TEST_REQUIRE=postgres,nats,browser,shared (as CI sets it)
turns each missing one into a failure instead of a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sbu.bootstrap import App, build
from sbu.core.clock import FixedClock
from sbu.db.base import Base, import_all_models
from sbu.db.engine import Database
from sbu.db.migrate import upgrade
from sbu.settings import DatabaseSettings, Settings

REQUIRED = {
    part.strip() for part in os.environ.get("SBU_TEST_REQUIRE", "").split(",") if part.strip()
}
PG_URL = os.environ.get("SBU_TEST_DATABASE_URL")
NATS_URL = os.environ.get("SBU_TEST_NATS_URL")
SHARED_DATA = Path(
    os.environ.get("SBU_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def require_or_skip(what: str, reason: str) -> None:
    """Skip, or fail when CI requires ``what`` (postgres, nats, browser, shared)."""
    if what in REQUIRED:
        pytest.fail(f"{reason} (required by SBU_TEST_REQUIRE={','.join(sorted(REQUIRED))})")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data: real payload samples; absent in a user's clone."""
    if not SHARED_DATA.is_dir():
        require_or_skip("shared", f"{SHARED_DATA} is not here")
    return SHARED_DATA


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, copied for each test (migrating once is much faster)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(DatabaseSettings(url=f"sqlite:///{path}"))
    upgrade(database)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    if not PG_URL:
        require_or_skip("postgres", "SBU_TEST_DATABASE_URL is not set")
    assert PG_URL is not None
    url = make_url(PG_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    rendered = url.render_as_string(hide_password=False)
    database = Database(DatabaseSettings(url=rendered))
    upgrade(database)
    database.dispose()
    return rendered


def _truncate_postgres(url: str) -> None:
    import_all_models()
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated database: each test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "sbu.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated SQLite database only (for tests that are not about storage)."""
    path = tmp_path / "sbu.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def make_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "data_dir": tmp_path,
        "database": {"url": database_url},
        "web": {"secret_key": "test-secret-key-that-is-long-enough-0123456789"},
        "credentials": {"key": "test-credentials-key-that-is-long-enough-0123"},
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(database_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    """The built application on SQLite and on PostgreSQL."""
    built = build(make_settings(database_url, tmp_path), clock=clock)
    yield built
    built.close()


@pytest.fixture
def sqlite_app(sqlite_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    """The built application on SQLite only."""
    built = build(make_settings(sqlite_url, tmp_path), clock=clock)
    yield built
    built.close()
