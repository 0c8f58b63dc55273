"""The append-only audit log: who changed what, when, from what to what.

Service functions call :func:`record` inside the transaction of the change they make, so the
audit row and the change are committed (or rolled back) together. Nothing updates or deletes
audit rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from sbu.core.clock import Clock
from sbu.db.base import Base
from sbu.db.types import BigIntPK, JsonDoc, UtcDateTime


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who performs a change: ``kind`` is user, cli, system or api; ``name`` identifies them.

    A signed-in member also carries their member id and role, which services use for the few
    rules that depend on who acts (an SBU lead cannot make someone an administrator).
    """

    kind: str
    name: str
    member_id: int | None = None
    role: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


SYSTEM = Actor("system", "sbu")


def record(
    session: Session,
    clock: Clock,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to ``session``; it is committed with the change it describes."""
    event = AuditEvent(
        occurred_at=clock.now(),
        actor=str(actor),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
    )
    session.add(event)
    return event
