from __future__ import annotations

import pytest
from sqlalchemy import select

from sbu.bootstrap import App
from sbu.core.audit import Actor, AuditEvent
from sbu.core.errors import Conflict, InvalidInput, NotFound
from sbu.listening.models import IngestRun, Source
from sbu.listening.services import (
    create_source,
    finish_run,
    get_source,
    set_source_enabled,
    start_run,
    update_source,
)

ACTOR = Actor("user", "lea")


def test_create_source_validates_audits_and_schedules_polling(app: App) -> None:
    feed = create_source(app.db, app.clock, app.registry, ACTOR, name="Presse tech", connector="rss",
                         config={"url": "https://example.com/feed.xml"}, purpose="veille")  # fmt: skip
    assert feed.poll_interval_seconds == app.settings.feeds.default_poll_seconds
    assert feed.next_poll_at == app.clock.now()
    files = create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")
    assert files.poll_interval_seconds is None
    assert files.next_poll_at is None
    with app.db.session() as session:
        events = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [(e.action, e.actor, e.object_id) for e in events] == [
        ("source.created", "user:lea", str(feed.id)),
        ("source.created", "user:lea", str(files.id)),
    ]
    assert events[0].after is not None
    assert events[0].after["config"]["url"] == "https://example.com/feed.xml"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "  "}, InvalidInput, "not valid"),
        ({"name": "x", "connector": "myspace"}, NotFound, "no connector called 'myspace'"),
        ({"name": "x", "connector": "rss", "config": {}}, InvalidInput, "url"),
        ({"name": "x", "connector": "rss", "config": {"url": "ftp://a"}}, InvalidInput, "http"),
        ({"name": "x", "retention_days": 0}, InvalidInput, "retention"),
    ],
)
def test_create_source_refuses_bad_input_with_a_sentence(
    app: App, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    values: dict[str, object] = {"connector": "file", **kwargs}
    with pytest.raises(error, match=message):
        create_source(app.db, app.clock, app.registry, ACTOR, **values)  # type: ignore[arg-type]
    with app.db.session() as session:
        assert session.execute(select(Source)).first() is None


def test_names_are_unique(app: App) -> None:
    create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")
    with pytest.raises(Conflict, match="already exists"):
        create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")


def test_enable_disable_update_and_get(app: App) -> None:
    feed = create_source(app.db, app.clock, app.registry, ACTOR, name="Feed", connector="rss",
                         config={"url": "https://example.com/a.xml"})  # fmt: skip
    set_source_enabled(app.db, app.clock, ACTOR, "Feed", False)
    update_source(app.db, app.clock, app.registry, ACTOR, feed.id, poll_interval_seconds=60,
                  config={"url": "https://example.com/b.xml"})  # fmt: skip
    with app.db.session() as session:
        stored = get_source(session, str(feed.id))
        assert not stored.enabled
        assert stored.poll_interval_seconds == 60
        assert stored.config["url"] == "https://example.com/b.xml"
        with pytest.raises(NotFound, match="sbu sources list"):
            get_source(session, "nope")
        actions = session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert actions == ["source.created", "source.disabled", "source.updated"]


def test_runs_left_running_by_a_crash_are_closed_as_interrupted(app: App) -> None:
    source = create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")
    first = start_run(app.db, app.clock, source.id, "imported")
    second = start_run(app.db, app.clock, source.id, "imported")
    finish_run(app.db, app.clock, ACTOR, second, status="completed", imported=3, duplicates=1,
               flagged=0, rejected=2)  # fmt: skip
    with app.db.session() as session:
        runs = {r.id: r for r in session.execute(select(IngestRun)).scalars()}
    assert runs[first].status == "interrupted"
    assert (runs[second].status, runs[second].imported, runs[second].rejected) == (
        "completed",
        3,
        2,
    )
