"""The ``linkedin`` connector against a real local HTTP server replaying the Community
Management API: versioned headers, first and next polls, replies read only when their count
changes, paging, posts, malformed comments, token, permission, version and rate-limit errors,
and replies as the organization."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.linkedin_mapping import LinkedInMapper
from sbu.connectors.owned_linkedin import LinkedInConnector, LinkedInSourceConfig
from sbu.core.errors import AuthFailed, ConnectorError, InvalidInput, RateLimited, Transient
from sbu.settings import ConnectorSettings
from tests.conftest import NOW
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.owned_payloads import (
    LINKEDIN_TOKEN,
    ORGANIZATION,
    Waits,
    load,
    local_connector,
)

CONTEXT = FetchContext(now=NOW, source_id=5, source_name="LinkedIn Télécom Ouest")
POST = "urn:li:share:7266789012345678848"
OTHER_POST = "urn:li:ugcPost:7266123456789012480"
ACTIVITY = "urn:li:activity:7266789013125603328"
QUESTION = f"urn:li:comment:({ACTIVITY},7266811129384761344)"
ANSWER = f"urn:li:comment:({ACTIVITY},7266993307745046528)"
LATER = f"urn:li:comment:({ACTIVITY},7266985542019272704)"
POSTS = "/rest/posts"
COMMENTS = "/rest/socialActions/urn%3Ali%3Ashare%3A7266789012345678848/comments"
OTHER_COMMENTS = "/rest/socialActions/urn%3Ali%3AugcPost%3A7266123456789012480/comments"
REPLIES = (
    "/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7266789013125603328"
    "%2C7266811129384761344%29/comments"
)
EXPIRES = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def waits() -> Waits:
    return Waits()


def connector(api: ApiServer, waits: Waits) -> LinkedInConnector:
    return local_connector(LinkedInConnector, f"{api.base}/rest", waits)


def config(**overrides: Any) -> LinkedInSourceConfig:
    values: dict[str, Any] = {"organization_id": "2414183", "access_token": LINKEDIN_TOKEN}
    return LinkedInSourceConfig.model_validate({**values, **overrides})


def elements(*items: Any, total: int | None = None) -> dict[str, Any]:
    paging: dict[str, Any] = {"start": 0, "count": 100, "links": []}
    if total is not None:
        paging["total"] = total
    return {"paging": paging, "elements": list(items)}


def comment(
    ident: str, when: datetime, text: str = "Et à Morlaix, des postes ?", **extra: Any
) -> dict[str, Any]:
    millis = int(when.timestamp() * 1000)
    urn = f"urn:li:comment:({ACTIVITY},{ident})"
    return {
        "actor": "urn:li:person:Ty6pW3mZ0a",
        "commentUrn": urn,
        "created": {"actor": "urn:li:person:Ty6pW3mZ0a", "time": millis},
        "lastModified": {"actor": "urn:li:person:Ty6pW3mZ0a", "time": millis},
        "id": ident,
        "likesSummary": {"totalLikes": 0, "aggregatedTotalLikes": 0, "likedByCurrentUser": False},
        "message": {"attributes": [], "text": text},
        "object": ACTIVITY,
        "commentsSummary": {
            "totalFirstLevelComments": 0,
            "aggregatedTotalComments": 0,
            "selectedComments": [],
        },
        "$URN": urn,
        **extra,
    }


def serve(api: ApiServer, comments: dict[str, Any] | None = None) -> None:
    api.reply(POSTS, Reply(json=load("linkedin/posts.json")))
    api.reply(COMMENTS, Reply(json=comments or load("linkedin/comments.json")))
    api.reply(OTHER_COMMENTS, Reply(json=elements(total=0)))
    api.reply(REPLIES, Reply(json=load("linkedin/replies.json")))


def urns(result: FetchResult) -> list[str]:
    found = []
    for item in result.items:
        part = item.payload.get("comment")
        found.append(part["commentUrn"] if part else item.payload["post"]["id"])
    return found


def linkedin_error(status: int, code: str, message: str, service: int = 65600) -> dict[str, Any]:
    return {"status": status, "serviceErrorCode": service, "code": code, "message": message}


# -- the connector and its polls ------------------------------------------------------------


def test_the_connector_declares_owned_channel_poll_and_reply() -> None:
    linkedin = LinkedInConnector(ConnectorSettings())
    assert linkedin.key == "linkedin"
    assert linkedin.capabilities == frozenset(
        {Capability.OWNED_CHANNEL, Capability.POLL, Capability.REPLY}
    )
    assert linkedin.settings_model is LinkedInSourceConfig
    assert linkedin.default_poll_seconds == 900


def test_first_poll_sends_the_versioned_headers_and_takes_comments_and_replies(
    api: ApiServer, waits: Waits
) -> None:
    serve(api)
    result = connector(api, waits).fetch(config(token_expires_at=EXPIRES), None, CONTEXT)

    assert urns(result) == [QUESTION, LATER, ANSWER]
    assert {item.mapper for item in result.items} == {"linkedin"}
    first = result.items[0]
    assert first.payload["organization"] == ORGANIZATION
    assert first.payload["post"] == {"id": POST}
    assert first.locator == f"comment {QUESTION} on LinkedIn post {POST}"
    assert result.items[2].payload["comment"]["parentComment"] == QUESTION
    for item in result.items:
        LinkedInMapper().to_mention(item.payload)
    assert result.rejected == []
    assert result.token_expires_at == EXPIRES
    assert result.usage is None

    (posts,) = api.requests_to(POSTS)
    assert posts.headers["authorization"] == f"Bearer {LINKEDIN_TOKEN}"
    assert posts.headers["linkedin-version"] == "202411"
    assert posts.headers["x-restli-protocol-version"] == "2.0.0"
    assert posts.query == {"author": [ORGANIZATION], "q": ["author"], "count": ["20"]}
    (comments,) = api.requests_to(COMMENTS)
    assert comments.query == {"start": ["0"], "count": ["100"]}
    assert len(api.requests_to(REPLIES)) == 1
    assert len(api.requests_to(OTHER_COMMENTS)) == 1

    assert result.cursor is not None
    assert result.cursor["account"] == ORGANIZATION
    assert result.cursor["posts"][POST]["counts"] == {QUESTION: 1}
    assert result.cursor["posts"][POST]["newest"] == "2026-11-28T08:15:55+00:00"


def test_replies_are_read_again_only_when_their_count_grows(api: ApiServer, waits: Waits) -> None:
    serve(api)
    linkedin = connector(api, waits)
    first = linkedin.fetch(config(), None, CONTEXT)
    later = FetchContext(NOW + timedelta(minutes=15), 5, "LinkedIn")
    second = linkedin.fetch(config(), first.cursor, later)
    assert second.items == []
    assert len(api.requests_to(REPLIES)) == 1  # the count did not change: not read again

    listing = load("linkedin/comments.json")
    listing["elements"][0]["commentsSummary"]["totalFirstLevelComments"] = 2
    api.reply(COMMENTS, Reply(json=listing))
    replies = load("linkedin/replies.json")
    new_reply = comment(
        "7267000000000000001",
        NOW + timedelta(minutes=10),
        "Merci, c'est noté !",
        parentComment=QUESTION,
    )
    replies["elements"].append(new_reply)
    api.reply(REPLIES, Reply(json=replies))
    third = linkedin.fetch(
        config(), second.cursor, FetchContext(NOW + timedelta(minutes=30), 5, "LinkedIn")
    )
    assert urns(third) == [new_reply["commentUrn"]]
    assert len(api.requests_to(REPLIES)) == 2
    assert third.cursor is not None
    assert third.cursor["posts"][POST]["counts"] == {QUESTION: 2}


def test_the_first_poll_takes_the_last_day_only(api: ApiServer, waits: Waits) -> None:
    fresh = comment("7267000000000000010", NOW - timedelta(hours=2))
    stale = comment("7267000000000000011", NOW - timedelta(days=3))
    serve(api, elements(stale, fresh, total=2))
    result = connector(api, waits).fetch(config(), None, CONTEXT)
    assert urns(result) == [fresh["commentUrn"]]


def test_comments_are_paged_with_start_and_count(api: ApiServer, waits: Waits) -> None:
    one = comment("7267000000000000021", NOW - timedelta(hours=2))
    two = comment("7267000000000000022", NOW - timedelta(hours=1))
    serve(api)
    api.reply(COMMENTS, Reply(json=elements(one, total=2)), Reply(json=elements(two, total=2)))
    result = connector(api, waits).fetch(config(), None, CONTEXT)

    assert urns(result) == [one["commentUrn"], two["commentUrn"]]
    assert [r.param("start") for r in api.requests_to(COMMENTS)] == ["0", "1"]


def test_include_posts_hands_over_the_new_posts_in_plain_text(api: ApiServer, waits: Waits) -> None:
    serve(api)
    result = connector(api, waits).fetch(config(include_posts=True), None, CONTEXT)
    posts = [item for item in result.items if "comment" not in item.payload]
    assert [item.payload["post"]["id"] for item in posts] == [POST]  # the other is two days old
    assert result.items[0] is posts[0]
    draft = LinkedInMapper().to_mention(posts[0].payload)
    assert "(CDI, Quimper et Brest)" in draft.text


def test_old_and_unpublished_posts_are_not_watched(api: ApiServer, waits: Waits) -> None:
    listing = load("linkedin/posts.json")
    listing["elements"][0]["lifecycleState"] = "DRAFT"
    serve(api)
    api.reply(POSTS, Reply(json=listing))
    result = connector(api, waits).fetch(config(watch_days=1), None, CONTEXT)
    assert result.cursor is not None
    assert result.cursor["posts"] == {}
    assert api.requests_to(COMMENTS) == []
    assert api.requests_to(OTHER_COMMENTS) == []


def test_a_malformed_comment_is_rejected_and_the_page_goes_on(api: ApiServer, waits: Waits) -> None:
    listing = load("linkedin/comments.json")
    listing["elements"][1]["created"] = {"actor": "urn:li:person:Qm7vB2nW8z", "time": "hier"}
    listing["elements"].append({"message": {"text": "sans identifiant"}})
    serve(api, listing)
    result = connector(api, waits).fetch(config(), None, CONTEXT)

    assert urns(result) == [QUESTION, ANSWER]
    reasons = {r.locator: r.reason for r in result.rejected}
    assert "'comment.created.time'" in reasons[f"comment {LATER} on LinkedIn post {POST}"]
    assert reasons[f"comment 3 on LinkedIn post {POST}"].endswith(
        "cannot be told apart from the others."
    )


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("EXPIRED_ACCESS_TOKEN", "it expired (LinkedIn tokens last 60 days)"),
        ("REVOKED_ACCESS_TOKEN", "it was revoked"),
        ("SOMETHING_ELSE", "it is no longer valid"),
    ],
)
def test_a_refused_token_pauses_the_source_with_a_sentence(
    api: ApiServer, waits: Waits, code: str, why: str
) -> None:
    api.reply(
        POSTS,
        Reply(401, json=linkedin_error(401, code, "The token used in the request has expired")),
    )
    with pytest.raises(AuthFailed) as caught:
        connector(api, waits).fetch(config(), None, CONTEXT)
    text = str(caught.value)
    assert text.startswith(
        "LinkedIn organization 2414183 (source 'LinkedIn Télécom Ouest'): LinkedIn refused the access token"
    )
    assert why in text
    assert f"HTTP 401, {code}: The token used in the request has expired" in text
    assert LINKEDIN_TOKEN not in text


def test_a_missing_permission_or_role_is_an_auth_failure(api: ApiServer, waits: Waits) -> None:
    serve(api)
    api.reply(
        COMMENTS,
        Reply(
            403,
            json=linkedin_error(
                403, "ACCESS_DENIED", "Not enough permissions to access: GET /socialActions", 100
            ),
        ),
    )
    with pytest.raises(
        AuthFailed, match="needs the r_organization_social and w_organization_social"
    ):
        connector(api, waits).fetch(config(), None, CONTEXT)


def test_a_version_no_longer_served_says_which_setting_to_change(
    api: ApiServer, waits: Waits
) -> None:
    api.reply(
        POSTS,
        Reply(
            426,
            json=linkedin_error(
                426, "NONEXISTENT_VERSION", "Requested version 20230101 is not active"
            ),
        ),
    )
    with pytest.raises(ConnectorError, match="set the source's linkedin_version to a recent month"):
        connector(api, waits).fetch(config(linkedin_version="202301"), None, CONTEXT)
    assert api.requests_to(POSTS)[0].headers["linkedin-version"] == "202301"


def test_the_daily_limit_moves_the_next_poll_to_midnight_utc(api: ApiServer, waits: Waits) -> None:
    api.reply(
        POSTS,
        Reply(
            429,
            json=linkedin_error(429, "TOO_MANY_REQUESTS", "Resource level throttle limit reached"),
        ),
    )
    with pytest.raises(RateLimited) as caught:
        connector(api, waits).fetch(config(), None, CONTEXT)
    assert len(api.requests_to(POSTS)) == 4  # the shared client's retries, then sbu gives up
    assert caught.value.retry_after is not None
    midnight = datetime(2026, 11, 29, tzinfo=UTC)
    assert caught.value.retry_after == pytest.approx((midnight - waits.now).total_seconds())
    assert "reset at midnight UTC" in str(caught.value)


def test_a_long_retry_after_is_honoured(api: ApiServer, waits: Waits) -> None:
    api.reply(POSTS, Reply(429, headers={"Retry-After": "7200"}))
    with pytest.raises(RateLimited) as caught:
        connector(api, waits).fetch(config(), None, CONTEXT)
    assert caught.value.retry_after == 7200


def test_server_errors_stay_transient(api: ApiServer, waits: Waits) -> None:
    api.reply(POSTS, Reply(503))
    with pytest.raises(Transient):
        connector(api, waits).fetch(config(), None, CONTEXT)


# -- replies --------------------------------------------------------------------------------


def test_a_reply_to_a_comment_is_a_nested_comment_of_the_organization(
    api: ApiServer, waits: Waits
) -> None:
    created = comment(
        "7267000000000000099", NOW, "Bonjour, oui !", actor=ORGANIZATION, parentComment=QUESTION
    )
    api.reply(REPLIES, Reply(201, json=created), method="POST")
    new_urn = connector(api, waits).reply(
        config(), QUESTION, "Bonjour, oui ! Écrivez-nous (recrutement)."
    )

    assert new_urn == created["commentUrn"]
    (sent,) = api.requests_to(REPLIES, "POST")
    assert sent.headers["authorization"] == f"Bearer {LINKEDIN_TOKEN}"
    assert sent.headers["linkedin-version"] == "202411"
    assert orjson.loads(sent.body) == {
        "actor": ORGANIZATION,
        "object": ACTIVITY,
        "message": {"text": "Bonjour, oui ! Écrivez-nous (recrutement)."},
        "parentComment": QUESTION,
    }


def test_a_reply_to_a_post_reads_the_new_id_from_the_header(api: ApiServer, waits: Waits) -> None:
    api.reply(
        COMMENTS,
        Reply(201, body=b"", headers={"x-restli-id": "7267000000000000123"}),
        method="POST",
    )
    new_urn = connector(api, waits).reply(config(), POST, "Merci à tous pour vos candidatures !")
    assert new_urn == f"urn:li:comment:({POST},7267000000000000123)"
    (sent,) = api.requests_to(COMMENTS, "POST")
    body = orjson.loads(sent.body)
    assert body["object"] == POST
    assert "parentComment" not in body


def test_a_reply_is_sent_once_even_when_linkedin_fails(api: ApiServer, waits: Waits) -> None:
    api.reply(REPLIES, Reply(502), method="POST")
    with pytest.raises(Transient, match="may or may not have been posted"):
        connector(api, waits).reply(config(), QUESTION, "Bonjour")
    assert len(api.requests_to(REPLIES, "POST")) == 1


@pytest.mark.parametrize(
    ("target", "text", "expected"),
    [
        ("urn:li:person:Xk3pL9qR2t", "Bonjour", "is not the URN of a LinkedIn comment or post"),
        ("../organizations/1", "Bonjour", "is not the URN"),
        (QUESTION, "  ", "The reply is empty"),
        (QUESTION, "x" * 1251, "LinkedIn takes at most 1,250"),
    ],
)
def test_a_reply_is_checked_before_anything_is_sent(
    api: ApiServer, waits: Waits, target: str, text: str, expected: str
) -> None:
    with pytest.raises(InvalidInput, match=expected):
        connector(api, waits).reply(config(), target, text)
    assert api.requests == []


def test_a_reply_with_a_revoked_token_is_an_auth_failure(api: ApiServer, waits: Waits) -> None:
    api.reply(
        REPLIES,
        Reply(401, json=linkedin_error(401, "REVOKED_ACCESS_TOKEN", "Revoked")),
        method="POST",
    )
    with pytest.raises(AuthFailed, match="because it was revoked"):
        connector(api, waits).reply(config(), QUESTION, "Bonjour")
