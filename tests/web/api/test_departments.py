"""/api/v1/departments: list, create, change; errors as sentences with their status."""

from __future__ import annotations

from fastapi import FastAPI

from sbu.bootstrap import App
from sbu.org.services import create_department, update_department
from tests.web.accounts import SETUP, make_member, snapshot
from tests.web.conftest import TestClient, sign_in


def test_list(app: App, client: TestClient) -> None:
    sbu = create_department(app.db, app.clock, SETUP, name="SBU", kind="sbu")
    hub = create_department(app.db, app.clock, SETUP, name="Care West", kind="care",
                            parent_id=sbu.id, headcount=30, customer_facing_headcount=20)  # fmt: skip
    make_member(app, "agent", "a@example.com", department_id=hub.id)
    old = create_department(app.db, app.clock, SETUP, name="Old", kind="other")
    update_department(app.db, app.clock, SETUP, old.id, active=False)
    listed = client.get("/api/v1/departments").json()
    assert [d["name"] for d in listed] == ["Care West", "Old", "SBU"]
    west = listed[0]
    assert west["parent_name"] == "SBU"
    assert (west["headcount"], west["customer_facing_headcount"], west["members"]) == (30, 20, 1)
    assert west["business_hours"]["mon"] == [["09:00", "18:00"]]
    assert west["timezone"] == "Europe/Paris"
    active = client.get("/api/v1/departments?include_inactive=false").json()
    assert [d["name"] for d in active] == ["Care West", "SBU"]


def test_create_and_patch(app: App, client: TestClient) -> None:
    created = client.post("/api/v1/departments", json={
        "name": "Care", "kind": "care", "headcount": 12, "holidays": ["2026-12-25"],
        "business_hours": {"sat": [["10:00", "13:00"]]}, "timezone": "America/Montreal"})  # fmt: skip
    assert created.status_code == 201
    body = created.json()
    assert body["business_hours"] == {"sat": [["10:00", "13:00"]]}
    patched = client.patch(f"/api/v1/departments/{body['id']}", json={"headcount": 14})
    assert patched.status_code == 200
    assert patched.json()["headcount"] == 14
    assert patched.json()["holidays"] == ["2026-12-25"]  # untouched
    sbu = client.post("/api/v1/departments", json={"name": "SBU", "kind": "sbu"}).json()
    moved = client.patch(f"/api/v1/departments/{body['id']}", json={"parent_id": sbu["id"]})
    assert moved.json()["parent_name"] == "SBU"
    removed = client.patch(f"/api/v1/departments/{body['id']}", json={"parent_id": None})
    assert removed.json()["parent_id"] is None


def test_errors(app: App, client: TestClient) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    before = snapshot(app)
    cases = [
        ("post", "/api/v1/departments", {"name": "care", "kind": "care"}, 409,
         "A department called 'care' already exists."),
        ("post", "/api/v1/departments", {"name": "X", "kind": "spaceship"}, 400,
         "The kind 'spaceship' is unknown"),
        ("patch", f"/api/v1/departments/{care.id}", {"parent_id": care.id}, 400,
         "A department cannot be inside itself"),
        ("patch", "/api/v1/departments/999", {"headcount": 1}, 404, "There is no department 999."),
        ("patch", f"/api/v1/departments/{care.id}", {"colour": "blue"}, 422, "colour"),
        ("patch", f"/api/v1/departments/{care.id}", {"headcount": -1}, 422, "headcount"),
    ]  # fmt: skip
    for method, path, body, status, sentence in cases:
        response = client.request(method.upper(), path, json=body)
        assert response.status_code == status, body
        assert sentence in response.json()["detail"], body
    assert snapshot(app) == before


def test_an_agent_reads_but_cannot_write(app: App, web: FastAPI) -> None:
    with TestClient(web) as client:
        sign_in(client, app, role="agent")
        assert client.get("/api/v1/departments").status_code == 200
        refused = client.post("/api/v1/departments", json={"name": "X", "kind": "care"})
        assert refused.status_code == 403
        assert refused.json()["detail"] == (
            "Your role (agent) may not do this: ask an administrator if you need it."
        )
