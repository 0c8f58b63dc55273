"""Payloads checked with their mapper: accepted, refused with the mapper's sentence, or refused
because the mapper failed; and payloads quoted as JSON text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from sbu.connectors.mapped_items import check_payload, payload_id, payload_text
from sbu.connectors.mastodon import MastodonStatusMapper
from sbu.listening.drafts import MentionDraft, RawItem, Rejected
from tests.connectors.mastodon_statuses import status


class BrokenMapper:
    key = "broken"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        raise KeyError("account")


def test_a_payload_the_mapper_accepts_is_an_item_of_that_mapper() -> None:
    payload = status("110000000000000001")
    checked = check_payload(
        MastodonStatusMapper(), payload, "status 1", platform="Mastodon", thing="status"
    )
    assert checked == RawItem("mastodon", payload, "status 1")


def test_a_payload_the_mapper_refuses_is_rejected_with_its_sentence() -> None:
    payload = status("110000000000000001")
    del payload["created_at"]
    checked = check_payload(
        MastodonStatusMapper(), payload, "status 1", platform="Mastodon", thing="status"
    )
    assert isinstance(checked, Rejected)
    assert checked.locator == "status 1"
    assert "created_at" in checked.reason
    assert checked.payload == payload_text(payload)


def test_a_mapper_that_fails_does_not_stop_the_page() -> None:
    checked = check_payload(BrokenMapper(), {"id": 1}, "post 1", platform="X", thing="post")
    assert checked == Rejected(
        "post 1", "The X mapper failed on this post (KeyError: 'account').", '{"id":1}'
    )


def test_the_quoted_text_of_a_rejection_can_be_given() -> None:
    checked = check_payload(
        BrokenMapper(), {"id": 1}, "post 1", platform="X", thing="post", quote=lambda: "raw frame"
    )
    assert isinstance(checked, Rejected)
    assert checked.payload == "raw frame"


def test_payload_text_never_fails() -> None:
    assert payload_text({"a": 1}) == '{"a":1}'
    assert payload_text({1: "x"}) == '{"1":"x"}'
    assert payload_text({"s": {1, 2}}).startswith("{'s'")


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"id": "110"}, "110"),
        ({"id": 110}, "110"),
        ({"id": " 110 "}, "110"),
        ({"id": ""}, None),
        ({"id": True}, None),
        ({"id": 1.5}, None),
        ({}, None),
        (["110"], None),
        (None, None),
    ],
)
def test_the_id_of_a_payload_is_a_string_or_a_number(payload: Any, expected: str | None) -> None:
    assert payload_id(payload) == expected
