"""`sbu enrich run`: catches up on new mentions and runs waiting re-match jobs, once."""

from __future__ import annotations

from sqlalchemy import select

from sbu.bootstrap import build
from sbu.core.audit import Actor
from sbu.core.clock import SystemClock
from sbu.db.engine import Database
from sbu.listening.topic_models import RematchJob, TopicMatch
from sbu.listening.topics import create_topic, update_topic
from sbu.org.services import create_department
from sbu.settings import Settings
from tests.cli.conftest import Run
from tests.web.posts import make_source, post

SETUP = Actor("test", "setup")


def matched(db: Database) -> set[tuple[int, int]]:
    with db.session() as session:
        return set(session.execute(select(TopicMatch.mention_id, TopicMatch.topic_version)).all())


def test_enrich_run_matches_new_mentions_then_rematches(run: Run, db: Database) -> None:
    clock = SystemClock()
    care = create_department(db, clock, SETUP, name="Care", kind="care")
    topic = create_topic(db, clock, SETUP, name="Pannes", query="ondine AND panne",
                         subject_kind="theme", subject_name="Pannes", department_id=care.id)  # fmt: skip
    app = build(Settings(database={"url": db.settings.url}))  # type: ignore[arg-type]
    try:
        source = make_source(app)
        texts = ["Panne Ondine à Nantes", "Coupure Ondine", "Panne de courant"]
        stored = app.ingest.ingest(source, [post(str(i), t) for i, t in enumerate(texts)]).stored
    finally:
        app.close()
    ids = sorted(m.id for m in stored)
    first = run("enrich", "run", "--batch-size", "2")
    assert first.code == 0, first.output
    assert "Enrichment is up to date: 3 new mention-stage results, 0 re-match jobs" in first.stdout
    assert matched(db) == {(ids[0], 1)}
    update_topic(db, clock, SETUP, topic.id, query="ondine AND (panne OR coupure)")
    second = run("enrich", "run")
    assert second.code == 0, second.output
    assert "Re-matched 3 mentions for topic 1 (version 2): done." in second.stdout
    assert "0 new mention-stage results, 1 re-match jobs finished" in second.stdout
    assert matched(db) == {(ids[0], 2), (ids[1], 2)}
    with db.session() as session:
        assert [
            j.status for j in session.execute(select(RematchJob).order_by(RematchJob.id)).scalars()
        ] == ["done", "done"]
