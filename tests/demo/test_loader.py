"""`sbu demo` and the live demo, through the real ingest path, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from sbu.bootstrap import App
from sbu.core.audit import Actor, AuditEvent
from sbu.core.clock import FixedClock
from sbu.core.errors import Conflict
from sbu.demo.connector import read_cursor
from sbu.demo.loader import SOURCE_NAMES, load_demo, start_live
from sbu.demo.quality import duplicate_quality
from sbu.listening.drafts import RawItem
from sbu.listening.models import DeadLetter, IngestRun, Mention, Source
from sbu.listening.polling import poll_source
from sbu.listening.services import create_source
from sbu.listening.topic_models import RematchJob, Topic, TopicMatch, TopicVersion
from sbu.org.models import Department, Member

ACTOR = Actor("test", "pytest")
POSTS = 2000


def _count(app: App, model: type, *where: Any) -> int:
    with app.db.session() as session:
        return int(
            session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
        )


def _load(app: App, **kwargs: Any) -> tuple[Any, list[str]]:
    lines: list[str] = []
    summary = load_demo(app, ACTOR, posts=POSTS, report=lines.append, **kwargs)
    return summary, lines


@pytest.fixture
def loaded(app: App) -> App:
    _load(app)
    return app


def test_load_demo_fills_an_empty_database_through_the_ingest_path(app: App) -> None:
    summary, lines = _load(app)
    assert POSTS * 0.85 < summary.total < POSTS * 1.15
    assert _count(app, Mention) == summary.total
    assert summary.rejected == 0
    assert _count(app, DeadLetter) == 0
    assert sorted(summary.created_sources) == sorted(SOURCE_NAMES.values())
    assert lines
    assert lines[-1].startswith(f"Loaded {summary.total:,} demo posts")
    with app.db.session() as session:
        sources = {s.name: s for s in session.execute(select(Source)).scalars()}
        assert set(sources) == set(SOURCE_NAMES.values())
        for platform, name in SOURCE_NAMES.items():
            source = sources[name]
            assert source.connector == "demo"
            assert source.config["platform"] == platform
            assert read_cursor(source.cursor) == app.clock.now()
        platforms = dict(
            session.execute(select(Mention.platform, func.count()).group_by(Mention.platform)).all()
        )
        assert set(platforms) == set(SOURCE_NAMES)
        runs = session.execute(select(IngestRun.kind, IngestRun.status)).all()
        assert runs
        assert all(run == ("demo", "completed") for run in runs)
    assert _count(app, AuditEvent, AuditEvent.action == "source.created") == 5
    assert _count(app, AuditEvent, AuditEvent.action == "mentions.demo") == 5
    assert summary.organisation is not None
    assert (summary.organisation.departments, summary.organisation.members) == (10, 30)
    assert lines[0].startswith("Created the demo organisation of Ondine Télécom")
    assert _count(app, Member) == 30
    assert _count(app, Department) == 10


def test_the_truth_is_stored_beside_each_raw_payload(loaded: App) -> None:
    with loaded.db.session() as session:
        mentions = session.execute(select(Mention).limit(300)).scalars().all()
        for mention in mentions:
            assert mention.annotations is not None
            truth = mention.annotations["scenario"]
            assert truth["storyline"]
            assert truth["department"]
            assert truth["intent"]
            assert mention.raw
        storylines = Counter(
            m.annotations["scenario"]["storyline"]  # type: ignore[index]
            for m in session.execute(select(Mention)).scalars()
        )
    assert len(storylines) == 11


def test_the_outage_spike_shows_in_hourly_counts(loaded: App) -> None:
    with loaded.db.session() as session:
        rows = session.execute(select(Mention.created_at, Mention.annotations)).all()
    hourly = Counter(at.replace(minute=0, second=0, microsecond=0) for at, _ in rows)
    outage = [at for at, truth in rows if truth["scenario"]["storyline"] == "outage"]
    first = min(outage).replace(minute=0, second=0, microsecond=0)
    peak = max(hourly[first + timedelta(hours=h)] for h in range(8))
    ordinary = sorted(hourly.values())[len(hourly) // 2]
    assert peak >= 4 * max(ordinary, 1)


def test_copies_are_flagged_and_unrelated_posts_are_not(loaded: App) -> None:
    with loaded.db.session() as session:
        quality = duplicate_quality(session)
    assert quality.copies > 20
    assert quality.recall >= 0.9, quality.describe()
    assert quality.false_rate <= 0.02, (quality.describe(), quality.false_by_kind.most_common(5))


def test_if_empty_does_nothing_when_the_database_holds_mentions(loaded: App) -> None:
    before = _count(loaded, Mention)
    summary, lines = _load(loaded, if_empty=True)
    assert summary.skipped
    assert _count(loaded, Mention) == before
    assert "already holds mentions" in lines[0]


def test_running_it_again_only_brings_what_is_new(loaded: App, clock: FixedClock) -> None:
    before = _count(loaded, Mention)
    again, lines = _load(loaded)
    assert again.total == 0
    assert _count(loaded, Mention) == before
    assert "up to date" in lines[-1]
    assert again.organisation is not None
    assert not again.organisation.created
    assert len(lines) == 1  # nothing said about the organisation: it was there
    assert _count(loaded, Member) == 30
    clock.advance(timedelta(hours=3))
    later, _ = _load(loaded)
    assert 0 < later.total < 300
    assert later.created_sources == []
    assert _count(loaded, Mention) == before + later.total


def test_if_empty_adds_the_organisation_to_a_demo_database_of_an_earlier_release(
    loaded: App,
) -> None:
    with loaded.db.write_session() as session:  # an earlier release had no topics either
        for model in (TopicMatch, RematchJob, TopicVersion, Topic, Member, Department):
            session.execute(delete(model))
        session.commit()
    before = _count(loaded, Mention)
    summary, lines = _load(loaded, if_empty=True)
    assert summary.skipped
    assert _count(loaded, Mention) == before
    assert _count(loaded, Member) == 30
    assert lines[1].startswith("Created the demo organisation")


def test_if_empty_leaves_a_database_of_real_data_alone(app: App) -> None:
    source = create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")
    item = RawItem("sbu", {"id": "1", "text": "Bonjour", "created_at": "2026-11-01T10:00:00Z",
                           "platform": "mastodon"}, "line 1")  # fmt: skip
    assert app.ingest.ingest(source.id, [item]).imported == 1
    summary, _ = _load(app, if_empty=True)
    assert summary.skipped
    assert summary.organisation is None
    assert _count(app, Member) == 0


def test_a_foreign_source_with_a_demo_name_is_refused(app: App) -> None:
    create_source(
        app.db, app.clock, app.registry, ACTOR, name=SOURCE_NAMES["reddit"], connector="file"
    )
    with pytest.raises(Conflict, match="file connector"):
        _load(app)


def test_start_live_makes_the_sources_poll_every_few_seconds(
    loaded: App, clock: FixedClock
) -> None:
    names = start_live(loaded, ACTOR, report=lambda _: None)
    assert sorted(names) == sorted(SOURCE_NAMES.values())
    interval = max(1, round(loaded.settings.demo.live_interval_seconds))
    with loaded.db.session() as session:
        sources = session.execute(select(Source)).scalars().all()
        for source in sources:
            assert source.poll_interval_seconds == interval
            assert source.config["live_since"] is not None
            assert source.next_poll_at is not None
            assert source.next_poll_at <= clock.now()
        ids = [s.id for s in sources]
    assert _count(loaded, AuditEvent, AuditEvent.action == "source.updated") == 5
    before = _count(loaded, Mention)
    new = 0
    for _ in range(12):  # one minute of polling every five seconds
        clock.advance(timedelta(seconds=5))
        new += sum(poll_source(loaded, source_id).imported for source_id in ids)
    assert new >= 5
    assert _count(loaded, Mention) == before + new
    assert sum(poll_source(loaded, source_id).imported for source_id in ids) == 0


def test_loading_again_after_live_mode_returns_to_the_history_rate(
    loaded: App, clock: FixedClock
) -> None:
    start_live(loaded, ACTOR, report=lambda _: None)
    clock.advance(timedelta(hours=2))
    summary, _ = _load(loaded)
    assert 0 < summary.total < 200  # live mode would have brought over a thousand
    with loaded.db.session() as session:
        for source in session.execute(select(Source)).scalars():
            assert source.config["live_since"] is None
            assert source.poll_interval_seconds == 300


def test_start_live_loads_the_history_when_it_is_missing(app: App) -> None:
    app.settings.demo.posts = POSTS
    start_live(app, ACTOR, report=lambda _: None)
    assert _count(app, Mention) > POSTS * 0.85
