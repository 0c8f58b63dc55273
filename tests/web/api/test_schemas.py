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


@pytest.mark.parametrize("state", ["ok", "failing", "paused", "stalled", "disabled", "waiting"])
def test_the_status_is_the_state_list_sources_computed(state: str) -> None:
    # the rules themselves are tested in tests/listening/test_source_health.py
    assert source_status(replace(SOURCE, state=state)) == state  # type: ignore[arg-type]


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
