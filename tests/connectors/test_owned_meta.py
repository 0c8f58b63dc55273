"""The ``facebook`` and ``instagram`` connectors against a real local HTTP server replaying the
Graph API: first and next polls, paging, the cursor, posts, malformed and textless comments,
token and rate-limit errors, usage headers, replies; and one poll through poll_source into the
database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import orjson
import pytest
from sqlalchemy import select

from sbu.bootstrap import build
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.meta_mapping import FacebookMapper, InstagramMapper
from sbu.connectors.owned_meta import (
    MAX_COMMENT_PAGES,
    FacebookConnector,
    FacebookSourceConfig,
    InstagramConnector,
    InstagramSourceConfig,
)
from sbu.connectors.registry import Registry, build_registry
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import AuthFailed, ConnectorError, InvalidInput, RateLimited, Transient
from sbu.listening.models import Mention, Source
from sbu.listening.polling import poll_source
from sbu.listening.services import create_source
from sbu.settings import ConnectorSettings
from tests.conftest import NOW, make_settings
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.owned_payloads import (
    IG_ACCOUNT,
    PAGE_ID,
    PAGE_TOKEN,
    Waits,
    load,
    local_connector,
)

CONTEXT = FetchContext(now=NOW, source_id=3, source_name="Page Télécom Ouest")
POST = "104729381726354_918273645501928"
OLD_POST = "104729381726354_918273645501777"
POSTS = f"/v21.0/{PAGE_ID}/posts"
COMMENTS = f"/v21.0/{POST}/comments"
OLD_COMMENTS = f"/v21.0/{OLD_POST}/comments"
MEDIA = "17984512367290144"
QUIET_MEDIA = "17984512367290098"
EXPIRES = datetime(2027, 1, 26, tzinfo=UTC)


@pytest.fixture
def waits() -> Waits:
    return Waits()


def facebook(api: ApiServer, waits: Waits, **settings: Any) -> FacebookConnector:
    return local_connector(FacebookConnector, f"{api.base}/v21.0", waits, **settings)


def instagram(api: ApiServer, waits: Waits) -> InstagramConnector:
    return local_connector(InstagramConnector, f"{api.base}/v21.0", waits)


def fb_config(**overrides: Any) -> FacebookSourceConfig:
    values: dict[str, Any] = {"page_id": PAGE_ID, "access_token": PAGE_TOKEN}
    return FacebookSourceConfig.model_validate({**values, **overrides})


def ig_config(**overrides: Any) -> InstagramSourceConfig:
    values: dict[str, Any] = {"account_id": IG_ACCOUNT, "access_token": PAGE_TOKEN}
    return InstagramSourceConfig.model_validate({**values, **overrides})


def comment(
    ident: str, when: datetime, text: str = "Encore une coupure à Brest ce soir."
) -> dict[str, Any]:
    return {
        "id": f"918273645501928_{ident}",
        "message": text,
        "created_time": when.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "from": {"name": "Soazig Kerleau", "id": "7310254488119099"},
        "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/918273645501928?comment_id={ident}",
        "like_count": 0,
        "comment_count": 0,
    }


def page(*comments: Any, after: str | None = None) -> dict[str, Any]:
    paging: dict[str, Any] = {"cursors": {"before": "QkVGT1JF", "after": after or "RU5E"}}
    if after:
        paging["next"] = f"https://graph.facebook.com/v21.0/{POST}/comments?after={after}"
    return {"data": list(comments), "paging": paging}


def serve_facebook(api: ApiServer, comments: dict[str, Any] | None = None, **headers: str) -> None:
    api.reply(POSTS, Reply(json=load("facebook/posts.json"), headers=headers))
    api.reply(COMMENTS, Reply(json=comments or load("facebook/comments.json")))
    api.reply(OLD_COMMENTS, Reply(json=page()))


def ids(result: FetchResult) -> list[str]:
    """The id of each item: its comment's, or else its post's (or media's)."""
    found = []
    for item in result.items:
        payload = item.payload
        found.append((payload.get("comment") or payload.get("post") or payload["media"])["id"])
    return found


def graph_error(code: int, subcode: int | None = None, message: str = "Refused") -> dict[str, Any]:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "A1b2C3d4E5f",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


# -- the connectors -------------------------------------------------------------------------


def test_the_connectors_declare_owned_channel_poll_and_reply() -> None:
    for connector, key, model in (
        (FacebookConnector(ConnectorSettings()), "facebook", FacebookSourceConfig),
        (InstagramConnector(ConnectorSettings()), "instagram", InstagramSourceConfig),
    ):
        assert connector.key == key
        assert connector.capabilities == frozenset(
            {Capability.OWNED_CHANNEL, Capability.POLL, Capability.REPLY}
        )
        assert connector.settings_model is model
        assert connector.default_poll_seconds == 900
        assert connector.title.strip()


# -- Facebook polls -------------------------------------------------------------------------


def test_first_poll_reads_the_recent_posts_and_hands_over_their_comments_oldest_first(
    api: ApiServer, waits: Waits
) -> None:
    serve_facebook(api, **{"X-App-Usage": '{"call_count":12,"total_time":7,"total_cputime":3}'})
    result = facebook(api, waits).fetch(fb_config(token_expires_at=EXPIRES), None, CONTEXT)

    assert ids(result) == [
        "918273645501928_1187364512093843",
        "918273645501928_1187364512093849",
        "918273645501928_1187364512093851",
    ]
    first = result.items[0]
    assert first.mapper == "facebook"
    assert first.locator == f"comment 918273645501928_1187364512093843 on Facebook post {POST}"
    assert first.payload["page_id"] == PAGE_ID
    assert first.payload["post"] == {
        "id": POST,
        "permalink_url": "https://www.facebook.com/104729381726354/posts/918273645501928",
    }
    assert result.rejected == []
    assert result.more is False
    assert result.token_expires_at == EXPIRES
    assert result.usage is not None
    assert (result.usage.quota_used, result.usage.quota_limit) == (12.0, 100.0)
    assert result.usage.unit == "% of the hourly app limit"

    (posts,) = api.requests_to(POSTS)
    assert posts.headers["authorization"] == f"Bearer {PAGE_TOKEN}"
    assert posts.param("fields") == "id,message,created_time,permalink_url,from{id,name}"
    assert posts.param("limit") == "20"
    assert posts.param("since") == str(int((NOW - timedelta(days=30)).timestamp()))
    assert "access_token" not in posts.query  # the token travels in a header only
    (comments,) = api.requests_to(COMMENTS)
    assert comments.param("order") == "reverse_chronological"
    assert comments.param("filter") == "stream"
    assert comments.param("fields") == (
        "id,message,created_time,from{id,name},parent{id},permalink_url,like_count,comment_count"
    )
    assert len(api.requests_to(OLD_COMMENTS)) == 1

    assert result.cursor is not None
    assert result.cursor["account"] == PAGE_ID
    assert result.cursor["polled_at"] == NOW.isoformat()
    assert list(result.cursor["posts"]) == [POST, OLD_POST]
    mark = result.cursor["posts"][POST]
    assert mark["newest"] == "2026-11-28T08:31:02+00:00"
    assert set(mark["recent"]) == {"918273645501928_1187364512093851"}
    assert result.cursor["posts"][OLD_POST]["newest"] == (NOW - timedelta(days=1)).isoformat()


def test_the_first_poll_takes_the_last_day_only_and_stops_reading_there(
    api: ApiServer, waits: Waits
) -> None:
    fresh = comment("1187364512090001", NOW - timedelta(hours=3))
    stale = comment("1187364512080000", NOW - timedelta(days=2))
    serve_facebook(api, page(fresh, stale, after="TkVYVA"))
    result = facebook(api, waits).fetch(fb_config(), None, CONTEXT)

    assert ids(result) == [fresh["id"]]
    assert len(api.requests_to(COMMENTS)) == 1  # the older page is not asked for
    assert result.notes == []


def test_pages_are_followed_with_the_after_cursor(api: ApiServer, waits: Waits) -> None:
    newer = [comment(f"11873645120{n:05d}", NOW - timedelta(minutes=n)) for n in range(1, 4)]
    older = [comment(f"11873645121{n:05d}", NOW - timedelta(hours=n)) for n in range(1, 3)]
    serve_facebook(api)
    api.reply(COMMENTS, Reply(json=page(*newer, after="UEFHRTI")), Reply(json=page(*older)))
    result = facebook(api, waits).fetch(fb_config(), None, CONTEXT)

    assert ids(result) == [c["id"] for c in [*older[::-1], *newer[::-1]]]
    first, second = api.requests_to(COMMENTS)
    assert first.param("after") is None
    assert second.param("after") == "UEFHRTI"


def test_a_post_with_more_comments_than_a_poll_reads_says_so(api: ApiServer, waits: Waits) -> None:
    serve_facebook(api)
    endless = [comment(f"1{n:015d}", NOW - timedelta(seconds=n)) for n in range(1, 3)]
    api.reply(COMMENTS, Reply(json=page(*endless, after="TU9SRQ")))
    result = facebook(api, waits).fetch(fb_config(), None, CONTEXT)

    assert len(api.requests_to(COMMENTS)) == MAX_COMMENT_PAGES
    assert len(result.items) == 2  # the same two on every page: taken once
    assert any("more comments than sbu reads in one poll" in note for note in result.notes)


def test_the_next_poll_takes_only_new_comments_even_within_the_same_second(
    api: ApiServer, waits: Waits
) -> None:
    serve_facebook(api)
    connector = facebook(api, waits)
    first = connector.fetch(fb_config(), None, CONTEXT)
    newest = datetime(2026, 11, 28, 8, 31, 2, tzinfo=UTC)  # the newest comment's second
    same_second = comment("1187364512093852", newest, "Même souci à Pont-l'Abbé.")
    later = comment("1187364512093860", NOW + timedelta(minutes=4), "Et maintenant la 4G aussi.")
    fixture = load("facebook/comments.json")
    api.reply(COMMENTS, Reply(json=page(later, same_second, *fixture["data"])))
    second = connector.fetch(
        fb_config(), first.cursor, FetchContext(NOW + timedelta(minutes=5), 3, "Page")
    )

    assert ids(second) == [same_second["id"], later["id"]]
    third = connector.fetch(
        fb_config(), second.cursor, FetchContext(NOW + timedelta(minutes=10), 3, "Page")
    )
    assert third.items == []


def test_a_cursor_of_another_page_is_not_used(api: ApiServer, waits: Waits) -> None:
    serve_facebook(api)
    connector = facebook(api, waits)
    first = connector.fetch(fb_config(), None, CONTEXT)
    assert first.cursor is not None
    other = {**first.cursor, "account": "999999999"}
    again = connector.fetch(fb_config(), other, CONTEXT)
    assert len(again.items) == 3


def test_include_posts_hands_over_the_posts_of_the_last_day_once(
    api: ApiServer, waits: Waits
) -> None:
    serve_facebook(api)
    connector = facebook(api, waits)
    first = connector.fetch(fb_config(include_posts=True), None, CONTEXT)

    posts = [item for item in first.items if "comment" not in item.payload]
    assert [item.payload["post"]["id"] for item in posts] == [POST]  # the other is 2 days old
    assert posts[0].payload["post"]["message"].startswith("Travaux sur le réseau fibre")
    assert first.items[0] is posts[0]  # oldest first: the post before its comments
    second = connector.fetch(fb_config(include_posts=True), first.cursor, CONTEXT)
    assert second.items == []


def test_a_malformed_comment_is_rejected_once_and_the_page_goes_on(
    api: ApiServer, waits: Waits
) -> None:
    fixture = load("facebook/comments.json")
    fixture["data"][1]["like_count"] = "beaucoup"
    fixture["data"][2]["created_time"] = "hier soir"
    fixture["data"].insert(0, "pas un commentaire")
    serve_facebook(api, fixture)
    connector = facebook(api, waits)
    result = connector.fetch(fb_config(), None, CONTEXT)

    assert ids(result) == ["918273645501928_1187364512093851"]
    reasons = {r.locator: r.reason for r in result.rejected}
    bad = f"comment 918273645501928_1187364512093849 on Facebook post {POST}"
    assert "whole number" in reasons[bad]
    undated = f"comment 918273645501928_1187364512093843 on Facebook post {POST}"
    assert "'comment.created_time' holds 'hier soir'" in reasons[undated]
    assert reasons[f"comment 1 on Facebook post {POST}"].endswith(
        "cannot be told apart from the others."
    )
    assert '"beaucoup"' in next(r.payload for r in result.rejected if r.locator == bad)
    again = connector.fetch(fb_config(), result.cursor, CONTEXT)
    assert [r.locator for r in again.rejected] == [f"comment 1 on Facebook post {POST}"]


def test_comments_without_text_are_skipped_and_counted(api: ApiServer, waits: Waits) -> None:
    sticker = comment("1187364512093855", NOW - timedelta(minutes=20), "")
    fixture = load("facebook/comments.json")
    serve_facebook(api, page(sticker, *fixture["data"]))
    result = facebook(api, waits).fetch(fb_config(), None, CONTEXT)

    assert len(result.items) == 3
    assert result.rejected == []
    assert result.notes == [
        "1 new Facebook comments had no text (a sticker, photo or GIF alone) and were skipped."
    ]


# -- Facebook errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "subcode", "why"),
    [(400, 463, "it expired"), (401, 460, "password changed"), (400, None, "no longer valid")],
)
def test_an_expired_or_invalid_token_pauses_the_source_with_a_sentence(
    api: ApiServer, waits: Waits, status: int, subcode: int | None, why: str
) -> None:
    message = "Error validating access token: Session has expired on Friday, 27-Nov-26."
    api.reply(POSTS, Reply(status, json=graph_error(190, subcode, message)))
    with pytest.raises(AuthFailed) as caught:
        facebook(api, waits).fetch(fb_config(), None, CONTEXT)

    text = str(caught.value)
    assert text.startswith(
        f"Facebook Page {PAGE_ID} (source 'Page Télécom Ouest'): Meta refused the access token"
    )
    assert why in text
    assert "code 190" in text
    assert "Session has expired" in text
    assert "enter it in Settings → Sources" in text
    assert PAGE_TOKEN not in text
    assert len(api.requests_to(POSTS)) == 1  # not retried


def test_a_missing_permission_is_an_auth_failure_naming_the_fix(
    api: ApiServer, waits: Waits
) -> None:
    serve_facebook(api)
    api.reply(
        COMMENTS,
        Reply(
            403,
            json=graph_error(
                10, message="(#10) This endpoint requires the 'pages_read_engagement' permission"
            ),
        ),
    )
    with pytest.raises(AuthFailed, match="lacks a permission or the page role"):
        facebook(api, waits).fetch(fb_config(), None, CONTEXT)


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_rate_limit_codes_move_the_next_poll(api: ApiServer, waits: Waits, code: int) -> None:
    api.reply(
        POSTS,
        Reply(
            400 if code != 4 else 403,
            json=graph_error(code, message="(#4) Application request limit reached"),
        ),
    )
    with pytest.raises(RateLimited) as caught:
        facebook(api, waits).fetch(fb_config(), None, CONTEXT)
    assert caught.value.retry_after == 3600.0
    assert f"code {code}" in str(caught.value)
    assert "sbu asks again in 60 min" in str(caught.value)


def test_the_wait_comes_from_the_business_use_case_header_when_given(
    api: ApiServer, waits: Waits
) -> None:
    usage = {
        PAGE_ID: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 40,
                "total_time": 55,
                "estimated_time_to_regain_access": 17,
            }
        ]
    }
    api.reply(
        POSTS,
        Reply(
            400,
            json=graph_error(80001, message="There have been too many calls to this Page account."),
            headers={"X-Business-Use-Case-Usage": orjson.dumps(usage).decode()},
        ),
    )
    with pytest.raises(RateLimited) as caught:
        facebook(api, waits).fetch(fb_config(), None, CONTEXT)
    assert caught.value.retry_after == 17 * 60


def test_usage_is_the_highest_percentage_of_both_headers(api: ApiServer, waits: Waits) -> None:
    business = {
        PAGE_ID: [
            {
                "type": "pages",
                "call_count": 9,
                "total_cputime": 61,
                "total_time": 20,
                "estimated_time_to_regain_access": 0,
            }
        ]
    }
    serve_facebook(
        api,
        **{
            "X-App-Usage": '{"call_count":12,"total_time":7,"total_cputime":3}',
            "X-Business-Use-Case-Usage": orjson.dumps(business).decode(),
        },
    )
    result = facebook(api, waits).fetch(fb_config(), None, CONTEXT)
    assert result.usage is not None
    assert result.usage.quota_used == 61.0
    assert result.usage.resets_at is None


def test_another_refusal_quotes_meta_and_points_at_the_ids(api: ApiServer, waits: Waits) -> None:
    api.reply(
        POSTS,
        Reply(
            400,
            json=graph_error(
                100, 33, "Unsupported get request. Object with ID '104729381726354' does not exist"
            ),
        ),
    )
    with pytest.raises(ConnectorError) as caught:
        facebook(api, waits).fetch(fb_config(), None, CONTEXT)
    assert not isinstance(caught.value, AuthFailed | RateLimited)
    assert "code 100, subcode 33: Unsupported get request" in str(caught.value)
    assert "check the source's ids" in str(caught.value)


# -- Facebook replies -----------------------------------------------------------------------


def test_a_reply_posts_the_message_under_the_comment_and_returns_the_new_id(
    api: ApiServer, waits: Waits
) -> None:
    target = "918273645501928_1187364512093849"
    api.reply(
        f"/v21.0/{target}/comments",
        Reply(json={"id": "918273645501928_1187364512099999"}),
        method="POST",
    )
    new_id = facebook(api, waits).reply(
        fb_config(), target, "Bonjour Yannick, on regarde votre ligne & on revient vers vous."
    )

    assert new_id == "918273645501928_1187364512099999"
    (sent,) = api.requests_to(f"/v21.0/{target}/comments", "POST")
    assert sent.headers["authorization"] == f"Bearer {PAGE_TOKEN}"
    assert parse_qs(sent.body.decode()) == {
        "message": ["Bonjour Yannick, on regarde votre ligne & on revient vers vous."]
    }


def test_a_reply_is_sent_once_even_when_meta_fails(api: ApiServer, waits: Waits) -> None:
    target = "918273645501928_1187364512093849"
    api.reply(
        f"/v21.0/{target}/comments",
        Reply(500, json=graph_error(2, message="Service temporarily unavailable")),
        method="POST",
    )
    with pytest.raises(Transient, match="may or may not have been posted"):
        facebook(api, waits).reply(fb_config(), target, "Merci !")
    assert len(api.requests_to(f"/v21.0/{target}/comments", "POST")) == 1


@pytest.mark.parametrize(
    ("target", "text", "expected"),
    [
        ("../me/feed", "Bonjour", "is not the id of a Facebook comment"),
        ("918273645501928_1187364512093849", "   ", "The reply is empty"),
        ("918273645501928_1187364512093849", "x" * 8001, "Facebook takes at most 8,000"),
    ],
)
def test_a_reply_is_checked_before_anything_is_sent(
    api: ApiServer, waits: Waits, target: str, text: str, expected: str
) -> None:
    with pytest.raises(InvalidInput, match=expected):
        facebook(api, waits).reply(fb_config(), target, text)
    assert api.requests == []


def test_a_reply_with_an_expired_token_is_an_auth_failure(api: ApiServer, waits: Waits) -> None:
    target = "918273645501928_1187364512093849"
    api.reply(f"/v21.0/{target}/comments", Reply(400, json=graph_error(190, 467)), method="POST")
    with pytest.raises(AuthFailed, match=r"because it is invalid \(signed out or revoked\)"):
        facebook(api, waits).reply(fb_config(), target, "Merci !")


# -- Instagram ------------------------------------------------------------------------------


def serve_instagram(api: ApiServer) -> None:
    api.reply(f"/v21.0/{IG_ACCOUNT}/media", Reply(json=load("instagram/media.json")))
    api.reply(f"/v21.0/{MEDIA}/comments", Reply(json=load("instagram/comments.json")))
    api.reply(f"/v21.0/{QUIET_MEDIA}/comments", Reply(json={"data": []}))


def test_instagram_hands_over_comments_and_their_nested_replies(
    api: ApiServer, waits: Waits
) -> None:
    serve_instagram(api)
    result = instagram(api, waits).fetch(ig_config(include_posts=True), None, CONTEXT)

    assert ids(result) == [MEDIA, "18046281739502217", "18046281739502231", "18046281739502240"]
    assert {item.mapper for item in result.items} == {"instagram"}
    reply = result.items[-1].payload
    assert reply["comment"]["parent_id"] == "18046281739502231"
    assert reply["media"] == {"id": MEDIA, "permalink": "https://www.instagram.com/p/DCx7Yq2sAbC/"}
    assert reply["account_id"] == IG_ACCOUNT
    (media,) = api.requests_to(f"/v21.0/{IG_ACCOUNT}/media")
    assert (
        media.param("fields") == "id,caption,timestamp,permalink,username,like_count,comments_count"
    )
    assert media.param("since") is None
    (comments,) = api.requests_to(f"/v21.0/{MEDIA}/comments")
    assert comments.param("fields") == (
        "id,text,timestamp,username,from,like_count,"
        "replies.limit(50){id,text,timestamp,username,from,like_count,parent_id}"
    )
    assert comments.param("order") is None
    for item in result.items:
        InstagramMapper().to_mention(item.payload)


def test_instagram_reads_every_page_since_its_order_is_not_promised(
    api: ApiServer, waits: Waits
) -> None:
    serve_instagram(api)
    old = {
        "id": "18046281739500001",
        "text": "Ancien",
        "timestamp": "2026-11-01T10:00:00+0000",
        "username": "gwen",
    }
    new = {
        "id": "18046281739509999",
        "text": "Tout nouveau",
        "timestamp": "2026-11-28T08:50:00+0000",
        "username": "gwen",
    }
    api.reply(
        f"/v21.0/{MEDIA}/comments",
        Reply(
            json={
                "data": [old],
                "paging": {"cursors": {"after": "UDI"}, "next": "https://graph.facebook.com/x"},
            }
        ),
        Reply(json={"data": [new], "paging": {"cursors": {"after": "UDM"}}}),
    )
    result = instagram(api, waits).fetch(ig_config(), None, CONTEXT)
    assert ids(result) == [new["id"]]
    assert len(api.requests_to(f"/v21.0/{MEDIA}/comments")) == 2


def test_instagram_skips_media_older_than_watch_days(api: ApiServer, waits: Waits) -> None:
    serve_instagram(api)
    result = instagram(api, waits).fetch(ig_config(watch_days=2), None, CONTEXT)
    assert result.cursor is not None
    assert list(result.cursor["posts"]) == [MEDIA]
    assert api.requests_to(f"/v21.0/{QUIET_MEDIA}/comments") == []


def test_instagram_replies_go_to_the_replies_edge(api: ApiServer, waits: Waits) -> None:
    path = "/v21.0/18046281739502231/replies"
    api.reply(path, Reply(json={"id": "18046281739502299"}), method="POST")
    new_id = instagram(api, waits).reply(
        ig_config(), "18046281739502231", "@maelle.kb au printemps !"
    )
    assert new_id == "18046281739502299"
    (sent,) = api.requests_to(path, "POST")
    assert parse_qs(sent.body.decode()) == {"message": ["@maelle.kb au printemps !"]}
    with pytest.raises(InvalidInput, match="Instagram takes at most 2,200"):
        instagram(api, waits).reply(ig_config(), "18046281739502231", "x" * 2201)


def test_instagram_token_errors_name_the_account(api: ApiServer, waits: Waits) -> None:
    api.reply(f"/v21.0/{IG_ACCOUNT}/media", Reply(400, json=graph_error(190, 463)))
    with pytest.raises(AuthFailed, match=f"^Instagram account {IG_ACCOUNT} .*because it expired"):
        instagram(api, waits).fetch(ig_config(), None, CONTEXT)


# -- through poll_source --------------------------------------------------------------------


def test_a_poll_stores_the_comments_with_usage_and_token_expiry(
    api: ApiServer, waits: Waits, sqlite_url: str, tmp_path: Path
) -> None:
    settings = make_settings(sqlite_url, tmp_path)
    base = build_registry(settings, load_plugins=False)
    registry = Registry(
        {**base.mappers, "facebook": FacebookMapper()},
        {**base.connectors, "facebook": facebook(api, waits)},
    )
    app = build(settings, clock=FixedClock(NOW), registry=registry)
    try:
        serve_facebook(api, **{"X-App-Usage": '{"call_count":31,"total_time":7,"total_cputime":3}'})
        source = create_source(
            app.db,
            app.clock,
            app.registry,
            Actor("test", "pytest"),
            name="Page Télécom Ouest",
            connector="facebook",
            config={
                "page_id": PAGE_ID,
                "access_token": PAGE_TOKEN,
                "token_expires_at": "2027-01-26",
            },
            box=app.credentials,
        )
        assert PAGE_TOKEN not in str(source.config)
        outcome = poll_source(app, source.id)
        assert outcome.ok, outcome.error
        assert outcome.imported == 3
        with app.db.session() as session:
            stored = list(session.execute(select(Mention).order_by(Mention.id)).scalars())
            assert [m.external_id for m in stored] == [
                "918273645501928_1187364512093843",
                "918273645501928_1187364512093849",
                "918273645501928_1187364512093851",
            ]
            saved = session.get(Source, source.id)
            assert saved is not None
            assert saved.token_expires_at is not None
            assert saved.token_expires_at.date().isoformat() == "2027-01-26"
            assert saved.usage is not None
            assert saved.usage["quota_used"] == 31.0
    finally:
        app.close()
