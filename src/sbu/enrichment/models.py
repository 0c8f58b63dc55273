"""Tables of the enrichment pipeline: each stage's progress and the items a stage failed on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sbu.db.base import Base
from sbu.db.types import BigIntPK, JsonDoc, UtcDateTime


class EnrichmentCursor(Base):
    """How far one stage got: every mention up to ``last_mention_id`` was processed once.

    ``gaps`` are ranges of ids below the cursor that were missing when the stage passed them
    (``[[first, last, "first seen (ISO 8601)"], ...]``): with PostgreSQL, a mention whose
    transaction commits after a later one's can appear there; the stage looks for them again
    until they appear or a grace period ends (sbu.enrichment.cursors).
    """

    __tablename__ = "enrichment_cursors"

    stage: Mapped[str] = mapped_column(String(50), primary_key=True)
    last_mention_id: Mapped[int] = mapped_column(BigInteger, default=0)
    gaps: Mapped[list[list[Any]]] = mapped_column(JsonDoc, default=list)
    #: The version of the stage's code that last moved the cursor.
    stage_version: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(BigInteger, default=0)
    failed: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EnrichmentFailure(Base):
    """A mention a stage could not process, with the error; the other items went on."""

    __tablename__ = "enrichment_failures"
    __table_args__ = (UniqueConstraint("stage", "mention_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    stage: Mapped[str] = mapped_column(String(50))
    stage_version: Mapped[int] = mapped_column(Integer)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id", ondelete="CASCADE"))
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(UtcDateTime)
