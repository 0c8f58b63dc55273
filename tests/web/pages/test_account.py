"""Signing in and out through the real forms, lockout, password change, sessions that end."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from fastapi import FastAPI

from sbu.bootstrap import App, build
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.org.services import update_member
from sbu.web.app import create_app
from tests.conftest import make_settings
from tests.web.accounts import EN, FR, PASSWORD, SETUP, csrf_of, make_member, sign_in_with_form
from tests.web.conftest import TestClient

SAME = "The email or the password is not right. Check both and try again."


def test_sign_in_and_out(app: App, anonymous: TestClient) -> None:
    make_member(app, "agent", "ana@example.com", name="Ana Lopez")
    assert anonymous.get("/profile", follow_redirects=False).status_code == 303
    response = sign_in_with_form(anonymous, "Ana@Example.com ", next_page="/settings/members")
    assert response.status_code == 303
    assert response.headers["location"] == "/settings/members"
    profile = anonymous.get("/profile", headers=EN)
    assert profile.status_code == 200
    assert "<h1>Ana Lopez</h1>" in profile.text
    assert 'action="/logout"' in profile.text
    out = anonymous.post(
        "/logout", data={"csrf_token": csrf_of(profile.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert out.headers["location"] == "/login"
    assert anonymous.get("/profile", follow_redirects=False).status_code == 303


def test_unknown_email_and_wrong_password_get_the_same_sentence(
    app: App, anonymous: TestClient
) -> None:
    make_member(app, "agent", "ana@example.com")
    wrong = sign_in_with_form(anonymous, "ana@example.com", "not the password at all")
    unknown = sign_in_with_form(anonymous, "nobody@example.com", PASSWORD)
    inactive = make_member(app, "agent", "gone@example.com")
    update_member(app.db, app.clock, SETUP, inactive.id, active=False)
    deactivated = sign_in_with_form(anonymous, "gone@example.com", PASSWORD)
    for response in (wrong, unknown, deactivated):
        assert response.status_code == 401
        assert SAME in response.text
    # the form keeps the email typed, never the password
    assert 'value="ana@example.com"' in wrong.text
    assert "not the password at all" not in wrong.text
    french = sign_in_with_form(anonymous, "x@example.com", "y" * 12, headers=FR)
    assert "L'adresse e-mail ou le mot de passe est incorrect" in unescape(french.text)


def test_lockout_after_repeated_failures(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    settings = make_settings(
        database_url, tmp_path, web={"secret_key": "s" * 40}, auth={"max_failed_logins": 3}
    )
    app = build(settings, clock=clock)
    try:
        make_member(app, "agent", "ana@example.com")
        with TestClient(create_app(app)) as client:
            for _ in range(2):
                assert SAME in sign_in_with_form(client, "ana@example.com", "wrong password 1").text
            locked = sign_in_with_form(client, "ana@example.com", "wrong password 1")
            assert locked.status_code == 401
            assert "Too many failed sign-ins for this email: try again in 15 minutes" in locked.text
            # the right password does not open a locked address
            still = sign_in_with_form(client, "ana@example.com", PASSWORD)
            assert "Too many failed sign-ins" in still.text
            french = sign_in_with_form(client, "ana@example.com", PASSWORD, headers=FR)
            assert "Trop de tentatives de connexion" in french.text
            assert "15 min" in french.text
            clock.advance(timedelta(minutes=16))
            assert sign_in_with_form(client, "ana@example.com", PASSWORD).status_code == 303
    finally:
        app.close()


def test_a_password_change_elsewhere_ends_this_session(app: App, web: FastAPI) -> None:
    make_member(app, "agent", "ana@example.com")
    with TestClient(web) as laptop, TestClient(web) as phone:
        sign_in_with_form(laptop, "ana@example.com")
        sign_in_with_form(phone, "ana@example.com")
        assert phone.get("/profile", follow_redirects=False).status_code == 200
        page = laptop.get("/profile/password", headers=EN)
        new = "another harbour 88 lights"
        changed = laptop.post("/profile/password", follow_redirects=False, data={
            "current": PASSWORD, "new": new, "confirm": new, "csrf_token": csrf_of(page.text)})  # fmt: skip
        assert changed.headers["location"] == "/profile?done=password"
        assert "Your password was changed" in laptop.get("/profile?done=password", headers=EN).text
        assert phone.get("/profile", follow_redirects=False).status_code == 303
        assert phone.get("/api/v1/me").status_code == 401


def test_password_change_errors_keep_the_form(app: App, anonymous: TestClient) -> None:
    make_member(app, "agent", "ana@example.com")
    sign_in_with_form(anonymous, "ana@example.com")
    page = anonymous.get("/profile/password", headers=EN)
    csrf = csrf_of(page.text)
    differ = anonymous.post("/profile/password", headers=EN, data={
        "current": PASSWORD, "new": "one long phrase 1", "confirm": "one long phrase 2",
        "csrf_token": csrf})  # fmt: skip
    assert differ.status_code == 400
    assert "The two new passwords differ" in differ.text
    wrong = anonymous.post("/profile/password", headers=FR, data={
        "current": "nope nope nope", "new": "one long phrase 1", "confirm": "one long phrase 1",
        "csrf_token": csrf})  # fmt: skip
    assert wrong.status_code == 400
    assert "Le mot de passe actuel est incorrect." in wrong.text
    short = anonymous.post("/profile/password", headers=EN, data={
        "current": PASSWORD, "new": "short", "confirm": "short", "csrf_token": csrf})  # fmt: skip
    assert "The password must have at least 12 characters" in short.text


def test_a_deactivated_members_session_stops_working(app: App, anonymous: TestClient) -> None:
    ana = make_member(app, "agent", "ana@example.com")
    sign_in_with_form(anonymous, "ana@example.com")
    assert anonymous.get("/listening/stream", follow_redirects=False).status_code == 200
    update_member(app.db, app.clock, Actor("test", "admin"), ana.id, active=False)
    assert anonymous.get("/listening/stream", follow_redirects=False).status_code == 303
    assert anonymous.get("/api/v1/mentions").status_code == 401


@pytest.mark.parametrize(
    ("base", "secure"), [("http://testserver", False), ("https://testserver", True)]
)
def test_session_cookie_flags(app: App, web: FastAPI, base: str, secure: bool) -> None:
    make_member(app, "agent", "ana@example.com")
    with TestClient(web, base_url=base) as client:
        response = sign_in_with_form(client, "ana@example.com")
    cookie = next(
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith("sbu_session=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/" in flags
    assert ("secure" in flags) is secure


def test_sign_in_sets_the_members_language(app: App, anonymous: TestClient) -> None:
    ana = make_member(app, "agent", "ana@example.com")
    update_member(app.db, app.clock, SETUP, ana.id, language="fr")
    response = sign_in_with_form(anonymous, "ana@example.com")
    assert "sbu_lang=fr" in "; ".join(response.headers.get_list("set-cookie"))
    assert '<html lang="fr">' in anonymous.get("/", headers=EN).text


def test_the_sign_in_page_of_a_signed_in_member_goes_on(client: TestClient) -> None:
    response = client.get("/login?next=/settings", follow_redirects=False)
    assert response.headers["location"] == "/settings"
    assert (
        client.get("/login?next=https://evil.example/", follow_redirects=False).headers["location"]
        == "/"
    )
