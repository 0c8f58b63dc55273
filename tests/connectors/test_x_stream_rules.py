"""The filtered-stream rule of an X source: set, replaced, kept, shared or refused, against a
real local HTTP server that answers like X's API v2."""

from __future__ import annotations

import orjson
import pytest

from sbu.connectors.x_search import SEARCH
from sbu.connectors.x_stream_connection import STREAM
from sbu.connectors.x_stream_rules import RULES
from sbu.core.errors import ConnectorError
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.x_tweets import (
    CONTEXT,
    OURS,
    QUERY,
    TAG,
    TOKEN,
    collect,
    connector,
    ids,
    line,
    rules,
    stream_body,
    stream_config,
    tweet,
)


def test_the_stream_sets_the_source_s_rule_and_delivers_its_posts(api: ApiServer) -> None:
    a, b, c = tweet(1), tweet(2), tweet(3)
    rules(
        api,
        {"id": "1", "value": "autre chose", "tag": "veille concurrents"},
        {"id": "2", "value": "ondine", "tag": "sbu source 7: old name"},
    )
    api.reply(
        RULES,
        Reply(json={"meta": {"summary": {"deleted": 1, "not_deleted": 0}}}),
        Reply(201, json={"data": [{"value": QUERY, "tag": TAG, "id": "99"}]}),
        method="POST",
    )
    api.reply(
        STREAM,
        stream_body(
            b"\r\n", line(a), line(b, [{"id": "1", "tag": "veille concurrents"}]), line(c), b"\r\n"
        ),
    )
    batches = collect(connector(api).stream(stream_config(), None, CONTEXT, connections=1))
    assert [i for batch in batches for i in ids(batch)] == [a["id"], c["id"]]
    delete, add = api.requests_to(RULES, method="POST")
    assert orjson.loads(delete.body) == {"delete": {"ids": ["2"]}}
    assert orjson.loads(add.body) == {"add": [{"value": QUERY, "tag": TAG}]}
    (opened,) = api.requests_to(STREAM)
    assert opened.headers["authorization"] == f"Bearer {TOKEN}"
    assert opened.param("expansions") == "author_id"
    last = batches[-1].cursor
    assert last is not None
    assert (last["rule_id"], last["newest_id"]) == ("99", c["id"])
    assert last["seen"] == [a["id"], c["id"]]
    assert last["posts"] == 3  # the post of the other rule was delivered, and billed, too
    assert "sbu deleted 1 previous rule(s) tagged" in batches[0].notes[0]
    assert batches[0].items[0].payload["matching_rules"] == [OURS]
    assert api.requests_to(SEARCH) == []  # nothing read before: no gap to fill


def test_an_unchanged_rule_is_kept(api: ApiServer) -> None:
    rules(api, {"id": "99", "value": QUERY, "tag": TAG})
    api.reply(STREAM, stream_body(line(tweet(1))))
    batches = collect(connector(api).stream(stream_config(), None, CONTEXT, connections=1))
    assert api.requests_to(RULES, method="POST") == []
    assert batches[0].cursor is not None
    assert batches[0].cursor["rule_id"] == "99"
    assert batches[0].notes == []


def test_a_rule_another_program_already_has_is_shared_with_a_note(api: ApiServer) -> None:
    duplicate = {
        "meta": {"summary": {"created": 0, "not_created": 1, "valid": 0, "invalid": 1}},
        "errors": [
            {
                "value": QUERY,
                "id": "555",
                "title": "DuplicateRule",
                "type": "https://api.twitter.com/2/problems/duplicate-rules",
            }
        ],
    }
    rules(api, added=Reply(json=duplicate))
    api.reply(STREAM, stream_body(line(tweet(1), [{"id": "555", "tag": "another tool"}])))
    batches = collect(connector(api).stream(stream_config(), None, CONTEXT, connections=1))
    assert len(batches[0].items) == 1  # the shared rule's posts are this source's
    assert batches[0].cursor is not None
    assert batches[0].cursor["rule_id"] == "555"
    assert "under another tag" in batches[0].notes[0]


def test_a_rule_x_refuses_is_a_sentence(api: ApiServer) -> None:
    invalid = {
        "meta": {"summary": {"created": 0, "not_created": 1, "valid": 0, "invalid": 1}},
        "errors": [
            {
                "value": QUERY,
                "details": ["Rules must contain a non-negation term (at position 1)"],
                "title": "UnprocessableEntity",
                "type": "https://api.twitter.com/2/problems/invalid-rules",
            }
        ],
    }
    rules(api, added=Reply(json=invalid))
    with pytest.raises(ConnectorError) as caught:
        connector(api).stream(stream_config(), None, CONTEXT, connections=1)
    assert str(caught.value) == (
        f"X refused to add the rule {QUERY!r} (Rules must contain a non-negation term (at "
        "position 1)): change the source's query, or check the app's rules in the X "
        "developer console."
    )
    assert api.requests_to(STREAM) == []
