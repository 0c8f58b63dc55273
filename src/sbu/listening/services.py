"""Write functions of the listening mission: each validates, changes, audits and commits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sbu.connectors.base import Capability
from sbu.connectors.registry import Registry
from sbu.core import audit
from sbu.core.audit import Actor
from sbu.core.clock import Clock
from sbu.core.errors import Conflict, InvalidInput, NotFound
from sbu.db.engine import Database
from sbu.listening.models import IngestRun, Source

SOURCE_NAME = re.compile(r"^[\w][\w .\-]{0,99}$", re.UNICODE)


def source_snapshot(source: Source) -> dict[str, Any]:
    return {
        "name": source.name,
        "connector": source.connector,
        "config": source.config,
        "enabled": source.enabled,
        "poll_interval_seconds": source.poll_interval_seconds,
        "purpose": source.purpose,
        "retention_days": source.retention_days,
    }


def validate_source_config(
    registry: Registry, connector_key: str, config: Mapping[str, Any]
) -> dict[str, Any]:
    connector = registry.connector(connector_key)
    try:
        model = connector.settings_model.model_validate(dict(config))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg']}"
            for err in exc.errors()
        )
        msg = f"The configuration of this {connector.title} source is invalid: {problems}."
        raise InvalidInput(msg) from exc
    return model.model_dump(mode="json")


def create_source(
    db: Database,
    clock: Clock,
    registry: Registry,
    actor: Actor,
    *,
    name: str,
    connector: str,
    config: Mapping[str, Any] | None = None,
    poll_interval_seconds: int | None = None,
    purpose: str | None = None,
    retention_days: int | None = None,
    enabled: bool = True,
) -> Source:
    """Create a source. Polling connectors get a poll interval (theirs or the given one)."""
    name = name.strip()
    if not SOURCE_NAME.match(name):
        msg = (
            f"The source name {name!r} is not valid: use 1 to 100 letters, digits, spaces, dots, "
            "dashes or underscores, starting with a letter or digit."
        )
        raise InvalidInput(msg)
    connector_obj = registry.connector(connector)
    clean_config = validate_source_config(registry, connector, config or {})
    polls = Capability.POLL in connector_obj.capabilities
    if poll_interval_seconds is not None and poll_interval_seconds < 1:
        msg = "The poll interval must be at least 1 second."
        raise InvalidInput(msg)
    if polls and poll_interval_seconds is None:
        poll_interval_seconds = int(getattr(connector_obj, "default_poll_seconds", 900))
    if not polls:
        poll_interval_seconds = None
    if retention_days is not None and retention_days < 1:
        msg = "The retention must be at least 1 day (or empty to keep mentions)."
        raise InvalidInput(msg)
    now = clock.now()
    with db.write_session() as session:
        if session.execute(select(Source.id).where(Source.name == name)).first():
            msg = f"A source called {name!r} already exists: choose another name."
            raise Conflict(msg)
        source = Source(
            name=name,
            connector=connector,
            config=clean_config,
            cursor=None,
            enabled=enabled,
            poll_interval_seconds=poll_interval_seconds,
            purpose=purpose,
            retention_days=retention_days,
            created_at=now,
            updated_at=now,
            next_poll_at=now if polls and enabled else None,
            consecutive_failures=0,
        )
        session.add(source)
        session.flush()
        audit.record(
            session,
            clock,
            actor,
            "source.created",
            "source",
            source.id,
            after=source_snapshot(source),
        )
        session.commit()
        return source


def get_source(session: Session, name_or_id: str | int) -> Source:
    if isinstance(name_or_id, int) or (isinstance(name_or_id, str) and name_or_id.isdigit()):
        found = session.get(Source, int(name_or_id))
        if found is not None:
            return found
    found = session.execute(
        select(Source).where(Source.name == str(name_or_id))
    ).scalar_one_or_none()
    if found is None:
        msg = f"There is no source called {name_or_id!r}: `sbu sources list` shows the sources."
        raise NotFound(msg)
    return found


def set_source_enabled(
    db: Database, clock: Clock, actor: Actor, name_or_id: str | int, enabled: bool
) -> Source:
    now = clock.now()
    with db.write_session() as session:
        source = get_source(session, name_or_id)
        before = source_snapshot(source)
        source.enabled = enabled
        source.updated_at = now
        if enabled and source.poll_interval_seconds:
            source.next_poll_at = now
        audit.record(
            session,
            clock,
            actor,
            "source.enabled" if enabled else "source.disabled",
            "source",
            source.id,
            before=before,
            after=source_snapshot(source),
        )
        session.commit()
        return source


def start_run(db: Database, clock: Clock, source_id: int, kind: str) -> int:
    """Open an ingest run; runs left 'running' by a crash are closed as interrupted first."""
    now = clock.now()
    with db.write_session() as session:
        session.execute(
            update(IngestRun)
            .where(IngestRun.source_id == source_id, IngestRun.status == "running")
            .values(
                status="interrupted", finished_at=now, detail="The process stopped before the end."
            )
        )
        run = IngestRun(
            source_id=source_id,
            kind=kind,
            started_at=now,
            status="running",
            imported=0,
            duplicates=0,
            near_duplicates=0,
            rejected=0,
        )
        session.add(run)
        session.commit()
        return run.id


def finish_run(
    db: Database,
    clock: Clock,
    actor: Actor,
    run_id: int,
    *,
    status: str,
    imported: int,
    duplicates: int,
    flagged: int,
    rejected: int,
    detail: str | None = None,
    finished_at: datetime | None = None,
) -> None:
    """Close an ingest run with its counts and audit it (one event per run, not per post)."""
    with db.write_session() as session:
        run = session.get(IngestRun, run_id)
        if run is None:
            msg = f"Ingest run {run_id} does not exist."
            raise NotFound(msg)
        run.status = status
        run.finished_at = finished_at or clock.now()
        run.imported, run.duplicates, run.near_duplicates, run.rejected = (
            imported,
            duplicates,
            flagged,
            rejected,
        )
        run.detail = detail
        audit.record(
            session,
            clock,
            actor,
            f"mentions.{run.kind}",
            "source",
            run.source_id,
            after={
                "run_id": run_id,
                "status": status,
                "imported": imported,
                "duplicates": duplicates,
                "flagged": flagged,
                "rejected": rejected,
            },
        )
        session.commit()


def update_source(
    db: Database,
    clock: Clock,
    registry: Registry,
    actor: Actor,
    name_or_id: str | int,
    *,
    config: Mapping[str, Any] | None = None,
    poll_interval_seconds: int | None = None,
    poll_now: bool = False,
) -> Source:
    """Change a source's configuration and/or poll interval (validated and audited).

    ``config`` replaces the whole configuration and is validated by the source's connector.
    ``poll_now`` makes a polling source due at once (the scheduler picks it up on its next tick).
    """
    now = clock.now()
    if poll_interval_seconds is not None and poll_interval_seconds < 1:
        msg = "The poll interval must be at least 1 second."
        raise InvalidInput(msg)
    with db.write_session() as session:
        source = get_source(session, name_or_id)
        before = source_snapshot(source)
        if config is not None:
            source.config = validate_source_config(registry, source.connector, config)
        polls = Capability.POLL in registry.connector(source.connector).capabilities
        if poll_interval_seconds is not None:
            if not polls:
                msg = (
                    f"The source {source.name!r} is not polled ({source.connector} sources "
                    "receive items another way), so it has no poll interval."
                )
                raise InvalidInput(msg)
            source.poll_interval_seconds = poll_interval_seconds
        if poll_now and polls and source.enabled:
            source.next_poll_at = now
        source.updated_at = now
        after = source_snapshot(source)
        if after != before or poll_now:
            audit.record(
                session,
                clock,
                actor,
                "source.updated",
                "source",
                source.id,
                before=before,
                after=after,
            )
        session.commit()
        return source
