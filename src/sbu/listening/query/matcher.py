"""All active topics compiled into one matcher.

INTERFACE STUB (being replaced by the fast implementation): ``compile_topics`` and
``Matcher.match`` keep these signatures.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from sbu.listening.query.evaluate import evaluate
from sbu.listening.query.nodes import Node
from sbu.listening.query.posts import MatchPost, PostView

K = TypeVar("K", bound=Hashable)


class Matcher(Generic[K]):
    def __init__(self, topics: Sequence[tuple[K, Node]]) -> None:
        self.topics = list(topics)

    def match(self, posts: Sequence[MatchPost]) -> list[list[K]]:
        """For each post, the keys of the topics it matches, in compile order."""
        results: list[list[K]] = []
        for post in posts:
            view = PostView(post)
            results.append([key for key, node in self.topics if evaluate(node, view)])
        return results

    def match_one(self, post: MatchPost) -> list[K]:
        return self.match([post])[0]


def compile_topics(topics: Sequence[tuple[K, Node]]) -> Matcher[K]:
    """One matcher for all ``(key, query tree)`` pairs (trees from lint.compile_query)."""
    return Matcher(topics)
