"""A small organisation for the org tests: two departments, an admin, an SBU lead, an agent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from sbu.bootstrap import App
from sbu.core.audit import Actor, AuditEvent
from sbu.org import services
from sbu.org.models import Member

CLI = Actor("cli", "root")
ADMIN_PASSWORD = "le phare du Grand Charpentier"
LEAD_PASSWORD = "une dune de Pornichet au matin"
AGENT_PASSWORD = "trois mouettes sur le quai"


@dataclass(frozen=True, slots=True)
class Org:
    care_id: int
    sbu_id: int
    admin: Actor
    lead: Actor
    agent: Actor

    @staticmethod
    def id_of(actor: Actor) -> int:
        assert actor.member_id is not None
        return actor.member_id


def actor_of(member: Member) -> Actor:
    return Actor("user", member.email, member.id, member.role)


@pytest.fixture
def org(app: App) -> Org:
    care = services.create_department(app.db, app.clock, CLI, name="Service client", kind="care")
    sbu = services.create_department(app.db, app.clock, CLI, name="SBU", kind="sbu")
    people = {}
    for name, email, role, department, password in (
        ("Anne Le Goff", "anne@ondine.example", "admin", sbu.id, ADMIN_PASSWORD),
        ("Louis Tanguy", "louis@ondine.example", "sbu_lead", sbu.id, LEAD_PASSWORD),
        ("Inès Morvan", "ines@ondine.example", "agent", care.id, AGENT_PASSWORD),
    ):
        people[role] = services.create_member(
            app.db, app.clock, CLI, name=name, email=email, role=role,
            department_id=department, password=password,
        )  # fmt: skip
    return Org(
        care.id, sbu.id, actor_of(people["admin"]), actor_of(people["sbu_lead"]),
        actor_of(people["agent"]),
    )  # fmt: skip


def member(app: App, member_id: int) -> Member:
    with app.db.session() as session:
        found = session.get(Member, member_id)
        assert found is not None
        return found


def audit_events(app: App, action: str | None = None) -> list[AuditEvent]:
    with app.db.session() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        return list(session.execute(query).scalars())


def count(app: App, model: type, *where: Any) -> int:
    with app.db.session() as session:
        return int(
            session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
        )


def assert_no_secret_in_audit(app: App, *secrets: str) -> None:
    """No audit row holds a password hash, a password or a token value."""
    for event in audit_events(app):
        text = orjson.dumps([event.before, event.after]).decode()
        assert "$argon2" not in text, event.action
        assert "password_hash" not in text, event.action
        for secret in secrets:
            assert secret not in text, event.action
