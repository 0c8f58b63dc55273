"""`sbu token create`, `sbu token list` and `sbu token revoke`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sbu.core.clock import SystemClock
from sbu.core.errors import Unauthenticated
from sbu.db.engine import Database
from sbu.org.api_tokens import authenticate_token
from sbu.org.models import ApiToken
from sbu.org.tokens import token_hash
from tests.cli.conftest import Run

TWICE = "la pluie de Nantes en novembre\n" * 2


@pytest.fixture
def people(run: Run) -> None:
    run("users", "add", "ines@o.example", "--name", "Inès", "--role", "agent", input=TWICE)
    run("users", "add", "root@o.example", "--name", "Root", "--admin", input=TWICE)


def tokens(db: Database) -> list[ApiToken]:
    with db.session() as session:
        return list(session.execute(select(ApiToken).order_by(ApiToken.id)).scalars())


def test_create_prints_the_token_once_and_it_works(run: Run, db: Database, people: None) -> None:
    result = run("token", "create", "ines@o.example", "--name", "Export BI", "--scope", "read",
                 "--scope", "write", "--days", "30")  # fmt: skip
    assert result.code == 0, result.output
    assert (
        "Created the API token 1 'Export BI' for ines@o.example (read, write; expires "
        in result.stdout
    )
    assert "it will not be shown again" in result.stdout
    value = next(line for line in result.stdout.splitlines() if line.startswith("sbu_"))
    [stored] = tokens(db)
    assert stored.token_hash == token_hash(value)
    assert stored.scopes == ["read", "write"]
    member, _ = authenticate_token(db, SystemClock(), value)
    assert member.email == "ines@o.example"
    listed = run("token", "list")
    assert value not in listed.stdout
    assert f"{value[:10]}…" in listed.stdout
    assert "active" in listed.stdout


def test_list_of_one_member_and_revoke(run: Run, db: Database, people: None) -> None:
    run("token", "create", "ines@o.example", "--name", "mine", "--scope", "read")
    created = run(
        "token", "create", "root@o.example", "--name", "forever", "--scope", "admin", "--days", "0"
    )
    assert "never expires" in created.stdout
    value = next(line for line in created.stdout.splitlines() if line.startswith("sbu_"))
    mine = run("token", "list", "ines@o.example").stdout
    assert "mine" in mine
    assert "forever" not in mine
    revoked = run("token", "revoke", "2")
    assert revoked.code == 0
    assert "Revoked the API token 2 'forever'" in revoked.stdout
    with pytest.raises(Unauthenticated, match="revoked"):
        authenticate_token(db, SystemClock(), value)
    assert "revoked" in run("token", "list", "root@o.example").stdout
    missing = run("token", "revoke", "99")
    assert missing.code == 2
    assert "no API token 99" in missing.stderr


def test_list_without_tokens(run: Run, db: Database, people: None) -> None:
    assert "There are no API tokens" in run("token", "list").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ines@o.example", "--name", "t"), "at least one --scope"),
        (("ines@o.example", "--name", "t", "--scope", "delete"), "among read, write, admin"),
        (
            ("ines@o.example", "--name", "t", "--scope", "admin"),
            "Only administrators and SBU leads",
        ),
        (("ines@o.example", "--name", "t", "--scope", "read", "--days", "0"), "never expire"),
        (("ines@o.example", "--name", "t", "--scope", "read", "--days", "400"), "1 to 366 days"),
        (("nobody@o.example", "--name", "t", "--scope", "read"), "no member with the email"),
    ],
)
def test_create_refuses_bad_input_with_exit_2(
    run: Run, db: Database, people: None, args: tuple[str, ...], message: str
) -> None:
    result = run("token", "create", *args)
    assert result.code == 2, result.output
    assert message in result.stderr
    assert tokens(db) == []
