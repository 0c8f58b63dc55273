"""Who may call which route: the one table of the web app's access rules, and its guard.

Every route is listed in :data:`ROUTES` with what it needs: ``PUBLIC`` (no sign-in: the sign-in
page, the health check, the language switch), ``SIGNED`` (no sign-in, but the route itself
refuses any request that is not signed with its source's secret: the webhook of
sbu.connectors.webhook), ``SIGNED_IN`` (any signed-in member), or a
:class:`~sbu.org.roles.Permission` that :func:`sbu.org.roles.allows` checks against the member's
role and, for API tokens, the token's scopes. A route missing from the table is refused to
everyone (deny by default), and tests/web/test_policy.py fails, so a new route cannot be
forgotten. :func:`guard` runs before every route; for requests that change something and come
from a browser session, it also checks the CSRF token (form field ``csrf_token`` or header
``X-CSRF-Token``) before the route runs, so a forged request changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Final
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute

from sbu.core.errors import Unauthenticated
from sbu.org.roles import Permission, allows
from sbu.web.auth import CSRF_FIELD, CSRF_HEADER, Principal, csrf_matches, resolve
from sbu.web.deps import web_state

PUBLIC: Final = "public"
#: Authenticated by the route itself, by an HMAC signature of the request (no session, no CSRF).
SIGNED: Final = "signed"
SIGNED_IN: Final = "signed-in"
Rule = Permission | str

P = Permission
ROUTES: MappingProxyType[tuple[str, str], Rule] = MappingProxyType(
    {
        # Public
        ("GET", "/login"): PUBLIC,
        ("POST", "/login"): PUBLIC,
        ("GET", "/language"): PUBLIC,
        ("GET", "/api/v1/health"): PUBLIC,
        # Signed by the sender with the webhook source's secret, checked by the route
        ("POST", "/api/v1/ingest/{source}"): SIGNED,
        # Signed in
        ("POST", "/logout"): SIGNED_IN,
        ("GET", "/"): SIGNED_IN,
        ("GET", "/api/v1/openapi.json"): SIGNED_IN,
        ("GET", "/api/v1/docs"): SIGNED_IN,
        ("GET", "/profile"): P.SELF_MANAGE,
        ("GET", "/profile/password"): SIGNED_IN,
        ("POST", "/profile/password"): SIGNED_IN,
        # Mission landing pages
        ("GET", "/competition"): SIGNED_IN,
        ("GET", "/listening"): P.MENTIONS_READ,
        ("GET", "/intelligence"): SIGNED_IN,
        ("GET", "/engagement"): SIGNED_IN,
        ("GET", "/enablement"): SIGNED_IN,
        ("GET", "/settings"): SIGNED_IN,
        # Listening
        ("GET", "/listening/stream"): P.MENTIONS_READ,
        ("GET", "/listening/mentions/{mention_id}"): P.MENTIONS_READ,
        ("GET", "/listening/search"): P.MENTIONS_READ,
        ("GET", "/api/v1/search"): P.MENTIONS_READ,
        ("POST", "/api/v1/query/preview"): P.MENTIONS_READ,
        ("GET", "/api/v1/mentions"): P.MENTIONS_READ,
        ("GET", "/api/v1/mentions/new-count"): P.MENTIONS_READ,
        ("GET", "/api/v1/mentions/{mention_id}"): P.MENTIONS_READ,
        ("GET", "/settings/sources"): P.SOURCES_READ,
        ("GET", "/api/v1/sources"): P.SOURCES_READ,
        # Listening: adding and changing sources (reading one needs only sources.read)
        ("GET", "/settings/sources/new"): P.SOURCES_MANAGE,
        ("POST", "/settings/sources/new"): P.SOURCES_MANAGE,
        ("GET", "/settings/sources/{source_id}"): P.SOURCES_READ,
        ("POST", "/settings/sources/{source_id}"): P.SOURCES_MANAGE,
        ("POST", "/settings/sources/{source_id}/enable"): P.SOURCES_MANAGE,
        ("POST", "/settings/sources/{source_id}/disable"): P.SOURCES_MANAGE,
        ("POST", "/api/v1/sources"): P.SOURCES_MANAGE,
        ("GET", "/api/v1/sources/{source_id}"): P.SOURCES_READ,
        ("PATCH", "/api/v1/sources/{source_id}"): P.SOURCES_MANAGE,
        ("GET", "/settings/dead-letters"): P.DEAD_LETTERS_READ,
        ("GET", "/api/v1/dead-letters"): P.DEAD_LETTERS_READ,
        # Listening: topics (the editor's live linting and draft tests only read)
        ("GET", "/api/v1/topics"): P.TOPICS_READ,
        ("POST", "/api/v1/topics"): P.TOPICS_MANAGE,
        ("GET", "/api/v1/topics/{topic_id}"): P.TOPICS_READ,
        ("PATCH", "/api/v1/topics/{topic_id}"): P.TOPICS_MANAGE,
        ("POST", "/api/v1/topics/{topic_id}/activate"): P.TOPICS_MANAGE,
        ("POST", "/api/v1/topics/{topic_id}/deactivate"): P.TOPICS_MANAGE,
        ("GET", "/api/v1/topics/{topic_id}/versions"): P.TOPICS_READ,
        ("GET", "/api/v1/topics/{topic_id}/versions/{a}/diff/{b}"): P.TOPICS_READ,
        ("GET", "/api/v1/topics/{topic_id}/rematch"): P.TOPICS_READ,
        ("POST", "/api/v1/topics/{topic_id}/rematch"): P.TOPICS_MANAGE,
        ("POST", "/api/v1/topics/test"): P.TOPICS_READ,
        ("POST", "/api/v1/query/check"): P.TOPICS_READ,
        ("GET", "/listening/topics"): P.TOPICS_READ,
        ("GET", "/listening/topics/new"): P.TOPICS_MANAGE,
        ("POST", "/listening/topics/new"): P.TOPICS_MANAGE,
        ("GET", "/listening/topics/{topic_id}"): P.TOPICS_READ,
        ("GET", "/listening/topics/{topic_id}/edit"): P.TOPICS_MANAGE,
        ("POST", "/listening/topics/{topic_id}/edit"): P.TOPICS_MANAGE,
        ("POST", "/listening/topics/{topic_id}/activate"): P.TOPICS_MANAGE,
        ("POST", "/listening/topics/{topic_id}/deactivate"): P.TOPICS_MANAGE,
        ("POST", "/listening/topics/{topic_id}/rematch"): P.TOPICS_MANAGE,
        ("GET", "/listening/topics/{topic_id}/history"): P.TOPICS_READ,
        ("POST", "/listening/topics/check"): P.TOPICS_READ,
        # Profile: one's own details and API tokens
        ("POST", "/profile"): P.SELF_MANAGE,
        ("POST", "/profile/tokens"): P.SELF_MANAGE,
        ("POST", "/profile/tokens/{token_id}/revoke"): P.SELF_MANAGE,
        ("GET", "/api/v1/me"): SIGNED_IN,
        ("PATCH", "/api/v1/me"): P.SELF_MANAGE,
        ("GET", "/api/v1/tokens"): SIGNED_IN,
        ("POST", "/api/v1/tokens"): P.SELF_MANAGE,
        # Revoking another member's token also needs tokens.manage_all (checked by the route).
        ("DELETE", "/api/v1/tokens/{token_id}"): P.SELF_MANAGE,
        # Organisation: departments
        ("GET", "/settings/departments"): P.DEPARTMENTS_READ,
        ("GET", "/settings/departments/new"): P.DEPARTMENTS_MANAGE,
        ("POST", "/settings/departments/new"): P.DEPARTMENTS_MANAGE,
        ("GET", "/settings/departments/{department_id}"): P.DEPARTMENTS_READ,
        ("POST", "/settings/departments/{department_id}"): P.DEPARTMENTS_MANAGE,
        ("GET", "/api/v1/departments"): P.DEPARTMENTS_READ,
        ("POST", "/api/v1/departments"): P.DEPARTMENTS_MANAGE,
        ("PATCH", "/api/v1/departments/{department_id}"): P.DEPARTMENTS_MANAGE,
        # Organisation: members
        ("GET", "/settings/members"): P.MEMBERS_READ,
        ("GET", "/settings/members/new"): P.MEMBERS_MANAGE,
        ("POST", "/settings/members/new"): P.MEMBERS_MANAGE,
        ("GET", "/settings/members/{member_id}"): P.MEMBERS_MANAGE,
        ("POST", "/settings/members/{member_id}"): P.MEMBERS_MANAGE,
        ("POST", "/settings/members/{member_id}/reset-password"): P.MEMBERS_MANAGE,
        ("GET", "/api/v1/members"): P.MEMBERS_READ,
        ("POST", "/api/v1/members"): P.MEMBERS_MANAGE,
        ("PATCH", "/api/v1/members/{member_id}"): P.MEMBERS_MANAGE,
        ("POST", "/api/v1/members/{member_id}/reset-password"): P.MEMBERS_MANAGE,
        # Every member's API tokens, and the audit log
        ("GET", "/settings/tokens"): P.TOKENS_MANAGE_ALL,
        ("POST", "/settings/tokens/{token_id}/revoke"): P.TOKENS_MANAGE_ALL,
        ("GET", "/settings/audit"): P.AUDIT_READ,
        ("GET", "/api/v1/audit"): P.AUDIT_READ,
    }
)

#: Routes a member who must change their password may still use.
WHILE_CHANGING_PASSWORD = frozenset(
    {("GET", "/profile/password"), ("POST", "/profile/password"), ("POST", "/logout")}
)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RedirectTo(Exception):
    """Raised by the guard to send a browser elsewhere (sign-in, password change)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def route_index(routes: Sequence[BaseRoute]) -> dict[int, str]:
    """Map each route object to its full path (prefixes included), for the guard."""
    index: dict[int, str] = {}
    for context in iter_route_contexts(routes):
        index[id(context.original_route)] = str(context.path)
    return index


def rule_for(method: str, path: str) -> Rule | None:
    return ROUTES.get(("GET" if method == "HEAD" else method, path))


async def guard(request: Request) -> Principal | None:
    """Authenticate, authorise and check CSRF for the route being called (see the module)."""
    state = web_state(request)
    route = request.scope.get("route")
    path = state.route_paths.get(id(route), "") if route is not None else ""
    method = "GET" if request.method == "HEAD" else request.method
    rule = rule_for(method, path)
    is_api = request.url.path.startswith("/api/")
    try:
        principal, session = resolve(state.app, state.sessions, request)
    except Unauthenticated as exc:
        raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
    request.state.principal = principal
    request.state.csrf = session.csrf if session is not None else None
    if rule is None:
        msg = "This route has no access rule, so it is refused to everyone; this is a bug in sbu."
        raise HTTPException(403, msg)
    if rule == SIGNED:
        return principal
    if rule == PUBLIC:
        if method in UNSAFE:
            await _check_csrf(request, session.csrf if session else None)
        return principal
    if principal is None:
        if is_api:
            msg = "Sign in first: send 'Authorization: Bearer sbu_...' with an API token from your profile."
            raise HTTPException(401, msg, headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise RedirectTo(f"/login?next={quote(target, safe='/')}")
    if principal.must_change_password and (method, path) not in WHILE_CHANGING_PASSWORD:
        if is_api:
            msg = "Choose a new password first (your password was reset): open /profile/password."
            raise HTTPException(403, msg)
        raise RedirectTo("/profile/password")
    if isinstance(rule, Permission) and not allows(principal.role, rule, principal.scopes):
        via = " with this API token's scopes" if principal.scopes is not None else ""
        msg = f"Your role ({principal.role}) may not do this{via}: ask an administrator if you need it."
        raise HTTPException(403, msg)
    if method in UNSAFE and principal.via == "session":
        await _check_csrf(request, session.csrf if session else None)
    return principal


async def _check_csrf(request: Request, expected: str | None) -> None:
    given = request.headers.get(CSRF_HEADER)
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if expected is None or not csrf_matches(expected, given):
        msg = (
            "This form expired or did not come from sbu, so nothing was changed: reload the page "
            "and try again."
        )
        raise HTTPException(403, msg)
