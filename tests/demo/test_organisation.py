"""The demo organisation: Ondine Télécom's departments and members, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from sbu.bootstrap import App
from sbu.core.audit import Actor, AuditEvent
from sbu.demo.organisation import (
    DEPARTMENTS,
    MEMBERS,
    describe,
    easter,
    email_of,
    ensure_organisation,
    french_holidays,
    holidays_for,
)
from sbu.org import services
from sbu.org.models import Department, Member
from sbu.org.roles import DEPARTMENT_KINDS

ACTOR = Actor("test", "pytest")
START, END = date(2026, 10, 29), date(2026, 11, 28)  # the demo period at the tests' clock


@pytest.mark.parametrize(
    ("year", "sunday"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
     (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)), (2285, date(2285, 3, 22))],
)  # fmt: skip
def test_easter(year: int, sunday: date) -> None:
    assert easter(year) == sunday


def test_french_public_holidays() -> None:
    assert french_holidays(2026) == [
        date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8),
        date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15),
        date(2026, 11, 1), date(2026, 11, 11), date(2026, 12, 25),
    ]  # fmt: skip


def test_holidays_cover_the_demo_period_and_the_next_year() -> None:
    office = holidays_for(START, END, care=False)
    assert "2026-11-11" in office  # Armistice Day falls inside the demo period, on a Wednesday
    assert "2027-05-17" in office  # Whit Monday of the next year
    assert len(office) == 22
    care = holidays_for(START, END, care=True)
    assert care == [
        "2026-01-01",
        "2026-05-01",
        "2026-12-25",
        "2027-01-01",
        "2027-05-01",
        "2027-12-25",
    ]


def test_emails_are_ascii_and_unique() -> None:
    assert email_of("Élodie Rabaud") == "elodie.rabaud@ondine-telecom.example"
    assert email_of("Yann Le Bihan") == "yann.le-bihan@ondine-telecom.example"
    emails = [email_of(name) for name, _, _ in MEMBERS]
    assert len(set(emails)) == len(emails)
    assert all(e.isascii() and e.endswith("@ondine-telecom.example") for e in emails)


def test_the_organisation_is_realistic() -> None:
    kinds = {spec.kind for spec in DEPARTMENTS}
    assert {"sbu", "care", "marketing", "pr", "sales", "hr", "product"} <= kinds
    assert {DEPARTMENT_KINDS[k] for k in kinds} == {"sbu", "business", "control"}
    assert any(spec.parent for spec in DEPARTMENTS)
    assert all(spec.customer_facing <= spec.headcount for spec in DEPARTMENTS)
    roles = Counter(role for _, _, role in MEMBERS)
    assert 25 <= len(MEMBERS) <= 35
    assert 1 <= roles["sbu_lead"] <= 2
    assert roles["admin"] == 0  # the first admin comes from `sbu users ensure-admin`
    assert roles["agent"] >= 8
    assert roles["analyst"] >= 3
    assert roles["viewer"] >= 3
    care = [d for _, d, role in MEMBERS if role == "agent" and d.startswith("Service client")]
    assert len(care) >= 5
    departments = {spec.name for spec in DEPARTMENTS}
    assert {d for _, d, _ in MEMBERS} == departments  # nobody is in an unknown department


def test_ensure_organisation_creates_it_through_the_services(app: App) -> None:
    summary = ensure_organisation(app, ACTOR, start=START, end=END)
    assert (summary.departments, summary.members) == (len(DEPARTMENTS), len(MEMBERS))
    assert "10 departments and 30 members" in describe(summary)
    assert "sbu users reset-password EMAIL" in describe(summary)
    with app.db.session() as session:
        departments = {d.name: d for d in session.execute(select(Department)).scalars()}
        members = list(session.execute(select(Member)).scalars())
        actions = Counter(session.execute(select(AuditEvent.action)).scalars())
        actors = set(session.execute(select(AuditEvent.actor)).scalars())
    assert actions == {"department.created": len(DEPARTMENTS), "member.created": len(MEMBERS)}
    assert actors == {"test:pytest"}
    care = departments["Service client"]
    hub = departments["Service client — pôle Vendée"]
    assert hub.parent_id == care.id
    assert care.business_hours["sat"] == [["09:00", "18:00"]]
    assert "sun" not in care.business_hours
    assert "sat" not in departments["Marketing"].business_hours
    assert departments["Ventes entreprises"].business_hours["mon"] == [
        ["08:30", "12:30"],
        ["13:30", "18:30"],
    ]
    assert "2026-11-11" in departments["Marketing"].holidays
    assert "2026-11-11" not in care.holidays
    assert "2026-12-25" in care.holidays
    assert (care.headcount, care.customer_facing_headcount) == (180, 165)
    assert all(d.timezone == "Europe/Paris" and d.active for d in departments.values())
    assert all(m.password_hash is None and m.active for m in members)
    assert {m.email for m in members} == {email_of(name) for name, _, _ in MEMBERS}
    by_email = {m.email: m for m in members}
    ines = by_email["ines.morvan@ondine-telecom.example"]
    assert (ines.name, ines.role, ines.department_id) == ("Inès Morvan", "agent", care.id)


def test_ensure_organisation_is_idempotent_and_keeps_what_exists(app: App) -> None:
    services.create_department(
        app.db, app.clock, ACTOR, name="marketing", kind="marketing", headcount=3
    )
    services.create_member(app.db, app.clock, ACTOR, name="Chloé B.", role="admin",
                           email="chloe.bernier@ondine-telecom.example")  # fmt: skip
    first = ensure_organisation(app, ACTOR, start=START, end=END)
    assert (first.departments, first.members) == (len(DEPARTMENTS) - 1, len(MEMBERS) - 1)
    again = ensure_organisation(app, ACTOR, start=START, end=END)
    assert not again.created
    with app.db.session() as session:
        departments = list(session.execute(select(Department)).scalars())
        members = list(session.execute(select(Member)).scalars())
        events = len(list(session.execute(select(AuditEvent.id)).scalars()))
    assert len(departments) == len(DEPARTMENTS)
    assert len(members) == len(MEMBERS)
    assert events == len(DEPARTMENTS) + len(MEMBERS)
    marketing = next(d for d in departments if d.name.lower() == "marketing")
    assert marketing.headcount == 3  # left as the company set it
    chloe = next(m for m in members if m.email.startswith("chloe."))
    assert (chloe.name, chloe.role) == ("Chloé B.", "admin")


def test_the_first_admin_can_still_be_created_after_the_demo(app: App) -> None:
    ensure_organisation(app, ACTOR, start=START, end=END)
    created = services.ensure_first_admin(app.db, app.clock, ACTOR, email="admin@sbu.local")
    assert created is not None


def test_docs_demo_md_describes_this_organisation() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "demo.md").read_text(encoding="utf-8")
    section = text.split("## The organisation", 1)[1].split("\n## ", 1)[0]
    for spec in DEPARTMENTS:
        row = next(line for line in section.splitlines() if line.startswith(f"| {spec.name} |"))
        assert f"| {spec.headcount} | {spec.customer_facing} |" in row, spec.name
    for name, _, role in MEMBERS:
        line = next(line for line in section.splitlines() if line.startswith(f"| `{role}` |"))
        assert name in line, (name, role)
