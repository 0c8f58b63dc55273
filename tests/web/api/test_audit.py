"""/api/v1/audit: newest first, filters, the `before` cursor."""

from __future__ import annotations

from fastapi import FastAPI

from sbu.bootstrap import App
from sbu.org.services import create_department, update_department
from tests.web.accounts import SETUP
from tests.web.conftest import TestClient, sign_in


def test_pages_and_filters(app: App, client: TestClient) -> None:
    for number in range(5):
        department = create_department(app.db, app.clock, SETUP, name=f"D{number}", kind="care")
    update_department(app.db, app.clock, SETUP, department.id, headcount=9)
    first = client.get("/api/v1/audit?object_type=department&limit=4").json()
    assert first["items"][0]["action"] == "department.updated"
    ids = [e["id"] for e in first["items"]]
    assert ids == sorted(ids, reverse=True)
    assert first["next"] == ids[-1]
    second = client.get(
        f"/api/v1/audit?object_type=department&limit=4&before={first['next']}"
    ).json()
    assert len(second["items"]) == 2
    assert second["next"] is None
    update = first["items"][0]
    assert update["before"]["headcount"] == 0
    assert update["after"]["headcount"] == 9
    assert update["actor"] == "test:setup"
    assert update["occurred_at"] == "2026-11-28T09:00:00Z"
    created = client.get("/api/v1/audit?action=department.created").json()["items"]
    assert len(created) == 5
    assert client.get("/api/v1/audit?from=2026-11-29").json()["items"] == []
    assert client.get("/api/v1/audit?from=tomorrow").status_code == 422


def test_only_admins_and_leads(app: App, web: FastAPI) -> None:
    with TestClient(web) as client:
        sign_in(client, app, role="analyst")
        assert client.get("/api/v1/audit").status_code == 403
    with TestClient(web) as client:
        sign_in(client, app, role="sbu_lead", email="lead@test.example")
        assert client.get("/api/v1/audit").status_code == 200
