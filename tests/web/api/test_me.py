"""/api/v1/me and /api/v1/tokens: the caller, their own tokens, revoking."""

from __future__ import annotations

from fastapi import FastAPI

from sbu.bootstrap import App
from sbu.org.tokens import token_hash
from tests.web.accounts import make_member, make_token, snapshot
from tests.web.conftest import TestClient, sign_in


def test_me_by_session_and_by_token(app: App, client: TestClient, anonymous: TestClient) -> None:
    me = client.get("/api/v1/me").json()
    assert me["email"] == "admin@test.example"
    assert me["role"] == "admin"
    assert me["via"] == "session"
    assert me["scopes"] is None
    assert "audit.read" in me["permissions"]
    _token, value = make_token(app, me["id"], ["write", "read"])
    by_token = anonymous.get("/api/v1/me", headers={"Authorization": f"Bearer {value}"}).json()
    assert by_token["via"] == "token"
    assert by_token["scopes"] == ["read", "write"]


def test_patch_me(app: App, client: TestClient) -> None:
    response = client.patch("/api/v1/me", json={"name": "Alex", "language": "fr"})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["language"]) == ("Alex", "fr")
    assert client.patch("/api/v1/me", json={"role": "viewer"}).status_code == 422
    bad = client.patch("/api/v1/me", json={"name": ""})
    assert bad.status_code == 400
    assert bad.json() == {"detail": "A member needs a name of 1 to 200 characters."}


def test_create_list_and_revoke_own_tokens(app: App, client: TestClient) -> None:
    created = client.post("/api/v1/tokens", json={"name": "BI", "scopes": ["read"], "days": 7})
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith(body["prefix"])
    assert body["expires_at"] == "2026-12-05T09:00:00Z"
    listed = client.get("/api/v1/tokens").json()
    assert [t["id"] for t in listed] == [body["id"]]
    assert "token" not in listed[0]
    assert body["token"] not in client.get("/api/v1/tokens").text
    gone = client.delete(f"/api/v1/tokens/{body['id']}")
    assert gone.status_code == 204
    assert client.get("/api/v1/tokens").json()[0]["revoked_at"] == "2026-11-28T09:00:00Z"
    denied = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert denied.status_code == 401
    assert client.delete("/api/v1/tokens/999").status_code == 404


def test_token_rules(app: App, web: FastAPI) -> None:
    with TestClient(web) as client:
        sign_in(client, app, role="analyst")
        admin_scope = client.post("/api/v1/tokens", json={"name": "x", "scopes": ["admin"]})
        assert admin_scope.status_code == 403
        assert admin_scope.json()["detail"].startswith("Only administrators and SBU leads")
        forever = client.post("/api/v1/tokens", json={"name": "x", "scopes": ["read"], "days": 0})
        assert forever.status_code == 403
        assert client.post("/api/v1/tokens", json={"name": "x", "scopes": []}).status_code == 422
        assert (
            client.post("/api/v1/tokens", json={"name": "x", "scopes": ["root"]}).status_code == 422
        )


def test_revoking_someone_elses_token(app: App, client: TestClient, anonymous: TestClient) -> None:
    ana = make_member(app, "agent", "ana@example.com")
    bob = make_member(app, "agent", "bob@example.com")
    anas, _ = make_token(app, ana.id, ["read", "write"])
    bobs, bob_value = make_token(app, bob.id, ["read", "write"])
    before = snapshot(app)
    as_bob = {"Authorization": f"Bearer {bob_value}"}
    refused = anonymous.delete(f"/api/v1/tokens/{anas.id}", headers=as_bob)
    assert refused.status_code == 403
    assert "only your own API tokens" in refused.json()["detail"]
    assert snapshot(app) == before
    me = client.get("/api/v1/me").json()["id"]
    _t, admin_write = make_token(app, me, ["write"])
    as_admin_write = {"Authorization": f"Bearer {admin_write}"}
    assert anonymous.delete(f"/api/v1/tokens/{anas.id}", headers=as_admin_write).status_code == 403
    _t, admin_admin = make_token(app, me, ["admin", "write"])
    as_admin = {"Authorization": f"Bearer {admin_admin}"}
    assert anonymous.delete(f"/api/v1/tokens/{anas.id}", headers=as_admin).status_code == 204
    assert client.delete(f"/api/v1/tokens/{bobs.id}").status_code == 204  # an admin's session
    assert token_hash(bob_value) == bobs.token_hash
    assert anonymous.get("/api/v1/me", headers=as_bob).status_code == 401
