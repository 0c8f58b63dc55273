"""The cursor of owned-channel sources: per-post marks, the first-poll window, posts that join
later, and what is saved."""

from __future__ import annotations

from datetime import timedelta

from sbu.connectors.owned_cursor import LOOKBACK, OVERLAP, REJOIN_MARGIN, OwnedCursor, PostMark
from tests.conftest import NOW


def test_a_new_source_starts_one_day_back() -> None:
    cursor = OwnedCursor.read(None, "104729381726354")
    mark = cursor.mark("p1", NOW)
    assert mark.known is False
    assert mark.newest == NOW - LOOKBACK
    assert mark.is_new("c1", NOW - timedelta(hours=23))
    assert not mark.is_new("c0", NOW - timedelta(days=2))
    assert mark.is_past(NOW - timedelta(days=2))


def test_a_mark_judges_against_where_the_poll_started() -> None:
    mark = PostMark(newest=NOW - timedelta(hours=1))
    mark.take("c3", NOW - timedelta(minutes=1))
    # Taking the newest comment first does not hide the older new ones of the same poll.
    assert mark.is_new("c2", NOW - timedelta(minutes=30))
    assert not mark.is_new("c3", NOW - timedelta(minutes=1))
    assert mark.newest == NOW - timedelta(minutes=1)


def test_comments_near_the_newest_are_told_apart_by_id() -> None:
    mark = PostMark(newest=NOW, recent={"c1": NOW.timestamp()})
    assert not mark.is_new("c1", NOW)
    assert mark.is_new("c2", NOW)  # same second, another comment
    assert mark.is_new("c3", NOW - OVERLAP + timedelta(seconds=1))  # listed late
    assert not mark.is_new("c4", NOW - OVERLAP)
    mark.refuse("c5")
    mark.refuse("c5")
    assert mark.bad == ["c5"]
    assert not mark.is_new("c5", NOW + timedelta(minutes=1))


def test_the_cursor_round_trips_and_keeps_only_the_watched_posts() -> None:
    cursor = OwnedCursor.read(None, "page")
    one = cursor.mark("p1", NOW)
    one.take("old", NOW - timedelta(hours=2))
    one.take("new", NOW - timedelta(minutes=2))
    one.counts["c9"] = 2
    cursor.mark("p2", NOW)
    saved = cursor.dump(["p1"], NOW)

    assert saved["account"] == "page"
    assert saved["polled_at"] == NOW.isoformat()
    assert list(saved["posts"]) == ["p1"]
    assert saved["posts"]["p1"]["recent"] == {"new": (NOW - timedelta(minutes=2)).timestamp()}
    assert saved["posts"]["p1"]["counts"] == {"c9": 2}

    again = OwnedCursor.read(saved, "page").mark("p1", NOW)
    assert again.known is True
    assert again.newest == NOW - timedelta(minutes=2)
    assert again.counts == {"c9": 2}
    assert not again.is_new("new", NOW - timedelta(minutes=2))
    assert not again.is_new("old", NOW - timedelta(hours=2))


def test_a_post_that_joins_later_starts_an_hour_before_the_last_poll() -> None:
    saved = OwnedCursor.read(None, "page").dump([], NOW)
    later = NOW + timedelta(hours=5)
    mark = OwnedCursor.read(saved, "page").mark("new-post", later)
    assert mark.known is False
    assert mark.newest == NOW - REJOIN_MARGIN


def test_another_account_or_a_broken_cursor_starts_afresh() -> None:
    saved = {"account": "page", "polled_at": "not a date", "posts": {"p1": "broken"}}
    other = OwnedCursor.read(saved, "other-page")
    assert (other.polled_at, other.marks) == (None, {})
    same = OwnedCursor.read(saved, "page")
    assert same.polled_at is None
    mark = same.mark("p1", NOW)
    assert mark.known is False
    assert mark.newest == NOW - LOOKBACK
