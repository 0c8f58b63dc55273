"""The scheduler polls due feed sources (real local feed server, SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import func, select, update

from sbu.bootstrap import App, build
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.registry import build_registry
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.listening.models import Mention, Source
from sbu.listening.polling import CLAIM_LEASE, claim_source
from sbu.listening.scheduler import Scheduler
from sbu.listening.services import create_source, set_source_enabled
from tests.conftest import NOW, make_settings
from tests.connectors.feeds.server import FeedServer, running_server

ACTOR = Actor("test", "pytest")


class NoConfig(BaseModel):
    pass


class BrokenConnector:
    """Claims to poll but has no ``fetch``: poll_source raises for its sources."""

    key = "broken"
    title = "Broken test connector"
    capabilities = frozenset({Capability.POLL})
    settings_model: type[BaseModel] = NoConfig


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with running_server() as running:
        yield running


@pytest.fixture
def sapp(database_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    settings = make_settings(database_url, tmp_path)
    registry = build_registry(settings, load_plugins=False, extra=[BrokenConnector()])
    built = build(settings, clock=clock, registry=registry)
    yield built
    built.close()


def add_feed(app: App, name: str, url: str, **options: Any) -> int:
    return create_source(
        app.db,
        app.clock,
        app.registry,
        ACTOR,
        name=name,
        connector="rss",
        config={"url": url},
        **options,
    ).id


def source(app: App, source_id: int) -> Source:
    with app.db.session() as session:
        found = session.get(Source, source_id)
        assert found is not None
        return found


def mentions_of(app: App, source_id: int) -> int:
    with app.db.session() as session:
        return int(
            session.execute(
                select(func.count()).select_from(Mention).where(Mention.source_id == source_id)
            ).scalar_one()
        )


def test_run_once_polls_only_due_sources(sapp: App, server: FeedServer, clock: FixedClock) -> None:
    due = add_feed(sapp, "Ouest Actu", server.serve_file("/actu", "ouest-actu.rss"))
    later = add_feed(sapp, "Forum", server.serve_file("/forum", "forum-fibre.atom"))
    off = add_feed(sapp, "Revue", server.serve_file("/revue", "revue-reseaux.rdf"))
    create_source(sapp.db, sapp.clock, sapp.registry, ACTOR, name="Fichiers", connector="file")
    set_source_enabled(sapp.db, sapp.clock, ACTOR, off, False)
    with sapp.db.write_session() as session:
        session.execute(
            update(Source).where(Source.id == later).values(next_poll_at=NOW + timedelta(minutes=5))
        )
        session.commit()

    scheduler = Scheduler(sapp, tick_seconds=0.01)
    assert scheduler.run_once() == 1
    assert mentions_of(sapp, due) == 3
    assert source(sapp, due).next_poll_at == NOW + timedelta(seconds=900)
    assert source(sapp, later).last_polled_at is None
    assert source(sapp, off).last_polled_at is None
    assert [r.path for r in server.requests] == ["/actu"]

    assert scheduler.run_once() == 0  # nothing is due any more

    clock.advance(timedelta(minutes=5))
    assert scheduler.run_once() == 1
    assert mentions_of(sapp, later) == 3

    clock.advance(timedelta(minutes=10))
    assert scheduler.run_once() == 1  # the first feed again: answered 304
    assert [r.path for r in server.requests] == ["/actu", "/forum", "/actu"]
    assert server.requests[-1].headers["if-none-match"] == '"ouest-actu.rss-v1"'
    assert source(sapp, off).last_polled_at is None


def test_a_source_claimed_by_another_scheduler_is_skipped(sapp: App, server: FeedServer) -> None:
    feed = add_feed(sapp, "Ouest Actu", server.serve_file("/actu", "ouest-actu.rss"))
    assert claim_source(sapp, feed, NOW)  # another replica got it first
    assert Scheduler(sapp).run_once() == 0
    assert server.requests == []
    assert source(sapp, feed).next_poll_at == NOW + CLAIM_LEASE


def test_one_source_that_breaks_does_not_stop_the_others(
    sapp: App, server: FeedServer, clock: FixedClock
) -> None:
    broken = create_source(
        sapp.db, sapp.clock, sapp.registry, ACTOR, name="Cassé", connector="broken"
    ).id
    clock.advance(timedelta(seconds=1))
    feed = add_feed(sapp, "Ouest Actu", server.serve_file("/actu", "ouest-actu.rss"))
    clock.advance(timedelta(seconds=1))
    assert Scheduler(sapp).run_once() == 1  # the broken one came first and was skipped
    assert mentions_of(sapp, feed) == 3
    # the broken source waits for its claim to expire instead of failing every tick
    assert source(sapp, broken).next_poll_at == clock.now() + CLAIM_LEASE
    assert Scheduler(sapp).run_once() == 0


def test_failing_feeds_are_polled_again_after_their_backoff(
    sapp: App, server: FeedServer, clock: FixedClock
) -> None:
    feed = add_feed(sapp, "Disparu", server.url("/gone"))
    scheduler = Scheduler(sapp)
    assert scheduler.run_once() == 1
    gone = source(sapp, feed)
    assert gone.last_error is not None
    assert "is gone (HTTP 404)" in gone.last_error
    assert gone.next_poll_at == NOW + timedelta(seconds=900)
    clock.advance(timedelta(seconds=899))
    assert scheduler.run_once() == 0
    clock.advance(timedelta(seconds=1))
    assert scheduler.run_once() == 1
    assert source(sapp, feed).next_poll_at == clock.now() + timedelta(seconds=1800)


def test_the_background_thread_polls_until_stopped(sapp: App, server: FeedServer) -> None:
    feed = add_feed(sapp, "Ouest Actu", server.serve_file("/actu", "ouest-actu.rss"))
    scheduler = Scheduler(sapp, tick_seconds=0.01)
    scheduler.start()
    try:
        waited = threading.Event()
        for _ in range(1000):  # wait for the condition (at most ~10 s), not for a duration
            if source(sapp, feed).last_polled_at is not None:
                break
            waited.wait(0.01)
    finally:
        scheduler.stop()
    assert source(sapp, feed).last_polled_at == NOW
    assert mentions_of(sapp, feed) == 3
    requests = len(server.requests)
    assert Scheduler(sapp).run_once() == 0  # polled once; the next poll is 15 minutes away
    assert len(server.requests) == requests


def test_a_stopped_scheduler_polls_nothing(sapp: App, server: FeedServer) -> None:
    add_feed(sapp, "Ouest Actu", server.serve_file("/actu", "ouest-actu.rss"))
    scheduler = Scheduler(sapp)
    scheduler.stop()
    assert scheduler.run_once() == 0
    assert server.requests == []


# --- concurrency ----------------------------------------------------------------------------


class GatedConnector:
    """Each fetch waits for the gate to open, so tests can see how many polls run at once."""

    title = "Gated test connector"
    capabilities = frozenset({Capability.POLL})
    settings_model: type[BaseModel] = NoConfig

    def __init__(self, key: str, gate: threading.Event) -> None:
        self.key = key
        self.gate = gate
        self.lock = threading.Lock()
        self.inside = 0
        self.most = 0

    def fetch(self, config: BaseModel, cursor: Any, context: FetchContext) -> FetchResult:
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        try:
            assert self.gate.wait(20), "the test never opened the gate"
            return FetchResult([], {"polled": True})
        finally:
            with self.lock:
                self.inside -= 1


def test_polls_run_concurrently_within_the_limits(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    gate = threading.Event()
    platform_a, platform_b = GatedConnector("gated-a", gate), GatedConnector("gated-b", gate)
    settings = make_settings(
        database_url,
        tmp_path,
        scheduler={"max_concurrent_polls": 3, "max_polls_per_connector": 2},
    )
    registry = build_registry(settings, load_plugins=False, extra=[platform_a, platform_b])
    app = build(settings, clock=clock, registry=registry)
    try:
        ids = [
            create_source(app.db, app.clock, app.registry, ACTOR, name=f"A{i}",
                          connector="gated-a").id
            for i in range(3)
        ] + [create_source(app.db, app.clock, app.registry, ACTOR, name="B", connector="gated-b").id]  # fmt: skip
        scheduler = Scheduler(app, keep_outcomes=True)
        try:
            assert scheduler.run_once(wait_for_polls=False) == 3  # two of A (its limit), B
            assert scheduler.running == 3
            assert scheduler.run_once(wait_for_polls=False) == 0  # every limit is reached
            gate.set()
            for _ in range(2000):  # wait for the polls to end (at most ~20 s)
                if scheduler.running == 0:
                    break
                threading.Event().wait(0.01)
            assert scheduler.run_once() == 1  # the third source of A, now that A has room
        finally:
            scheduler.stop()
        assert platform_a.most == 2
        assert platform_b.most == 1
        assert all(source(app, i).cursor == {"polled": True} for i in ids)
        assert len(scheduler.take_finished()) == 4
        assert scheduler.take_finished() == []
    finally:
        app.close()
