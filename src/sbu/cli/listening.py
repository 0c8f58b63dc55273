"""Listening commands: `sbu import`, `sbu sources` and `sbu dead-letters`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sbu.cli.base import application, cli, cli_actor, console, err_console, fail
from sbu.core.errors import InvalidInput

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
            f"Added the {connector} source [bold]{escape(source.name)}[/] (id {source.id}{every})."
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
