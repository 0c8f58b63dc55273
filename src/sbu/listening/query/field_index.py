"""Which posts of a batch satisfy which field filters (``lang:``, ``platform:``, ``author:``,
``site:``), by lookup: a post's attributes are read as :class:`.posts.PostView` reads them, and
the filters that accept each value are found in a dictionary, not tried one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt

from sbu.listening.query.nodes import FieldName
from sbu.listening.query.plan import FieldLeaf
from sbu.listening.query.posts import MatchPost, PostView

Array = npt.NDArray[np.int64]
_CACHE_LIMIT = 50_000


class FieldIndex:
    """Field leaves by name and value; :meth:`pairs` gives (leaf, post) for a batch."""

    def __init__(self, leaves: Sequence[tuple[int, FieldLeaf]]) -> None:
        self._by_value: dict[FieldName, dict[str, list[int]]] = {}
        for number, leaf in leaves:
            self._by_value.setdefault(leaf.name, {}).setdefault(leaf.value, []).append(number)
        self._cache: dict[FieldName, dict[object, list[int]]] = {name: {} for name in FieldName}

    def __bool__(self) -> bool:
        return bool(self._by_value)

    def pairs(self, posts: Sequence[MatchPost], indexes: Iterable[int]) -> tuple[Array, Array]:
        """(leaf, post) for the posts at ``indexes`` and every field filter they satisfy."""
        chosen = list(indexes)
        leaves: list[int] = []
        numbers: list[Array] = []
        for name, values in self._by_value.items():
            if name is FieldName.SITE:
                found = [self._sites(values, posts[index]) for index in chosen]
            else:
                found = self._attribute(name, values, [posts[index] for index in chosen])
            leaves.extend(chain.from_iterable(found))
            counts = np.fromiter(map(len, found), np.int64, len(found))
            numbers.append(np.repeat(np.array(chosen, np.int64), counts))
        if not numbers:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.array(leaves, np.int64), np.concatenate(numbers)

    def _attribute(
        self, name: FieldName, values: dict[str, list[int]], posts: list[MatchPost]
    ) -> list[list[int]]:
        """The leaves each post satisfies: one lookup per distinct attribute value."""
        raws: list[object]
        if name is FieldName.LANG:
            raws = [post.lang for post in posts]
        elif name is FieldName.PLATFORM:
            raws = [post.platform for post in posts]
        else:
            raws = [(post.author, post.author_name) for post in posts]
        cache = self._cache[name]
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        for raw, post in zip(raws, posts, strict=True):
            if raw not in cache:
                cache[raw] = _lookup(values, _candidates(name, PostView(post)))
        return list(map(cache.__getitem__, raws))

    def _sites(self, values: dict[str, list[int]], post: MatchPost) -> list[int]:
        if post.url is None and not _may_link(post.text):
            return []
        return _lookup(values, _site_candidates(PostView(post).sites))


def _lookup(values: dict[str, list[int]], candidates: Iterator[str]) -> list[int]:
    found: list[int] = []
    for candidate in candidates:
        found.extend(values.get(candidate, ()))
    return found


def _candidates(name: FieldName, view: PostView) -> Iterator[str]:
    """The filter values that accept this attribute (the field rules of :mod:`.evaluate`)."""
    if name is FieldName.LANG:
        # lang:fr accepts fr and fr-ca: the language and each prefix before a "-".
        yield view.lang
        yield from (view.lang[:i] for i, char in enumerate(view.lang) if char == "-")
    elif name is FieldName.PLATFORM:
        yield view.platform
    else:
        yield from view.authors


def _site_candidates(sites: frozenset[str]) -> Iterator[str]:
    # site:example.com accepts example.com and any subdomain of it.
    for site in sites:
        yield site
        yield from (site[i + 1 :] for i, char in enumerate(site) if char == ".")


def _may_link(text: str) -> bool:
    """False when the text surely has no link (normalize.URL needs "://" or "www.")."""
    return "://" in text or ("." in text and "www." in text.lower())
