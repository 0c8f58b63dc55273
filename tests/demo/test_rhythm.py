"""The daily and weekly rhythm and the random draws of the planner."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from sbu.demo.rhythm import Profile, factor, poisson, weighted, zipf_index

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # midnight UTC, 01:00 in Paris


@pytest.mark.parametrize("profile", list(Profile))
def test_each_profile_averages_one_over_a_week(profile: Profile) -> None:
    hours = [MONDAY + timedelta(hours=h) for h in range(7 * 24)]
    assert sum(factor(profile, h) for h in hours) / len(hours) == pytest.approx(1.0, abs=0.02)


def test_nights_are_quiet_and_evenings_busy_in_paris_time() -> None:
    night = MONDAY + timedelta(hours=2)  # 03:00 Paris
    lunch = MONDAY + timedelta(hours=11)  # 12:00
    evening = MONDAY + timedelta(hours=19)  # 20:00
    assert factor(Profile.PUBLIC, night) < 0.2 < 1.2 < factor(Profile.PUBLIC, lunch)
    assert factor(Profile.PUBLIC, evening) > factor(Profile.PUBLIC, lunch)


def test_business_talk_follows_office_hours_and_weekends_differ() -> None:
    tuesday_10 = MONDAY + timedelta(days=1, hours=9)
    saturday_10 = MONDAY + timedelta(days=5, hours=9)
    assert factor(Profile.BUSINESS, tuesday_10) > 5 * factor(Profile.BUSINESS, saturday_10)
    saturday_8 = MONDAY + timedelta(days=5, hours=7)
    tuesday_8 = MONDAY + timedelta(days=1, hours=7)
    assert factor(Profile.PUBLIC, saturday_8) < factor(Profile.PUBLIC, tuesday_8)


def test_incident_profile_is_flatter_than_the_public_one() -> None:
    night = MONDAY + timedelta(hours=2)
    assert factor(Profile.INCIDENT, night) > 2 * factor(Profile.PUBLIC, night)


@pytest.mark.parametrize("mean", [0.05, 0.8, 7.0, 60.0])
def test_poisson_draws_have_the_requested_mean(mean: float) -> None:
    rng = random.Random(3)
    draws = [poisson(rng, mean) for _ in range(4000)]
    assert sum(draws) / len(draws) == pytest.approx(mean, rel=0.1)
    assert poisson(rng, 0.0) == 0


def test_zipf_indices_favour_the_first_authors() -> None:
    rng = random.Random(5)
    draws = [zipf_index(rng, 1000) for _ in range(10_000)]
    top_ten = sum(1 for d in draws if d < 10)
    assert top_ten > 0.1 * len(draws)
    assert all(0 <= d < 1000 for d in draws)


def test_weighted_choice_respects_weights() -> None:
    rng = random.Random(9)
    picks = [weighted(rng, (("a", 0.9), ("b", 0.1))) for _ in range(2000)]
    assert 0.85 < picks.count("a") / len(picks) < 0.95
