"""Migrations run unchanged on SQLite and PostgreSQL and match the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from sbu.db.base import Base, import_all_models
from sbu.db.engine import Database
from sbu.db.migrate import current_revision, head_revision, include_name, is_up_to_date, upgrade
from sbu.settings import DatabaseSettings


def test_upgrade_creates_every_table_and_is_idempotent(database_url: str) -> None:
    database = Database(DatabaseSettings(url=database_url))
    try:
        assert is_up_to_date(database)
        upgrade(database)  # a second run changes nothing
        assert current_revision(database) == head_revision(database)
        tables = set(inspect(database.engine).get_table_names())
        import_all_models()
        assert set(Base.metadata.tables) <= tables
    finally:
        database.dispose()


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    """A model changed without a migration makes this test fail."""
    import_all_models()
    database = Database(DatabaseSettings(url=database_url))
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name}
            )
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        database.dispose()


def test_an_empty_database_is_not_up_to_date(tmp_path: Path) -> None:
    database = Database(DatabaseSettings(url=f"sqlite:///{tmp_path / 'empty.db'}"))
    try:
        assert current_revision(database) is None
        assert not is_up_to_date(database)
        upgrade(database)
        assert is_up_to_date(database)
    finally:
        database.dispose()
