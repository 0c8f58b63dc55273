"""The planner: deterministic, the right volume and rhythm, storylines where they belong,
threads that make sense."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import timedelta

import pytest

from sbu.demo.plan import Event, Planner
from sbu.demo.rhythm import PARIS
from sbu.demo.scenario import THREAD_SPAN, Scenario
from tests.demo.conftest import SMALL, START

DAYS = timedelta(days=30)


def _signature(events: list[Event]) -> list[tuple[str, str, str, str, str]]:
    return [(e.key, e.at.isoformat(), e.platform, e.kind, e.author.handle) for e in events]


def test_the_same_scenario_plans_the_same_posts() -> None:
    first = Planner(SMALL).events(START, START + timedelta(days=3))
    again = Planner(SMALL).events(START, START + timedelta(days=3))
    assert _signature(first) == _signature(again)
    other = Planner(Scenario(seed=7, start=START, days=30, posts=2000))
    assert _signature(other.events(START, START + timedelta(days=3))) != _signature(first)


def test_a_window_is_the_union_of_its_parts() -> None:
    planner = Planner(SMALL)
    middle = START + timedelta(days=12, hours=7, minutes=3)
    whole = planner.events(START + timedelta(days=11), START + timedelta(days=14))
    parts = planner.events(START + timedelta(days=11), middle) + planner.events(
        middle, START + timedelta(days=14)
    )
    assert _signature(whole) == _signature(parts)


def test_platform_filter_keeps_only_that_platform(small_events: list[Event]) -> None:
    reddit = Planner(SMALL).events(START, START + timedelta(days=30), "reddit")
    assert reddit
    assert {e.platform for e in reddit} == {"reddit"}
    assert len(reddit) == sum(1 for e in small_events if e.platform == "reddit")


@pytest.mark.parametrize("posts", [2000, 20_000])
def test_the_history_has_about_the_requested_number_of_posts(posts: int) -> None:
    planner = Planner(Scenario(seed=42, start=START, days=30, posts=posts))
    count = len(planner.events(START, START + DAYS))
    assert posts * 0.88 < count < posts * 1.12


def test_every_platform_and_language_is_represented(small_events: list[Event]) -> None:
    platforms = Counter(e.platform for e in small_events)
    assert set(platforms) == {"mastodon", "bluesky", "reddit", "rss", "youtube"}
    languages = Counter(e.lang for e in small_events)
    assert 0.8 < languages["fr"] / len(small_events) < 0.97


@pytest.fixture(scope="module")
def large_events() -> list[Event]:
    return Planner(Scenario(seed=42, start=START, days=30, posts=20_000)).events(
        START, START + DAYS
    )


def test_posts_follow_a_daily_rhythm(large_events: list[Event]) -> None:
    hours = Counter(e.at.astimezone(PARIS).hour for e in large_events)
    night = sum(hours[h] for h in (2, 3, 4))
    evening = sum(hours[h] for h in (19, 20, 21))
    lunch = sum(hours[h] for h in (12, 13))
    assert night * 4 < evening
    assert lunch > sum(hours[h] for h in (15, 16))


def test_the_outage_is_a_negative_spike_in_hourly_counts(large_events: list[Event]) -> None:
    hourly = Counter(int((e.at - START).total_seconds() // 3600) for e in large_events)
    outage = [e for e in large_events if e.storyline == "outage"]
    first = min(e.at for e in outage if e.parent is None)
    start_hour = int((first - START).total_seconds() // 3600)
    typical = statistics.median(hourly[h] for h in range(30 * 24))
    peak = max(hourly[h] for h in range(start_hour, start_hour + 8))
    assert peak > 4 * typical
    during = [e for e in large_events if first <= e.at < first + timedelta(hours=24)]
    share = sum(e.spec.sentiment == "negative" for e in during) / len(during)
    quiet = [e for e in large_events if (e.at - START).days == 2]
    quiet_share = sum(e.spec.sentiment == "negative" for e in quiet) / len(quiet)
    assert share > 0.5 > 0.3 > quiet_share


@pytest.mark.parametrize(
    ("storyline", "day"),
    [("pricecut", 7), ("outage", 12), ("partner_streaming", 15), ("launch", 18), ("supplier", 21)],
)
def test_event_storylines_start_on_their_day(
    large_events: list[Event], storyline: str, day: int
) -> None:
    days = Counter((e.at - START).days for e in large_events if e.storyline == storyline)
    assert days, storyline
    busiest = max(days, key=lambda d: days[d])
    assert day <= busiest <= day + (4 if storyline == "supplier" else 1)
    # Nothing before the storyline's moment, except the launch's rumours two days before.
    assert min(days) >= day - (2 if storyline == "launch" else 0)


def test_everyday_storylines_run_every_day(large_events: list[Event]) -> None:
    for storyline in ("brand", "competitors", "noise", "jobs", "b2b", "partner_club"):
        days = {(e.at - START).days for e in large_events if e.storyline == storyline}
        assert len(days) >= 28, storyline


def test_replies_follow_their_parent_within_the_thread_span(small_events: list[Event]) -> None:
    replies = [e for e in small_events if e.parent is not None]
    assert len(replies) > 200
    for reply in replies:
        assert reply.at > reply.parent.at  # type: ignore[union-attr]
        assert reply.at < reply.thread_root.at + THREAD_SPAN
        assert reply.platform == reply.parent.platform  # type: ignore[union-attr]
        assert reply.storyline == reply.thread_root.storyline


def test_the_brand_answers_some_complaints_and_customers_answer_back(
    large_events: list[Event],
) -> None:
    care = [e for e in large_events if e.kind == "reply.care"]
    assert care
    assert all(e.author.org == "ondine" for e in care)
    followups = [
        e
        for e in large_events
        if e.kind.startswith("reply.followup")
        and e.parent is not None
        and e.parent.kind == "reply.care"
    ]
    assert len(followups) > 0.2 * len(care)
    assert all(f.author == f.thread_root.author for f in followups)


def test_copies_and_reposts_come_after_their_original(large_events: list[Event]) -> None:
    copies = [e for e in large_events if e.copy_of is not None]
    kinds = Counter(e.copy_kind for e in copies)
    assert kinds["repost"]
    assert kinds["exact"]
    assert kinds["edited"]
    for copy in copies:
        assert copy.copy_of is not None
        assert copy.at > copy.copy_of.at
        assert copy.kind == copy.copy_of.kind
        if copy.copy_kind == "repost":
            assert copy.platform == copy.copy_of.platform == "mastodon"


def test_youtube_comments_are_under_earlier_videos(large_events: list[Event]) -> None:
    comments = [e for e in large_events if e.platform == "youtube" and e.video is not None]
    videos = [
        e for e in large_events if e.platform == "youtube" and e.video is None and e.parent is None
    ]
    assert comments
    assert videos
    for comment in comments:
        assert comment.video is not None
        assert comment.video.at < comment.at <= comment.video.at + timedelta(hours=78)
    same = sum(c.video.storyline == c.storyline for c in comments if c.parent is None)  # type: ignore[union-attr]
    assert same > 0.5 * sum(1 for c in comments if c.parent is None)


def test_live_mode_brings_posts_at_the_live_rate() -> None:
    live_since = START + DAYS
    scenario = Scenario(seed=42, start=START, days=30, posts=2000, live_since=live_since,
                        live_per_minute=10.0)  # fmt: skip
    planner = Planner(scenario)
    hour = planner.events(live_since + timedelta(hours=7), live_since + timedelta(hours=8))
    assert 10 * 60 < len(hour) < 10 * 60 * 3  # new conversations, and replies on top
    quiet = planner.events(START + timedelta(days=29, hours=2), START + timedelta(days=29, hours=3))
    assert len(quiet) < 20
