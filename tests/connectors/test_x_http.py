"""X's refusals of REST calls as sentences (401, 403, 402, 400, an answer that is not an
object), against a real local HTTP server that answers like X's API v2."""

from __future__ import annotations

import pytest

from sbu.connectors.x_search import SEARCH
from sbu.core.errors import AuthFailed, ConnectorError
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.x_tweets import (
    CONTEXT,
    TOKEN,
    config,
    connector,
)


def test_a_refused_token_is_auth_failed_with_a_sentence(api: ApiServer) -> None:
    api.reply(
        SEARCH,
        Reply(401, json={"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}),
    )
    with pytest.raises(AuthFailed) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    message = str(caught.value)
    assert message.startswith(
        "X refused the source's bearer_token for the recent search (HTTP 401: Unauthorized)"
    )
    assert "Copy the app's Bearer Token again from the X developer console" in message
    assert TOKEN not in message
    assert len(api.requests_to(SEARCH)) == 1  # never retried


def test_an_app_without_access_is_auth_failed_with_x_s_reason(api: ApiServer) -> None:
    api.reply(
        SEARCH,
        Reply(
            403,
            json={
                "title": "Client Forbidden",
                "detail": "When authenticating requests to the X API v2 endpoints, you must "
                "use keys and tokens from an X developer App that is attached to a Project.",
                "reason": "client-not-enrolled",
                "type": "https://api.twitter.com/2/problems/client-forbidden",
            },
        ),
    )
    with pytest.raises(AuthFailed) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    message = str(caught.value)
    assert message.startswith("X refused the recent search (HTTP 403: When authenticating")
    assert "check the app and its project in the X developer console" in message


def test_no_credits_left_is_a_sentence(api: ApiServer) -> None:
    api.reply(
        SEARCH,
        Reply(
            402,
            json={
                "title": "CreditsDepleted",
                "detail": "Your enrolled account does not have any credits to fulfill this "
                "request.",
                "type": "https://api.twitter.com/2/problems/credits",
            },
        ),
    )
    with pytest.raises(ConnectorError) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    assert type(caught.value) is ConnectorError
    assert str(caught.value).startswith(
        "X refused the recent search because the account has no credits left (HTTP 402: "
    )
    assert "buy credits or turn on auto-recharge" in str(caught.value)


def test_a_query_x_refuses_is_a_sentence_with_x_s_own_message(api: ApiServer) -> None:
    api.reply(
        SEARCH,
        Reply(
            400,
            json={
                "errors": [
                    {
                        "parameters": {"query": ["ondine (panne OR coupure)"]},
                        "message": "There were errors processing your request: Ambiguous use "
                        "of or as a keyword (at position 8)",
                    }
                ],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            },
        ),
    )
    with pytest.raises(ConnectorError, match="HTTP 400: There were errors processing") as caught:
        connector(api).fetch(config(), None, CONTEXT)
    assert "check the source's query" in str(caught.value)


def test_an_answer_that_is_not_an_object_is_a_sentence(api: ApiServer) -> None:
    api.reply(SEARCH, Reply(json=[1, 2, 3]))
    with pytest.raises(ConnectorError, match="with list instead of a JSON object"):
        connector(api).fetch(config(), None, CONTEXT)
