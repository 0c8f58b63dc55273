"""The health of sources as list_sources reads it: state, items per hour, lag (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.listening.drafts import RawItem
from sbu.listening.models import Source
from sbu.listening.queries import list_sources
from sbu.listening.services import create_source, set_source_enabled
from sbu.listening.source_health import state_of
from sbu.settings import AlertSettings
from tests.conftest import NOW

ACTOR = Actor("test", "pytest")


def feed(app: App, name: str, **values: object) -> int:
    source_id = create_source(
        app.db, app.clock, app.registry, ACTOR, name=name, connector="rss",
        config={"url": f"https://example.com/{name}.xml"}, poll_interval_seconds=600,
    ).id  # fmt: skip
    if values:
        with app.db.write_session() as session:
            session.execute(update(Source).where(Source.id == source_id).values(**values))
            session.commit()
    return source_id


def post(external_id: str, hours_ago: float) -> RawItem:
    created = (NOW - timedelta(hours=hours_ago)).isoformat()
    payload = {
        "id": external_id,
        "text": f"Message {external_id} sur la fibre",
        "created_at": created,
    }
    return RawItem("sbu", payload, external_id)


def test_states_items_per_hour_and_lag(app: App, clock: FixedClock) -> None:
    working = feed(app, "working", last_polled_at=NOW, last_success_at=NOW)
    app.ingest.ingest(working, [post("1", 1), post("2", 3), post("3", 30)])
    failing = feed(app, "failing", last_polled_at=NOW, consecutive_failures=2,
                   last_error="The feed is gone (HTTP 404).")  # fmt: skip
    paused = feed(app, "paused", paused_reason="Refused (HTTP 401).")
    stalled = feed(app, "stalled", last_polled_at=NOW, last_success_at=NOW - timedelta(hours=3))
    waiting = feed(app, "waiting")
    off = feed(app, "off")
    set_source_enabled(app.db, app.clock, ACTOR, off, False)
    with app.db.session() as session:
        health = {h.id: h for h in list_sources(session, NOW, app.settings.alerts)}
    assert health[working].state == "ok"
    assert health[working].items_per_hour == round(2 / 24, 2)  # the post of 30 h ago is older
    assert health[working].lag_seconds == 3600
    assert health[working].mentions == 3
    assert health[failing].state == "failing"
    assert health[failing].last_error == "The feed is gone (HTTP 404)."
    assert health[paused].state == "paused"
    assert health[stalled].state == "stalled"  # 3 h > max(4 x 10 min, 120 min)
    assert health[waiting].state == "waiting"
    assert health[waiting].lag_seconds is None
    assert health[off].state == "disabled"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "ok"),
        ({"enabled": False, "consecutive_failures": 4}, "disabled"),
        ({"consecutive_failures": 1, "last_error": "503"}, "failing"),
        ({"paused_reason": "Refused.", "consecutive_failures": 1}, "paused"),
        ({"last_polled_at": None}, "waiting"),
        ({"last_polled_at": None, "poll_interval_seconds": None}, "ok"),
        ({"last_success_at": NOW - timedelta(minutes=121)}, "stalled"),  # > 120 min and 4 x 15
        ({"last_success_at": NOW - timedelta(minutes=119)}, "ok"),
        ({"last_success_at": None, "created_at": NOW - timedelta(hours=3)}, "stalled"),
        ({"poll_interval_seconds": 3600, "last_success_at": NOW - timedelta(hours=3)}, "ok"),
    ],
)
def test_state_rules(changes: dict[str, object], expected: str) -> None:
    values: dict[str, object] = {
        "enabled": True, "paused_reason": None, "consecutive_failures": 0, "last_error": None,
        "poll_interval_seconds": 900, "last_polled_at": NOW, "last_success_at": NOW,
        "created_at": NOW - timedelta(days=1),
    }  # fmt: skip
    values.update(changes)
    assert state_of(Source(**values), NOW, AlertSettings()) == expected
