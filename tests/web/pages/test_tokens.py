"""Settings → API tokens: every member's tokens for administrators, and revoking any of them."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from sbu.bootstrap import App
from sbu.core.clock import FixedClock
from sbu.org.api_tokens import authenticate_token, revoke_token
from tests.web.accounts import EN, SETUP, make_member, make_token, snapshot
from tests.web.conftest import TestClient, sign_in


def test_every_token_with_owner_scopes_dates_and_status(app: App, client: TestClient) -> None:
    ana = make_member(app, "agent", "ana@example.com")
    bob = make_member(app, "sbu_lead", "bob@example.com")
    active, value = make_token(app, ana.id, ["read"], days=30)
    revoked, _ = make_token(app, bob.id, ["read", "admin"])
    expired, _ = make_token(app, bob.id, ["write"], days=1)
    revoke_token(app.db, app.clock, SETUP, revoked.id)
    authenticate_token(app.db, app.clock, value)  # last used: now
    assert isinstance(app.clock, FixedClock)
    app.clock.advance(timedelta(days=2))
    html = client.get("/settings/tokens", headers=EN).text
    row = html.split(f'<tr id="token-{active.id}">')[1].split("</tr>")[0]
    assert "ana@example.com" in row
    assert "<td>read</td>" in row
    assert '<span class="status status-ok">Active</span>' in row
    assert "Never" not in row  # last used: when the token was authenticated
    assert f'action="/settings/tokens/{active.id}/revoke"' in row
    row = html.split(f'<tr id="token-{revoked.id}">')[1].split("</tr>")[0]
    assert "<td>admin, read</td>" in row
    assert "Revoked" in row
    assert "/revoke" not in row
    assert "Expired" in html.split(f'<tr id="token-{expired.id}">')[1].split("</tr>")[0]
    assert value not in html


def test_an_administrator_revokes_anyones_token(app: App, client: TestClient) -> None:
    ana = make_member(app, "agent", "ana@example.com")
    token, value = make_token(app, ana.id, ["read"])
    response = client.post(f"/settings/tokens/{token.id}/revoke", follow_redirects=False)
    assert response.headers["location"] == "/settings/tokens?done=revoked"
    assert "The token was revoked" in client.get("/settings/tokens?done=revoked", headers=EN).text
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {value}"}).status_code == 401
    assert client.post("/settings/tokens/999/revoke", headers=EN).status_code == 404


def test_only_administrators_see_every_token(app: App, web: FastAPI) -> None:
    ana = make_member(app, "agent", "ana@example.com")
    token, _ = make_token(app, ana.id, ["read"])
    with TestClient(web) as lead:
        sign_in(lead, app, role="sbu_lead")
        assert lead.get("/settings/tokens").status_code == 403
        before = snapshot(app)
        assert lead.post(f"/settings/tokens/{token.id}/revoke").status_code == 403
        assert snapshot(app) == before
        settings = lead.get("/settings", headers=EN).text
        assert 'href="/settings/tokens"' not in settings
        assert 'href="/settings/audit"' in settings
