"""The cost meter and budget guard of an X source, on the recent search and the filtered
stream, against a real local HTTP server that answers like X's API v2."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sbu.connectors.base import FetchContext, FetchResult
from sbu.connectors.x_budget import BudgetReached
from sbu.connectors.x_search import SEARCH
from sbu.connectors.x_stream_connection import STREAM
from sbu.core.errors import RateLimited
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.helpers import NOW
from tests.connectors.x_tweets import (
    CONTEXT,
    QUERY,
    TAG,
    config,
    connector,
    cursor,
    line,
    page,
    rules,
    stream_body,
    stream_config,
    tweet,
)


def test_the_meter_counts_the_posts_read_and_reports_the_usage(api: ApiServer) -> None:
    api.reply(SEARCH, Reply(json=page(tweet(1), tweet(2), tweet(3))))
    result = connector(api).fetch(config(), cursor(posts=40), CONTEXT)
    assert result.cursor is not None
    assert (result.cursor["month"], result.cursor["posts"]) == ("2026-11", 43)
    assert result.usage is not None
    assert result.usage.as_json() == {
        "quota_used": 43,
        "quota_limit": 10_000,
        "unit": "posts read this month",
        "resets_at": "2026-12-01T00:00:00+00:00",
        "cost": 0.215,
        "budget": 50,
        "currency": "USD",
    }


def test_a_page_that_could_overspend_is_asked_smaller(api: ApiServer) -> None:
    api.reply(SEARCH, Reply(json=page(tweet(1))))
    connector(api).fetch(config(monthly_budget=1.0), cursor(posts=150), CONTEXT)
    (request,) = api.requests_to(SEARCH)
    assert request.param("max_results") == "50"  # 1.00 USD pays for 200 posts


def test_the_budget_guard_stops_before_overspending(api: ApiServer) -> None:
    with pytest.raises(BudgetReached) as caught:
        connector(api).fetch(config(monthly_budget=1.0), cursor(posts=195), CONTEXT)
    assert isinstance(caught.value, RateLimited)
    assert str(caught.value) == (
        "X budget of 1.00 USD for 2026-11 reached: 195 posts read at 0.005 USD each (0.98 USD), "
        "and the next page of up to 100 posts could cost 0.50 USD more. sbu reads nothing more "
        "for this source until 2026-12-01 00:00 UTC; raise monthly_budget to read more this "
        "month."
    )
    until = datetime(2026, 12, 1, tzinfo=UTC)
    assert caught.value.retry_after == (until - NOW).total_seconds()
    assert api.requests_to(SEARCH) == []


def test_the_budget_resumes_next_month(api: ApiServer) -> None:
    api.reply(SEARCH, Reply(json=page(tweet(1), tweet(2))))
    december = FetchContext(
        now=datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC), source_id=7, source_name="X Ondine"
    )
    state = cursor(posts=195, newest_id=tweet(0)["id"])
    result = connector(api).fetch(config(monthly_budget=1.0), state, december)
    assert len(result.items) == 2
    (request,) = api.requests_to(SEARCH)
    assert request.param("max_results") == "100"
    assert result.cursor is not None
    assert (result.cursor["month"], result.cursor["posts"]) == ("2026-12", 2)
    assert result.usage is not None
    assert result.usage.resets_at == datetime(2027, 1, 1, tzinfo=UTC)


def test_the_guard_stops_in_the_middle_of_a_fetch_and_keeps_the_round(api: ApiServer) -> None:
    old = tweet(0)
    full = page(*(tweet(n) for n in range(10, 20)), next_token="p2")
    api.reply(SEARCH, Reply(json=full))
    source = config(monthly_budget=0.1, max_results=10)  # 20 posts a month
    result = connector(api).fetch(source, cursor(posts=5, newest_id=old["id"]), CONTEXT)
    assert len(result.items) == 10
    assert len(api.requests_to(SEARCH)) == 1
    assert result.more is False
    assert result.notes[0].startswith("X budget of 0.10 USD for 2026-11 reached: 15 posts read")
    assert result.cursor is not None
    assert result.cursor["next_token"] == "p2"
    with pytest.raises(BudgetReached):
        connector(api).fetch(source, result.cursor, CONTEXT)


def test_the_budget_stops_the_stream(api: ApiServer) -> None:
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(STREAM, stream_body(*(line(tweet(n)) for n in range(1, 13))))
    source = stream_config(monthly_budget=0.05)  # 10 posts a month
    batches: list[FetchResult] = []

    def follow() -> None:
        batches.extend(connector(api).stream(source, None, CONTEXT))

    with pytest.raises(BudgetReached) as caught:
        follow()
    assert "the filtered stream was stopped" in str(caught.value)
    assert str(caught.value).startswith("X budget of 0.05 USD for 2026-11 reached: 12 posts")
    assert sum(len(batch.items) for batch in batches) == 12  # what X sent is kept
    assert len(api.requests_to(STREAM)) == 1


def test_a_stream_source_with_no_budget_left_does_not_connect(api: ApiServer) -> None:
    with pytest.raises(BudgetReached):
        connector(api).stream(stream_config(monthly_budget=0.05), cursor(posts=10), CONTEXT)
    assert api.requests == []
