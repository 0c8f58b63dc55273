"""GET /api/v1/health: 200 when the database answers with the newest schema, 503 otherwise."""

from __future__ import annotations

from pathlib import Path

from sbu import __version__
from sbu.bootstrap import App, build
from sbu.web.app import create_app
from tests.conftest import make_settings
from tests.web.conftest import TestClient


def test_healthy_server(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["database"]["reachable"] is True
    assert body["database"]["schema_up_to_date"] is True
    assert body["database"]["revision"] == body["database"]["head"]
    assert body["bus"] == {"backend": "memory"}


def test_empty_database_is_unavailable(tmp_path: Path) -> None:
    app = build(make_settings(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path))
    try:
        with TestClient(create_app(app)) as client:
            response = client.get("/api/v1/health")
    finally:
        app.close()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {
        "reachable": True,
        "schema_up_to_date": False,
        "revision": None,
        "head": body["database"]["head"],
    }
    assert body["database"]["head"]


def test_unreachable_database_is_unavailable(tmp_path: Path) -> None:
    # Port 9 (discard) on localhost: nothing listens there, the connection is refused at once.
    url = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2"
    app = build(make_settings(url, tmp_path))
    try:
        with TestClient(create_app(app)) as client:
            response = client.get("/api/v1/health")
    finally:
        app.close()
    assert response.status_code == 503
    assert response.json()["database"]["reachable"] is False
    assert response.json()["status"] == "unavailable"


def test_health_needs_no_session_and_is_not_cached(
    sqlite_app: App, sqlite_client: TestClient
) -> None:
    first = sqlite_client.get("/api/v1/health")
    assert first.status_code == 200
    assert "no-store" in first.headers.get("cache-control", "")
