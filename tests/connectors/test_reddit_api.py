"""The ``reddit`` connector against a real local HTTP server replaying Reddit's API: tokens,
listings and their cursor, pagination, rate limits, refusals, malformed things; and one poll
through poll_source into the database."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from sbu.bootstrap import build
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.reddit_api import MAX_SCAN_PAGES, RedditConnector, RedditSourceConfig
from sbu.connectors.registry import Registry, build_registry
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited
from sbu.listening.models import Mention
from sbu.listening.polling import poll_source
from sbu.listening.services import create_source
from sbu.settings import ConnectorSettings
from tests.conftest import NOW, make_settings
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.reddit_things import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    Waits,
    comment,
    listing,
    post,
    token,
)

CONTEXT = FetchContext(now=NOW, source_id=7, source_name="Reddit Bretagne")
NEW = "/r/bretagne+france/new"
TOKEN = "/api/v1/access_token"


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply(TOKEN, Reply(json=token()), method="POST")
        yield server


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def connector(api: ApiServer, waits: Waits) -> RedditConnector:
    return make_connector(api, waits)


def make_connector(api: ApiServer, waits: Waits, **settings: Any) -> RedditConnector:
    return RedditConnector(
        ConnectorSettings(timeout_seconds=5, **settings),
        base_url=api.base,
        auth_base_url=api.base,
        sleep=waits.sleep,
        clock=waits.clock,
    )


def config(**overrides: Any) -> RedditSourceConfig:
    values: dict[str, Any] = {
        "subreddits": ["bretagne", "france"],
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    values.update(overrides)
    return RedditSourceConfig.model_validate(values)


def ids(result: FetchResult) -> list[str]:
    return [item.payload["data"]["name"] for item in result.items]


def form(body: bytes) -> dict[str, list[str]]:
    return parse_qs(body.decode())


# -- the connector and its first polls -------------------------------------------------------


def test_the_connector_declares_poll_and_reply() -> None:
    connector = RedditConnector(ConnectorSettings())
    assert connector.key == "reddit"
    assert connector.capabilities == frozenset({Capability.POLL, Capability.REPLY})
    assert connector.settings_model is RedditSourceConfig
    assert connector.default_poll_seconds == 300


def test_first_poll_asks_a_token_then_takes_the_newest_page_oldest_first(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(NEW, Reply(json=listing(post("c3", 30, "Fibre coupée"), post("b2", 20, "Box HS"))))
    result = connector.fetch(config(), None, CONTEXT)

    assert ids(result) == ["t3_b2", "t3_c3"]
    assert [item.mapper for item in result.items] == ["reddit", "reddit"]
    assert result.items[0].locator == "t3_b2 in r/bretagne+france/new"
    assert result.more is False
    assert result.rejected == []
    assert result.cursor == {
        "listing": "new:bretagne+france",
        "newest": "t3_c3",
        "seen": ["t3_c3", "t3_b2"],
    }
    (token_request,) = api.requests_to(TOKEN, "POST")
    expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert token_request.headers["authorization"] == f"Basic {expected}"
    assert form(token_request.body) == {"grant_type": ["client_credentials"]}
    assert token_request.headers["user-agent"].startswith("sbu-listening/")
    (page,) = api.requests_to(NEW)
    assert page.headers["authorization"] == "bearer tok-1"
    assert page.query == {"limit": ["100"], "raw_json": ["1"]}  # no before: newest page only


def test_a_script_app_signs_in_with_the_password_grant(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(NEW, Reply(json=listing()))
    connector.fetch(config(username="u/telecom_ouest", password=PASSWORD), None, CONTEXT)
    (token_request,) = api.requests_to(TOKEN, "POST")
    assert form(token_request.body) == {
        "grant_type": ["password"],
        "username": ["telecom_ouest"],
        "password": [PASSWORD],
    }


def test_the_second_poll_sends_before_reuses_the_token_and_drops_repeats(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(
        NEW,
        Reply(json=listing(post("b2", 20, "Box HS"))),
        Reply(json=listing(post("d4", 40, "Débit en baisse"), post("b2", 20, "Box HS"))),
    )
    first = connector.fetch(config(), None, CONTEXT)
    second = connector.fetch(config(), first.cursor, CONTEXT)

    assert ids(second) == ["t3_d4"]  # t3_b2 was handed over already
    assert second.cursor is not None
    assert second.cursor["newest"] == "t3_d4"
    assert second.cursor["seen"] == ["t3_d4", "t3_b2"]
    assert api.requests_to(NEW)[1].param("before") == "t3_b2"
    assert len(api.requests_to(TOKEN, "POST")) == 1  # the token is reused


@pytest.mark.parametrize(
    ("overrides", "path", "params"),
    [
        ({"listing": "comments"}, "/r/bretagne+france/comments", {}),
        (
            {"listing": "search", "query": '"télécom ouest" OR teleouest'},
            "/r/bretagne+france/search",
            {"q": ['"télécom ouest" OR teleouest'], "restrict_sr": ["1"], "sort": ["new"]},
        ),
    ],
)
def test_each_listing_has_its_address(
    api: ApiServer,
    connector: RedditConnector,
    overrides: dict[str, Any],
    path: str,
    params: dict[str, list[str]],
) -> None:
    thing = (
        comment("k7", 5, "Pareil ici")
        if overrides["listing"] == "comments"
        else post("a1", 5, "Télécom Ouest")
    )
    api.reply(path, Reply(json=listing(thing)))
    result = connector.fetch(config(**overrides), None, CONTEXT)
    assert len(result.items) == 1
    (seen,) = api.requests_to(path)
    assert seen.query == {"limit": ["100"], "raw_json": ["1"], **params}


def test_another_listing_starts_afresh_without_before(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply("/r/bretagne+france/comments", Reply(json=listing(comment("k7", 5, "Pareil"))))
    cursor = {"listing": "new:bretagne+france", "newest": "t3_b2", "seen": ["t3_b2"]}
    result = connector.fetch(config(listing="comments"), cursor, CONTEXT)
    assert ids(result) == ["t1_k7"]
    assert api.requests_to("/r/bretagne+france/comments")[0].param("before") is None


# -- more than one page ----------------------------------------------------------------------


def test_a_full_page_after_before_says_more_and_the_next_fetch_goes_on_from_it(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(
        NEW,
        Reply(json=listing(post("d4", 40, "Quatre"), post("c3", 30, "Trois"), before="t3_d4")),
        Reply(json=listing(post("e5", 50, "Cinq"))),
    )
    cursor = {"listing": "new:bretagne+france", "newest": "t3_b2", "seen": ["t3_b2"]}
    first = connector.fetch(config(limit=2), cursor, CONTEXT)
    assert ids(first) == ["t3_c3", "t3_d4"]
    assert first.more is True
    second = connector.fetch(config(limit=2), first.cursor, CONTEXT)
    assert ids(second) == ["t3_e5"]
    assert second.more is False
    befores = [r.param("before") for r in api.requests_to(NEW)]
    assert befores == ["t3_b2", "t3_d4"]


def test_when_the_before_thing_is_gone_the_top_is_scanned_with_after_until_a_seen_one(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(
        NEW,
        Reply(json=listing()),  # before=t3_b2 finds nothing: t3_b2 was removed by a moderator
        Reply(json=listing(post("f6", 60, "Six"), post("e5", 50, "Cinq"), after="t3_e5")),
        Reply(json=listing(post("d4", 40, "Quatre"), post("a1", 10, "Un"), after="t3_a1")),
    )
    cursor = {"listing": "new:bretagne+france", "newest": "t3_b2", "seen": ["t3_b2", "t3_a1"]}
    result = connector.fetch(config(limit=2), cursor, CONTEXT)

    assert ids(result) == ["t3_d4", "t3_e5", "t3_f6"]
    assert result.more is False
    assert result.cursor is not None
    assert result.cursor["newest"] == "t3_f6"  # the anchor is repaired
    assert result.cursor["seen"][:3] == ["t3_f6", "t3_e5", "t3_d4"]
    pages = api.requests_to(NEW)
    assert [(r.param("before"), r.param("after")) for r in pages] == [
        ("t3_b2", None),
        (None, None),
        (None, "t3_e5"),
    ]


def test_an_empty_before_page_and_a_known_top_mean_nothing_new(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(NEW, Reply(json=listing()), Reply(json=listing(post("b2", 20, "Box HS"))))
    cursor = {"listing": "new:bretagne+france", "newest": "t3_b2", "seen": ["t3_b2"]}
    result = connector.fetch(config(), cursor, CONTEXT)
    assert result.items == []
    assert result.cursor == cursor
    assert len(api.requests_to(NEW)) == 2


def test_a_scan_that_meets_nothing_seen_stops_after_its_pages_with_a_note(
    api: ApiServer, connector: RedditConnector
) -> None:
    pages = [
        Reply(json=listing(post(f"p{n}", 100 - n, f"Post {n}"), after=f"t3_p{n}"))
        for n in range(MAX_SCAN_PAGES + 2)
    ]
    api.reply(NEW, Reply(json=listing()), *pages)
    cursor = {"listing": "new:bretagne+france", "newest": "t3_gone", "seen": ["t3_gone"]}
    result = connector.fetch(config(limit=1), cursor, CONTEXT)
    assert len(result.items) == MAX_SCAN_PAGES
    assert ids(result)[-1] == "t3_p0"
    assert len(api.requests_to(NEW)) == 1 + MAX_SCAN_PAGES
    (note,) = result.notes
    assert "older ones may be missing" in note
    assert "r/bretagne+france/new" in note


# -- tokens ----------------------------------------------------------------------------------


def test_the_token_is_renewed_a_minute_before_it_expires(
    api: ApiServer, waits: Waits, connector: RedditConnector
) -> None:
    api.reply(TOKEN, Reply(json=token("tok-1", 3600)), Reply(json=token("tok-2")), method="POST")
    api.reply(NEW, Reply(json=listing()))
    connector.fetch(config(), None, CONTEXT)
    waits.now += timedelta(seconds=3600 - 61)
    connector.fetch(config(), None, CONTEXT)
    assert len(api.requests_to(TOKEN, "POST")) == 1
    waits.now += timedelta(seconds=2)
    connector.fetch(config(), None, CONTEXT)
    assert len(api.requests_to(TOKEN, "POST")) == 2
    assert api.requests_to(NEW)[-1].headers["authorization"] == "bearer tok-2"


def test_a_401_renews_the_token_once_and_sends_the_request_again(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(TOKEN, Reply(json=token("tok-1")), Reply(json=token("tok-2")), method="POST")
    api.reply(
        NEW,
        Reply(401, json={"message": "Unauthorized", "error": 401}),
        Reply(json=listing(post("b2", 20, "Box HS"))),
    )
    result = connector.fetch(config(), None, CONTEXT)
    assert ids(result) == ["t3_b2"]
    assert [r.headers["authorization"] for r in api.requests_to(NEW)] == [
        "bearer tok-1",
        "bearer tok-2",
    ]


def test_a_second_401_is_an_auth_failure_that_says_what_to_do(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(NEW, Reply(401, json={"message": "Unauthorized", "error": 401}))
    with pytest.raises(AuthFailed) as caught:
        connector.fetch(config(), None, CONTEXT)
    message = str(caught.value)
    assert "Reddit refused a new access token of the source 'Reddit Bretagne'" in message
    assert "https://www.reddit.com/prefs/apps" in message
    assert len(api.requests_to(NEW)) == 2
    assert len(api.requests_to(TOKEN, "POST")) == 2


def test_a_401_on_the_token_endpoint_is_about_the_client_id_and_secret(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(TOKEN, Reply(401, json={"message": "Unauthorized", "error": 401}), method="POST")
    with pytest.raises(AuthFailed) as caught:
        connector.fetch(config(), None, CONTEXT)
    message = str(caught.value)
    assert message.startswith(
        "Reddit refused the client id and secret of the source 'Reddit Bretagne' (HTTP 401)"
    )
    assert CLIENT_SECRET not in message
    assert api.requests_to(NEW) == []


def test_a_wrong_password_is_about_the_username_and_password(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(TOKEN, Reply(json={"error": "invalid_grant"}), method="POST")
    with pytest.raises(AuthFailed) as caught:
        connector.fetch(config(username="telecom_ouest", password=PASSWORD), None, CONTEXT)
    message = str(caught.value)
    assert "username or password of the source 'Reddit Bretagne'" in message
    assert "two-factor" in message
    assert PASSWORD not in message


# -- refusals --------------------------------------------------------------------------------


def test_a_private_subreddit_is_named_and_the_token_is_kept(
    api: ApiServer, connector: RedditConnector
) -> None:
    path = "/r/club_prive/new"
    api.reply(path, Reply(403, json={"reason": "private", "message": "Forbidden", "error": 403}))
    with pytest.raises(AuthFailed) as caught:
        connector.fetch(config(subreddits=["club_prive"]), None, CONTEXT)
    message = str(caught.value)
    assert message.startswith("Reddit refused access to r/club_prive (HTTP 403: private)")
    assert "approved account" in message
    assert len(api.requests_to(path)) == 1  # a 403 is not a token problem
    assert len(api.requests_to(TOKEN, "POST")) == 1


def test_a_banned_subreddit_is_a_connector_error_naming_it(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(NEW, Reply(404, json={"reason": "banned", "message": "Not Found", "error": 404}))
    with pytest.raises(ConnectorError) as caught:
        connector.fetch(config(), None, CONTEXT)
    assert not isinstance(caught.value, AuthFailed)
    assert str(caught.value).startswith(
        "Reddit has no readable subreddit one of r/bretagne, r/france (HTTP 404: banned)"
    )


def test_a_redirect_to_the_subreddit_search_means_no_such_subreddit(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply("/r/bretagen/new", Reply(302, headers={"Location": "/subreddits/search?q=bretagen"}))
    api.reply("/subreddits/search", Reply(json=listing({"kind": "t5", "data": {"name": "t5_x"}})))
    with pytest.raises(ConnectorError, match=r"no subreddit called r/bretagen \(it sent sbu"):
        connector.fetch(config(subreddits=["bretagen"]), None, CONTEXT)


def test_an_answer_that_is_not_a_listing_is_a_connector_error(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(NEW, Reply(json={"kind": "t5", "data": {}}))
    with pytest.raises(ConnectorError, match="is not a listing"):
        connector.fetch(config(), None, CONTEXT)


# -- rate limits -----------------------------------------------------------------------------


def test_rate_limit_headers_far_away_make_the_next_fetch_rate_limited_without_a_request(
    api: ApiServer, connector: RedditConnector
) -> None:
    headers = {"X-Ratelimit-Used": "100", "X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "500"}
    api.reply(NEW, Reply(json=listing(post("b2", 20, "Box HS")), headers=headers))
    first = connector.fetch(config(), None, CONTEXT)
    with pytest.raises(RateLimited) as caught:
        connector.fetch(config(), first.cursor, CONTEXT)
    assert caught.value.retry_after == pytest.approx(500, abs=1)
    assert str(caught.value).startswith("Reddit (r/bretagne+france/new) has no requests left")
    assert len(api.requests_to(NEW)) == 1


def test_a_near_rate_limit_reset_is_waited_for(
    api: ApiServer, waits: Waits, connector: RedditConnector
) -> None:
    headers = {"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "4"}
    api.reply(NEW, Reply(json=listing(post("b2", 20, "Box HS")), headers=headers))
    first = connector.fetch(config(), None, CONTEXT)
    connector.fetch(config(), first.cursor, CONTEXT)
    assert waits.slept == [pytest.approx(4, abs=0.5)]
    assert len(api.requests_to(NEW)) == 2


def test_a_long_retry_after_on_429_is_rate_limited(
    api: ApiServer, connector: RedditConnector
) -> None:
    api.reply(NEW, Reply(429, headers={"Retry-After": "240"}))
    with pytest.raises(RateLimited) as caught:
        connector.fetch(config(), None, CONTEXT)
    assert caught.value.retry_after == 240


# -- malformed things ------------------------------------------------------------------------


def test_malformed_things_are_rejected_and_the_page_goes_on(
    api: ApiServer, connector: RedditConnector
) -> None:
    undated = post("c3", 30, "Sans date")
    del undated["data"]["created_utc"]
    api.reply(
        NEW,
        Reply(
            json=listing(
                post("e5", 50, "Bonne"),
                undated,
                {"kind": "t5", "data": {"name": "t5_2qhjq", "display_name": "bretagne"}},
                "pas un objet",
                post("a1", 10, "Bonne aussi"),
            )
        ),
    )
    result = connector.fetch(config(), None, CONTEXT)
    assert ids(result) == ["t3_a1", "t3_e5"]
    reasons = {r.locator: r.reason for r in result.rejected}
    assert set(reasons) == {
        "t3_c3 in r/bretagne+france/new",
        "t5_2qhjq in r/bretagne+france/new",
        "thing 4 of r/bretagne+france/new",
    }
    assert "created_utc" in reasons["t3_c3 in r/bretagne+france/new"]
    assert "only t3 and t1 become mentions" in reasons["t5_2qhjq in r/bretagne+france/new"]
    assert reasons["thing 4 of r/bretagne+france/new"].startswith("The listing holds a JSON str")
    assert '"Sans date"' in next(r.payload for r in result.rejected if "t3_c3" in r.locator)
    assert result.cursor is not None
    assert "t3_c3" in result.cursor["seen"]  # not rejected again at every poll


# -- through poll_source ---------------------------------------------------------------------


def test_a_poll_stores_the_posts_with_credentials_kept_encrypted(
    api: ApiServer, waits: Waits, sqlite_url: str, tmp_path: Path
) -> None:
    settings = make_settings(sqlite_url, tmp_path)
    base = build_registry(settings, load_plugins=False)
    connector = make_connector(api, waits)
    registry = Registry(base.mappers, {**base.connectors, "reddit": connector})
    app = build(settings, clock=FixedClock(NOW), registry=registry)
    try:
        api.reply(
            NEW, Reply(json=listing(post("c3", 30, "Fibre coupée"), post("b2", 20, "Box HS")))
        )
        source = create_source(
            app.db,
            app.clock,
            app.registry,
            Actor("test", "pytest"),
            name="Reddit Bretagne",
            connector="reddit",
            config={
                "subreddits": "bretagne,france",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
            },
            box=app.credentials,
        )
        assert CLIENT_SECRET not in str(source.config)
        outcome = poll_source(app, source.id)
        assert outcome.ok, outcome.error
        assert outcome.imported == 2
        with app.db.session() as session:
            stored = session.execute(select(Mention.external_id).order_by(Mention.id)).scalars()
            assert list(stored) == ["t3_b2", "t3_c3"]
        token_request = api.requests_to(TOKEN, "POST")[0]
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        assert token_request.headers["authorization"] == f"Basic {expected}"
    finally:
        app.close()
