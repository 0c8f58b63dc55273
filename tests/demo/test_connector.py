"""The demo connector: a real polling connector over the scenario."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from sbu.connectors.base import Capability, FetchContext
from sbu.core.errors import ConfigError
from sbu.demo.connector import PAGE_ITEMS, DemoConnector, DemoSourceConfig, read_cursor
from sbu.settings import DemoSettings
from tests.demo.conftest import START


def _context(now: datetime) -> FetchContext:
    return FetchContext(now=now, source_id=1, source_name="Démo")


@pytest.fixture
def connector() -> DemoConnector:
    return DemoConnector(DemoSettings())


def _config(**values: object) -> DemoSourceConfig:
    data: dict[str, object] = {"platform": "bluesky", "start": START.isoformat(), "posts": 2000}
    data.update(values)
    return DemoSourceConfig.model_validate(data)


def test_it_is_a_polling_connector_with_a_validated_config(connector: DemoConnector) -> None:
    assert connector.key == "demo"
    assert Capability.POLL in connector.capabilities
    with pytest.raises(ValidationError, match="platform"):
        _config(platform="myspace")
    with pytest.raises(ValidationError, match="start"):
        DemoSourceConfig.model_validate({"platform": "reddit"})
    assert _config(start="2026-10-29T02:00:00+02:00").start == datetime(2026, 10, 29, tzinfo=UTC)


def test_fetch_returns_the_posts_between_the_cursor_and_now(connector: DemoConnector) -> None:
    config = _config()
    since = START + timedelta(days=12)
    now = since + timedelta(hours=6)
    result = connector.fetch(config, {"until": since.isoformat()}, _context(now))
    assert result.items
    assert not result.more
    assert read_cursor(result.cursor) == now
    times = [item.payload["record"]["createdAt"] for item in result.items]
    assert times == sorted(times)
    assert all(since.isoformat()[:13] <= t[:13] for t in times)
    assert all(item.mapper == "bluesky" and item.annotations for item in result.items)


def test_fetching_a_window_again_gives_the_same_items(connector: DemoConnector) -> None:
    config = _config(platform="reddit")
    cursor = {"until": (START + timedelta(days=3)).isoformat()}
    now = START + timedelta(days=4)
    first = connector.fetch(config, cursor, _context(now))
    again = DemoConnector(DemoSettings()).fetch(config, cursor, _context(now))
    assert [i.payload for i in first.items] == [i.payload for i in again.items]


def test_a_long_gap_is_fetched_in_pages(connector: DemoConnector) -> None:
    config = _config(posts=50_000, platform="bluesky")
    result = connector.fetch(config, None, _context(START + timedelta(days=30)))
    assert result.more
    assert PAGE_ITEMS <= len(result.items) < PAGE_ITEMS + 2000
    reached = read_cursor(result.cursor)
    assert reached is not None
    assert START < reached < START + timedelta(days=30)
    following = connector.fetch(config, result.cursor, _context(START + timedelta(days=30)))
    seen = {i.payload["uri"] for i in result.items}
    assert following.items
    assert not seen & {i.payload["uri"] for i in following.items}


def test_live_fetches_bring_new_posts_and_nothing_twice(connector: DemoConnector) -> None:
    live_since = START + timedelta(days=30)
    config = _config(platform="mastodon", live_since=live_since.isoformat())
    cursor: dict[str, object] | None = {"until": live_since.isoformat()}
    seen: set[str] = set()
    counts = []
    now = live_since
    for _ in range(120):  # ten minutes of polls every five seconds
        now += timedelta(seconds=5)
        result = connector.fetch(config, cursor, _context(now))  # type: ignore[arg-type]
        uris = [i.payload["uri"] for i in result.items]
        assert not seen & set(uris)
        seen.update(uris)
        counts.append(len(uris))
        cursor = result.cursor
    assert len(seen) >= 10  # about 2 a minute on Mastodon, 12 to 18 on the five platforms
    assert sum(1 for c in counts if c) >= 8  # posts keep arriving, not in one lump


def test_nothing_is_returned_before_the_cursor_moves(connector: DemoConnector) -> None:
    now = START + timedelta(days=2)
    result = connector.fetch(_config(), {"until": now.isoformat()}, _context(now))
    assert result.items == []
    assert read_cursor(result.cursor) == now


def test_an_unreadable_cursor_is_a_clear_error(connector: DemoConnector) -> None:
    with pytest.raises(ConfigError, match="cursor"):
        connector.fetch(_config(), {"until": "yesterday"}, _context(START))
    assert read_cursor(None) is None
    assert read_cursor({}) is None
    assert read_cursor({"until": "2026-11-01T00:00:00"}) == datetime(2026, 11, 1, tzinfo=UTC)
