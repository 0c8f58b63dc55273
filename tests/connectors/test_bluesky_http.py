"""The API client with Bluesky's RateLimit-* headers, against a real local HTTP server."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from sbu.connectors.api_client import ApiClient, ApiResponse
from sbu.connectors.bluesky_http import error_detail, error_name
from sbu.core.errors import RateLimited, Transient
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.helpers import Waits

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SEARCH = "/xrpc/app.bsky.feed.searchPosts"


def client(api: ApiServer, waits: Waits) -> ApiClient:
    return ApiClient(
        "Bluesky (bsky.social)",
        api.base,
        ConnectorSettings(timeout_seconds=5.0, attempts=3),
        sleep=waits.sleep,
        clock=waits.clock,
        rng=random.Random(1),
    )


def limits(remaining: int, reset: datetime | int) -> dict[str, str]:
    value = str(int(reset.timestamp())) if isinstance(reset, datetime) else str(reset)
    return {
        "RateLimit-Limit": "3000",
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": value,
        "RateLimit-Policy": "3000;w=300",
    }


def test_the_ratelimit_headers_are_read_from_every_answer(api: ApiServer) -> None:
    api.reply(SEARCH, Reply(json={"posts": []}, headers=limits(2999, NOW + timedelta(minutes=5))))
    waits = Waits()
    with client(api, waits) as http:
        http.get_json(SEARCH)
        assert http.rate_limit.remaining == 2999
        assert http.rate_limit.limit == 3000
        assert http.rate_limit.reset_at == NOW + timedelta(minutes=5)


def test_a_429_with_a_far_reset_says_when_to_come_back(api: ApiServer) -> None:
    api.reply(
        SEARCH,
        Reply(
            429, json={"error": "RateLimitExceeded"}, headers=limits(0, NOW + timedelta(minutes=4))
        ),
    )
    waits = Waits()
    with client(api, waits) as http, pytest.raises(RateLimited) as caught:
        http.get_json(SEARCH)
    assert caught.value.retry_after == pytest.approx(240)
    assert "Bluesky (bsky.social) asked us to slow down (HTTP 429)" in str(caught.value)
    assert "waits 4 min" in str(caught.value)
    assert len(api.requests_to(SEARCH)) == 1  # not hammered
    assert waits.slept == []


def test_a_429_with_a_near_reset_waits_then_goes_on(api: ApiServer) -> None:
    api.reply(
        SEARCH,
        Reply(429, json={"error": "RateLimitExceeded"}, headers=limits(0, 12)),
        Reply(json={"posts": []}, headers=limits(2999, 300)),
    )
    waits = Waits()
    with client(api, waits) as http:
        assert http.get_json(SEARCH) == {"posts": []}
    assert len(api.requests_to(SEARCH)) == 2
    assert waits.slept[0] >= 12  # the reset, in seconds from now


def test_a_429_without_headers_is_retried_then_transient(api: ApiServer) -> None:
    api.reply(SEARCH, Reply(429, json={"error": "RateLimitExceeded"}))
    waits = Waits()
    with client(api, waits) as http, pytest.raises(Transient):
        http.get_json(SEARCH)
    assert len(api.requests_to(SEARCH)) == 3


def test_the_x_prefixed_headers_still_win(api: ApiServer) -> None:
    headers = {**limits(0, 600), "X-RateLimit-Remaining": "17", "X-RateLimit-Reset": "60"}
    api.reply(SEARCH, Reply(json={"posts": []}, headers=headers))
    with client(api, Waits()) as http:
        http.get_json(SEARCH)
        assert http.rate_limit.remaining == 17


def test_the_error_of_a_refused_xrpc_call_is_read_from_its_body() -> None:
    body = b'{"error": "ExpiredToken", "message": "Token has expired"}'
    refused = ApiResponse(400, {}, body, "https://bsky.social/xrpc/app.bsky.feed.searchPosts")
    assert error_name(refused) == "ExpiredToken"
    assert error_detail(refused) == ": ExpiredToken: Token has expired"
    page = ApiResponse(502, {}, b"<html>Bad gateway</html>", "https://bsky.social/xrpc/x")
    assert error_name(page) == ""
    assert error_detail(page) == ""
    assert error_detail(ApiResponse(400, {}, b'["x"]', "https://bsky.social/xrpc/x")) == ""
