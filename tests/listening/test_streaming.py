"""Streaming sources on SQLite and PostgreSQL: the StreamSupervisor keeps one thread per source.

The scripted connector here is a plugin registered through ``extra`` (as third-party connectors
are). Each ``stream()`` call plays the next run of its script: batches, then maybe an error; a
run that ends without an error goes on as a quiet live stream (a heartbeat batch every few
milliseconds) until it is closed. The end-to-end test runs the real Mastodon connector against
the local replay server through the supervisor into mentions.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import BaseModel, SecretStr
from sqlalchemy import func, select

from sbu.bootstrap import App, build
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.mastodon_api import MastodonConnector
from sbu.connectors.registry import Registry, build_registry
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import AuthFailed, Transient
from sbu.listening.drafts import RawItem
from sbu.listening.models import IngestRun, Mention, Source
from sbu.listening.polling import due_sources, poll_source
from sbu.listening.scheduler import Scheduler
from sbu.listening.services import create_source, set_source_enabled, update_source
from sbu.listening.streaming import (
    RENEW_SECONDS,
    STABLE_SECONDS,
    STREAM_LEASE,
    StreamSupervisor,
    claim_stream,
)
from sbu.settings import ConnectorSettings
from tests.conftest import NOW, make_settings
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.mastodon_statuses import INSTANCE, newest_first, status, statuses

ACTOR = Actor("test", "pytest")
TOKEN = "tok-3b9e0c51d7a24f68"
#: A step of a run: a batch to yield, an error to raise, or BLOCK (wait without yielding
#: until the test releases the connector, as a stream with no news and no heartbeat).
Step = FetchResult | Exception | str
BLOCK = "block"


class StreamConfig(BaseModel):
    label: str = "script"
    stream: bool = False
    token: SecretStr | None = None


@dataclass
class ScriptedStream:
    """Polls (an empty page) and streams the runs of its script; records what it was given."""

    key: str = "streamer"
    title: str = "Scripted streaming test connector"
    capabilities: frozenset[Capability] = frozenset({Capability.POLL, Capability.STREAM})
    settings_model: type[BaseModel] = StreamConfig
    default_poll_seconds: int = 600
    runs: list[list[Step]] = field(default_factory=list)
    #: The cursor each stream was opened with.
    opened: list[dict[str, Any] | None] = field(default_factory=list)
    tokens: list[str | None] = field(default_factory=list)
    #: The cursor each poll was given.
    fetched: list[dict[str, Any] | None] = field(default_factory=list)
    closed: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        self.fetched.append(cursor)
        return FetchResult([], {"polled": True})

    def stream(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> Iterator[FetchResult]:
        assert isinstance(config, StreamConfig)
        with self.lock:
            self.opened.append(cursor)
            self.tokens.append(config.token.get_secret_value() if config.token else None)
            run = self.runs.pop(0) if self.runs else []
        return self._play(run)

    def _play(self, run: list[Step]) -> Iterator[FetchResult]:
        try:
            for step in run:
                if isinstance(step, Exception):
                    raise step
                if isinstance(step, str):
                    assert self.release.wait(20), "the test never released the stream"
                    continue
                yield step
            while True:  # a quiet live stream: heartbeats
                self.release.wait(0.005)
                yield FetchResult([], None)
        finally:
            with self.lock:
                self.closed += 1


def record(external_id: str) -> RawItem:
    payload = {
        "id": external_id,
        "text": f"Message {external_id} : la fibre de Télécom Ouest est encore coupée à Brest",
        "created_at": (NOW - timedelta(hours=1)).isoformat(),
        "platform": "mastodon",
        "author": {"id": f"a{external_id}", "handle": f"@a{external_id}"},
    }
    return RawItem("sbu", payload, f"item {external_id}")


def batch(*ids: str, cursor: dict[str, Any]) -> FetchResult:
    return FetchResult([record(i) for i in ids], cursor)


class Waits:
    """The supervisor's sleep: records each wait; with ``gate``, blocks until it is opened."""

    def __init__(self, *, gated: bool = False) -> None:
        self.slept: list[float] = []
        self.gate = threading.Event()
        if not gated:
            self.gate.set()

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        assert self.gate.wait(20), "the test never opened the gate"


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Ceiling(random.Random):
    """Full jitter at its ceiling, so the waits can be checked exactly."""

    def uniform(self, a: float, b: float) -> float:
        return b


def eventually(condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (at most ~20 s), not for a duration."""
    pause = threading.Event()
    for _ in range(2000):
        if condition():
            return
        pause.wait(0.01)
    pytest.fail(f"Timed out waiting for {what}.")


@pytest.fixture
def script() -> Iterator[ScriptedStream]:
    connector = ScriptedStream()
    yield connector
    connector.release.set()  # a blocked stream goes on to heartbeats and sees its stop


@pytest.fixture
def sapp(
    database_url: str, tmp_path: Path, clock: FixedClock, script: ScriptedStream
) -> Iterator[App]:
    settings = make_settings(database_url, tmp_path)
    registry = build_registry(settings, load_plugins=False, extra=[script])
    built = build(settings, clock=clock, registry=registry)
    yield built
    built.close()


@pytest.fixture
def supervisors(sapp: App) -> Iterator[Callable[..., StreamSupervisor]]:
    """Makes supervisors (replicas) for the test and stops them all at its end."""
    made: list[StreamSupervisor] = []

    def make(**options: Any) -> StreamSupervisor:
        options.setdefault("sleep", Waits())
        options.setdefault("rng", random.Random(3))
        supervisor = StreamSupervisor(sapp, **options)
        made.append(supervisor)
        return supervisor

    yield make
    for supervisor in made:
        supervisor.stop(timeout=5)


def add(app: App, name: str = "Flux", *, stream: bool = True, **config: Any) -> int:
    return create_source(
        app.db,
        app.clock,
        app.registry,
        ACTOR,
        name=name,
        connector="streamer",
        config={"stream": stream, **config},
        box=app.credentials,
    ).id


def source(app: App, source_id: int) -> Source:
    with app.db.session() as session:
        found = session.get(Source, source_id)
        assert found is not None
        return found


def mentions(app: App, source_id: int | None = None) -> list[str]:
    where = [] if source_id is None else [Mention.source_id == source_id]
    with app.db.session() as session:
        return sorted(session.execute(select(Mention.external_id).where(*where)).scalars().all())


def runs(app: App, source_id: int) -> list[IngestRun]:
    with app.db.session() as session:
        return list(
            session.execute(
                select(IngestRun).where(IngestRun.source_id == source_id).order_by(IngestRun.id)
            ).scalars()
        )


def test_batches_are_stored_with_their_cursors_and_the_source_is_healthy(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp, token=TOKEN)
    script.runs = [[batch("1", "2", cursor={"n": 2}), batch("3", cursor={"n": 3})]]
    supervisor = supervisors()
    assert supervisor.check() == 1
    assert supervisor.streaming == [source_id]
    eventually(lambda: source(sapp, source_id).cursor == {"n": 3}, "the second batch")
    assert mentions(sapp) == ["1", "2", "3"]
    assert script.opened == [None]
    assert script.tokens == [TOKEN]  # the connector got the decrypted credentials
    streamed = source(sapp, source_id)
    assert streamed.last_success_at == NOW
    assert streamed.last_polled_at == NOW
    assert streamed.last_error is None
    assert streamed.next_poll_at == NOW + STREAM_LEASE  # the lease
    first = runs(sapp, source_id)
    assert [(r.kind, r.status, r.imported) for r in first] == [("streamed", "completed", 2)]
    supervisor.stop(timeout=5)
    # the counts not written yet are written at the end, and the lease is given back
    assert sum(r.imported for r in runs(sapp, source_id)) == 3
    assert source(sapp, source_id).next_poll_at == NOW
    assert script.closed == 1


def test_after_an_error_the_stream_restarts_from_the_saved_cursor(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp)
    broke = "The platform broke off the stream: sbu reconnects."
    script.runs = [
        [batch("1", cursor={"n": 1}), Transient(broke)],
        [batch("1", "2", cursor={"n": 2})],
    ]
    waits = Waits(gated=True)
    supervisor = supervisors(sleep=waits)
    supervisor.check()
    eventually(lambda: waits.slept != [], "the wait after the error")
    failed = source(sapp, source_id)  # recorded like a failed poll
    assert failed.last_error == broke
    assert failed.consecutive_failures == 1
    assert failed.paused_reason is None
    assert failed.cursor == {"n": 1}
    assert runs(sapp, source_id)[-1].status == "failed"
    assert runs(sapp, source_id)[-1].detail == broke
    waits.gate.set()
    eventually(lambda: len(mentions(sapp)) == 2, "the batch of the second stream")
    assert script.opened == [None, {"n": 1}]
    assert mentions(sapp) == ["1", "2"]  # "1" came twice and is stored once
    assert len(waits.slept) == 1
    assert 0 <= waits.slept[0] <= 1.0  # the first retry waits up to the base delay
    eventually(lambda: source(sapp, source_id).last_error is None, "the recovery")
    recovered = source(sapp, source_id)
    assert recovered.last_error is None
    assert recovered.consecutive_failures == 0
    assert recovered.cursor == {"n": 2}
    assert supervisor.streaming == [source_id]


def test_failing_streams_wait_longer_each_time(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp)
    script.runs = [[Transient("Down.")], [Transient("Down.")], [Transient("Down.")]]
    waits = Waits()
    supervisor = supervisors(sleep=waits, rng=Ceiling())
    supervisor.check()
    eventually(lambda: len(script.opened) == 4, "the fourth stream")
    assert waits.slept == [1.0, 2.0, 4.0]
    eventually(lambda: source(sapp, source_id).last_error is None, "the recovery")
    assert source(sapp, source_id).consecutive_failures == 0


def test_a_batch_that_cannot_be_stored_keeps_the_cursor_and_the_stream_restarts(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp)
    unknown = RawItem("no-such-mapper", {"id": "9"}, "item 9")
    script.runs = [
        [batch("1", cursor={"n": 1}), FetchResult([record("2"), unknown], {"n": 2})],
        [batch("2", cursor={"n": 2})],
    ]
    supervisor = supervisors()
    supervisor.check()
    eventually(lambda: len(script.opened) == 2, "the second stream")
    assert script.opened[1] == {"n": 1}
    eventually(lambda: mentions(sapp) == ["1", "2"], "the batch of the second stream")
    failed = [r for r in runs(sapp, source_id) if r.status == "failed"]
    assert len(failed) == 1
    assert failed[0].detail is not None
    assert "no-such-mapper" in failed[0].detail


def test_refused_credentials_pause_the_source_and_stop_its_stream(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp, token=TOKEN)
    refused = "The platform refused the credentials (HTTP 401): enter new ones in the source."
    script.runs = [[batch("1", cursor={"n": 1}), AuthFailed(refused)]]
    waits = Waits()
    supervisor = supervisors(sleep=waits)
    supervisor.check()
    eventually(lambda: source(sapp, source_id).paused_reason is not None, "the pause")
    paused = source(sapp, source_id)
    assert paused.paused_reason == refused
    assert paused.last_error == refused
    assert paused.next_poll_at is None
    assert paused.cursor == {"n": 1}
    supervisor.check()
    assert supervisor.streaming == []
    assert script.opened == [None]  # not opened again with refused credentials
    assert waits.slept == []
    assert script.closed == 1
    assert TOKEN not in (paused.last_error or "")

    set_source_enabled(sapp.db, sapp.clock, ACTOR, source_id, True)  # resume
    supervisor.check()
    eventually(lambda: len(script.opened) == 2, "the stream after resuming")
    assert script.opened[1] == {"n": 1}


def test_disabling_the_source_stops_its_stream(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp)
    script.runs = [[batch("1", cursor={"n": 1})]]
    supervisor = supervisors()
    supervisor.check()
    eventually(lambda: mentions(sapp) == ["1"], "the first batch")
    set_source_enabled(sapp.db, sapp.clock, ACTOR, source_id, False)
    assert supervisor.check() == 0
    assert supervisor.streaming == []
    eventually(lambda: script.closed == 1, "the generator to be closed")
    supervisor.check()
    assert len(script.opened) == 1
    assert source(sapp, source_id).cursor == {"n": 1}


def test_a_source_switched_to_polling_is_stopped_and_polled(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp)
    script.runs = [[batch("1", cursor={"n": 1})]]
    supervisor = supervisors()
    supervisor.check()
    eventually(lambda: mentions(sapp) == ["1"], "the first batch")
    assert Scheduler(sapp).run_once() == 0  # streamed: not polled

    update_source(sapp.db, sapp.clock, sapp.registry, ACTOR, source_id, config={"stream": False})
    assert supervisor.check() == 0
    eventually(lambda: script.closed == 1, "the generator to be closed")
    assert source(sapp, source_id).next_poll_at == NOW  # the lease was given back
    assert Scheduler(sapp).run_once() == 1
    assert script.fetched == [{"n": 1}]  # the poll goes on from the stream's cursor


def test_a_changed_configuration_restarts_the_stream(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp, token=TOKEN)
    script.runs = [[batch("1", cursor={"n": 1})], []]
    supervisor = supervisors()
    supervisor.check()
    eventually(lambda: mentions(sapp) == ["1"], "the first batch")
    update_source(
        sapp.db,
        sapp.clock,
        sapp.registry,
        ACTOR,
        source_id,
        config={"stream": True, "token": "tok-new-5e2a"},
        box=sapp.credentials,
    )
    supervisor.check()
    eventually(lambda: len(script.opened) == 2, "the stream with the new token")
    assert script.tokens == [TOKEN, "tok-new-5e2a"]
    assert script.opened[1] == {"n": 1}


def test_another_replica_does_not_stream_a_source_already_streamed(
    sapp: App,
    script: ScriptedStream,
    supervisors: Callable[..., StreamSupervisor],
    clock: FixedClock,
) -> None:
    source_id = add(sapp)
    script.runs = [[batch("1", cursor={"n": 1})], []]
    first_ticks, second_ticks = Ticks(), Ticks()
    first = supervisors(monotonic=first_ticks)
    second = supervisors(monotonic=second_ticks)
    assert first.check() == 1
    eventually(lambda: mentions(sapp) == ["1"], "the first batch")
    assert second.check() == 0
    assert second.streaming == []
    assert len(script.opened) == 1

    # the first process hangs: its lease is not renewed, expires, and the second takes over
    clock.advance(STREAM_LEASE + timedelta(seconds=1))
    assert second.check() == 1
    eventually(lambda: len(script.opened) == 2, "the second replica's stream")
    assert script.opened[1] == {"n": 1}
    # the first one comes back: its lease is gone, so it stops without touching the source
    first_ticks.now += RENEW_SECONDS
    first.check()  # its renewal fails
    assert first.check() == 0
    held = source(sapp, source_id).next_poll_at
    assert held == clock.now() + STREAM_LEASE
    eventually(lambda: script.closed == 1, "the first replica's stream to close")
    assert second.streaming == [source_id]


def test_a_claimed_source_cannot_be_claimed_again_until_its_lease_expires(
    sapp: App, clock: FixedClock
) -> None:
    source_id = add(sapp)
    lease = claim_stream(sapp, source_id, NOW)
    assert lease == NOW + STREAM_LEASE
    assert claim_stream(sapp, source_id, NOW) is None
    assert claim_stream(sapp, source_id, NOW + STREAM_LEASE - timedelta(seconds=1)) is None
    assert claim_stream(sapp, source_id, NOW + STREAM_LEASE) == NOW + 2 * STREAM_LEASE


def test_streaming_sources_are_not_polled(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    streamed = add(sapp, "Flux")
    polled = add(sapp, "Sondé", stream=False)
    assert due_sources(sapp, NOW) == [polled]
    assert Scheduler(sapp).run_once() == 1
    assert script.fetched == [None]
    assert source(sapp, polled).last_polled_at == NOW
    assert source(sapp, streamed).last_polled_at is None
    supervisor = supervisors()
    assert supervisor.check() == 1  # and the stream takes only the streamed one
    assert supervisor.streaming == [streamed]
    eventually(lambda: len(script.opened) == 1, "the stream")


def test_a_quiet_stream_renews_its_lease_and_counts_as_working_after_a_while(
    sapp: App,
    script: ScriptedStream,
    supervisors: Callable[..., StreamSupervisor],
    clock: FixedClock,
) -> None:
    source_id = add(sapp)
    script.runs = [[Transient("Down for a moment.")], [BLOCK]]
    ticks = Ticks()
    supervisor = supervisors(monotonic=ticks)
    supervisor.check()
    eventually(lambda: len(script.opened) == 2, "the second stream")
    assert source(sapp, source_id).last_error == "Down for a moment."

    clock.advance(timedelta(minutes=1))
    ticks.now += RENEW_SECONDS
    supervisor.check()  # connected, but not long enough to count as working: lease only
    quiet = source(sapp, source_id)
    assert quiet.next_poll_at == clock.now() + STREAM_LEASE
    assert quiet.last_error == "Down for a moment."
    assert quiet.last_success_at is None

    clock.advance(timedelta(minutes=5))
    ticks.now += STABLE_SECONDS
    supervisor.check()
    working = source(sapp, source_id)
    assert working.next_poll_at == clock.now() + STREAM_LEASE
    assert working.last_error is None
    assert working.consecutive_failures == 0
    assert working.last_success_at == clock.now()
    script.release.set()


def test_a_stopped_stream_blocked_in_a_read_stores_nothing_more(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp)
    script.runs = [[BLOCK, batch("1", cursor={"n": 1})]]
    supervisor = supervisors()
    supervisor.check()
    eventually(lambda: len(script.opened) == 1, "the stream")
    supervisor.stop(timeout=0.2)  # does not wait for the network
    assert supervisor.streaming == []
    assert source(sapp, source_id).next_poll_at == NOW  # given back at once
    script.release.set()  # the platform sends a status after all
    eventually(lambda: script.closed == 1, "the generator to be closed")
    assert mentions(sapp) == []  # not stored: the next stream gets it from the cursor
    assert source(sapp, source_id).cursor is None


def test_a_manual_poll_hands_a_streamed_source_back_to_its_stream(
    sapp: App, script: ScriptedStream, supervisors: Callable[..., StreamSupervisor]
) -> None:
    source_id = add(sapp)
    script.runs = [[batch("1", cursor={"n": 1})], []]
    ticks = Ticks()
    supervisor = supervisors(monotonic=ticks)
    supervisor.check()
    eventually(lambda: mentions(sapp) == ["1"], "the first batch")
    assert poll_source(sapp, source_id, actor=ACTOR).ok
    assert source(sapp, source_id).next_poll_at == NOW  # free for the stream at once
    ticks.now += RENEW_SECONDS
    supervisor.check()  # the renewal finds the lease gone
    supervisor.check()  # the stream is ended, and claimed again
    eventually(lambda: len(script.opened) == 2, "the reopened stream")
    assert script.opened[1] == {"polled": True}  # from the cursor the poll saved
    assert supervisor.streaming == [source_id]


def test_the_scheduler_runs_the_streams_and_reports_their_batches(
    sapp: App, script: ScriptedStream
) -> None:
    source_id = add(sapp)
    script.runs = [[batch("1", "2", cursor={"n": 2})]]
    scheduler = Scheduler(sapp, tick_seconds=0.01, keep_outcomes=True)
    scheduler.start()
    try:
        eventually(lambda: len(mentions(sapp)) == 2, "the streamed batch")
        assert scheduler.streams.streaming == [source_id]
    finally:
        scheduler.stop()
    assert scheduler.streams.streaming == []
    assert script.closed == 1
    (outcome,) = scheduler.take_finished()
    assert (outcome.source_name, outcome.ok, outcome.imported) == ("Flux", True, 2)
    assert source(sapp, source_id).next_poll_at == NOW  # given back at the stop


# --- end to end: the Mastodon connector against the replay server ----------------------------

STREAM = "/api/v1/streaming/public"
PUBLIC = "/api/v1/timelines/public"


def sse(*events: str) -> Reply:
    return Reply(body="".join(events).encode(), headers={"Content-Type": "text/event-stream"})


def update(status_id: str) -> str:
    return f"event: update\ndata: {orjson.dumps(status(status_id)).decode()}\n\n"


def uri(status_id: str) -> str:
    return str(status(status_id)["uri"])


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        yield server


def test_a_mastodon_stream_is_followed_through_drops_and_failures(
    database_url: str, tmp_path: Path, clock: FixedClock, api: ApiServer
) -> None:
    a, b, c, d, e = statuses(5)
    api.reply(
        STREAM,
        sse(":)\n", update(a), update(b)),  # two updates, then the connection ends
        Reply(drop=True),  # reconnecting fails once
        sse(":)\n", update(c), update(d)),  # c was posted while the stream was away
        Reply(503),
        Reply(503),
        Reply(503),  # the connector gives up: the supervisor records it and restarts
        sse(":)\n", update(e)),
        Reply(401, json={"error": "The access token was revoked"}),
    )
    api.reply(PUBLIC, Reply(json=newest_first([c])), Reply(json=[]))
    settings = make_settings(database_url, tmp_path)
    built = build_registry(settings, load_plugins=False)
    mastodon = MastodonConnector(
        ConnectorSettings(timeout_seconds=5.0, attempts=3),
        base_url=api.base,
        sleep=lambda _seconds: None,
        rng=random.Random(5),
    )
    registry = Registry(built.mappers, {**built.connectors, "mastodon": mastodon})
    app = build(settings, clock=clock, registry=registry)
    waits = Waits(gated=True)
    supervisor = StreamSupervisor(app, sleep=waits, rng=random.Random(3))
    try:
        source_id = create_source(
            app.db,
            app.clock,
            app.registry,
            ACTOR,
            name="Piaille public",
            connector="mastodon",
            config={"instance": INSTANCE, "stream": True, "lookback_minutes": 0, "limit": 40},
            box=app.credentials,
        ).id
        assert due_sources(app, NOW) == []  # streamed, not polled
        assert supervisor.check() == 1
        eventually(lambda: waits.slept != [], "the stream to fail three times")

        assert mentions(app, source_id) == sorted(uri(i) for i in (a, b, c, d))
        failed = source(app, source_id)
        assert failed.cursor is not None
        assert failed.cursor["newest_id"] == d
        assert failed.last_error is not None
        assert failed.last_error.startswith(
            f"The stream of the public timeline of {INSTANCE} ended or failed 3 times in a row"
        )
        assert failed.consecutive_failures == 1
        # the gap was filled once, from the cursor of the dropped stream
        assert [r.param("min_id") for r in api.requests_to(PUBLIC)] == [b]

        waits.gate.set()  # the supervisor opens the stream again, from the saved cursor
        eventually(lambda: source(app, source_id).paused_reason is not None, "the 401")
        assert [r.param("min_id") for r in api.requests_to(PUBLIC)] == [b, d]
        assert mentions(app, source_id) == sorted(uri(i) for i in (a, b, c, d, e))
        paused = source(app, source_id)
        assert paused.cursor is not None
        assert paused.cursor["newest_id"] == e
        assert paused.paused_reason is not None
        assert paused.paused_reason.startswith("Mastodon (piaille.example) refused to open the")
        supervisor.check()
        assert supervisor.streaming == []
        with app.db.session() as session:
            stored = session.execute(select(func.count()).select_from(Mention)).scalar_one()
        assert stored == 5  # nothing twice
        assert len(api.requests_to(STREAM)) == 8
    finally:
        supervisor.stop(timeout=5)
        app.close()
