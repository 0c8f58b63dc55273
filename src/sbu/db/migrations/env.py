"""Alembic environment: runs migrations on the engine sbu built (see sbu.db.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from sbu.db.base import Base, import_all_models
from sbu.db.migrate import include_name

import_all_models()
config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
