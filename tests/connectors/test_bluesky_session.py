"""Bluesky sessions: signing in with an app password, refreshing, and the sentences of refusals,
against a real local HTTP server that answers like a Bluesky PDS."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from pydantic import SecretStr

from sbu.connectors.bluesky_session import BlueskyAccount, BlueskySessions, jwt_expiry
from sbu.core.errors import AuthFailed, ConnectorError
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.bluesky_posts import ACCOUNT, jwt, session_answer

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
PASSWORD = "k2vq-7hxm-p4ta-zr3e"
CREATE = "/xrpc/com.atproto.server.createSession"
REFRESH = "/xrpc/com.atproto.server.refreshSession"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
ACCESS = jwt(NOW + timedelta(hours=2), tag="access-1")
REFRESH_TOKEN = jwt(NOW + timedelta(days=60), scope="com.atproto.refresh", tag="refresh-1")
ACCESS_2 = jwt(NOW + timedelta(hours=4), tag="access-2")
REFRESH_TOKEN_2 = jwt(NOW + timedelta(days=61), scope="com.atproto.refresh", tag="refresh-2")
EXPIRED = Reply(400, json={"error": "ExpiredToken", "message": "Token has expired"})
OWNER = "the source 'Veille Bluesky'"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def sessions(api: ApiServer, clock: Clock | None = None) -> BlueskySessions:
    return BlueskySessions(
        ConnectorSettings(timeout_seconds=5.0, attempts=2),
        base_url=api.base,
        sleep=lambda _: None,
        clock=clock or Clock(),
        rng=random.Random(2),
    )


def account() -> BlueskyAccount:
    return BlueskyAccount("ondine.bsky.social", SecretStr(PASSWORD), "https://bsky.social")


def signed_in(api: ApiServer) -> None:
    api.reply(CREATE, Reply(json=session_answer(ACCESS, REFRESH_TOKEN)), method="POST")


def search_once(pool: BlueskySessions) -> object:
    with pool.open(account(), OWNER) as xrpc:
        return xrpc.get("app.bsky.feed.searchPosts", {"q": "ondine"})


def test_an_account_signs_in_once_and_sends_its_access_token(api: ApiServer) -> None:
    signed_in(api)
    api.reply(SEARCH, Reply(json={"posts": []}))
    pool = sessions(api)
    assert search_once(pool) == {"posts": []}
    assert search_once(pool) == {"posts": []}
    (sign_in,) = api.requests_to(CREATE, "POST")  # the session is kept between polls
    assert orjson.loads(sign_in.body) == {"identifier": "ondine.bsky.social", "password": PASSWORD}
    assert "authorization" not in sign_in.headers
    searches = api.requests_to(SEARCH)
    assert [r.headers["authorization"] for r in searches] == [f"Bearer {ACCESS}"] * 2
    with pool.open(account(), OWNER) as xrpc:
        assert xrpc.did == ACCOUNT
        assert xrpc.session is not None
        assert xrpc.session.refresh_expires_at == NOW + timedelta(days=60)


def test_an_expired_token_is_refreshed_and_the_call_sent_again(api: ApiServer) -> None:
    signed_in(api)
    api.reply(REFRESH, Reply(json=session_answer(ACCESS_2, REFRESH_TOKEN_2)), method="POST")
    api.reply(SEARCH, EXPIRED, Reply(json={"posts": []}))
    pool = sessions(api)
    assert search_once(pool) == {"posts": []}
    (refresh,) = api.requests_to(REFRESH, "POST")
    assert refresh.headers["authorization"] == f"Bearer {REFRESH_TOKEN}"
    tokens = [r.headers["authorization"] for r in api.requests_to(SEARCH)]
    assert tokens == [f"Bearer {ACCESS}", f"Bearer {ACCESS_2}"]
    assert len(api.requests_to(CREATE, "POST")) == 1  # a refresh, not a new sign-in
    with pool.open(account(), OWNER) as xrpc:
        xrpc.get("app.bsky.feed.searchPosts", {"q": "ondine"})
        assert xrpc.session is not None
        assert xrpc.session.refresh_expires_at == NOW + timedelta(days=61)


def test_a_refused_refresh_signs_in_again(api: ApiServer) -> None:
    signed_in(api)
    api.reply(REFRESH, EXPIRED, method="POST")
    api.reply(SEARCH, EXPIRED, Reply(json={"posts": []}))
    assert search_once(sessions(api)) == {"posts": []}
    assert len(api.requests_to(REFRESH, "POST")) == 1
    assert len(api.requests_to(CREATE, "POST")) == 2


def test_a_token_due_by_its_expiry_is_refreshed_before_the_call(api: ApiServer) -> None:
    signed_in(api)
    api.reply(REFRESH, Reply(json=session_answer(ACCESS_2, REFRESH_TOKEN_2)), method="POST")
    api.reply(SEARCH, Reply(json={"posts": []}))
    clock = Clock()
    pool = sessions(api, clock)
    search_once(pool)
    clock.now = NOW + timedelta(hours=2) - timedelta(seconds=30)  # within a minute of exp
    search_once(pool)
    assert len(api.requests_to(REFRESH, "POST")) == 1
    tokens = [r.headers["authorization"] for r in api.requests_to(SEARCH)]
    assert tokens == [f"Bearer {ACCESS}", f"Bearer {ACCESS_2}"]


def test_a_token_refused_twice_is_not_retried_forever(api: ApiServer) -> None:
    signed_in(api)
    api.reply(REFRESH, Reply(json=session_answer(ACCESS_2, REFRESH_TOKEN_2)), method="POST")
    api.reply(SEARCH, EXPIRED)
    with pytest.raises(ConnectorError) as caught:
        search_once(sessions(api))
    assert "ExpiredToken" in str(caught.value)
    assert len(api.requests_to(SEARCH)) == 2


def test_a_wrong_app_password_is_auth_failed_with_what_to_do(api: ApiServer) -> None:
    api.reply(
        CREATE,
        Reply(
            401,
            json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        ),
        method="POST",
    )
    with pytest.raises(AuthFailed) as caught:
        search_once(sessions(api))
    message = str(caught.value)
    assert message.startswith(
        f"Bluesky (https://bsky.social) refused the handle or app password of {OWNER} "
        "(HTTP 401: AuthenticationRequired): check the handle ondine.bsky.social, create a new "
        "app password (Settings → Privacy and security → App passwords)"
    )
    assert PASSWORD not in message
    assert api.requests_to(SEARCH) == []


def test_the_account_password_is_recognised_by_the_code_it_asks_for(api: ApiServer) -> None:
    api.reply(
        CREATE,
        Reply(
            401,
            json={"error": "AuthFactorTokenRequired", "message": "A sign in code has been sent"},
        ),
        method="POST",
    )
    with pytest.raises(AuthFailed, match="the account's own password was given"):
        search_once(sessions(api))


def test_a_suspended_account_says_so(api: ApiServer) -> None:
    api.reply(
        CREATE,
        Reply(400, json={"error": "AccountTakedown", "message": "Account has been taken down"}),
        method="POST",
    )
    with pytest.raises(AuthFailed, match="is suspended or deactivated"):
        search_once(sessions(api))


def test_an_answer_without_tokens_is_a_connector_error(api: ApiServer) -> None:
    api.reply(CREATE, Reply(json={"did": ACCOUNT, "handle": "ondine.bsky.social"}), method="POST")
    with pytest.raises(ConnectorError, match="without a complete session"):
        search_once(sessions(api))


def test_the_expiry_of_a_jwt_is_read_from_its_exp_claim() -> None:
    assert jwt_expiry(ACCESS) == NOW + timedelta(hours=2)
    assert jwt_expiry("not-a-jwt") is None
    assert jwt_expiry("a.!!!.c") is None
    assert jwt_expiry("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln") is None  # no exp
