"""Storylines: shares, curves around their moment, phases, scaled days."""

from __future__ import annotations

import pytest

from sbu.demo.kinds import KINDS
from sbu.demo.storylines import (
    DAILY_VIDEOS,
    OUTAGE,
    STORYLINES,
    SUPPLIER,
    everyday,
    launch_curve,
    scaled_day,
)


def test_shares_add_up_to_the_whole_history() -> None:
    assert sum(s.share for s in STORYLINES.values()) == pytest.approx(1.0)


def test_every_phase_and_video_names_a_known_kind() -> None:
    for storyline in STORYLINES.values():
        for phase in storyline.phases:
            assert {k for k, _ in phase.kinds} <= set(KINDS)
        assert {k for _, k in storyline.videos} <= set(KINDS)
    assert {k for k, _ in DAILY_VIDEOS} <= set(KINDS)


@pytest.mark.parametrize("key", [k for k, s in STORYLINES.items() if s.day is not None])
def test_event_storylines_peak_after_their_moment(key: str) -> None:
    storyline = STORYLINES[key]
    assert storyline.curve(3) > storyline.curve(-100)
    assert storyline.curve(3) > storyline.curve(24 * 9)


def test_the_outage_is_silent_before_loud_for_thirty_hours_then_over() -> None:
    assert OUTAGE.curve(-1) == 0
    assert OUTAGE.curve(1) > 0.8
    assert OUTAGE.curve(29) > 0.4
    assert OUTAGE.curve(40) < 0.2
    assert OUTAGE.curve(60) == 0
    assert OUTAGE.phase(2).kinds[0][0] == "outage.complaint"
    assert OUTAGE.phase(35).kinds[0][0] == "outage.thanks"


def test_the_launch_has_rumours_before_and_a_tail_after() -> None:
    assert launch_curve(-24) > 0 == launch_curve(-72)
    assert launch_curve(0) > launch_curve(48) > launch_curve(24 * 20) > 0


def test_supplier_delays_last_five_days() -> None:
    assert SUPPLIER.curve(60) == 1.0
    assert SUPPLIER.curve(200) == 0


def test_everyday_storylines_are_flat_and_live() -> None:
    assert everyday(-1e6) == everyday(1e6) == 1.0
    assert sum(s.live for s in STORYLINES.values()) > 0
    assert STORYLINES["outage"].live == 0


@pytest.mark.parametrize(("days", "expected"), [(30, 12), (60, 24), (10, 4), (1, 0)])
def test_storyline_days_scale_with_the_scenario(days: int, expected: int) -> None:
    assert scaled_day(12, days) == expected
