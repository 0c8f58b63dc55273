"""What an X source saves with its mentions, read back from what was saved (or from anything)."""

from __future__ import annotations

from sbu.connectors.x_cursor import SEEN_MAX, XCursor, id_key, newest


def test_a_saved_cursor_reads_back_the_same() -> None:
    saved = {
        "month": "2026-11",
        "posts": 42,
        "newest_id": "1994000000000000000",
        "query": "ondine panne",
        "next_token": "p2",
        "round_since": "1993000000000000000",
        "round_newest": "1994000000000000000",
        "seen": ["1", "2"],
        "rule_id": "99",
    }
    assert XCursor.from_dict(saved).to_dict() == saved


def test_nothing_saved_is_an_empty_cursor_and_saves_only_the_count() -> None:
    assert XCursor.from_dict(None).to_dict() == {"posts": 0}


def test_what_is_not_a_cursor_s_value_is_dropped() -> None:
    state = XCursor.from_dict(
        {"posts": True, "newest_id": 1994, "query": "", "seen": ["1", 2, None], "rule_id": [9]}
    )
    assert (state.posts, state.newest_id, state.query) == (0, "1994", None)
    assert (state.seen, state.rule_id) == (["1"], None)
    assert XCursor.from_dict({"posts": -5}).posts == 0


def test_the_cursor_remembers_a_bounded_number_of_posts_newest_last() -> None:
    state = XCursor(seen=["1", "2"])
    state.remember(["2", "3"])
    assert state.seen == ["1", "2", "3"]
    state.remember([str(n) for n in range(SEEN_MAX + 5)])
    assert len(state.seen) == SEEN_MAX
    assert state.seen[-1] == str(SEEN_MAX + 4)


def test_the_newest_post_moves_forward_only_by_number() -> None:
    state = XCursor(newest_id="900")
    state.advance("1000")  # a longer number is newer, though "1000" < "900" as text
    state.advance("950")
    state.advance(None)
    assert state.newest_id == "1000"


def test_ending_a_round_forgets_its_page() -> None:
    state = XCursor(next_token="p2", round_since="1", round_newest="5")
    state.end_round()
    assert (state.next_token, state.round_since, state.round_newest) == (None, None, None)


def test_ids_sort_as_numbers_and_others_after_them() -> None:
    assert sorted(["20", "abc", "3"], key=id_key) == ["3", "20", "abc"]
    assert newest(["3", "20"]) == "20"
    assert newest([]) is None
