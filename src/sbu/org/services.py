"""Write functions of the organisation: each validates, changes, audits and commits."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sbu.core import audit
from sbu.core.audit import Actor
from sbu.core.clock import Clock
from sbu.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sbu.db.engine import Database
from sbu.org import passwords
from sbu.org.models import Department, Member
from sbu.org.roles import DEPARTMENT_KINDS, Permission, Role, allows, can_manage_member

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DEFAULT_HOURS: dict[str, list[list[str]]] = {
    day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}
DEPARTMENT_FIELDS = frozenset(
    {"name", "kind", "parent_id", "headcount", "customer_facing_headcount", "timezone",
     "business_hours", "holidays", "active"}
)  # fmt: skip


# -- snapshots (for the audit log) -----------------------------------------------------------


def department_snapshot(d: Department) -> dict[str, Any]:
    return {
        "name": d.name, "kind": d.kind, "parent_id": d.parent_id, "headcount": d.headcount,
        "customer_facing_headcount": d.customer_facing_headcount, "timezone": d.timezone,
        "business_hours": d.business_hours, "holidays": d.holidays, "active": d.active,
    }  # fmt: skip


def member_snapshot(m: Member) -> dict[str, Any]:
    """What the audit log keeps of a member: never the password hash."""
    return {
        "name": m.name, "email": m.email, "department_id": m.department_id, "role": m.role,
        "active": m.active, "must_change_password": m.must_change_password,
    }  # fmt: skip


# -- validation ------------------------------------------------------------------------------


def clean_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not EMAIL.match(cleaned) or len(cleaned) > 320:
        msg = f"{email!r} is not an email address: write it as name@example.com."
        raise InvalidInput(msg)
    return cleaned


def clean_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        msg = f"The role {role!r} does not exist: use one of {known}."
        raise InvalidInput(msg) from None


def clean_business_hours(hours: dict[str, Any]) -> dict[str, list[list[str]]]:
    cleaned: dict[str, list[list[str]]] = {}
    for day, intervals in hours.items():
        if day not in WEEKDAYS:
            msg = f"{day!r} is not a weekday: use {', '.join(WEEKDAYS)}."
            raise InvalidInput(msg)
        if not isinstance(intervals, list):
            msg = f"The hours of {day} must be a list of [start, end] intervals."
            raise InvalidInput(msg)
        for interval in intervals:
            if (
                not isinstance(interval, list | tuple)
                or len(interval) != 2
                or not all(isinstance(t, str) and TIME.match(t) for t in interval)
                or interval[0] >= interval[1]
            ):
                msg = (
                    f'The hours {interval!r} of {day} must be ["HH:MM", "HH:MM"], start before end.'
                )
                raise InvalidInput(msg)
        cleaned[day] = [list(i) for i in sorted(intervals)]
    return cleaned


def clean_holidays(holidays: list[str]) -> list[str]:
    cleaned = []
    for value in holidays:
        try:
            cleaned.append(datetime.strptime(value, "%Y-%m-%d").date().isoformat())  # noqa: DTZ007
        except (TypeError, ValueError):
            msg = f"The holiday {value!r} is not a date written YYYY-MM-DD."
            raise InvalidInput(msg) from None
    return sorted(set(cleaned))


def _require(actor: Actor, permission: Permission) -> None:
    """Refuse a signed-in member whose role lacks ``permission`` (the CLI has no role)."""
    if actor.role is not None and not allows(actor.role, permission):
        msg = "Your role does not allow this change: ask an administrator or an SBU lead."
        raise Forbidden(msg)


def _clean_department_fields(
    session: Session, values: dict[str, Any], department_id: int | None
) -> dict[str, Any]:
    unknown = set(values) - DEPARTMENT_FIELDS
    if unknown:
        msg = f"A department has no field {', '.join(sorted(unknown))}."
        raise InvalidInput(msg)
    cleaned = dict(values)
    if "name" in cleaned:
        name = str(cleaned["name"]).strip()
        if not 1 <= len(name) <= 100:
            msg = "A department needs a name of 1 to 100 characters."
            raise InvalidInput(msg)
        taken = session.execute(
            select(Department.id).where(func.lower(Department.name) == name.lower())
        ).scalar()
        if taken is not None and taken != department_id:
            msg = f"A department called {name!r} already exists."
            raise Conflict(msg)
        cleaned["name"] = name
    if "kind" in cleaned and cleaned["kind"] not in DEPARTMENT_KINDS:
        msg = f"The kind {cleaned['kind']!r} is unknown: use one of {', '.join(DEPARTMENT_KINDS)}."
        raise InvalidInput(msg)
    for field in ("headcount", "customer_facing_headcount"):
        if field in cleaned and (not isinstance(cleaned[field], int) or cleaned[field] < 0):
            msg = f"The {field.replace('_', ' ')} must be a whole number of at least 0."
            raise InvalidInput(msg)
    if "timezone" in cleaned:
        try:
            ZoneInfo(str(cleaned["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            msg = f"The time zone {cleaned['timezone']!r} is unknown: use a name such as Europe/Paris."
            raise InvalidInput(msg) from None
    if "business_hours" in cleaned:
        cleaned["business_hours"] = clean_business_hours(cleaned["business_hours"] or {})
    if "holidays" in cleaned:
        cleaned["holidays"] = clean_holidays(cleaned["holidays"] or [])
    if cleaned.get("parent_id") is not None:
        parent_id = int(cleaned["parent_id"])
        if session.get(Department, parent_id) is None:
            msg = f"There is no department {parent_id} to be the parent."
            raise InvalidInput(msg)
        ancestor: int | None = parent_id
        while ancestor is not None:  # refuse cycles
            if ancestor == department_id:
                msg = "A department cannot be inside itself or one of its sub-departments."
                raise InvalidInput(msg)
            parent = session.get(Department, ancestor)
            ancestor = parent.parent_id if parent else None
    return cleaned


# -- departments -------------------------------------------------------------------------------


def create_department(
    db: Database, clock: Clock, actor: Actor, *, name: str, kind: str, **fields: Any
) -> Department:
    """Create a department (business hours default to Monday-Friday 09:00-18:00)."""
    _require(actor, Permission.DEPARTMENTS_MANAGE)
    now = clock.now()
    with db.write_session() as session:
        values = _clean_department_fields(session, {"name": name, "kind": kind, **fields}, None)
        values.setdefault("business_hours", DEFAULT_HOURS)
        values.setdefault("holidays", [])
        values.setdefault("headcount", 0)
        values.setdefault("customer_facing_headcount", 0)
        values.setdefault("timezone", "Europe/Paris")
        values.setdefault("active", True)
        department = Department(created_at=now, updated_at=now, **values)
        session.add(department)
        session.flush()
        audit.record(session, clock, actor, "department.created", "department", department.id,
                     after=department_snapshot(department))  # fmt: skip
        session.commit()
        return department


def update_department(
    db: Database, clock: Clock, actor: Actor, department_id: int, **fields: Any
) -> Department:
    _require(actor, Permission.DEPARTMENTS_MANAGE)
    with db.write_session() as session:
        department = session.get(Department, department_id)
        if department is None:
            msg = f"There is no department {department_id}."
            raise NotFound(msg)
        before = department_snapshot(department)
        for key, value in _clean_department_fields(session, fields, department_id).items():
            setattr(department, key, value)
        department.updated_at = clock.now()
        audit.record(session, clock, actor, "department.updated", "department", department.id,
                     before=before, after=department_snapshot(department))  # fmt: skip
        session.commit()
        return department


# -- members ---------------------------------------------------------------------------------


def _check_role_change(actor: Actor, role: str) -> None:
    _require(actor, Permission.MEMBERS_MANAGE)
    if actor.role is not None and not can_manage_member(actor.role, role):
        msg = "Only an administrator can give or change the administrator role."
        raise Forbidden(msg)


def create_member(
    db: Database,
    clock: Clock,
    actor: Actor,
    *,
    name: str,
    email: str,
    role: str,
    department_id: int | None = None,
    password: str | None = None,
    must_change_password: bool = False,
) -> Member:
    """Create a member; without a password they cannot sign in until one is set or reset."""
    role_value = clean_role(role)
    _check_role_change(actor, role_value)
    email_value = clean_email(email)
    name = name.strip()
    if not 1 <= len(name) <= 200:
        msg = "A member needs a name of 1 to 200 characters."
        raise InvalidInput(msg)
    if password is not None:
        passwords.check_password_rules(password, email=email_value, name=name)
    now = clock.now()
    with db.write_session() as session:
        if session.execute(select(Member.id).where(Member.email == email_value)).first():
            msg = f"A member with the email {email_value} already exists."
            raise Conflict(msg)
        if department_id is not None and session.get(Department, department_id) is None:
            msg = f"There is no department {department_id}."
            raise InvalidInput(msg)
        member = Member(
            name=name, email=email_value, role=role_value.value, department_id=department_id,
            active=True, password_hash=passwords.hash_password(password) if password else None,
            must_change_password=must_change_password, session_epoch=0, created_at=now,
            updated_at=now,
        )  # fmt: skip
        session.add(member)
        session.flush()
        audit.record(session, clock, actor, "member.created", "member", member.id,
                     after=member_snapshot(member))  # fmt: skip
        session.commit()
        return member


def update_member(
    db: Database,
    clock: Clock,
    actor: Actor,
    member_id: int,
    *,
    name: str | None = None,
    department_id: int | object | None = ...,
    role: str | None = None,
    active: bool | None = None,
    language: str | None = None,
) -> Member:
    """Change a member; deactivating or changing the role ends their sessions.

    Members may change their own name and language (their profile); everything else needs
    the right to manage members.
    """
    with db.write_session() as session:
        member = _member(session, member_id)
        own_profile = actor.member_id == member.id and (role, active) == (None, None)
        if own_profile and department_id is ...:
            _require(actor, Permission.SELF_MANAGE)
        else:
            _check_role_change(actor, member.role)
        before = member_snapshot(member)
        if name is not None:
            if not 1 <= len(name.strip()) <= 200:
                msg = "A member needs a name of 1 to 200 characters."
                raise InvalidInput(msg)
            member.name = name.strip()
        if department_id is not ...:
            if department_id is not None and session.get(Department, department_id) is None:
                msg = f"There is no department {department_id}."
                raise InvalidInput(msg)
            member.department_id = department_id  # type: ignore[assignment]
        end_sessions = False
        if role is not None:
            new_role = clean_role(role)
            _check_role_change(actor, new_role)
            if new_role != member.role:
                _keep_an_admin(session, member, new_role=new_role)
                member.role, end_sessions = new_role.value, True
        if active is not None and active != member.active:
            if not active:
                if actor.member_id == member.id:
                    msg = "You cannot deactivate yourself: ask another administrator."
                    raise InvalidInput(msg)
                _keep_an_admin(session, member, new_active=False)
            member.active, end_sessions = active, True
        if language is not None:
            member.language = language
        if end_sessions:
            member.session_epoch += 1
        member.updated_at = clock.now()
        audit.record(session, clock, actor, "member.updated", "member", member.id,
                     before=before, after=member_snapshot(member))  # fmt: skip
        session.commit()
        return member


def _keep_an_admin(
    session: Session, member: Member, *, new_role: str | None = None, new_active: bool = True
) -> None:
    if not member.active or member.role != Role.ADMIN:
        return
    if new_role in (None, Role.ADMIN) and new_active:
        return
    admins = session.execute(
        select(func.count()).select_from(Member).where(Member.role == Role.ADMIN, Member.active)
    ).scalar_one()
    if admins <= 1:
        msg = "This is the last active administrator: make someone else administrator first."
        raise InvalidInput(msg)


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        msg = f"There is no member {member_id}."
        raise NotFound(msg)
    return member


def change_password(
    db: Database, clock: Clock, actor: Actor, member_id: int, *, current: str, new: str
) -> Member:
    """A member changes their own password; their other sessions end."""
    with db.write_session() as session:
        member = _member(session, member_id)
        if not passwords.verify_password(member.password_hash, current):
            msg = "The current password is not right."
            raise InvalidInput(msg)
        passwords.check_password_rules(new, email=member.email, name=member.name)
        if passwords.verify_password(member.password_hash, new):
            msg = "The new password must differ from the current one."
            raise InvalidInput(msg)
        before = member_snapshot(member)
        member.password_hash = passwords.hash_password(new)
        member.must_change_password = False
        member.session_epoch += 1
        member.updated_at = clock.now()
        audit.record(session, clock, actor, "member.password_changed", "member", member.id,
                     before=before, after=member_snapshot(member))  # fmt: skip
        session.commit()
        return member


def reset_password(db: Database, clock: Clock, actor: Actor, member_id: int) -> str:
    """An administrator resets a password: returns a one-time password, shown once.

    The member must choose a new password at the next sign-in; their sessions end and any
    lockout is lifted.
    """
    from sbu.org.throttle import clear_failures

    temporary = passwords.generate_password()
    with db.write_session() as session:
        member = _member(session, member_id)
        _check_role_change(actor, member.role)
        before = member_snapshot(member)
        member.password_hash = passwords.hash_password(temporary)
        member.must_change_password = True
        member.session_epoch += 1
        member.updated_at = clock.now()
        clear_failures(session, member.email)
        audit.record(session, clock, actor, "member.password_reset", "member", member.id,
                     before=before, after=member_snapshot(member))  # fmt: skip
        session.commit()
    return temporary


def ensure_first_admin(
    db: Database, clock: Clock, actor: Actor, *, email: str, name: str = "Administrator"
) -> tuple[Member, str] | None:
    """Create an administrator with a generated password when there is none; else None."""
    with db.session() as session:
        exists = session.execute(select(Member.id).where(Member.role == Role.ADMIN)).first()
    if exists:
        return None
    password = passwords.generate_password()
    member = create_member(
        db, clock, actor, name=name, email=email, role=Role.ADMIN, password=password,
        must_change_password=True,
    )  # fmt: skip
    return member, password


def record_sign_in(session: Session, clock: Clock, member: Member, *, via: str) -> None:
    member.last_login_at = clock.now()
    audit.record(session, clock, Actor("user", member.email, member.id, member.role),
                 "member.signed_in", "member", member.id, after={"via": via})  # fmt: skip


DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 366


def token_expiry(clock: Clock, days: int | None) -> datetime | None:
    if days is None:
        return clock.now() + timedelta(days=DEFAULT_TOKEN_DAYS)
    if days == 0:
        return None
    if not 1 <= days <= MAX_TOKEN_DAYS:
        msg = f"A token lives 1 to {MAX_TOKEN_DAYS} days (or 0 for no expiry, admins only)."
        raise InvalidInput(msg)
    return clock.now() + timedelta(days=days)
