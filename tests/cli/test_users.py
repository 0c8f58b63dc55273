"""`sbu users`: add, list, set-role, reset-password, deactivate, activate, ensure-admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sbu.core.audit import AuditEvent
from sbu.core.clock import SystemClock
from sbu.db.engine import Database
from sbu.org.models import Member
from sbu.org.passwords import verify_password
from sbu.org.throttle import authenticate
from sbu.settings import AuthSettings
from tests.cli.conftest import Run

PASSWORD = "la pluie de Nantes en novembre"
TWICE = f"{PASSWORD}\n{PASSWORD}\n"


def members(db: Database) -> dict[str, Member]:
    with db.session() as session:
        return {m.email: m for m in session.execute(select(Member)).scalars()}


def actions(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        return [
            (e.actor, e.action)
            for e in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
        ]


@pytest.fixture
def care(run: Run) -> None:
    assert run("departments", "add", "Service client", "--kind", "care").code == 0


def test_add_asks_for_the_password_twice_and_the_member_can_sign_in(
    run: Run, db: Database, care: None
) -> None:
    result = run("users", "add", "Claire.Morvan@Ondine.example", "--name", "Claire Morvan",
                 "--role", "agent", "--department", "service client", input=TWICE)  # fmt: skip
    assert result.code == 0, result.output
    assert (
        "Added Claire Morvan (claire.morvan@ondine.example) as agent in service client."
        in result.stdout
    )
    assert "can sign in now" in result.stdout
    assert PASSWORD not in result.output
    claire = members(db)["claire.morvan@ondine.example"]
    assert claire.role == "agent"
    assert claire.department_id is not None
    assert not claire.must_change_password
    assert claire.password_hash is not None
    assert claire.password_hash.startswith("$argon2id$")
    signed_in = authenticate(
        db, SystemClock(), AuthSettings(), "claire.morvan@ondine.example", PASSWORD
    )
    assert signed_in.id == claire.id
    actor, action = actions(db)[1]
    assert action == "member.created"
    assert actor.startswith("cli:")


def test_add_asks_again_when_the_two_passwords_differ(run: Run, db: Database) -> None:
    result = run("users", "add", "a@o.example", "--name", "Alain", "--admin",
                 input=f"{PASSWORD}\nsomething else entirely\n{TWICE}")  # fmt: skip
    assert result.code == 0, result.output
    assert "do not match" in result.output
    assert members(db)["a@o.example"].role == "admin"


def test_add_with_a_generated_password_prints_it_once(run: Run, db: Database) -> None:
    result = run(
        "users", "add", "root@o.example", "--name", "Root", "--admin", "--generate-password"
    )
    assert result.code == 0, result.output
    password = result.line_after("One-time password, shown only now:")
    assert len(password) == 20
    stored = members(db)["root@o.example"]
    assert stored.must_change_password
    assert verify_password(stored.password_hash, password)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--name", "X"), "Give the member a role with --role"),
        (("--name", "X", "--admin", "--role", "agent"), "Use either --admin or --role agent"),
        (("--name", "X", "--role", "boss"), "The role 'boss' does not exist"),
        (
            ("--name", "X", "--role", "agent", "--department", "Compta"),
            "no department called 'Compta'",
        ),
        (("--name", "", "--role", "agent", "--generate-password"), "name of 1 to 200"),
    ],
)
def test_add_refuses_bad_input_with_exit_2(
    run: Run, db: Database, args: tuple[str, ...], message: str
) -> None:
    result = run("users", "add", "x@o.example", *args)
    assert result.code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert members(db) == {}


def test_add_refuses_a_bad_email_or_a_taken_one_before_asking(run: Run, db: Database) -> None:
    assert (
        "is not an email address"
        in run("users", "add", "nope", "--name", "X", "--role", "agent").stderr
    )
    assert (
        run("users", "add", "x@o.example", "--name", "X", "--role", "agent", input=TWICE).code == 0
    )
    taken = run(
        "users", "add", "X@o.example", "--name", "Y", "--role", "viewer"
    )  # no input: no prompt
    assert taken.code == 2
    assert "already exists" in taken.stderr


def test_add_refuses_a_weak_password(run: Run, db: Database) -> None:
    result = run(
        "users", "add", "x@o.example", "--name", "X", "--role", "agent", input="short\nshort\n"
    )
    assert result.code == 2
    assert "at least 12 characters" in result.stderr
    assert members(db) == {}


def test_list_with_filters(run: Run, db: Database, care: None) -> None:
    assert "no members to list" in run("users", "list").stdout
    run("users", "add", "ines@o.example", "--name", "Inès Morvan", "--role", "agent",
        "--department", "Service client", "--generate-password")  # fmt: skip
    run(
        "users",
        "add",
        "louis@o.example",
        "--name",
        "Louis Tanguy",
        "--role",
        "sbu_lead",
        input=TWICE,
    )
    run("users", "add", "old@o.example", "--name", "Ancien", "--role", "viewer", input=TWICE)
    run("users", "deactivate", "old@o.example")
    listed = run("users", "list")
    assert listed.code == 0
    assert "ines@o.example" in listed.stdout
    assert "must change password" in listed.stdout
    assert "louis@o.example" in listed.stdout
    assert "never" in listed.stdout
    assert "old@o.example" not in listed.stdout
    care_only = run("users", "list", "--department", "Service client").stdout
    assert "ines@o.example" in care_only
    assert "louis@o.example" not in care_only
    leads = run("users", "list", "--role", "sbu_lead").stdout
    assert "louis@o.example" in leads
    assert "ines@o.example" not in leads
    gone = run("users", "list", "--inactive").stdout
    assert "old@o.example" in gone
    assert "ines@o.example" not in gone
    assert run("users", "list", "--role", "chief").code == 2


def test_reset_password_prints_a_one_time_password(run: Run, db: Database) -> None:
    run("users", "add", "ines@o.example", "--name", "Inès", "--role", "agent", input=TWICE)
    result = run("users", "reset-password", "INES@o.example")
    assert result.code == 0, result.output
    password = result.line_after("One-time password, shown only now:")
    stored = members(db)["ines@o.example"]
    assert stored.must_change_password
    assert stored.session_epoch == 1
    assert verify_password(stored.password_hash, password)
    assert not verify_password(stored.password_hash, PASSWORD)
    assert "must choose a new password" in result.stdout
    missing = run("users", "reset-password", "nobody@o.example")
    assert missing.code == 2
    assert "no member with the email 'nobody@o.example'" in missing.stderr


def test_deactivate_and_activate(run: Run, db: Database) -> None:
    run("users", "add", "root@o.example", "--name", "Root", "--admin", input=TWICE)
    run("users", "add", "ines@o.example", "--name", "Inès", "--role", "agent", input=TWICE)
    result = run("users", "deactivate", "ines@o.example")
    assert result.code == 0
    assert "Deactivated Inès (ines@o.example)" in result.stdout
    assert not members(db)["ines@o.example"].active
    assert "already deactivated" in run("users", "deactivate", "ines@o.example").stdout
    assert "Reactivated Inès" in run("users", "activate", "ines@o.example").stdout
    assert members(db)["ines@o.example"].active
    assert "already active" in run("users", "activate", "ines@o.example").stdout
    last = run("users", "deactivate", "root@o.example")
    assert last.code == 2
    assert "last active administrator" in last.stderr
    assert [a for _, a in actions(db)].count("member.updated") == 2


def test_set_role(run: Run, db: Database) -> None:
    run("users", "add", "ines@o.example", "--name", "Inès", "--role", "agent", input=TWICE)
    result = run("users", "set-role", "ines@o.example", "analyst")
    assert result.code == 0
    assert "Inès (ines@o.example) is now analyst." in result.stdout
    assert members(db)["ines@o.example"].role == "analyst"
    assert run("users", "set-role", "ines@o.example", "king").code == 2


def test_ensure_admin_creates_the_first_admin_once(
    run: Run, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SBU_AUTH__FIRST_ADMIN_EMAIL", "it@ondine.example")
    first = run("users", "ensure-admin")
    assert first.code == 0, first.output
    assert "Created the first administrator, it@ondine.example." in first.stdout
    password = first.line_after("One-time password, shown only now:")
    admin = members(db)["it@ondine.example"]
    assert admin.role == "admin"
    assert admin.must_change_password
    assert verify_password(admin.password_hash, password)
    again = run("users", "ensure-admin")
    assert again.code == 0
    assert (
        "An administrator already exists (it@ondine.example), so none was created." in again.stdout
    )
    assert "sbu users reset-password EMAIL" in again.stdout
    assert "One-time password" not in again.stdout
    assert len(members(db)) == 1


def test_ensure_admin_with_the_default_email(run: Run, db: Database) -> None:
    assert run("users", "ensure-admin").code == 0
    assert set(members(db)) == {"admin@sbu.local"}


def test_ensure_admin_when_the_email_belongs_to_another_member(
    run: Run, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SBU_AUTH__FIRST_ADMIN_EMAIL", "ines@o.example")
    run("users", "add", "ines@o.example", "--name", "Inès", "--role", "agent", input=TWICE)
    result = run("users", "ensure-admin")
    assert result.code == 2
    assert "sbu users set-role ines@o.example admin" in result.stderr
    assert members(db)["ines@o.example"].role == "agent"
