"""Streaming sources: one thread per source follows its connector's live stream.

A source is *streamed* when its connector has the ``stream`` capability and its configuration a
truthy ``stream`` (:func:`sbu.listening.polling.streams`); the scheduler does not poll it. The
:class:`StreamSupervisor`, started and stopped with the :class:`~sbu.listening.scheduler.Scheduler`
of ``sbu serve`` and ``sbu listen``, checks every few seconds which enabled, unpaused sources
stream and keeps one daemon thread per source that iterates
``connector.stream(config, cursor, context)``:

- each :class:`~sbu.connectors.base.FetchResult` is stored with its cursor in one transaction
  (``app.ingest.ingest``, as a poll stores a page), so the saved cursor always matches the
  stored mentions. A batch with no item, no rejected item and no new cursor is a heartbeat: it
  shows the stream is alive and lets the thread see that it must stop, and is not written;
- the source's health is written like a successful poll's (``last_polled_at``,
  ``last_success_at``, ``last_error`` cleared, an ingest run of kind ``streamed`` with the
  counts), right after the first batch and then at most every ``FLUSH_SECONDS``, not for every
  batch. A stream that stays connected without news for ``STABLE_SECONDS`` counts as working;
- when the stream raises, the failure is recorded like a failed poll's (``AuthFailed`` pauses
  the source and its thread ends; other errors set ``last_error`` and add one to
  ``consecutive_failures``), the thread waits (full-jitter backoff of the connector settings'
  :class:`~sbu.connectors.api_client.RetryPolicy`, up to ``MAX_BACKOFF_SECONDS``) and opens
  the stream again from the cursor saved in the database; the connector fills the gap from it.

**One stream per source, even with several replicas.** Before starting a thread, the supervisor
*claims* the source: one conditional UPDATE moves its ``next_poll_at`` to ``now + STREAM_LEASE``
when it is empty or past (as :func:`~sbu.listening.polling.claim_source` does for a poll). That
value is the lease: every ``RENEW_SECONDS`` the supervisor moves it ahead, and every write of
the stream's health only applies while ``next_poll_at`` is still the lease it holds. Another
`sbu serve` finds the lease in the future and does not stream the source; when the process
dies, the lease expires and another process takes over. A process that finds its lease taken
(another process, or a person who asked to poll the source now) stops its stream; the next check
claims the source again when it is free.

**Stopping.** A source disabled, paused, switched to polling or reconfigured (its configuration
or credentials changed) is stopped at the next check (every ``CHECK_SECONDS``): the supervisor
sets the stream's stop flag and gives the lease back (``next_poll_at`` now, so a poll or another
stream picks it up at once). A generator cannot be closed from another thread while it waits
for the network, so the stream's own thread closes it (``generator.close()``, which closes the
connection) at the next batch or heartbeat; until then it writes nothing. Threads are daemons,
so a stream blocked in a read never holds the process up.

Each streaming source holds one connection and one thread for as long as it streams; streams
do not count against the poll limits (``SBU_SCHEDULER__MAX_CONCURRENT_POLLS``).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, cast

import orjson
from pydantic import BaseModel
from sqlalchemy import CursorResult, case, or_, select, update

from sbu.connectors.api_client import RetryPolicy
from sbu.connectors.base import Capability, Connector, FetchContext, FetchResult
from sbu.core.audit import SYSTEM
from sbu.core.errors import AuthFailed, RateLimited, SbuError
from sbu.listening.models import Source
from sbu.listening.polling import (
    PollOutcome,
    StoredSource,
    load_source,
    open_config,
    publish_outcome,
    record_outcome,
    streams,
    streams_live,
)

if TYPE_CHECKING:
    from sbu.bootstrap import App

log = logging.getLogger(__name__)

#: How long a claimed streaming source stays reserved for the process that streams it.
STREAM_LEASE = timedelta(minutes=2)
#: How often the lease is moved ahead (and a working stream's health written).
RENEW_SECONDS = 30.0
#: The source's health and counts are written at most this often while batches arrive.
FLUSH_SECONDS = 30.0
#: How often the supervisor looks for sources to start or stop.
CHECK_SECONDS = 2.0
#: A stream connected this long without raising is working, even if nothing was posted.
STABLE_SECONDS = 300.0
#: The longest wait before opening a failing stream again.
MAX_BACKOFF_SECONDS = 900.0

Sleep = Callable[[float], None]
Monotonic = Callable[[], float]


class StreamingConnector(Connector, Protocol):
    """A connector with the ``stream`` capability."""

    def stream(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> Iterator[FetchResult]:
        """Yield batches as the platform pushes them, each with the cursor to save with it."""
        ...


def claim_stream(app: App, source_id: int, now: datetime) -> datetime | None:
    """Reserve an enabled, unpaused source for this process's stream; return the lease (the
    ``next_poll_at`` written), or None when another process holds it."""
    lease = now + STREAM_LEASE
    with app.db.write_session() as session:
        result = session.execute(
            update(Source)
            .where(
                Source.id == source_id,
                Source.enabled.is_(True),
                Source.paused_reason.is_(None),
                or_(Source.next_poll_at.is_(None), Source.next_poll_at <= now),
            )
            .values(next_poll_at=lease)
        )
        session.commit()
    return lease if _one_row(result) else None


def renew_lease(app: App, source_id: int, held: datetime, now: datetime) -> datetime | None:
    """Move the lease ``held`` ahead; None when the source's ``next_poll_at`` is no longer it
    (another process took the source, or a person asked to poll it now)."""
    lease = now + STREAM_LEASE
    with app.db.write_session() as session:
        result = session.execute(
            update(Source)
            .where(Source.id == source_id, Source.next_poll_at == held)
            .values(next_poll_at=lease)
        )
        session.commit()
    return lease if _one_row(result) else None


def release_lease(app: App, source_id: int, held: datetime, now: datetime) -> bool:
    """Give the lease ``held`` back: the source is free at once (for a poll if it is switched
    to polling, or for another process's stream)."""
    with app.db.write_session() as session:
        result = session.execute(
            update(Source)
            .where(Source.id == source_id, Source.next_poll_at == held)
            .values(next_poll_at=case((Source.poll_interval_seconds.is_(None), None), else_=now))
        )
        session.commit()
    return _one_row(result)


def _one_row(result: object) -> bool:
    return isinstance(result, CursorResult) and result.rowcount == 1


@dataclass(eq=False)
class _Stream:
    """One source streamed by this process. ``lock`` guards the lease and the counts, which the
    stream's thread and the supervisor both write."""

    source_id: int
    name: str
    connector: str
    #: The configuration and credentials as saved when the stream started.
    version: bytes
    lease: datetime
    #: Set to stop the stream's thread (by the supervisor, or by the thread itself when the
    #: source is paused or switched to polling).
    stop: threading.Event = field(default_factory=threading.Event)
    #: The supervisor ended it (its counts are written and its lease given back).
    ended: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None
    #: The counts since the last write of the source's health.
    pending: PollOutcome | None = None
    pending_since: datetime | None = None
    last_flush: float = float("-inf")
    renewed: float = 0.0
    #: It delivered something since its last failure.
    healthy: bool = False
    #: Batches (heartbeats included) taken since the thread started.
    batches: int = 0
    #: When (monotonic) the current stream was opened; None while waiting to reopen it.
    open_since: float | None = None
    #: The lease was taken by someone else: this process must not write for the source.
    lost: bool = False


@dataclass(frozen=True, slots=True)
class _Wanted:
    name: str
    connector: str
    version: bytes


class StreamSupervisor:
    """Keeps one thread per streaming source; see the module docstring.

    ``sleep`` replaces the wait before a stream is opened again (tests; by default the wait
    ends early when the stream is stopped), ``monotonic`` the clock of the renewal and flush
    intervals. ``on_outcome`` receives the outcome of every eventful write (batches stored, or
    a failure), as `sbu listen` prints them.
    """

    def __init__(
        self,
        app: App,
        *,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
        monotonic: Monotonic = time.monotonic,
        check_seconds: float = CHECK_SECONDS,
        on_outcome: Callable[[PollOutcome], None] | None = None,
    ) -> None:
        self.app = app
        settings = app.settings.connectors
        self.policy = replace(
            RetryPolicy.from_settings(settings),
            max_delay=max(settings.backoff_max_seconds, MAX_BACKOFF_SECONDS),
        )
        self.sleep = sleep
        self.rng = rng or random.Random()  # noqa: S311 - jitter of reconnections, not cryptography
        self.monotonic = monotonic
        self.check_seconds = check_seconds
        self.on_outcome = on_outcome
        self._lock = threading.Lock()
        self._streams: dict[int, _Stream] = {}
        #: Streams told to stop whose thread may still wait for the network.
        self._stopped: list[_Stream] = []
        #: Source id -> (configuration version, streams?), so credentials are not decrypted
        #: at every check.
        self._decisions: dict[int, tuple[bytes, bool]] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="sbu-streams", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop every stream and give their leases back; wait up to ``timeout`` seconds for
        their threads to finish the batch they may be storing (a thread still waiting for the
        network is left: it is a daemon, and stores nothing any more)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with self._lock:
            running = list(self._streams.values())
        for stream in running:
            self._end(stream, release=True)
        deadline = time.monotonic() + timeout
        with self._lock:
            ended, self._stopped = self._stopped, []
        for stream in ended:
            if stream.thread is not None:
                stream.thread.join(max(deadline - time.monotonic(), 0.0))
        still = [s.name for s in ended if s.thread is not None and s.thread.is_alive()]
        if still:
            log.info("The streams of %s stop at their next event.", ", ".join(still))

    @property
    def streaming(self) -> list[int]:
        """The ids of the sources this process streams now."""
        with self._lock:
            return sorted(self._streams)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.check()
            except Exception:
                log.exception("Checking the streaming sources failed; sbu tries again.")
            self._stopping.wait(self.check_seconds)

    # -- the check ---------------------------------------------------------------------------

    def check(self) -> int:
        """Stop the streams of sources that no longer stream, renew the leases of the others,
        and start the streams of sources this process can claim; return how many it streams."""
        wanted = self._wanted()
        with self._lock:
            running = list(self._streams.values())
            self._stopped = [s for s in self._stopped if s.thread and s.thread.is_alive()]
        for stream in running:
            target = wanted.get(stream.source_id)
            alive = stream.thread is not None and stream.thread.is_alive()
            if stream.lost or not alive or target is None or target.version != stream.version:
                self._end(stream, release=not stream.lost)
            elif self.monotonic() - stream.renewed >= RENEW_SECONDS:
                self._renew(stream)
        for source_id, target in wanted.items():
            if self._stopping.is_set():
                break
            with self._lock:
                if source_id in self._streams:
                    continue
            lease = claim_stream(self.app, source_id, self.app.clock.now())
            if lease is None:
                continue  # another process streams it
            self._begin(source_id, target, lease)
        with self._lock:
            return len(self._streams)

    def _wanted(self) -> dict[int, _Wanted]:
        """The enabled, unpaused sources that stream, by id."""
        connectors = {
            key: c
            for key, c in self.app.registry.connectors.items()
            if Capability.STREAM in c.capabilities
        }
        if not connectors:
            return {}
        with self.app.db.session() as session:
            rows = [
                StoredSource.of(source)
                for source in session.execute(
                    select(Source).where(
                        Source.enabled.is_(True),
                        Source.paused_reason.is_(None),
                        Source.connector.in_(list(connectors)),
                    )
                ).scalars()
            ]
        decisions: dict[int, tuple[bytes, bool]] = {}
        wanted: dict[int, _Wanted] = {}
        for source in rows:
            version = orjson.dumps([source.config, source.sealed], option=orjson.OPT_SORT_KEYS)
            known = self._decisions.get(source.id)
            streamed = (
                known[1]
                if known is not None and known[0] == version
                else streams_live(self.app, connectors[source.connector], source)
            )
            decisions[source.id] = (version, streamed)
            if streamed:
                wanted[source.id] = _Wanted(source.name, source.connector, version)
        self._decisions = decisions
        return wanted

    def _begin(self, source_id: int, target: _Wanted, lease: datetime) -> None:
        if self._stopping.is_set():  # stopped while this check ran: give the claim back
            release_lease(self.app, source_id, lease, self.app.clock.now())
            return
        stream = _Stream(
            source_id, target.name, target.connector, target.version, lease,
            renewed=self.monotonic(),
        )  # fmt: skip
        stream.thread = threading.Thread(
            target=self._follow, args=(stream,), name=f"sbu-stream-{source_id}", daemon=True
        )
        with self._lock:
            self._streams[source_id] = stream
        log.info("Streaming the source %s.", target.name)
        stream.thread.start()

    def _end(self, stream: _Stream, *, release: bool) -> None:
        """Tell a stream to stop, write its last counts and give its lease back."""
        with self._lock:
            if self._streams.get(stream.source_id) is stream:
                del self._streams[stream.source_id]
                self._stopped.append(stream)
        with stream.lock:
            if stream.ended:
                return
            stream.ended = True
            stream.stop.set()
            if stream.lost:
                return
            if stream.pending is not None and stream.pending.eventful:
                self._flush(stream)
            if release and not stream.lost:
                release_lease(self.app, stream.source_id, stream.lease, self.app.clock.now())
        log.info("Stopped streaming the source %s.", stream.name)

    def _renew(self, stream: _Stream) -> None:
        with stream.lock:
            if stream.stop.is_set() or stream.lost:
                return
            working = stream.healthy or (
                stream.open_since is not None
                and self.monotonic() - stream.open_since >= STABLE_SECONDS
            )
            if working:
                self._flush(stream)  # renews the lease with the health
            else:
                lease = renew_lease(self.app, stream.source_id, stream.lease, self.app.clock.now())
                if lease is None:
                    stream.lost = True
                    stream.stop.set()  # the lease is gone: this process stops writing
                else:
                    stream.lease = lease
            stream.renewed = self.monotonic()

    # -- a stream's thread -------------------------------------------------------------------

    def _follow(self, stream: _Stream) -> None:
        try:
            self._keep_following(stream)
        except Exception:  # recording a failure failed (the database is down...)
            log.exception(
                "The thread streaming %s stopped unexpectedly; the next check starts it again.",
                stream.name,
            )

    def _keep_following(self, stream: _Stream) -> None:
        failures = 0
        while not stream.stop.is_set():
            problem: Exception | None = None
            started, batches = self.app.clock.now(), stream.batches
            try:
                self._open_and_read(stream)
            except Exception as exc:
                problem = exc
            finally:
                with stream.lock:
                    stream.open_since = None
            if stream.stop.is_set():
                break
            if stream.batches > batches:
                failures = 0
            if problem is not None:
                if self._failed(stream, problem, started):
                    break  # paused, or the lease is lost
                failures += 1
            elif stream.batches == batches:
                failures += 1  # it ended without delivering anything: wait longer each time
            wait = self.policy.backoff(max(failures - 1, 0), self.rng)
            if isinstance(problem, RateLimited) and problem.retry_after is not None:
                wait = max(wait, problem.retry_after)
            self._wait(stream, wait)
        log.debug("The thread streaming %s ended.", stream.name)

    def _open_and_read(self, stream: _Stream) -> None:
        """Open the stream from the saved cursor and store what it yields until it ends or is
        stopped; the generator is closed (and with it the connection) in any case."""
        stored = load_source(self.app, stream.source_id)
        connector = self.app.registry.connector(stored.connector)
        config = open_config(self.app, connector, stored)
        if not streams(connector, config):
            stream.stop.set()  # switched to polling meanwhile: the supervisor releases it
            return
        context = FetchContext(
            now=self.app.clock.now(), source_id=stream.source_id, source_name=stored.name
        )
        results = cast(StreamingConnector, connector).stream(config, stored.cursor, context)
        with stream.lock:
            stream.open_since = self.monotonic()
        cursor = stored.cursor
        try:
            for result in results:
                if stream.stop.is_set():
                    break  # not stored: the next stream fetches it again from the cursor
                cursor = self._take(stream, result, cursor)
        finally:
            close = getattr(results, "close", None)
            if callable(close):
                close()

    def _take(
        self, stream: _Stream, result: FetchResult, cursor: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """Store one batch with its cursor; return the cursor now saved."""
        heartbeat = (
            not result.items
            and not result.rejected
            and not result.notes
            and (result.cursor is None or result.cursor == cursor)
        )
        if not heartbeat:
            batch = self.app.ingest.ingest(
                stream.source_id,
                list(result.items),
                rejected=list(result.rejected),
                cursor=result.cursor,
            )
            cursor = result.cursor
        for note in result.notes:
            log.warning("Source %s: %s", stream.name, note)
        with stream.lock:
            stream.batches += 1
            if stream.pending is None:
                stream.pending = PollOutcome(stream.source_id, stream.name, ok=True)
                stream.pending_since = self.app.clock.now()
            pending = stream.pending
            if not heartbeat:
                pending.imported += batch.imported
                pending.duplicates += batch.duplicates
                pending.flagged += sum(1 for m in batch.stored if m.duplicate_kind)
                pending.rejected += len(batch.rejected)
            pending.notes.extend(result.notes)
            pending.token_expires_at = result.token_expires_at or pending.token_expires_at
            pending.usage = result.usage or pending.usage
            first = not stream.healthy
            stream.healthy = True
            if stream.stop.is_set() or stream.lost:
                if pending.eventful:  # stored just before the stop: its counts still count
                    self._flush(stream)
            elif first or self.monotonic() - stream.last_flush >= FLUSH_SECONDS:
                self._flush(stream)
        return cursor

    def _flush(self, stream: _Stream) -> None:
        """Write the counts since the last write and the health of a working stream, renewing
        the lease (the caller holds ``stream.lock``)."""
        now = self.app.clock.now()
        outcome = stream.pending or PollOutcome(stream.source_id, stream.name, ok=True)
        outcome.next_poll_at = now + STREAM_LEASE
        started = stream.pending_since or now
        if record_outcome(
            self.app, outcome, SYSTEM, started, now, kind="streamed", lease=stream.lease
        ):
            stream.lease = outcome.next_poll_at
        else:
            stream.lost = True
            stream.stop.set()  # the lease is gone: this process stops writing
        stream.pending, stream.pending_since = None, None
        stream.last_flush = stream.renewed = self.monotonic()
        if outcome.eventful:
            self._announce(stream, outcome, started, now)

    def _failed(self, stream: _Stream, problem: Exception, started: datetime) -> bool:
        """Record a failed stream like a failed poll; True when the thread must end (the
        source is paused, or another process holds it)."""
        if isinstance(problem, SbuError):
            error = str(problem)
        else:
            log.exception("Streaming the source %s failed unexpectedly.", stream.name)
            error = f"Unexpected error ({type(problem).__name__}: {problem}); see the server log."
        paused = isinstance(problem, AuthFailed)
        log.warning("Streaming %s failed: %s", stream.name, error)
        with stream.lock:
            if stream.stop.is_set() or stream.lost:
                return True
            if stream.pending is not None and stream.pending.eventful:
                self._flush(stream)
            now = self.app.clock.now()
            outcome = PollOutcome(stream.source_id, stream.name, ok=False, error=error)
            outcome.paused = paused
            outcome.next_poll_at = None if paused else now + STREAM_LEASE
            held = stream.lease
            if record_outcome(self.app, outcome, SYSTEM, started, now, kind="streamed", lease=held):
                stream.lease = outcome.next_poll_at or held
            else:
                stream.lost = True
                stream.stop.set()  # the lease is gone: this process stops writing
            stream.healthy = False
            stream.renewed = self.monotonic()
            self._announce(stream, outcome, started, now)
            if paused:
                stream.stop.set()
            return paused or stream.lost

    def _announce(
        self, stream: _Stream, outcome: PollOutcome, started: datetime, now: datetime
    ) -> None:
        publish_outcome(self.app, outcome, stream.connector, started, now)
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    def _wait(self, stream: _Stream, seconds: float) -> None:
        if self.sleep is None:
            stream.stop.wait(seconds)
        elif not stream.stop.is_set():
            self.sleep(seconds)
