"""API tokens: create (shown once), revoke, and authenticate a request's bearer token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from sbu.core import audit
from sbu.core.audit import Actor
from sbu.core.clock import Clock
from sbu.core.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from sbu.db.engine import Database
from sbu.org.models import ApiToken, Member
from sbu.org.roles import Permission, Role, allows
from sbu.org.services import token_expiry
from sbu.org.tokens import SCOPES, SHOWN_PREFIX, looks_like_token, new_token, token_hash

#: last_used_at is written at most this often per token (not on every request).
LAST_USED_PRECISION = timedelta(minutes=1)


def token_snapshot(token: ApiToken) -> dict[str, Any]:
    return {
        "name": token.name, "member_id": token.member_id, "prefix": token.prefix,
        "scopes": token.scopes,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked": token.revoked_at is not None,
    }  # fmt: skip


def _check_owner(actor: Actor, member_id: int) -> None:
    """Members manage their own tokens; other members' tokens need tokens.manage_all."""
    if actor.role is None:  # the command line acts as the local administrator
        return
    needed = (
        Permission.SELF_MANAGE if actor.member_id == member_id else Permission.TOKENS_MANAGE_ALL
    )
    if not allows(actor.role, needed):
        msg = "You may manage only your own API tokens: ask an administrator for the others."
        raise Forbidden(msg)


def create_token(
    db: Database,
    clock: Clock,
    actor: Actor,
    member_id: int,
    *,
    name: str,
    scopes: list[str],
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for a member; returns it with its value, which is never stored."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        msg = "Give the token a name of 1 to 100 characters (what it is for, e.g. 'BI export')."
        raise InvalidInput(msg)
    wanted = sorted(set(scopes))
    if not wanted or not set(wanted) <= set(SCOPES):
        msg = f"Choose the token's scopes among {', '.join(SCOPES)}."
        raise InvalidInput(msg)
    _check_owner(actor, member_id)
    with db.write_session() as session:
        member = session.get(Member, member_id)
        if member is None or not member.active:
            msg = f"There is no active member {member_id}."
            raise NotFound(msg)
        if "admin" in wanted and member.role != Role.ADMIN and member.role != Role.SBU_LEAD:
            msg = "Only administrators and SBU leads can have tokens with the admin scope."
            raise Forbidden(msg)
        if days == 0 and member.role != Role.ADMIN:
            msg = "Only administrators can create tokens that never expire."
            raise Forbidden(msg)
        value = new_token()
        token = ApiToken(
            member_id=member.id, name=name, prefix=value[:SHOWN_PREFIX],
            token_hash=token_hash(value), scopes=wanted, created_at=clock.now(),
            expires_at=token_expiry(clock, days),
        )  # fmt: skip
        session.add(token)
        session.flush()
        audit.record(session, clock, actor, "token.created", "api_token", token.id,
                     after=token_snapshot(token))  # fmt: skip
        session.commit()
        return token, value


def revoke_token(db: Database, clock: Clock, actor: Actor, token_id: int) -> ApiToken:
    with db.write_session() as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            msg = f"There is no API token {token_id}."
            raise NotFound(msg)
        _check_owner(actor, token.member_id)
        if token.revoked_at is None:
            before = token_snapshot(token)
            token.revoked_at = clock.now()
            audit.record(session, clock, actor, "token.revoked", "api_token", token.id,
                         before=before, after=token_snapshot(token))  # fmt: skip
            session.commit()
        return token


def authenticate_token(db: Database, clock: Clock, value: str) -> tuple[Member, ApiToken]:
    """The member and token of a bearer token, or Unauthenticated with a sentence."""
    if not looks_like_token(value):
        msg = "The API token is malformed: send 'Authorization: Bearer sbu_...' with a token from your profile."
        raise Unauthenticated(msg)
    now = clock.now()
    with db.session() as session:
        token = session.execute(
            select(ApiToken).where(ApiToken.token_hash == token_hash(value))
        ).scalar_one_or_none()
        if token is None:
            msg = "The API token is unknown: create one in your profile or with `sbu token create`."
            raise Unauthenticated(msg)
        if token.revoked_at is not None:
            msg = "The API token was revoked: create a new one in your profile."
            raise Unauthenticated(msg)
        if token.expires_at is not None and token.expires_at <= now:
            msg = f"The API token expired on {token.expires_at:%Y-%m-%d}: create a new one in your profile."
            raise Unauthenticated(msg)
        member = session.get(Member, token.member_id)
        if member is None or not member.active:
            msg = "The API token belongs to a deactivated member: ask an administrator."
            raise Unauthenticated(msg)
        stale = token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION
        token_id = token.id
    if stale:
        with db.write_session() as session:
            stored = session.get(ApiToken, token_id)
            if stored is not None:
                stored.last_used_at = now
                session.commit()
    return member, token
