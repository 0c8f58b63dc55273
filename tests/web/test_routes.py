"""One dependency protects every page and API route; health, language, static stay public."""

from __future__ import annotations

import re

import pytest
from fastapi import Depends, FastAPI, HTTPException
from fastapi.routing import APIRoute, iter_route_contexts

from sbu.bootstrap import App
from sbu.web import app as app_module
from sbu.web import routes
from tests.web.conftest import TestClient

PUBLIC = {"/api/v1/health", "/language", "/api/v1/openapi.json"}


def deny() -> None:
    raise HTTPException(401, "Sign in first.")


@pytest.fixture
def guarded(sqlite_app: App, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """The app as the next release will build it: PROTECTED holds an authentication check."""
    monkeypatch.setattr(routes, "PROTECTED", (Depends(deny),))
    return app_module.create_app(sqlite_app)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_route_but_the_public_ones_goes_through_the_protected_dependencies(
    guarded: FastAPI,
) -> None:
    paths = [
        str(route.path)
        for route in iter_route_contexts(guarded.routes)
        if isinstance(route.original_route, APIRoute)
    ]
    assert len(paths) >= 15
    with TestClient(guarded) as client:
        for path in paths:
            response = client.get(concrete(path), follow_redirects=False)
            if path in PUBLIC:
                assert response.status_code in (200, 303), path
            else:
                assert response.status_code == 401, path
        assert client.get("/api/v1/openapi.json").status_code == 200
        assert client.get("/static/app.css").status_code == 200
        assert client.get("/api/v1/mentions").json() == {"detail": "Sign in first."}


def test_nothing_is_protected_today(sqlite_client: TestClient) -> None:
    assert routes.PROTECTED == ()
    assert sqlite_client.get("/listening/stream").status_code == 200
    assert sqlite_client.get("/api/v1/mentions").status_code == 200
