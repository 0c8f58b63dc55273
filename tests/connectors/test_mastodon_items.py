"""Statuses sorted into raw items and rejected ones, oldest first, without repeats."""

from __future__ import annotations

from sbu.connectors.mastodon_items import newest_id, read_statuses, status_id
from tests.connectors.mastodon_statuses import status, statuses

WHERE = "the #panne timeline of https://piaille.example"


def test_new_statuses_become_mastodon_items_oldest_first() -> None:
    a, b, c = statuses(3)
    known: set[str] = set()
    batch = read_statuses([status(c), status(a), status(b)], known, WHERE)
    assert [item.payload["id"] for item in batch.items] == [a, b, c]
    assert {item.mapper for item in batch.items} == {"mastodon"}
    assert batch.items[0].locator == f"status {a} of {WHERE}"
    assert batch.items[0].payload == status(a)  # the status is handed over as received
    assert known == {a, b, c}
    assert sorted(batch.ids) == sorted([a, b, c])


def test_known_and_repeated_statuses_are_left_out() -> None:
    a, b = statuses(2)
    known = {a}
    batch = read_statuses([status(a), status(b), status(b)], known, WHERE)
    assert [item.payload["id"] for item in batch.items] == [b]
    assert batch.ids == [b]


def test_what_the_mapper_refuses_is_rejected_with_its_sentence() -> None:
    a, b = statuses(2)
    no_account = status(a)
    del no_account["account"]
    batch = read_statuses([no_account, status(b), 42], set(), WHERE)
    assert [item.payload["id"] for item in batch.items] == [b]
    first, second = batch.rejected
    assert first.locator == f"status {a} of {WHERE}"
    assert first.reason == "The field 'account' is missing; it must be an object."
    assert '"id":"' + a + '"' in first.payload
    assert second.locator == f"item 3 read from {WHERE}"
    assert second.reason.startswith("This is not a Mastodon status (a JSON object was expected")
    assert second.payload == "42"
    assert batch.ids == [a, b]  # the refused status is remembered, so not refused again


def test_ids_are_read_only_when_usable() -> None:
    assert status_id({"id": "113"}) == "113"
    assert status_id({"id": 113}) == "113"
    assert status_id({"id": True}) is None
    assert status_id({"id": " "}) is None
    assert status_id({"id": None}) is None
    assert status_id(["113"]) is None
    a, b = statuses(2)
    assert newest_id([status(b), status(a), {"id": None}]) == b
    assert newest_id([]) is None
