"""Following the Bluesky Jetstream: filters, batches, reconnection from the cursor, and polling a
Jetstream source, against a real local WebSocket server that replays events like Jetstream."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from sbu.connectors.base import FetchContext, FetchResult
from sbu.connectors.bluesky_api import BlueskyConnector
from sbu.connectors.bluesky_jetstream import subscribe_url
from sbu.connectors.bluesky_source import BlueskySourceConfig
from sbu.core.errors import ConfigError, ConnectorError, Transient
from sbu.settings import ConnectorSettings
from tests.connectors.bluesky_posts import (
    ACCOUNT,
    AUTHOR,
    T0,
    US0,
    Jetstream,
    Plan,
    account,
    closed_port,
    created,
    deleted,
    identity,
    liked,
    post_uri,
    running_jetstream,
)

SECOND = 1_000_000


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


def context(seconds: int = 0) -> FetchContext:
    return FetchContext(now=T0 + timedelta(seconds=seconds), source_id=3, source_name="Jetstream")


def connector(sleeps: Sleeps | None = None, **options: Any) -> BlueskyConnector:
    values: dict[str, Any] = {"batch_seconds": 0.05, "rewind_seconds": 2.0, **options}
    return BlueskyConnector(
        ConnectorSettings(timeout_seconds=5.0, attempts=3),
        sleep=sleeps or Sleeps(),
        rng=random.Random(8),
        **values,
    )


def config(url: str, **fields: Any) -> BlueskySourceConfig:
    return BlueskySourceConfig.model_validate({"mode": "jetstream", "jetstream_url": url, **fields})


def stream(
    jetstream: Jetstream, cursor: dict[str, Any] | None = None, connections: int = 1, **fields: Any
) -> list[FetchResult]:
    batches = connector().stream(
        config(jetstream.url, **fields), cursor, context(), connections=connections
    )
    return list(batches)


def uris(batches: list[FetchResult]) -> list[str]:
    return [
        item.payload["did"] + "/" + item.payload["commit"]["rkey"]
        for b in batches
        for item in b.items
    ]


def numbered(*numbers: int) -> list[str]:
    return [post_uri(n).removeprefix("at://").replace("/app.bsky.feed.post", "") for n in numbers]


def test_the_stream_asks_for_posts_of_the_wanted_accounts_live() -> None:
    with running_jetstream(log=[created(1)]) as jetstream:
        stream(jetstream, wanted_dids=[AUTHOR, ACCOUNT])
        query = jetstream.query(0)
    assert query == {"wantedCollections": ["app.bsky.feed.post"], "wantedDids": [AUTHOR, ACCOUNT]}


def test_new_posts_are_mapped_and_other_events_skipped() -> None:
    log = [created(1), liked(2, 1), identity(3), account(4), deleted(5, 1), created(6)]
    with running_jetstream(log=log) as jetstream:
        batches = stream(jetstream)
    assert uris(batches) == numbered(1, 6)
    assert {item.mapper for batch in batches for item in batch.items} == {"bluesky"}
    assert batches[-1].cursor == {"time_us": US0 + 6 * SECOND}
    assert all(batch.rejected == [] for batch in batches)


def test_keywords_keep_only_the_posts_that_contain_one() -> None:
    log = [
        created(1, "Ma box Ondine ne synchronise plus"),
        created(2, "Belle journée à Brest"),
        created(3, "ONDINE, toujours pas de réseau"),
    ]
    with running_jetstream(log=log) as jetstream:
        batches = stream(jetstream, keywords=["ondine"])
    assert uris(batches) == numbered(1, 3)
    assert batches[-1].cursor == {"time_us": US0 + 3 * SECOND}


def test_a_dropped_connection_resumes_from_the_cursor_without_gaps_or_repeats() -> None:
    log = [created(n) for n in range(1, 7)]
    sleeps = Sleeps()
    plans = [Plan(send=3, end="drop"), Plan(end="close")]
    with running_jetstream(log=log, plans=plans) as jetstream:
        source = config(jetstream.url)
        batches = list(connector(sleeps).stream(source, None, context(), connections=2))
        resumed_at = jetstream.cursor(1)
    assert resumed_at == US0 + 3 * SECOND - 2 * SECOND  # the last event read, rewound 2 s
    assert uris(batches) == numbered(1, 2, 3, 4, 5, 6)  # 2 and 3 came twice, handed over once
    assert batches[-1].cursor == {"time_us": US0 + 6 * SECOND}
    assert len(sleeps.slept) == 1  # one backoff before reconnecting


def test_a_stream_resumes_from_a_saved_cursor() -> None:
    log = [created(n) for n in range(1, 7)]
    with running_jetstream(log=log) as jetstream:
        batches = stream(jetstream, cursor={"time_us": US0 + 5 * SECOND})
        asked = jetstream.cursor(0)
    assert asked == US0 + 3 * SECOND
    assert uris(batches) == numbered(3, 4, 5, 6)  # the rewound seconds again: ingest drops them


def test_batches_hold_at_most_batch_events_posts() -> None:
    with running_jetstream(log=[created(n) for n in range(1, 6)]) as jetstream:
        source = config(jetstream.url)
        reader = connector(batch_events=2, batch_seconds=5.0)  # batches cut by size, not by time
        batches = list(reader.stream(source, None, context(), connections=1))
    sent = [batch for batch in batches if batch.items]  # (without heartbeats, if any)
    assert [len(batch.items) for batch in sent] == [2, 2, 1]
    assert [batch.cursor for batch in sent] == [{"time_us": US0 + n * SECOND} for n in (2, 4, 5)]


def test_a_quiet_stream_sends_heartbeats_with_the_saved_cursor() -> None:
    with running_jetstream(log=[created(1)], plans=[Plan(end="hold")]) as jetstream:
        source = config(jetstream.url)
        results = connector().stream(source, None, context(), connections=1)
        first = next(results)
        beats = [next(results) for _ in range(3)]  # nothing more comes: ~50 ms apart
        results.close()  # what the scheduler does to stop a stream: closes the connection
    assert len(first.items) == 1
    for beat in beats:
        assert beat.items == []
        assert list(beat.rejected) == []
        assert beat.cursor == first.cursor == {"time_us": US0 + SECOND}


def test_a_malformed_frame_is_rejected_and_the_stream_goes_on() -> None:
    log: list[dict[str, Any] | str] = [created(1), '{"kind": "commit", "did": ', created(2)]
    with running_jetstream(log=log) as jetstream:
        batches = stream(jetstream)
        where = config(jetstream.url).describe()
    assert uris(batches) == numbered(1, 2)
    (rejected,) = [r for batch in batches for r in batch.rejected]
    assert rejected.locator == f"a message of {where}"
    assert where.startswith("the Jetstream of 127.0.0.1:")
    assert "not JSON" in rejected.reason
    assert rejected.payload == '{"kind": "commit", "did": '


def test_a_jetstream_that_cannot_be_reached_stops_the_stream_after_the_attempts() -> None:
    sleeps = Sleeps()
    source = config(f"ws://127.0.0.1:{closed_port()}/subscribe")
    with pytest.raises(Transient) as caught:
        list(connector(sleeps).stream(source, None, context()))
    message = str(caught.value)
    assert message.startswith("The stream of the Jetstream of 127.0.0.1:")
    assert "failed 3 times in a row without delivering anything" in message
    assert "polling the source still works" in message
    assert "(The Jetstream of 127.0.0.1:" in message  # the last problem, as a sentence
    assert "could not be reached" in message
    assert len(sleeps.slept) == 2


def test_a_refused_handshake_is_a_connector_error_at_once() -> None:
    with running_jetstream(refuse=404) as jetstream:
        with pytest.raises(ConnectorError) as caught:
            stream(jetstream)
        assert len(jetstream.requests) == 1
    assert type(caught.value) is ConnectorError
    assert "refused the connection (HTTP 404): check the source's jetstream_url" in str(
        caught.value
    )


def test_a_search_source_cannot_be_streamed() -> None:
    search = BlueskySourceConfig.model_validate(
        {"query": "ondine", "handle": "ondine.bsky.social", "app_password": "k2vq-7hxm-p4ta-zr3e"}
    )
    with pytest.raises(ConfigError, match="Bluesky searches cannot be streamed"):
        connector().stream(search, None, context())


def test_the_subscribe_address_carries_the_filters_and_the_cursor() -> None:
    url = subscribe_url("wss://jetstream.test/subscribe", [AUTHOR], 1234)
    assert url == (
        "wss://jetstream.test/subscribe?wantedCollections=app.bsky.feed.post"
        f"&wantedDids={AUTHOR.replace(':', '%3A')}&cursor=1234"
    )
    assert subscribe_url("wss://jetstream.test/subscribe", [], -5).endswith("&cursor=0")


# -- polling a Jetstream source -----------------------------------------------------------------


def test_a_polled_source_reads_since_its_cursor_until_it_has_caught_up() -> None:
    log = [created(n) for n in range(1, 7)]
    with running_jetstream(log=log, plans=[Plan(end="hold")]) as jetstream:
        source = config(jetstream.url, stream=False)
        reader = connector(rewind_seconds=0, batch_seconds=2.0)  # a slow machine is not quiet
        result = reader.fetch(source, {"time_us": US0 + SECOND + 1}, context(3))
        asked = jetstream.cursor(0)
    assert asked == US0 + SECOND + 1
    assert [item.payload["time_us"] for item in result.items] == [
        US0 + 2 * SECOND,
        US0 + 3 * SECOND,
    ]
    assert result.cursor == {"time_us": US0 + 3 * SECOND}
    assert result.more is False


def test_a_polled_source_stops_at_its_event_budget_and_says_more() -> None:
    log = [created(n) for n in range(1, 7)]
    with running_jetstream(log=log, plans=[Plan(end="hold")]) as jetstream:
        source = config(jetstream.url, stream=False)
        reader = connector(fetch_events=2, batch_seconds=2.0)
        result = reader.fetch(source, {"time_us": US0}, context(60))
    assert len(result.items) == 2
    assert result.cursor == {"time_us": US0 + 2 * SECOND}
    assert result.more is True


def test_the_first_poll_starts_from_now_and_keeps_the_cursor_when_quiet() -> None:
    now_us = US0 + 5 * SECOND
    with running_jetstream(log=[created(1)], plans=[Plan(end="hold")]) as jetstream:
        source = config(jetstream.url, stream=False)
        result = connector().fetch(source, None, context(5))
        asked = jetstream.cursor(0)
    assert asked == now_us  # nothing older than the source is read
    assert result.items == []
    assert result.cursor == {"time_us": now_us}  # the next poll reads from here
    assert result.more is False


def test_a_polled_source_whose_connection_closes_keeps_what_it_read() -> None:
    log = [created(n) for n in range(1, 4)]
    with running_jetstream(log=log, plans=[Plan(end="close")]) as jetstream:
        source = config(jetstream.url, stream=False)
        result = connector(rewind_seconds=0).fetch(source, {"time_us": US0}, context(60))
    assert len(result.items) == 3
    assert result.cursor == {"time_us": US0 + 3 * SECOND}
    assert result.more is False
    assert result.notes[0].startswith("The Jetstream of 127.0.0.1:")
    assert "closed the connection while sbu read it" in result.notes[0]


def test_a_polled_source_that_cannot_connect_is_transient_after_the_attempts() -> None:
    sleeps = Sleeps()
    source = config(f"ws://127.0.0.1:{closed_port()}/subscribe", stream=False)
    with pytest.raises(Transient, match="could not be reached"):
        connector(sleeps).fetch(source, {"time_us": US0}, context(60))
    assert len(sleeps.slept) == 2  # three attempts
