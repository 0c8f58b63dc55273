"""Signing in, CSRF, lockout and a member's first sign-in, in a real browser.

One ``sbu serve`` for the module (tests/web/browser.py: a first administrator created in the
database before the server starts, at most 3 failed sign-ins); each test uses its own members, so
the tests do not depend on each other's order. Every request must stay on the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from sbu.bootstrap import build
from sbu.core.audit import Actor
from sbu.org.models import Member
from sbu.org.services import create_member
from tests.conftest import make_settings
from tests.web.browser import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    MAX_FAILED_LOGINS,
    Server,
    launch,
    running_server,
    sign_in,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SAME = "The email or the password is not right. Check both and try again."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("browser-auth")) as handle:
        yield handle


@pytest.fixture
def context(server: Server) -> Iterator[BrowserContext]:
    """A fresh browser (no cookies) whose requests must all go to the server."""
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            fresh = browser.new_context(locale="en-US", viewport={"width": 1300, "height": 900})
            fresh.on("request", lambda request: requested.append(request.url))
            yield fresh
        finally:
            browser.close()
    outside = [url for url in requested if not url.startswith(server.url + "/")]
    assert not outside, outside


def member(server: Server, email: str) -> Member | None:
    app = build(make_settings(server.env["SBU_DATABASE__URL"], server.tmp))
    try:
        with app.db.session() as session:
            return session.execute(select(Member).where(Member.email == email)).scalar_one_or_none()
    finally:
        app.close()


def add_member(server: Server, email: str, password: str, role: str = "agent") -> None:
    app = build(make_settings(server.env["SBU_DATABASE__URL"], server.tmp))
    try:
        create_member(app.db, app.clock, Actor("test", "browser"), name=f"Member {email}",
                      email=email, role=role, password=password)  # fmt: skip
    finally:
        app.close()


def test_sign_in_and_sign_out(server: Server, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/settings/members")
    assert "/login?next=/settings/members" in page.url
    assert page.locator("h1").inner_text() == "Sign in"
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.wait_for_url("**/settings/members")
    assert page.locator("h1").inner_text() == "Members"
    assert page.locator(".account .who").inner_text() == "Alice Admin"
    cookie = next(c for c in context.cookies() if c["name"] == "sbu_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    page.click(".account button[type=submit]")
    page.wait_for_url("**/login")
    page.goto(f"{server.url}/listening/stream")
    assert "/login?next=/listening/stream" in page.url


def test_a_tampered_csrf_token_is_refused_and_changes_nothing(
    server: Server, context: BrowserContext
) -> None:
    add_member(server, "carla@browser.example", "copper kettle 19 harbour")
    page = context.new_page()
    page.goto(f"{server.url}/login")
    sign_in(page, "carla@browser.example", "copper kettle 19 harbour")
    page.goto(f"{server.url}/profile")
    page.fill("#p-name", "Someone Else")
    page.evaluate(
        "document.querySelector('#details-form input[name=csrf_token]').value = 'forged-token'"
    )
    page.click("#details-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error-code").inner_text() == "403"
    assert "This form expired or did not come from sbu, so nothing was changed" in (
        page.locator(".error-page").inner_text()
    )
    stored = member(server, "carla@browser.example")
    assert stored is not None
    assert stored.name == "Member carla@browser.example"
    # the same form with its own token works
    page.goto(f"{server.url}/profile")
    page.fill("#p-name", "Carla Diaz")
    page.click("#details-form button[type=submit]")
    page.wait_for_url("**/profile?done=details")
    assert page.locator("h1").inner_text() == "Carla Diaz"


def test_lockout_after_repeated_wrong_passwords(server: Server, context: BrowserContext) -> None:
    add_member(server, "dan@browser.example", "silver birch 64 window")
    page = context.new_page()
    page.goto(f"{server.url}/login")
    for _attempt in range(MAX_FAILED_LOGINS - 1):
        sign_in(page, "dan@browser.example", "not my password")
        assert page.locator(".alert-error").inner_text() == SAME
        assert page.input_value("#email") == "dan@browser.example"
        assert page.input_value("#password") == ""
    sign_in(page, "dan@browser.example", "not my password")
    locked = page.locator(".alert-error").inner_text()
    assert locked.startswith("Too many failed sign-ins for this email: try again in 15 minutes")
    sign_in(page, "dan@browser.example", "silver birch 64 window")  # the right one, too late
    assert page.locator(".alert-error").inner_text().startswith("Too many failed sign-ins")
    assert "/login" in page.url
    # an unknown address is answered like a known one
    sign_in(page, "nobody@browser.example", "silver birch 64 window")
    assert page.locator(".alert-error").inner_text() == SAME


def test_an_admin_creates_a_member_who_then_signs_in(
    server: Server, context: BrowserContext
) -> None:
    admin = context.new_page()
    admin.goto(f"{server.url}/")
    sign_in(admin, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.click("#settings-menu a[href='/settings/members']")
    admin.wait_for_url("**/settings/members")
    admin.click("text=New member")
    admin.wait_for_url("**/settings/members/new")
    admin.fill("#m-name", "Élodie Martin")
    admin.fill("#m-email", "elodie@browser.example")
    admin.select_option("#m-role", "analyst")
    admin.click("form.form-card button[type=submit]")
    admin.wait_for_url("**/settings/members/*?done=created")
    assert "The member was created" in admin.locator(".alert-ok").inner_text()
    admin.click("#reset-password")
    admin.wait_for_load_state()
    assert admin.locator("h1").inner_text() == "One-time password"
    one_time = admin.input_value("#one-time-password")
    assert len(one_time) >= 16
    assert "It is shown only this once" in admin.locator(".secret-card").inner_text()
    admin.click(".account button[type=submit]")  # the admin signs out

    page = context.new_page()
    page.goto(f"{server.url}/listening/stream")
    sign_in(page, "elodie@browser.example", one_time)
    page.wait_for_url("**/profile/password")
    assert "Your password was reset by an administrator" in page.locator(".lead").inner_text()
    page.goto(f"{server.url}/listening/stream")  # every page sends back to the password form
    page.wait_for_url("**/profile/password")
    page.fill("#current", one_time)
    page.fill("#new", "northern lights 27 over Brest")
    page.fill("#confirm", "northern lights 27 over Brest")
    page.click("form.form-card button[type=submit]")
    page.wait_for_url("**/profile?done=password")
    assert page.locator("h1").inner_text() == "Élodie Martin"
    page.goto(f"{server.url}/listening/stream")
    assert page.locator("h1").inner_text() == "Stream"
    stored = member(server, "elodie@browser.example")
    assert stored is not None
    assert (stored.role, stored.must_change_password) == ("analyst", False)
