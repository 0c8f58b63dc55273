"""The pipeline: every mention processed once per stage, failing items isolated, conflicts retried."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from sbu.bootstrap import App
from sbu.core.clock import FixedClock
from sbu.db.base import table_of
from sbu.db.engine import Database
from sbu.enrichment.cursors import GAP_GRACE, parse_gaps
from sbu.enrichment.items import MentionItem
from sbu.enrichment.models import EnrichmentCursor, EnrichmentFailure
from sbu.enrichment.pipeline import MAX_RETRIES, Pipeline
from sbu.listening.models import Mention
from tests.listening.topic_world import ingest


class Recorder:
    """A stage that keeps the length of each text; it fails on texts holding BOOM."""

    name = "recorder"
    version = 3

    def __init__(self) -> None:
        self.stored: list[tuple[int, int]] = []
        self.prepared = 0
        self.current = True
        self.calls = 0

    def prepare(self, db: Database) -> None:
        self.prepared += 1

    def process(self, items: Sequence[MentionItem]) -> list[int]:
        self.calls += 1
        for item in items:
            if "BOOM" in item.text:
                msg = f"cannot read {item.text!r}"
                raise ValueError(msg)
        return [len(item.text) for item in items]

    def is_current(self, session: Session) -> bool:
        return self.current

    def store(
        self, session: Session, results: Sequence[tuple[MentionItem, int]], now: datetime
    ) -> None:
        self.stored.extend((item.id, length) for item, length in results)


def cursor_of(app: App, stage: str = "recorder") -> EnrichmentCursor:
    with app.db.session() as session:
        found = session.get(EnrichmentCursor, stage)
        assert found is not None
        return found


def failures(app: App) -> list[EnrichmentFailure]:
    with app.db.session() as session:
        return list(session.execute(select(EnrichmentFailure)).scalars())


def test_every_mention_is_processed_once_in_batches_across_restarts(app: App) -> None:
    ids = ingest(app, "un", "deux", "trois", "quatre", "cinq")
    stage = Recorder()
    pipeline = Pipeline(app.db, app.clock, [stage], batch_size=2)
    assert pipeline.backlog() == 5
    seen: list[int] = []
    assert pipeline.run_until_caught_up(progress=seen.append) == 5
    assert seen == [2, 2, 1]
    assert stage.stored == [
        (i, len(t)) for i, t in zip(ids, ["un", "deux", "trois", "quatre", "cinq"], strict=True)
    ]
    cursor = cursor_of(app)
    assert (cursor.last_mention_id, cursor.processed, cursor.failed) == (ids[-1], 5, 0)
    assert (cursor.stage_version, cursor.gaps) == (3, [])
    assert pipeline.run_until_caught_up() == 0
    assert pipeline.backlog() == 0
    # A restarted process (a new pipeline and stage) continues after the cursor.
    more = ingest(app, "six", "sept", start=10)
    again = Recorder()
    assert Pipeline(app.db, app.clock, [again], batch_size=10).run_until_caught_up() == 2
    assert [i for i, _ in again.stored] == more


def test_a_failing_item_is_recorded_and_the_batch_goes_on(app: App, clock: FixedClock) -> None:
    ids = ingest(app, "un", "BOOM deux", "trois")
    stage = Recorder()
    report = Pipeline(app.db, app.clock, [stage], batch_size=10).run_batch(stage)
    assert (report.processed, report.failed, report.retry) == (3, 1, False)
    assert [i for i, _ in stage.stored] == [ids[0], ids[2]]
    [failure] = failures(app)
    assert (failure.stage, failure.stage_version, failure.mention_id) == ("recorder", 3, ids[1])
    assert failure.error == "ValueError: cannot read 'BOOM deux'"
    assert failure.failed_at == clock.now()
    cursor = cursor_of(app)
    assert (cursor.last_mention_id, cursor.processed, cursor.failed) == (ids[2], 3, 1)


def test_a_stage_that_returns_the_wrong_number_of_results_fails_its_items(app: App) -> None:
    class Short(Recorder):
        def process(self, items: Sequence[MentionItem]) -> list[int]:
            return [1] * (len(items) - 1)

    ingest(app, "un", "deux")
    stage = Short()
    report = Pipeline(app.db, app.clock, [stage]).run_batch(stage)
    assert (report.processed, report.failed) == (2, 2)
    assert stage.stored == []
    assert {f.error for f in failures(app)} == {
        "RuntimeError: The stage returned 0 results for 1 mentions."
    }


def test_a_cursor_moved_by_another_worker_makes_the_batch_retry(app: App) -> None:
    class Racing(Recorder):
        def process(self, items: Sequence[MentionItem]) -> list[int]:
            with app.db.write_session() as session:  # another worker stores the batch first
                moved = session.get(EnrichmentCursor, self.name)
                assert moved is not None
                moved.last_mention_id = items[-1].id
                session.commit()
            return super().process(items)

    ingest(app, "un", "deux")
    stage = Racing()
    report = Pipeline(app.db, app.clock, [stage]).run_batch(stage)
    assert (report.processed, report.retry) == (0, True)
    assert stage.stored == []
    assert cursor_of(app).processed == 0


def test_a_stale_stage_state_is_computed_again(app: App) -> None:
    ingest(app, "un")
    stage = Recorder()
    stage.current = False
    pipeline = Pipeline(app.db, app.clock, [stage])
    assert pipeline.run_until_caught_up() == 0  # gives up after MAX_RETRIES, for this run
    assert stage.prepared == MAX_RETRIES
    assert stage.stored == []
    stage.current = True
    assert pipeline.run_until_caught_up() == 1
    assert len(stage.stored) == 1


def test_stages_run_in_order_with_their_own_cursors(app: App) -> None:
    class Other(Recorder):
        name = "other"

    ingest(app, "un", "deux")
    first, second = Recorder(), Other()
    assert Pipeline(app.db, app.clock, [first], batch_size=10).run_until_caught_up() == 2
    pipeline = Pipeline(app.db, app.clock, [first, second], batch_size=10)
    assert pipeline.backlog() == 2  # the new stage starts from the first mention
    assert pipeline.run_once() == 2
    assert len(second.stored) == 2
    assert len(first.stored) == 2  # the first stage had processed them already: not again
    with pytest.raises(ValueError, match="same name"):
        Pipeline(app.db, app.clock, [Recorder(), Recorder()])


def test_a_mention_committed_late_below_the_cursor_is_still_processed(
    app: App, clock: FixedClock
) -> None:
    ids = ingest(app, "un", "deux", "trois")
    mentions = table_of(Mention)
    with app.db.write_session() as session:  # mention 2 "commits" after mention 3
        row = dict(
            session.execute(select(mentions).where(mentions.c.id == ids[1])).mappings().one()
        )
        session.execute(delete(mentions).where(mentions.c.id == ids[1]))
        session.commit()
    stage = Recorder()
    pipeline = Pipeline(app.db, app.clock, [stage])
    assert pipeline.run_until_caught_up() == 2
    cursor = cursor_of(app)
    assert cursor.last_mention_id == ids[2]
    assert [(g.first, g.last) for g in parse_gaps(cursor.gaps)] == [(ids[1], ids[1])]
    with app.db.write_session() as session:
        session.execute(insert(mentions).values(**row))
        session.commit()
    clock.advance(timedelta(minutes=1))
    assert pipeline.run_until_caught_up() == 1
    assert [i for i, _ in stage.stored] == [ids[0], ids[2], ids[1]]
    assert parse_gaps(cursor_of(app).gaps) == ()
    assert pipeline.run_until_caught_up() == 0


def test_gaps_that_stay_empty_are_dropped_after_the_grace_period(
    app: App, clock: FixedClock
) -> None:
    ids = ingest(app, "un", "deux", "trois")
    with app.db.write_session() as session:
        session.execute(delete(Mention).where(Mention.id == ids[1]))
        session.commit()
    pipeline = Pipeline(app.db, app.clock, [Recorder()])
    pipeline.run_until_caught_up()
    assert parse_gaps(cursor_of(app).gaps) != ()
    clock.advance(GAP_GRACE + timedelta(seconds=1))
    assert pipeline.run_until_caught_up() == 0
    assert cursor_of(app).gaps == []
