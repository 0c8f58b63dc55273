"""The ``youtube`` connector against a real local HTTP server replaying the Data API: what it
declares, the quota counted per request and per Pacific day, the stop before the quota, the
RateLimited until midnight Pacific time, YouTube's refusals as sbu errors, and polls through
poll_source into the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from sbu.bootstrap import App, build
from sbu.connectors.base import Capability, FetchContext, Usage
from sbu.connectors.registry import Registry, build_registry
from sbu.connectors.youtube_api import YouTubeConnector, YouTubeSourceConfig
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import AuthFailed, RateLimited
from sbu.listening.models import Mention, Source
from sbu.listening.polling import poll_source
from sbu.listening.services import create_source
from sbu.settings import ConnectorSettings
from tests.conftest import NOW, make_settings
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.youtube_resources import (
    API_KEY,
    CHANNEL_ID,
    CHANNELS,
    CONTEXT,
    HANDLE,
    PLAYLIST_ITEMS,
    SEARCH,
    THREADS,
    UPLOADS,
    VIDEOS,
    Waits,
    channels,
    config,
    google_error,
    make_connector,
    playlist,
    quota_exceeded,
    search_config,
    thread,
    threads,
    video,
    videos,
)

#: NOW is 2026-11-28 09:00 UTC, 01:00 in Los Angeles (PST): the quota resets at 08:00 UTC.
RESET = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
UNTIL_RESET = (RESET - NOW).total_seconds()


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply(CHANNELS, Reply(json=channels()))
        yield server


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def connector(api: ApiServer, waits: Waits) -> YouTubeConnector:
    return make_connector(api, waits)


def channel_cursor(units: int, *, day: str = "2026-11-28", **extra: object) -> dict[str, object]:
    channel: dict[str, object] = {
        "ref": HANDLE,
        "id": CHANNEL_ID,
        "uploads": UPLOADS,
        "videos": ["vid0000001"],
    }
    channel.update(extra)
    return {"channel": channel, "quota_day": day, "units": units}


def test_the_connector_declares_poll_search_and_reply() -> None:
    connector = YouTubeConnector(ConnectorSettings())
    assert connector.key == "youtube"
    assert connector.capabilities == frozenset(
        {Capability.POLL, Capability.SEARCH, Capability.REPLY}
    )
    assert connector.settings_model is YouTubeSourceConfig
    assert connector.default_poll_seconds == 1800
    assert not hasattr(connector, "to_mention")  # a connector, not a second "youtube" mapper


# -- the quota ---------------------------------------------------------------------------------


def test_each_request_is_counted_with_its_cost_and_reported_as_usage(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000002", "vid0000001")))
    api.reply(VIDEOS, Reply(json=videos(video("vid0000002", 2, "Box fibre"))))
    api.reply(THREADS, Reply(json=threads()))
    result = connector.fetch(config(comments=True), channel_cursor(40), CONTEXT)

    assert result.cursor is not None
    assert (result.cursor["quota_day"], result.cursor["units"]) == ("2026-11-28", 43)
    assert result.usage == Usage(
        quota_used=43, quota_limit=10_000, unit="units per day", resets_at=RESET
    )


def test_a_retried_request_is_counted_once_per_attempt(
    api: ApiServer, connector: YouTubeConnector, waits: Waits
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(503), Reply(json=playlist("vid0000001")))
    result = connector.fetch(config(), channel_cursor(0), CONTEXT)
    assert len(waits.slept) == 1
    assert result.cursor is not None
    assert result.cursor["units"] == 2  # YouTube charges the failed attempt too


def test_the_poll_stops_before_the_days_share_and_returns_what_it_has(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000002", "vid0000001")))
    api.reply(VIDEOS, Reply(json=videos(video("vid0000002", 2, "Box fibre"))))
    api.reply(
        THREADS, Reply(json=threads(thread("UgzThreadA00000000000000", "vid0000002", 5, "Ok")))
    )
    # 95 % of 10,000 is 9,500: the uploads and the videos fit, the comments do not.
    result = connector.fetch(config(comments=True), channel_cursor(9_498), CONTEXT)

    assert [item.payload["id"] for item in result.items] == ["vid0000002"]
    assert api.requests_to(THREADS) == []
    assert result.notes == [
        "sbu stopped before the YouTube quota of the day: 9,500 of 10,000 units are used and sbu "
        "keeps 5% in reserve; it goes on after midnight Pacific time (2026-11-29 08:00 UTC)."
    ]
    assert result.cursor is not None
    assert result.cursor["units"] == 9_500

    with pytest.raises(RateLimited) as caught:  # the next poll waits for the reset
        connector.fetch(config(comments=True), result.cursor, CONTEXT)
    assert caught.value.retry_after == UNTIL_RESET


def test_a_used_day_raises_rate_limited_until_pacific_midnight_without_asking(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    cursor = {"search": {"key": "x"}, "quota_day": "2026-11-28", "units": 9_401}
    with pytest.raises(RateLimited) as caught:
        connector.fetch(search_config(), cursor, CONTEXT)  # a search (100) no longer fits
    assert caught.value.retry_after == UNTIL_RESET == 23 * 3600
    assert str(caught.value) == (
        "The YouTube quota of the source 'YouTube TechBreizh' for today is used (9,401 of 10,000 "
        "units; sbu keeps 5% in reserve): sbu polls it again after midnight Pacific time, in "
        "23.0 h (2026-11-29 08:00 UTC); raise daily_quota if the Google Cloud project has more."
    )
    assert api.requests == []


def test_in_summer_the_quota_resets_at_seven_utc(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    summer = FetchContext(
        now=datetime(2026, 7, 1, 6, 30, tzinfo=UTC), source_id=3, source_name="YouTube"
    )
    with pytest.raises(RateLimited) as caught:
        connector.fetch(config(), channel_cursor(9_500, day="2026-06-30"), summer)
    assert caught.value.retry_after == 30 * 60  # 23:30 in Los Angeles (PDT)


def test_a_new_pacific_day_starts_the_count_again(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000001")))
    result = connector.fetch(config(), channel_cursor(9_500, day="2026-11-27"), CONTEXT)
    assert result.cursor is not None
    assert (result.cursor["quota_day"], result.cursor["units"]) == ("2026-11-28", 1)


def test_the_count_follows_the_pacific_date_not_the_utc_date(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000001")))
    evening = FetchContext(
        now=datetime(2026, 11, 29, 7, 59, tzinfo=UTC), source_id=3, source_name="YouTube"
    )  # 23:59 on the 28th in Los Angeles
    result = connector.fetch(config(), channel_cursor(100), evening)
    assert result.cursor is not None
    assert (result.cursor["quota_day"], result.cursor["units"]) == ("2026-11-28", 101)


# -- refusals ----------------------------------------------------------------------------------


def test_quota_exceeded_is_rate_limited_until_the_reset_not_an_auth_failure(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, quota_exceeded())
    with pytest.raises(RateLimited) as caught:
        connector.fetch(config(), channel_cursor(12), CONTEXT)
    assert caught.value.retry_after == UNTIL_RESET
    assert str(caught.value) == (
        "YouTube says the daily quota of the API key's Google Cloud project is used up (HTTP "
        "403: quotaExceeded) while the source 'YouTube TechBreizh' tried to read the uploads of "
        "@techbreizh: sbu asks again after midnight Pacific time; every source and app using the "
        "same project shares this quota, so lower their daily_quota or ask Google for more."
    )


@pytest.mark.parametrize(
    "refusal",
    [
        google_error(
            400,
            "badRequest",
            "API key not valid. Please pass a valid API key.",
            domain="global",
            detail="API_KEY_INVALID",
        ),
        google_error(403, "keyInvalid", "Bad Request", domain="usageLimits"),
    ],
    ids=["400-details", "403-legacy"],
)
def test_an_invalid_key_is_an_auth_failure_with_a_sentence(
    api: ApiServer, connector: YouTubeConnector, refusal: Reply
) -> None:
    api.reply(CHANNELS, refusal)
    with pytest.raises(AuthFailed) as caught:
        connector.fetch(config(), None, CONTEXT)
    message = str(caught.value)
    assert message.startswith(
        "YouTube refused the API key of the source 'YouTube TechBreizh' (HTTP "
    )
    assert message.endswith(
        "the key may be mistyped, deleted or expired; copy it again from "
        "https://console.cloud.google.com/apis/credentials and save it in Settings → Sources; "
        "the source stays paused until then."
    )
    assert API_KEY not in message


def test_an_api_not_enabled_in_the_project_says_where_to_enable_it(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        CHANNELS,
        google_error(
            403,
            "accessNotConfigured",
            "YouTube Data API v3 has not been used in project 123456789012 before or it is disabled.",
            domain="usageLimits",
            detail="SERVICE_DISABLED",
        ),
    )
    with pytest.raises(AuthFailed) as caught:
        connector.fetch(config(), None, CONTEXT)
    assert "enable it at https://console.cloud.google.com/apis/library/youtube.googleapis.com" in (
        str(caught.value)
    )


def test_a_short_rate_limit_waits_a_minute(api: ApiServer, connector: YouTubeConnector) -> None:
    api.reply(
        SEARCH, google_error(403, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")
    )
    with pytest.raises(RateLimited) as caught:
        connector.fetch(search_config(), None, CONTEXT)
    assert caught.value.retry_after == 60


# -- through poll_source -----------------------------------------------------------------------


@pytest.fixture
def app_with_youtube(
    api: ApiServer, waits: Waits, sqlite_url: str, tmp_path: Path
) -> Iterator[App]:
    settings = make_settings(sqlite_url, tmp_path)
    base = build_registry(settings, load_plugins=False)
    registry = Registry(base.mappers, {**base.connectors, "youtube": make_connector(api, waits)})
    app = build(settings, clock=FixedClock(NOW), registry=registry)
    try:
        yield app
    finally:
        app.close()


def _add_source(app: App) -> int:
    source = create_source(
        app.db,
        app.clock,
        app.registry,
        Actor("test", "pytest"),
        name="YouTube TechBreizh",
        connector="youtube",
        config={"channel_id": HANDLE, "comments": "true", "api_key": API_KEY},
        box=app.credentials,
    )
    assert API_KEY not in str(source.config)
    assert source.poll_interval_seconds == 1800
    return int(source.id)


def test_a_poll_stores_videos_and_comments_and_records_the_usage(
    api: ApiServer, app_with_youtube: App
) -> None:
    app = app_with_youtube
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000001")))
    api.reply(VIDEOS, Reply(json=videos(video("vid0000001", 1, "Box fibre"))))
    api.reply(
        THREADS,
        Reply(json=threads(thread("UgzThreadA00000000000000", "vid0000001", 5, "Box HS ?"))),
    )
    source_id = _add_source(app)
    outcome = poll_source(app, source_id)

    assert outcome.ok, outcome.error
    assert outcome.imported == 2
    with app.db.session() as session:
        stored = session.execute(select(Mention.external_id).order_by(Mention.id)).scalars()
        assert list(stored) == ["vid0000001", "UgzThreadA00000000000000"]
        source = session.get(Source, source_id)
        assert source is not None
        assert source.usage == {
            "quota_used": 4.0,
            "quota_limit": 10_000.0,
            "unit": "units per day",
            "resets_at": RESET.isoformat(),
        }
        assert source.cursor is not None
        assert source.cursor["units"] == 4


def test_a_poll_after_youtube_said_the_quota_is_used_waits_for_the_reset(
    api: ApiServer, app_with_youtube: App
) -> None:
    app = app_with_youtube
    api.reply(PLAYLIST_ITEMS, quota_exceeded())
    source_id = _add_source(app)
    outcome = poll_source(app, source_id)
    assert not outcome.ok
    assert outcome.paused is False
    assert outcome.next_poll_at == RESET
    assert outcome.error is not None
    assert "daily quota" in outcome.error
    assert timedelta(hours=23) == RESET - NOW
