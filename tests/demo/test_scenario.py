"""Scenario parameters and the expected volume per slot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sbu.demo.kinds import KINDS
from sbu.demo.scenario import SLOT, Rates, Scenario, day_start, expected_children, moment
from sbu.demo.storylines import OUTAGE, STORYLINES

START = datetime(2026, 10, 29, tzinfo=UTC)


def test_slots_are_five_minutes_from_the_start() -> None:
    scenario = Scenario(seed=1, start=START, days=30, posts=1000)
    assert scenario.slot_of(START + timedelta(minutes=14)) == 2
    assert scenario.slot_start(2) == START + 2 * SLOT
    assert scenario.history_end == START + timedelta(days=30)
    assert day_start(START + timedelta(hours=23, minutes=59)) == START


def test_storyline_moments_are_paris_time_on_their_day() -> None:
    scenario = Scenario(seed=1, start=START, days=30, posts=1000)
    # Day 12 is 10 November 2026 (winter time, UTC+1): 07:40 in Paris is 06:40 UTC.
    assert moment(scenario, OUTAGE) == datetime(2026, 11, 10, 6, 40, tzinfo=UTC)
    assert moment(scenario, STORYLINES["brand"]) is None


def test_the_expected_volume_over_the_history_is_the_requested_number() -> None:
    scenario = Scenario(seed=1, start=START, days=30, posts=30_000)
    rates = Rates(scenario)
    total = 0.0
    for slot in range(30 * 24 * 12):
        at = scenario.slot_start(slot)
        total += sum(rates.roots(key, at) * rates.fanout[key] for key in STORYLINES)
    assert total == pytest.approx(30_000, rel=0.02)


def test_live_mode_has_its_own_steady_rate() -> None:
    live_since = START + timedelta(days=30)
    scenario = Scenario(seed=1, start=START, days=30, posts=2000, live_since=live_since,
                        live_per_minute=12.0)  # fmt: skip
    rates = Rates(scenario)
    at = live_since + timedelta(hours=3)
    per_slot = sum(rates.roots(key, at) for key in STORYLINES)
    assert per_slot == pytest.approx(12.0 * 5)
    assert rates.roots("outage", at) == 0


def test_conversations_are_counted_in_the_fanout() -> None:
    assert expected_children(KINDS["outage.complaint"]) > expected_children(KINDS["brand.mention"])
    assert expected_children(KINDS["noise.spam"]) >= 5
    assert expected_children(KINDS["outage.news"]) < 1
