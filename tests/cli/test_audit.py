"""`sbu audit export`: JSON lines, filters by date and action, to a file or the output."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from sbu.cli.audit import parse_when
from sbu.core import audit
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import InvalidInput
from sbu.db.engine import Database
from tests.cli.conftest import Run

START = datetime(2026, 11, 1, 22, 0, tzinfo=UTC)


@pytest.fixture
def events(db: Database) -> None:
    """Five events, one every six hours from 2026-11-01 22:00 UTC."""
    clock = FixedClock(START)
    with db.write_session() as session:
        for action, before, after in [
            ("source.created", None, {"name": "Presse"}),
            ("member.created", None, {"email": "ines@o.example", "role": "agent"}),
            ("member.updated", {"role": "agent"}, {"role": "analyst"}),
            ("token.created", None, {"scopes": ["read"]}),
            (
                "member.password_reset",
                {"must_change_password": False},
                {"must_change_password": True},
            ),
        ]:
            audit.record(session, clock, Actor("user", "anne@o.example"), action, action.split(".")[0], 7,
                         before=before, after=after)  # fmt: skip
            clock.advance(timedelta(hours=6))
        session.commit()


def lines(text: str) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in text.splitlines() if line]


def test_export_writes_one_json_object_per_line_oldest_first(run: Run, events: None) -> None:
    result = run("audit", "export")
    assert result.code == 0, result.output
    exported = lines(result.stdout)
    assert [e["action"] for e in exported] == [
        "source.created", "member.created", "member.updated", "token.created", "member.password_reset",
    ]  # fmt: skip
    assert exported[2] == {
        "id": 3,
        "occurred_at": "2026-11-02T10:00:00+00:00",
        "actor": "user:anne@o.example",
        "action": "member.updated",
        "object_type": "member",
        "object_id": "7",
        "before": {"role": "agent"},
        "after": {"role": "analyst"},
    }
    assert result.stderr == ""


def test_export_filters_by_action_prefix_and_dates(run: Run, events: None) -> None:
    def actions(*args: str) -> list[object]:
        result = run("audit", "export", *args)
        assert result.code == 0, result.output
        return [e["action"] for e in lines(result.stdout)]

    assert actions("--action", "member.") == [
        "member.created",
        "member.updated",
        "member.password_reset",
    ]
    assert actions("--since", "2026-11-02") == [
        "member.created", "member.updated", "token.created", "member.password_reset",
    ]  # fmt: skip
    assert actions("--until", "2026-11-01") == ["source.created"]  # the whole day
    assert actions("--since", "2026-11-02T04:00:00Z", "--until", "2026-11-02T16:00:00Z") == [
        "member.created", "member.updated",
    ]  # fmt: skip
    assert actions("--since", "2026-11-02T05:00:00+01:00", "--action", "member") == [
        "member.created", "member.updated", "member.password_reset",
    ]  # fmt: skip
    assert actions("--since", "2026-12-01") == []


def test_export_to_a_file(run: Run, events: None, tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    result = run("audit", "export", "--output", str(target), "--action", "token")
    assert result.code == 0
    assert result.stdout == ""
    assert f"Wrote 1 audit event to {target}." in result.stderr.replace("\n", "")
    assert [e["action"] for e in lines(target.read_text())] == ["token.created"]


def test_export_records_what_the_cli_did(run: Run) -> None:
    run("departments", "add", "Marketing", "--kind", "marketing")
    [event] = lines(run("audit", "export").stdout)
    assert event["action"] == "department.created"
    assert str(event["actor"]).startswith("cli:")
    assert event["before"] is None
    assert isinstance(event["after"], dict)
    assert event["after"]["name"] == "Marketing"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "yesterday"), "--since 'yesterday' is not a date"),
        (("--until", "2026-13-01"), "--until '2026-13-01' is not a date"),
        (("--output", "/nonexistent/dir/audit.jsonl"), "Cannot write /nonexistent/dir/audit.jsonl"),
    ],
)
def test_export_refuses_bad_input_with_exit_2(
    run: Run, events: None, args: tuple[str, ...], message: str
) -> None:
    result = run("audit", "export", *args)
    assert result.code == 2, result.output
    assert message in result.stderr.replace("\n", "")


def test_parse_when() -> None:
    assert parse_when("2026-11-01", "--since") == datetime(2026, 11, 1, tzinfo=UTC)
    assert parse_when("2026-11-01", "--until", end_of_day=True) == datetime(2026, 11, 2, tzinfo=UTC)
    assert parse_when("2026-11-01T10:30:00", "--since") == datetime(2026, 11, 1, 10, 30, tzinfo=UTC)
    assert parse_when("2026-11-01T10:30:00+02:00", "--since") == datetime(
        2026, 11, 1, 8, 30, tzinfo=UTC
    )
    assert parse_when("2026-11-01T10:30:00Z", "--until", end_of_day=True) == datetime(
        2026, 11, 1, 10, 30, tzinfo=UTC
    )
    with pytest.raises(InvalidInput, match="write it as 2026-11-01"):
        parse_when("01/11/2026", "--since")


def test_export_into_a_pipe_that_closes_early(db: Database, sqlite_url: str) -> None:
    clock = FixedClock(START)
    with db.write_session() as session:
        for i in range(20_000):
            audit.record(session, clock, Actor("user", "anne@o.example"), "thing.changed", "thing", i,
                         after={"text": "x" * 50})  # fmt: skip
        session.commit()
    command = f"set -o pipefail; {sys.executable} -m sbu audit export | head -n 1"
    env = {**os.environ, "SBU_DATABASE__URL": sqlite_url, "SBU_ENV": "dev"}
    done = subprocess.run(["/bin/bash", "-c", command], env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr  # sbu's own status: a closed pipe is no failure
    assert orjson.loads(done.stdout)["object_id"] == "0"
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr
