"""Each stage's watermark: the last mention id it processed, and the ids it may have missed.

A stage processes mentions in id order and moves its cursor in the same transaction as its
results, so every mention is processed once, across restarts and with several workers (the
transaction locks the cursor row and checks that nobody moved it meanwhile).

Ids are not always committed in order: with PostgreSQL, two ingest transactions draw ids from
one sequence and may commit in the other order. When a batch passes over ids that do not exist
(yet), they are kept as **gaps** and looked for again by the next batches; a gap that is still
empty after :data:`GAP_GRACE` was a rolled-back transaction or a deleted mention, and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sbu.core.clock import Clock
from sbu.db.base import table_of
from sbu.db.bulk import insert_ignoring_conflicts
from sbu.db.engine import Database
from sbu.enrichment.models import EnrichmentCursor

#: How long missing ids below the cursor are looked for again.
GAP_GRACE = timedelta(minutes=10)
#: At most this many gap ranges are kept (the newest).
MAX_GAPS = 1000


@dataclass(frozen=True, slots=True)
class Gap:
    first: int
    last: int
    seen: datetime

    def as_json(self) -> list[Any]:
        return [self.first, self.last, self.seen.isoformat()]


@dataclass(frozen=True, slots=True)
class CursorState:
    stage: str
    last_id: int
    gaps: tuple[Gap, ...]

    @property
    def gap_ranges(self) -> list[tuple[int, int]]:
        return [(gap.first, gap.last) for gap in self.gaps]


def parse_gaps(raw: Sequence[Sequence[Any]] | None) -> tuple[Gap, ...]:
    return tuple(
        Gap(int(first), int(last), datetime.fromisoformat(str(seen)))
        for first, last, seen in raw or ()
    )


def ensure_cursor(db: Database, clock: Clock, stage: str) -> None:
    """Create the stage's cursor at 0 when it has none (committed at once)."""
    with db.session() as session:
        if session.get(EnrichmentCursor, stage) is not None:
            return
    with db.write_session() as session:
        row = {
            "stage": stage, "last_mention_id": 0, "gaps": [], "stage_version": 0, "processed": 0,
            "failed": 0, "updated_at": clock.now(),
        }  # fmt: skip
        insert_ignoring_conflicts(session, table_of(EnrichmentCursor), [row], ["stage"])
        session.commit()


def read_cursor(session: Session, stage: str) -> CursorState:
    row = session.get(EnrichmentCursor, stage)
    if row is None:
        return CursorState(stage, 0, ())
    return CursorState(stage, row.last_mention_id, parse_gaps(row.gaps))


def lock_cursor(session: Session, stage: str) -> EnrichmentCursor | None:
    """The cursor row, locked until the transaction ends (PostgreSQL; SQLite's writer holds the
    database lock already)."""
    statement = select(EnrichmentCursor).where(EnrichmentCursor.stage == stage).with_for_update()
    return session.execute(statement).scalar_one_or_none()


def position(session: Session, stage: str, *, lock: bool = False) -> int:
    """The last mention id the stage processed (0 when it never ran)."""
    if lock:
        row = lock_cursor(session, stage)
        return row.last_mention_id if row is not None else 0
    return read_cursor(session, stage).last_id


def advance(
    state: CursorState, processed_ids: Iterable[int], now: datetime
) -> tuple[int, tuple[Gap, ...]]:
    """The new (last id, gaps) once ``processed_ids`` are processed (a pure function).

    Processed ids above the cursor move it to the largest one; ids skipped on the way become
    gaps; processed ids inside gaps close them; gaps older than :data:`GAP_GRACE` are dropped.
    """
    ids = sorted(set(processed_ids))
    fresh = [i for i in ids if i > state.last_id]
    found = [i for i in ids if i <= state.last_id]
    gaps: list[Gap] = []
    for gap in state.gaps:
        gaps.extend(_without(gap, found))
    previous = state.last_id
    for current in fresh:
        if current > previous + 1:
            gaps.append(Gap(previous + 1, current - 1, now))
        previous = current
    kept = [gap for gap in gaps if now - gap.seen < GAP_GRACE]
    kept.sort(key=lambda gap: gap.first)
    return (fresh[-1] if fresh else state.last_id), tuple(kept[-MAX_GAPS:])


def _without(gap: Gap, found: Sequence[int]) -> list[Gap]:
    """``gap`` minus the ids in ``found`` (sorted), as the ranges that remain."""
    inside = [i for i in found if gap.first <= i <= gap.last]
    if not inside:
        return [gap]
    parts: list[Gap] = []
    start = gap.first
    for i in inside:
        if i > start:
            parts.append(Gap(start, i - 1, gap.seen))
        start = i + 1
    if start <= gap.last:
        parts.append(Gap(start, gap.last, gap.seen))
    return parts
