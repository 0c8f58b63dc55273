"""Read models of the organisation and of the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from sbu.core.audit import AuditEvent
from sbu.core.errors import NotFound
from sbu.db.sql import escape_like
from sbu.org.models import ApiToken, Department, Member


def find_department(session: Session, name_or_id: str | int) -> Department:
    """A department by id or by name (case-insensitive), or NotFound with a sentence."""
    text = str(name_or_id).strip()
    department = None
    if text.isdigit():
        department = session.get(Department, int(text))
    if department is None:
        department = session.execute(
            select(Department).where(func.lower(Department.name) == text.lower())
        ).scalar_one_or_none()
    if department is None:
        msg = f"There is no department called {text!r}: check the name in the list of departments."
        raise NotFound(msg)
    return department


def find_member(session: Session, email_or_id: str | int) -> Member:
    """A member by id or by email (case-insensitive), or NotFound with a sentence."""
    text = str(email_or_id).strip()
    member = None
    if text.isdigit():
        member = session.get(Member, int(text))
    if member is None:
        member = session.execute(
            select(Member).where(Member.email == text.lower())
        ).scalar_one_or_none()
    if member is None:
        msg = f"There is no member with the email {text!r}: check it in the list of members."
        raise NotFound(msg)
    return member


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    department: Department
    parent_name: str | None
    members: int


def list_departments(session: Session, *, include_inactive: bool = True) -> list[DepartmentRow]:
    counts = dict(
        session.execute(
            select(Member.department_id, func.count())
            .where(Member.active)
            .group_by(Member.department_id)
        ).all()
    )
    departments = list(session.execute(select(Department).order_by(Department.name)).scalars())
    names = {d.id: d.name for d in departments}
    return [
        DepartmentRow(d, names.get(d.parent_id) if d.parent_id else None, counts.get(d.id, 0))
        for d in departments
        if include_inactive or d.active
    ]


@dataclass(frozen=True, slots=True)
class MemberRow:
    member: Member
    department_name: str | None


def list_members(
    session: Session,
    *,
    department_id: int | None = None,
    role: str | None = None,
    active: bool | None = None,
    q: str | None = None,
) -> list[MemberRow]:
    query = select(Member, Department.name).outerjoin(
        Department, Department.id == Member.department_id
    )
    if department_id is not None:
        query = query.where(Member.department_id == department_id)
    if role:
        query = query.where(Member.role == role)
    if active is not None:
        query = query.where(Member.active.is_(active))
    if q:
        needle = f"%{escape_like(q.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(Member.name).like(needle, escape="\\"),
                Member.email.like(needle, escape="\\"),
            )
        )
    return [MemberRow(m, name) for m, name in session.execute(query.order_by(Member.name)).all()]


def tokens_of(session: Session, member_id: int | None = None) -> list[tuple[ApiToken, str]]:
    """Tokens (of one member, or of all), newest first, with the owner's email."""
    query = select(ApiToken, Member.email).join(Member, Member.id == ApiToken.member_id)
    if member_id is not None:
        query = query.where(ApiToken.member_id == member_id)
    return [
        (t, email)
        for t, email in session.execute(
            query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        ).all()
    ]


@dataclass(frozen=True, slots=True)
class AuditFilters:
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _audit_query(filters: AuditFilters) -> Select[AuditEvent]:
    query = select(AuditEvent)
    if filters.actor:
        query = query.where(AuditEvent.actor.like(f"%{escape_like(filters.actor)}%", escape="\\"))
    if filters.action:
        query = query.where(AuditEvent.action.like(f"{escape_like(filters.action)}%", escape="\\"))
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.since is not None:
        query = query.where(AuditEvent.occurred_at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEvent.occurred_at < filters.until)
    return query


@dataclass(frozen=True, slots=True)
class AuditPage:
    events: list[AuditEvent]
    #: Pass as ``before`` for the next (older) page.
    older: int | None


def audit_page(
    session: Session, filters: AuditFilters, *, limit: int = 50, before: int | None = None
) -> AuditPage:
    """Newest first, keyset-paginated on the event id."""
    query = _audit_query(filters)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    events = list(session.execute(query.order_by(AuditEvent.id.desc()).limit(limit + 1)).scalars())
    older = events[limit - 1].id if len(events) > limit else None
    return AuditPage(events[:limit], older)


def audit_actions(session: Session) -> list[str]:
    return list(
        session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars()
    )


def iter_audit(session: Session, filters: AuditFilters, batch: int = 1000) -> Iterator[AuditEvent]:
    """Every matching event, oldest first (for the export)."""
    last = 0
    while True:
        chunk = list(
            session.execute(
                _audit_query(filters)
                .where(AuditEvent.id > last)
                .order_by(AuditEvent.id)
                .limit(batch)
            ).scalars()
        )
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].id
