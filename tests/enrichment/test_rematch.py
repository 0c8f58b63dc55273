"""Re-matching history: chunked, resumable, superseded by newer edits, exactly the new query."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from sbu.bootstrap import App
from sbu.core.clock import FixedClock
from sbu.enrichment.items import load_after
from sbu.enrichment.pipeline import Pipeline
from sbu.enrichment.rematch import STALE_AFTER, Rematcher
from sbu.enrichment.stages.topic_match import TopicMatchStage
from sbu.enrichment.worker import build_pipeline
from sbu.listening.query import compile_query, matches
from sbu.listening.topic_models import TopicVersion
from sbu.listening.topics import set_topic_active, update_topic
from tests.listening.topic_world import (
    CLI,
    department,
    events,
    ingest,
    jobs,
    match_versions,
    matches_of,
    topic,
)

TEXTS = (
    "Grosse panne chez Ondine à Nantes",
    "Coupure Ondine à Rezé",
    "Ondine recrute",
    "La fibre Ondine est noire depuis ce matin",
    "Brisant Mobile baisse ses prix",
    "Panne de fibre à Vertou, Ondine muet",
    "Il fait beau",
)
NEW_QUERY = "ondine AND (fibre OR noire)"
#: How long a thread may wait for another before the test fails (nothing is measured).
PATIENCE = 30.0


def matched_by(app: App, query: str) -> set[int]:
    tree = compile_query(query)
    with app.db.session() as session:
        return {i.id for i in load_after(session, 0, 10_000) if matches(tree, i.match_post())}


def setup(app: App) -> tuple[int, int, list[int]]:
    """Two topics matched over the stored mentions by the stage; returns their ids and mentions."""
    care = department(app)
    pannes = topic(app, care).id
    brisant = topic(app, care, name="Brisant", query='"brisant mobile"', examples=[]).id
    ids = ingest(app, *TEXTS)
    build_pipeline(app).run_until_caught_up()
    return pannes, brisant, ids


def test_rematch_rewrites_the_topic_matches_with_the_new_query_in_chunks(app: App) -> None:
    pannes, brisant, ids = setup(app)
    assert {m for m, t in matches_of(app) if t == pannes} == matched_by(
        app, "ondine AND (panne OR coupure)"
    )
    brisant_before = match_versions(app, brisant)
    update_topic(app.db, app.clock, CLI, pannes, query=NEW_QUERY,
                 examples=[{"text": "Fibre Ondine coupée", "expect": "match"}])  # fmt: skip
    [_, job] = jobs(app, pannes)
    assert (job.status, job.total, job.until_id) == ("queued", len(TEXTS), ids[-1])
    rematcher = Rematcher(app.db, app.clock, chunk_size=3)
    steps = []
    while (step := rematcher.step()) is not None:
        steps.append((step.done, step.total, step.status))
    assert steps == [(3, 7, "running"), (6, 7, "running"), (7, 7, "done")]
    after = match_versions(app, pannes)
    assert set(after) == matched_by(app, NEW_QUERY)
    assert set(after.values()) == {2}
    assert match_versions(app, brisant) == brisant_before  # other topics are untouched
    [done] = [j for j in jobs(app, pannes) if j.id == job.id]
    assert (done.status, done.done, done.total, done.position) == ("done", 7, 7, ids[-1])
    assert done.started_at is not None
    assert done.finished_at == app.clock.now()
    event = events(app, "topic.rematched")[-1]
    assert event.actor == "system:sbu"
    assert event.after == {"job_id": job.id, "version": 2, "status": "done", "mentions": 7,
                           "error": None}  # fmt: skip


def test_mentions_after_the_job_are_left_to_the_stage(app: App) -> None:
    pannes, _, _ = setup(app)
    update_topic(app.db, app.clock, CLI, pannes, query=NEW_QUERY,
                 examples=[{"text": "Fibre Ondine coupée", "expect": "match"}])  # fmt: skip
    later = ingest(app, "Fibre Ondine en rade", "Encore une panne Ondine", start=50)
    Rematcher(app.db, app.clock).run_all()
    assert not any(m in later for m in match_versions(app, pannes))  # not the job's
    build_pipeline(app).run_until_caught_up()
    versions = match_versions(app, pannes)
    assert {m for m in later if m in versions} == {later[0]}
    assert set(versions) == matched_by(app, NEW_QUERY)


def test_a_newer_edit_cancels_a_running_job(app: App) -> None:
    pannes, _, _ = setup(app)
    update_topic(app.db, app.clock, CLI, pannes, query=NEW_QUERY, examples=[])
    rematcher = Rematcher(app.db, app.clock, chunk_size=2)
    first = rematcher.step()
    assert first is not None
    assert first.status == "running"
    update_topic(app.db, app.clock, CLI, pannes, query="ondine AND recrute")
    cancelled = rematcher.step()
    assert cancelled is not None
    assert (cancelled.job_id, cancelled.status, cancelled.done) == (first.job_id, "cancelled", 2)
    rematcher.run_all()
    statuses = [(j.topic_version, j.status) for j in jobs(app, pannes)]
    assert statuses == [(1, "done"), (2, "cancelled"), (3, "done")]
    assert set(match_versions(app, pannes)) == matched_by(app, "ondine AND recrute")


def test_a_stalled_job_is_taken_over_and_resumed(app: App, clock: FixedClock) -> None:
    pannes, _, _ = setup(app)
    update_topic(app.db, app.clock, CLI, pannes, query=NEW_QUERY, examples=[])
    crashed = Rematcher(app.db, app.clock, chunk_size=3, worker_id="crashed")
    assert crashed.step() is not None  # 3 done, then the worker dies
    other = Rematcher(app.db, app.clock, chunk_size=3, worker_id="other")
    assert other.step() is None  # still fresh: not taken over
    clock.advance(STALE_AFTER + timedelta(seconds=1))
    step = other.step()
    assert step is not None
    assert (step.done, step.status) == (6, "running")  # resumed where it stopped
    other.run_all()
    assert set(match_versions(app, pannes)) == matched_by(app, NEW_QUERY)
    # Were the old worker alive after all, it would see the job is no longer its own and stop.
    last = crashed.step()
    assert last is not None
    assert (last.status, last.done) == ("done", 7)
    assert crashed.step() is None


def test_a_job_whose_query_cannot_be_read_fails(app: App) -> None:
    pannes, _, _ = setup(app)
    set_topic_active(app.db, app.clock, CLI, pannes, False)
    set_topic_active(app.db, app.clock, CLI, pannes, True)
    with app.db.write_session() as session:
        session.execute(update(TopicVersion).where(TopicVersion.topic_id == pannes,
                                                   TopicVersion.version == 3).values(query="(("))  # fmt: skip
        session.commit()
    before = match_versions(app, pannes)
    assert Rematcher(app.db, app.clock).run_all() == []
    job = jobs(app, pannes)[-1]
    assert job.status == "failed"
    assert job.error is not None
    assert job.error.startswith("The query of this version of the topic cannot be read")
    assert match_versions(app, pannes) == before
    assert events(app, "topic.rematched")[-1].after["status"] == "failed"  # type: ignore[index]


def test_no_job_no_step(app: App) -> None:
    assert Rematcher(app.db, app.clock).step() is None
    assert Rematcher(app.db, app.clock).run_all() == []


def test_a_query_change_while_the_stage_stores_a_batch_loses_nothing(app: App) -> None:
    """The stage stores a batch computed with the old query while the query changes: whichever
    transaction waits for the other, after the re-match the matches are the new query's."""
    care = department(app)
    pannes = topic(app, care)
    ids = ingest(app, *TEXTS)
    stored, go = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    class Holding(TopicMatchStage):
        def store(self, session: Session, results: Any, now: datetime) -> None:
            super().store(session, results, now)
            stored.set()
            go.wait(PATIENCE)  # keep the transaction (and its locks) open

    def run(target: Callable[[], object]) -> threading.Thread:
        def body() -> None:
            try:
                target()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        thread = threading.Thread(target=body)
        thread.start()
        return thread

    stage = run(lambda: Pipeline(app.db, app.clock, [Holding()]).run_batch(Holding()))
    assert stored.wait(PATIENCE)
    edit = run(lambda: update_topic(app.db, app.clock, CLI, pannes.id, query=NEW_QUERY,
                                    examples=[]))  # fmt: skip
    time.sleep(0.2)  # lets the edit reach the lock the stage holds (any order is correct)
    go.set()
    stage.join(PATIENCE)
    edit.join(PATIENCE)
    assert errors == []
    [_, job] = jobs(app, pannes.id)
    assert job.until_id in (0, ids[-1])
    Rematcher(app.db, app.clock).run_all()
    build_pipeline(app).run_until_caught_up()
    assert set(match_versions(app, pannes.id)) == matched_by(app, NEW_QUERY)
    assert set(match_versions(app, pannes.id).values()) == {2}
