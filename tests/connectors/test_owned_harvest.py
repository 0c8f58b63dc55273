"""What an owned-channel poll collects: new, old, refused and textless comments, posts that join,
and the result oldest first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sbu.connectors.meta_mapping import FacebookMapper
from sbu.connectors.owned_cursor import PostMark
from sbu.connectors.owned_harvest import Harvest, time_of
from tests.conftest import NOW
from tests.connectors.owned_payloads import facebook_items

MARK_START = NOW - timedelta(days=1)


def offer(harvest: Harvest, mark: PostMark, item: dict[str, Any]) -> bool:
    comment = item["comment"]
    return harvest.offer(
        item,
        ident=comment.get("id"),
        when=time_of(comment.get("created_time"), "created_time"),
        text=comment.get("message"),
        where=f"comment {comment.get('id')}",
        mark=mark,
    )


def test_new_comments_become_items_oldest_first_and_move_the_mark() -> None:
    harvest, mark = Harvest(FacebookMapper(), "Facebook"), PostMark(newest=MARK_START)
    comments = facebook_items()[2:]
    assert [offer(harvest, mark, item) for item in comments] == [False, False, False]
    result = harvest.result({"k": 1}, token_expires_at=None)
    assert [i.payload["comment"]["id"][-4:] for i in result.items] == ["3843", "3849", "3851"]
    assert result.cursor == {"k": 1}
    assert mark.newest.isoformat() == "2026-11-28T08:31:02+00:00"
    # Offered again (a repeated page), nothing is taken twice.
    for item in comments:
        offer(harvest, mark, item)
    assert len(harvest.items) == 3


def test_an_old_comment_is_reported_as_behind_the_mark() -> None:
    harvest, mark = Harvest(FacebookMapper(), "Facebook"), PostMark(newest=NOW)
    assert offer(harvest, mark, facebook_items()[4]) is True
    assert harvest.items == []


def test_refused_and_textless_comments() -> None:
    harvest, mark = Harvest(FacebookMapper(), "Facebook"), PostMark(newest=MARK_START)
    broken, textless, anonymous = facebook_items()[2:]
    broken["comment"]["like_count"] = -1
    textless["comment"]["message"] = " "
    del anonymous["comment"]["id"]
    for item in (broken, textless, anonymous):
        offer(harvest, mark, item)
    result = harvest.result({}, token_expires_at=None)

    assert result.items == []
    assert [r.locator for r in result.rejected] == [
        "comment 918273645501928_1187364512093851",
        "comment None",
    ]
    assert "negative" in result.rejected[0].reason
    assert '"like_count":-1' in result.rejected[0].payload
    assert mark.bad == ["918273645501928_1187364512093851"]
    assert result.notes == [
        "1 new Facebook comments had no text (a sticker, photo or GIF alone) and were skipped."
    ]


def test_a_joining_post_is_taken_when_recent_and_with_text() -> None:
    harvest = Harvest(FacebookMapper(), "Facebook")
    recent, older = facebook_items()[:2]
    for item in (recent, older):
        post = item["post"]
        harvest.offer_post(
            item,
            post_id=post["id"],
            when=time_of(post["created_time"], "created_time"),
            text=post.get("message"),
            where=f"post {post['id']}",
            mark=PostMark(newest=MARK_START),
        )
    assert [i.payload["post"]["id"] for _, i in harvest.items] == [recent["post"]["id"]]


def test_a_date_that_cannot_be_read_is_none() -> None:
    assert time_of("hier", "created_time") is None
