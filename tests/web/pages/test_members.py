"""Settings → Members: list and filters, create, edit, reset a password; what leads may not do."""

from __future__ import annotations

import re
from html import unescape

from fastapi import FastAPI
from sqlalchemy import select

from sbu.bootstrap import App
from sbu.org.models import Member
from sbu.org.passwords import verify_password
from sbu.org.services import create_department, update_member
from tests.web.accounts import EN, FR, SETUP, make_member, snapshot
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import XSS


def member_by_email(app: App, email: str) -> Member:
    with app.db.session() as session:
        return session.execute(select(Member).where(Member.email == email)).scalar_one()


def names(html: str) -> list[str]:
    return re.findall(r'<th scope="row">(?:<a href="[^"]+">)?([^<]+)', html)


def test_list_and_filters(app: App, client: TestClient) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    make_member(app, "agent", "ana@example.com", name="Ana Lopez", department_id=care.id)
    bob = make_member(app, "analyst", "bob@example.com", name="Bob Martin")
    make_member(app, "viewer", "chloe@other.example", name="Chloé Petit")
    update_member(app.db, app.clock, SETUP, bob.id, active=False)
    everyone = client.get("/settings/members", headers=EN).text
    assert names(everyone) == ["Ana Lopez", "Bob Martin", "Chloé Petit", "Test admin"]
    assert names(client.get(f"/settings/members?department={care.id}").text) == ["Ana Lopez"]
    assert names(client.get("/settings/members?role=analyst").text) == ["Bob Martin"]
    assert names(client.get("/settings/members?active=0").text) == ["Bob Martin"]
    active = client.get("/settings/members?active=1").text
    assert "Bob Martin" not in names(active)
    search = client.get("/settings/members?q=OTHER.example", headers=EN).text
    assert names(search) == ["Chloé Petit"]
    assert 'type="search" maxlength="200" value="OTHER.example"' in search
    none = client.get("/settings/members?q=nobody", headers=EN).text
    assert "No member matches these filters." in none


def test_create_a_member_then_reset_their_password(app: App, client: TestClient) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    response = client.post(
        "/settings/members/new",
        data={"name": "Ana Lopez", "email": "Ana@Example.com", "role": "agent",
              "department_id": str(care.id)},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    ana = member_by_email(app, "ana@example.com")
    assert (ana.role, ana.department_id, ana.password_hash) == ("agent", care.id, None)
    page = client.get(response.headers["location"], headers=EN).text
    assert "The member was created. They cannot sign in yet" in page
    reset = client.post(f"/settings/members/{ana.id}/reset-password", headers=EN)
    assert reset.status_code == 200
    assert reset.headers["cache-control"] == "no-store"
    password = re.search(r'id="one-time-password" class="secret" type="text" readonly value="([^"]+)"',
                         reset.text).group(1)  # type: ignore[union-attr]  # fmt: skip
    assert "It is shown only this once" in reset.text
    stored = member_by_email(app, "ana@example.com")
    assert stored.must_change_password
    assert verify_password(stored.password_hash, password)
    # shown once: the member's page never shows it again
    assert password not in client.get(f"/settings/members/{ana.id}", headers=EN).text


def test_edit_a_member(app: App, client: TestClient) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    ana = make_member(app, "agent", "ana@example.com", name="Ana")
    form = client.get(f"/settings/members/{ana.id}", headers=EN).text
    assert 'value="ana@example.com" readonly' in form
    response = client.post(
        f"/settings/members/{ana.id}",
        data={"name": "Ana Lopez", "department_id": str(care.id), "role": "analyst"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.headers["location"] == f"/settings/members/{ana.id}?done=saved"
    saved = member_by_email(app, "ana@example.com")
    assert (saved.name, saved.department_id, saved.role, saved.active) == (
        "Ana Lopez", care.id, "analyst", False,
    )  # fmt: skip
    assert saved.session_epoch == ana.session_epoch + 1  # role change and deactivation


def test_errors_keep_what_was_typed(app: App, client: TestClient) -> None:
    make_member(app, "agent", "ana@example.com")
    before = snapshot(app)
    duplicate = client.post("/settings/members/new", headers=EN, data={
        "name": "Other Ana", "email": "ANA@example.com", "role": "viewer"})  # fmt: skip
    assert duplicate.status_code == 409
    assert "A member with the email ana@example.com already exists." in duplicate.text
    assert 'value="Other Ana"' in duplicate.text
    assert 'value="ANA@example.com"' in duplicate.text
    bad = client.post("/settings/members/new", headers=FR, data={
        "name": "Bob", "email": "bob-at-example", "role": "viewer"})  # fmt: skip
    assert bad.status_code == 400
    assert "'bob-at-example' n'est pas une adresse e-mail" in unescape(bad.text)
    assert snapshot(app) == before


def test_an_admin_cannot_deactivate_themselves(app: App, client: TestClient) -> None:
    me = member_by_email(app, "admin@test.example")
    form = client.get(f"/settings/members/{me.id}", headers=EN).text
    assert 'name="active" type="checkbox" value="1" checked disabled' in form
    response = client.post(f"/settings/members/{me.id}", headers=EN,
                           data={"name": me.name, "role": "admin"})  # fmt: skip
    assert response.status_code == 400
    assert "You cannot deactivate yourself" in response.text
    assert member_by_email(app, "admin@test.example").active


def test_an_sbu_lead_cannot_change_an_administrator(app: App, web: FastAPI) -> None:
    boss = make_member(app, "admin", "boss@example.com", name="Boss")
    with TestClient(web) as lead:
        sign_in(lead, app, role="sbu_lead")
        form = lead.get(f"/settings/members/{boss.id}", headers=EN).text
        before = snapshot(app)
        edit = lead.post(f"/settings/members/{boss.id}", headers=EN,
                         data={"name": "Renamed", "role": "admin", "active": "1"})  # fmt: skip
        assert edit.status_code == 403
        assert "Only an administrator can give or change the administrator role." in edit.text
        assert 'value="Renamed"' in edit.text
        reset = lead.post(f"/settings/members/{boss.id}/reset-password", headers=EN)
        assert reset.status_code == 403
        assert 'id="one-time-password"' not in reset.text
        create = lead.post("/settings/members/new", headers=FR,
                           data={"name": "X", "email": "x@example.com", "role": "admin"})  # fmt: skip
        assert create.status_code == 403
        assert "Seul un administrateur peut donner" in unescape(create.text)
        assert snapshot(app) == before
    # the lead is not offered the administrator role for a new member
    assert '<option value="admin"' in form  # the administrator's own role, shown
    with TestClient(web) as lead:
        sign_in(lead, app, role="sbu_lead", email="lead2@test.example")
        new = lead.get("/settings/members/new", headers=EN).text
        assert '<option value="admin"' not in new
        assert '<option value="sbu_lead"' in new


def test_viewers_see_the_list_without_links_or_buttons(app: App, web: FastAPI) -> None:
    make_member(app, "agent", "ana@example.com", name=XSS[:200])
    with TestClient(web) as client:
        sign_in(client, app, role="viewer")
        html = client.get("/settings/members", headers=EN).text
    assert "New member" not in html
    assert 'href="/settings/members/' not in html
    assert "<script>alert(1)" not in html
    assert "ana@example.com" in html
