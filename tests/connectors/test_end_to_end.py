"""Each connector collects from its replay server into mentions through the real code.

One test per connector (Mastodon, Bluesky, X, Instagram, LinkedIn): the application is built on
a real database (SQLite, and PostgreSQL when SBU_TEST_DATABASE_URL is set) with the real
connector pointed at the local API server; a source is created with its credentials (kept
encrypted, out of the stored configuration), polled with :func:`~sbu.listening.polling.
poll_source`, and the stored mentions and what the source records are checked. A second poll
that brings one new item (beside items already taken) stores that item only: the cursor saved
with the mentions works.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sbu.bootstrap import App, build
from sbu.connectors.base import Connector
from sbu.connectors.bluesky_api import BlueskyConnector
from sbu.connectors.mastodon_api import MastodonConnector
from sbu.connectors.mastodon_paging import SNOWFLAKE_SHIFT, snowflake_ms
from sbu.connectors.owned_linkedin import LinkedInConnector
from sbu.connectors.owned_meta import InstagramConnector
from sbu.connectors.registry import Registry, build_registry
from sbu.connectors.x_api import XConnector
from sbu.connectors.x_search import SEARCH as X_SEARCH
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.listening.models import Mention, Source
from sbu.listening.polling import poll_source
from sbu.listening.services import create_source
from tests import conftest
from tests.conftest import make_settings
from tests.connectors import helpers, owned_payloads
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.bluesky_posts import jwt, newest_first, post_uri, session_answer
from tests.connectors.helpers import Waits, local_connector
from tests.connectors.mastodon_statuses import INSTANCE, statuses
from tests.connectors.mastodon_statuses import newest_first as timeline
from tests.connectors.owned_payloads import (
    IG_ACCOUNT,
    LINKEDIN_TOKEN,
    ORGANIZATION,
    PAGE_TOKEN,
    load,
)
from tests.connectors.owned_payloads import Waits as OwnedWaits
from tests.connectors.x_tweets import QUERY, page, tweet

ACTOR = Actor("test", "pytest")
#: The time between the two polls of each test.
LATER = timedelta(minutes=15)
#: The token expiry an administrator enters for the owned channels.
EXPIRES = datetime(2027, 1, 26, tzinfo=UTC)

MASTODON_TOKEN = "mastodon-token-e2e-7c1f0a9b3d"
TAG_TIMELINE = "/api/v1/timelines/tag/telecomouest"

BLUESKY_PASSWORD = "w8rt-2kqd-m5zx-h3nv"
CREATE_SESSION = "/xrpc/com.atproto.server.createSession"
SEARCH_POSTS = "/xrpc/app.bsky.feed.searchPosts"
BLUESKY_REFRESH_EXPIRES = helpers.NOW + timedelta(days=60)

X_TOKEN = "AAAAAAAAAAAAAAAAAAAAAEndToEndBearer%2Fe2eTokenZq9%3DxY"

MEDIA = "17984512367290144"
QUIET_MEDIA = "17984512367290098"
MEDIA_COMMENTS = f"/v21.0/{MEDIA}/comments"

LINKEDIN_POST = "urn:li:share:7266789012345678848"
ACTIVITY = "urn:li:activity:7266789013125603328"
LINKEDIN_COMMENTS = "/rest/socialActions/urn%3Ali%3Ashare%3A7266789012345678848/comments"
LINKEDIN_OTHER_COMMENTS = "/rest/socialActions/urn%3Ali%3AugcPost%3A7266123456789012480/comments"
LINKEDIN_REPLIES = (
    "/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7266789013125603328"
    "%2C7266811129384761344%29/comments"
)


# -- the application and what it stored -----------------------------------------------------


@contextmanager
def app_with(
    database_url: str, tmp_path: Path, connector: Connector, now: datetime
) -> Iterator[App]:
    """The application on ``database_url`` whose connector under ``connector.key`` is
    ``connector`` (the built-in mappers map its items), at the fixed time ``now``."""
    settings = make_settings(database_url, tmp_path)
    base = build_registry(settings, load_plugins=False)
    registry = Registry(base.mappers, {**base.connectors, connector.key: connector})
    app = build(settings, clock=FixedClock(now), registry=registry)
    try:
        yield app
    finally:
        app.close()


def add_source(app: App, name: str, connector: str, config: dict[str, Any], secret: str) -> int:
    """Create the source as a person does; check its ``secret`` is stored encrypted only."""
    source = create_source(
        app.db,
        app.clock,
        app.registry,
        ACTOR,
        name=name,
        connector=connector,
        config=config,
        box=app.credentials,
    )
    assert secret not in str(source.config)
    assert source.credentials is not None
    assert secret not in source.credentials
    return int(source.id)


def stored(app: App) -> list[tuple[str, str]]:
    """(platform, external id) of every stored mention, in the order they were stored."""
    with app.db.session() as session:
        rows = session.execute(
            select(Mention.platform, Mention.external_id).order_by(Mention.id)
        ).all()
    return [(platform, external_id) for platform, external_id in rows]


def saved_source(app: App, source_id: int) -> Source:
    with app.db.session() as session:
        source = session.get(Source, source_id)
        assert source is not None
        session.expunge(source)
        return source


def later(app: App) -> None:
    """Move the application's clock to the next poll."""
    assert isinstance(app.clock, FixedClock)
    app.clock.advance(LATER)


# -- Mastodon: a hashtag timeline -------------------------------------------------------------


def test_mastodon_hashtag_polls_store_the_statuses_and_then_only_the_new_one(
    api: ApiServer, database_url: str, tmp_path: Path
) -> None:
    first_page = statuses(3)
    (new,) = statuses(1, start=4)
    uri = "https://piaille.example/users/gwenola/statuses/{}".format
    connector = local_connector(MastodonConnector, api, Waits())
    with app_with(database_url, tmp_path, connector, helpers.NOW) as app:
        api.reply(TAG_TIMELINE, Reply(json=timeline(first_page)))
        source_id = add_source(
            app,
            "Mastodon telecomouest",
            "mastodon",
            {
                "instance": INSTANCE,
                "timeline": "hashtag",
                "hashtag": "#telecomouest",
                "access_token": MASTODON_TOKEN,
            },
            MASTODON_TOKEN,
        )

        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.rejected) == (3, 0)
        assert stored(app) == [("mastodon", uri(i)) for i in first_page]  # oldest first
        (request,) = api.requests_to(TAG_TIMELINE)
        assert request.headers["authorization"] == f"Bearer {MASTODON_TOKEN}"
        assert request.param("min_id") is None

        # the instance reads the lookback window again: the newest status seen comes back
        later(app)
        api.reply(TAG_TIMELINE, Reply(json=timeline([first_page[2], new])))
        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.duplicates) == (1, 0)
        assert stored(app) == [("mastodon", uri(i)) for i in [*first_page, new]]
        second = api.requests_to(TAG_TIMELINE)[1]
        start_ms = snowflake_ms(first_page[2])
        assert start_ms is not None
        assert second.param("min_id") == str((start_ms - 5 * 60_000) << SNOWFLAKE_SHIFT)

        source = saved_source(app, source_id)
        assert source.last_success_at == helpers.NOW + LATER
        assert source.last_error is None
        assert source.cursor is not None
        assert source.cursor["newest_id"] == new
        assert source.token_expires_at is None  # Mastodon tokens do not expire
        assert source.usage is None


# -- Bluesky: search mode ---------------------------------------------------------------------


def test_bluesky_search_polls_sign_in_once_and_store_the_posts_then_only_the_new_one(
    api: ApiServer, database_url: str, tmp_path: Path
) -> None:
    access = jwt(helpers.NOW + timedelta(hours=2), tag="e2e-access")
    refresh = jwt(BLUESKY_REFRESH_EXPIRES, scope="com.atproto.refresh", tag="e2e-refresh")
    api.reply(CREATE_SESSION, Reply(json=session_answer(access, refresh)), method="POST")
    connector = local_connector(BlueskyConnector, api, Waits())
    with app_with(database_url, tmp_path, connector, helpers.NOW) as app:
        api.reply(SEARCH_POSTS, Reply(json={"posts": newest_first([1, 2, 3]), "cursor": "3"}))
        source_id = add_source(
            app,
            "Bluesky ondine",
            "bluesky",
            {
                "mode": "search",
                "query": "ondine box",
                "handle": "ondine.bsky.social",
                "app_password": BLUESKY_PASSWORD,
                "limit": "3",
            },
            BLUESKY_PASSWORD,
        )

        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.rejected) == (3, 0)
        assert stored(app) == [("bluesky", post_uri(n)) for n in (1, 2, 3)]
        (searched,) = api.requests_to(SEARCH_POSTS)
        assert searched.headers["authorization"] == f"Bearer {access}"
        assert searched.param("cursor") is None

        # the next page reaches a post already taken: the poll stops there
        later(app)
        api.reply(SEARCH_POSTS, Reply(json={"posts": newest_first([2, 3, 4]), "cursor": "4"}))
        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.duplicates) == (1, 0)
        assert stored(app) == [("bluesky", post_uri(n)) for n in (1, 2, 3, 4)]
        assert len(api.requests_to(SEARCH_POSTS)) == 2
        assert len(api.requests_to(CREATE_SESSION, "POST")) == 1  # the session is kept

        source = saved_source(app, source_id)
        assert source.last_success_at == helpers.NOW + LATER
        assert source.last_error is None
        assert source.cursor is not None
        assert source.cursor["newest_uri"] == post_uri(4)
        assert source.token_expires_at == BLUESKY_REFRESH_EXPIRES  # the refresh token's expiry
        assert source.usage is None


# -- X: the recent search ---------------------------------------------------------------------


def test_x_search_polls_store_the_posts_then_only_the_new_one_and_meter_the_cost(
    api: ApiServer, database_url: str, tmp_path: Path
) -> None:
    a, b, c, d = (tweet(n) for n in (1, 2, 3, 4))
    connector = local_connector(XConnector, api, Waits())
    with app_with(database_url, tmp_path, connector, helpers.NOW) as app:
        api.reply(X_SEARCH, Reply(json=page(a, b, c, next_token="older-posts")))
        source_id = add_source(
            app,
            "X ondine",
            "x",
            {"query": QUERY, "bearer_token": X_TOKEN, "monthly_budget": "50"},
            X_TOKEN,
        )

        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.rejected) == (3, 0)
        assert stored(app) == [("x", t["id"]) for t in (a, b, c)]
        (request,) = api.requests_to(X_SEARCH)
        assert request.headers["authorization"] == f"Bearer {X_TOKEN}"
        assert request.param("since_id") is None
        assert request.param("next_token") is None  # no backfill of older pages

        later(app)
        api.reply(X_SEARCH, Reply(json=page(d)))
        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.duplicates) == (1, 0)
        assert stored(app) == [("x", t["id"]) for t in (a, b, c, d)]
        second = api.requests_to(X_SEARCH)[1]
        assert second.param("since_id") == c["id"]

        source = saved_source(app, source_id)
        assert source.last_success_at == helpers.NOW + LATER
        assert source.last_error is None
        assert source.cursor is not None
        assert (source.cursor["newest_id"], source.cursor["posts"]) == (d["id"], 4)
        assert source.token_expires_at is None
        assert source.usage == {
            "quota_used": 4.0,
            "quota_limit": 10_000.0,
            "unit": "posts read this month",
            "resets_at": "2026-12-01T00:00:00+00:00",
            "cost": 0.02,
            "budget": 50.0,
            "currency": "USD",
        }


# -- Instagram: the comments on the owned account ---------------------------------------------


def test_instagram_polls_store_the_comments_then_only_the_new_one(
    api: ApiServer, database_url: str, tmp_path: Path
) -> None:
    waits = OwnedWaits()
    connector = owned_payloads.local_connector(InstagramConnector, f"{api.base}/v21.0", waits)
    usage = '{"call_count":23,"total_time":4,"total_cputime":2}'
    with app_with(database_url, tmp_path, connector, conftest.NOW) as app:
        api.reply(
            f"/v21.0/{IG_ACCOUNT}/media",
            Reply(json=load("instagram/media.json"), headers={"X-App-Usage": usage}),
        )
        api.reply(MEDIA_COMMENTS, Reply(json=load("instagram/comments.json")))
        api.reply(f"/v21.0/{QUIET_MEDIA}/comments", Reply(json={"data": []}))
        source_id = add_source(
            app,
            "Instagram telecomouest",
            "instagram",
            {
                "account_id": IG_ACCOUNT,
                "access_token": PAGE_TOKEN,
                "token_expires_at": "2027-01-26",
            },
            PAGE_TOKEN,
        )

        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.rejected) == (3, 0)
        taken = ["18046281739502217", "18046281739502231", "18046281739502240"]
        assert stored(app) == [("instagram", i) for i in taken]  # replies too, oldest first
        (media,) = api.requests_to(f"/v21.0/{IG_ACCOUNT}/media")
        assert media.headers["authorization"] == f"Bearer {PAGE_TOKEN}"

        later(app)
        comments = load("instagram/comments.json")
        fresh = copy.deepcopy(comments["data"][1])
        fresh.update(
            id="18046281739502288",
            text="Et pour Pont-Croix, une date est prévue ?",
            timestamp="2026-11-28T09:05:00+0000",
        )
        comments["data"].insert(0, fresh)
        api.reply(MEDIA_COMMENTS, Reply(json=comments))
        api.reply(
            f"/v21.0/{IG_ACCOUNT}/media",
            Reply(json=load("instagram/media.json"), headers={"X-App-Usage": usage}),
        )
        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.duplicates) == (1, 0)
        assert stored(app) == [("instagram", i) for i in [*taken, fresh["id"]]]

        source = saved_source(app, source_id)
        assert source.last_success_at == conftest.NOW + LATER
        assert source.last_error is None
        assert source.cursor is not None
        assert source.cursor["account"] == IG_ACCOUNT
        assert source.cursor["posts"][MEDIA]["newest"] == "2026-11-28T09:05:00+00:00"
        assert source.token_expires_at == EXPIRES
        assert source.usage is not None
        assert (source.usage["quota_used"], source.usage["quota_limit"]) == (23.0, 100.0)


# -- LinkedIn: the comments on the organization's posts ---------------------------------------


def test_linkedin_polls_store_the_comments_then_only_the_new_one(
    api: ApiServer, database_url: str, tmp_path: Path
) -> None:
    waits = OwnedWaits()
    connector = owned_payloads.local_connector(LinkedInConnector, f"{api.base}/rest", waits)
    with app_with(database_url, tmp_path, connector, conftest.NOW) as app:
        api.reply("/rest/posts", Reply(json=load("linkedin/posts.json")))
        api.reply(LINKEDIN_COMMENTS, Reply(json=load("linkedin/comments.json")))
        api.reply(LINKEDIN_OTHER_COMMENTS, Reply(json={"paging": {"start": 0}, "elements": []}))
        api.reply(LINKEDIN_REPLIES, Reply(json=load("linkedin/replies.json")))
        source_id = add_source(
            app,
            "LinkedIn Telecom Ouest",
            "linkedin",
            {
                "organization_id": "2414183",
                "access_token": LINKEDIN_TOKEN,
                "token_expires_at": "2027-01-26",
            },
            LINKEDIN_TOKEN,
        )

        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.rejected) == (3, 0)
        question = f"urn:li:comment:({ACTIVITY},7266811129384761344)"
        candidate = f"urn:li:comment:({ACTIVITY},7266985542019272704)"
        answer = f"urn:li:comment:({ACTIVITY},7266993307745046528)"  # the organization's reply
        taken = [question, candidate, answer]
        assert stored(app) == [("linkedin", urn) for urn in taken]
        (posts,) = api.requests_to("/rest/posts")
        assert posts.headers["authorization"] == f"Bearer {LINKEDIN_TOKEN}"
        assert posts.param("author") == ORGANIZATION

        later(app)
        listing = load("linkedin/comments.json")
        fresh = copy.deepcopy(listing["elements"][1])
        urn = f"urn:li:comment:({ACTIVITY},7267004410022334464)"
        millis = int((conftest.NOW + timedelta(minutes=5)).timestamp() * 1000)
        fresh.update(
            id="7267004410022334464",
            commentUrn=urn,
            **{"$URN": urn},
            created={"actor": fresh["actor"], "time": millis},
            lastModified={"actor": fresh["actor"], "time": millis},
            message={"attributes": [], "text": "Des postes en alternance à Lannion aussi ?"},
        )
        listing["elements"].append(fresh)
        api.reply(LINKEDIN_COMMENTS, Reply(json=listing))
        outcome = poll_source(app, source_id)
        assert outcome.ok, outcome.error
        assert (outcome.imported, outcome.duplicates) == (1, 0)
        assert stored(app) == [("linkedin", u) for u in [*taken, urn]]
        # the reply count of the question did not change: its replies were not read again
        assert len(api.requests_to(LINKEDIN_REPLIES)) == 1

        source = saved_source(app, source_id)
        assert source.last_success_at == conftest.NOW + LATER
        assert source.last_error is None
        assert source.cursor is not None
        assert source.cursor["account"] == ORGANIZATION
        assert source.cursor["posts"][LINKEDIN_POST]["newest"] == "2026-11-28T09:05:00+00:00"
        assert source.token_expires_at == EXPIRES
        assert source.usage is None  # LinkedIn reports no quota use
