"""Security headers on every kind of response."""

from __future__ import annotations

from fastapi import FastAPI

from sbu.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from tests.web.conftest import TestClient


def assert_secured(headers: dict[str, str] | object, what: str) -> None:
    for name, value in SECURITY_HEADERS:
        assert headers[name] == value, (what, name)  # type: ignore[index]


def test_policy_allows_this_site_only() -> None:
    directives = {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in CONTENT_SECURITY_POLICY.split("; ")
    }
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY


def test_headers_on_pages_api_static_and_errors(sqlite_client: TestClient) -> None:
    for path in (
        "/",
        "/listening/stream",
        "/api/v1/health",
        "/api/v1/mentions",
        "/api/v1/openapi.json",
        "/static/app.css",
        "/no-such-page",
        "/api/v1/no-such-route",
        "/api/v1/mentions?from=never",
        "/settings/members",
        "/settings/audit",
        "/profile",
        "/api/v1/me",
        "/login",
    ):
        response = sqlite_client.get(path)
        assert_secured(response.headers, path)
    redirect = sqlite_client.get("/language?lang=fr&next=/", follow_redirects=False)
    assert_secured(redirect.headers, "redirect")
    assert sqlite_client.get("/").headers["x-frame-options"] == "DENY"
    assert sqlite_client.get("/").headers["x-content-type-options"] == "nosniff"


def test_headers_on_the_500_page(sqlite_web: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    sqlite_web.add_api_route("/boom", boom)
    with TestClient(sqlite_web, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert_secured(response.headers, "500")


def test_headers_on_refusals(sqlite_anonymous: TestClient) -> None:
    for response in (
        sqlite_anonymous.get("/settings/members", follow_redirects=False),  # 303 to /login
        sqlite_anonymous.get("/api/v1/members"),  # 401
        sqlite_anonymous.post("/login", data={"email": "x@example.com", "password": "y"}),  # 403
    ):
        assert response.status_code in (303, 401, 403)
        assert_secured(response.headers, str(response.status_code))
