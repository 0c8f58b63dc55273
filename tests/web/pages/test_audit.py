"""Settings → Audit log: newest first, filters, "Older" paging, escaped before/after JSON."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import FastAPI

from sbu.bootstrap import App
from sbu.core.clock import FixedClock
from sbu.org.services import create_department, update_department
from tests.web.accounts import EN, SETUP, audit_count
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import XSS

EVENT = re.compile(r'<li class="card audit-event" id="event-(\d+)">')


def events(html: str) -> list[int]:
    return [int(found) for found in EVENT.findall(html)]


def test_newest_first_with_changed_keys_highlighted(app: App, client: TestClient) -> None:
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    update_department(app.db, app.clock, SETUP, care.id, headcount=12, name=XSS[:100])
    html = client.get("/settings/audit", headers=EN).text
    shown = events(html)
    assert shown == sorted(shown, reverse=True)
    update = html.split(f'id="event-{shown[0]}"')[1].split("</li>")[0]
    assert "department.updated" in update
    assert "test:setup" in update
    assert '<mark class="line changed">  &#34;headcount&#34;: 12,</mark>' in update
    assert '<span class="line">  &#34;kind&#34;: &#34;care&#34;,</span>' in update
    creation = html.split(f'id="event-{shown[1]}"')[1].split("</li>")[0]
    assert "department.created" in creation
    assert "<mark" not in creation
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_filters(app: App, client: TestClient) -> None:
    assert isinstance(app.clock, FixedClock)
    care = create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    app.clock.advance(timedelta(days=3))
    update_department(app.db, app.clock, SETUP, care.id, headcount=3)
    by_action = client.get("/settings/audit?action=department.updated", headers=EN).text
    assert len(events(by_action)) == 1
    assert '<option value="department.updated" selected>' in by_action
    by_object = client.get(f"/settings/audit?object_type=department&object_id={care.id}").text
    assert len(events(by_object)) == 2
    by_day = client.get("/settings/audit?object_type=department&from=2026-11-28&to=2026-11-28").text
    assert len(events(by_day)) == 1
    by_actor = client.get("/settings/audit?actor=nobody", headers=EN).text
    assert "No event matches these filters." in by_actor
    bad = client.get("/settings/audit?from=yesterday", headers=EN)
    assert bad.status_code == 400
    assert "The day yesterday cannot be read: write it as 2026-11-28." in bad.text


def test_older_pages(app: App, client: TestClient) -> None:
    for number in range(60):
        create_department(app.db, app.clock, SETUP, name=f"Department {number:02d}", kind="care")
    first = client.get("/settings/audit?action=department.", headers=EN).text
    assert len(events(first)) == 50
    older = re.search(r'<a class="button" href="([^"]+)" rel="next">Older</a>', first)
    assert older is not None
    url = older.group(1).replace("&amp;", "&")
    assert "action=department." in url
    second = client.get(url, headers=EN).text
    assert len(events(second)) == 10
    assert set(events(first)).isdisjoint(events(second))
    assert 'rel="next"' not in second
    assert "Newest" in second


def test_reading_the_log_changes_nothing_and_is_for_admins_and_leads(
    app: App, web: FastAPI
) -> None:
    with TestClient(web) as lead:
        sign_in(lead, app, role="sbu_lead")
        count = audit_count(app)
        assert lead.get("/settings/audit").status_code == 200
        assert audit_count(app) == count
    with TestClient(web) as analyst:
        sign_in(analyst, app, role="analyst", email="analyst@test.example")
        assert analyst.get("/settings/audit").status_code == 403
        assert 'href="/settings/audit"' not in analyst.get("/settings", headers=EN).text
