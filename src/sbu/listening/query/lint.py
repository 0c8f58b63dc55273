"""Checks a parsed query for what is valid syntax but a bad query.

:func:`check` parses and lints: it returns the tree (when the syntax is valid) and every
problem found, each with its position and a hint. A query with problems cannot be saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sbu.core.text import fold
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
    WordKind,
)
from sbu.listening.query.parser import parse
from sbu.listening.query.problems import QueryError, QueryProblem
from sbu.listening.query.vocabulary import COMMON_WORDS, LOWERCASE_OPERATORS, STOPWORDS

#: Wildcard prefixes this short are considered broad (they are valid from 3 letters on).
BROAD_PREFIX_CHARS = 4


@dataclass(frozen=True, slots=True)
class Checked:
    query: str
    node: Node | None
    problems: list[QueryProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.node is not None and not self.problems


def check(query: str) -> Checked:
    """Parse and lint ``query``: the tree (or None) and every problem, in query order."""
    try:
        node = parse(query)
    except QueryError as exc:
        return Checked(query, None, exc.problems)
    problems = lint(query, node)
    return Checked(query, node, problems)


def compile_query(query: str) -> Node:
    """The tree of a query that has no problem at all; raises :class:`QueryError` otherwise."""
    checked = check(query)
    if not checked.ok:
        raise QueryError(query, checked.problems)
    assert checked.node is not None
    return checked.node


def lint(query: str, node: Node) -> list[QueryProblem]:
    problems: list[QueryProblem] = []
    _stopwords(query, node, problems)
    if not _has_positive(node):
        excluded = ", ".join(_text(query, part) for part in _excluded(node))
        problems.append(QueryProblem("not_only", *node.span, {"what": excluded}))
    elif not problems:
        broad = _broad(node)
        if broad is not None:
            terms = ", ".join(_text(query, part) for part in broad)
            problems.append(QueryProblem("too_broad", *node.span, {"terms": terms}))
    return sorted(problems, key=lambda p: (p.start, p.end))


def _text(query: str, node: Node) -> str:
    """The query's own text for a node (parameters stay in the user's words, in any language)."""
    return query[node.span[0] : node.span[1]]


def _stopwords(query: str, node: Node, problems: list[QueryProblem]) -> None:
    if isinstance(node, Phrase):
        if len(node.words) != 1:
            return
        word = node.words[0]
        if word.kind is not WordKind.WORD or not word.literal:
            return
        text = fold(word.text) if node.scope is Scope.RAW else word.text
        if text not in STOPWORDS:
            return
        written = query[node.span[0] : node.span[1]].strip('"')
        if text in LOWERCASE_OPERATORS and written == text:
            problems.append(
                QueryProblem(
                    "lowercase_operator", *node.span, {"word": written, "upper": text.upper()}
                )
            )
        else:
            problems.append(QueryProblem("stopword", *node.span, {"word": written}))
    elif isinstance(node, Near):
        for phrase in (*node.left, *node.right):
            _stopwords(query, phrase, problems)
    elif isinstance(node, Not):
        _stopwords(query, node.child, problems)
    elif isinstance(node, And | Or):
        for child in node.children:
            _stopwords(query, child, problems)


def _has_positive(node: Node) -> bool:
    """Can a match be explained by something the query looks for (not only by exclusions)?"""
    if isinstance(node, Phrase | Near | Field):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_has_positive(child) for child in node.children)
    return all(_has_positive(child) for child in node.children)


def _excluded(node: Node) -> list[Node]:
    """The parts a query that only excludes excludes."""
    if isinstance(node, Not):
        return [node.child]
    if isinstance(node, Or):
        for child in node.children:
            if not _has_positive(child):
                return _excluded(child)
    if isinstance(node, And):
        return [part for child in node.children for part in _excluded(child)]
    return [node]  # pragma: no cover - only called on trees without a positive part


def _broad(node: Node) -> list[Node] | None:
    """The parts that make the query match most posts, or None when it has a distinctive one."""
    if isinstance(node, Phrase):
        if len(node.words) > 1:
            return None
        word = node.words[0]
        if word.kind is not WordKind.WORD:
            return None
        if word.prefix and len(word.text) < BROAD_PREFIX_CHARS:
            return [node]
        text = fold(word.text) if node.scope is Scope.RAW else word.text
        if word.literal and text in COMMON_WORDS:
            return [node]
        return None
    if isinstance(node, Field):
        # A language or a platform selects a large share of all posts; an author or a site is
        # specific enough to be a topic of its own (an influencer, a competitor's shop).
        return [node] if node.name in (FieldName.LANG, FieldName.PLATFORM) else None
    if isinstance(node, Not | Near):
        return None  # an exclusion narrows (the AND that holds it decides); NEAR is specific
    if isinstance(node, Or):
        for child in node.children:
            broad = _broad(child)
            if broad is not None:
                return broad
        return None
    positives = [child for child in node.children if not isinstance(child, Not)]
    parts = [_broad(child) for child in positives]
    if positives and all(part is not None for part in parts):
        return [node for part in parts if part is not None for node in part]
    return None
