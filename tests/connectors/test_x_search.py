"""X's recent search polled page by page (first poll, since_id, next_token, rounds, rate
limits), against a real local HTTP server that answers like X's API v2."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sbu.connectors.x_search import SEARCH
from sbu.core.errors import RateLimited
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.helpers import NOW, Waits
from tests.connectors.x_tweets import (
    CONTEXT,
    QUERY,
    TOKEN,
    USER,
    config,
    connector,
    cursor,
    ids,
    page,
    tweet,
)


def test_the_first_poll_reads_the_newest_page_only_oldest_first(api: ApiServer) -> None:
    a, b, c = tweet(1), tweet(2), tweet(3)
    api.reply(SEARCH, Reply(json=page(a, b, c, next_token="older-posts")))
    result = connector(api).fetch(config(), None, CONTEXT)
    assert ids(result) == [a["id"], b["id"], c["id"]]
    assert result.more is False
    (request,) = api.requests_to(SEARCH)
    assert request.param("query") == QUERY
    assert request.param("max_results") == "100"
    assert request.param("since_id") is None
    assert request.param("next_token") is None  # no backfill of older pages
    assert request.param("expansions") == "author_id"
    assert request.param("user.fields") == "username,name,public_metrics"
    fields = (request.param("tweet.fields") or "").split(",")
    for name in ("created_at", "author_id", "lang", "conversation_id", "referenced_tweets"):
        assert name in fields
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert result.cursor == {"month": "2026-11", "posts": 3, "newest_id": c["id"], "query": QUERY}
    item = result.items[0]
    assert item.mapper == "x"
    assert item.payload == {"tweet": a, "author": USER}
    assert item.locator == f"post {a['id']} of the X recent search of 'X Ondine'"


def test_the_next_poll_asks_since_the_newest_post_and_follows_next_token(api: ApiServer) -> None:
    old, a, b, c, d = (tweet(n) for n in range(5))
    api.reply(SEARCH, Reply(json=page(c, d, next_token="p2")), Reply(json=page(a, b)))
    result = connector(api).fetch(config(), cursor(newest_id=old["id"], posts=10), CONTEXT)
    assert ids(result) == [a["id"], b["id"], c["id"], d["id"]]
    first, second = api.requests_to(SEARCH)
    assert (first.param("since_id"), first.param("next_token")) == (old["id"], None)
    assert (second.param("since_id"), second.param("next_token")) == (old["id"], "p2")
    assert result.cursor is not None
    assert result.cursor["newest_id"] == d["id"]  # the newest of the first page
    assert "next_token" not in result.cursor
    assert result.cursor["posts"] == 14
    assert result.more is False


def test_a_fetch_stops_after_its_pages_and_says_more_is_waiting(api: ApiServer) -> None:
    old, a, b, c = (tweet(n) for n in range(4))
    api.reply(
        SEARCH,
        Reply(json=page(c, next_token="p2")),
        Reply(json=page(b, next_token="p3")),
        Reply(json=page(a)),
    )
    x = connector(api, pages_per_fetch=2)
    first = x.fetch(config(), cursor(newest_id=old["id"]), CONTEXT)
    assert ids(first) == [b["id"], c["id"]]
    assert first.more is True
    assert first.cursor is not None
    assert first.cursor["next_token"] == "p3"
    assert first.cursor["round_since"] == old["id"]
    assert first.cursor["newest_id"] == old["id"]  # moves when the round is done
    second = x.fetch(config(), first.cursor, CONTEXT)
    assert ids(second) == [a["id"]]
    last = api.requests_to(SEARCH)[-1]
    assert (last.param("since_id"), last.param("next_token")) == (old["id"], "p3")
    assert second.more is False
    assert second.cursor is not None
    assert second.cursor["newest_id"] == c["id"]
    assert "next_token" not in second.cursor


def test_nothing_new_gives_nothing_and_keeps_the_cursor(api: ApiServer) -> None:
    old = tweet(0)
    api.reply(SEARCH, Reply(json={"meta": {"result_count": 0}}))
    result = connector(api).fetch(config(), cursor(newest_id=old["id"], posts=7), CONTEXT)
    assert result.items == []
    assert result.cursor == cursor(newest_id=old["id"], posts=7)
    assert result.notes == []


def test_a_changed_query_starts_a_new_round_and_says_what_x_cannot_do(api: ApiServer) -> None:
    old = tweet(0)
    api.reply(SEARCH, Reply(json=page(tweet(1))))
    state = cursor(newest_id=old["id"], next_token="p9", round_since="1", query="ondine")
    result = connector(api).fetch(config(query="ondine NEAR/3 panne"), state, CONTEXT)
    (request,) = api.requests_to(SEARCH)
    assert request.param("query") == "ondine panne"
    assert (request.param("since_id"), request.param("next_token")) == (old["id"], None)
    (note,) = result.notes
    assert note.startswith("X has no NEAR/3")
    assert result.cursor is not None
    assert result.cursor["query"] == "ondine panne"
    again = connector(api).fetch(config(query="ondine NEAR/3 panne"), result.cursor, CONTEXT)
    assert again.notes == []  # said once


def test_a_cursor_older_than_the_search_window_starts_again_with_a_note(api: ApiServer) -> None:
    stale = tweet(0, at=NOW - timedelta(days=8))
    api.reply(SEARCH, Reply(json=page(tweet(1), next_token="older")))
    result = connector(api).fetch(config(), cursor(newest_id=stale["id"]), CONTEXT)
    (request,) = api.requests_to(SEARCH)
    assert request.param("since_id") is None
    assert "more than 7 days old" in result.notes[0]
    assert result.cursor is not None
    assert result.cursor["newest_id"] == tweet(1)["id"]


def test_rate_limit_headers_make_the_next_page_wait(api: ApiServer) -> None:
    waits = Waits()
    reset = int(NOW.timestamp()) + 12
    headers = {
        "x-rate-limit-limit": "450",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": str(reset),
    }
    api.reply(
        SEARCH,
        Reply(json=page(tweet(2), next_token="p2"), headers=headers),
        Reply(json=page(tweet(1))),
    )
    result = connector(api, waits).fetch(config(), cursor(newest_id=tweet(0)["id"]), CONTEXT)
    assert len(result.items) == 2
    assert waits.slept == [12.0]


def test_a_far_rate_limit_reset_ends_the_poll_with_rate_limited(api: ApiServer) -> None:
    reset = int(NOW.timestamp()) + 900
    api.reply(
        SEARCH,
        Reply(
            429,
            json={"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
            headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
        ),
    )
    with pytest.raises(RateLimited) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    assert caught.value.retry_after == pytest.approx(900)
    assert str(caught.value).startswith("X asked us to slow down (HTTP 429): sbu waits 15 min")
    assert len(api.requests_to(SEARCH)) == 1


def test_retry_after_is_honoured(api: ApiServer) -> None:
    waits = Waits()
    api.reply(SEARCH, Reply(429, headers={"retry-after": "3"}), Reply(json=page(tweet(1))))
    result = connector(api, waits).fetch(config(), None, CONTEXT)
    assert len(result.items) == 1
    assert waits.slept
    assert waits.slept[0] >= 3


def test_a_server_error_is_retried(api: ApiServer) -> None:
    api.reply(SEARCH, Reply(503), Reply(json=page(tweet(1))))
    assert len(connector(api).fetch(config(), None, CONTEXT).items) == 1
    assert len(api.requests_to(SEARCH)) == 2


def test_a_failure_after_a_page_keeps_what_was_read(api: ApiServer) -> None:
    old = tweet(0)
    api.reply(SEARCH, Reply(json=page(tweet(2), next_token="p2")), Reply(503))
    result = connector(api).fetch(config(), cursor(newest_id=old["id"]), CONTEXT)
    assert ids(result) == [tweet(2)["id"]]
    (note,) = result.notes
    assert "failed on its side (HTTP 503)" in note
    assert note.endswith("What was read before (1 page) is kept; the next poll goes on from there.")
    assert result.more is False
    assert result.cursor is not None
    assert result.cursor["next_token"] == "p2"  # the next poll goes on from there
