"""How the matcher evaluates a set of topics: leaves to find, one expression per topic.

Every phrase, field and NEAR of every topic becomes a *leaf*, shared between topics that use
the same one. For a batch of posts the matcher computes one bitmask per leaf (bit ``i``: post
``i`` holds it) and evaluates each topic as an expression over those masks (AND is ``&``, OR
``|``, NOT ``~`` bounded by the AND around it or by the mask ``F`` of every post).

A phrase of literal words (the last one may end with ``*``) is found by the automaton as a
string of the match text (:mod:`.batch_text`) with spaces around it: a hit is a match. Other
phrases (a ``?`` wildcard, a ``*`` before the last word) are found by a *fragment* every match
holds, then checked in the posts holding it with :func:`phrase_pattern`, a regular expression
equivalent to the word rules of :mod:`.evaluate`. A NEAR is decided from the positions of the
words of its phrases.

Each topic also has *triggers*: leaves of which at least one must be present for the topic to
match (the rarest side of an AND, every side of an OR). A topic is evaluated for a batch only
when one of its triggers is present in it.

Expressions are Python source compiled once per distinct *shape* (the expression with its leaf
numbers as parameters): one function evaluates every topic of a shape, so ten thousand topics
written from a few templates compile a few functions. The source is built here from integers,
parameter names and operators only, never from query text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sbu.listening.query.nodes import (
    And,
    Field,
    FieldName,
    Near,
    Node,
    Not,
    Phrase,
    Scope,
    Word,
    WordKind,
)
from sbu.listening.query.vocabulary import COMMON_WORDS, STOPWORDS

_SIGN = {WordKind.WORD: "", WordKind.HASHTAG: "#", WordKind.MENTION: "@"}
_FALSE = "0"
_ALL = "F"

#: The compiled shape of topics: ``function(masks, all_posts, [leaf numbers of each topic])``
#: gives, for each topic, the mask of its matching posts.
Program = Callable[[list[int], int, list[tuple[int, ...]]], list[int]]


@dataclass(frozen=True, slots=True)
class PhraseLeaf:
    scope: Scope
    #: What the automaton looks for in the match text (any of them).
    strings: tuple[str, ...]
    #: For a phrase with wildcards, the expression that decides it in the posts where one of
    #: ``strings`` (a fragment) is found; None when a string found is a match.
    pattern: str | None = None
    #: How many words the phrase has.
    words: int = 1


@dataclass(frozen=True, slots=True)
class FieldLeaf:
    name: FieldName
    value: str


@dataclass(frozen=True, slots=True)
class NearLeaf:
    """``left NEAR/n right``, decided from the positions of the hits of each side's phrases
    (their leaf numbers)."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    distance: int
    ordered: bool


Leaf = PhraseLeaf | FieldLeaf | NearLeaf


def phrase_leaf(phrase: Phrase) -> PhraseLeaf:
    """How to find a phrase in match text (words separated by single spaces)."""
    words = phrase.words
    if all(w.literal for w in words[:-1]) and not words[-1].optional:
        body = " ".join(_SIGN[w.kind] + w.text for w in words)
        after = "" if words[-1].prefix else " "
        return PhraseLeaf(phrase.scope, _starts(words[0], f"{body}{after}"), words=len(words))
    return PhraseLeaf(phrase.scope, _fragment(words), phrase_pattern(words), len(words))


def phrase_pattern(words: Sequence[Word]) -> str:
    """A regular expression that finds the phrase in a match text where the reference finds it
    (:func:`.evaluate.phrase_spans`): each word is a whole word of the text; the first one, when
    plain, may carry a ``#`` or ``@``; ``?`` is zero or one character, a final ``*`` any more."""
    parts: list[str] = []
    for position, word in enumerate(words):
        if word.kind is WordKind.WORD and position == 0:
            piece = "[#@]?"
        else:
            piece = re.escape(_SIGN[word.kind])
        optional = set(word.optional)
        for index, char in enumerate(word.text):
            if index in optional:
                piece += "[^ ]?"
            piece += re.escape(char)
        if len(word.text) in optional:
            piece += "[^ ]?"
        parts.append(piece + ("[^ ]*" if word.prefix else ""))
    return "(?<![^ ])" + " ".join(parts) + "(?![^ ])"


def _starts(first: Word, string: str) -> tuple[str, ...]:
    """``string`` (beginning with the phrase's first word, its sign included) where a word
    starts: after a space, and for a plain word also after the ``#`` or ``@`` it may carry."""
    if first.kind is WordKind.WORD:
        return (f" {string}", f" #{string}", f" @{string}")
    return (f" {string}",)


def _fragment(words: tuple[Word, ...]) -> tuple[str, ...]:
    """Strings of which every match of these words holds one: the longest literal part (the
    rarest), at the start of a word between equals (the automaton runs faster on strings that
    begin with a space)."""
    found: list[tuple[tuple[int, bool], tuple[str, ...]]] = []  # ((letters, spaced), strings)
    for position, word in enumerate(words):
        if word.literal and position > 0:
            # A literal word after the first is a whole word: spaces on both sides.
            found.append(((len(word.text) + 1, True), (f" {_SIGN[word.kind]}{word.text} ",)))
            continue
        cuts = [0, *sorted(set(word.optional)), len(word.text)]
        pieces = [word.text[a:b] for a, b in pairwise(cuts)]
        if pieces[0]:
            start = _SIGN[word.kind] + pieces[0]
            strings = _starts(word, start) if position == 0 else (f" {start}",)
            found.append(((len(start), True), strings))
        found.extend(((len(piece), False), (piece,)) for piece in pieces[1:] if piece)
    if not found:  # (every word has a letter: never) a space is in every post
        return (" ",)
    return max(found, key=lambda item: item[0])[1]


@dataclass
class Leaves:
    """Leaves by identity: a phrase, field or NEAR used by several topics is one leaf."""

    items: list[Leaf] = field(default_factory=list)
    #: For each leaf, a guess of the share of posts holding it.
    frequencies: list[float] = field(default_factory=list)
    _ids: dict[object, int] = field(default_factory=dict)

    def add(self, node: Phrase | Field) -> int:
        key: object
        if isinstance(node, Phrase):
            key = (node.scope, *((w.text, w.kind, w.prefix, w.optional) for w in node.words))
        else:
            key = (node.name, node.value)
        found = self._ids.get(key)
        if found is None:
            leaf = (
                phrase_leaf(node) if isinstance(node, Phrase) else FieldLeaf(node.name, node.value)
            )
            found = self._new(key, leaf, leaf_frequency(leaf))
        return found

    def add_near(self, node: Near, left: tuple[int, ...], right: tuple[int, ...]) -> int:
        key = ("near", left, right, node.distance, node.ordered)
        found = self._ids.get(key)
        if found is None:
            leaf = NearLeaf(left, right, node.distance, node.ordered)
            found = self._new(key, leaf, 0.0)
        return found

    def frequency(self, leaves: frozenset[int]) -> float:
        """A guess of the share of posts holding any of these leaves (lower is rarer)."""
        return sum(self.frequencies[leaf] for leaf in leaves)

    def _new(self, key: object, leaf: Leaf, frequency: float) -> int:
        number = self._ids[key] = len(self.items)
        self.items.append(leaf)
        self.frequencies.append(frequency)
        return number


@dataclass(frozen=True, slots=True)
class TopicPlan:
    """One topic, compiled: its program's shape, leaf arguments and triggers."""

    source: str
    args: tuple[int, ...]
    #: Leaves of which one must be present; None when the topic can match without any.
    triggers: frozenset[int] | None


class _Builder:
    """Builds a topic's expression (numbering its leaves as parameters a0, a1...) and its
    triggers, in one walk of the tree."""

    def __init__(self, leaves: Leaves) -> None:
        self.leaves = leaves
        self.args: list[int] = []
        self._params: dict[int, str] = {}

    def param(self, leaf: int) -> str:
        name = self._params.get(leaf)
        if name is None:
            name = self._params[leaf] = f"m[a{len(self.args)}]"
            self.args.append(leaf)
        return name

    def visit(self, node: Node) -> tuple[str, frozenset[int] | None]:
        if isinstance(node, Phrase | Field):
            leaf = self.leaves.add(node)
            return self.param(leaf), frozenset((leaf,))
        if isinstance(node, Not):
            return _not(self.visit(node.child)[0]), None
        if isinstance(node, Near):
            left = tuple(self.leaves.add(p) for p in node.left)
            right = tuple(self.leaves.add(p) for p in node.right)
            side = min(frozenset(left), frozenset(right), key=self.leaves.frequency)
            return self.param(self.leaves.add_near(node, left, right)), side
        visits = [self.visit(child) for child in node.children]
        known = [t for _, t in visits if t is not None]
        triggers: frozenset[int] | None
        if isinstance(node, And):
            triggers = min(known, key=self.leaves.frequency) if known else None
            return _and([expression for expression, _ in visits]), triggers
        triggers = frozenset().union(*known) if len(known) == len(visits) else None
        return _or([expression for expression, _ in visits]), triggers


def _not(expression: str) -> str:
    """NOT: written ``~x`` and resolved by the AND or OR that holds it (see _and, _or)."""
    if expression == _FALSE:
        return _ALL
    if expression == _ALL:
        return _FALSE
    if expression.startswith("~"):
        return expression[1:]
    return f"~{expression}"


def _and(parts: list[str]) -> str:
    # ``a & ~b`` needs no mask of every post when a positive part bounds the result.
    if _FALSE in parts:
        return _FALSE
    kept = [p for p in parts if p != _ALL]
    if not kept:
        return _ALL
    if all(p.startswith("~") for p in kept):
        kept.insert(0, _ALL)
    return kept[0] if len(kept) == 1 else "(" + " & ".join(kept) + ")"


def _or(parts: list[str]) -> str:
    if _ALL in parts:
        return _ALL
    kept = [_bounded(p) for p in parts if p != _FALSE]
    if not kept:
        return _FALSE
    return kept[0] if len(kept) == 1 else "(" + " | ".join(kept) + ")"


def _bounded(expression: str) -> str:
    """A NOT as a mask of posts (``F & ~x``), where no AND bounds it."""
    return f"(F & {expression})" if expression.startswith("~") else expression


def plan_topic(node: Node, leaves: Leaves) -> TopicPlan:
    builder = _Builder(leaves)
    expression, triggers = builder.visit(node)
    names = "".join(f"a{k}, " for k in range(len(builder.args)))
    source = f"lambda m, F, A: [{_bounded(expression)} for ({names}) in A]"
    return TopicPlan(source, tuple(builder.args), triggers)


def compile_programs(sources: Sequence[str]) -> dict[str, Program]:
    """One function per distinct source (all compiled in one go)."""
    distinct = sorted(set(sources))
    if not distinct:
        return {}
    listing = "[\n" + ",\n".join(distinct) + "\n]"
    # The sources are built by plan_topic from integers, parameter names and operators only.
    functions: list[Any] = eval(compile(listing, "<topics>", "eval"), {"__builtins__": {}})  # noqa: S307
    return dict(zip(distinct, functions, strict=True))


def leaf_frequency(leaf: PhraseLeaf | FieldLeaf) -> float:
    """A guess of the share of posts holding a leaf, to pick the rarest side of an AND."""
    if isinstance(leaf, FieldLeaf):
        return 0.5 if leaf.name in (FieldName.LANG, FieldName.PLATFORM) else 0.05
    guess = 1.0
    for word in max(leaf.strings, key=len).split():
        text = word.lstrip("#@")
        if text in STOPWORDS or text in COMMON_WORDS:
            guess *= 0.3
        elif len(text) <= 3:
            guess *= 0.05
        else:
            guess *= 0.02 / (len(text) - 2)
    return guess if leaf.pattern is None else guess * 3
