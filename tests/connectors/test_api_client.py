"""The shared reliability layer, driven against a real local HTTP server."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from sbu.connectors.api_client import ApiClient, RetryPolicy
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.helpers import Waits

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def client(api: ApiServer, waits: Waits, **overrides: float) -> ApiClient:
    settings = ConnectorSettings(
        timeout_seconds=overrides.pop("timeout_seconds", 5.0),
        attempts=int(overrides.pop("attempts", 4)),
        **overrides,  # type: ignore[arg-type]
    )
    return ApiClient(
        "Mastodon (test)",
        api.base,
        settings,
        headers=lambda: {"Authorization": "Bearer secret-token"},
        sleep=waits.sleep,
        clock=waits.clock,
        rng=random.Random(7),
    )


def test_a_good_answer_is_returned_with_the_headers_sent(api: ApiServer) -> None:
    api.reply("/api/v1/timelines/public", Reply(json=[{"id": "1"}]))
    with client(api, Waits()) as c:
        assert c.get_json("/api/v1/timelines/public", {"limit": 40, "max_id": None}) == [
            {"id": "1"}
        ]
    (seen,) = api.requests_to("/api/v1/timelines/public")
    assert seen.query == {"limit": ["40"]}  # None parameters are left out
    assert seen.headers["authorization"] == "Bearer secret-token"
    assert seen.headers["user-agent"].startswith("sbu-listening/")


def test_server_errors_are_retried_with_growing_jittered_waits(api: ApiServer) -> None:
    api.reply("/x", Reply(503), Reply(500), Reply(502), Reply(json={"ok": True}))
    waits = Waits()
    with client(api, waits, backoff_base_seconds=1.0, backoff_max_seconds=60.0) as c:
        assert c.get_json("/x") == {"ok": True}
    assert len(api.requests_to("/x")) == 4
    assert len(waits.slept) == 3
    for retry, wait in enumerate(waits.slept):
        assert 0 <= wait <= 2**retry  # full jitter under the exponential ceiling
    assert len(set(waits.slept)) == 3


def test_persistent_failure_ends_in_one_transient_sentence(api: ApiServer) -> None:
    api.reply("/x", Reply(500))
    waits = Waits()
    with client(api, waits, attempts=3) as c, pytest.raises(Transient) as caught:
        c.get_json("/x")
    assert len(api.requests_to("/x")) == 3
    assert len(waits.slept) == 2  # no wait after the last try
    message = str(caught.value)
    assert "Mastodon (test) failed on its side (HTTP 500), 3 times in a row" in message
    assert "secret-token" not in message


def test_retry_after_in_seconds_is_honoured_when_short(api: ApiServer) -> None:
    api.reply("/x", Reply(429, headers={"Retry-After": "7"}), Reply(json=[]))
    waits = Waits()
    with client(api, waits) as c:
        assert c.get_json("/x") == []
    assert waits.slept == [7.0]


def test_retry_after_as_a_date_and_too_long_raises_rate_limited(api: ApiServer) -> None:
    later = "Sat, 28 Nov 2026 13:00:00 GMT"  # one hour after NOW
    api.reply("/x", Reply(429, headers={"Retry-After": later}))
    waits = Waits()
    with client(api, waits) as c, pytest.raises(RateLimited) as caught:
        c.get_json("/x")
    assert caught.value.retry_after == pytest.approx(3600)
    assert "waits 60 min" in str(caught.value)
    assert waits.slept == []
    assert len(api.requests_to("/x")) == 1


def test_an_exhausted_rate_limit_waits_for_its_reset_before_the_next_request(
    api: ApiServer,
) -> None:
    # Mastodon style: the reset is an ISO date.
    reset = (NOW + timedelta(seconds=12)).isoformat().replace("+00:00", "Z")
    api.reply(
        "/x",
        Reply(json=[1], headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}),
        Reply(json=[2], headers={"X-RateLimit-Remaining": "299"}),
    )
    waits = Waits()
    with client(api, waits) as c:
        assert c.get_json("/x") == [1]
        assert c.rate_limit.remaining == 0
        assert c.get_json("/x") == [2]
    assert waits.slept == [pytest.approx(12)]


def test_reddit_style_reset_in_seconds_far_away_raises_before_sending(api: ApiServer) -> None:
    api.reply(
        "/r/x/new",
        Reply(json={}, headers={"X-Ratelimit-Remaining": "0.0", "X-Ratelimit-Reset": "420"}),
    )
    waits = Waits()
    with client(api, waits) as c:
        c.get_json("/r/x/new")
        with pytest.raises(RateLimited) as caught:
            c.get_json("/r/x/new")
    assert caught.value.retry_after == pytest.approx(420)
    assert len(api.requests_to("/r/x/new")) == 1  # the second request was never sent


def test_x_style_reset_as_a_unix_time(api: ApiServer) -> None:
    reset = str(int((NOW + timedelta(seconds=5)).timestamp()))
    api.reply(
        "/2/tweets/search/recent",
        Reply(json={}, headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}),
    )
    waits = Waits()
    with client(api, waits) as c:
        c.get_json("/2/tweets/search/recent")
        c.get_json("/2/tweets/search/recent")
    assert waits.slept == [pytest.approx(5)]


@pytest.mark.parametrize(
    ("status", "words"), [(401, "refused the credentials"), (403, "refused access")]
)
def test_401_and_403_are_auth_failures_with_the_platform_text(
    api: ApiServer, status: int, words: str
) -> None:
    api.reply("/x", Reply(status, json={"error": "The access token is invalid"}))
    with client(api, Waits()) as c, pytest.raises(AuthFailed) as caught:
        c.get_json("/x")
    message = str(caught.value)
    assert f"Mastodon (test) {words} (HTTP {status}: The access token is invalid)" in message
    assert "Settings → Sources" in message
    assert "secret-token" not in message
    assert len(api.requests_to("/x")) == 1  # never retried


def test_404_is_not_retried_and_names_what_to_check(api: ApiServer) -> None:
    with client(api, Waits()) as c, pytest.raises(ConnectorError) as caught:
        c.get_json("/api/v1/timelines/tag/nothing")
    assert not isinstance(caught.value, Transient | AuthFailed)
    assert "HTTP 404: Record not found" in str(caught.value)
    assert len(api.requests) == 1


def test_an_html_page_instead_of_json_is_explained(api: ApiServer) -> None:
    api.reply(
        "/x",
        Reply(body=b"<!doctype html><title>Login</title>", headers={"Content-Type": "text/html"}),
    )
    with client(api, Waits()) as c, pytest.raises(ConnectorError) as caught:
        c.get_json("/x")
    assert "did not answer with JSON (it starts with '<!doctype html>" in str(caught.value)


def test_timeouts_and_dropped_connections_are_retried(api: ApiServer) -> None:
    api.reply("/slow", Reply(json=[], delay=1.0), Reply(drop=True), Reply(json=["ok"]))
    waits = Waits()
    with client(api, waits, timeout_seconds=0.3) as c:
        assert c.get_json("/slow") == ["ok"]
    assert len(waits.slept) == 2


def test_an_unreachable_host_is_a_transient_failure() -> None:
    waits = Waits()
    settings = ConnectorSettings(attempts=2, timeout_seconds=1.0)
    with (
        ApiClient("Reddit", "http://127.0.0.1:9", settings, sleep=waits.sleep) as c,
        pytest.raises(Transient) as caught,
    ):
        c.get_json("/r/x/new")
    assert "Reddit could not be reached" in str(caught.value)


def test_post_forms_and_basic_auth_are_sent(api: ApiServer) -> None:
    api.reply("/api/v1/access_token", Reply(json={"access_token": "t"}), method="POST")
    with client(api, Waits()) as c:
        response = c.request(
            "POST",
            "/api/v1/access_token",
            data={"grant_type": "client_credentials"},
            auth=("id", "secret"),
        )
    assert response.json() == {"access_token": "t"}
    (seen,) = api.requests_to("/api/v1/access_token", method="POST")
    assert seen.body == b"grant_type=client_credentials"
    assert seen.headers["authorization"].startswith("Basic ")
    assert c.requests_sent == 1


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(attempts=10, base_delay=1.0, max_delay=5.0)
    rng = random.Random(1)
    assert all(policy.backoff(retry, rng) <= 5.0 for retry in range(10))


def test_the_last_refused_answer_is_kept_for_the_connector(api: ApiServer) -> None:
    api.reply("/r/club/new", Reply(403, json={"reason": "private", "message": "Forbidden"}))
    api.reply("/ok", Reply(json=[]))
    with client(api, Waits()) as c:
        with pytest.raises(AuthFailed):
            c.get_json("/r/club/new")
        assert c.last_refused is not None
        assert c.last_refused.status == 403
        assert c.last_refused.json()["reason"] == "private"
        c.get_json("/ok")
        assert c.last_refused is None  # each request starts afresh


def test_bluesky_style_ratelimit_headers_without_prefix(api: ApiServer) -> None:
    reset = str(int((NOW + timedelta(seconds=9)).timestamp()))
    api.reply(
        "/xrpc/app.bsky.feed.searchPosts",
        Reply(json={}, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": reset}),
    )
    waits = Waits()
    with client(api, waits) as c:
        c.get_json("/xrpc/app.bsky.feed.searchPosts")
        c.get_json("/xrpc/app.bsky.feed.searchPosts")
    assert waits.slept == [pytest.approx(9)]


def test_a_message_is_preferred_to_a_bare_error_code(api: ApiServer) -> None:
    api.reply("/x", Reply(401, json={"error": "ExpiredToken", "message": "Token has expired"}))
    with client(api, Waits()) as c, pytest.raises(AuthFailed, match="HTTP 401: Token has expired"):
        c.get_json("/x")
