"""The cost meter and budget guard of an X source, and the month arithmetic they need.

X bills reads by the post (pay-per-use). The cursor counts the posts read in the current
calendar month (UTC) ``{"month": "2026-11", "posts": n}``; cost is posts × ``price_per_post``.
Before each request the guard checks that the worst case of the next page (its size × the
price) still fits in ``monthly_budget`` (a smaller page is asked when only part of one fits);
when none fits, it raises :class:`BudgetReached` (a :class:`~sbu.core.errors.RateLimited`)
until the 1st of next month 00:00 UTC. Streamed posts are counted as they arrive, and the
stream is stopped when the budget is used. Every result reports the meter as
:class:`~sbu.connectors.base.Usage`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sbu.connectors.base import Usage
from sbu.connectors.x_cursor import XCursor
from sbu.connectors.x_source import MIN_RESULTS, XSourceConfig, price_text, usd
from sbu.core.errors import RateLimited


class BudgetReached(RateLimited):
    """The source's monthly budget is used: nothing is read until next month."""


@dataclass(slots=True)
class CostMeter:
    """Posts read this month and what they cost, against the source's monthly budget."""

    price: float
    budget: float
    allowed: int
    month: str
    posts: int

    @classmethod
    def of(cls, source: XSourceConfig, cursor: XCursor, now: datetime) -> CostMeter:
        month = month_key(now)
        posts = cursor.posts if cursor.month == month else 0
        return cls(
            source.price_per_post, source.monthly_budget, source.allowed_posts(), month, posts
        )

    @property
    def room(self) -> int:
        """Posts that can still be read this month."""
        return max(self.allowed - self.posts, 0)

    def roll(self, now: datetime) -> None:
        """Start counting again when ``now`` is in another month."""
        if month_key(now) != self.month:
            self.month, self.posts = month_key(now), 0

    def page_size(self, wanted: int) -> int:
        """The page size to ask for: ``wanted``, or what still fits in the budget; 0 when not
        even X's smallest page fits."""
        size = min(wanted, self.room)
        return size if size >= MIN_RESULTS else 0

    def count(self, posts: int) -> None:
        self.posts += posts

    def save(self, cursor: XCursor) -> None:
        cursor.month, cursor.posts = self.month, self.posts

    def usage(self) -> Usage:
        return Usage(
            quota_used=self.posts,
            quota_limit=self.allowed,
            unit="posts read this month",
            resets_at=next_month(self.month),
            cost=round(self.posts * self.price, 4),
            budget=self.budget,
            currency="USD",
        )

    def reached(self, now: datetime, *, page: int | None = None) -> BudgetReached:
        resets = next_month(self.month)
        if page is None:
            why = "the filtered stream was stopped"
        else:
            why = (
                f"the next page of up to {page} posts could cost {usd(page * self.price)} USD more"
            )
        msg = (
            f"X budget of {usd(self.budget)} USD for {self.month} reached: {self.posts:,} "
            f"posts read at {price_text(self.price)} USD each ({usd(self.posts * self.price)} "
            f"USD), and {why}. sbu reads nothing more for this source until "
            f"{resets:%Y-%m-%d} 00:00 UTC; raise monthly_budget to read more this month."
        )
        return BudgetReached(msg, retry_after=max((resets - now).total_seconds(), 1.0))


def month_key(now: datetime) -> str:
    when = now.astimezone(UTC)
    return f"{when.year:04d}-{when.month:02d}"


def next_month(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
