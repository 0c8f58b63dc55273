"""The enrichment pipeline: ordered stages, each processing new mentions in batches.

A :class:`Stage` has a ``name``, a ``version`` and four steps, called by :class:`Pipeline` for
every batch of mentions the stage has not processed yet (by id, after its cursor:
:mod:`sbu.enrichment.cursors`):

1. ``prepare(db)``: load or refresh what the stage needs (the topic stage recompiles the active
   topics when they changed), outside any transaction;
2. ``process(items)``: compute one result per item, without touching the database. When it
   raises, the pipeline runs the items one at a time to find the failing ones: **a failing item
   is recorded (``enrichment_failures``) and skipped; it never stops the batch**;
3. ``is_current(session)``: inside the writing transaction, whether what ``prepare`` loaded is
   still current; when it is not (a topic changed meanwhile), the batch is computed again;
4. ``store(session, results, now)``: write the results, in the transaction that also moves the
   stage's cursor, so every mention is processed exactly once, across restarts and workers.

Stages run in the order of :data:`sbu.enrichment.stages.BUILTIN` (a stage that needs another
one's results comes after it); each has its own cursor, so a stage added later starts from the
first mention and catches up on its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from sbu.core.clock import Clock
from sbu.db.base import table_of
from sbu.db.bulk import insert_ignoring_conflicts
from sbu.db.engine import Database
from sbu.enrichment.cursors import advance, ensure_cursor, lock_cursor, parse_gaps, read_cursor
from sbu.enrichment.items import MentionItem, count_between, load_after, load_ranges
from sbu.enrichment.models import EnrichmentFailure

log = logging.getLogger(__name__)

R = TypeVar("R")
#: A batch that conflicts (another worker moved the cursor, or the stage's state changed) is
#: tried again this many times in a row before the run gives up until the next one.
MAX_RETRIES = 5
MAX_ERROR_CHARS = 2000


class Stage(Protocol[R]):
    """One enrichment step; see the module docstring for the contract."""

    #: Unique, stable: it names the stage's cursor and its recorded failures.
    name: str
    #: Bumped when the stage's results change meaning; recorded with its cursor and failures.
    version: int

    def prepare(self, db: Database) -> None:
        """Load or refresh what ``process`` needs (outside any transaction)."""

    def process(self, items: Sequence[MentionItem]) -> Sequence[R]:
        """One result per item, in order; pure (no database). May raise."""

    def is_current(self, session: Session) -> bool:
        """Inside the writing transaction: is what ``prepare`` loaded still current?"""

    def store(
        self, session: Session, results: Sequence[tuple[MentionItem, R]], now: datetime
    ) -> None:
        """Write the results in ``session`` (the pipeline commits)."""


@dataclass(frozen=True, slots=True)
class BatchReport:
    stage: str
    #: Mentions processed (failed ones included); 0 when the stage had nothing new.
    processed: int
    failed: int
    #: The batch was computed but not stored: another worker got there first, or the stage's
    #: state changed meanwhile; the next batch does it again.
    retry: bool = False


Progress = Callable[[int], Any]


class Pipeline:
    """Runs stages over new mentions, batch by batch."""

    def __init__(
        self, db: Database, clock: Clock, stages: Sequence[Stage[Any]], *, batch_size: int = 1000
    ) -> None:
        names = [stage.name for stage in stages]
        if len(set(names)) != len(names):
            msg = f"Two enrichment stages have the same name: {names}."
            raise ValueError(msg)
        self.db = db
        self.clock = clock
        self.stages = list(stages)
        self.batch_size = batch_size

    def run_batch(self, stage: Stage[Any]) -> BatchReport:
        """Process the next batch of mentions ``stage`` has not processed yet."""
        ensure_cursor(self.db, self.clock, stage.name)
        with self.db.session() as session:
            state = read_cursor(session, stage.name)
            items = load_ranges(session, state.gap_ranges, self.batch_size)
            items += load_after(session, state.last_id, self.batch_size - len(items))
        now = self.clock.now()
        last_id, gaps = advance(state, (item.id for item in items), now)
        if not items and gaps == state.gaps:
            return BatchReport(stage.name, 0, 0)
        stage.prepare(self.db)
        results, failures = self._process(stage, items)
        with self.db.write_session() as session:
            cursor = lock_cursor(session, stage.name)
            assert cursor is not None  # ensure_cursor made it; cursors are never deleted
            if (cursor.last_mention_id, parse_gaps(cursor.gaps)) != (state.last_id, state.gaps):
                return BatchReport(stage.name, 0, 0, retry=True)
            if not stage.is_current(session):
                return BatchReport(stage.name, 0, 0, retry=True)
            if results:
                stage.store(session, results, now)
            if failures:
                rows = [
                    {"stage": stage.name, "stage_version": stage.version, "mention_id": item.id,
                     "error": error, "failed_at": now}
                    for item, error in failures
                ]  # fmt: skip
                insert_ignoring_conflicts(
                    session, table_of(EnrichmentFailure), rows, ["stage", "mention_id"]
                )
            cursor.last_mention_id = last_id
            cursor.gaps = [gap.as_json() for gap in gaps]
            cursor.stage_version = stage.version
            cursor.processed += len(items)
            cursor.failed += len(failures)
            cursor.updated_at = now
            session.commit()
        return BatchReport(stage.name, len(items), len(failures))

    def run_once(self) -> int:
        """One batch of every stage, in order; how many mentions were processed in all."""
        return sum(self._run_stage_batch(stage) for stage in self.stages)

    def run_until_caught_up(
        self, *, progress: Progress | None = None, stop: threading.Event | None = None
    ) -> int:
        """Process batches until every stage has processed every mention; returns how many
        mention-stage pairs were processed. ``progress`` receives each batch's count."""
        total = 0
        for stage in self.stages:
            while stop is None or not stop.is_set():
                processed = self._run_stage_batch(stage)
                if processed == 0:
                    break
                total += processed
                if progress is not None:
                    progress(processed)
        return total

    def backlog(self) -> int:
        """Mention-stage pairs still to process (for progress bars)."""
        with self.db.session() as session:
            return sum(
                count_between(session, read_cursor(session, stage.name).last_id)
                for stage in self.stages
            )

    def _run_stage_batch(self, stage: Stage[Any]) -> int:
        for _ in range(MAX_RETRIES):
            report = self.run_batch(stage)
            if not report.retry:
                return report.processed
        log.info("The %s stage kept conflicting with other changes; it tries again later.",
                 stage.name)  # fmt: skip
        return 0

    @staticmethod
    def _process(
        stage: Stage[R], items: Sequence[MentionItem]
    ) -> tuple[list[tuple[MentionItem, R]], list[tuple[MentionItem, str]]]:
        if not items:
            return [], []
        try:
            return _zip(items, stage.process(items)), []
        except Exception:
            log.warning("The %s stage failed on a batch; running its items one by one.",
                        stage.name, exc_info=True)  # fmt: skip
        results: list[tuple[MentionItem, R]] = []
        failures: list[tuple[MentionItem, str]] = []
        for item in items:
            try:
                results.extend(_zip([item], stage.process([item])))
            except Exception as exc:
                failures.append((item, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]))
        if failures:
            log.warning("The %s stage failed on %d mention(s), recorded in enrichment_failures: "
                        "the others went on.", stage.name, len(failures))  # fmt: skip
        return results, failures


def _zip(items: Sequence[MentionItem], results: Sequence[R]) -> list[tuple[MentionItem, R]]:
    if len(results) != len(items):
        msg = f"The stage returned {len(results)} results for {len(items)} mentions."
        raise RuntimeError(msg)
    return list(zip(items, results, strict=True))
