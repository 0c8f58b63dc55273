"""The profile: details, language preference, and one's own API tokens (shown once, revoked)."""

from __future__ import annotations

import re
from html import unescape

from fastapi import FastAPI
from sqlalchemy import select

from sbu.bootstrap import App
from sbu.org.models import ApiToken, Member
from sbu.org.services import create_department, update_member
from sbu.org.tokens import token_hash
from tests.web.accounts import EN, FR, SETUP, make_member, make_token, snapshot
from tests.web.conftest import TestClient, sign_in

VALUE = re.compile(r'id="token-value" class="secret" type="text" readonly value="([^"]+)"')


def tokens(app: App) -> list[ApiToken]:
    with app.db.session() as session:
        return list(session.execute(select(ApiToken).order_by(ApiToken.id)).scalars())


def test_the_profile_shows_who_i_am(app: App, web: FastAPI) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    with TestClient(web) as client:
        me = sign_in(client, app, role="agent")
        update_member(app.db, app.clock, SETUP, me.id, department_id=care.id)
        html = client.get("/profile", headers=EN).text
    assert "<h1>Test agent</h1>" in html
    assert "<dt>Role</dt><dd>Agent</dd>" in html
    assert "<dt>Department</dt><dd>Care</dd>" in html
    assert "<dt>Last sign-in</dt><dd>Never</dd>" in html
    # agents are not offered the admin scope
    assert 'value="admin"' not in html
    assert 'id="t-scope-write"' in html


def test_change_name_and_language(app: App, client: TestClient) -> None:
    response = client.post("/profile", data={"name": "Alex Admin", "language": "fr"},
                           follow_redirects=False)  # fmt: skip
    assert response.headers["location"] == "/profile?done=details"
    assert "sbu_lang=fr" in response.headers["set-cookie"]
    client.cookies.delete("sbu_lang")
    # the preference alone (no cookie) chooses the language
    page = client.get("/profile?done=details", headers=EN).text
    assert '<html lang="fr">' in page
    assert "Vos informations ont été enregistrées." in unescape(page)
    assert "<h1>Alex Admin</h1>" in page
    with app.db.session() as session:
        me = session.execute(select(Member).where(Member.name == "Alex Admin")).scalar_one()
        assert me.language == "fr"
    back = client.post("/profile", data={"name": "Alex Admin", "language": ""},
                       follow_redirects=False)  # fmt: skip
    assert 'sbu_lang=""' in back.headers["set-cookie"]
    assert '<html lang="en">' in client.get("/profile", headers=EN).text
    empty = client.post("/profile", data={"name": "  ", "language": "fr"}, headers=EN)
    assert empty.status_code == 400
    assert "A member needs a name of 1 to 200 characters." in empty.text


def test_create_a_token_shown_once(app: App, client: TestClient) -> None:
    response = client.post("/profile/tokens", headers=EN,
                           data={"name": "BI export", "scopes": ["read", "write"], "days": "30"})  # fmt: skip
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    value = VALUE.search(response.text).group(1)  # type: ignore[union-attr]
    assert "The token BI export was created." in response.text
    assert "cannot show it again" in response.text
    [token] = tokens(app)
    assert token.token_hash == token_hash(value)
    assert token.scopes == ["read", "write"]
    assert (token.expires_at - token.created_at).days == 30  # type: ignore[operator]
    later = client.get("/profile", headers=EN).text
    assert value not in later
    assert token.prefix in later
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {value}", "Cookie": ""})
    assert me.json()["via"] == "token"


def test_token_errors_keep_the_form(app: App, web: FastAPI) -> None:
    with TestClient(web) as client:
        sign_in(client, app, role="agent")
        before = snapshot(app)
        cases = [
            ({"name": "", "scopes": ["read"], "days": "30"}, 400, "Give the token a name"),
            ({"name": "x", "days": "30"}, 400, "Choose the token's scopes"),
            ({"name": "x", "scopes": ["admin"], "days": "30"}, 403, "Only administrators and SBU leads"),
            ({"name": "x", "scopes": ["read"], "days": "0"}, 403, "Only administrators can create tokens that never expire."),
            ({"name": "x", "scopes": ["read"], "days": "999"}, 400, "A token lives 1 to 366 days"),
            ({"name": "x", "scopes": ["read"], "days": "soon"}, 400, "The number of days must be a whole number"),
        ]  # fmt: skip
        for data, status, sentence in cases:
            response = client.post("/profile/tokens", data=data, headers=EN)
            assert response.status_code == status, data
            assert sentence in unescape(response.text), data
            assert f'value="{data["days"]}"' in response.text
        french = client.post("/profile/tokens", data={"name": "x", "days": "1"}, headers=FR)
        assert "Choisissez les portées du jeton" in unescape(french.text)
        assert snapshot(app) == before


def test_revoke_my_token_but_not_someone_elses(app: App, client: TestClient) -> None:
    other = make_member(app, "agent", "ana@example.com")
    theirs, _ = make_token(app, other.id, ["read"])
    me = client.get("/api/v1/me").json()["id"]
    mine, value = make_token(app, me, ["read"])
    page = client.get("/profile", headers=EN).text
    assert f'action="/profile/tokens/{mine.id}/revoke"' in page
    assert f'action="/profile/tokens/{theirs.id}/revoke"' not in page
    refused = client.post(f"/profile/tokens/{theirs.id}/revoke", headers=EN)
    assert refused.status_code == 403
    assert "You may manage only your own API tokens" in refused.text
    done = client.post(f"/profile/tokens/{mine.id}/revoke", follow_redirects=False)
    assert done.headers["location"] == "/profile?done=revoked"
    revoked = {t.id: t.revoked_at for t in tokens(app)}
    assert revoked[mine.id] is not None
    assert revoked[theirs.id] is None
    assert "Revoked" in client.get("/profile?done=revoked", headers=EN).text
    bearer = {"Authorization": f"Bearer {value}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert client.post("/profile/tokens/999/revoke", headers=EN).status_code == 404
