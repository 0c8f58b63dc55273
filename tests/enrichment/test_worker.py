"""The background worker of `sbu serve`: woken by new mentions, re-matches, stops cleanly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from sbu.bootstrap import App
from sbu.enrichment.worker import EnrichmentWorker, build_pipeline
from sbu.listening.topics import update_topic
from tests.listening.topic_world import CLI, department, ingest, jobs, matches_of, topic

#: How long a test waits for the worker's thread to do something before failing. Nothing is
#: measured: the worker normally answers within milliseconds; this only bounds a broken run.
PATIENCE = 30.0


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("The worker did not do the expected work.")
        time.sleep(0.02)


def test_a_new_mention_wakes_the_worker(app: App) -> None:
    care = department(app)
    pannes = topic(app, care)
    # A wait far longer than the test's patience: only the mention.collected message can
    # wake the worker in time.
    worker = EnrichmentWorker(app, poll_seconds=3600)
    worker.start()
    try:
        wait_for(lambda: worker.rounds >= 1)  # first round done: the worker now sleeps
        [mention] = ingest(app, "Grosse panne chez Ondine")
        wait_for(lambda: (mention, pannes.id) in matches_of(app))
    finally:
        worker.stop()
    assert worker._thread is None


def test_a_round_enriches_new_mentions_then_rewrites_a_rematch_chunk(app: App) -> None:
    care = department(app)
    pannes = topic(app, care)
    panne, coupure, _ = ingest(app, "Grosse panne chez Ondine", "Coupure Ondine", "Rien")
    worker = EnrichmentWorker(app, poll_seconds=1)
    assert worker.run_round() is True
    assert matches_of(app) == {(panne, pannes.id), (coupure, pannes.id)}
    update_topic(app.db, app.clock, CLI, pannes.id, query="ondine AND coupure", examples=[])
    assert worker.run_round() is True  # the re-match job's chunk
    assert jobs(app, pannes.id)[-1].status == "done"
    assert matches_of(app) == {(coupure, pannes.id)}
    assert worker.run_round() is False  # nothing left to do


def test_a_failing_round_is_logged_and_the_worker_goes_on(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = build_pipeline(app)
    failed_once = threading.Event()
    original = pipeline.run_until_caught_up

    def flaky(**kwargs: object) -> int:
        if not failed_once.is_set():
            failed_once.set()
            msg = "the database went away"
            raise RuntimeError(msg)
        return original(**kwargs)  # type: ignore[arg-type]

    pipeline.run_until_caught_up = flaky  # type: ignore[method-assign]
    worker = EnrichmentWorker(app, pipeline=pipeline, poll_seconds=0.05)
    worker.start()
    worker.start()  # starting twice does nothing
    try:
        wait_for(lambda: worker.rounds >= 3)
    finally:
        worker.stop()
    assert "An enrichment round failed" in caplog.text
    worker.stop()  # stopping twice is fine too


def test_the_settings_switch_and_tune_the_worker(app: App) -> None:
    worker = EnrichmentWorker(app)
    assert worker.poll_seconds == app.settings.enrichment.poll_seconds == 2.0
    assert worker.pipeline.batch_size == app.settings.enrichment.batch_size == 1000
    assert worker.rematcher.chunk_size == app.settings.enrichment.rematch_chunk == 5000
    assert app.settings.enrichment.worker is True
