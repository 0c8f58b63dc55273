"""Sorting Jetstream frames: new posts, skipped events, rejected frames, keywords, languages."""

from __future__ import annotations

from typing import Any

import orjson

from sbu.connectors.bluesky_events import PostFilter, StreamState, read_event
from sbu.listening.drafts import RawItem, Rejected
from tests.connectors.bluesky_posts import (
    US0,
    account,
    created,
    deleted,
    identity,
    liked,
    post_uri,
)

WHERE = "the Jetstream of jetstream.test"


def frame(event: dict[str, Any]) -> str:
    return orjson.dumps(event).decode()


def take(event: dict[str, Any] | str, state: StreamState | None = None, **keep: Any) -> Any:
    text = event if isinstance(event, str) else frame(event)
    return read_event(text, state or StreamState(), PostFilter(**keep), WHERE)


def test_the_creation_of_a_post_is_a_raw_item() -> None:
    state = StreamState()
    item = take(created(3), state)
    assert isinstance(item, RawItem)
    assert item.mapper == "bluesky"
    assert item.payload == created(3)
    assert item.locator == f"post {post_uri(3)} from {WHERE}"
    assert state.time_us == US0 + 3_000_000
    assert state.cursor() == {"time_us": US0 + 3_000_000}


def test_other_events_are_skipped_but_move_the_cursor() -> None:
    state = StreamState()
    for event in (liked(4, 3), deleted(5, 3), identity(6), account(7)):
        assert take(event, state) is None
    edit = created(8)
    edit["commit"]["operation"] = "update"
    assert take(edit, state) is None
    assert state.time_us == US0 + 8_000_000
    assert state.received == 5


def test_the_cursor_never_goes_back() -> None:
    state = StreamState.from_cursor({"time_us": US0 + 9_000_000})
    take(created(2), state)
    assert state.time_us == US0 + 9_000_000


def test_a_post_seen_recently_is_not_handed_over_twice() -> None:
    state = StreamState()
    assert isinstance(take(created(1), state), RawItem)
    assert take(created(1), state) is None


def test_keywords_are_whole_words_in_any_case() -> None:
    keep: dict[str, Any] = {"keywords": ["Ondine", "box fibre", "#panne"]}
    assert isinstance(take(created(1, "La BOX  FIBRE est arrivée"), **keep), RawItem)
    assert isinstance(take(created(2, "ondine, encore une coupure"), **keep), RawItem)
    assert isinstance(take(created(3, "Réseau HS #panne"), **keep), RawItem)
    assert take(created(4, "Les ondines de la rivière"), **keep) is None
    assert take(created(5, "Rien à voir #pannes"), **keep) is None


def test_a_language_keeps_only_posts_that_declare_it() -> None:
    assert isinstance(take(created(1, langs=["fr-FR"]), lang="fr"), RawItem)
    assert take(created(2, langs=["en"]), lang="fr") is None
    assert take(created(3, langs=[]), lang="fr") is None


def test_frames_that_cannot_be_read_are_rejected() -> None:
    rejected = take('{"did": "did:plc:x", "time_us": 17')
    assert isinstance(rejected, Rejected)
    assert rejected.locator == f"a message of {WHERE}"
    assert "not JSON" in rejected.reason
    assert rejected.payload == '{"did": "did:plc:x", "time_us": 17'
    no_time = take({"did": "did:plc:x", "kind": "commit"})
    assert isinstance(no_time, Rejected)
    assert "no time_us" in no_time.reason


def test_a_post_the_mapper_refuses_is_rejected_with_its_reason() -> None:
    broken = created(4, "Box Ondine en panne")
    del broken["commit"]["record"]["createdAt"]
    state = StreamState()
    rejected = take(broken, state, keywords=["ondine"])  # it has the keyword: on to the mapper
    assert isinstance(rejected, Rejected)
    assert rejected.locator == f"post {post_uri(4)} from {WHERE}"
    assert "createdAt" in rejected.reason
    assert orjson.loads(rejected.payload) == broken
    no_record = created(5)
    del no_record["commit"]["record"]
    assert isinstance(take(no_record, state, keywords=["ondine"]), Rejected)
    assert state.time_us == US0 + 5_000_000
