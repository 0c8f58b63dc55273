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

Sources whose connector streams and whose configuration asks for it (a truthy ``stream``, see
:func:`streams_live`) are not polled: :mod:`sbu.listening.streaming` follows them. The helpers
that read a source and open its configuration (:func:`load_source`, :func:`open_config`) and
that record an outcome on it (:func:`record_outcome`) serve both.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import CursorResult, select, update

from sbu.bus.base import Outgoing
from sbu.bus.subjects import SOURCE_POLLED
from sbu.connectors.base import Capability, Connector, FetchContext, Usage
from sbu.core import audit
from sbu.core.audit import SYSTEM, Actor
from sbu.core.credentials import with_secrets
from sbu.core.errors import AuthFailed, ConnectorError, InvalidInput, RateLimited, SbuError
from sbu.listening.models import IngestRun, Source
from sbu.listening.topic_models import Topic

if TYPE_CHECKING:
    from sbu.bootstrap import App

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=1)
MAX_PAGES_PER_POLL = 50
#: How long a claimed source stays reserved for the poller that claimed it.
CLAIM_LEASE = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class StoredSource:
    """What a poll or a stream reads of a source before it calls its connector."""

    id: int
    name: str
    connector: str
    interval: int | None
    #: The stored configuration (credentials masked; :func:`open_config` puts them back).
    config: dict[str, Any]
    #: The credentials, encrypted.
    sealed: str | None
    cursor: dict[str, Any] | None
    failures: int

    @classmethod
    def of(cls, source: Source) -> StoredSource:
        return cls(
            id=source.id,
            name=source.name,
            connector=source.connector,
            interval=source.poll_interval_seconds,
            config=dict(source.config or {}),
            sealed=source.credentials,
            cursor=source.cursor,
            failures=source.consecutive_failures,
        )


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
    #: The platform refused the credentials: the source is paused until they are replaced.
    paused: bool = False
    token_expires_at: datetime | None = None
    usage: Usage | None = None

    @property
    def eventful(self) -> bool:
        """Whether the poll is worth an ingest run and an audit event."""
        return not self.ok or bool(self.imported or self.duplicates or self.rejected)


def due_sources(app: App, now: datetime) -> list[int]:
    return [source_id for source_id, _ in due_polls(app, now)]


def due_polls(app: App, now: datetime) -> list[tuple[int, str]]:
    """(source id, connector key) of the enabled, unpaused sources due for a poll, most
    overdue first. Streamed sources (:func:`streams_live`) are left out."""
    polling = [
        key for key, c in app.registry.connectors.items() if Capability.POLL in c.capabilities
    ]
    with app.db.session() as session:
        sources = list(
            session.execute(
                select(Source)
                .where(
                    Source.enabled.is_(True),
                    Source.paused_reason.is_(None),
                    Source.connector.in_(polling),
                    Source.next_poll_at.is_not(None),
                    Source.next_poll_at <= now,
                )
                .order_by(Source.next_poll_at)
            ).scalars()
        )
        stored = [StoredSource.of(source) for source in sources]
    return [
        (source.id, source.connector)
        for source in stored
        if not streams_live(app, app.registry.connector(source.connector), source)
    ]


def load_source(app: App, source_id: int) -> StoredSource:
    """The source as a poll or a stream starts from; InvalidInput when it does not exist."""
    with app.db.session() as session:
        source = session.get(Source, source_id)
        if source is None:
            msg = f"Source {source_id} does not exist."
            raise InvalidInput(msg)
        return StoredSource.of(source)


def open_config(app: App, connector: Connector, source: StoredSource) -> BaseModel:
    """The source's configuration with its credentials decrypted, validated by the connector's
    model; ConfigError when the credentials cannot be decrypted, InvalidInput when the
    configuration is no longer valid."""
    secrets = app.credentials.open(source.sealed, owner=f"the source {source.name!r}")
    data = with_secrets(source.config, secrets)
    model = connector.settings_model
    if {"topic", "query"} <= set(model.model_fields) and data.get("topic"):
        data["query"] = topic_query(app, str(data["topic"]), source.name)
    return _config(model, data, source.name)


def topic_query(app: App, topic: str, source_name: str) -> str:
    """The current query of an active topic, for sources whose query follows a topic (a
    ``topic`` setting beside ``query``): the platform's search or stream rule then changes with
    the topic, version by version."""
    with app.db.session() as session:
        row = session.execute(select(Topic.query, Topic.active).where(Topic.name == topic)).first()
    if row is None:
        msg = (
            f"The source {source_name!r} follows the topic {topic!r}, which does not exist: "
            "choose an existing topic, or write the query in the source's settings."
        )
        raise InvalidInput(msg)
    if not row.active:
        msg = (
            f"The source {source_name!r} follows the topic {topic!r}, which is inactive: "
            "activate the topic, or write the query in the source's settings."
        )
        raise InvalidInput(msg)
    return str(row.query)


def streams(connector: Connector, config: BaseModel) -> bool:
    """Whether a source with this validated configuration is followed live: its connector has
    the ``stream`` capability (and method) and the configuration a truthy ``stream``."""
    return (
        Capability.STREAM in connector.capabilities
        and callable(getattr(connector, "stream", None))
        and bool(getattr(config, "stream", False))
    )


def streams_live(app: App, connector: Connector, source: StoredSource) -> bool:
    """:func:`streams` for a stored source. A configuration that cannot be opened is not
    streamed: its poll reports the problem on the source."""
    if Capability.STREAM not in connector.capabilities:
        return False
    try:
        return streams(connector, open_config(app, connector, source))
    except SbuError:
        return False


def claim_source(app: App, source_id: int, now: datetime) -> bool:
    """Reserve a due source for this poller; False when another poller got it first."""
    with app.db.write_session() as session:
        result = session.execute(
            update(Source)
            .where(
                Source.id == source_id,
                Source.enabled.is_(True),
                Source.paused_reason.is_(None),
                Source.next_poll_at.is_not(None),
                Source.next_poll_at <= now,
            )
            .values(next_poll_at=now + CLAIM_LEASE)
        )
        session.commit()
    return isinstance(result, CursorResult) and result.rowcount == 1


def poll_source(app: App, source_id: int, *, actor: Actor = SYSTEM) -> PollOutcome:
    """Fetch everything new from one source (several pages if the connector says there is more).

    A streamed source polled this way (``sbu sources poll``) is made free at once, so its stream
    is opened again from the cursor this poll saved."""
    started = app.clock.now()
    stored = load_source(app, source_id)
    name, connector_key, interval = stored.name, stored.connector, stored.interval
    cursor, failures = stored.cursor, stored.failures
    connector = app.registry.connector(connector_key)
    fetch = getattr(connector, "fetch", None)
    if Capability.POLL not in connector.capabilities or fetch is None:
        msg = f"The source {name!r} uses the {connector_key} connector, which is not polled."
        raise InvalidInput(msg)
    outcome = PollOutcome(source_id, name, ok=True)
    streamed = False
    try:
        config = open_config(app, connector, stored)
        streamed = streams(connector, config)
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
            outcome.token_expires_at = result.token_expires_at or outcome.token_expires_at
            outcome.usage = result.usage or outcome.usage
            if not result.more:
                break
    except RateLimited as exc:
        outcome.ok, outcome.error = False, str(exc)
        delay = (
            timedelta(seconds=exc.retry_after) if exc.retry_after else _backoff(interval, failures)
        )
        outcome.next_poll_at = app.clock.now() + delay
    except AuthFailed as exc:
        # Retrying with refused credentials only locks the account: pause until new ones.
        outcome.ok, outcome.error, outcome.paused = False, str(exc), True
        outcome.next_poll_at = None
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
    if streamed and not outcome.paused:
        # a person polled a streamed source: its stream is reopened from the new cursor at once
        outcome.next_poll_at = finished
    for note in outcome.notes:
        log.warning("Source %s: %s", name, note)
    record_outcome(app, outcome, actor, started, finished)
    publish_outcome(app, outcome, connector_key, started, finished)
    return outcome


def publish_outcome(
    app: App, outcome: PollOutcome, connector_key: str, started: datetime, finished: datetime
) -> None:
    """Announce a poll's (or a stream's) outcome on the bus (``source.polled``)."""
    source_id, name = outcome.source_id, outcome.source_name
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


def record_outcome(
    app: App,
    outcome: PollOutcome,
    actor: Actor,
    started: datetime,
    finished: datetime,
    *,
    kind: str = "polled",
    lease: datetime | None = None,
) -> bool:
    """Save a poll's (or a stream's) outcome on the source, with an ingest run of ``kind`` when
    it is eventful. With ``lease``, the source is only updated while its ``next_poll_at`` is
    still that lease (the stream that holds it); returns whether the source was updated."""
    values: dict[str, object] = {"last_polled_at": finished, "next_poll_at": outcome.next_poll_at}
    if outcome.token_expires_at is not None:
        values["token_expires_at"] = outcome.token_expires_at
    if outcome.usage is not None:
        values["usage"] = outcome.usage.as_json()
    if outcome.ok:
        values.update(last_error=None, consecutive_failures=0, last_success_at=finished)
    else:
        values.update(
            last_error=outcome.error, consecutive_failures=Source.consecutive_failures + 1
        )
        if outcome.paused:
            values["paused_reason"] = outcome.error
    held = [Source.next_poll_at == lease] if lease is not None else []
    with app.db.write_session() as session:
        result = session.execute(
            update(Source).where(Source.id == outcome.source_id, *held).values(**values)
        )
        if outcome.eventful:
            status = "completed" if outcome.ok else "failed"
            run = IngestRun(
                source_id=outcome.source_id,
                kind=kind,
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
    return isinstance(result, CursorResult) and result.rowcount == 1
