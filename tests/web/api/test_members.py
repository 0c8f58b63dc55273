"""/api/v1/members: list with filters, create, change, reset a password."""

from __future__ import annotations

from fastapi import FastAPI

from sbu.bootstrap import App
from sbu.org.services import create_department
from tests.web.accounts import SETUP, make_member, sign_in_with_form, snapshot
from tests.web.conftest import TestClient, sign_in


def test_list_with_filters(app: App, client: TestClient) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    make_member(app, "agent", "ana@example.com", name="Ana", department_id=care.id)
    make_member(app, "analyst", "bob@example.com", name="Bob")
    everyone = client.get("/api/v1/members").json()
    assert [m["name"] for m in everyone] == ["Ana", "Bob", "Test admin"]
    assert everyone[0]["department_name"] == "Care"
    assert "password_hash" not in everyone[0]
    assert [m["name"] for m in client.get(f"/api/v1/members?department={care.id}").json()] == [
        "Ana"
    ]
    assert [m["name"] for m in client.get("/api/v1/members?role=analyst").json()] == ["Bob"]
    assert [m["name"] for m in client.get("/api/v1/members?q=BOB@").json()] == ["Bob"]
    assert client.get("/api/v1/members?role=king").status_code == 422


def test_create_patch_and_reset(app: App, client: TestClient, anonymous: TestClient) -> None:
    created = client.post("/api/v1/members", json={"name": "Ana", "email": "ana@example.com",
                                                   "role": "agent"})  # fmt: skip
    assert created.status_code == 201
    ana = created.json()
    assert (ana["active"], ana["must_change_password"]) == (True, False)
    patched = client.patch(f"/api/v1/members/{ana['id']}", json={"role": "analyst"})
    assert patched.json()["role"] == "analyst"
    reset = client.post(f"/api/v1/members/{ana['id']}/reset-password")
    assert reset.status_code == 200
    password = reset.json()["one_time_password"]
    assert len(password) >= 16
    assert client.get("/api/v1/members?q=ana").json()[0]["must_change_password"] is True
    assert sign_in_with_form(anonymous, "ana@example.com", password).headers["location"] == (
        "/profile/password"
    )
    off = client.patch(f"/api/v1/members/{ana['id']}", json={"active": False})
    assert off.json()["active"] is False


def test_errors(app: App, client: TestClient) -> None:
    me = client.get("/api/v1/me").json()["id"]
    before = snapshot(app)
    duplicate = client.post("/api/v1/members", json={"name": "X", "email": "ADMIN@test.example",
                                                     "role": "viewer"})  # fmt: skip
    assert duplicate.status_code == 409
    last = client.patch(f"/api/v1/members/{me}", json={"role": "viewer"})
    assert last.status_code == 400
    assert last.json()["detail"].startswith("This is the last active administrator")
    assert client.patch("/api/v1/members/999", json={"name": "X"}).status_code == 404
    assert client.post("/api/v1/members/999/reset-password").status_code == 404
    assert snapshot(app) == before


def test_an_sbu_lead_cannot_touch_an_administrator(app: App, web: FastAPI) -> None:
    boss = make_member(app, "admin", "boss@example.com")
    with TestClient(web) as lead:
        sign_in(lead, app, role="sbu_lead")
        before = snapshot(app)
        for response in (
            lead.patch(f"/api/v1/members/{boss.id}", json={"name": "Renamed"}),
            lead.post(f"/api/v1/members/{boss.id}/reset-password"),
            lead.post(
                "/api/v1/members", json={"name": "X", "email": "x@example.com", "role": "admin"}
            ),
        ):
            assert response.status_code == 403
            assert response.json()["detail"] == (
                "Only an administrator can give or change the administrator role."
            )
        assert snapshot(app) == before
        made = lead.post("/api/v1/members", json={"name": "Y", "email": "y@example.com",
                                                   "role": "agent"})  # fmt: skip
        assert made.status_code == 201
