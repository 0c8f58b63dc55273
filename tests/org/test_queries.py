"""Read models of the organisation and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sbu.bootstrap import App
from sbu.core import audit
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import NotFound
from sbu.org import queries, services
from sbu.org.api_tokens import create_token
from sbu.org.queries import AuditFilters
from tests.conftest import NOW
from tests.org.conftest import CLI, Org


def test_departments_with_parents_and_active_member_counts(app: App, org: Org) -> None:
    hub = services.create_department(app.db, app.clock, CLI, name="Pôle Vendée", kind="care",
                                     parent_id=org.care_id)  # fmt: skip
    closed = services.create_department(app.db, app.clock, CLI, name="Ancien pôle", kind="care")
    services.update_department(app.db, app.clock, CLI, closed.id, active=False)
    services.create_member(app.db, app.clock, CLI, name="Tom", email="tom@o.example", role="agent",
                           department_id=org.care_id)  # fmt: skip
    gone = services.create_member(app.db, app.clock, CLI, name="Eva", email="eva@o.example",
                                  role="agent", department_id=org.care_id)  # fmt: skip
    services.update_member(app.db, app.clock, CLI, gone.id, active=False)
    with app.db.session() as session:
        rows = queries.list_departments(session)
        active_only = queries.list_departments(session, include_inactive=False)
    assert [r.department.name for r in rows] == [
        "Ancien pôle",
        "Pôle Vendée",
        "SBU",
        "Service client",
    ]
    by_name = {r.department.name: r for r in rows}
    assert by_name["Service client"].members == 2  # Inès and Tom; Eva is deactivated
    assert by_name["SBU"].members == 2
    assert by_name["Pôle Vendée"].members == 0
    assert by_name["Pôle Vendée"].parent_name == "Service client"
    assert by_name["SBU"].parent_name is None
    assert hub.id == by_name["Pôle Vendée"].department.id
    assert "Ancien pôle" not in [r.department.name for r in active_only]


def test_members_with_filters(app: App, org: Org) -> None:
    services.create_member(app.db, app.clock, CLI, name="Yves Le Gall", email="yves.legall@o.example",
                           role="agent")  # fmt: skip
    services.update_member(app.db, app.clock, CLI, Org.id_of(org.lead), active=False)
    with app.db.session() as session:

        def names(**filters: object) -> list[str]:
            return [row.member.name for row in queries.list_members(session, **filters)]  # type: ignore[arg-type]

        assert names() == ["Anne Le Goff", "Inès Morvan", "Louis Tanguy", "Yves Le Gall"]
        assert names(department_id=org.care_id) == ["Inès Morvan"]
        assert names(role="agent") == ["Inès Morvan", "Yves Le Gall"]
        assert names(active=False) == ["Louis Tanguy"]
        assert names(active=True, role="sbu_lead") == []
        assert names(q="le GOFF") == ["Anne Le Goff"]  # names compare in lower case
        assert names(q="LEGALL") == ["Yves Le Gall"]  # and emails too
        rows = queries.list_members(session, department_id=org.sbu_id)
    assert {r.department_name for r in rows} == {"SBU"}


def test_find_department_and_member_by_name_email_or_id(app: App, org: Org) -> None:
    with app.db.session() as session:
        assert queries.find_department(session, "service CLIENT").id == org.care_id
        assert queries.find_department(session, str(org.sbu_id)).name == "SBU"
        assert queries.find_department(session, org.sbu_id).name == "SBU"
        assert queries.find_member(session, " INES@ondine.example ").id == Org.id_of(org.agent)
        assert (
            queries.find_member(session, str(Org.id_of(org.lead))).email == "louis@ondine.example"
        )
        with pytest.raises(NotFound, match="no department called 'Compta'"):
            queries.find_department(session, "Compta")
        with pytest.raises(NotFound, match=r"no member with the email 'x@o\.example'"):
            queries.find_member(session, "x@o.example")


def test_tokens_newest_first_with_the_owner(app: App, org: Org, clock: FixedClock) -> None:
    first, _ = create_token(app.db, app.clock, CLI, Org.id_of(org.agent), name="a", scopes=["read"])
    clock.advance(timedelta(minutes=1))
    second, _ = create_token(app.db, app.clock, CLI, Org.id_of(org.lead), name="b", scopes=["read"])
    third, _ = create_token(app.db, app.clock, CLI, Org.id_of(org.agent), name="c", scopes=["read"])
    with app.db.session() as session:
        every = [(t.id, email) for t, email in queries.tokens_of(session)]
        agent = [t.id for t, _ in queries.tokens_of(session, Org.id_of(org.agent))]
    assert every == [
        (third.id, "ines@ondine.example"), (second.id, "louis@ondine.example"),
        (first.id, "ines@ondine.example"),
    ]  # fmt: skip
    assert agent == [third.id, first.id]


def _events(app: App, clock: FixedClock) -> None:
    """Six audit events an hour apart, by two actors, on two kinds of objects."""
    with app.db.write_session() as session:
        for i, (actor, action, kind) in enumerate(
            [
                ("ana", "source.created", "source"), ("ana", "member.created", "member"),
                ("bob", "member.updated", "member"), ("ana", "member.password_reset", "member"),
                ("bob", "token.created", "api_token"), ("bob", "source.updated", "source"),
            ]
        ):  # fmt: skip
            audit.record(session, clock, Actor("user", actor), action, kind, i % 2)
            clock.advance(timedelta(hours=1))
        session.commit()


def test_audit_pages_are_newest_first_with_a_keyset(app: App, clock: FixedClock) -> None:
    _events(app, clock)
    with app.db.session() as session:
        first = queries.audit_page(session, AuditFilters(), limit=4)
        assert [e.action for e in first.events] == [
            "source.updated", "token.created", "member.password_reset", "member.updated",
        ]  # fmt: skip
        assert first.older == first.events[-1].id
        second = queries.audit_page(session, AuditFilters(), limit=4, before=first.older)
        assert [e.action for e in second.events] == ["member.created", "source.created"]
        assert second.older is None
        exact = queries.audit_page(session, AuditFilters(), limit=6)
        assert exact.older is None
        assert len(exact.events) == 6


def test_audit_filters(app: App, clock: FixedClock) -> None:
    _events(app, clock)
    with app.db.session() as session:

        def actions(**filters: object) -> list[str]:
            page = queries.audit_page(session, AuditFilters(**filters))  # type: ignore[arg-type]
            return [e.action for e in page.events]

        assert actions(actor="bob") == ["source.updated", "token.created", "member.updated"]
        assert actions(action="member.") == [
            "member.password_reset",
            "member.updated",
            "member.created",
        ]
        assert actions(action="member.p") == ["member.password_reset"]
        assert actions(object_type="source") == ["source.updated", "source.created"]
        assert actions(object_type="member", object_id="1") == [
            "member.password_reset",
            "member.created",
        ]
        assert actions(since=NOW + timedelta(hours=4)) == ["source.updated", "token.created"]
        assert actions(until=NOW + timedelta(hours=1)) == ["source.created"]
        assert actions(since=NOW + timedelta(hours=1), until=NOW + timedelta(hours=3)) == [
            "member.updated", "member.created",
        ]  # fmt: skip
        assert actions(actor="carol") == []
        assert queries.audit_actions(session) == sorted(
            ["source.created", "member.created", "member.updated", "member.password_reset",
             "token.created", "source.updated"]
        )  # fmt: skip


def test_iter_audit_is_oldest_first_across_batches(app: App, clock: FixedClock) -> None:
    _events(app, clock)
    with app.db.session() as session:
        every = [e.action for e in queries.iter_audit(session, AuditFilters(), batch=4)]
        small = [e.action for e in queries.iter_audit(session, AuditFilters(actor="ana"), batch=1)]
        none = list(queries.iter_audit(session, AuditFilters(action="nothing"), batch=2))
    assert every == [
        "source.created", "member.created", "member.updated", "member.password_reset",
        "token.created", "source.updated",
    ]  # fmt: skip
    assert small == ["source.created", "member.created", "member.password_reset"]
    assert none == []
