"""One multi-string scanner over the strings of a set of leaves: which posts hold which leaf.

:class:`Scanner` finds all the strings of its leaves (:class:`.plan.PhraseLeaf`) in a batch of
match texts in one pass and reports each hit as (leaf, post) and, when asked, the positions of
the words hit. Two engines give the same hits:

- **Hyperscan** (Intel's multi-pattern matcher, the ``hyperscan`` package, installed on x86-64
  Linux): literal strings compiled into one database that skips most bytes with SIMD; about 10
  times faster than the automaton when hits are rare and still faster when they are dense;
- **Aho-Corasick** (pyahocorasick), everywhere else, or with ``engine="aho-corasick"``.

Match texts are UTF-8 (:mod:`.batch_text`); both engines read bytes (the automaton reads them,
and its keys, as Latin-1 so that each byte is one character): UTF-8 never has a character's
bytes inside another's, so byte offsets are exact.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from types import ModuleType
from typing import Any, Literal

import ahocorasick
import numpy as np
import numpy.typing as npt

from sbu.listening.query.batch_text import EncodedBatch

hyperscan: ModuleType | None
try:  # x86-64 Linux wheels only; the automaton does the same elsewhere
    hyperscan = importlib.import_module("hyperscan")
except ImportError:  # pragma: no cover - depends on the machine
    hyperscan = None

Array = npt.NDArray[np.int64]
_EMPTY = np.zeros(0, np.int64)


@dataclass(frozen=True, slots=True)
class Hits:
    """Leaf hits: ``leaf[i]`` found in post ``post[i]``; with positions, its words are the
    ``first[i]``-th to ``last[i]``-th of the post (counting from 0)."""

    leaf: Array
    post: Array
    first: Array
    last: Array

    @staticmethod
    def join(parts: Sequence[Hits]) -> Hits:
        if not parts:
            return Hits(_EMPTY, _EMPTY, _EMPTY, _EMPTY)
        return Hits(
            np.concatenate([part.leaf for part in parts]),
            np.concatenate([part.post for part in parts]),
            np.concatenate([part.first for part in parts]),
            np.concatenate([part.last for part in parts]),
        )

    def renumber(self, posts: Array) -> Hits:
        """The same hits with post ``i`` renamed ``posts[i]`` (hits in a selection of posts)."""
        return Hits(self.leaf, posts[self.post], self.first, self.last)


#: Bytes from the most to the least frequent in match text (space, then French and English
#: letters by frequency), mapped to increasing code points for sorting.
_FREQUENT = b" eastinrulodcmpvhgfbqyjxkwz0123456789#@_"
_BY_FREQUENCY = {
    byte: chr(rank)
    for rank, byte in enumerate([*_FREQUENT, *(b for b in range(256) if b not in _FREQUENT)])
}


Engine = Literal["hyperscan", "aho-corasick"]
#: The engine scanners use unless told otherwise.
DEFAULT_ENGINE: Engine = "hyperscan" if hyperscan is not None else "aho-corasick"


class _Automaton:
    """pyahocorasick over the Latin-1 reading of the bytes: (end offset, string) pairs."""

    def __init__(self, strings: Sequence[bytes]) -> None:
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        keys = [(string.decode("latin-1"), index) for index, string in enumerate(strings)]
        # A node finds its next character by trying its children in the order they were
        # added: adding strings in the order of the most frequent characters first makes
        # the scan about 10 % faster.
        for key, index in sorted(keys, key=lambda pair: pair[0].translate(_BY_FREQUENCY)):
            self._automaton.add_word(key, index)
        self._automaton.make_automaton()

    def scan(self, data: bytes) -> Array:
        """Flat ``[end, string, end, string, ...]``, ``end`` the offset of the last byte."""
        found = self._automaton.iter(data.decode("latin-1"))
        return np.fromiter(chain.from_iterable(found), np.int64)


class _Hyperscan:
    """A Hyperscan block-mode database of literal strings. A scan needs scratch space that one
    scan at a time may use: each thread gets its own."""

    def __init__(self, strings: Sequence[bytes]) -> None:
        assert hyperscan is not None
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(
            expressions=list(strings),
            ids=list(range(len(strings))),
            elements=len(strings),
            flags=0,
            literal=True,
        )
        self._local = threading.local()

    def scan(self, data: bytes) -> Array:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            assert hyperscan is not None
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        flat: list[int] = []
        add = flat.append

        def found(string: int, _start: int, end: int, _flags: int, _context: Any) -> None:
            add(end - 1)  # Hyperscan's end is past the last byte
            add(string)

        self._database.scan(data, match_event_handler=found, scratch=scratch)
        return np.array(flat, np.int64)


class Scanner:
    """Finds the strings of phrase leaves: ``leaves`` maps each leaf number to its strings."""

    def __init__(
        self, leaves: Sequence[tuple[int, Sequence[str]]], engine: Engine | None = None
    ) -> None:
        targets: dict[str, list[int]] = {}
        for leaf, strings in leaves:
            for string in strings:
                targets.setdefault(string, []).append(leaf)
        self.size = len(targets)
        self.engine: Engine = engine or DEFAULT_ENGINE
        if self.engine == "hyperscan" and hyperscan is None:
            msg = "Hyperscan is not installed here (pip install hyperscan, x86-64 Linux only)."
            raise RuntimeError(msg)
        encoded = [string.encode("utf-8", "surrogatepass") for string in targets]
        self._scan: Callable[[bytes], Array] | None = None
        if targets:
            build = _Hyperscan if self.engine == "hyperscan" else _Automaton
            self._scan = build(encoded).scan
        self._lengths = np.array([len(s) for s in encoded], np.int64)
        self._words = np.array([len(s.split()) for s in encoded], np.int64)
        counts = np.array([len(t) for t in targets.values()], np.int64)
        self._counts = counts
        self._offsets = (np.cumsum(counts) - counts).astype(np.int64)
        self._leaves = np.array([leaf for t in targets.values() for leaf in t], np.int64)
        self._single = bool((counts == 1).all())

    def __bool__(self) -> bool:
        return self.size > 0

    def hits(self, batch: EncodedBatch, *, positions: bool = False) -> Hits:
        if self._scan is None or not batch.data:
            return Hits(_EMPTY, _EMPTY, _EMPTY, _EMPTY)
        flat = self._scan(batch.data)
        ends, strings = flat[0::2], flat[1::2]
        posts = np.searchsorted(batch.separators, ends).astype(np.int64)
        first = last = _EMPTY
        if positions:
            first, last = self._positions(batch, strings, ends, posts)
        if self._single:
            return Hits(self._leaves[strings], posts, first, last)
        counts = self._counts[strings]
        starts = np.repeat(self._offsets[strings], counts)
        within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        leaves = self._leaves[starts + within]
        if positions:
            first, last = np.repeat(first, counts), np.repeat(last, counts)
        return Hits(leaves, np.repeat(posts, counts), first, last)

    def _positions(
        self, batch: EncodedBatch, strings: Array, ends: Array, posts: Array
    ) -> tuple[Array, Array]:
        """Word numbers of each hit: the spaces before it in its post (a phrase's string starts
        with the space before its first word; words are separated by one space). The fragments
        of phrases with wildcards get numbers that mean nothing: the matcher replaces them."""
        starts = ends - self._lengths[strings] + 1
        separators = np.concatenate([[-1], batch.separators])
        post_starts = separators[posts] + 1  # each post's text starts with a space
        if strings.size * 64 < len(batch.data):  # few hits: count spaces before each
            data = batch.data
            first = np.array(
                [
                    data.count(b" ", begin + 1, start + 1)
                    for begin, start in zip(post_starts.tolist(), starts.tolist(), strict=True)
                ],
                np.int64,
            )
        else:
            spaces = np.flatnonzero(np.frombuffer(batch.data, np.uint8) == ord(" "))
            first = np.searchsorted(spaces, starts, "right") - np.searchsorted(
                spaces, post_starts, "right"
            )
        return first.astype(np.int64), (first + self._words[strings] - 1).astype(np.int64)
