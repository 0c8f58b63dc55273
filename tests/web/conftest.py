"""Fixtures of the web tests: the FastAPI app around the real ``app`` fixture and clients.

The clients are Starlette's TestClient (it runs the lifespan). ``client`` and ``sqlite_client``
are signed in as an administrator (a real member and a real signed session cookie; they send the
session's CSRF token with every request); ``anonymous`` clients are not signed in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.org.models import Member
from sbu.org.services import create_member
from sbu.web.app import create_app
from sbu.web.auth import COOKIE, new_csrf
from tests.web.posts import make_source

SETUP = Actor("test", "setup")


def sign_in(
    client: TestClient, app: App, *, role: str = "admin", email: str | None = None
) -> Member:
    """Create a member with ``role`` and give ``client`` their signed session cookie and CSRF."""
    member = create_member(
        app.db, app.clock, SETUP, name=f"Test {role}", email=email or f"{role}@test.example",
        role=role,
    )  # fmt: skip
    web: FastAPI = client.app  # type: ignore[assignment]
    codec = web.state.web.sessions
    csrf = new_csrf()
    cookie = codec._serializer.dumps({"m": member.id, "e": member.session_epoch, "c": csrf})
    client.cookies.set(COOKIE, cookie)
    client.headers["X-CSRF-Token"] = csrf
    return member


@pytest.fixture
def web(app: App) -> FastAPI:
    return create_app(app)


@pytest.fixture
def client(web: FastAPI, app: App) -> Iterator[TestClient]:
    with TestClient(web) as test_client:
        sign_in(test_client, app)
        yield test_client


@pytest.fixture
def anonymous(web: FastAPI) -> Iterator[TestClient]:
    with TestClient(web) as test_client:
        yield test_client


@pytest.fixture
def sqlite_web(sqlite_app: App) -> FastAPI:
    return create_app(sqlite_app)


@pytest.fixture
def sqlite_client(sqlite_web: FastAPI, sqlite_app: App) -> Iterator[TestClient]:
    with TestClient(sqlite_web) as test_client:
        sign_in(test_client, sqlite_app)
        yield test_client


@pytest.fixture
def sqlite_anonymous(sqlite_web: FastAPI) -> Iterator[TestClient]:
    with TestClient(sqlite_web) as test_client:
        yield test_client


@pytest.fixture
def source_id(app: App) -> int:
    return make_source(app)


@pytest.fixture
def sqlite_source_id(sqlite_app: App) -> int:
    return make_source(sqlite_app)


__all__ = ["TestClient"]
