"""The declarative base and the one MetaData, with a naming convention for constraints.

Named constraints let Alembic's batch mode alter SQLite tables exactly as it alters PostgreSQL.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Table of a mapped class (typed, for Core statements and bulk writes)."""
    return cast(Table, model.__table__)


def import_all_models() -> None:
    """Import every module that declares tables, so ``Base.metadata`` knows them all."""
    from sbu.core import audit  # noqa: F401
    from sbu.enrichment import models as enrichment_models  # noqa: F401
    from sbu.listening import models, topic_models  # noqa: F401
    from sbu.org import models as org_models  # noqa: F401
