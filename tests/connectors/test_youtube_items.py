"""What a YouTube fetch collects: resources checked with the mapper, rejects with reasons, and
the helpers that read ids, dates and the cursor."""

from __future__ import annotations

from datetime import UTC, datetime

from sbu.connectors.youtube_items import (
    MAX_PAYLOAD_CHARS,
    Collected,
    at,
    parse_when,
    payload_text,
    remember,
    rfc3339,
    texts,
)
from tests.connectors.youtube_resources import video


def test_a_resource_the_mapper_accepts_is_handed_over_for_the_youtube_mapper() -> None:
    out = Collected()
    assert out.add(video("vid0000001", 1, "Box"), "video vid0000001 of @techbreizh") is True
    (item,) = out.items
    assert (item.mapper, item.locator) == ("youtube", "video vid0000001 of @techbreizh")
    assert out.rejected == []


def test_a_resource_the_mapper_refuses_is_rejected_with_its_reason() -> None:
    out = Collected()
    assert out.add({"kind": "youtube#playlist", "id": "PL1"}, "item 1") is False
    assert out.items == []
    (rejected,) = out.rejected
    assert rejected.locator == "item 1"
    assert rejected.reason.startswith("A YouTube resource of kind 'youtube#playlist' is not a post")
    assert rejected.payload == '{"kind":"youtube#playlist","id":"PL1"}'


def test_something_that_is_not_an_object_is_rejected() -> None:
    out = Collected()
    assert out.add(["a"], "item 2") is False
    assert out.rejected[0].reason == "YouTube sent a JSON list where a resource was expected."


def test_a_note_is_kept_once() -> None:
    out = Collected()
    out.note("Stopped.")
    out.note("Stopped.")
    assert out.notes == ["Stopped."]


def test_payload_text_is_bounded() -> None:
    assert len(payload_text({"text": "x" * (MAX_PAYLOAD_CHARS * 2)})) == MAX_PAYLOAD_CHARS


def test_remember_puts_new_ids_first_without_repeats_and_bounded() -> None:
    assert remember(["c", "b"], ["b", "a"], 10) == ["c", "b", "a"]
    assert remember(["c", "b"], ["b", "a"], 2) == ["c", "b"]


def test_cursor_lists_keep_only_strings() -> None:
    assert texts(["a", 3, None, "", "b"]) == ["a", "b"]
    assert texts("ab") == []


def test_at_follows_objects_only() -> None:
    resource = {"snippet": {"resourceId": {"videoId": "v1"}}, "list": ["x"]}
    assert at(resource, "snippet", "resourceId", "videoId") == "v1"
    assert at(resource, "snippet", "missing", "videoId") is None
    assert at(resource, "list", "0") is None


def test_youtube_dates_are_read_and_written_in_utc() -> None:
    when = parse_when("2026-11-28T08:15:00Z")
    assert when == datetime(2026, 11, 28, 8, 15, tzinfo=UTC)
    assert parse_when("2026-11-28T09:15:00.5+01:00") == datetime(
        2026, 11, 28, 8, 15, 0, 500000, tzinfo=UTC
    )
    assert parse_when("2026-11-28T08:15:00") is None  # no zone
    assert parse_when("28/11/2026") is None
    assert parse_when(None) is None
    assert rfc3339(datetime(2026, 11, 28, 8, 15, 0, 500000, tzinfo=UTC)) == "2026-11-28T08:15:00Z"
