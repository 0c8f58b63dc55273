"""Write functions of the listening mission: each validates, changes, audits and commits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import SecretStr, ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sbu.connectors.base import Capability
from sbu.connectors.registry import Registry
from sbu.core import audit
from sbu.core.audit import Actor
from sbu.core.clock import Clock
from sbu.core.credentials import MASK, CredentialBox, secret_fields, split_secrets
from sbu.core.errors import ConfigError, Conflict, InvalidInput, NotFound
from sbu.db.engine import Database
from sbu.listening.models import IngestRun, Source

MAX_PURPOSE_CHARS = 500
SOURCE_NAME = re.compile(r"^[\w][\w .\-]{0,99}$", re.UNICODE)


def source_snapshot(source: Source) -> dict[str, Any]:
    """What the audit log keeps of a source: credentials appear only masked (the config holds
    their masks, see sbu.core.credentials)."""
    return {
        "name": source.name,
        "connector": source.connector,
        "config": source.config,
        "enabled": source.enabled,
        "paused_reason": source.paused_reason,
        "poll_interval_seconds": source.poll_interval_seconds,
        "purpose": source.purpose,
        "retention_days": source.retention_days,
    }


def validate_source_config(
    registry: Registry,
    connector_key: str,
    config: Mapping[str, Any],
    stored_secrets: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate a configuration with the connector's model; return it as (plain JSON with
    credentials masked, credentials). A credential left empty, or given as its mask, keeps
    the one in ``stored_secrets``."""
    connector = registry.connector(connector_key)
    model_class = connector.settings_model
    data = dict(config)
    for name in secret_fields(model_class):
        value = data.get(name)
        if not _new_secret(value) and not isinstance(value, SecretStr):
            data.pop(name, None)
            if stored_secrets and name in stored_secrets:
                data[name] = stored_secrets[name]
    try:
        model = model_class.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg']}"
            for err in exc.errors()
        )
        msg = f"The configuration of this {connector.title} source is invalid: {problems}."
        raise InvalidInput(msg) from exc
    return split_secrets(model)


def _stored_secrets(
    registry: Registry, source: Source, config: Mapping[str, Any], box: CredentialBox | None
) -> dict[str, str]:
    """The saved credentials an update keeps. When the update gives every credential anew,
    the saved ones are not read, so new credentials can replace ones sealed with a lost key."""
    if box is None or not source.credentials:
        return {}
    names = secret_fields(registry.connector(source.connector).settings_model)
    given = [name for name in names if _new_secret(config.get(name))]
    if len(given) == len(names):
        return {}
    return box.open(source.credentials, owner=f"the source {source.name!r}")


def _new_secret(value: object) -> bool:
    return isinstance(value, str) and bool(value) and not value.startswith(MASK)


def _seal(box: CredentialBox | None, secrets: Mapping[str, str], connector: str) -> str | None:
    if not secrets:
        return None
    if box is None:  # pragma: no cover - every caller with credentials passes the box
        msg = f"Saving the credentials of a {connector} source needs the credential box."
        raise ConfigError(msg)
    return box.seal(secrets)


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
    box: CredentialBox | None = None,
) -> Source:
    """Create a source. Polling connectors get a poll interval (theirs or the given one).
    Credentials in ``config`` (its connector's SecretStr fields) are encrypted with ``box``."""
    name = name.strip()
    if not SOURCE_NAME.match(name):
        msg = (
            f"The source name {name!r} is not valid: use 1 to 100 letters, digits, spaces, dots, "
            "dashes or underscores, starting with a letter or digit."
        )
        raise InvalidInput(msg)
    connector_obj = registry.connector(connector)
    clean_config, secrets = validate_source_config(registry, connector, config or {})
    polls = Capability.POLL in connector_obj.capabilities
    if poll_interval_seconds is not None and poll_interval_seconds < 1:
        msg = "The poll interval must be at least 1 second."
        raise InvalidInput(msg)
    if polls and poll_interval_seconds is None:
        poll_interval_seconds = int(getattr(connector_obj, "default_poll_seconds", 900))
    if not polls:
        poll_interval_seconds = None
    if purpose is not None and len(purpose) > MAX_PURPOSE_CHARS:
        msg = f"The purpose must be at most {MAX_PURPOSE_CHARS} characters: summarise it."
        raise InvalidInput(msg)
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
            credentials=_seal(box, secrets, connector),
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
        if enabled:
            source.paused_reason = None  # enabling is also how a paused source resumes
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


def rekey_credentials(db: Database, clock: Clock, box: CredentialBox, actor: Actor) -> int:
    """Encrypt every source's credentials again with the current SBU_CREDENTIALS__KEY (after a
    rotation, with the old key in SBU_CREDENTIALS__PREVIOUS_KEYS). Returns how many sources."""
    now = clock.now()
    with db.write_session() as session:
        sources = list(
            session.execute(select(Source).where(Source.credentials.is_not(None))).scalars()
        )
        for source in sources:
            source.credentials = box.reseal(source.credentials, owner=f"the source {source.name!r}")
            source.updated_at = now
        audit.record(
            session,
            clock,
            actor,
            "sources.credentials_rekeyed",
            "source",
            None,
            after={"sources": [source.name for source in sources]},
        )
        session.commit()
        return len(sources)


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
    box: CredentialBox | None = None,
) -> Source:
    """Change a source's configuration and/or poll interval (validated and audited).

    ``config`` replaces the whole configuration and is validated by the source's connector;
    credentials it leaves empty (or gives as their mask) stay as saved, new ones are encrypted
    with ``box`` and resume a source paused because its credentials were refused.
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
            stored = _stored_secrets(registry, source, config, box)
            source.config, secrets = validate_source_config(
                registry, source.connector, config, stored
            )
            if secrets != stored:
                source.credentials = _seal(box, secrets, source.connector)
                if source.paused_reason is not None:  # new credentials: try them at once
                    source.paused_reason = None
                    if source.enabled and source.poll_interval_seconds:
                        source.next_poll_at = now
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
