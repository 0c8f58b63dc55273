"""Alerts on sick sources: announced once per change, on the bus and to the alert webhook."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import update

from sbu.bootstrap import App, build
from sbu.bus.base import Message
from sbu.bus.subjects import SOURCE_ALERT, SourceAlertPayload
from sbu.connectors.webhook import signature
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.listening.models import Source
from sbu.listening.services import create_source, set_source_enabled
from sbu.listening.source_alerts import check_alerts
from tests.conftest import NOW, make_settings
from tests.connectors.api_server import ApiServer, Reply, running_api

ACTOR = Actor("test", "pytest")
SECRET = "alert-secret-0123456789-0123456789"


@pytest.fixture
def hook() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply("/hooks/sbu", Reply(200, json={"ok": True}), method="POST")
        yield server


@pytest.fixture
def aapp(database_url: str, tmp_path: Path, clock: FixedClock, hook: ApiServer) -> Iterator[App]:
    settings = make_settings(
        database_url,
        tmp_path,
        alerts={"webhook_url": f"{hook.base}/hooks/sbu", "webhook_secret": SECRET},
    )
    built = build(settings, clock=clock)
    yield built
    built.close()


def feed(app: App, name: str) -> int:
    return create_source(
        app.db, app.clock, app.registry, ACTOR, name=name, connector="rss",
        config={"url": f"https://example.com/{name}.xml"}, poll_interval_seconds=600,
    ).id  # fmt: skip


def change(app: App, source_id: int, **values: object) -> None:
    with app.db.write_session() as session:
        session.execute(update(Source).where(Source.id == source_id).values(**values))
        session.commit()


def test_alerts_are_announced_once_per_change_and_on_recovery(
    aapp: App, clock: FixedClock, hook: ApiServer
) -> None:
    seen: list[Message] = []

    async def on_alert(message: Message) -> None:
        seen.append(message)

    aapp.bus.subscribe(SOURCE_ALERT, on_alert, "test-alerts")
    source_id = feed(aapp, "Ouest Actu")
    change(aapp, source_id, last_success_at=NOW, last_polled_at=NOW)
    assert check_alerts(aapp) == []

    change(aapp, source_id, consecutive_failures=3, last_error="The feed is gone (HTTP 404).")
    (failing,) = check_alerts(aapp)
    assert failing.kind == "failing"
    assert "failed 3 polls in a row" in failing.message
    assert "HTTP 404" in failing.message
    assert check_alerts(aapp) == []  # still failing: nothing new to say
    clock.advance(timedelta(minutes=30))
    change(aapp, source_id, consecutive_failures=0, last_error=None, last_success_at=clock.now())
    (recovered,) = check_alerts(aapp)
    assert (recovered.kind, recovered.previous) == ("recovered", "failing")

    aapp.bus.drain()
    assert [SourceAlertPayload.model_validate(m.payload).kind for m in seen] == [
        "failing",
        "recovered",
    ]
    posts = hook.requests_to("/hooks/sbu", method="POST")
    assert len(posts) == 2
    first = posts[0]
    body = orjson.loads(first.body)
    assert body["event"] == "source.alert"
    assert body["kind"] == "failing"
    assert body["text"] == failing.message
    stamp = first.headers["x-sbu-timestamp"]
    assert first.headers["x-sbu-signature"] == signature(SECRET, stamp, first.body)


def test_each_kind_of_alert(aapp: App, clock: FixedClock) -> None:
    paused, stalled, quota, token = (feed(aapp, n) for n in ("P", "S", "Q", "T"))
    change(aapp, paused, paused_reason="Mastodon refused the credentials (HTTP 401).")
    change(aapp, stalled, last_success_at=NOW - timedelta(hours=5))
    change(aapp, quota, last_success_at=NOW, usage={"quota_used": 9500, "quota_limit": 10000,
                                                    "unit": "units per day"})  # fmt: skip
    change(aapp, token, last_success_at=NOW, token_expires_at=NOW + timedelta(days=3))
    found = {a.source_name: a for a in check_alerts(aapp)}
    assert found["P"].kind == "paused"
    assert "refused the credentials" in found["P"].message
    assert found["S"].kind == "stalled"
    assert found["Q"].kind == "quota"
    assert "9,500 of its 10,000 units per day quota" in found["Q"].message
    assert found["T"].kind == "token_expiring"
    assert "expires on" in found["T"].message


def test_disabling_a_sick_source_clears_its_alert_silently(aapp: App, hook: ApiServer) -> None:
    source_id = feed(aapp, "Ouest Actu")
    change(aapp, source_id, consecutive_failures=5, last_error="Gone.")
    assert [a.kind for a in check_alerts(aapp)] == ["failing"]
    set_source_enabled(aapp.db, aapp.clock, ACTOR, source_id, False)
    assert check_alerts(aapp) == []
    with aapp.db.session() as session:
        stored = session.get(Source, source_id)
        assert stored is not None
        assert stored.alert is None


def test_an_unreachable_alert_webhook_does_not_stop_the_alerts(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    settings = make_settings(
        database_url, tmp_path, alerts={"webhook_url": "http://127.0.0.1:9/hooks"}
    )
    app = build(settings, clock=clock)
    try:
        source_id = feed(app, "Ouest Actu")
        change(app, source_id, paused_reason="Refused.")
        assert [a.kind for a in check_alerts(app)] == ["paused"]
        with app.db.session() as session:
            stored = session.get(Source, source_id)
            assert stored is not None
            assert stored.alert == "paused"
    finally:
        app.close()
