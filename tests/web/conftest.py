"""Fixtures of the web tests: the FastAPI app around the real ``app`` fixture and a client.

The client is Starlette's TestClient (it runs the lifespan).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from sbu.bootstrap import App
from sbu.web.app import create_app
from tests.web.posts import make_source


@pytest.fixture
def web(app: App) -> FastAPI:
    return create_app(app)


@pytest.fixture
def client(web: FastAPI) -> Iterator[TestClient]:
    with TestClient(web) as test_client:
        yield test_client


@pytest.fixture
def sqlite_web(sqlite_app: App) -> FastAPI:
    return create_app(sqlite_app)


@pytest.fixture
def sqlite_client(sqlite_web: FastAPI) -> Iterator[TestClient]:
    with TestClient(sqlite_web) as test_client:
        yield test_client


@pytest.fixture
def source_id(app: App) -> int:
    return make_source(app)


@pytest.fixture
def sqlite_source_id(sqlite_app: App) -> int:
    return make_source(sqlite_app)


__all__ = ["TestClient"]
