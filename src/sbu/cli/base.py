"""What every command shares: the Typer app, the consoles, settings, the app and the exit codes.

Every command that fails prints one sentence saying what is wrong and what to do, and exits
with status 2 for invalid input (a wrong value, an unknown name, a name already taken, a change
the rules refuse) and 1 for any other failure.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sbu import __version__
from sbu.bootstrap import App, build
from sbu.core.audit import Actor
from sbu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, SbuError
from sbu.settings import Settings

console = Console()
err_console = Console(stderr=True)

cli = typer.Typer(
    name="sbu",
    help="sbu: the platform of your Social Business Unit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"SBU_{'__'.join(str(p).upper() for p in err['loc'])}: {err['msg']}"
            for err in exc.errors()
        )
        fail(f"The settings are invalid: {problems}. See docs/settings.md.", 2)


@contextmanager
def application(*, migrated: bool = True) -> Iterator[App]:
    """Build the app for one command; turn sbu errors into sentences and exit codes."""
    settings = load_settings()
    app: App | None = None
    try:
        app = build(settings)
        if migrated:
            from sbu.db.migrate import is_up_to_date

            if not is_up_to_date(app.db):
                fail("The database schema is not up to date: run `sbu db upgrade` first.", 1)
        yield app
    except (InvalidInput, NotFound, Conflict, Forbidden) as exc:
        fail(str(exc), 2)
    except SbuError as exc:
        fail(str(exc), 1)
    finally:
        if app is not None:
            app.close()


def cli_actor() -> Actor:
    """The command line acts as the local administrator: no member, no role to restrict it."""
    try:
        return Actor("cli", getpass.getuser())
    except (KeyError, OSError):
        return Actor("cli", "unknown")


def new_table(*headers: str) -> Table:
    """A table whose long cells (emails, token prefixes) wrap instead of being cut short."""
    made = Table()
    for header in headers:
        made.add_column(header, overflow="fold")
    return made


def print_secret(label: str, value: str) -> None:
    """A password or token on one line, never wrapped, so it can be copied whole."""
    console.print(f"{label}[bold]{escape(value)}[/]", soft_wrap=True, highlight=False)


def when(value: datetime | None, empty: str = "-") -> str:
    """A time for tables: ``2026-11-28 09:00 UTC``."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else empty


def _version(value: bool) -> None:
    if value:
        console.print(f"sbu {__version__}")
        raise typer.Exit()


@cli.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """sbu: the platform of your Social Business Unit."""
