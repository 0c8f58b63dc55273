"""Tables of the organisation: departments, members, API tokens and login throttling."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sbu.db.base import Base
from sbu.db.types import BigIntPK, JsonDoc, UtcDateTime


class Department(Base):
    """A team of the company: the SBU itself, a business unit, or a control function."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: What the department does (see sbu.org.roles.DEPARTMENT_KINDS): sbu, care, marketing...
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    headcount: Mapped[int] = mapped_column(Integer, default=0)
    customer_facing_headcount: Mapped[int] = mapped_column(Integer, default=0)
    #: IANA time zone of the business hours, e.g. Europe/Paris.
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    #: {"mon": [["09:00", "18:00"]], ...}: opening intervals per weekday (used by SLAs).
    business_hours: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    #: ["2026-12-25", ...]: days the department is closed.
    holidays: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Member(Base):
    """A person who uses sbu: signs in with an email and a password, has a role."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: argon2id hash; None until a password is set (the member cannot sign in yet).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: Set after an admin reset: the member must choose a new password at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bumped to end every session of the member (password change, reset, deactivation).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApiToken(Base):
    """A personal token for the JSON API. Only its SHA-256 is stored; it is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: The first characters of the token, to recognise it in lists ("sbu_Ab3x…").
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Subset of read, write, admin.
    scopes: Mapped[list[str]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LoginThrottle(Base):
    """Failed sign-ins per email address (known or not), for throttling and lockout."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)
