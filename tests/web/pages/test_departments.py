"""Settings → Departments: the list, creating and changing a department, errors, who may."""

from __future__ import annotations

from html import unescape

from fastapi import FastAPI

from sbu.bootstrap import App
from sbu.org.models import Department
from sbu.org.services import create_department
from tests.web.accounts import EN, FR, SETUP, make_member, snapshot
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import XSS

FORM = {
    "name": "Care Brest",
    "kind": "care",
    "parent_id": "",
    "headcount": "40",
    "customer_facing_headcount": "25",
    "timezone": "Europe/Paris",
    "hours_mon": "08:30-12:00, 13:30-19:00",
    "hours_tue": "9:00-18:00",
    "hours_sat": "",
    "holidays": "2026-12-25\n2027-01-01, 2026-12-25",
    "active": "1",
}


def department(app: App, department_id: int) -> Department:
    with app.db.session() as session:
        found = session.get(Department, department_id)
        assert found is not None
        return found


def test_create_a_department_through_the_form(app: App, client: TestClient) -> None:
    sbu = create_department(app.db, app.clock, SETUP, name="SBU", kind="sbu")
    form = client.get("/settings/departments/new", headers=EN).text
    assert 'name="csrf_token"' in form
    assert '<option value="care" selected>Customer care</option>' in form
    assert 'value="09:00-18:00"' in form  # default business hours
    response = client.post("/settings/departments/new", data={**FORM, "parent_id": str(sbu.id)},
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    new_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    saved = department(app, new_id)
    assert (saved.name, saved.kind, saved.parent_id) == ("Care Brest", "care", sbu.id)
    assert (saved.headcount, saved.customer_facing_headcount) == (40, 25)
    assert saved.business_hours == {
        "mon": [["08:30", "12:00"], ["13:30", "19:00"]],
        "tue": [["09:00", "18:00"]],
    }
    assert saved.holidays == ["2026-12-25", "2027-01-01"]
    page = client.get(response.headers["location"], headers=EN).text
    assert "The department was created." in page
    assert 'value="08:30-12:00, 13:30-19:00"' in page
    listing = client.get("/settings/departments", headers=EN).text
    assert f'<a href="/settings/departments/{new_id}">Care Brest</a>' in listing
    assert "<td>SBU</td>" in listing  # the parent


def test_change_a_department(app: App, client: TestClient) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    data = {**FORM, "name": "Care", "kind": "pr", "hours_mon": "", "active": ""}
    del data["active"]
    response = client.post(f"/settings/departments/{care.id}", data=data, follow_redirects=False)
    assert response.headers["location"] == f"/settings/departments/{care.id}?done=saved"
    saved = department(app, care.id)
    assert saved.kind == "pr"
    assert saved.active is False
    assert "mon" not in saved.business_hours
    assert "The changes were saved." in client.get(response.headers["location"], headers=EN).text


def test_errors_keep_what_was_typed(app: App, client: TestClient) -> None:
    create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    before = snapshot(app)
    cases = [
        ({"hours_wed": "nine to five"}, 400, "The hours of Wednesday cannot be read"),
        ({"headcount": "-3"}, 400, "The headcount must be a whole number of at least 0"),
        ({"timezone": "Mars/Olympus"}, 400, "The time zone 'Mars/Olympus' is unknown"),
        ({"holidays": "25/12/2026"}, 400, "The holiday '25/12/2026' is not a date"),
        ({"hours_mon": "18:00-09:00"}, 400, "start before end"),
        ({"name": "CARE"}, 409, "A department called 'CARE' already exists."),
    ]
    for change, status, sentence in cases:
        response = client.post("/settings/departments/new", data={**FORM, **change}, headers=EN)
        assert response.status_code == status, change
        assert sentence in unescape(response.text), change
        for value in change.values():
            assert f'value="{value}"' in response.text or f">{value}</textarea>" in response.text
    assert snapshot(app) == before


def test_errors_in_french(app: App, client: TestClient) -> None:
    create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    conflict = client.post("/settings/departments/new", data={**FORM, "name": "Care"}, headers=FR)
    assert "Un service nommé 'Care' existe déjà." in unescape(conflict.text)
    hours = client.post("/settings/departments/new", data={**FORM, "hours_fri": "x"}, headers=FR)
    assert "Les heures du Vendredi sont illisibles" in unescape(hours.text)


def test_names_are_escaped(app: App, client: TestClient) -> None:
    create_department(app.db, app.clock, SETUP, name=XSS[:100], kind="care")
    html = client.get("/settings/departments", headers=EN).text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_every_member_may_read_only_managers_may_change(app: App, web: FastAPI) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    make_member(app, "agent", "a@example.com", department_id=care.id)
    with TestClient(web) as client:
        sign_in(client, app, role="agent")
        listing = client.get("/settings/departments", headers=EN).text
        assert "New department" not in listing
        assert f'<a href="/settings/members?department={care.id}">1</a>' in listing
        page = client.get(f"/settings/departments/{care.id}", headers=EN).text
        assert "You may read this department" in page
        assert '<fieldset class="form-grid" disabled>' in page
        assert "Create the department" not in page
        assert client.get("/settings/departments/new").status_code == 403
    with TestClient(web) as lead:
        sign_in(lead, app, role="sbu_lead")
        assert "New department" in lead.get("/settings/departments", headers=EN).text
        response = lead.post("/settings/departments/new", data={**FORM, "name": "Sales"},
                             follow_redirects=False)  # fmt: skip
        assert response.status_code == 303


def test_an_unknown_department_is_a_404_page(client: TestClient) -> None:
    response = client.get("/settings/departments/999", headers=EN)
    assert response.status_code == 404
    assert "There is no department 999." in response.text
