"""The syntax tree of a topic query.

The parser (:mod:`.parser`) turns a query such as ``ondine NEAR/3 (fibre OR "5g+") NOT lang:en``
into these nodes; the linter, the reference evaluator, the compiled matcher and the SQL
prefilter all read the same tree. Words in nodes are already in *match form*: folded (case and
accents removed, see :func:`sbu.core.text.fold`) and split like post text
(:mod:`.normalize`), except inside ``raw:`` where they keep their case and accents.

Every node carries ``span``, the ``(start, end)`` character offsets of its source in the query,
so errors can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Span = tuple[int, int]


class Scope(StrEnum):
    """Which text a word or phrase is looked for in."""

    #: Title and text, folded (the default).
    TEXT = "text"
    #: The title only (feed items, videos), folded.
    TITLE = "title"
    #: Title and text as written: case- and accent-sensitive.
    RAW = "raw"


class WordKind(StrEnum):
    #: A plain word: matches ``word``, ``#word`` and ``@word``.
    WORD = "word"
    #: ``#word``: matches the hashtag only.
    HASHTAG = "hashtag"
    #: ``@word``: matches the @mention only.
    MENTION = "mention"


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a term or phrase, in match form.

    ``text`` holds no ``#``/``@`` sign (that is ``kind``). ``prefix`` is a trailing ``*``
    (``connect*``: any word starting with "connect"); ``optional`` lists the positions in
    ``text`` where the query had a ``?`` (zero or one character), in which case ``text`` holds
    the word without the question marks.
    """

    text: str
    kind: WordKind = WordKind.WORD
    prefix: bool = False
    optional: tuple[int, ...] = ()

    @property
    def literal(self) -> bool:
        """True for an exact word (no wildcard)."""
        return not self.prefix and not self.optional

    def display(self) -> str:
        sign = {WordKind.WORD: "", WordKind.HASHTAG: "#", WordKind.MENTION: "@"}[self.kind]
        chars = list(self.text)
        for index in sorted(self.optional, reverse=True):
            chars.insert(index, "?")
        return sign + "".join(chars) + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One word or consecutive words (``"service client"``), in a scope.

    A single query term is a phrase of one word; a term that post text would split into several
    words (``e-commerce``, ``l'opérateur``) is a phrase of those words.
    """

    words: tuple[Word, ...]
    scope: Scope
    span: Span


class FieldName(StrEnum):
    LANG = "lang"
    PLATFORM = "platform"
    AUTHOR = "author"
    SITE = "site"


@dataclass(frozen=True, slots=True)
class Field:
    """A filter on a post attribute: ``lang:fr``, ``platform:mastodon``, ``author:name``,
    ``site:example.com``. ``value`` is folded."""

    name: FieldName
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    child: Node
    span: Span


@dataclass(frozen=True, slots=True)
class Near:
    """``left NEAR/n right``: at most ``distance`` words between the two sides, in either order
    (``ordered``: ``NEAR/nf``, left before right). Each side is a phrase or an OR of phrases."""

    left: tuple[Phrase, ...]
    right: tuple[Phrase, ...]
    distance: int
    ordered: bool
    span: Span


Node = Phrase | Field | And | Or | Not | Near


def phrases_of(node: Node) -> list[Phrase]:
    """Every phrase of the tree, in query order."""
    if isinstance(node, Phrase):
        return [node]
    if isinstance(node, Field):
        return []
    if isinstance(node, Not):
        return phrases_of(node.child)
    if isinstance(node, Near):
        return [*node.left, *node.right]
    return [phrase for child in node.children for phrase in phrases_of(child)]


def fields_of(node: Node) -> list[Field]:
    if isinstance(node, Field):
        return [node]
    if isinstance(node, Phrase | Near):
        return []
    if isinstance(node, Not):
        return fields_of(node.child)
    return [field for child in node.children for field in fields_of(child)]
