"""Reddit tokens and the requests that carry them, against a real local HTTP server: one token
per set of credentials, renewal, Reddit's grant errors, shared rate-limit state, refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from pydantic import SecretStr

from sbu.connectors.api_client import ApiResponse
from sbu.connectors.reddit_oauth import RedditAuth, RedditCredentials, refusal_reason
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.reddit_things import CLIENT_ID, CLIENT_SECRET, Waits, token

TOKEN = "/api/v1/access_token"
ME = "/api/v1/me"
APP = RedditCredentials(CLIENT_ID, SecretStr(CLIENT_SECRET))
OWNER = "the source 'Reddit Bretagne'"


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply(ME, Reply(json={"name": "telecom_ouest"}))
        yield server


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def auth(api: ApiServer, waits: Waits) -> RedditAuth:
    return RedditAuth(
        ConnectorSettings(timeout_seconds=5),
        auth_base_url=api.base,
        api_base_url=api.base,
        sleep=waits.sleep,
        clock=waits.clock,
    )


def get_me(auth: RedditAuth, credentials: RedditCredentials = APP) -> None:
    with auth.open(credentials, platform="Reddit (test)", owner=OWNER) as client:
        client.request("GET", ME)


def test_one_token_serves_every_request_made_with_the_same_credentials(
    api: ApiServer, auth: RedditAuth
) -> None:
    api.reply(TOKEN, Reply(json=token("tok-a")), Reply(json=token("tok-b")), method="POST")
    get_me(auth)
    get_me(auth, RedditCredentials(CLIENT_ID, SecretStr(CLIENT_SECRET)))
    get_me(auth, RedditCredentials(CLIENT_ID, SecretStr("another-secret-of-another-app")))
    assert len(api.requests_to(TOKEN, "POST")) == 2
    assert [r.headers["authorization"] for r in api.requests_to(ME)] == [
        "bearer tok-a",
        "bearer tok-a",
        "bearer tok-b",
    ]


def test_a_token_without_a_lifetime_is_renewed_within_the_hour(
    api: ApiServer, auth: RedditAuth, waits: Waits
) -> None:
    api.reply(TOKEN, Reply(json={"access_token": "tok-a", "token_type": "bearer"}), method="POST")
    get_me(auth)
    waits.now += timedelta(seconds=3600 - 61)
    get_me(auth)
    assert len(api.requests_to(TOKEN, "POST")) == 1
    waits.now += timedelta(seconds=2)
    get_me(auth)
    assert len(api.requests_to(TOKEN, "POST")) == 2


def test_a_short_lived_token_is_renewed_at_half_its_life(
    api: ApiServer, auth: RedditAuth, waits: Waits
) -> None:
    api.reply(TOKEN, Reply(json=token("tok-a", expires_in=40)), method="POST")
    get_me(auth)
    waits.now += timedelta(seconds=19)
    get_me(auth)
    assert len(api.requests_to(TOKEN, "POST")) == 1
    waits.now += timedelta(seconds=1)
    get_me(auth)
    assert len(api.requests_to(TOKEN, "POST")) == 2


@pytest.mark.parametrize(
    ("answer", "error", "expected"),
    [
        (
            {"error": "unauthorized_client"},
            AuthFailed,
            "Reddit does not let the app of the source 'Reddit Bretagne' sign in this way "
            "(unauthorized_client): create a 'script' app",
        ),
        (
            {"error": "unsupported_grant_type"},
            AuthFailed,
            "sign in this way (unsupported_grant_type)",
        ),
        (
            {"error": "invalid_request"},
            ConnectorError,
            "Reddit refused to give the source 'Reddit Bretagne' an access token (invalid_request)",
        ),
        (
            {"token_type": "bearer", "expires_in": 3600},
            ConnectorError,
            "answered the token request of the source 'Reddit Bretagne' without an access token",
        ),
        (["tok-a"], ConnectorError, "with a JSON list instead of a token"),
    ],
)
def test_token_answers_without_a_token_are_sentences(
    api: ApiServer,
    auth: RedditAuth,
    answer: object,
    error: type[ConnectorError],
    expected: str,
) -> None:
    api.reply(TOKEN, Reply(json=answer), method="POST")
    with pytest.raises(error) as caught:
        get_me(auth)
    assert type(caught.value) is error
    assert expected in str(caught.value)
    assert api.requests_to(ME) == []


def test_a_403_on_the_token_endpoint_is_about_the_client_id_and_secret(
    api: ApiServer, auth: RedditAuth
) -> None:
    api.reply(TOKEN, Reply(403, json={"message": "Forbidden", "error": 403}), method="POST")
    with pytest.raises(
        AuthFailed, match=r"client id and secret of the source 'Reddit Bretagne' \(HTTP 403\)"
    ):
        get_me(auth)


def test_token_requests_are_retried_on_server_errors(
    api: ApiServer, auth: RedditAuth, waits: Waits
) -> None:
    api.reply(TOKEN, Reply(503), Reply(json=token("tok-a")), method="POST")
    get_me(auth)
    assert len(api.requests_to(TOKEN, "POST")) == 2
    assert len(waits.slept) == 1


def test_the_rate_limit_state_is_kept_per_set_of_credentials(
    api: ApiServer, auth: RedditAuth
) -> None:
    api.reply(TOKEN, Reply(json=token("tok-a")), method="POST")
    headers = {"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "300"}
    api.reply(ME, Reply(json={"name": "telecom_ouest"}, headers=headers))
    get_me(auth)
    with pytest.raises(RateLimited) as caught:
        get_me(auth)  # a new client for the same app knows that nothing is left
    assert caught.value.retry_after == pytest.approx(300, abs=1)
    other = RedditCredentials("OtherAppId12345", SecretStr("another-secret-of-another-app"))
    get_me(auth, other)  # another app has its own count: it may ask
    assert len(api.requests_to(ME)) == 2


def test_without_retries_a_failed_request_is_sent_once(api: ApiServer, auth: RedditAuth) -> None:
    api.reply(TOKEN, Reply(json=token("tok-a")), method="POST")
    api.reply("/api/comment", Reply(503), method="POST")
    with (
        auth.open(APP, platform="Reddit (u/x)", owner=OWNER, retries=False) as client,
        pytest.raises(Transient),
    ):
        client.request("POST", "/api/comment", data={"text": "bonjour"})
    assert len(api.requests_to("/api/comment", "POST")) == 1


def test_a_refusal_without_a_description_keeps_the_generic_sentence(
    api: ApiServer, auth: RedditAuth
) -> None:
    api.reply(TOKEN, Reply(json=token("tok-a")), method="POST")
    api.reply(ME, Reply(404, json={"message": "Not Found", "error": 404}))
    with (
        auth.open(APP, platform="Reddit (test)", owner=OWNER) as client,
        pytest.raises(
            ConnectorError, match=r"^Reddit \(test\) has nothing at .*HTTP 404: Not Found"
        ),
    ):
        client.request("GET", ME, describe=lambda response: None)


def test_a_description_replaces_the_sentence_and_keeps_the_kind_of_error(
    api: ApiServer, auth: RedditAuth
) -> None:
    api.reply(TOKEN, Reply(json=token("tok-a")), method="POST")
    api.reply(ME, Reply(403, json={"reason": "quarantined", "message": "Forbidden"}))
    with (
        auth.open(APP, platform="Reddit (test)", owner=OWNER) as client,
        pytest.raises(AuthFailed, match=r"^Refused \(403: quarantined\)\.$"),
    ):
        client.request(
            "GET",
            ME,
            describe=lambda response: f"Refused ({response.status}{refusal_reason(response)}).",
        )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"reason": "private", "message": "Forbidden", "error": 403}', ": private"),
        (b'{"message": "Forbidden", "error": 403}', ": Forbidden"),
        (b'{"error": 403}', ""),
        (b"[1, 2]", ""),
        (b"<html>Forbidden</html>", ""),
    ],
)
def test_refusal_reason_reads_reddits_short_reason(body: bytes, expected: str) -> None:
    response = ApiResponse(403, {}, body, "https://oauth.reddit.com/r/x/new")
    assert refusal_reason(response) == expected


def test_credentials_never_show_their_secrets() -> None:
    account = RedditCredentials(CLIENT_ID, SecretStr(CLIENT_SECRET), "u1", SecretStr("pw-123"))
    assert CLIENT_SECRET not in repr(account)
    assert "pw-123" not in repr(account)
    assert account.fingerprint("a") != account.fingerprint("b")
    assert CLIENT_SECRET not in account.fingerprint("a")
