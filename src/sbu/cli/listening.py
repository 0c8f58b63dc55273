"""Listening commands: `sbu import`, `sbu listen`, `sbu sources` and `sbu dead-letters`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sbu.cli.base import application, cli, cli_actor, console, err_console, fail
from sbu.core.errors import InvalidInput

if TYPE_CHECKING:
    from sbu.listening.scheduler import Scheduler

sources_cli = typer.Typer(help="List, add and poll sources.", no_args_is_help=True)
dead_letters_cli = typer.Typer(help="Inspect items that could not be stored.", no_args_is_help=True)
cli.add_typer(sources_cli, name="sources")
cli.add_typer(dead_letters_cli, name="dead-letters")


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
            console.print(f"Created the file source [bold]{escape(summary.source_name)}[/].")
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
            console.print(
                f"  [yellow]{escape(rejected.locator)}[/]: {escape(rejected.reason)}",
                highlight=False,
            )
        if summary.rejected_count > 20:
            console.print(
                f"  … and {summary.rejected_count - 20:,} more: "
                f"`sbu dead-letters list --source {summary.source_name}` shows them all."
            )


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


def _prompt_secrets(keys: list[str]) -> dict[str, str]:
    """Ask for each credential without echoing it (so it stays out of the shell history)."""
    values: dict[str, str] = {}
    for key in keys:
        key = key.strip()
        if not key:
            continue
        values[key] = typer.prompt(f"{key}", hide_input=True).strip()
    return values


SettingsOpt = Annotated[
    list[str] | None,
    typer.Option("--set", help="Connector setting as key=value (repeatable), e.g. url=https://..."),
]
SecretOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--secret",
        help="A credential setting to ask for without echo (repeatable), e.g. access_token.",
    ),
]
IntervalOpt = Annotated[
    int | None, typer.Option(help="Seconds between polls (polling connectors).")
]


@sources_cli.command("list")
def sources_list() -> None:
    """List sources with their connector, state, health and last problem."""
    from sbu.listening.queries import list_sources

    with application() as app, app.db.session() as session:
        rows = list_sources(session, app.clock.now(), app.settings.alerts)
        if not rows:
            console.print(
                "There are no sources yet: add one with `sbu sources add` or `sbu import`."
            )
            return
        table = Table(
            "Id", "Name", "Connector", "State", "Mentions", "Per hour", "Lag", "Last success",
            "Problem",
        )  # fmt: skip
        for row in rows:
            table.add_row(
                str(row.id),
                escape(row.name),
                row.connector,
                row.state + (f" ({row.alert})" if row.alert and row.alert != row.state else ""),
                f"{row.mentions:,}",
                f"{row.items_per_hour:,.1f}",
                _duration(row.lag_seconds),
                _when(row.last_success_at),
                escape(row.paused_reason or row.last_error or ""),
            )
        console.print(table)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 172_800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} d"


@sources_cli.command("add")
def sources_add(
    name: Annotated[str, typer.Argument(help="A unique name, e.g. 'Presse tech'.")],
    connector: Annotated[
        str, typer.Option("--connector", "-c", help="rss, mastodon, reddit, webhook...")
    ],
    settings: SettingsOpt = None,
    secrets: SecretOpt = None,
    interval: IntervalOpt = None,
    purpose: Annotated[
        str | None, typer.Option(help="Why this source is collected (GDPR).")
    ] = None,
) -> None:
    """Add a source, e.g. `sbu sources add "Presse" -c rss --set url=https://example.com/feed`.
    Credentials are asked for with --secret NAME and stored encrypted."""
    from sbu.listening.services import create_source

    with application() as app:
        config = {**_parse_config(settings or []), **_prompt_secrets(secrets or [])}
        source = create_source(
            app.db,
            app.clock,
            app.registry,
            cli_actor(),
            name=name,
            connector=connector,
            config=config,
            poll_interval_seconds=interval,
            purpose=purpose,
            box=app.credentials,
        )
        every = (
            f", polled every {source.poll_interval_seconds}s"
            if source.poll_interval_seconds
            else ""
        )
        console.print(
            f"Added the {connector} source [bold]{escape(source.name)}[/] (id {source.id}{every})."
        )


@sources_cli.command("edit")
def sources_edit(
    name: Annotated[str, typer.Argument(help="Source name or id.")],
    settings: SettingsOpt = None,
    secrets: SecretOpt = None,
    interval: IntervalOpt = None,
) -> None:
    """Change settings of a source; the others, and saved credentials, stay as they are.
    New credentials (--secret) also resume a source paused because its were refused."""
    from sbu.listening.services import get_source, update_source

    with application() as app:
        changes = {**_parse_config(settings or []), **_prompt_secrets(secrets or [])}
        with app.db.session() as session:
            config = dict(get_source(session, name).config)
        source = update_source(
            app.db,
            app.clock,
            app.registry,
            cli_actor(),
            name,
            config={**config, **changes} if changes else None,
            poll_interval_seconds=interval,
            box=app.credentials,
        )
        console.print(f"Updated {escape(source.name)}.")


@sources_cli.command("show")
def sources_show(name: Annotated[str, typer.Argument(help="Source name or id.")]) -> None:
    """Show a source's settings (credentials masked), state and last problem."""
    from sbu.listening.services import get_source

    with application() as app, app.db.session() as session:
        source = get_source(session, name)
        table = Table("Setting", "Value", show_header=False)
        table.add_row("Name", escape(source.name))
        table.add_row("Connector", source.connector)
        state = "paused" if source.paused_reason else "enabled" if source.enabled else "disabled"
        table.add_row("State", state)
        for key, value in sorted(source.config.items()):
            table.add_row(f"  {key}", escape("" if value is None else str(value)))
        if source.poll_interval_seconds:
            table.add_row("Poll interval", f"{source.poll_interval_seconds} s")
        if source.paused_reason:
            table.add_row("Paused because", escape(source.paused_reason))
        elif source.last_error:
            table.add_row("Last error", escape(source.last_error))
        console.print(table)


@sources_cli.command("rekey")
def sources_rekey() -> None:
    """Encrypt every source's credentials again with the current SBU_CREDENTIALS__KEY."""
    from sbu.listening.services import rekey_credentials

    with application() as app:
        count = rekey_credentials(app.db, app.clock, app.credentials, cli_actor())
        console.print(f"Re-encrypted the credentials of {count:,} source(s) with the current key.")


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
    """Enable a source (polling sources are polled again); also resumes a paused source."""
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
                f"[yellow]{escape(row.source_name)} {escape(row.locator)}[/]: {escape(row.reason)}",
                highlight=False,
            )
        if page.total > len(page.rows):
            console.print(f"… {page.total - len(page.rows):,} more (use --limit).")


@cli.command("listen")
def listen_command(
    once: Annotated[
        bool, typer.Option("--once", help="Poll the sources that are due once, then exit.")
    ] = False,
) -> None:
    """Poll the active sources without the web server (`sbu serve` does it too), printing
    each poll; Ctrl-C stops. --once suits a cron job."""
    import threading

    from sbu.listening.scheduler import Scheduler as PollScheduler

    with application() as app:
        scheduler = PollScheduler(app, keep_outcomes=True)
        if once:
            scheduler.run_once()
            _print_polls(scheduler)
            return
        limits = app.settings.scheduler
        console.print(
            f"Listening: due sources are checked every {scheduler.tick:g} s, at most "
            f"{limits.max_concurrent_polls} polls at once ({limits.max_polls_per_connector} per "
            "connector); streaming sources are followed live. Ctrl-C stops."
        )
        scheduler.start()
        stop = threading.Event()
        try:
            while not stop.wait(1.0):
                _print_polls(scheduler)
        except KeyboardInterrupt:
            console.print("Stopping: the polls in progress finish first.")
        finally:
            scheduler.stop()
            _print_polls(scheduler)


def _print_polls(scheduler: Scheduler) -> None:
    for outcome in scheduler.take_finished():
        if outcome.ok:
            console.print(
                f"{escape(outcome.source_name)}: {outcome.imported:,} new, "
                f"{outcome.duplicates:,} already stored, {outcome.rejected:,} rejected."
            )
        else:
            state = "paused" if outcome.paused else "will retry"
            console.print(f"{escape(outcome.source_name)} ({state}): {escape(outcome.error or '')}")
