"""Paging a Bluesky search: first poll, next polls down to what was seen, backfill in parts.

The pages are served by a small in-memory index that answers like searchPosts (newest first,
an offset cursor); the connector's tests run the same code against a real HTTP server."""

from __future__ import annotations

from typing import Any

import pytest

from sbu.connectors.bluesky_search import SearchCursor, read_search
from sbu.core.errors import ConnectorError
from tests.connectors.bluesky_posts import post_uri, post_view

WHERE = "the Bluesky search 'ondine'"


class Index:
    """Posts by number, served newest first ``limit`` at a time with an offset cursor."""

    def __init__(self, numbers: list[int], limit: int = 3) -> None:
        self.numbers = list(numbers)
        self.limit = limit
        self.asked: list[str | None] = []

    def add(self, *numbers: int) -> None:
        self.numbers.extend(numbers)

    def __call__(self, cursor: str | None) -> Any:
        self.asked.append(cursor)
        ordered = sorted(self.numbers, reverse=True)
        start = int(cursor or 0)
        page = ordered[start : start + self.limit]
        answer: dict[str, Any] = {"posts": [post_view(n) for n in page]}
        if start + self.limit < len(ordered):
            answer["cursor"] = str(start + self.limit)
        return answer


def numbers(batch: Any) -> list[str]:
    return [item.payload["uri"] for item in batch.items]


def test_the_first_poll_takes_the_newest_page_only_oldest_first() -> None:
    index = Index(list(range(1, 11)))
    batch = read_search(index, SearchCursor(), pages=5, where=WHERE)
    assert index.asked == [None]
    assert numbers(batch) == [post_uri(8), post_uri(9), post_uri(10)]
    assert batch.more is False
    assert batch.cursor.newest_uri == post_uri(10)
    assert batch.cursor.newest_indexed_at == post_view(10)["indexedAt"]
    assert batch.items[0].mapper == "bluesky"
    assert batch.items[0].locator == f"post {post_uri(8)} of {WHERE}"


def test_the_next_poll_pages_down_to_the_first_post_already_seen() -> None:
    index = Index(list(range(1, 11)))
    first = read_search(index, SearchCursor(), pages=5, where=WHERE)
    index.add(11, 12, 13, 14, 15)
    index.asked.clear()
    batch = read_search(index, SearchCursor.from_dict(first.cursor.to_dict()), pages=5, where=WHERE)
    assert index.asked == [None, "3"]  # 15 14 13, then 12 11 10: 10 was seen, stop
    assert numbers(batch) == [post_uri(n) for n in (11, 12, 13, 14, 15)]
    assert batch.more is False
    assert batch.cursor.newest_uri == post_uri(15)
    assert batch.cursor.resume is None
    again = read_search(index, batch.cursor, pages=5, where=WHERE)
    assert again.items == []


def test_a_long_gap_is_read_in_parts_and_finished_before_starting_again() -> None:
    index = Index([1, 2, 3])
    first = read_search(index, SearchCursor(), pages=2, where=WHERE)
    index.add(*range(4, 14))  # ten new posts, six a poll at most
    part = read_search(index, first.cursor, pages=2, where=WHERE)
    assert numbers(part) == [post_uri(n) for n in range(8, 14)]
    assert part.more is True
    assert part.cursor.resume == "6"
    assert part.cursor.newest_uri == post_uri(3)  # the boundary stays until the gap is read
    index.add(14)  # posted meanwhile: comes with the next round, not lost
    rest = read_search(index, SearchCursor.from_dict(part.cursor.to_dict()), pages=2, where=WHERE)
    assert numbers(rest) == [post_uri(n) for n in range(4, 8)]
    assert rest.more is False
    assert rest.cursor.newest_uri == post_uri(13)
    last = read_search(index, rest.cursor, pages=2, where=WHERE)
    assert numbers(last) == [post_uri(14)]


def test_a_post_seen_once_is_not_handed_over_again() -> None:
    pages = iter([{"posts": [post_view(2), post_view(1)]}, {"posts": [post_view(2), post_view(1)]}])
    first = read_search(lambda _: next(pages), SearchCursor(), pages=3, where=WHERE)
    again = read_search(lambda _: next(pages), first.cursor, pages=3, where=WHERE)
    assert len(first.items) == 2
    assert again.items == []


def test_a_post_older_than_the_last_poll_ends_the_paging_even_if_it_was_deleted() -> None:
    index = Index([1, 2, 3, 4, 5, 6])
    state = SearchCursor(newest_indexed_at=post_view(3)["indexedAt"], newest_uri=post_uri(3))
    batch = read_search(index, state, pages=5, where=WHERE)
    assert index.asked == [None, "3"]
    assert numbers(batch) == [post_uri(n) for n in range(1, 7)]  # none remembered: all new


def test_a_malformed_post_is_rejected_and_the_page_goes_on() -> None:
    broken = post_view(2)
    del broken["record"]["createdAt"]
    page = {"posts": [post_view(3), broken, {"cid": "bafy-no-uri"}, post_view(1)]}
    batch = read_search(lambda _: page, SearchCursor(), pages=1, where=WHERE)
    assert numbers(batch) == [post_uri(1), post_uri(3)]
    assert [r.locator for r in batch.rejected] == [
        f"post {post_uri(2)} of {WHERE}",
        f"result 3 of {WHERE}",
    ]
    assert "createdAt" in batch.rejected[0].reason
    assert post_uri(2) in batch.cursor.seen  # not rejected again at the next poll


def test_an_answer_without_posts_is_a_connector_error() -> None:
    with pytest.raises(ConnectorError, match="no list of posts"):
        read_search(lambda _: {"feed": []}, SearchCursor(), pages=1, where=WHERE)


def test_the_cursor_survives_a_round_trip_through_json() -> None:
    state = SearchCursor("2026-11-28T08:00:00.400Z", post_uri(1), [post_uri(1)], "6", None, None)
    assert SearchCursor.from_dict(state.to_dict()) == state
    assert SearchCursor.from_dict({"seen": [1, None, "x"]}).seen == ["x"]
