"""Replying on Reddit through the connector, against a real local HTTP server: the form, the
account's token, Reddit's own errors, and no second post after a failure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from sbu.connectors.reddit import RedditThingMapper
from sbu.connectors.reddit_api import RedditConnector, RedditSourceConfig
from sbu.core.errors import AuthFailed, ConnectorError, InvalidInput, RateLimited, Transient
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.reddit_things import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    Waits,
    posted_comment,
    token,
)

COMMENT = "/api/comment"
TOKEN = "/api/v1/access_token"
TEXT = "Bonjour, désolés pour la coupure : pouvez-vous nous écrire en message privé ?"


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply(TOKEN, Reply(json=token("tok-account")), method="POST")
        yield server


@pytest.fixture
def connector(api: ApiServer) -> RedditConnector:
    waits = Waits()
    return RedditConnector(
        ConnectorSettings(timeout_seconds=5),
        base_url=api.base,
        auth_base_url=api.base,
        sleep=waits.sleep,
        clock=waits.clock,
    )


def config(**overrides: Any) -> RedditSourceConfig:
    values: dict[str, Any] = {
        "subreddits": ["bretagne"],
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "username": "telecom_ouest",
        "password": PASSWORD,
    }
    values.update(overrides)
    return RedditSourceConfig.model_validate(values)


def test_a_reply_posts_the_form_as_the_account_and_returns_the_new_comment(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(COMMENT, Reply(json=posted_comment("r9", "t3_b2", TEXT)), method="POST")
    item = connector.reply(config(), "t3_b2", TEXT)

    (sent,) = api.requests_to(COMMENT, "POST")
    assert parse_qs(sent.body.decode()) == {
        "api_type": ["json"],
        "thing_id": ["t3_b2"],
        "text": [TEXT],
    }
    assert sent.headers["authorization"] == "bearer tok-account"
    (token_request,) = api.requests_to(TOKEN, "POST")
    assert parse_qs(token_request.body.decode())["grant_type"] == ["password"]
    assert item.mapper == "reddit"
    assert item.locator == "reply of u/telecom_ouest to t3_b2"
    draft = RedditThingMapper().to_mention(item.payload)
    assert draft.external_id == "t1_r9"
    assert draft.text == TEXT
    assert draft.parent_external_id == "t3_b2"


def test_a_reply_needs_an_account_and_nothing_is_sent_without_one(
    api: ApiServer, connector: RedditConnector
) -> None:
    with pytest.raises(ConnectorError, match="Replying on Reddit needs an account"):
        connector.reply(config(username=None, password=None), "t3_b2", TEXT)
    assert api.requests == []


@pytest.mark.parametrize(
    ("parent", "text", "expected"),
    [
        ("b2", TEXT, "is not the fullname of a Reddit post or comment"),
        ("t5_2qhjq", TEXT, "is not the fullname of a Reddit post or comment"),
        ("t3_b2", "   ", "The reply is empty"),
        ("t3_b2", "x" * 10_001, "Reddit takes at most 10,000"),
    ],
)
def test_bad_replies_are_refused_before_sending(
    api: ApiServer, connector: RedditConnector, parent: str, text: str, expected: str
) -> None:
    with pytest.raises(InvalidInput, match=expected):
        connector.reply(config(), parent, text)
    assert api.requests == []


def test_reddit_rate_limit_in_the_answer_is_rate_limited_with_the_wait(
    api: ApiServer, connector: RedditConnector
) -> None:
    answer = {
        "json": {
            "ratelimit": 287.3,
            "errors": [
                [
                    "RATELIMIT",
                    "Looks like you've been doing that a lot. Take a break for 4 minutes before trying again.",
                    "ratelimit",
                ]
            ],
        }
    }
    api.reply(COMMENT, Reply(json=answer), method="POST")
    with pytest.raises(RateLimited) as caught:
        connector.reply(config(), "t1_k7", TEXT)
    assert caught.value.retry_after == pytest.approx(287.3)
    assert "send it again in 5 min" in str(caught.value)


def test_the_wait_is_read_from_the_sentence_when_reddit_gives_no_number(
    api: ApiServer, connector: RedditConnector
) -> None:
    answer = {"json": {"errors": [["RATELIMIT", "try again in 3 minutes.", "ratelimit"]]}}
    api.reply(COMMENT, Reply(json=answer), method="POST")
    with pytest.raises(RateLimited) as caught:
        connector.reply(config(), "t1_k7", TEXT)
    assert caught.value.retry_after == 180


def test_a_locked_thread_is_a_sentence_with_reddits_code(
    api: ApiServer, connector: RedditConnector
) -> None:
    answer = {"json": {"errors": [["THREAD_LOCKED", "Comments are locked.", "parent"]]}}
    api.reply(COMMENT, Reply(json=answer), method="POST")
    with pytest.raises(ConnectorError) as caught:
        connector.reply(config(), "t3_b2", TEXT)
    assert str(caught.value).startswith(
        "Reddit did not post the reply of u/telecom_ouest to t3_b2 (THREAD_LOCKED: Comments are locked.)"
    )


def test_an_answer_without_the_comment_says_to_look_before_sending_again(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(COMMENT, Reply(json={"json": {"errors": [], "data": {}}}), method="POST")
    with pytest.raises(ConnectorError, match="look at the thread on Reddit"):
        connector.reply(config(), "t3_b2", TEXT)


def test_a_server_error_is_not_retried_so_nothing_is_posted_twice(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(COMMENT, Reply(502), method="POST")
    with pytest.raises(Transient, match="may or may not have been posted"):
        connector.reply(config(), "t3_b2", TEXT)
    assert len(api.requests_to(COMMENT, "POST")) == 1


def test_a_refused_token_is_renewed_and_the_reply_sent_once_more(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(TOKEN, Reply(json=token("tok-1")), Reply(json=token("tok-2")), method="POST")
    api.reply(
        COMMENT,
        Reply(401, json={"message": "Unauthorized", "error": 401}),
        Reply(json=posted_comment("r9", "t3_b2", TEXT)),
        method="POST",
    )
    item = connector.reply(config(), "t3_b2", TEXT)
    assert item.payload["data"]["name"] == "t1_r9"
    assert [r.headers["authorization"] for r in api.requests_to(COMMENT, "POST")] == [
        "bearer tok-1",
        "bearer tok-2",
    ]


def test_a_403_says_the_account_may_be_banned_from_the_subreddit(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(COMMENT, Reply(403, json={"message": "Forbidden", "error": 403}), method="POST")
    with pytest.raises(AuthFailed) as caught:
        connector.reply(config(), "t3_b2", TEXT)
    message = str(caught.value)
    assert message.startswith("Reddit refused the reply of u/telecom_ouest to t3_b2 (HTTP 403")
    assert "banned from the subreddit" in message
    assert PASSWORD not in message
