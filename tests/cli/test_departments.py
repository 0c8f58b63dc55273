"""`sbu departments list` and `sbu departments add`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sbu.db.engine import Database
from sbu.org.models import Department
from tests.cli.conftest import Run


def departments(db: Database) -> dict[str, Department]:
    with db.session() as session:
        return {d.name: d for d in session.execute(select(Department)).scalars()}


def test_add_with_every_option_and_list(run: Run, db: Database) -> None:
    assert "no departments yet" in run("departments", "list").stdout
    result = run("departments", "add", "Service client", "--kind", "care", "--headcount", "120",
                 "--customer-facing", "110")  # fmt: skip
    assert result.code == 0, result.output
    assert "Added the department Service client (id 1, care)." in result.stdout
    hub = run("departments", "add", "Pôle Guadeloupe", "--kind", "care", "--parent", "service client",
              "--headcount", "12", "--timezone", "America/Guadeloupe")  # fmt: skip
    assert hub.code == 0, hub.output
    stored = departments(db)
    assert (
        stored["Service client"].headcount,
        stored["Service client"].customer_facing_headcount,
    ) == (120, 110)
    assert stored["Pôle Guadeloupe"].parent_id == stored["Service client"].id
    assert stored["Pôle Guadeloupe"].timezone == "America/Guadeloupe"
    assert stored["Pôle Guadeloupe"].business_hours["mon"] == [["09:00", "18:00"]]
    listed = run("departments", "list")
    assert listed.code == 0
    row = next(line for line in listed.stdout.splitlines() if "Guadeloupe" in line)
    assert "Service client" in row  # the parent
    assert "America/Guadeloupe" in row
    assert "12" in row


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "sport"), "The kind 'sport' is unknown"),
        (("--kind", "care", "--parent", "Nowhere"), "no department called 'Nowhere'"),
        (("--kind", "care", "--headcount", "-3"), "at least 0"),
        (("--kind", "care", "--timezone", "Mars/Olympus"), "time zone 'Mars/Olympus' is unknown"),
    ],
)
def test_add_refuses_bad_input_with_exit_2(
    run: Run, db: Database, args: tuple[str, ...], message: str
) -> None:
    result = run("departments", "add", "Ventes", *args)
    assert result.code == 2, result.output
    assert message in result.stderr
    assert departments(db) == {}


def test_add_refuses_a_taken_name(run: Run, db: Database) -> None:
    run("departments", "add", "Marketing", "--kind", "marketing")
    result = run("departments", "add", "MARKETING", "--kind", "marketing")
    assert result.code == 2
    assert "already exists" in result.stderr
    assert len(departments(db)) == 1
