"""Replies on YouTube against a real local server replaying Google's token endpoint and the
Data API: the refresh token exchanged, the comment posted once under its top-level comment, and
every refusal as a sentence."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import orjson
import pytest

from sbu.connectors.youtube_api import YouTubeConnector
from sbu.core.errors import AuthFailed, ConnectorError, InvalidInput, RateLimited, Transient
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.youtube_resources import (
    CLIENT_ID,
    CLIENT_SECRET,
    COMMENTS,
    REFRESH_TOKEN,
    TOKEN,
    Waits,
    comment,
    config,
    google_error,
    make_connector,
    quota_exceeded,
    token_answer,
)

TOP = "UgzThreadB00000000000000"


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply(TOKEN, Reply(json=token_answer()), method="POST")
        yield server


@pytest.fixture
def connector(api: ApiServer) -> YouTubeConnector:
    return make_connector(api, Waits())


def replying(**overrides: Any) -> Any:
    values: dict[str, Any] = {
        "oauth_client_id": CLIENT_ID,
        "oauth_client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
    }
    values.update(overrides)
    return config(**values)


def posted(text: str) -> dict[str, Any]:
    return comment(f"{TOP}.NewReply0000000000000", "vid0000001", 90, text, parent=TOP)


def test_a_reply_exchanges_the_refresh_token_and_posts_under_the_comment(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(COMMENTS, Reply(json=posted("Merci, on regarde !")), method="POST")
    item = connector.reply(replying(), TOP, "Merci, on regarde !")

    assert item.mapper == "youtube"
    assert item.payload["id"] == f"{TOP}.NewReply0000000000000"
    assert item.locator == f"reply to the YouTube comment {TOP}"
    (token_request,) = api.requests_to(TOKEN, "POST")
    assert parse_qs(token_request.body.decode()) == {
        "grant_type": ["refresh_token"],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
        "refresh_token": [REFRESH_TOKEN],
    }
    (sent,) = api.requests_to(COMMENTS, "POST")
    assert sent.headers["authorization"] == "Bearer ya29.invented-access-token"
    assert sent.query == {"part": ["snippet"]}
    assert orjson.loads(sent.body) == {
        "snippet": {"parentId": TOP, "textOriginal": "Merci, on regarde !"}
    }


def test_a_reply_to_a_reply_goes_under_its_top_level_comment(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(COMMENTS, Reply(json=posted("Oui")), method="POST")
    connector.reply(replying(), f"{TOP}.AbcReply0000000000000", "Oui")
    (sent,) = api.requests_to(COMMENTS, "POST")
    assert orjson.loads(sent.body)["snippet"]["parentId"] == TOP


def test_a_source_without_oauth_cannot_reply(api: ApiServer, connector: YouTubeConnector) -> None:
    with pytest.raises(ConnectorError) as caught:
        connector.reply(config(), TOP, "Bonjour")
    assert str(caught.value).startswith("Replying on YouTube needs the channel account's OAuth")
    assert api.requests == []


@pytest.mark.parametrize(
    ("parent", "text", "start"),
    [
        ("vid0000001x", "Bonjour", "'vid0000001x' is the id of a video"),
        ("not a comment!", "Bonjour", "'not a comment!' is not the id of a YouTube comment"),
        (TOP, "   ", "The reply is empty"),
        (TOP, "x" * 10_001, "The reply is 10,001 characters long; YouTube takes at most 10,000"),
    ],
)
def test_bad_replies_are_refused_before_anything_is_sent(
    api: ApiServer, connector: YouTubeConnector, parent: str, text: str, start: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        connector.reply(replying(), parent, text)
    assert str(caught.value).startswith(start)
    assert api.requests == []


def test_an_expired_refresh_token_is_an_auth_failure(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        TOKEN,
        Reply(
            400,
            json={
                "error": "invalid_grant",
                "error_description": "Token has been expired or revoked.",
            },
        ),
        method="POST",
    )
    with pytest.raises(AuthFailed) as caught:
        connector.reply(replying(), TOP, "Bonjour")
    message = str(caught.value)
    assert message.startswith(
        "Google refused the refresh token of the YouTube source (invalid_grant)"
    )
    assert REFRESH_TOKEN not in message
    assert CLIENT_SECRET not in message
    assert api.requests_to(COMMENTS, "POST") == []


def test_a_wrong_client_is_an_auth_failure(api: ApiServer, connector: YouTubeConnector) -> None:
    api.reply(
        TOKEN,
        Reply(401, json={"error": "invalid_client", "error_description": "Unauthorized"}),
        method="POST",
    )
    with pytest.raises(AuthFailed, match=r"^Google refused the OAuth client of the YouTube source"):
        connector.reply(replying(), TOP, "Bonjour")


def test_a_server_error_is_not_retried_and_says_the_reply_may_be_posted(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(COMMENTS, Reply(503), method="POST")
    with pytest.raises(Transient) as caught:
        connector.reply(replying(), TOP, "Bonjour")
    assert "it may or may not have been posted" in str(caught.value)
    assert len(api.requests_to(COMMENTS, "POST")) == 1


@pytest.mark.parametrize(
    ("refused", "kind", "start"),
    [
        (
            google_error(
                404,
                "parentCommentNotFound",
                "The parent comment could not be found.",
                domain="youtube.comment",
            ),
            ConnectorError,
            f"YouTube has no comment {TOP} to reply to (HTTP 404: parentCommentNotFound)",
        ),
        (
            google_error(
                403,
                "insufficientPermissions",
                "Insufficient Permission",
                domain="global",
                detail="ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            ),
            AuthFailed,
            f"YouTube refused the account's access token for the reply to {TOP}",
        ),
        (
            google_error(
                403, "commentsDisabled", "Comments are disabled.", domain="youtube.commentThread"
            ),
            ConnectorError,
            f"YouTube did not let the account reply to {TOP} (HTTP 403: commentsDisabled)",
        ),
        (
            google_error(
                400, "commentTextTooLong", "The comment is too long.", domain="youtube.comment"
            ),
            ConnectorError,
            f"YouTube refused the reply to {TOP} (HTTP 400: commentTextTooLong)",
        ),
        (quota_exceeded(), RateLimited, "YouTube says the daily quota"),
    ],
)
def test_refusals_of_the_reply_are_sentences(
    api: ApiServer,
    connector: YouTubeConnector,
    refused: Reply,
    kind: type[ConnectorError],
    start: str,
) -> None:
    api.reply(COMMENTS, refused, method="POST")
    with pytest.raises(kind) as caught:
        connector.reply(replying(), TOP, "Bonjour")
    assert type(caught.value) is kind
    assert str(caught.value).startswith(start)


def test_an_answer_without_the_comment_asks_to_look_before_sending_again(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(COMMENTS, Reply(json={"kind": "youtube#commentListResponse"}), method="POST")
    with pytest.raises(ConnectorError, match="look at the comment on YouTube before sending"):
        connector.reply(replying(), TOP, "Bonjour")


def test_the_token_request_is_retried_but_the_reply_is_not(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(TOKEN, Reply(503), Reply(json=token_answer()), method="POST")
    api.reply(COMMENTS, Reply(json=posted("Bonjour")), method="POST")
    connector.reply(replying(), TOP, "Bonjour")
    assert len(api.requests_to(TOKEN, "POST")) == 2
    assert len(api.requests_to(COMMENTS, "POST")) == 1
