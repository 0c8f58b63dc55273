from __future__ import annotations

import numpy as np

from sbu.listening.query.automaton import Hits
from sbu.listening.query.masks import NearTable, distinct_sorted, masks_of, posts_of
from sbu.listening.query.plan import NearLeaf


def test_masks_from_pairs_set_one_bit_per_post() -> None:
    masks = masks_of(np.array([3, 3, 5, 3]), np.array([0, 2, 1, 2]), 4)
    assert masks == {3: 0b0101, 5: 0b0010}
    assert masks_of(np.array([], np.int64), np.array([], np.int64), 4) == {}


def test_masks_of_many_keys_over_a_full_batch() -> None:
    keys = np.repeat(np.arange(3000), 2)
    posts = np.tile(np.array([0, 2047]), 3000)
    masks = masks_of(keys, posts, 2048)
    assert len(masks) == 3000
    assert set(masks.values()) == {1 | 1 << 2047}


def test_distinct_sorted_values() -> None:
    assert distinct_sorted(np.array([5, 1, 5, 3, 1])).tolist() == [1, 3, 5]
    assert distinct_sorted(np.array([7])).tolist() == [7]


def test_posts_of_lists_each_set_bit_by_post_then_row() -> None:
    rows, posts = posts_of([0b101, 0b110, 0], 3)
    assert list(zip(posts.tolist(), rows.tolist(), strict=True)) == [(0, 0), (1, 1), (2, 0), (2, 1)]


def hits(*rows: tuple[int, int, int, int]) -> Hits:
    leaf, post, first, last = (np.array(column, np.int64) for column in zip(*rows, strict=True))
    return Hits(leaf, post, first, last)


def test_near_holds_within_the_distance_in_either_order_unless_ordered() -> None:
    table = NearTable.build(
        [(10, NearLeaf((0,), (1,), 1, False)), (11, NearLeaf((0,), (1,), 1, True))]
    )
    found = table.pairs(
        hits(
            (0, 0, 0, 0), (1, 0, 2, 2),  # post 0: a x b -> 1 word between
            (1, 1, 0, 0), (0, 1, 1, 1),  # post 1: b a -> adjacent, wrong order
            (0, 2, 0, 0), (1, 2, 3, 3),  # post 2: a x x b -> 2 words between
            (0, 3, 0, 1), (1, 3, 1, 1),  # post 3: overlapping matches do not count
        ),
        4,
    )  # fmt: skip
    assert sorted(zip(*(a.tolist() for a in found), strict=True)) == [(10, 0), (10, 1), (11, 0)]


def test_near_with_groups_on_both_sides_and_repeated_words() -> None:
    table = NearTable.build([(7, NearLeaf((0, 1), (2, 3), 0, False))])
    found = table.pairs(
        hits(
            (0, 0, 0, 0), (0, 0, 5, 5), (3, 0, 6, 6),  # post 0: the second a sits next to d
            (1, 1, 0, 0), (2, 1, 2, 2),  # post 1: b x c
            (2, 2, 0, 0),  # post 2: c alone
        ),
        3,
    )  # fmt: skip
    assert sorted(zip(*(a.tolist() for a in found), strict=True)) == [(7, 0)]
    empty = table.pairs(hits((5, 0, 0, 0)), 1)
    assert empty[0].size == 0
