"""Alembic, driven from Python: ``sbu db upgrade`` and the test fixtures call this."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from sbu.db.engine import Database
from sbu.listening.search_index import is_index_table

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database.url.render_as_string(hide_password=False))
    config.attributes["engine"] = database.engine
    return config


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """What comparing the schema with the models looks at (Alembic's ``include_name``): all but
    the search index's tables, which migrations create per dialect and no model describes."""
    return not (type_ == "table" and name is not None and is_index_table(name))


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (the newest by default)."""
    command.upgrade(alembic_config(database), revision)


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(database: Database) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database)).get_current_head()


def is_up_to_date(database: Database) -> bool:
    return current_revision(database) == head_revision(database)
