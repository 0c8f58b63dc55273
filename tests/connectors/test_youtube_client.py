"""Requests to the YouTube Data API through the shared ApiClient, against a real local server:
the key header, the quota charged per attempt, the stop before a request that does not fit,
and YouTube's error bodies read into sbu errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from sbu.connectors.api_client import ApiResponse
from sbu.connectors.youtube_client import GoogleError, Refused, YouTubeApi, google_error, refusal
from sbu.connectors.youtube_quota import QuotaMeter, QuotaStop
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import ConnectorSettings
from tests.conftest import NOW
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.youtube_resources import API_KEY, VIDEOS, Waits
from tests.connectors.youtube_resources import google_error as error_reply

OWNER = "the source 'YouTube TechBreizh'"


@pytest.fixture
def server() -> Iterator[ApiServer]:
    with running_api() as running:
        yield running


def make_api(
    server: ApiServer, *, units: int = 0, budget: int = 300, attempts: int = 3
) -> YouTubeApi:
    meter = QuotaMeter.from_cursor(
        {"quota_day": "2026-11-28", "units": units}, now=NOW, daily_quota=10_000, poll_budget=budget
    )
    waits = Waits()
    return YouTubeApi(
        ConnectorSettings(timeout_seconds=5, attempts=attempts),
        api_key=SecretStr(API_KEY),
        meter=meter,
        owner=OWNER,
        now=NOW,
        base_url=server.base,
        sleep=waits.sleep,
        clock=waits.clock,
    )


def answer(status: int, body: bytes) -> ApiResponse:
    return ApiResponse(status, {}, body, "https://www.googleapis.com/youtube/v3/videos")


def test_a_list_request_sends_the_key_header_and_charges_its_cost(server: ApiServer) -> None:
    server.reply(VIDEOS, Reply(json={"kind": "youtube#videoListResponse", "items": []}))
    with make_api(server, units=7) as api:
        body = api.list("videos", {"part": "snippet", "id": "abc", "pageToken": None}, what="x")
        assert body["items"] == []
        assert api.meter.units == 8
    (seen,) = server.requests_to(VIDEOS)
    assert seen.headers["x-goog-api-key"] == API_KEY
    assert seen.query == {"part": ["snippet"], "id": ["abc"]}  # None parameters are left out


def test_every_attempt_is_charged_even_when_all_fail(server: ApiServer) -> None:
    server.reply(VIDEOS, Reply(500))
    with make_api(server, attempts=3) as api, pytest.raises(Transient):
        api.list("videos", {}, what="read the videos")
    assert api.meter.units == 3


def test_a_request_that_does_not_fit_is_not_sent(server: ApiServer) -> None:
    with make_api(server, units=9_500) as api, pytest.raises(QuotaStop):
        api.list("videos", {}, what="read the videos")
    assert server.requests == []


def test_an_answer_that_is_not_a_list_is_a_sentence(server: ApiServer) -> None:
    server.reply(VIDEOS, Reply(json={"kind": "youtube#videoListResponse", "items": {"a": 1}}))
    with make_api(server) as api, pytest.raises(ConnectorError) as caught:
        api.list("videos", {}, what="read the new videos of @techbreizh")
    assert str(caught.value) == (
        "YouTube answered the request to read the new videos of @techbreizh with something that "
        "is not a list of resources: check that the API address points at "
        "https://www.googleapis.com."
    )


def test_another_refusal_is_refused_with_youtubes_reason(server: ApiServer) -> None:
    server.reply(
        VIDEOS,
        error_reply(
            400,
            "invalidFilters",
            "The request specifies an <b>invalid</b> filter.",
            domain="youtube.parameter",
        ),
    )
    with make_api(server) as api, pytest.raises(Refused) as caught:
        api.list("videos", {}, what="read the new videos of @techbreizh")
    assert caught.value.status == 400
    assert caught.value.reasons == frozenset({"invalidFilters"})
    assert str(caught.value) == (
        "YouTube refused to read the new videos of @techbreizh for the source 'YouTube "
        "TechBreizh' (HTTP 400: invalidFilters) (The request specifies an invalid filter.): "
        "check the source's channel_id, query and other settings."
    )


def test_google_errors_are_read_from_errors_and_details() -> None:
    body = (
        b'{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",'
        b' "errors": [{"reason": "badRequest"}], "status": "INVALID_ARGUMENT",'
        b' "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]}}'
    )
    error = google_error(answer(400, body))
    assert error == GoogleError(
        frozenset({"badRequest", "API_KEY_INVALID"}),
        "API key not valid. Please pass a valid API key.",
    )
    assert error.detail == ": API_KEY_INVALID, badRequest"


@pytest.mark.parametrize(
    "body", [b"<html>Bad gateway</html>", b'{"error": "invalid_grant"}', b"[1, 2]", b""]
)
def test_bodies_without_a_google_error_give_no_reason(body: bytes) -> None:
    assert google_error(answer(400, body)) == GoogleError(frozenset(), "")


def test_a_secret_in_googles_message_is_masked() -> None:
    body = b'{"error": {"message": "Key SECRET-123 rejected", "errors": []}}'
    assert google_error(answer(400, body), secret="SECRET-123").message == "Key *** rejected"


@pytest.mark.parametrize(
    ("reason", "status", "kind", "words"),
    [
        ("dailyLimitExceeded", 403, RateLimited, "daily quota"),
        ("userRateLimitExceeded", 403, RateLimited, "slow down"),
        ("keyExpired", 400, AuthFailed, "refused the API key"),
        ("accessNotConfigured", 403, AuthFailed, "is not enabled"),
        ("API_KEY_IP_ADDRESS_BLOCKED", 403, AuthFailed, "allow the IP address"),
        ("forbidden", 403, AuthFailed, "refused access"),
        ("channelSuspended", 403, Refused, "refused to read"),
        ("videoNotFound", 404, Refused, "refused to read"),
    ],
)
def test_each_reason_becomes_the_right_error(
    reason: str, status: int, kind: type[ConnectorError], words: str
) -> None:
    error = refusal(
        status, GoogleError(frozenset({reason}), ""), owner=OWNER, what="read the videos", now=NOW
    )
    assert type(error) is kind
    assert words in str(error)
    assert str(error).endswith(".")
