"""Write functions of the organisation on SQLite and PostgreSQL: validate, audit, commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sbu.org import services
from sbu.org.models import Department, Member
from sbu.org.passwords import verify_password
from tests.conftest import NOW
from tests.org.conftest import (
    ADMIN_PASSWORD,
    AGENT_PASSWORD,
    CLI,
    Org,
    assert_no_secret_in_audit,
    audit_events,
    count,
    member,
)

NEW_PASSWORD = "la marée monte à Saint-Nazaire"


# -- departments -----------------------------------------------------------------------------


def test_create_department_stores_defaults_audits_and_commits(app: App) -> None:
    created = services.create_department(
        app.db, app.clock, CLI, name="  Marketing ", kind="marketing"
    )
    with app.db.session() as session:
        stored = session.get(Department, created.id)
        assert stored is not None
        assert stored.name == "Marketing"
        assert stored.business_hours == services.DEFAULT_HOURS
        assert stored.timezone == "Europe/Paris"
        assert (stored.headcount, stored.customer_facing_headcount) == (0, 0)
        assert stored.holidays == []
        assert stored.active
        assert stored.created_at == NOW
    [event] = audit_events(app, "department.created")
    assert (event.actor, event.object_type, event.object_id) == (
        "cli:root",
        "department",
        str(created.id),
    )
    assert event.before is None
    assert event.after == services.department_snapshot(stored)


def test_create_department_with_every_field(app: App) -> None:
    parent = services.create_department(app.db, app.clock, CLI, name="Service client", kind="care")
    hub = services.create_department(
        app.db, app.clock, CLI, name="Pôle Vendée", kind="care", parent_id=parent.id,
        headcount=30, customer_facing_headcount=28, timezone="Europe/Paris",
        business_hours={"sat": [["09:00", "12:00"]], "mon": [["14:00", "18:00"], ["08:00", "12:00"]]},
        holidays=["2026-12-25", "2026-11-11", "2026-12-25"],
    )  # fmt: skip
    assert hub.parent_id == parent.id
    assert hub.business_hours == {
        "sat": [["09:00", "12:00"]], "mon": [["08:00", "12:00"], ["14:00", "18:00"]],
    }  # fmt: skip
    assert hub.holidays == ["2026-11-11", "2026-12-25"]
    assert (hub.headcount, hub.customer_facing_headcount) == (30, 28)


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"name": ""}, InvalidInput, "name of 1 to 100"),
        ({"name": "x" * 101}, InvalidInput, "name of 1 to 100"),
        ({"name": "service CLIENT"}, Conflict, "already exists"),
        ({"kind": "sport"}, InvalidInput, "kind 'sport' is unknown"),
        ({"headcount": -1}, InvalidInput, "at least 0"),
        ({"customer_facing_headcount": "12"}, InvalidInput, "at least 0"),
        ({"timezone": "Europe/Nantes"}, InvalidInput, "time zone"),
        ({"business_hours": {"lundi": [["09:00", "18:00"]]}}, InvalidInput, "not a weekday"),
        ({"business_hours": {"mon": "09:00-18:00"}}, InvalidInput, "must be a list of"),
        ({"business_hours": {"mon": [["18:00", "09:00"]]}}, InvalidInput, "start before end"),
        ({"business_hours": {"mon": [["9h", "18h"]]}}, InvalidInput, "HH:MM"),
        ({"business_hours": {"mon": [["09:00", "24:00"]]}}, InvalidInput, "HH:MM"),
        ({"holidays": ["25/12/2026"]}, InvalidInput, "YYYY-MM-DD"),
        ({"parent_id": 999_999}, InvalidInput, "no department 999999"),
        ({"colour": "blue"}, InvalidInput, "no field colour"),
    ],
)
def test_invalid_departments_are_refused_and_nothing_is_stored(
    app: App, fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    services.create_department(app.db, app.clock, CLI, name="Service client", kind="care")
    values: dict[str, Any] = {"name": "Ventes", "kind": "sales", **fields}
    with pytest.raises(error, match=message) as info:
        services.create_department(app.db, app.clock, CLI, **values)
    assert str(info.value).endswith(".")
    assert count(app, Department) == 1
    assert len(audit_events(app)) == 1


def test_update_department_audits_before_and_after(app: App, org: Org) -> None:
    updated = services.update_department(
        app.db, app.clock, org.lead, org.care_id, headcount=120, holidays=["2026-12-25"]
    )
    assert updated.headcount == 120
    [event] = audit_events(app, "department.updated")
    assert event.actor == "user:louis@ondine.example"
    assert event.before is not None
    assert event.after is not None
    assert (event.before["headcount"], event.after["headcount"]) == (0, 120)
    assert (event.before["holidays"], event.after["holidays"]) == ([], ["2026-12-25"])
    with app.db.session() as session:
        stored = session.get(Department, org.care_id)
        assert stored is not None
        assert stored.headcount == 120


def test_update_department_refuses_cycles_renames_onto_others_and_unknown_ids(
    app: App, org: Org
) -> None:
    hub = services.create_department(
        app.db, app.clock, CLI, name="Pôle Vendée", kind="care", parent_id=org.care_id
    )
    with pytest.raises(InvalidInput, match="inside itself"):
        services.update_department(app.db, app.clock, CLI, org.care_id, parent_id=hub.id)
    with pytest.raises(InvalidInput, match="inside itself"):
        services.update_department(app.db, app.clock, CLI, hub.id, parent_id=hub.id)
    with pytest.raises(Conflict, match="already exists"):
        services.update_department(app.db, app.clock, CLI, hub.id, name="sbu")
    with pytest.raises(NotFound, match="no department 424242"):
        services.update_department(app.db, app.clock, CLI, 424242, headcount=1)
    # renaming a department to its own name in other letters is fine
    assert (
        services.update_department(app.db, app.clock, CLI, hub.id, name="PÔLE VENDÉE").name
        == "PÔLE VENDÉE"
    )


@pytest.mark.parametrize("who", ["agent", "admin_scope_less"])
def test_only_admins_and_sbu_leads_manage_departments(app: App, org: Org, who: str) -> None:
    actor = org.agent if who == "agent" else Actor("user", "v@x.example", 77, "viewer")
    with pytest.raises(Forbidden, match="does not allow"):
        services.create_department(app.db, app.clock, actor, name="Juridique", kind="legal")
    with pytest.raises(Forbidden, match="does not allow"):
        services.update_department(app.db, app.clock, actor, org.care_id, headcount=3)
    assert services.create_department(app.db, app.clock, org.lead, name="Juridique", kind="legal")
    assert services.create_department(app.db, app.clock, org.admin, name="Informatique", kind="it")


# -- members ---------------------------------------------------------------------------------


def test_create_member_hashes_the_password_audits_without_it_and_commits(
    app: App, org: Org
) -> None:
    created = services.create_member(
        app.db, app.clock, org.lead, name=" Yann Guérin ", email=" Yann.Guerin@Ondine.Example ",
        role="agent", department_id=org.care_id, password=NEW_PASSWORD,
    )  # fmt: skip
    stored = member(app, created.id)
    assert (stored.name, stored.email, stored.role) == (
        "Yann Guérin",
        "yann.guerin@ondine.example",
        "agent",
    )
    assert stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, NEW_PASSWORD)
    assert stored.active
    assert not stored.must_change_password
    assert stored.session_epoch == 0
    event = audit_events(app, "member.created")[-1]
    assert event.actor == "user:louis@ondine.example"
    assert event.after == services.member_snapshot(stored)
    assert event.after is not None
    assert event.after["email"] == "yann.guerin@ondine.example"
    assert_no_secret_in_audit(app, NEW_PASSWORD, ADMIN_PASSWORD, AGENT_PASSWORD)


def test_a_member_without_password_cannot_sign_in_yet(app: App) -> None:
    created = services.create_member(
        app.db, app.clock, CLI, name="Léa", email="lea@o.example", role="viewer"
    )
    assert member(app, created.id).password_hash is None


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"email": "not an email"}, InvalidInput, "is not an email address"),
        ({"email": "a@b"}, InvalidInput, "is not an email address"),
        ({"email": "INES@ondine.example"}, Conflict, "already exists"),
        ({"role": "boss"}, InvalidInput, "role 'boss' does not exist"),
        ({"name": "   "}, InvalidInput, "name of 1 to 200"),
        ({"department_id": 999_999}, InvalidInput, "no department 999999"),
        ({"password": "short"}, InvalidInput, "at least 12 characters"),
        ({"password": "paul.kerouac!!"}, InvalidInput, "must not contain your name"),
    ],
)
def test_invalid_members_are_refused_and_nothing_is_stored(
    app: App, org: Org, fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    before = (count(app, Member), len(audit_events(app)))
    values: dict[str, Any] = {"name": "Paul Kerouac", "email": "paul.kerouac@ondine.example",
                              "role": "agent", **fields}  # fmt: skip
    with pytest.raises(error, match=message) as info:
        services.create_member(app.db, app.clock, CLI, **values)
    assert str(info.value).endswith(".")
    assert (count(app, Member), len(audit_events(app))) == before


def test_an_sbu_lead_cannot_create_promote_reset_or_deactivate_an_admin(app: App, org: Org) -> None:
    with pytest.raises(Forbidden, match="Only an administrator"):
        services.create_member(
            app.db, app.clock, org.lead, name="Zoé", email="zoe@o.example", role="admin"
        )
    with pytest.raises(Forbidden, match="Only an administrator"):
        services.update_member(app.db, app.clock, org.lead, Org.id_of(org.agent), role="admin")
    with pytest.raises(Forbidden, match="Only an administrator"):
        services.reset_password(app.db, app.clock, org.lead, Org.id_of(org.admin))
    with pytest.raises(Forbidden, match="Only an administrator"):
        services.update_member(app.db, app.clock, org.lead, Org.id_of(org.admin), active=False)
    with pytest.raises(Forbidden, match="Only an administrator"):
        services.update_member(app.db, app.clock, org.lead, Org.id_of(org.admin), name="Anne")
    assert member(app, Org.id_of(org.agent)).role == "agent"
    assert member(app, Org.id_of(org.admin)).active
    # but an SBU lead manages everyone else, and an admin makes admins
    services.update_member(app.db, app.clock, org.lead, Org.id_of(org.agent), role="analyst")
    services.update_member(app.db, app.clock, org.admin, Org.id_of(org.agent), role="admin")
    assert member(app, Org.id_of(org.agent)).role == "admin"


def test_members_without_members_manage_cannot_manage_others(app: App, org: Org) -> None:
    with pytest.raises(Forbidden, match="does not allow"):
        services.create_member(
            app.db, app.clock, org.agent, name="Zoé", email="zoe@o.example", role="viewer"
        )
    with pytest.raises(Forbidden, match="does not allow"):
        services.update_member(app.db, app.clock, org.agent, Org.id_of(org.lead), name="X")
    with pytest.raises(Forbidden, match="does not allow"):
        services.reset_password(app.db, app.clock, org.agent, Org.id_of(org.lead))
    with pytest.raises(Forbidden, match="does not allow"):
        services.update_member(app.db, app.clock, org.agent, Org.id_of(org.agent), role="sbu_lead")


def test_a_member_changes_their_own_name_and_language(app: App, org: Org) -> None:
    updated = services.update_member(
        app.db,
        app.clock,
        org.agent,
        Org.id_of(org.agent),
        name="Inès Morvan-Le Bihan",
        language="fr",
    )
    assert (updated.name, updated.language) == ("Inès Morvan-Le Bihan", "fr")
    assert updated.session_epoch == 0  # a profile change keeps the sessions
    with pytest.raises(Forbidden):
        services.update_member(
            app.db, app.clock, org.agent, Org.id_of(org.agent), department_id=None
        )


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(app: App, org: Org) -> None:
    admin_id = Org.id_of(org.admin)
    with pytest.raises(InvalidInput, match="last active administrator"):
        services.update_member(app.db, app.clock, CLI, admin_id, role="sbu_lead")
    with pytest.raises(InvalidInput, match="last active administrator"):
        services.update_member(app.db, app.clock, CLI, admin_id, active=False)
    assert member(app, admin_id).role == "admin"
    assert member(app, admin_id).active
    # with a second active admin, the first may go
    services.update_member(app.db, app.clock, CLI, Org.id_of(org.lead), role="admin")
    services.update_member(app.db, app.clock, CLI, admin_id, active=False)
    # an inactive admin is not the one that keeps sbu administered: demoting it is fine
    services.update_member(app.db, app.clock, CLI, admin_id, role="viewer")
    assert member(app, admin_id).role == "viewer"
    with pytest.raises(InvalidInput, match="last active administrator"):
        services.update_member(app.db, app.clock, CLI, Org.id_of(org.lead), role="agent")


def test_a_member_cannot_deactivate_themselves(app: App, org: Org) -> None:
    with pytest.raises(InvalidInput, match="cannot deactivate yourself"):
        services.update_member(app.db, app.clock, org.lead, Org.id_of(org.lead), active=False)
    assert member(app, Org.id_of(org.lead)).active
    services.create_member(
        app.db, app.clock, CLI, name="Marc", email="marc@o.example", role="admin"
    )
    with pytest.raises(InvalidInput, match="cannot deactivate yourself"):
        services.update_member(app.db, app.clock, org.admin, Org.id_of(org.admin), active=False)
    assert member(app, Org.id_of(org.admin)).active


def test_role_change_and_deactivation_end_sessions_and_are_audited(app: App, org: Org) -> None:
    agent_id = Org.id_of(org.agent)
    services.update_member(app.db, app.clock, org.admin, agent_id, name="Inès M.")
    assert member(app, agent_id).session_epoch == 0
    services.update_member(app.db, app.clock, org.admin, agent_id, role="analyst")
    assert member(app, agent_id).session_epoch == 1
    services.update_member(app.db, app.clock, org.admin, agent_id, role="analyst")
    assert member(app, agent_id).session_epoch == 1  # no change, no new epoch
    services.update_member(app.db, app.clock, org.admin, agent_id, active=False)
    assert member(app, agent_id).session_epoch == 2
    assert not member(app, agent_id).active
    services.update_member(
        app.db, app.clock, org.admin, agent_id, active=True, department_id=org.sbu_id
    )
    assert member(app, agent_id).active
    assert member(app, agent_id).department_id == org.sbu_id
    events = [e for e in audit_events(app, "member.updated") if e.object_id == str(agent_id)]
    changes = [
        {k: (e.before[k], e.after[k]) for k in e.after if e.before[k] != e.after[k]}  # type: ignore[index]
        for e in events
        if e.before is not None and e.after is not None
    ]
    assert changes == [
        {"name": ("Inès Morvan", "Inès M.")},
        {"role": ("agent", "analyst")},
        {},
        {"active": (True, False)},
        {"active": (False, True), "department_id": (org.care_id, org.sbu_id)},
    ]
    assert all(e.actor == "user:anne@ondine.example" for e in events)


def test_update_member_refuses_bad_values(app: App, org: Org) -> None:
    agent_id = Org.id_of(org.agent)
    with pytest.raises(NotFound, match="no member 31337"):
        services.update_member(app.db, app.clock, CLI, 31337, name="X")
    with pytest.raises(InvalidInput, match="name of 1 to 200"):
        services.update_member(app.db, app.clock, CLI, agent_id, name=" ")
    with pytest.raises(InvalidInput, match="no department 999"):
        services.update_member(app.db, app.clock, CLI, agent_id, department_id=999)
    with pytest.raises(InvalidInput, match="does not exist"):
        services.update_member(app.db, app.clock, CLI, agent_id, role="chief")


# -- passwords -------------------------------------------------------------------------------


def test_change_password(app: App, org: Org) -> None:
    agent_id = Org.id_of(org.agent)
    with pytest.raises(InvalidInput, match="current password is not right"):
        services.change_password(
            app.db, app.clock, org.agent, agent_id, current="wrong", new=NEW_PASSWORD
        )
    with pytest.raises(InvalidInput, match="at least 12"):
        services.change_password(
            app.db, app.clock, org.agent, agent_id, current=AGENT_PASSWORD, new="court"
        )
    with pytest.raises(InvalidInput, match="must differ"):
        services.change_password(app.db, app.clock, org.agent, agent_id, current=AGENT_PASSWORD,
                                 new=AGENT_PASSWORD)  # fmt: skip
    assert not audit_events(app, "member.password_changed")
    changed = services.change_password(
        app.db, app.clock, org.agent, agent_id, current=AGENT_PASSWORD, new=NEW_PASSWORD
    )
    assert changed.session_epoch == 1
    stored = member(app, agent_id)
    assert verify_password(stored.password_hash, NEW_PASSWORD)
    assert not verify_password(stored.password_hash, AGENT_PASSWORD)
    [event] = audit_events(app, "member.password_changed")
    assert event.actor == "user:ines@ondine.example"
    assert event.before is not None
    assert event.after is not None
    assert_no_secret_in_audit(app, NEW_PASSWORD, AGENT_PASSWORD)


def test_reset_password_gives_a_one_time_password_that_must_be_changed(app: App, org: Org) -> None:
    agent_id = Org.id_of(org.agent)
    temporary = services.reset_password(app.db, app.clock, org.lead, agent_id)
    assert len(temporary) == 20
    stored = member(app, agent_id)
    assert stored.must_change_password
    assert stored.session_epoch == 1
    assert verify_password(stored.password_hash, temporary)
    assert not verify_password(stored.password_hash, AGENT_PASSWORD)
    [event] = audit_events(app, "member.password_reset")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["must_change_password"], event.after["must_change_password"]) == (
        False,
        True,
    )
    assert_no_secret_in_audit(app, temporary)
    assert services.reset_password(app.db, app.clock, CLI, agent_id) != temporary
    # changing it clears the flag
    services.change_password(app.db, app.clock, org.agent, agent_id,
                             current=services.reset_password(app.db, app.clock, CLI, agent_id),
                             new=NEW_PASSWORD)  # fmt: skip
    assert not member(app, agent_id).must_change_password
    with pytest.raises(NotFound):
        services.reset_password(app.db, app.clock, CLI, 999)


def test_ensure_first_admin_creates_one_admin_once(app: App) -> None:
    created = services.ensure_first_admin(app.db, app.clock, CLI, email="Root@Ondine.example")
    assert created is not None
    admin, password = created
    stored = member(app, admin.id)
    assert (stored.email, stored.role, stored.name) == (
        "root@ondine.example",
        "admin",
        "Administrator",
    )
    assert stored.must_change_password
    assert verify_password(stored.password_hash, password)
    [event] = audit_events(app, "member.created")
    assert event.after is not None
    assert event.after["must_change_password"] is True
    assert_no_secret_in_audit(app, password)
    assert services.ensure_first_admin(app.db, app.clock, CLI, email="other@ondine.example") is None
    assert count(app, Member) == 1


def test_ensure_first_admin_does_nothing_when_an_admin_exists(app: App, org: Org) -> None:
    assert services.ensure_first_admin(app.db, app.clock, CLI, email="new@ondine.example") is None
    assert count(app, Member, Member.role == "admin") == 1


# -- token expiry ----------------------------------------------------------------------------


def test_token_expiry(app: App) -> None:
    assert services.token_expiry(app.clock, None) == NOW + timedelta(days=90)
    assert services.token_expiry(app.clock, 0) is None
    assert services.token_expiry(app.clock, 1) == NOW + timedelta(days=1)
    assert services.token_expiry(app.clock, 366) == NOW + timedelta(days=366)
    for days in (-1, 367):
        with pytest.raises(InvalidInput, match="1 to 366 days"):
            services.token_expiry(app.clock, days)
