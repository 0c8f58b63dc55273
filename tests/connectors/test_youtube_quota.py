"""The YouTube quota meter: costs, the Pacific day and its midnight (with and without the
system's time zone database), the count kept in the cursor, the stops before a request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from sbu.connectors.base import Usage
from sbu.connectors.youtube_quota import (
    COSTS,
    QuotaMeter,
    QuotaStop,
    next_reset,
    pacific_day,
    us_pacific_offset,
)

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # 01:00 PST


def meter(units: int = 0, *, quota: int = 10_000, budget: int = 300) -> QuotaMeter:
    return QuotaMeter.from_cursor(
        {"quota_day": "2026-11-28", "units": units}, now=NOW, daily_quota=quota, poll_budget=budget
    )


def test_costs_are_youtubes() -> None:
    assert COSTS["search.list"] == 100
    assert COSTS["comments.insert"] == 50
    for method in ("channels", "playlistItems", "videos", "commentThreads", "comments"):
        assert COSTS[f"{method}.list"] == 1


@pytest.mark.parametrize(
    ("now", "day", "reset"),
    [
        # winter (PST, UTC-8): the Pacific date changes at 08:00 UTC
        (
            datetime(2026, 11, 28, 7, 59, tzinfo=UTC),
            date(2026, 11, 27),
            datetime(2026, 11, 28, 8, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 28, 8, 0, tzinfo=UTC),
            date(2026, 11, 28),
            datetime(2026, 11, 29, 8, tzinfo=UTC),
        ),
        # summer (PDT, UTC-7): at 07:00 UTC
        (
            datetime(2026, 7, 1, 6, 59, tzinfo=UTC),
            date(2026, 6, 30),
            datetime(2026, 7, 1, 7, tzinfo=UTC),
        ),
        (
            datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
            date(2026, 7, 1),
            datetime(2026, 7, 2, 7, tzinfo=UTC),
        ),
        # the night clocks go forward (Sunday 8 March 2026): midnight of the 8th is still PST
        (
            datetime(2026, 3, 7, 20, 0, tzinfo=UTC),
            date(2026, 3, 7),
            datetime(2026, 3, 8, 8, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 8, 12, 0, tzinfo=UTC),
            date(2026, 3, 8),
            datetime(2026, 3, 9, 7, tzinfo=UTC),
        ),
        # the night clocks go back (Sunday 1 November 2026): midnight of the 1st is still PDT
        (
            datetime(2026, 10, 31, 20, 0, tzinfo=UTC),
            date(2026, 10, 31),
            datetime(2026, 11, 1, 7, tzinfo=UTC),
        ),
        (
            datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
            date(2026, 11, 1),
            datetime(2026, 11, 2, 8, tzinfo=UTC),
        ),
    ],
)
def test_the_pacific_day_and_its_midnight(now: datetime, day: date, reset: datetime) -> None:
    assert pacific_day(now) == day
    assert next_reset(now) == reset


def test_an_aware_time_in_another_zone_gives_the_same_day() -> None:
    paris = NOW.astimezone(timezone(timedelta(hours=1)))
    assert paris.date() == date(2026, 11, 28)
    assert pacific_day(paris.replace(hour=1)) == date(2026, 11, 27)  # 00:00 UTC, 16:00 PST


def test_the_us_rules_match_the_time_zone_database_hour_by_hour() -> None:
    try:
        zone = ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:
        pytest.skip("this system has no time zone database to compare with")
    instant = datetime(2025, 1, 1, tzinfo=UTC)
    end = datetime(2029, 1, 1, tzinfo=UTC)
    while instant < end:
        assert us_pacific_offset(instant) == instant.astimezone(zone).utcoffset(), instant
        instant += timedelta(hours=1)


def test_the_count_of_the_same_pacific_day_is_kept() -> None:
    assert meter(412).units == 412


@pytest.mark.parametrize(
    "cursor",
    [
        None,
        {},
        {"quota_day": "2026-11-27", "units": 9_000},  # yesterday in Los Angeles
        {"quota_day": "2026-11-28", "units": "9000"},
        {"quota_day": "2026-11-28", "units": -4},
        {"quota_day": "2026-11-28", "units": True},
    ],
)
def test_another_day_or_a_broken_count_starts_from_zero(cursor: dict[str, object] | None) -> None:
    fresh = QuotaMeter.from_cursor(cursor, now=NOW, daily_quota=10_000, poll_budget=300)
    assert fresh.units == 0
    assert fresh.as_cursor() == {"quota_day": "2026-11-28", "units": 0}


def test_requests_may_use_95_percent_of_the_day() -> None:
    quota = meter(9_499)
    assert quota.cap == 9_500
    quota.check("videos.list")
    quota.spend("videos.list")
    with pytest.raises(QuotaStop) as caught:
        quota.check("videos.list")
    assert caught.value.day_used is True
    assert caught.value.note == (
        "sbu stopped before the YouTube quota of the day: 9,500 of 10,000 units are used and sbu "
        "keeps 5% in reserve; it goes on after midnight Pacific time (2026-11-29 08:00 UTC)."
    )


def test_the_poll_budget_stops_a_poll_but_not_the_day() -> None:
    quota = meter(0, budget=250)
    quota.spend("search.list", 2)
    assert quota.spent_this_poll == 200
    assert quota.affordable(50) is True
    assert quota.affordable(51) is False
    with pytest.raises(QuotaStop) as caught:
        quota.check("search.list")
    assert caught.value.day_used is False
    assert "max_units_per_poll = 250" in caught.value.note
    quota.check("videos.list")  # 1 unit still fits


def test_spent_units_go_to_the_cursor_and_the_usage() -> None:
    quota = meter(10)
    quota.spend("search.list")
    quota.spend("videos.list", 3)
    assert quota.as_cursor() == {"quota_day": "2026-11-28", "units": 113}
    assert quota.usage() == Usage(
        quota_used=113.0,
        quota_limit=10_000.0,
        unit="units per day",
        resets_at=datetime(2026, 11, 29, 8, tzinfo=UTC),
    )
    assert quota.seconds_to_reset(NOW) == 23 * 3600
    assert quota.seconds_to_reset(NOW + timedelta(days=2)) == 0.0


def test_the_day_used_message_names_the_source_and_the_wait() -> None:
    message = meter(9_500).day_used_message(
        "the source 'YouTube'", NOW + timedelta(hours=22, minutes=30)
    )
    assert message == (
        "The YouTube quota of the source 'YouTube' for today is used (9,500 of 10,000 units; sbu "
        "keeps 5% in reserve): sbu polls it again after midnight Pacific time, in 30 min "
        "(2026-11-29 08:00 UTC); raise daily_quota if the Google Cloud project has more."
    )


def test_without_a_time_zone_database_the_us_rules_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(key: str) -> ZoneInfo:
        raise ZoneInfoNotFoundError(key)

    monkeypatch.setattr("sbu.connectors.youtube_quota.ZoneInfo", missing)
    assert next_reset(NOW) == datetime(2026, 11, 29, 8, tzinfo=UTC)
    assert next_reset(datetime(2026, 7, 1, 12, tzinfo=UTC)) == datetime(2026, 7, 2, 7, tzinfo=UTC)
