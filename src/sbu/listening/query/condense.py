"""Condensed match text: a post's words shortened to what one query can tell apart, so checking
many posts with the reference evaluator is fast and gives the same answers.

Only the words that some word of the query can match (:func:`.evaluate.word_matches`, as the
first word of a phrase or not) matter to the evaluator; the others only keep relevant words apart.
A run of other words is therefore replaced by ``gap`` placeholders, where ``gap`` is one more than
the largest NEAR distance of the query (1 without NEAR). Phrases still match exactly where they
did (their words are relevant and consecutive, and a placeholder matches no query word), and two
matches stay within NEAR distance exactly when they were: a run longer than ``gap`` words could
only sit between matches further apart than any distance of the query.

Only the text of title and body is condensed; ``title:`` and ``raw:`` read their own words, which
:class:`~.posts.PostView` computes from the post as usual. Search (:mod:`sbu.listening.search`)
checks its candidates this way; the property tests compare it with the full text.
"""

from __future__ import annotations

from sbu.listening.query.evaluate import word_matches
from sbu.listening.query.nodes import And, Near, Node, Not, Or, Scope, Word, phrases_of

#: Stands for a word no query word matches (it never appears in match text).
PLACEHOLDER = "\x00"


class Condenser:
    """Condenses texts for one query; remembers which words matter (reuse it for many posts)."""

    def __init__(self, node: Node) -> None:
        self.words: list[Word] = [
            word
            for phrase in phrases_of(node)
            if phrase.scope is not Scope.TITLE and phrase.scope is not Scope.RAW
            for word in phrase.words
        ]
        self.gap = 1 + max((near.distance for near in _all_nears(node)), default=0)
        self._relevant: dict[str, bool] = {}

    def relevant(self, token: str) -> bool:
        known = self._relevant.get(token)
        if known is None:
            known = any(
                word_matches(word, token, first=True) or word_matches(word, token, first=False)
                for word in self.words
            )
            self._relevant[token] = known
        return known

    def condense(self, text: str) -> str:
        """``text`` (match text: words separated by single spaces) with the runs of words that
        do not matter shortened to ``gap`` placeholders."""
        if not text:
            return text
        kept: list[str] = []
        run = 0
        for token in text.split(" "):
            if self.relevant(token):
                kept.append(token)
                run = 0
            elif run < self.gap:
                kept.append(PLACEHOLDER)
                run += 1
        return " ".join(kept)


def _all_nears(node: Node) -> list[Near]:
    if isinstance(node, Near):
        return [node]
    if isinstance(node, Not):
        return _all_nears(node.child)
    if isinstance(node, And | Or):
        return [near for child in node.children for near in _all_nears(child)]
    return []
