"""The session cookie, CSRF tokens and who a request comes from."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi import FastAPI
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from sbu.bootstrap import App
from sbu.org.services import update_member
from sbu.web.auth import COOKIE, SessionData, csrf_matches, new_csrf
from tests.web.accounts import SETUP, make_member, sign_in_with_form
from tests.web.conftest import TestClient, sign_in


def test_csrf_tokens() -> None:
    token = new_csrf()
    assert len(token) >= 32
    assert token != new_csrf()
    assert csrf_matches(token, token)
    assert not csrf_matches(token, token[:-1] + "x")
    assert not csrf_matches(token, None)
    assert not csrf_matches(token, "")


def test_a_tampered_or_foreign_cookie_is_nobody(app: App, web: FastAPI) -> None:
    with TestClient(web) as client:
        sign_in(client, app)
        good = client.cookies[COOKIE]
        assert client.get("/api/v1/me").status_code == 200
        client.cookies.set(COOKIE, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
        assert client.get("/api/v1/me").status_code == 401
        other_key = URLSafeTimedSerializer("another-server-secret-" * 2, salt="sbu.session.v1")
        client.cookies.set(COOKIE, other_key.dumps({"m": 1, "e": 0, "c": "x"}))
        assert client.get("/api/v1/me").status_code == 401
        codec = web.state.web.sessions
        client.cookies.set(COOKIE, codec._serializer.dumps({"m": "1", "e": 0, "c": "x"}))
        assert client.get("/api/v1/me").status_code == 401


class SignedThirteenHoursAgo(TimestampSigner):
    """itsdangerous dates signatures with the system clock: this one signs in the past."""

    def get_timestamp(self) -> int:
        return int(time.time()) - 13 * 3600


def test_a_session_expires(app: App, web: FastAPI) -> None:
    codec = web.state.web.sessions
    assert codec.max_age == app.settings.auth.session_hours * 3600
    with TestClient(web) as client:
        member = sign_in(client, app)
        stale = URLSafeTimedSerializer(
            app.settings.web.secret_key.get_secret_value(), salt="sbu.session.v1",
            signer=SignedThirteenHoursAgo,
        )  # fmt: skip
        client.cookies.set(COOKIE, stale.dumps({"m": member.id, "e": 0, "c": "x"}))
        assert client.get("/api/v1/me").status_code == 401
    assert timedelta(seconds=codec.max_age) == timedelta(hours=12)


def test_a_role_change_ends_the_session(app: App, anonymous: TestClient) -> None:
    ana = make_member(app, "analyst", "ana@example.com")
    sign_in_with_form(anonymous, "ana@example.com")
    assert anonymous.get("/settings/dead-letters", follow_redirects=False).status_code == 200
    update_member(app.db, app.clock, SETUP, ana.id, role="viewer")
    assert anonymous.get("/settings/dead-letters", follow_redirects=False).status_code == 303


def test_the_session_data_round_trips(app: App, web: FastAPI) -> None:
    codec = web.state.web.sessions
    with TestClient(web) as client:
        member = sign_in(client, app)
        data = codec._serializer.loads(client.cookies[COOKIE])
    assert data["m"] == member.id
    assert data["e"] == member.session_epoch
    assert SessionData(data["m"], data["e"], data["c"]).csrf == client.headers["X-CSRF-Token"]
