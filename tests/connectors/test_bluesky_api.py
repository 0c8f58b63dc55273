"""The Bluesky connector: search polling, sessions, errors and replies, against a real local HTTP
server that answers like a Bluesky PDS (the Jetstream has its own tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from sbu.connectors.base import Capability, FetchContext
from sbu.connectors.bluesky_api import BlueskyConnector
from sbu.connectors.bluesky_source import BlueskySourceConfig
from sbu.core.errors import AuthFailed, ConfigError, ConnectorError, InvalidInput, RateLimited
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.bluesky_posts import (
    ACCOUNT,
    cid_of,
    jwt,
    newest_first,
    post_uri,
    post_view,
    session_answer,
)
from tests.connectors.helpers import Waits, local_connector

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CONTEXT = FetchContext(now=NOW, source_id=7, source_name="Veille Bluesky")
PASSWORD = "k2vq-7hxm-p4ta-zr3e"
CREATE = "/xrpc/com.atproto.server.createSession"
REFRESH = "/xrpc/com.atproto.server.refreshSession"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
GET_POSTS = "/xrpc/app.bsky.feed.getPosts"
CREATE_RECORD = "/xrpc/com.atproto.repo.createRecord"
GET_RECORD = "/xrpc/com.atproto.repo.getRecord"
ACCESS = jwt(NOW + timedelta(hours=2), tag="access-1")
REFRESH_TOKEN = jwt(NOW + timedelta(days=60), scope="com.atproto.refresh", tag="refresh-1")
ACCESS_2 = jwt(NOW + timedelta(hours=4), tag="access-2")
REFRESH_TOKEN_2 = jwt(NOW + timedelta(days=61), scope="com.atproto.refresh", tag="refresh-2")
REPLY_URI = f"at://{ACCOUNT}/app.bsky.feed.post/3n3ezq4mtk22a"


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply(CREATE, Reply(json=session_answer(ACCESS, REFRESH_TOKEN)), method="POST")
        yield server


def connector(api: ApiServer, waits: Waits | None = None, **options: Any) -> BlueskyConnector:
    return local_connector(BlueskyConnector, api, waits, **options)


def config(**fields: Any) -> BlueskySourceConfig:
    values = {
        "query": "ondine box",
        "handle": "ondine.bsky.social",
        "app_password": PASSWORD,
        "limit": 3,
    }
    return BlueskySourceConfig.model_validate({**values, **fields})


def page(numbers: list[int], cursor: str | None = None) -> Reply:
    body: dict[str, Any] = {"posts": newest_first(numbers), "hitsTotal": 40}
    if cursor is not None:
        body["cursor"] = cursor
    return Reply(json=body)


def uris(result: Any) -> list[str]:
    return [item.payload["uri"] for item in result.items]


# -- the connector ------------------------------------------------------------------------------


def test_the_connector_declares_its_key_capabilities_and_model() -> None:
    bluesky = BlueskyConnector(ConnectorSettings())
    assert bluesky.key == "bluesky"
    assert bluesky.capabilities == {
        Capability.POLL,
        Capability.SEARCH,
        Capability.STREAM,
        Capability.REPLY,
    }
    assert bluesky.settings_model is BlueskySourceConfig


# -- searching ----------------------------------------------------------------------------------


def test_the_first_poll_signs_in_and_takes_the_newest_page(api: ApiServer) -> None:
    api.reply(SEARCH, page([1, 2, 3], cursor="3"))
    result = connector(api).fetch(config(lang="fr"), None, CONTEXT)
    (sign_in,) = api.requests_to(CREATE, "POST")
    assert orjson.loads(sign_in.body) == {"identifier": "ondine.bsky.social", "password": PASSWORD}
    (searched,) = api.requests_to(SEARCH)  # no backfill of the search's history
    assert searched.query == {
        "q": ["ondine box"],
        "sort": ["latest"],
        "limit": ["3"],
        "lang": ["fr"],
    }
    assert searched.headers["authorization"] == f"Bearer {ACCESS}"
    assert uris(result) == [post_uri(1), post_uri(2), post_uri(3)]
    assert {item.mapper for item in result.items} == {"bluesky"}
    assert result.items[0].locator == f"post {post_uri(1)} of the Bluesky search 'ondine box'"
    assert result.cursor is not None
    assert result.cursor["newest_uri"] == post_uri(3)
    assert result.more is False
    assert result.rejected == []
    assert result.token_expires_at == NOW + timedelta(days=60)  # the refresh token's expiry


def test_the_next_poll_pages_until_a_post_already_seen(api: ApiServer) -> None:
    api.reply(SEARCH, page([1, 2, 3], "3"), page([6, 7, 8], "3"), page([3, 4, 5], "6"))
    bluesky = connector(api)
    first = bluesky.fetch(config(), None, CONTEXT)
    result = bluesky.fetch(config(), first.cursor, CONTEXT)
    cursors = [r.param("cursor") for r in api.requests_to(SEARCH)]
    assert cursors == [None, None, "3"]  # 3 was seen on the second page: stop there
    assert uris(result) == [post_uri(n) for n in (4, 5, 6, 7, 8)]
    assert result.more is False
    assert len(api.requests_to(CREATE, "POST")) == 1  # one session for both polls


def test_a_gap_longer_than_a_poll_is_read_over_several_polls(api: ApiServer) -> None:
    api.reply(
        SEARCH,
        page([1, 2, 3], "3"),
        page([10, 11, 12], "3"),
        page([7, 8, 9], "6"),
        page([4, 5, 6], "9"),
        page([1, 2, 3], "12"),
    )
    bluesky = connector(api, pages_per_fetch=2)
    first = bluesky.fetch(config(), None, CONTEXT)
    part = bluesky.fetch(config(), first.cursor, CONTEXT)
    assert uris(part) == [post_uri(n) for n in range(7, 13)]
    assert part.more is True
    rest = bluesky.fetch(config(), part.cursor, CONTEXT)
    assert [r.param("cursor") for r in api.requests_to(SEARCH)][-2:] == ["6", "9"]
    assert uris(rest) == [post_uri(n) for n in (4, 5, 6)]
    assert rest.more is False


def test_a_malformed_post_is_rejected_and_the_page_goes_on(api: ApiServer) -> None:
    broken = post_view(2)
    broken["author"] = "gwenn"
    api.reply(SEARCH, Reply(json={"posts": [post_view(3), broken, post_view(1)]}))
    result = connector(api).fetch(config(), None, CONTEXT)
    assert uris(result) == [post_uri(1), post_uri(3)]
    (rejected,) = result.rejected
    assert rejected.locator == f"post {post_uri(2)} of the Bluesky search 'ondine box'"
    assert "'author' must be an object" in rejected.reason


def test_an_expired_token_is_refreshed_during_a_poll(api: ApiServer) -> None:
    api.reply(REFRESH, Reply(json=session_answer(ACCESS_2, REFRESH_TOKEN_2)), method="POST")
    api.reply(
        SEARCH,
        Reply(400, json={"error": "ExpiredToken", "message": "Token has expired"}),
        page([1, 2]),
    )
    result = connector(api).fetch(config(), None, CONTEXT)
    assert uris(result) == [post_uri(1), post_uri(2)]
    (refreshed,) = api.requests_to(REFRESH, "POST")
    assert refreshed.headers["authorization"] == f"Bearer {REFRESH_TOKEN}"
    assert api.requests_to(SEARCH)[-1].headers["authorization"] == f"Bearer {ACCESS_2}"
    assert result.token_expires_at == NOW + timedelta(days=61)


def test_a_wrong_app_password_pauses_the_source_with_what_to_do(api: ApiServer) -> None:
    api.reply(
        CREATE,
        Reply(
            401,
            json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        ),
        method="POST",
    )
    with pytest.raises(AuthFailed) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    message = str(caught.value)
    assert "refused the handle or app password of the source 'Veille Bluesky'" in message
    assert "Settings → Privacy and security → App passwords" in message
    assert PASSWORD not in message
    assert api.requests_to(SEARCH) == []


def test_a_429_with_a_ratelimit_reset_moves_the_next_poll(api: ApiServer) -> None:
    reset = int((NOW + timedelta(minutes=10)).timestamp())
    headers = {"RateLimit-Limit": "3000", "RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)}
    api.reply(SEARCH, Reply(429, json={"error": "RateLimitExceeded"}, headers=headers))
    with pytest.raises(RateLimited) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    assert caught.value.retry_after == pytest.approx(600)
    assert str(caught.value).startswith("Bluesky (bsky.social) asked us to slow down (HTTP 429)")
    assert len(api.requests_to(SEARCH)) == 1


# -- replying -----------------------------------------------------------------------------------


def reply_setup(api: ApiServer, parent: dict[str, Any]) -> None:
    api.reply(GET_POSTS, Reply(json={"posts": [parent]}))
    api.reply(
        CREATE_RECORD,
        Reply(json={"uri": REPLY_URI, "cid": cid_of(REPLY_URI), "validationStatus": "valid"}),
        method="POST",
    )


def test_a_reply_is_a_post_record_pointing_at_its_parent_and_thread_root(api: ApiServer) -> None:
    parent = post_view(5, reply_to=(post_uri(1), post_uri(3)), langs=["fr"])
    reply_setup(api, parent)
    text = "Bonjour Gwenn, un technicien passe demain matin. #OndineSupport"
    uri = connector(api).reply(config(), post_uri(5), text)
    assert uri == REPLY_URI
    (looked_up,) = api.requests_to(GET_POSTS)
    assert looked_up.query == {"uris": [post_uri(5)]}
    (created,) = api.requests_to(CREATE_RECORD, "POST")
    assert created.headers["authorization"] == f"Bearer {ACCESS}"
    body = orjson.loads(created.body)
    assert body["repo"] == ACCOUNT
    assert body["collection"] == "app.bsky.feed.post"
    assert len(body["rkey"]) == 13
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == text
    assert record["createdAt"] == "2026-11-28T12:00:00.000Z"
    assert record["reply"] == {
        "root": {"uri": post_uri(1), "cid": cid_of(post_uri(1))},
        "parent": {"uri": post_uri(5), "cid": cid_of(post_uri(5))},
    }
    assert record["langs"] == ["fr"]
    assert record["facets"][0]["features"][0] == {
        "$type": "app.bsky.richtext.facet#tag",
        "tag": "OndineSupport",
    }


def test_a_reply_to_a_first_post_uses_it_as_root_and_the_source_language(api: ApiServer) -> None:
    reply_setup(api, post_view(5, langs=["en"]))
    connector(api).reply(config(lang="br"), post_uri(5), "Demat !")
    record = orjson.loads(api.requests_to(CREATE_RECORD, "POST")[0].body)["record"]
    ref = {"uri": post_uri(5), "cid": cid_of(post_uri(5))}
    assert record["reply"] == {"root": ref, "parent": ref}
    assert record["langs"] == ["br"]


def test_a_reply_over_300_characters_is_refused_before_any_request(api: ApiServer) -> None:
    with pytest.raises(InvalidInput, match="Bluesky takes at most 300"):
        connector(api).reply(config(), post_uri(5), "Merci ! " * 40)
    assert api.requests == []


def test_a_reply_to_a_post_that_is_gone_says_so(api: ApiServer) -> None:
    api.reply(GET_POSTS, Reply(json={"posts": []}))
    with pytest.raises(ConnectorError, match=r"does not show the post .* it was deleted"):
        connector(api).reply(config(), post_uri(5), "Bonjour")
    assert api.requests_to(CREATE_RECORD, "POST") == []


def test_a_post_closed_to_replies_is_not_answered(api: ApiServer) -> None:
    parent = post_view(5)
    parent["viewer"] = {"replyDisabled": True}
    reply_setup(api, parent)
    with pytest.raises(
        ConnectorError, match=r"does not let the account ondine\.bsky\.social reply"
    ):
        connector(api).reply(config(), post_uri(5), "Bonjour")
    assert api.requests_to(CREATE_RECORD, "POST") == []


def test_a_reply_created_by_an_attempt_that_timed_out_is_not_posted_twice(
    api: ApiServer,
) -> None:
    api.reply(GET_POSTS, Reply(json={"posts": [post_view(5)]}))
    api.reply(
        CREATE_RECORD,
        Reply(drop=True),  # created, but the answer is lost
        Reply(400, json={"error": "InvalidRequest", "message": "Record already exists"}),
        method="POST",
    )
    api.reply(GET_RECORD, Reply(json={"uri": REPLY_URI, "cid": cid_of(REPLY_URI), "value": {}}))
    assert connector(api).reply(config(), post_uri(5), "Bonjour") == REPLY_URI
    attempts = api.requests_to(CREATE_RECORD, "POST")
    assert len(attempts) == 2
    assert orjson.loads(attempts[0].body) == orjson.loads(attempts[1].body)  # the same key
    (looked_up,) = api.requests_to(GET_RECORD)
    assert looked_up.param("rkey") == orjson.loads(attempts[0].body)["rkey"]


def test_a_refused_reply_that_was_not_created_keeps_its_error(api: ApiServer) -> None:
    api.reply(GET_POSTS, Reply(json={"posts": [post_view(5)]}))
    api.reply(
        CREATE_RECORD,
        Reply(
            400, json={"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record"}
        ),
        method="POST",
    )
    api.reply(
        GET_RECORD,
        Reply(400, json={"error": "RecordNotFound", "message": "Could not locate record"}),
    )
    with pytest.raises(ConnectorError) as caught:
        connector(api).reply(config(), post_uri(5), "Bonjour")
    assert str(caught.value) == (
        "Bluesky (bsky.social) refused com.atproto.repo.createRecord (HTTP 400: InvalidRequest: "
        "Invalid app.bsky.feed.post record): the reply was not posted; check its text and that "
        "the post can still be answered."
    )


def test_replying_needs_the_account(api: ApiServer) -> None:
    source = BlueskySourceConfig.model_validate({"mode": "jetstream"})
    with pytest.raises(ConfigError, match="needs the handle of the account that answers"):
        connector(api).reply(source, post_uri(5), "Bonjour")
