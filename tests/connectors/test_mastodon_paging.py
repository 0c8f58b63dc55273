"""The cursor of Mastodon sources, status id order and Link headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sbu.connectors.mastodon_paging import (
    KEEP_RECENT,
    SEEN_MAX,
    TimelineCursor,
    id_key,
    link_min_id,
    snowflake_ms,
)
from tests.connectors.mastodon_statuses import T0, snowflake

MASTODON_LINK = (
    "<https://piaille.example/api/v1/timelines/public?local=true&max_id=113530207364418230>; "
    'rel="next", '
    "<https://piaille.example/api/v1/timelines/public?local=true&min_id=113530207364418240>; "
    'rel="prev"'
)


def test_ids_sort_as_numbers_and_as_fixed_length_text() -> None:
    snowflakes = ["113530207364418234", "99999999999999999", "113530207364418300"]
    assert sorted(snowflakes, key=id_key) == [
        "99999999999999999",
        "113530207364418234",
        "113530207364418300",
    ]
    flakes = ["AeZ1pHXbq7TSNWOdYO", "AeZ1pHXbq7TSNWOdYN", "AeZ1pI1t4vBZ6vvPcW"]  # Pleroma ids
    assert sorted(flakes, key=id_key) == [
        "AeZ1pHXbq7TSNWOdYN",
        "AeZ1pHXbq7TSNWOdYO",
        "AeZ1pI1t4vBZ6vvPcW",
    ]


def test_a_snowflake_carries_its_time() -> None:
    assert snowflake_ms(snowflake(T0, 12)) == int(T0.timestamp() * 1000)
    assert snowflake_ms("42") is None  # too small to be a Mastodon snowflake
    assert snowflake_ms("AeZ1pHXbq7TSNWOdYO") is None
    assert snowflake_ms("١٢٣") is None  # digits, but not ASCII ones


def test_the_prev_link_gives_the_next_min_id() -> None:
    assert link_min_id(MASTODON_LINK) == "113530207364418240"
    assert link_min_id(MASTODON_LINK, "next") is None  # the next page is by max_id
    assert link_min_id(None) is None
    assert link_min_id("") is None
    assert link_min_id('<https://piaille.example/x?max_id=5>; rel="prev"') is None
    assert link_min_id("<https://piaille.example/x?min_id=9>; rel=prev") == "9"
    assert link_min_id("garbage, <>; rel=") is None


def test_a_cursor_survives_a_round_trip_and_ignores_junk() -> None:
    cursor = TimelineCursor("30", ["30", "20"], resume_min_id="25", resume_offset=40)
    assert TimelineCursor.from_dict(cursor.to_dict()) == cursor
    junk = TimelineCursor.from_dict(
        {"newest_id": 30, "seen": ["5", None, 7, ""], "resume_min_id": "", "resume_offset": True}
    )
    assert junk == TimelineCursor(None, ["5"])
    assert TimelineCursor.from_dict(None) == TimelineCursor()
    assert TimelineCursor().to_dict() == {"newest_id": None, "seen": []}


def test_a_new_pass_starts_a_lookback_before_the_newest_snowflake() -> None:
    newest = snowflake(T0, 3)
    cursor = TimelineCursor(newest, [newest])
    start = cursor.start_id(timedelta(minutes=5))
    assert start is not None
    assert snowflake_ms(start) == int(T0.timestamp() * 1000) - 300_000
    assert cursor.start_id(timedelta(0)) == newest
    assert TimelineCursor("AeZ1pHXbq7TSNWOdYO").start_id(timedelta(minutes=5)) == (
        "AeZ1pHXbq7TSNWOdYO"  # ids without a time cannot be moved back
    )
    assert TimelineCursor().start_id(timedelta(minutes=5)) is None


def test_remembering_keeps_the_lookback_window_and_the_newest_ids() -> None:
    ids = [snowflake(T0 + timedelta(seconds=n), n) for n in range(1200)]  # one a second
    cursor = TimelineCursor()
    cursor.remember(ids, timedelta(minutes=5))
    assert cursor.newest_id == ids[-1]
    window = [i for i in ids if T0 + timedelta(seconds=1199 - 300) <= _time(i)]
    assert len(window) > KEEP_RECENT
    assert set(cursor.seen) == set(window)
    assert cursor.seen == sorted(cursor.seen, key=id_key, reverse=True)
    short = TimelineCursor()
    short.remember(ids, timedelta(0))
    assert short.seen == sorted(ids, key=id_key, reverse=True)[:KEEP_RECENT]


def test_remembering_an_older_id_keeps_the_newest_and_is_bounded() -> None:
    cursor = TimelineCursor("500", ["500"])
    cursor.remember(["400"], timedelta(0))
    assert cursor.newest_id == "500"
    assert cursor.seen == ["500", "400"]
    many = [snowflake(T0 + timedelta(milliseconds=n), 0) for n in range(SEEN_MAX + 50)]
    big = TimelineCursor()
    big.remember(many, timedelta(minutes=5))
    assert len(big.seen) == SEEN_MAX
    assert big.seen[0] == many[-1]


def _time(status_id: str) -> datetime:
    ms = snowflake_ms(status_id)
    assert ms is not None
    return datetime.fromtimestamp(ms / 1000, UTC)
