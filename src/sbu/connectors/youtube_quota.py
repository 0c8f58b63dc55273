"""The YouTube Data API's quota: what each request costs, and how much of the day a source used.

Google gives each Cloud project a number of **units per day** (10,000 by default) and charges
every request against the project of the API key, failed and invalid requests included: a list
request costs 1 unit whatever the page size, a search 100, a comment posted 50. The count resets
at **midnight Pacific time** (America/Los_Angeles, so 08:00 UTC in winter and 07:00 UTC in
summer).

:class:`QuotaMeter` counts the units a source spends, per Pacific day, in the source's cursor
(``{"quota_day": "2026-11-28", "units": 412}``), so the count survives restarts and is saved in
the same transaction as the mentions. Before each request the connector asks the meter whether
the request fits: it must leave 5 % of the day's quota unused (a reserve for replies and for
people trying things in the Google console), and stay within the source's budget per poll.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sbu.connectors.api_client import duration
from sbu.connectors.base import Usage

#: Units per request of the methods sbu calls (YouTube Data API v3, "Quota costs").
COSTS: Mapping[str, int] = {
    "channels.list": 1,
    "playlistItems.list": 1,
    "videos.list": 1,
    "commentThreads.list": 1,
    "comments.list": 1,
    "search.list": 100,
    "comments.insert": 50,
    "commentThreads.insert": 50,
}
#: Google's default quota of a new project, in units per day.
DEFAULT_DAILY_QUOTA = 10_000
#: The share of the day's quota sbu lets a source use; the rest stays in reserve.
USABLE_SHARE = 0.95
UNIT = "units per day"
PACIFIC_ZONE = "America/Los_Angeles"


class QuotaStop(Exception):
    """Raised before a request that does not fit: the fetch stops and says why in a note.

    Never leaves the connector (it is not an sbu error)."""

    def __init__(self, note: str, *, day_used: bool) -> None:
        super().__init__(note)
        self.note = note
        self.day_used = day_used


@dataclass(slots=True)
class QuotaMeter:
    """Units spent by one source on one Pacific day, and by the current poll."""

    day: date
    units: int
    daily_quota: int
    poll_budget: int
    resets_at: datetime
    spent_this_poll: int = 0

    @classmethod
    def from_cursor(
        cls, cursor: Mapping[str, Any] | None, *, now: datetime, daily_quota: int, poll_budget: int
    ) -> QuotaMeter:
        """The count saved in the cursor when it is of today (Pacific time), else zero."""
        today = pacific_day(now)
        saved = cursor or {}
        units = saved.get("units")
        valid = isinstance(units, int) and not isinstance(units, bool) and units >= 0
        same_day = saved.get("quota_day") == today.isoformat()
        return cls(
            day=today,
            units=units if same_day and valid and isinstance(units, int) else 0,
            daily_quota=daily_quota,
            poll_budget=poll_budget,
            resets_at=next_reset(now),
        )

    @property
    def cap(self) -> int:
        """The most units sbu lets the source spend today."""
        return int(self.daily_quota * USABLE_SHARE)

    def fits_today(self, cost: int) -> bool:
        return self.units + cost <= self.cap

    def affordable(self, cost: int) -> bool:
        """Whether ``cost`` more units fit both today's share and this poll's budget."""
        return self.fits_today(cost) and self.spent_this_poll + cost <= self.poll_budget

    def check(self, method: str) -> None:
        """Raise :class:`QuotaStop` when a request to ``method`` would not fit."""
        cost = COSTS[method]
        if not self.fits_today(cost):
            raise QuotaStop(self.day_note(), day_used=True)
        if self.spent_this_poll + cost > self.poll_budget:
            note = (
                f"sbu stopped after {self.spent_this_poll:,} YouTube quota units, the most one "
                f"poll of this source may spend (max_units_per_poll = {self.poll_budget:,}): the "
                "next poll goes on from there; raise max_units_per_poll if polls often stop here."
            )
            raise QuotaStop(note, day_used=False)

    def spend(self, method: str, requests: int = 1) -> None:
        """Count ``requests`` sent to ``method`` (each retry is charged by YouTube too)."""
        units = COSTS[method] * max(requests, 0)
        self.units += units
        self.spent_this_poll += units

    def day_note(self) -> str:
        return (
            f"sbu stopped before the YouTube quota of the day: {self.units:,} of "
            f"{self.daily_quota:,} units are used and sbu keeps {1 - USABLE_SHARE:.0%} in "
            f"reserve; it goes on after midnight Pacific time ({_utc(self.resets_at)})."
        )

    def day_used_message(self, owner: str, now: datetime) -> str:
        return (
            f"The YouTube quota of {owner} for today is used ({self.units:,} of "
            f"{self.daily_quota:,} units; sbu keeps {1 - USABLE_SHARE:.0%} in reserve): sbu polls "
            f"it again after midnight Pacific time, in {duration(self.seconds_to_reset(now))} "
            f"({_utc(self.resets_at)}); raise daily_quota if the Google Cloud project has more."
        )

    def seconds_to_reset(self, now: datetime) -> float:
        return max((self.resets_at - now).total_seconds(), 0.0)

    def as_cursor(self) -> dict[str, Any]:
        return {"quota_day": self.day.isoformat(), "units": self.units}

    def usage(self) -> Usage:
        return Usage(
            quota_used=float(self.units),
            quota_limit=float(self.daily_quota),
            unit=UNIT,
            resets_at=self.resets_at,
        )


def pacific_day(now: datetime) -> date:
    """The date in the Pacific time zone at the instant ``now`` (an aware datetime)."""
    instant = now.astimezone(UTC)
    return (instant + pacific_offset(instant)).date()


def next_reset(now: datetime) -> datetime:
    """The next midnight in the Pacific time zone after ``now``, in UTC."""
    tomorrow = pacific_day(now) + timedelta(days=1)
    midnight = datetime.combine(tomorrow, time(0), tzinfo=UTC)
    # Clocks change at 02:00 local time, so at local midnight the offset is that of 8 hours
    # after midnight UTC of the same date (before the change of the day, if any).
    offset = pacific_offset(midnight + timedelta(hours=8))
    return midnight - offset


def pacific_offset(instant: datetime) -> timedelta:
    """The UTC offset of Pacific time at ``instant``: from the system's time zone database,
    or from the United States' rules when the system has none (slim containers)."""
    try:
        zone = ZoneInfo(PACIFIC_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return us_pacific_offset(instant)
    offset = instant.astimezone(zone).utcoffset()
    return offset if offset is not None else us_pacific_offset(instant)


def us_pacific_offset(instant: datetime) -> timedelta:
    """Pacific time by the rules in force since 2007: daylight time (UTC-7) from the second
    Sunday of March, 02:00 PST, to the first Sunday of November, 02:00 PDT; else UTC-8."""
    instant = instant.astimezone(UTC)
    year = instant.year
    starts = datetime.combine(_sunday(year, 3, 2), time(10), tzinfo=UTC)  # 02:00 PST
    ends = datetime.combine(_sunday(year, 11, 1), time(9), tzinfo=UTC)  # 02:00 PDT
    return timedelta(hours=-7) if starts <= instant < ends else timedelta(hours=-8)


def _sunday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    first_sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + timedelta(weeks=nth - 1)


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
