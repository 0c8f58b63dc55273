"""Server-sent events: the parser, and opening Mastodon's stream against a real local server."""

from __future__ import annotations

import orjson
import pytest

from sbu.connectors.mastodon_sse import MAX_LINE_CHARS, EventStream, SseEvent, SseParser
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.mastodon_statuses import status

SETTINGS = ConnectorSettings(timeout_seconds=5.0)
STREAM = "/api/v1/streaming/public"
SSE = {"Content-Type": "text/event-stream"}


def parse(*chunks: bytes) -> tuple[list[SseEvent], SseParser]:
    parser = SseParser()
    events = [event for chunk in chunks for event in parser.feed(chunk)]
    return events, parser


def test_a_mastodon_stream_gives_its_events_and_skips_heartbeats() -> None:
    one = orjson.dumps(status("113530207364418234")).decode()
    body = f":)\nevent: update\ndata: {one}\n\n:thump\nevent: delete\ndata: 113530207364418111\n\n:thump\n"
    events, parser = parse(body.encode())
    assert events == [SseEvent("update", one), SseEvent("delete", "113530207364418111")]
    assert orjson.loads(events[0].data)["id"] == "113530207364418234"
    assert parser.comments == 3


def test_lines_split_anywhere_across_reads_give_the_same_events() -> None:
    body = 'event: update\r\ndata: {"content": "<p>Débit à 3 Mb/s à Vannes</p>"}\r\n\r\n'.encode()
    whole, _ = parse(body)
    assert len(whole) == 1
    for cut in range(1, len(body)):
        split, _ = parse(body[:cut], body[cut:])  # cuts CRLFs and the UTF-8 of "é" and "à"
        assert split == whole, cut
    bytewise, _ = parse(*(body[i : i + 1] for i in range(len(body))))
    assert bytewise == whole


def test_cr_lf_and_crlf_all_end_lines() -> None:
    events, _ = parse(b"data: a\rdata: b\ndata: c\r\n\r")
    assert events == [SseEvent("message", "a\nb\nc")]


def test_field_rules_of_the_standard() -> None:
    events, parser = parse(
        b"\xef\xbb\xbfdata:no space\n\n"  # a BOM is dropped; the space after ':' is optional
        b"data:  two spaces\n\n"  # only one space is removed
        b"data\n\n"  # a field without a colon has an empty value
        b"event: update\n\n"  # no data: nothing is dispatched, and the type is forgotten
        b"id: 7\nretry: 3000\nfoo: bar\ndata: x\n\n"
        b"event: update\ndata: cut off by the end"
    )
    assert events == [
        SseEvent("message", "no space"),
        SseEvent("message", " two spaces"),
        SseEvent("message", ""),
        SseEvent("message", "x", "7"),
    ]
    assert parser.retry_ms == 3000


def test_a_line_without_end_is_refused_past_the_limit() -> None:
    parser = SseParser()
    parser.feed(b"data: " + b"x" * (MAX_LINE_CHARS - 10))
    with pytest.raises(ConnectorError) as caught:
        parser.feed(b"x" * 20)
    assert "sbu dropped the connection and will reconnect" in str(caught.value)


# -- opening the stream -------------------------------------------------------------------------


def events_of(api: ApiServer, token: str | None = None) -> EventStream:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return EventStream("Mastodon (piaille.example)", api.base, SETTINGS, lambda: headers)


def test_the_stream_is_read_chunk_by_chunk_with_the_token(api: ApiServer) -> None:
    api.reply(STREAM, Reply(body=b":)\nevent: update\ndata: {}\n\n", headers=SSE))
    with events_of(api, "tok-1").open(STREAM, {"tag": "panne"}) as chunks:
        body = b"".join(chunks)
    assert body == b":)\nevent: update\ndata: {}\n\n"
    (seen,) = api.requests_to(STREAM)
    assert seen.headers["authorization"] == "Bearer tok-1"
    assert seen.headers["accept"] == "text/event-stream"
    assert seen.param("tag") == "panne"


@pytest.mark.parametrize(
    ("reply", "error", "expected"),
    [
        (
            Reply(401, json={"error": "Error: Missing access token"}),
            AuthFailed,
            "add or renew the source's access_token",
        ),
        (Reply(404, json={"error": "Not found"}), ConnectorError, "has no stream at"),
        (Reply(503), Transient, "failed on its side (HTTP 503): sbu tries again shortly"),
        (Reply(429, headers={"Retry-After": "12"}), RateLimited, "open the stream less often"),
        (Reply(json={"error": "nope"}), ConnectorError, "instead of an event stream"),
        (
            Reply(301, headers={"Location": "https://elsewhere.example/"}),
            ConnectorError,
            "with HTTP 301 to https://elsewhere.example/",
        ),
        (Reply(drop=True), Transient, "could not be reached"),
    ],
)
def test_a_stream_that_cannot_open_is_a_sentence(
    api: ApiServer, reply: Reply, error: type[Exception], expected: str
) -> None:
    api.reply(STREAM, reply)
    with pytest.raises(error) as caught, events_of(api, "tok-secret").open(STREAM, {}):
        pytest.fail("the stream should not open")
    assert expected in str(caught.value)
    assert "tok-secret" not in str(caught.value)
    assert type(caught.value) is error
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after == 12.0
