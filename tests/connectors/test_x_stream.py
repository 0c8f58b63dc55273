"""Following X's filtered stream: heartbeats, reconnections that fill the gap without
repeating posts, backoff, rejected lines, against a real local HTTP server."""

from __future__ import annotations

import orjson
import pytest

from sbu.connectors.x_search import SEARCH
from sbu.connectors.x_stream_connection import STREAM
from sbu.core.errors import Transient
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.helpers import Waits
from tests.connectors.x_tweets import (
    CONTEXT,
    QUERY,
    TAG,
    collect,
    connector,
    cursor,
    ids,
    line,
    page,
    rules,
    stream_body,
    stream_config,
    tweet,
)


def test_keep_alives_are_heartbeats_that_keep_the_cursor(api: ApiServer) -> None:
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(STREAM, stream_body(b"\r\n", b"\r\n"))
    batches = collect(connector(api).stream(stream_config(), None, CONTEXT, connections=1))
    assert batches
    for batch in batches:
        assert (list(batch.items), list(batch.rejected), batch.notes) == ([], [], [])
        assert batch.cursor == {"month": "2026-11", "posts": 0, "rule_id": "99"}
    assert batches[0].usage is not None


def test_a_reconnected_stream_fills_the_gap_and_repeats_nothing(api: ApiServer) -> None:
    a, b, c, d = (tweet(n) for n in range(1, 5))
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(STREAM, stream_body(line(a), line(b)), stream_body(line(b), line(c), line(d)))
    api.reply(SEARCH, Reply(json=page(c)))
    batches = collect(connector(api).stream(stream_config(), None, CONTEXT, connections=2))
    assert [i for batch in batches for i in ids(batch)] == [a["id"], b["id"], c["id"], d["id"]]
    (gap,) = api.requests_to(SEARCH)
    assert gap.param("since_id") == b["id"]
    assert any("was reconnected; sbu fetched the 1 posts" in n for b_ in batches for n in b_.notes)
    last = batches[-1].cursor
    assert last is not None
    assert last["newest_id"] == d["id"]
    assert last["posts"] == 6  # 2 + 1 (gap) + 3, duplicates included: X billed them


def test_a_cursor_from_before_is_caught_up_before_the_stream_is_read(api: ApiServer) -> None:
    old, a = tweet(0), tweet(1)
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(SEARCH, Reply(json=page(a)))
    api.reply(STREAM, stream_body(line(a)))
    state = cursor(newest_id=old["id"], rule_id="99", seen=[old["id"]])
    batches = collect(connector(api).stream(stream_config(), state, CONTEXT, connections=1))
    assert [i for batch in batches for i in ids(batch)] == [a["id"]]
    assert api.requests_to(SEARCH)[0].param("since_id") == old["id"]


def test_x_closing_the_stream_makes_sbu_reconnect(api: ApiServer) -> None:
    a, b = tweet(1), tweet(2)
    closing = {
        "errors": [
            {
                "title": "operational-disconnect",
                "disconnect_type": "UpstreamOperationalDisconnect",
                "detail": "This stream has been disconnected upstream for operational reasons.",
                "type": "https://api.twitter.com/2/problems/operational-disconnect",
            }
        ]
    }
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(STREAM, stream_body(line(a), orjson.dumps(closing) + b"\r\n"), stream_body(line(b)))
    api.reply(SEARCH, Reply(json={"meta": {"result_count": 0}}))
    waits = Waits()
    batches = collect(connector(api, waits).stream(stream_config(), None, CONTEXT, connections=2))
    assert [i for batch in batches for i in ids(batch)] == [a["id"], b["id"]]
    assert len(api.requests_to(STREAM)) == 2
    assert waits.slept == []  # a stream that delivered reconnects at once


def test_a_stream_that_keeps_failing_backs_off_then_gives_up(api: ApiServer) -> None:
    waits = Waits()
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(STREAM, Reply(503, json={"title": "Service Unavailable"}))
    with pytest.raises(Transient) as caught:
        collect(connector(api, waits).stream(stream_config(), None, CONTEXT))
    assert "ended or failed 3 times in a row without delivering anything" in str(caught.value)
    assert "failed on its side (HTTP 503)" in str(caught.value)
    assert len(waits.slept) == 2
    assert len(api.requests_to(STREAM)) == 3


def test_a_broken_line_and_a_malformed_post_are_rejected(api: ApiServer) -> None:
    good, undated = tweet(1), tweet(2)
    del undated["created_at"]
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(STREAM, stream_body(b"{not json\r\n", line(undated), line(good)))
    batches = collect(connector(api).stream(stream_config(), None, CONTEXT, connections=1))
    assert [i for batch in batches for i in ids(batch)] == [good["id"]]
    broken, dated = [r for batch in batches for r in batch.rejected]
    assert broken.locator == "a line of the X filtered stream of 'X Ondine'"
    assert broken.payload == "{not json"
    assert "has no 'created_at'" in dated.reason
