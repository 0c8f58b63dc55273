"""Opening X's filtered stream: its refusals as sbu errors, against a real local HTTP server."""

from __future__ import annotations

import pytest

from sbu.connectors.x_stream_connection import STREAM
from sbu.core.errors import AuthFailed, RateLimited
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.x_tweets import (
    CONTEXT,
    QUERY,
    TAG,
    TOKEN,
    collect,
    connector,
    rules,
    stream_config,
)


def test_a_second_connection_is_rate_limited_with_a_sentence(api: ApiServer) -> None:
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(
        STREAM,
        Reply(
            429,
            json={
                "title": "ConnectionException",
                "detail": "This stream is currently at the maximum allowed connection limit.",
                "connection_issue": "TooManyConnections",
                "type": "https://api.twitter.com/2/problems/streaming-connection",
            },
        ),
    )
    with pytest.raises(RateLimited) as caught:
        collect(connector(api).stream(stream_config(), None, CONTEXT))
    assert caught.value.retry_after == 60
    assert "pay-per-use access allows one per app" in str(caught.value)


def test_a_refused_token_on_the_stream_is_auth_failed(api: ApiServer) -> None:
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(STREAM, Reply(401, json={"title": "Unauthorized", "detail": "Unauthorized"}))
    with pytest.raises(AuthFailed) as caught:
        collect(connector(api).stream(stream_config(), None, CONTEXT))
    assert str(caught.value).startswith(
        "X refused the source's bearer_token when opening the filtered stream (HTTP 401"
    )
    assert TOKEN not in str(caught.value)
