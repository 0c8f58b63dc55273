"""`sbu audit export`: the audit log as JSON lines."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Annotated, Any

import orjson
import typer

from sbu.cli.base import application, cli, err_console
from sbu.core.audit import AuditEvent
from sbu.core.errors import InvalidInput
from sbu.org.queries import AuditFilters, iter_audit

audit_cli = typer.Typer(help="Export the audit log.", no_args_is_help=True)
cli.add_typer(audit_cli, name="audit")


def parse_when(value: str, option: str, *, end_of_day: bool = False) -> datetime:
    """A date (``2026-11-01``, the whole day) or a time (``2026-11-01T10:00:00Z``), in UTC."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start + timedelta(days=1) if end_of_day else start
        moment = datetime.fromisoformat(text)
    except ValueError:
        msg = f"{option} {value!r} is not a date: write it as 2026-11-01 or 2026-11-01T10:00:00Z."
        raise InvalidInput(msg) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def event_record(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
    }


@contextmanager
def _target(output: Path | None) -> Iterator[IO[bytes]]:
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    try:
        handle = output.open("wb")
    except OSError as exc:
        msg = f"Cannot write {output}: {exc.strerror or exc}. Choose another --output file."
        raise InvalidInput(msg) from None
    with handle:
        yield handle


@audit_cli.command("export")
def audit_export(
    since: Annotated[
        str | None, typer.Option("--since", help="From this date or time (UTC), included.")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Up to this date (the whole day included) or time (UTC)."),
    ] = None,
    action: Annotated[
        str | None,
        typer.Option("--action", help="Only actions starting with this, e.g. member. or token."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write to this file instead of the output.")
    ] = None,
) -> None:
    """Write audit events as JSON lines, oldest first (to standard output by default)."""
    with application() as app:
        filters = AuditFilters(
            action=action or None,
            since=parse_when(since, "--since") if since else None,
            until=parse_when(until, "--until", end_of_day=True) if until else None,
        )
        written = 0
        try:
            with app.db.session() as session, _target(output) as target:
                for event in iter_audit(session, filters):
                    target.write(orjson.dumps(event_record(event)) + b"\n")
                    written += 1
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        if output is not None:
            events = "audit event" if written == 1 else "audit events"
            err_console.print(f"Wrote {written:,} {events} to {output}.", highlight=False)
