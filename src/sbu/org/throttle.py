"""Signing in with a password: throttling, lockout and the one answer for every failure.

Failures are counted per email address whether or not a member has it, so the answers never
tell which addresses exist: an unknown address, a wrong password, an inactive member and a
locked address all get :data:`FAILED`, and a locked address says it is locked only to whoever
keeps guessing it (after ``max_failures`` tries, known or not).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sbu.core import audit
from sbu.core.audit import Actor
from sbu.core.clock import Clock
from sbu.core.errors import Unauthenticated
from sbu.db.engine import Database
from sbu.org import passwords
from sbu.org.models import LoginThrottle, Member
from sbu.org.services import record_sign_in
from sbu.settings import AuthSettings

FAILED = "The email or the password is not right. Check both and try again."


def locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (
        f"Too many failed sign-ins for this email: try again in {minutes} minute"
        f"{'s' if minutes > 1 else ''}, or ask an administrator to reset the password."
    )


def clear_failures(session: Session, email: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == email.strip().lower()))


def authenticate(
    db: Database, clock: Clock, settings: AuthSettings, email: str, password: str
) -> Member:
    """Return the member, or raise Unauthenticated with a sentence that reveals nothing."""
    try:
        return _authenticate(db, clock, settings, email, password)
    except IntegrityError:  # two first failures for one address at once: the row exists now
        return _authenticate(db, clock, settings, email, password)


def _authenticate(
    db: Database, clock: Clock, settings: AuthSettings, email: str, password: str
) -> Member:
    key = email.strip().lower()[:320]
    now = clock.now()
    with db.write_session() as session:
        throttle = session.get(LoginThrottle, key)
        if (
            throttle is not None
            and throttle.locked_until is not None
            and throttle.locked_until > now
        ):
            passwords.verify_password(None, password)  # same time as a real attempt
            raise Unauthenticated(locked_message(throttle.locked_until, now))
        member = session.execute(select(Member).where(Member.email == key)).scalar_one_or_none()
        valid = passwords.verify_password(member.password_hash if member else None, password)
        if member is None or not valid or not member.active:
            throttle = throttle or LoginThrottle(key=key, failures=0)
            if throttle.last_failure_at and now - throttle.last_failure_at > timedelta(
                minutes=settings.lockout_minutes
            ):
                throttle.failures = 0
            throttle.failures += 1
            throttle.last_failure_at = now
            message = FAILED
            if throttle.failures >= settings.max_failed_logins:
                throttle.locked_until = now + timedelta(minutes=settings.lockout_minutes)
                throttle.failures = 0
                message = locked_message(throttle.locked_until, now)
                audit.record(session, clock, Actor("system", "sign-in"), "member.locked_out",
                             "email", key, after={"until": throttle.locked_until.isoformat()})  # fmt: skip
            session.merge(throttle)
            session.commit()
            raise Unauthenticated(message)
        if passwords.needs_rehash(member.password_hash or ""):
            member.password_hash = passwords.hash_password(password)
        if throttle is not None:
            session.delete(throttle)
        record_sign_in(session, clock, member, via="password")
        session.commit()
        return member
