"""Polling sources: fetch from a polling connector, ingest, and schedule the next poll.

:func:`poll_source` is the one write path for a poll; the scheduler (:mod:`sbu.listening.scheduler`),
``sbu sources poll`` and the worker call it. A failing connector never loses the cursor: the
cursor moves only with committed items. Failures back off exponentially (up to an hour) and are
recorded on the source, so the Sources page shows which source is sick and why.

A poll that brought something (new mentions, duplicates, rejected items) or failed is recorded as
an ingest run of kind ``polled``; a poll that found nothing new only updates the source's
``last_polled_at``, so a quiet feed polled every few minutes does not flood the logs. A poll a
person asked for (``sbu sources poll``) is also an audit event; the scheduler's own polls are not,
so the audit log stays the record of what people did (a live feed brings data every few seconds).

Several schedulers (``sbu serve`` replicas, workers) may look at the same due sources: each one
first *claims* a source (:func:`claim_source`), which moves its ``next_poll_at`` past a lease in
one conditional UPDATE, so only one of them polls it. A poller that dies mid-poll leaves the claim
to expire after ``CLAIM_LEASE``.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError
from sqlalchemy import CursorResult, select, update

from sbu.bus.base import Outgoing
from sbu.bus.subjects import SOURCE_POLLED
from sbu.connectors.base import Capability, FetchContext
from sbu.core import audit
from sbu.core.audit import SYSTEM, Actor
from sbu.core.errors import ConnectorError, InvalidInput, RateLimited, SbuError
from sbu.listening.models import IngestRun, Source

if TYPE_CHECKING:
    from sbu.bootstrap import App

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=1)
MAX_PAGES_PER_POLL = 50
#: How long a claimed source stays reserved for the poller that claimed it.
CLAIM_LEASE = timedelta(minutes=15)


@dataclass(slots=True)
class PollOutcome:
    source_id: int
    source_name: str
    ok: bool
    imported: int = 0
    duplicates: int = 0
    #: New mentions flagged as reposts, copies or near-duplicates of stored ones.
    flagged: int = 0
    rejected: int = 0
    error: str | None = None
    next_poll_at: datetime | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def eventful(self) -> bool:
        """Whether the poll is worth an ingest run and an audit event."""
        return not self.ok or bool(self.imported or self.duplicates or self.rejected)


def due_sources(app: App, now: datetime) -> list[int]:
    polling = [
        key for key, c in app.registry.connectors.items() if Capability.POLL in c.capabilities
    ]
    with app.db.session() as session:
        return list(
            session.execute(
                select(Source.id)
                .where(
                    Source.enabled.is_(True),
                    Source.connector.in_(polling),
                    Source.next_poll_at.is_not(None),
                    Source.next_poll_at <= now,
                )
                .order_by(Source.next_poll_at)
            ).scalars()
        )


def claim_source(app: App, source_id: int, now: datetime) -> bool:
    """Reserve a due source for this poller; False when another poller got it first."""
    with app.db.write_session() as session:
        result = session.execute(
            update(Source)
            .where(
                Source.id == source_id,
                Source.enabled.is_(True),
                Source.next_poll_at.is_not(None),
                Source.next_poll_at <= now,
            )
            .values(next_poll_at=now + CLAIM_LEASE)
        )
        session.commit()
    return isinstance(result, CursorResult) and result.rowcount == 1


def poll_source(app: App, source_id: int, *, actor: Actor = SYSTEM) -> PollOutcome:
    """Fetch everything new from one source (several pages if the connector says there is more)."""
    started = app.clock.now()
    with app.db.session() as session:
        source = session.get(Source, source_id)
        if source is None:
            msg = f"Source {source_id} does not exist."
            raise InvalidInput(msg)
        name, connector_key, interval = source.name, source.connector, source.poll_interval_seconds
        config_data, cursor, failures = (
            dict(source.config),
            source.cursor,
            source.consecutive_failures,
        )
    connector = app.registry.connector(connector_key)
    fetch = getattr(connector, "fetch", None)
    if Capability.POLL not in connector.capabilities or fetch is None:
        msg = f"The source {name!r} uses the {connector_key} connector, which is not polled."
        raise InvalidInput(msg)
    outcome = PollOutcome(source_id, name, ok=True)
    try:
        config = _config(connector.settings_model, config_data, name)
        for _ in range(MAX_PAGES_PER_POLL):
            context = FetchContext(now=app.clock.now(), source_id=source_id, source_name=name)
            result = fetch(config, cursor, context)
            batch = app.ingest.ingest(
                source_id, list(result.items), rejected=list(result.rejected), cursor=result.cursor
            )
            cursor = result.cursor
            outcome.imported += batch.imported
            outcome.duplicates += batch.duplicates
            outcome.flagged += sum(1 for m in batch.stored if m.duplicate_kind)
            outcome.rejected += len(batch.rejected)
            outcome.notes.extend(result.notes)
            if not result.more:
                break
    except RateLimited as exc:
        outcome.ok, outcome.error = False, str(exc)
        delay = (
            timedelta(seconds=exc.retry_after) if exc.retry_after else _backoff(interval, failures)
        )
        outcome.next_poll_at = app.clock.now() + delay
    except (ConnectorError, SbuError) as exc:
        outcome.ok, outcome.error = False, str(exc)
        outcome.next_poll_at = app.clock.now() + _backoff(interval, failures)
    except Exception as exc:
        log.exception("Polling source %s failed unexpectedly.", name)
        outcome.ok = False
        outcome.error = f"Unexpected error ({type(exc).__name__}: {exc}); see the server log."
        outcome.next_poll_at = app.clock.now() + _backoff(interval, failures)
    finished = app.clock.now()
    if outcome.ok:
        outcome.next_poll_at = finished + timedelta(seconds=interval or 900)
    for note in outcome.notes:
        log.warning("Source %s: %s", name, note)
    _record_poll(app, outcome, actor, started, finished)
    app.bus.publish_many(
        [
            Outgoing(
                SOURCE_POLLED,
                {
                    "version": 1,
                    "source_id": source_id,
                    "source_name": name,
                    "connector": connector_key,
                    "started_at": started.isoformat(),
                    "finished_at": finished.isoformat(),
                    "ok": outcome.ok,
                    "imported": outcome.imported,
                    "duplicates": outcome.duplicates,
                    "rejected": outcome.rejected,
                    "error": outcome.error,
                    "next_poll_at": outcome.next_poll_at.isoformat()
                    if outcome.next_poll_at
                    else None,
                },
                key=f"poll:{source_id}:{started.isoformat()}:{uuid.uuid4().hex[:12]}",
            )
        ]
    )
    return outcome


def _backoff(interval: int | None, failures: int) -> timedelta:
    base = timedelta(seconds=interval or 900)
    return min(base * (1 << min(failures, 10)), max(MAX_BACKOFF, base))


def _config(model: type[BaseModel], data: dict[str, object], name: str) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg']}"
            for err in exc.errors()
        )
        msg = (
            f"The configuration of the source {name!r} is no longer valid ({problems}): "
            "fix it, or disable the source."
        )
        raise InvalidInput(msg) from exc


def _record_poll(
    app: App, outcome: PollOutcome, actor: Actor, started: datetime, finished: datetime
) -> None:
    values: dict[str, object] = {"last_polled_at": finished, "next_poll_at": outcome.next_poll_at}
    if outcome.ok:
        values.update(last_error=None, consecutive_failures=0)
    else:
        values.update(
            last_error=outcome.error, consecutive_failures=Source.consecutive_failures + 1
        )
    with app.db.write_session() as session:
        session.execute(update(Source).where(Source.id == outcome.source_id).values(**values))
        if outcome.eventful:
            status = "completed" if outcome.ok else "failed"
            run = IngestRun(
                source_id=outcome.source_id,
                kind="polled",
                started_at=started,
                finished_at=finished,
                status=status,
                detail=outcome.error[:2000] if outcome.error else None,
                imported=outcome.imported,
                duplicates=outcome.duplicates,
                near_duplicates=outcome.flagged,
                rejected=outcome.rejected,
            )
            session.add(run)
            session.flush()
            if actor != SYSTEM:  # the scheduler's polls are ingest runs, not audit events
                audit.record(
                    session,
                    app.clock,
                    actor,
                    "mentions.polled",
                    "source",
                    outcome.source_id,
                    after={
                        "run_id": run.id,
                        "status": status,
                        "imported": outcome.imported,
                        "duplicates": outcome.duplicates,
                        "flagged": outcome.flagged,
                        "rejected": outcome.rejected,
                        "error": outcome.error,
                    },
                )
        session.commit()
