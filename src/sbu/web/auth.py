"""Who is asking: the signed session cookie, API bearer tokens, and CSRF tokens.

A browser signs in once (``/login``) and then carries one cookie, ``sbu_session``, signed with
SBU_WEB__SECRET_KEY (itsdangerous): the member id, the member's session epoch (bumped to end
every session at once: password change or reset, deactivation, role change), the CSRF token,
and the time it was issued. The cookie is HttpOnly, SameSite=Lax, and Secure when the request
came over https (or always/never, SBU_AUTH__SECURE_COOKIES). Before signing in, the cookie holds
only a CSRF token, so the sign-in form is protected too.

A script calls the API with ``Authorization: Bearer sbu_...`` (a personal API token); such
requests carry no cookie, so CSRF does not apply to them.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.core.errors import Unauthenticated
from sbu.org.api_tokens import authenticate_token
from sbu.org.models import Member

COOKIE = "sbu_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SALT = "sbu.session.v1"


@dataclass(frozen=True, slots=True)
class Principal:
    """The member behind a request and how they proved it."""

    member_id: int
    email: str
    name: str
    role: str
    department_id: int | None
    #: "session" (browser cookie) or "token" (API bearer token).
    via: str
    #: The scopes of the API token; None for a browser session (the role alone decides).
    scopes: frozenset[str] | None
    must_change_password: bool
    language: str | None

    @property
    def actor(self) -> Actor:
        return Actor("user", self.email, self.member_id, self.role)


@dataclass(frozen=True, slots=True)
class SessionData:
    member_id: int | None
    epoch: int
    csrf: str


class SessionCodec:
    """Signs and reads the session cookie."""

    def __init__(self, app: App) -> None:
        self.max_age = app.settings.auth.session_hours * 3600
        self.secure = app.settings.auth.secure_cookies
        self._serializer = URLSafeTimedSerializer(
            app.settings.web.secret_key.get_secret_value(), salt=_SALT
        )

    def read(self, connection: HTTPConnection) -> SessionData | None:
        raw = connection.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data: dict[str, Any] = self._serializer.loads(raw, max_age=self.max_age)
        except BadSignature:  # also expired (SignatureExpired is a BadSignature)
            return None
        member_id = data.get("m")
        csrf = data.get("c")
        if not isinstance(csrf, str) or not (member_id is None or isinstance(member_id, int)):
            return None
        return SessionData(member_id, int(data.get("e", 0)), csrf)

    def write(self, request: Request, response: Response, session: SessionData) -> None:
        value = self._serializer.dumps(
            {"m": session.member_id, "e": session.epoch, "c": session.csrf}
        )
        secure = self.secure == "always" or (
            self.secure == "auto" and request.url.scheme == "https"
        )
        response.set_cookie(
            COOKIE,
            value,
            max_age=self.max_age,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path="/")


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def principal_of(member: Member, *, via: str, scopes: frozenset[str] | None = None) -> Principal:
    return Principal(
        member.id, member.email, member.name, member.role, member.department_id, via, scopes,
        member.must_change_password, member.language,
    )  # fmt: skip


def resolve(
    app: App, codec: SessionCodec, connection: HTTPConnection
) -> tuple[Principal | None, SessionData | None]:
    """The principal of a request (or None) and its session data (for CSRF).

    A bearer token that is malformed, unknown, expired or revoked raises Unauthenticated with
    a sentence: a script should learn why, not silently act as nobody.
    """
    header = connection.headers.get("authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            msg = "Send the API token as 'Authorization: Bearer sbu_...'."
            raise Unauthenticated(msg)
        member, token = authenticate_token(app.db, app.clock, value.strip())
        return principal_of(member, via="token", scopes=frozenset(token.scopes)), None
    session = codec.read(connection)
    if session is None or session.member_id is None:
        return None, session
    with app.db.session() as db_session:
        signed_in = db_session.get(Member, session.member_id)
        if signed_in is None or not signed_in.active or signed_in.session_epoch != session.epoch:
            return None, SessionData(None, 0, session.csrf)
        return principal_of(signed_in, via="session"), session
