"""The daily and weekly rhythm of posting, and the random draws the planner needs.

People post in Paris time: little at night, a rise with the morning commute, a lunch peak and
the highest peak in the evening; weekends start later and are flatter. Business talk (quotes,
job offers, press) follows office hours on weekdays. Each profile is normalised so that its
average over a week is 1: multiplying a daily rate by it moves posts around the week without
changing their total.
"""

from __future__ import annotations

import math
import random
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


class Profile(StrEnum):
    PUBLIC = "public"  # the general public
    BUSINESS = "business"  # office hours, weekdays
    INCIDENT = "incident"  # people complain at night too when the network is down


_PUBLIC_WEEKDAY = (
    0.30, 0.18, 0.12, 0.10, 0.12, 0.22, 0.45, 0.95, 1.25, 1.15, 1.05, 1.15,
    1.55, 1.50, 1.10, 1.00, 1.05, 1.20, 1.45, 1.65, 1.75, 1.60, 1.15, 0.60,
)  # fmt: skip
_PUBLIC_WEEKEND = (
    0.50, 0.35, 0.22, 0.15, 0.12, 0.12, 0.18, 0.35, 0.70, 1.05, 1.25, 1.35,
    1.40, 1.30, 1.15, 1.10, 1.15, 1.25, 1.35, 1.55, 1.70, 1.60, 1.25, 0.80,
)  # fmt: skip
_BUSINESS_WEEKDAY = (
    0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.10, 0.60, 1.60, 1.90, 1.80, 1.60,
    0.90, 1.10, 1.70, 1.70, 1.50, 1.10, 0.50, 0.25, 0.15, 0.10, 0.05, 0.03,
)  # fmt: skip
_BUSINESS_WEEKEND = tuple(0.12 * v for v in _PUBLIC_WEEKEND)


def _normalised(
    weekday: tuple[float, ...], weekend: tuple[float, ...]
) -> tuple[tuple[float, ...], ...]:
    mean = (5 * sum(weekday) + 2 * sum(weekend)) / (7 * 24)
    days = [weekday] * 5 + [weekend] * 2
    return tuple(tuple(v / mean for v in day) for day in days)


def _flattened(table: tuple[tuple[float, ...], ...], power: float) -> tuple[tuple[float, ...], ...]:
    raised = tuple(tuple(v**power for v in day) for day in table)
    mean = sum(sum(day) for day in raised) / (7 * 24)
    return tuple(tuple(v / mean for v in day) for day in raised)


_PUBLIC = _normalised(_PUBLIC_WEEKDAY, _PUBLIC_WEEKEND)
_TABLES = {
    Profile.PUBLIC: _PUBLIC,
    Profile.BUSINESS: _normalised(_BUSINESS_WEEKDAY, _BUSINESS_WEEKEND),
    Profile.INCIDENT: _flattened(_PUBLIC, 0.35),
}


def factor(profile: Profile, at: datetime) -> float:
    """How busy ``at`` is for ``profile``, relative to the weekly average (which is 1)."""
    local = at.astimezone(PARIS)
    return _TABLES[profile][local.weekday()][local.hour]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count with the given mean."""
    if mean <= 0:
        return 0
    if mean > 40:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit = math.exp(-mean)
    count, product = 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def zipf_index(rng: random.Random, size: int, skew: float = 3.0) -> int:
    """An index in [0, size) where small indices are much more likely (long-tail authors)."""
    return min(size - 1, int(size * rng.random() ** skew))


def weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    """Pick a key from (key, weight) pairs."""
    total = sum(weight for _, weight in options)
    point = rng.random() * total
    for key, weight in options:
        point -= weight
        if point < 0:
            return key
    return options[-1][0]
