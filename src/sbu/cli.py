"""The ``sbu`` command line. Thin: it parses, calls services, and prints.

Every command that fails prints one sentence saying what is wrong and what to do, and exits
with status 1 (2 for invalid input); long work shows a progress bar.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sbu import __version__
from sbu.bootstrap import App, build
from sbu.core.audit import Actor
from sbu.core.errors import Conflict, InvalidInput, NotFound, SbuError
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
db_cli = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
sources_cli = typer.Typer(help="List, add and poll sources.", no_args_is_help=True)
dead_letters_cli = typer.Typer(help="Inspect items that could not be stored.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(sources_cli, name="sources")
cli.add_typer(dead_letters_cli, name="dead-letters")


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
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
    except (InvalidInput, NotFound, Conflict) as exc:
        fail(str(exc), 2)
    except SbuError as exc:
        fail(str(exc), 1)
    finally:
        if app is not None:
            app.close()


def cli_actor() -> Actor:
    try:
        return Actor("cli", getpass.getuser())
    except (KeyError, OSError):
        return Actor("cli", "unknown")


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


# -- db ------------------------------------------------------------------------------------


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    from sbu.db.migrate import current_revision, head_revision, upgrade

    with application(migrated=False) as app:
        before = current_revision(app.db)
        upgrade(app.db)
        after = current_revision(app.db)
        url = app.db.url.render_as_string(hide_password=True)
        if before == after:
            console.print(f"The database {url} is up to date (revision {after}).")
        else:
            console.print(
                f"Migrated {url} from {before or 'empty'} to {after} (head {head_revision(app.db)})."
            )


@db_cli.command("current")
def db_current() -> None:
    """Print the schema revision of the database."""
    from sbu.db.migrate import current_revision, head_revision

    with application(migrated=False) as app:
        current, head = current_revision(app.db), head_revision(app.db)
        state = "up to date" if current == head else f"behind head {head}: run `sbu db upgrade`"
        console.print(f"Revision {current or 'none (empty database)'}, {state}.")


# -- import --------------------------------------------------------------------------------


@cli.command("import")
def import_command(
    file: Annotated[
        Path, typer.Argument(help="A .jsonl or .csv file (docs/listening/import-format.md).")
    ],
    source: Annotated[
        str, typer.Option("--source", "-s", help="File source to import into (created if new).")
    ],
    file_format: Annotated[
        str | None, typer.Option("--format", help="jsonl or csv (default: from the extension).")
    ] = None,
    mapper: Annotated[
        str,
        typer.Option(help="Record format: sbu (default), mastodon, bluesky, reddit, youtube, rss."),
    ] = "sbu",
    encoding: Annotated[str, typer.Option(help="Text encoding of the file.")] = "utf-8",
    platform: Annotated[
        str | None, typer.Option(help="Platform of records that do not name one.")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Time zone of dates written without one (e.g. Europe/Paris).")
    ] = None,
    restart: Annotated[
        bool,
        typer.Option("--restart", help="Read the file from the start, not from the last import."),
    ] = False,
) -> None:
    """Import posts from a JSON lines or CSV file; safe to re-run and to interrupt."""
    from sbu.listening.importer import ImportProgress, import_file

    with application() as app:
        progress = Progress(
            TextColumn("Importing [bold]{task.fields[name]}[/]"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeRemainingColumn(),
            console=err_console,
            transient=False,
            disable=not err_console.is_terminal,
        )
        size = file.stat().st_size if file.exists() else 0
        task = progress.add_task("import", total=size, name=file.name, counts="")

        def report(p: ImportProgress) -> None:
            progress.update(
                task,
                completed=p.bytes_done,
                counts=f"{p.imported:,} new · {p.duplicates:,} already stored · {p.rejected:,} rejected",
            )

        with progress:
            summary = import_file(
                app,
                cli_actor(),
                file,
                source,
                file_format=file_format,
                mapper=mapper,
                encoding=encoding,
                default_platform=platform,
                timezone=timezone,
                restart=restart,
                progress=report,
            )
        if summary.created_source:
            console.print(f"Created the file source [bold]{summary.source_name}[/].")
        if summary.nothing_new:
            console.print(
                f"Nothing new in {file.name} since the last import (which reached line "
                f"{summary.last_line:,}). Use --restart to read it again from the start."
            )
            return
        if summary.resumed_at_line:
            console.print(f"Resumed at line {summary.resumed_at_line:,}, after the last import.")
        flagged = summary.flagged
        console.print(
            f"Imported {summary.imported:,} posts into {summary.source_name} "
            f"({flagged.get('repost', 0):,} reposts, {flagged.get('copy', 0):,} copies and "
            f"{flagged.get('near', 0):,} near-duplicates flagged and linked to their original); "
            f"{summary.duplicates:,} already stored; {summary.rejected_count:,} rejected."
        )
        for rejected in summary.rejected[:20]:
            console.print(f"  [yellow]{rejected.locator}[/]: {rejected.reason}", highlight=False)
        if summary.rejected_count > 20:
            console.print(
                f"  … and {summary.rejected_count - 20:,} more: "
                f"`sbu dead-letters list --source {summary.source_name}` shows them all."
            )


# -- demo ----------------------------------------------------------------------------------


@cli.command("demo")
def demo_command(
    if_empty: Annotated[
        bool,
        typer.Option("--if-empty", help="Do nothing when the database already holds mentions."),
    ] = False,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the generator (default SBU_DEMO__SEED).")
    ] = None,
    days: Annotated[
        int | None, typer.Option(help="Days of history (default SBU_DEMO__DAYS).")
    ] = None,
    posts: Annotated[
        int | None, typer.Option(help="Approximate posts (default SBU_DEMO__POSTS).")
    ] = None,
) -> None:
    """Load the demo scenario: a fictional French company and its ecosystem, 30 days of posts."""
    from sbu.demo.loader import load_demo

    with application() as app:
        load_demo(
            app,
            cli_actor(),
            console=err_console,
            if_empty=if_empty,
            seed=seed,
            days=days,
            posts=posts,
            report=console.print,
        )


# -- serve ---------------------------------------------------------------------------------


@cli.command("serve")
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default SBU_WEB__HOST).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default SBU_WEB__PORT).")] = None,
    demo_live: Annotated[
        bool, typer.Option("--demo-live", help="Keep the demo sources delivering new posts.")
    ] = False,
) -> None:
    """Serve the web pages and the JSON API (and poll sources in the background)."""
    import uvicorn

    from sbu.listening.scheduler import Scheduler
    from sbu.web.app import create_app

    with application() as app:
        if demo_live:
            from sbu.demo.loader import start_live

            start_live(app, cli_actor())
        scheduler = Scheduler(app) if app.settings.scheduler.enabled else None
        web = create_app(app, scheduler=scheduler)
        bind_host = host or app.settings.web.host
        bind_port = port or app.settings.web.port
        console.print(f"sbu {__version__} is serving on http://{bind_host}:{bind_port}/")
        uvicorn.run(web, host=bind_host, port=bind_port, log_level="warning", access_log=False)


# -- sources -------------------------------------------------------------------------------


def _parse_config(pairs: list[str]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            msg = (
                f"The option --set {pair!r} must look like key=value (for example url=https://...)."
            )
            raise InvalidInput(msg)
        key, value = pair.split("=", 1)
        config[key.strip()] = value.strip()
    return config


@sources_cli.command("list")
def sources_list() -> None:
    """List sources with their connector, state and last poll."""
    from sbu.listening.queries import list_sources

    with application() as app, app.db.session() as session:
        rows = list_sources(session)
        if not rows:
            console.print(
                "There are no sources yet: add one with `sbu sources add` or `sbu import`."
            )
            return
        table = Table("Id", "Name", "Connector", "Enabled", "Mentions", "Last poll", "Problem")
        for row in rows:
            table.add_row(
                str(row.id),
                row.name,
                row.connector,
                "yes" if row.enabled else "no",
                f"{row.mentions:,}",
                row.last_polled_at.strftime("%Y-%m-%d %H:%M UTC") if row.last_polled_at else "-",
                row.last_error or "",
            )
        console.print(table)


@sources_cli.command("add")
def sources_add(
    name: Annotated[str, typer.Argument(help="A unique name, e.g. 'Presse tech'.")],
    connector: Annotated[str, typer.Option("--connector", "-c", help="rss, file, demo...")],
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="Connector setting as key=value (repeatable), e.g. url=https://..."
        ),
    ] = None,
    interval: Annotated[
        int | None, typer.Option(help="Seconds between polls (polling connectors).")
    ] = None,
    purpose: Annotated[
        str | None, typer.Option(help="Why this source is collected (GDPR).")
    ] = None,
) -> None:
    """Add a source, e.g. `sbu sources add "Presse" -c rss --set url=https://example.com/feed`."""
    from sbu.listening.services import create_source

    with application() as app:
        source = create_source(
            app.db,
            app.clock,
            app.registry,
            cli_actor(),
            name=name,
            connector=connector,
            config=_parse_config(settings or []),
            poll_interval_seconds=interval,
            purpose=purpose,
        )
        every = (
            f", polled every {source.poll_interval_seconds}s"
            if source.poll_interval_seconds
            else ""
        )
        console.print(
            f"Added the {connector} source [bold]{source.name}[/] (id {source.id}{every})."
        )


@sources_cli.command("poll")
def sources_poll(name: Annotated[str, typer.Argument(help="Source name or id.")]) -> None:
    """Poll one source now and print what it brought."""
    from sbu.listening.polling import poll_source
    from sbu.listening.services import get_source

    with application() as app:
        with app.db.session() as session:
            source_id = get_source(session, name).id
        outcome = poll_source(app, source_id, actor=cli_actor())
        if not outcome.ok:
            fail(f"Polling {outcome.source_name} failed: {outcome.error}")
        console.print(
            f"Polled {outcome.source_name}: {outcome.imported:,} new, {outcome.duplicates:,} already "
            f"stored, {outcome.rejected:,} rejected."
        )


@sources_cli.command("enable")
def sources_enable(name: Annotated[str, typer.Argument(help="Source name or id.")]) -> None:
    """Enable a source (polling sources are polled again)."""
    from sbu.listening.services import set_source_enabled

    with application() as app:
        source = set_source_enabled(app.db, app.clock, cli_actor(), name, True)
        console.print(f"Enabled {source.name}.")


@sources_cli.command("disable")
def sources_disable(name: Annotated[str, typer.Argument(help="Source name or id.")]) -> None:
    """Disable a source: it is no longer polled; its mentions stay."""
    from sbu.listening.services import set_source_enabled

    with application() as app:
        source = set_source_enabled(app.db, app.clock, cli_actor(), name, False)
        console.print(f"Disabled {source.name}.")


# -- dead letters --------------------------------------------------------------------------


@dead_letters_cli.command("list")
def dead_letters_list(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
) -> None:
    """List items that could not be stored, with the reason."""
    from sbu.listening.queries import list_dead_letters
    from sbu.listening.services import get_source

    with application() as app, app.db.session() as session:
        source_id = get_source(session, source).id if source else None
        page = list_dead_letters(session, source_id=source_id, limit=limit)
        if not page.rows:
            console.print("No rejected items.")
            return
        for row in page.rows:
            console.print(
                f"[yellow]{row.source_name} {row.locator}[/]: {row.reason}", highlight=False
            )
        if page.total > len(page.rows):
            console.print(f"… {page.total - len(page.rows):,} more (use --limit).")


def main() -> None:
    try:
        cli()
    except KeyboardInterrupt:
        err_console.print("Interrupted: what was committed before stays; re-run to continue.")
        sys.exit(130)


run: Callable[[], None] = main
