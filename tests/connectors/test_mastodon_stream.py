"""Streaming a Mastodon timeline: events, reconnection and the REST gap fill, against real local
servers (the instance's REST API and its separate streaming server)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from sbu.connectors.api_client import ApiClient
from sbu.connectors.base import FetchContext, FetchResult
from sbu.connectors.mastodon_api import MastodonConnector
from sbu.connectors.mastodon_source import MastodonSourceConfig
from sbu.connectors.mastodon_stream import streaming_base
from sbu.core.errors import AuthFailed, ConfigError, ConnectorError, Transient
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.mastodon_statuses import INSTANCE, newest_first, status, statuses

CONTEXT = FetchContext(now=datetime(2026, 11, 28, 12, 0, tzinfo=UTC), source_id=1, source_name="P")
PUBLIC = "/api/v1/timelines/public"
STREAM = "/api/v1/streaming/public"
SSE = {"Content-Type": "text/event-stream"}
TOKEN = "tok-9d2e61b0c4a84f7e"


@pytest.fixture
def streaming() -> Iterator[ApiServer]:
    with running_api() as server:
        yield server


def announce(api: ApiServer, streaming: ApiServer) -> None:
    """The instance says where it streams, as /api/v2/instance does (a ws:// address)."""
    address = streaming.base.replace("http://", "ws://")
    api.reply(
        "/api/v2/instance",
        Reply(
            json={"domain": "piaille.example", "configuration": {"urls": {"streaming": address}}}
        ),
    )


def update(status_id: str) -> str:
    return f"event: update\ndata: {orjson.dumps(status(status_id)).decode()}\n\n"


def sse(*parts: str) -> Reply:
    return Reply(body="".join(parts).encode(), headers=SSE)


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


def connector(api: ApiServer, sleeps: Sleeps | None = None) -> MastodonConnector:
    return MastodonConnector(
        ConnectorSettings(timeout_seconds=5.0, attempts=3),
        base_url=api.base,
        sleep=sleeps or Sleeps(),
        rng=random.Random(5),
    )


def config(**fields: Any) -> MastodonSourceConfig:
    return MastodonSourceConfig.model_validate(
        {"instance": INSTANCE, "lookback_minutes": 0, **fields}
    )


def ids(batches: list[FetchResult]) -> list[str]:
    return [item.payload["id"] for batch in batches for item in batch.items]


def test_a_new_stream_delivers_updates_only(api: ApiServer, streaming: ApiServer) -> None:
    announce(api, streaming)
    a, b = statuses(2)
    edited = orjson.dumps(status(a, "Corrigé : la coupure est à Brest, pas à Lorient")).decode()
    streaming.reply(
        STREAM,
        sse(
            ":)\n",
            update(a),
            ":thump\n",
            "event: delete\ndata: 1234\n\n",
            f"event: status.update\ndata: {edited}\n\n",
            update(b),
        ),
    )
    batches = list(connector(api).stream(config(access_token=TOKEN), None, CONTEXT, connections=1))
    assert ids(batches) == [a, b]  # the delete and the edit are not new mentions
    assert api.requests_to(PUBLIC) == []  # no cursor: nothing to catch up, no backfill
    (opened,) = streaming.requests_to(STREAM)
    assert opened.headers["authorization"] == f"Bearer {TOKEN}"
    assert batches[-1].cursor is not None
    assert batches[-1].cursor["newest_id"] == b
    assert all(batch.rejected == [] for batch in batches)


def test_a_dropped_stream_is_reopened_and_the_gap_filled_once(
    api: ApiServer, streaming: ApiServer
) -> None:
    announce(api, streaming)
    old, a, b, c, d = statuses(5)
    streaming.reply(
        STREAM,
        sse(":)\n", update(a)),  # then the connection ends
        Reply(drop=True),  # the first reconnection fails
        sse(":)\n", update(c), update(d)),  # c was posted before the stream came back
    )
    api.reply(PUBLIC, Reply(json=[]), Reply(json=newest_first([b, c])))
    sleeps = Sleeps()
    batches = list(
        connector(api, sleeps).stream(
            config(), {"newest_id": old, "seen": [old]}, CONTEXT, connections=3
        )
    )
    assert ids(batches) == [a, b, c, d]  # nothing lost, nothing twice
    # the gap is filled from the cursor each time the stream opens
    assert [r.param("min_id") for r in api.requests_to(PUBLIC)] == [old, a]
    assert len(streaming.requests_to(STREAM)) == 3
    assert len(sleeps.slept) == 1  # a wait before retrying the failed reconnection only
    notes = [note for batch in batches for note in batch.notes]
    assert notes == [
        f"The stream of the public timeline of {INSTANCE} was interrupted; sbu reconnected and "
        "fetched the 2 statuses posted meanwhile."
    ]
    assert batches[-1].cursor is not None
    assert batches[-1].cursor["newest_id"] == d


def test_an_instance_without_v2_streams_at_its_own_address(api: ApiServer) -> None:
    (a,) = statuses(1)
    api.reply("/api/v1/streaming/hashtag", sse(update(a)))
    source = config(timeline="hashtag", hashtag="panne")
    batches = list(connector(api).stream(source, None, CONTEXT, connections=1))
    assert ids(batches) == [a]
    assert api.requests_to("/api/v1/streaming/hashtag")[0].param("tag") == "panne"


def test_the_local_timeline_streams_from_its_own_channel(api: ApiServer) -> None:
    (a,) = statuses(1)
    api.reply("/api/v1/streaming/public/local", sse(update(a)))
    batches = list(connector(api).stream(config(timeline="local"), None, CONTEXT, connections=1))
    assert ids(batches) == [a]


def test_broken_updates_are_rejected_and_the_stream_goes_on(
    api: ApiServer, streaming: ApiServer
) -> None:
    announce(api, streaming)
    a, b = statuses(2)
    undated = status(a)
    del undated["created_at"]
    streaming.reply(
        STREAM,
        sse(
            "event: update\ndata: {not json\n\n",
            f"event: update\ndata: {orjson.dumps(undated).decode()}\n\n",
            update(b),
        ),
    )
    batches = list(connector(api).stream(config(), None, CONTEXT, connections=1))
    assert ids(batches) == [b]
    reasons = [r.reason for batch in batches for r in batch.rejected]
    assert len(reasons) == 2
    assert reasons[0].startswith("The stream sent an update event whose data is not JSON")
    assert reasons[1] == "The field 'created_at' is missing; it must be a date and time."


def test_a_stream_that_keeps_failing_ends_in_one_sentence(
    api: ApiServer, streaming: ApiServer
) -> None:
    announce(api, streaming)
    streaming.reply(STREAM, Reply(503))
    sleeps = Sleeps()
    with pytest.raises(Transient) as caught:
        list(connector(api, sleeps).stream(config(), None, CONTEXT))
    assert str(caught.value).startswith(
        f"The stream of the public timeline of {INSTANCE} ended or failed 3 times in a row "
        "without delivering anything"
    )
    assert "polling the source still works" in str(caught.value)
    assert len(streaming.requests_to(STREAM)) == 3
    assert len(sleeps.slept) == 2
    assert sleeps.slept[1] <= 2.0  # full jitter under the second ceiling


def test_a_stream_that_closes_at_once_is_retried_with_backoff(
    api: ApiServer, streaming: ApiServer
) -> None:
    announce(api, streaming)
    streaming.reply(STREAM, sse(":)\n"))  # opens, greets, and closes: not alive
    with pytest.raises(Transient):
        list(connector(api).stream(config(), None, CONTEXT))
    assert len(streaming.requests_to(STREAM)) == 3


def test_a_refused_stream_stops_at_once(api: ApiServer, streaming: ApiServer) -> None:
    announce(api, streaming)
    streaming.reply(STREAM, Reply(401, json={"error": "Error: Missing access token"}))
    with pytest.raises(AuthFailed):
        list(connector(api).stream(config(), None, CONTEXT))
    assert len(streaming.requests_to(STREAM)) == 1


def test_a_search_cannot_be_streamed() -> None:
    source = config(timeline="search", query="télécom ouest", access_token=TOKEN)
    with pytest.raises(ConfigError) as caught:
        MastodonConnector(ConnectorSettings()).stream(source, None, CONTEXT)
    assert "Mastodon has no stream for searches" in str(caught.value)


def test_the_streaming_address_comes_from_the_instance(api: ApiServer) -> None:
    info = {"configuration": {"urls": {"streaming": "wss://streaming.piaille.example"}}}
    unencrypted = {"configuration": {"urls": {"streaming": "ws://x"}}}
    api.reply("/api/v2/instance", Reply(json=info), Reply(json={}), Reply(json=unencrypted))
    settings = ConnectorSettings(attempts=1)
    with ApiClient("Mastodon (piaille.example)", api.base, settings) as client:
        assert streaming_base(client, INSTANCE, "piaille.example") == (
            "https://streaming.piaille.example"
        )
        assert streaming_base(client, INSTANCE, "piaille.example") == INSTANCE  # not said
        with pytest.raises(ConnectorError) as caught:
            streaming_base(client, INSTANCE, "piaille.example")
    assert str(caught.value) == (
        "Mastodon (piaille.example) streams from an unencrypted address (ws://x), where sbu will "
        "not send the source's token: poll the source instead."
    )
