"""Request and response models of the organisation's API: me, departments, members, tokens,
audit events. Builders turn the org tables (sbu.org.models) into these."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sbu.core.audit import AuditEvent
from sbu.org.models import ApiToken, Department, Member
from sbu.org.queries import DepartmentRow, MemberRow

RoleName = Literal["admin", "sbu_lead", "agent", "analyst", "viewer"]
Scope = Literal["read", "write", "admin"]
Hours = dict[str, list[list[str]]]


class Strict(BaseModel):
    """Request bodies refuse unknown fields (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid")


class MeOut(BaseModel):
    id: int
    name: str
    email: str
    role: RoleName
    department_id: int | None
    language: str | None = Field(description="Preferred UI language (en, fr), or null.")
    last_login_at: datetime | None
    permissions: list[str] = Field(description="What the role allows (sbu.org.roles).")
    via: Literal["session", "token"] = Field(description="How this request was authenticated.")
    scopes: list[Scope] | None = Field(description="The API token's scopes; null for a session.")


class MePatch(Strict):
    name: str | None = Field(default=None, max_length=200)
    language: Literal["en", "fr", ""] | None = Field(
        default=None, description='Preferred UI language; "" follows the browser.'
    )


class DepartmentOut(BaseModel):
    id: int
    name: str
    kind: str = Field(description="sbu, care, marketing, pr, sales, hr, product, legal, it...")
    parent_id: int | None
    parent_name: str | None
    headcount: int
    customer_facing_headcount: int
    timezone: str = Field(description="IANA time zone of the business hours.")
    business_hours: Hours = Field(
        description='Opening intervals per weekday: {"mon": [["09:00", "18:00"]], ...}.'
    )
    holidays: list[str] = Field(description="Days the department is closed (YYYY-MM-DD).")
    active: bool
    members: int = Field(description="Active members in the department.")
    created_at: datetime
    updated_at: datetime


class DepartmentFields(Strict):
    parent_id: int | None = None
    headcount: int | None = Field(default=None, ge=0)
    customer_facing_headcount: int | None = Field(default=None, ge=0)
    timezone: str | None = Field(default=None, max_length=64)
    business_hours: Hours | None = None
    holidays: list[str] | None = Field(default=None, max_length=1000)
    active: bool | None = None


class DepartmentIn(DepartmentFields):
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)


class DepartmentPatch(DepartmentFields):
    name: str | None = Field(default=None, max_length=100)
    kind: str | None = Field(default=None, max_length=20)


class MemberOut(BaseModel):
    id: int
    name: str
    email: str
    department_id: int | None
    department_name: str | None
    role: RoleName
    active: bool
    must_change_password: bool
    last_login_at: datetime | None
    created_at: datetime


class MemberIn(Strict):
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    role: RoleName
    department_id: int | None = None


class MemberPatch(Strict):
    name: str | None = Field(default=None, max_length=200)
    department_id: int | None = Field(default=None, description="null: no department.")
    role: RoleName | None = None
    active: bool | None = None


class PasswordResetOut(BaseModel):
    member_id: int
    one_time_password: str = Field(
        description="Shown once: the member signs in with it and must then choose a new one."
    )


class TokenOut(BaseModel):
    id: int
    member_id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    scopes: list[Scope]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Strict):
    name: str = Field(max_length=100)
    scopes: list[Scope] = Field(min_length=1, max_length=3)
    days: int | None = Field(
        default=None, ge=0, le=366,
        description="Lifetime in days (default 90); 0 never expires (administrators only).",
    )  # fmt: skip


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself: shown once, never stored by sbu.")


class AuditEventOut(BaseModel):
    id: int
    occurred_at: datetime
    actor: str = Field(description="kind:name, e.g. user:ana@example.com or cli:root.")
    action: str = Field(description="e.g. member.created, department.updated, token.revoked.")
    object_type: str
    object_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPageOut(BaseModel):
    items: list[AuditEventOut]
    next: int | None = Field(
        description="Send as `before` for the next (older) page; null at the end."
    )


def department_out(row: DepartmentRow) -> DepartmentOut:
    d: Department = row.department
    return DepartmentOut(
        id=d.id, name=d.name, kind=d.kind, parent_id=d.parent_id, parent_name=row.parent_name,
        headcount=d.headcount, customer_facing_headcount=d.customer_facing_headcount,
        timezone=d.timezone, business_hours=d.business_hours, holidays=d.holidays,
        active=d.active, members=row.members, created_at=d.created_at, updated_at=d.updated_at,
    )  # fmt: skip


def member_out(row: MemberRow) -> MemberOut:
    m: Member = row.member
    return MemberOut(
        id=m.id, name=m.name, email=m.email, department_id=m.department_id,
        department_name=row.department_name, role=m.role,
        active=m.active, must_change_password=m.must_change_password,
        last_login_at=m.last_login_at, created_at=m.created_at,
    )  # fmt: skip


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.id, member_id=token.member_id, name=token.name, prefix=token.prefix,
        scopes=token.scopes,
        created_at=token.created_at, expires_at=token.expires_at,
        last_used_at=token.last_used_at, revoked_at=token.revoked_at,
    )  # fmt: skip


def audit_event_out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        id=event.id, occurred_at=event.occurred_at, actor=event.actor, action=event.action,
        object_type=event.object_type, object_id=event.object_id, before=event.before,
        after=event.after,
    )  # fmt: skip
