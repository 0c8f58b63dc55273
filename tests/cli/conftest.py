"""The command line through Typer's runner, on a real migrated SQLite database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from sbu.cli import cli
from sbu.db.engine import Database
from sbu.settings import DatabaseSettings


@dataclass(frozen=True, slots=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def line_after(self, label: str) -> str:
        """The rest of the output line that starts with ``label``."""
        for line in self.stdout.splitlines():
            if line.startswith(label):
                return line.removeprefix(label).strip()
        raise AssertionError(f"No line starts with {label!r} in:\n{self.output}")


Run = Callable[..., Result]


@pytest.fixture
def db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The database the commands use (SBU_DATABASE__URL), to check what they stored."""
    monkeypatch.setenv("SBU_DATABASE__URL", sqlite_url)
    monkeypatch.setenv("SBU_ENV", "dev")
    monkeypatch.setenv("COLUMNS", "250")  # wide tables: no cell is cut short
    database = Database(DatabaseSettings(url=sqlite_url))
    yield database
    database.dispose()


@pytest.fixture
def run(db: Database) -> Run:
    """Run ``sbu ARGS...`` (with ``input=`` for prompts) and return its exit code and output."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        result = runner.invoke(cli, list(args), input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke
