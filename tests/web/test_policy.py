"""The access policy: every route of the real app has a rule, and the guard enforces it.

The routes are enumerated from the application itself (``iter_route_contexts``), so a route added
without a rule in ``sbu.web.policy.ROUTES`` makes these tests fail; so does a rule left behind for
a route that no longer exists, and a write route without a request example below.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from sbu.bootstrap import App
from sbu.org.models import Member
from sbu.org.roles import ADMIN_PERMISSIONS, Permission, allows
from sbu.org.services import create_department, reset_password
from sbu.web import policy, routes
from sbu.web.app import create_app
from tests.web.accounts import (
    EN,
    SETUP,
    make_member,
    make_token,
    sign_in_with_form,
    snapshot,
)
from tests.web.conftest import TestClient, sign_in

Route = tuple[str, str]
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

#: Routes a viewer may call that change something: their own session, profile and tokens.
SELF_SERVICE: frozenset[Route] = frozenset(
    {
        ("POST", "/logout"),
        ("POST", "/profile/password"),
        ("POST", "/profile"),
        ("POST", "/profile/tokens"),
        ("POST", "/profile/tokens/{token_id}/revoke"),
        ("PATCH", "/api/v1/me"),
        ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/tokens/{token_id}"),
    }
)

#: Routes that use POST only to carry a body (a query to check, examples to run) and change
#: nothing: every member who may read topics may call them, with a read token too.
READ_ONLY_POSTS: frozenset[Route] = frozenset(
    {("POST", "/api/v1/query/check"), ("POST", "/api/v1/topics/test"),
     ("POST", "/listening/topics/check"), ("POST", "/api/v1/query/preview")}
)  # fmt: skip

#: A valid request for every write route (what an administrator could send): the refusals
#: below are then the policy's doing, not a malformed request's.
WRITE_EXAMPLES: dict[Route, dict[str, Any]] = {
    ("POST", "/login"): {"data": {"email": "a@example.com", "password": "x" * 12}},
    ("POST", "/logout"): {},
    ("POST", "/profile/password"): {"data": {"current": "a", "new": "b", "confirm": "b"}},
    ("POST", "/profile"): {"data": {"name": "Renamed", "language": "fr"}},
    ("POST", "/profile/tokens"): {"data": {"name": "t", "scopes": ["read"], "days": "30"}},
    ("POST", "/profile/tokens/{token_id}/revoke"): {},
    ("PATCH", "/api/v1/me"): {"json": {"name": "Renamed"}},
    ("POST", "/api/v1/tokens"): {"json": {"name": "t", "scopes": ["read"]}},
    ("DELETE", "/api/v1/tokens/{token_id}"): {},
    ("POST", "/settings/departments/new"): {"data": {"name": "Legal", "kind": "legal"}},
    ("POST", "/settings/departments/{department_id}"): {"data": {"name": "Care", "kind": "pr"}},
    ("POST", "/api/v1/departments"): {"json": {"name": "Legal", "kind": "legal"}},
    ("PATCH", "/api/v1/departments/{department_id}"): {"json": {"headcount": 99}},
    ("POST", "/settings/members/new"): {
        "data": {"name": "New", "email": "new@example.com", "role": "viewer"}
    },
    ("POST", "/settings/members/{member_id}"): {"data": {"name": "X", "role": "viewer"}},
    ("POST", "/settings/members/{member_id}/reset-password"): {},
    ("POST", "/api/v1/members"): {
        "json": {"name": "New", "email": "new@example.com", "role": "viewer"}
    },
    ("PATCH", "/api/v1/members/{member_id}"): {"json": {"role": "viewer"}},
    ("POST", "/api/v1/members/{member_id}/reset-password"): {},
    ("POST", "/settings/tokens/{token_id}/revoke"): {},
    ("POST", "/api/v1/topics"): {
        "json": {
            "name": "Pannes",
            "query": "panne NEAR/3 fibre",
            "subject_kind": "theme",
            "subject_name": "Pannes",
            "department_id": 1,
        }
    },
    ("PATCH", "/api/v1/topics/{topic_id}"): {"json": {"description": "Changed."}},
    ("POST", "/api/v1/topics/{topic_id}/activate"): {},
    ("POST", "/api/v1/topics/{topic_id}/deactivate"): {},
    ("POST", "/api/v1/topics/{topic_id}/rematch"): {},
    ("POST", "/api/v1/topics/test"): {"json": {"query": "panne", "examples": []}},
    ("POST", "/api/v1/ingest/{source}"): {"content": b"[]"},
    ("POST", "/api/v1/query/check"): {"json": {"query": "panne"}},
    ("POST", "/api/v1/query/preview"): {"json": {"query": "panne"}},
    ("POST", "/listening/topics/new"): {
        "data": {
            "name": "Pannes",
            "query": "panne NEAR/3 fibre",
            "subject_kind": "theme",
            "subject_name": "Pannes",
            "department_id": "1",
            "active": "1",
        }
    },
    ("POST", "/listening/topics/{topic_id}/edit"): {
        "data": {
            "name": "Pannes",
            "query": "panne",
            "subject_kind": "theme",
            "subject_name": "Pannes",
            "department_id": "1",
        }
    },
    ("POST", "/listening/topics/{topic_id}/activate"): {"data": {"note": ""}},
    ("POST", "/listening/topics/{topic_id}/deactivate"): {"data": {"note": ""}},
    ("POST", "/listening/topics/{topic_id}/rematch"): {"data": {}},
    ("POST", "/listening/topics/check"): {"json": {"query": "panne"}},
    ("POST", "/settings/sources/new"): {
        "params": {"connector": "rss"},
        "data": {"name": "Feed", "config.url": "https://feeds.example.org/rss.xml"},
    },
    ("POST", "/settings/sources/{source_id}"): {
        "data": {"config.url": "https://feeds.example.org/rss.xml"}
    },
    ("POST", "/settings/sources/{source_id}/enable"): {},
    ("POST", "/settings/sources/{source_id}/disable"): {},
    ("POST", "/api/v1/sources"): {
        "json": {
            "name": "Feed",
            "connector": "rss",
            "config": {"url": "https://feeds.example.org/rss.xml"},
        }
    },
    ("PATCH", "/api/v1/sources/{source_id}"): {"json": {"poll_interval_seconds": 600}},
}


def app_routes(web: FastAPI) -> set[Route]:
    """(method, full path) of every API route and page of ``web``, HEAD aside."""
    found: set[Route] = set()
    for context in iter_route_contexts(web.routes):
        if isinstance(context.original_route, APIRoute):
            for method in context.methods or ():
                if method != "HEAD":
                    found.add((method, str(context.path)))
    return found


def unguarded(web: FastAPI) -> set[Route]:
    found: set[Route] = set()
    for context in iter_route_contexts(web.routes):
        if isinstance(context.original_route, APIRoute):
            guards = [d for d in context.dependencies if d.dependency is policy.guard]
            if not guards:
                found.update((m, str(context.path)) for m in context.methods or ())
    return found


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def call(client: TestClient, route: Route, **extra: Any) -> Any:
    method, path = route
    kwargs = {**WRITE_EXAMPLES.get(route, {}), **extra}
    return client.request(method, concrete(path), follow_redirects=False, **kwargs)


@pytest.fixture
def world(app: App) -> App:
    """An administrator (member 1, token 1) and a department 1, so every id in a path exists."""
    admin = make_member(app, "admin", "root@example.com")
    make_token(app, admin.id, ["read", "write", "admin"])
    create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    return app


# -- (a) every route has a rule, every rule a route --------------------------------------------


def test_every_route_has_a_rule_and_every_rule_a_route(sqlite_web: FastAPI) -> None:
    found = app_routes(sqlite_web)
    assert len(found) >= 50
    assert sorted(found - set(policy.ROUTES)) == []
    assert sorted(set(policy.ROUTES) - found) == []


def test_every_route_goes_through_the_guard(sqlite_web: FastAPI) -> None:
    assert unguarded(sqlite_web) == set()


def test_every_write_route_has_an_example(sqlite_web: FastAPI) -> None:
    writes = {route for route in app_routes(sqlite_web) if route[0] in UNSAFE}
    assert writes == set(WRITE_EXAMPLES)


def test_a_route_without_a_rule_is_found_and_refused(
    sqlite_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    forgotten = APIRouter()

    @forgotten.get("/forgotten")
    def page() -> dict[str, str]:
        return {"secret": "yes"}

    monkeypatch.setattr(routes, "PAGE_ROUTERS", (*routes.PAGE_ROUTERS, forgotten))
    web = create_app(sqlite_app)
    assert set(app_routes(web)) - set(policy.ROUTES) == {("GET", "/forgotten")}
    with TestClient(web) as client:
        sign_in(client, sqlite_app)
        response = client.get("/forgotten", headers=EN)
    assert response.status_code == 403
    assert "has no access rule" in response.text
    assert "secret" not in response.text


# -- (b) anonymous requests are refused -------------------------------------------------------


def test_anonymous_requests_are_refused_everywhere_but_public_routes(
    world: App, anonymous: TestClient
) -> None:
    checked = 0
    for route, rule in sorted(policy.ROUTES.items()):
        if rule in (policy.PUBLIC, policy.SIGNED):
            continue
        before = snapshot(world)
        response = call(anonymous, route, headers=EN)
        path = route[1]
        if path.startswith("/api/"):
            assert response.status_code == 401, route
            detail = response.json()["detail"]
            assert detail.startswith("Sign in first"), route
            assert detail.endswith("."), route
            assert response.headers["www-authenticate"] == "Bearer"
        else:
            assert response.status_code == 303, route
            location = response.headers["location"]
            assert location.startswith("/login?next=/"), route
            assert concrete(path).split("/")[-1] in location
        assert snapshot(world) == before, route
        checked += 1
    assert checked >= 45


def test_the_sign_in_page_keeps_the_page_asked_for(anonymous: TestClient) -> None:
    response = anonymous.get("/listening/stream?platform=bluesky&q=panne", follow_redirects=False)
    assert (
        response.headers["location"]
        == "/login?next=/listening/stream%3Fplatform%3Dbluesky%26q%3Dpanne"
    )
    page = anonymous.get(response.headers["location"], headers=EN)
    assert 'name="next" value="/listening/stream?platform=bluesky&amp;q=panne"' in page.text


# -- (c) a viewer cannot write ----------------------------------------------------------------


def test_the_only_writes_a_viewer_may_make_are_on_themselves() -> None:
    writes = {route: rule for route, rule in policy.ROUTES.items() if route[0] in UNSAFE}
    allowed = {
        route for route, rule in writes.items()
        if rule == policy.SIGNED_IN or (isinstance(rule, Permission) and allows("viewer", rule))
    }  # fmt: skip
    assert allowed == SELF_SERVICE | READ_ONLY_POSTS


def test_a_viewer_calling_a_write_route_gets_403_and_changes_nothing(
    world: App, web: FastAPI
) -> None:
    with TestClient(web) as client:
        sign_in(client, world, role="viewer")
        checked = 0
        for route, rule in sorted(policy.ROUTES.items()):
            if (
                route[0] not in UNSAFE
                or rule in (policy.PUBLIC, policy.SIGNED)
                or route in SELF_SERVICE
            ):
                continue
            if route in READ_ONLY_POSTS:
                continue
            before = snapshot(world)
            response = call(client, route, headers=EN)
            assert response.status_code == 403, route
            if route[1].startswith("/api/"):
                assert "Your role (viewer) may not do this" in response.json()["detail"]
            else:
                assert "Your role (viewer) may not do this" in response.text
            assert snapshot(world) == before, route
            checked += 1
    assert checked == 27


def test_a_viewer_may_read_departments_and_members_but_not_the_audit_log(
    world: App, web: FastAPI
) -> None:
    with TestClient(web) as client:
        sign_in(client, world, role="viewer")
        for path in ("/settings/departments", "/settings/members", "/api/v1/departments",
                     "/api/v1/members", "/settings/departments/1", "/profile", "/api/v1/me"):  # fmt: skip
            assert client.get(path, headers=EN).status_code == 200, path
        for path in ("/settings/audit", "/api/v1/audit", "/settings/tokens",
                     "/settings/members/1", "/settings/members/new", "/settings/dead-letters"):  # fmt: skip
            assert client.get(path, headers=EN).status_code == 403, path


# -- (d) API tokens: scopes and bad tokens ----------------------------------------------------


def test_a_read_token_can_get_but_not_write(world: App, anonymous: TestClient) -> None:
    _token, value = make_token(world, 1, ["read"])
    bearer = {"Authorization": f"Bearer {value}"}
    for route, rule in sorted(policy.ROUTES.items()):
        method, path = route
        if not path.startswith("/api/") or rule in (policy.PUBLIC, policy.SIGNED):
            continue
        before = snapshot(world)
        response = call(anonymous, route, headers=bearer)
        if method in UNSAFE and route not in READ_ONLY_POSTS:
            assert response.status_code == 403, route
            assert "with this API token's scopes" in response.json()["detail"]
            assert snapshot(world)[:3] == before[:3], route
        elif rule in ADMIN_PERMISSIONS:
            assert response.status_code == 403, route
        else:  # allowed: answered by the route (a missing mention is its 404, not a refusal)
            assert response.status_code not in (401, 403), (route, response.text)


def test_write_and_admin_scopes(world: App, anonymous: TestClient) -> None:
    _t, write = make_token(world, 1, ["write"])
    _t, admin = make_token(world, 1, ["admin"])
    as_write = {"Authorization": f"Bearer {write}"}
    as_admin = {"Authorization": f"Bearer {admin}"}
    token = {"name": "Via token", "scopes": ["read"]}
    assert anonymous.post("/api/v1/tokens", headers=as_write, json=token).status_code == 201
    department = {"name": "Legal", "kind": "legal"}
    assert (
        anonymous.post("/api/v1/departments", headers=as_write, json=department).status_code == 403
    )
    assert (
        anonymous.post("/api/v1/departments", headers=as_admin, json=department).status_code == 201
    )
    assert anonymous.get("/api/v1/audit", headers=as_admin).status_code == 200


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        ("revoked", "The API token was revoked: create a new one in your profile."),
        ("expired", "The API token expired on 2026-11-29: create a new one in your profile."),
        (
            "unknown",
            "The API token is unknown: create one in your profile or with `sbu token create`.",
        ),
        ("malformed", "The API token is malformed"),
        ("scheme", "Send the API token as 'Authorization: Bearer sbu_...'."),
    ],
)
def test_bad_tokens_get_401_with_a_sentence(
    world: App, anonymous: TestClient, make: str, sentence: str
) -> None:
    from datetime import timedelta

    from sbu.core.clock import FixedClock
    from sbu.org.api_tokens import revoke_token

    token, value = make_token(world, 1, ["read"], days=1)
    header = f"Bearer {value}"
    if make == "revoked":
        revoke_token(world.db, world.clock, SETUP, token.id)
    elif make == "expired":
        assert isinstance(world.clock, FixedClock)
        world.clock.advance(timedelta(days=1))
    elif make == "unknown":
        header = "Bearer sbu_" + "x" * 43
    elif make == "malformed":
        header = "Bearer not-a-token"
    else:
        header = f"Token {value}"
    response = anonymous.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"].startswith(sentence)
    assert response.headers["www-authenticate"] == "Bearer"


# -- (e) public routes ------------------------------------------------------------------------


def test_static_health_and_login_need_no_sign_in(anonymous: TestClient) -> None:
    assert anonymous.get("/static/app.css").status_code == 200
    assert anonymous.get("/static/stream.js").status_code == 200
    assert anonymous.get("/api/v1/health").status_code == 200
    login = anonymous.get("/login", headers=EN)
    assert login.status_code == 200
    assert "<h1>Sign in</h1>" in login.text
    assert anonymous.get("/language?lang=fr&next=/login", follow_redirects=False).status_code == 303
    public = {route for route, rule in policy.ROUTES.items() if rule == policy.PUBLIC}
    assert public == {("GET", "/login"), ("POST", "/login"), ("GET", "/language"),
                      ("GET", "/api/v1/health")}  # fmt: skip
    # The only route without sign-in that writes checks its request's signature itself
    # (tests/web/api/test_ingest.py: unsigned or badly signed requests get 401).
    signed = {route for route, rule in policy.ROUTES.items() if rule == policy.SIGNED}
    assert signed == {("POST", "/api/v1/ingest/{source}")}


# -- (f) CSRF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("csrf", [None, "forged-token"])
def test_a_browser_write_without_the_right_csrf_token_is_refused(
    world: App, client: TestClient, csrf: str | None
) -> None:
    client.headers.pop("X-CSRF-Token")
    checked = 0
    for route, rule in sorted(policy.ROUTES.items()):
        if route[0] not in UNSAFE or rule in (policy.PUBLIC, policy.SIGNED):
            continue
        before = snapshot(world)
        extra: dict[str, Any] = {"headers": EN}
        example = WRITE_EXAMPLES[route]
        if csrf is not None and "data" in example:
            extra["data"] = {**example["data"], "csrf_token": csrf}
        elif csrf is not None:
            extra["headers"] = {**EN, "X-CSRF-Token": csrf}
        response = call(client, route, **extra)
        assert response.status_code == 403, route
        sentence = "This form expired or did not come from sbu, so nothing was changed"
        body = response.json()["detail"] if route[1].startswith("/api/") else response.text
        assert sentence in body, route
        assert snapshot(world) == before, route
        checked += 1
    assert checked == 39


def test_the_sign_in_form_needs_its_csrf_token(world: App, anonymous: TestClient) -> None:
    anonymous.get("/login")
    response = anonymous.post(
        "/login", data={"email": "root@example.com", "password": "violet tram 42 lighthouse"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    with world.db.session() as session:
        assert session.get(Member, 1).last_login_at is None  # type: ignore[union-attr]


# -- (g) a reset password must be changed first -----------------------------------------------


def test_after_a_reset_every_page_sends_to_the_password_page(
    world: App, anonymous: TestClient
) -> None:
    member = make_member(world, "analyst", "ana@example.com")
    temporary = reset_password(world.db, world.clock, SETUP, member.id)
    response = sign_in_with_form(anonymous, "ana@example.com", temporary)
    assert response.headers["location"] == "/profile/password"
    allowed = policy.WHILE_CHANGING_PASSWORD
    pages = [
        route for route, rule in sorted(policy.ROUTES.items())
        if route[0] == "GET" and rule != policy.PUBLIC and route not in allowed
    ]  # fmt: skip
    for route in pages:
        response = call(anonymous, route, headers=EN)
        if route[1].startswith("/api/"):
            assert response.status_code == 403, route
            assert "Choose a new password first" in response.json()["detail"]
        else:
            assert response.status_code == 303, route
            assert response.headers["location"] == "/profile/password", route
    page = anonymous.get("/profile/password", headers=EN)
    assert "Your password was reset by an administrator" in page.text
    new = "a brand new harbour 77"
    changed = anonymous.post("/profile/password", headers=EN, follow_redirects=False, data={
        "current": temporary, "new": new, "confirm": new,
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),  # type: ignore[union-attr]
    })  # fmt: skip
    assert changed.status_code == 303
    assert anonymous.get("/listening/stream", headers=EN).status_code == 200
    assert anonymous.get("/settings/departments", headers=EN).status_code == 200


def test_rules_are_read_only(sqlite_app: App) -> None:
    assert isinstance(policy.ROUTES, MappingProxyType)
    with pytest.raises(TypeError):
        policy.ROUTES[("GET", "/x")] = policy.PUBLIC  # type: ignore[index]
