"""The reference evaluator: what a query means, written as plainly as possible.

It walks the syntax tree over one post's words. The compiled matcher (:mod:`.matcher`) must
give the same answers (property tests check it on generated queries and texts); search checks
its SQL candidates with it.

Word rules (see docs/listening/query-language.md):

- a plain word matches a word of the post; the first word of a term or phrase also matches
  the word as a hashtag or @mention (``ondine`` finds ``#ondine``);
- ``#word`` / ``@word`` match only the hashtag / @mention;
- ``word*`` matches words starting with ``word``; each ``?`` stands for zero or one character;
- a phrase matches consecutive words;
- ``a NEAR/n b``: a match of each side with at most n words between them, in either order
  (``NEAR/nf``: a first); the two matches must not overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from sbu.listening.query.nodes import (
    And,
    Field,
    FieldName,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Scope,
    Word,
    WordKind,
)
from sbu.listening.query.posts import MatchPost, PostView

_SIGN = {WordKind.HASHTAG: "#", WordKind.MENTION: "@"}


@lru_cache(maxsize=4096)
def _optional_pattern(word: Word) -> re.Pattern[str]:
    parts: list[str] = []
    for index, char in enumerate(word.text):
        if index in word.optional:
            parts.append(".?")
        parts.append(re.escape(char))
    if len(word.text) in word.optional:
        parts.append(".?")
    return re.compile("".join(parts) + (".*" if word.prefix else ""), re.DOTALL)


def word_matches(word: Word, token: str, *, first: bool) -> bool:
    """Does ``word`` (of a term or phrase; ``first`` when it starts it) match one post word?"""
    if word.kind is WordKind.WORD:
        if first and token[:1] in ("#", "@") and len(token) > 1:
            token = token[1:]
    else:
        sign = _SIGN[word.kind]
        if not token.startswith(sign):
            return False
        token = token[1:]
    if word.literal:
        return token == word.text
    if not word.optional:
        return token.startswith(word.text)
    return _optional_pattern(word).fullmatch(token) is not None


def phrase_spans(phrase: Phrase, words: list[str]) -> Iterator[tuple[int, int]]:
    """(first, last) word positions of each match of the phrase."""
    size = len(phrase.words)
    for start in range(len(words) - size + 1):
        if all(word_matches(w, words[start + k], first=k == 0) for k, w in enumerate(phrase.words)):
            yield start, start + size - 1


def _words_for(view: PostView, scope: Scope) -> list[str]:
    if scope is Scope.TITLE:
        return view.title_words
    if scope is Scope.RAW:
        return view.raw_words
    return view.words


def _field(node: Field, view: PostView) -> bool:
    if node.name is FieldName.LANG:
        return view.lang == node.value or view.lang.startswith(node.value + "-")
    if node.name is FieldName.PLATFORM:
        return view.platform == node.value
    if node.name is FieldName.AUTHOR:
        return node.value in view.authors
    return any(site == node.value or site.endswith("." + node.value) for site in view.sites)


def _near(node: Near, view: PostView) -> bool:
    words = _words_for(view, node.left[0].scope)
    lefts = [span for phrase in node.left for span in phrase_spans(phrase, words)]
    if not lefts:
        return False
    rights = [span for phrase in node.right for span in phrase_spans(phrase, words)]
    for left_start, left_end in lefts:
        for right_start, right_end in rights:
            if left_end < right_start and right_start - left_end - 1 <= node.distance:
                return True
            if (
                not node.ordered
                and right_end < left_start
                and left_start - right_end - 1 <= node.distance
            ):
                return True
    return False


def evaluate(node: Node, view: PostView) -> bool:
    """Does the post match the query?"""
    if isinstance(node, Phrase):
        return next(phrase_spans(node, _words_for(view, node.scope)), None) is not None
    if isinstance(node, Field):
        return _field(node, view)
    if isinstance(node, And):
        return all(evaluate(child, view) for child in node.children)
    if isinstance(node, Or):
        return any(evaluate(child, view) for child in node.children)
    if isinstance(node, Not):
        return not evaluate(node.child, view)
    return _near(node, view)


def matches(node: Node, post: MatchPost) -> bool:
    return evaluate(node, PostView(post))
