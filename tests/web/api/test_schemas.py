"""The API's response models built from the listening read models."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sbu.listening.queries import MentionRow, SourceRow
from sbu.web.api.schemas import mention_summary, source_status
from tests.conftest import NOW

SOURCE = SourceRow(
    id=1,
    name="Feed",
    connector="rss",
    enabled=True,
    mentions=3,
    poll_interval_seconds=900,
    last_polled_at=NOW,
    next_poll_at=NOW,
    last_error=None,
    consecutive_failures=0,
    dead_letters=0,
    created_at=NOW,
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "ok"),
        ({"enabled": False, "consecutive_failures": 4}, "disabled"),
        ({"consecutive_failures": 1, "last_error": "503"}, "failing"),
        ({"last_polled_at": None}, "waiting"),
        ({"last_polled_at": None, "poll_interval_seconds": None}, "ok"),
    ],
)
def test_source_status(changes: dict[str, object], expected: str) -> None:
    assert source_status(replace(SOURCE, **changes)) == expected  # type: ignore[arg-type]


def test_a_mention_without_author_has_a_null_author() -> None:
    row = MentionRow(
        id=1,
        platform="news",
        external_id="x",
        url=None,
        title="Titre",
        text="",
        language=None,
        created_at=NOW,
        source_id=2,
        source_name="Presse",
        author_name=None,
        author_handle=None,
        metrics={},
        duplicate_kind=None,
        duplicate_of_id=None,
        parent_external_id=None,
    )
    summary = mention_summary(row)
    assert summary.author is None
    assert summary.source.name == "Presse"
    assert summary.model_dump(mode="json")["created_at"] == "2026-11-28T09:00:00Z"
