"""Stage cursors: the watermark, and the ids a stage passed over that may still appear."""

from __future__ import annotations

from datetime import timedelta

from sbu.bootstrap import App
from sbu.enrichment.cursors import (
    GAP_GRACE,
    MAX_GAPS,
    CursorState,
    Gap,
    advance,
    ensure_cursor,
    lock_cursor,
    parse_gaps,
    position,
    read_cursor,
)
from tests.conftest import NOW

LATER = NOW + timedelta(minutes=1)


def test_processed_ids_move_the_cursor_and_skipped_ones_become_gaps() -> None:
    state = CursorState("s", 3, ())
    last, gaps = advance(state, [4, 7, 8, 12], LATER)
    assert last == 12
    assert gaps == (Gap(5, 6, LATER), Gap(9, 11, LATER))
    assert advance(state, [], LATER) == (3, ())
    assert advance(state, [4, 5], LATER) == (5, ())


def test_ids_found_inside_gaps_close_them() -> None:
    state = CursorState("s", 20, (Gap(5, 9, NOW), Gap(12, 12, NOW)))
    last, gaps = advance(state, [5, 7, 12, 21], LATER)
    assert last == 21
    assert gaps == (Gap(6, 6, NOW), Gap(8, 9, NOW))  # they keep the time they were first seen


def test_old_gaps_are_dropped_and_their_number_is_capped() -> None:
    state = CursorState("s", 10, (Gap(2, 3, NOW), Gap(5, 5, LATER)))
    last, gaps = advance(state, [], NOW + GAP_GRACE + timedelta(seconds=1))
    assert (last, gaps) == (10, (Gap(5, 5, LATER),))
    many = list(range(0, 4 * MAX_GAPS, 2))
    _, capped = advance(CursorState("s", 0, ()), many, NOW)
    assert len(capped) == MAX_GAPS
    assert capped[-1].last == many[-1] - 1  # the newest are kept


def test_gaps_are_stored_as_json_and_read_back() -> None:
    gaps = (Gap(5, 6, NOW), Gap(9, 11, LATER))
    assert parse_gaps([g.as_json() for g in gaps]) == gaps
    assert parse_gaps(None) == ()


def test_a_cursor_is_created_once_at_zero(app: App) -> None:
    with app.db.session() as session:
        assert read_cursor(session, "topic_match") == CursorState("topic_match", 0, ())
        assert position(session, "topic_match") == 0
    ensure_cursor(app.db, app.clock, "topic_match")
    ensure_cursor(app.db, app.clock, "topic_match")
    with app.db.write_session() as session:
        row = lock_cursor(session, "topic_match")
        assert row is not None
        assert (row.last_mention_id, row.gaps, row.processed, row.updated_at) == (0, [], 0, NOW)
        row.last_mention_id = 42
        session.commit()
    with app.db.write_session() as session:
        assert position(session, "topic_match", lock=True) == 42
        assert position(session, "other", lock=True) == 0
        assert lock_cursor(session, "other") is None
