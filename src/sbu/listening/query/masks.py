"""Bitmasks of posts: bit ``i`` of a mask is post ``i`` of the batch.

Masks are Python integers, so a topic's expression over them evaluates every post of a batch
at once; numpy turns lists of (key, post) pairs into masks and masks back into posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sbu.listening.query.automaton import Hits
from sbu.listening.query.plan import NearLeaf

Array = npt.NDArray[np.int64]
_NONE = np.zeros(0, np.int64)


def masks_of(keys: Array, posts: Array, size: int) -> dict[int, int]:
    """``{key: mask}`` from (key, post) pairs (repeats allowed); ``size`` posts in the batch."""
    if not keys.size:
        return {}
    width = (size + 7) // 8
    stride = width * 8
    cells = distinct_sorted(keys * stride + posts)  # each (key, post) once, by key then post
    cell_keys, cell_posts = cells // stride, cells % stride
    new_key = np.concatenate(([True], cell_keys[1:] != cell_keys[:-1]))
    distinct = cell_keys[new_key]
    # Row r of ``packed`` is the mask of distinct[r], little-endian, one bit per post.
    byte = (np.cumsum(new_key) - 1) * width + (cell_posts >> 3)
    first = np.flatnonzero(np.concatenate(([True], byte[1:] != byte[:-1])))
    packed = np.zeros(distinct.size * width, np.uint8)
    packed[byte[first]] = np.add.reduceat(np.left_shift(1, cell_posts & 7), first)
    data = packed.tobytes()
    return {
        key: int.from_bytes(data[row * width : (row + 1) * width], "little")
        for row, key in enumerate(distinct.tolist())
    }


def distinct_sorted(values: Array) -> Array:
    """The distinct values, sorted (faster than ``np.unique`` for these sizes)."""
    if values.size < 2:
        return values
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _bit_table() -> npt.NDArray[np.int64]:
    """For each byte value, the positions of its set bits (padded with -1)."""
    table = np.full((256, 8), -1, np.int64)
    for value in range(256):
        positions = [bit for bit in range(8) if value >> bit & 1]
        table[value, : len(positions)] = positions
    return table


_BITS = _bit_table()


def posts_of(masks: Sequence[int], size: int) -> tuple[Array, Array]:
    """(row, post) of every set bit of ``masks``, sorted by post, then row."""
    width = (size + 7) // 8
    packed = np.frombuffer(
        b"".join(mask.to_bytes(width, "little") for mask in masks), np.uint8
    ).reshape(len(masks), width)
    rows, columns = np.nonzero(packed)  # bytes with a bit set: few, compared with all bits
    bits = _BITS[packed[rows, columns]]
    holds = bits >= 0
    posts = (columns[:, None] * 8 + bits)[holds]
    rows = np.broadcast_to(rows[:, None], bits.shape)[holds]
    order = np.argsort(posts.astype(np.int16 if size < 2**15 else np.int64), kind="stable")
    return rows[order].astype(np.int64), posts[order].astype(np.int64)


@dataclass(frozen=True)
class NearTable:
    """The NEAR leaves of a matcher as arrays: ``sides[0]``/``sides[1]`` list (near, phrase leaf)
    pairs of the left and right sides."""

    leaves: Array
    distance: Array
    ordered: npt.NDArray[np.bool_]
    sides: tuple[tuple[Array, Array], tuple[Array, Array]]

    @staticmethod
    def build(nears: Sequence[tuple[int, NearLeaf]]) -> NearTable:
        """The table of these (leaf number, NEAR leaf) pairs."""
        sides = tuple(
            (
                np.array([n for n, (_, near) in enumerate(nears) for _ in side(near)], np.int64),
                np.array([leaf for _, near in nears for leaf in side(near)], np.int64),
            )
            for side in (_left, _right)
        )
        return NearTable(
            np.array([number for number, _ in nears], np.int64),
            np.array([near.distance for _, near in nears], np.int64),
            np.array([near.ordered for _, near in nears], np.bool_),
            (sides[0], sides[1]),
        )

    def pairs(self, hits: Hits, size: int) -> tuple[Array, Array]:
        """(NEAR leaf, post) for every post where a NEAR holds: a hit of each side with at most
        ``distance`` words between them, in order when ``ordered``, not overlapping.

        For each NEAR, the side with fewer hits in the batch drives: each of its hits is
        paired with the hits of the other side in the same post, found by binary search."""
        if not hits.leaf.size or not self.leaves.size:
            return _NONE, _NONE
        keys = hits.leaf * size + hits.post
        order = np.argsort(keys, kind="stable")
        ordered_keys = keys[order]
        per_leaf = np.bincount(hits.leaf, minlength=int(max(s[1].max() for s in self.sides)) + 1)
        totals = [
            np.bincount(nears, weights=per_leaf[leaves], minlength=self.leaves.size)
            for nears, leaves in self.sides
        ]
        left_drives = totals[0] <= totals[1]
        found_leaves: list[Array] = []
        found_posts: list[Array] = []
        for side in (0, 1):
            drives = left_drives if side == 0 else ~left_drives
            drive_nears, drive_leaves = (a[drives[self.sides[side][0]]] for a in self.sides[side])
            other = self.sides[1 - side]
            probe_nears, probe_leaves = (a[drives[other[0]]] for a in other)
            # Every hit of a driving phrase, with its NEAR.
            lo = np.searchsorted(ordered_keys, drive_leaves * size)
            counts = np.searchsorted(ordered_keys, (drive_leaves + 1) * size) - lo
            rows = order[_ranges(lo, counts)]
            row_nears = np.repeat(drive_nears, counts)
            # ... times each phrase of the other side of its NEAR ...
            lo = np.searchsorted(probe_nears, row_nears)
            counts = np.searchsorted(probe_nears, row_nears, "right") - lo
            rows, row_nears = np.repeat(rows, counts), np.repeat(row_nears, counts)
            wanted = probe_leaves[_ranges(lo, counts)] * size + hits.post[rows]
            # ... paired with that phrase's hits in the same post.
            lo = np.searchsorted(ordered_keys, wanted)
            counts = np.searchsorted(ordered_keys, wanted, "right") - lo
            drivers, nears = np.repeat(rows, counts), np.repeat(row_nears, counts)
            probes = order[_ranges(lo, counts)]
            left, right = (drivers, probes) if side == 0 else (probes, drivers)
            distance = self.distance[nears]
            holds = (hits.last[left] < hits.first[right]) & (
                hits.first[right] - hits.last[left] - 1 <= distance
            )
            holds |= (
                ~self.ordered[nears]
                & (hits.last[right] < hits.first[left])
                & (hits.first[left] - hits.last[right] - 1 <= distance)
            )
            found_leaves.append(self.leaves[nears[holds]])
            found_posts.append(hits.post[drivers[holds]])
        return np.concatenate(found_leaves), np.concatenate(found_posts)


def _left(near: NearLeaf) -> tuple[int, ...]:
    return near.left


def _right(near: NearLeaf) -> tuple[int, ...]:
    return near.right


def _ranges(starts: Array, counts: Array) -> Array:
    """``concatenate([arange(s, s + c) for s, c in zip(starts, counts)])``, vectorised."""
    total = int(counts.sum())
    if not total:
        return _NONE
    return np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
