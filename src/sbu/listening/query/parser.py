"""From query text to a syntax tree (:mod:`.nodes`), with precise syntax errors.

Grammar (operators in capitals; AND binds tighter than OR; a space between two operands is AND;
``a NOT b`` is ``a AND NOT b``)::

    query   := or EOF
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*
    unary   := "NOT" unary | near
    near    := primary ["NEAR/n" | "NEAR/nf" primary]
    primary := "(" or ")" | term | "quoted phrase" | field ":" value | scope ":" (term | phrase | "(" or ")")

The parser stops at the first syntax error and raises :class:`~.problems.QueryError`; semantic
checks (stopwords, broad queries, queries that only exclude) are the linter's (:mod:`.lint`).
Syntax from other tools that would otherwise be read silently as plain words is refused with its
own error: a lower-case ``near/3``, ``~`` (fuzzy or phrase proximity), ``{braces}`` (case) and a
leading ``-`` (exclusion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, auto
from urllib.parse import urlsplit

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
    Word,
    WordKind,
)
from sbu.listening.query.normalize import EMOJI_CLASS, MENTION_INSTANCE
from sbu.listening.query.problems import QueryError, QueryProblem

MAX_QUERY_CHARS = 4096
MAX_NEAR_DISTANCE = 100
MIN_PREFIX_CHARS = 3
FIELD_EXAMPLES = {
    "lang": "lang:fr",
    "platform": "platform:mastodon",
    "author": "author:ondine_telecom",
    "site": "site:example.com",
    "title": 'title:"fibre optique"',
    "raw": "raw:Orange",
}
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u201e": '"'})
_NEAR = re.compile(r"NEAR/(\d+)(f?)")
_FIELD = re.compile(r"([A-Za-z]+):")
_LANG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")
_PLATFORM = re.compile(r"[a-z0-9][a-z0-9_.\-]*")
_DOMAIN = re.compile(r"[a-z0-9\-]+(?:\.[a-z0-9\-]+)+")
# Query words: as post text is split (normalize.py), keeping the wildcards * and ?.
_WORD_SEPARATORS = re.compile(f"(?:[^\\w#@*?{EMOJI_CLASS}]|[#@](?![\\w*?]))+")
_EMOJI = re.compile(f"[{EMOJI_CLASS}]")


class Kind(Enum):
    LPAREN = auto()
    RPAREN = auto()
    AND = auto()
    OR = auto()
    NOT = auto()
    NEAR = auto()
    TERM = auto()
    PHRASE = auto()
    FIELD = auto()
    END = auto()


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    start: int
    end: int
    distance: int = 0
    ordered: bool = False


def _fail(query: str, code: str, start: int, end: int, **params: object) -> QueryError:
    return QueryError(query, [QueryProblem(code, start, max(end, start + 1), dict(params))])


def tokenize(query: str) -> list[Token]:
    """The tokens of a query; raises QueryError on an unclosed quote or a misplaced field."""
    text = query.translate(_QUOTES)
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "(":
            tokens.append(Token(Kind.LPAREN, char, i, i + 1))
            i += 1
        elif char == ")":
            tokens.append(Token(Kind.RPAREN, char, i, i + 1))
            i += 1
        elif char == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise _fail(query, "unclosed_quote", i, i + 1)
            tokens.append(Token(Kind.PHRASE, text[i + 1 : close], i, close + 1))
            i = close + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            tokens.append(_word_token(query, text[i:j], i, j, text[j] if j < n else ""))
            if tokens[-1].kind is Kind.FIELD and tokens[-1].end < j:
                value_start = tokens[-1].end
                tokens.append(Token(Kind.TERM, text[value_start:j], value_start, j))
            i = j
    tokens.append(Token(Kind.END, "", n, n))
    return tokens


def _word_token(query: str, word: str, start: int, end: int, following: str) -> Token:
    if word in ("AND", "OR", "NOT"):
        return Token(Kind[word], word, start, end)
    if word == "&&":
        return Token(Kind.AND, word, start, end)
    if word == "||":
        return Token(Kind.OR, word, start, end)
    if word.startswith("NEAR"):
        near = _NEAR.fullmatch(word)
        if near is None or int(near.group(1)) > MAX_NEAR_DISTANCE:
            raise _fail(
                query, "near_distance", start, end, operator=word,
                max_distance=MAX_NEAR_DISTANCE,
            )  # fmt: skip
        return Token(
            Kind.NEAR, word, start, end, distance=int(near.group(1)), ordered=bool(near.group(2))
        )
    lowered = word.lower()
    if lowered.startswith(("http://", "https://", "www.")):
        host = urlsplit(word if "//" in word else f"//{word}").hostname or word
        raise _fail(query, "link_term", start, end, domain=host.removeprefix("www."))
    field = _FIELD.match(word)
    if field is not None:
        name = field.group(1)
        if name.lower() not in FIELD_EXAMPLES:
            raise _fail(query, "unknown_field", start, start + len(name) + 1, name=name)
        value_start = start + field.end()
        if value_start == end and following not in ('"', "("):
            raise _fail(
                query, "field_value", start, end, name=name.lower(),
                example=FIELD_EXAMPLES[name.lower()],
            )  # fmt: skip
        return Token(Kind.FIELD, name.lower(), start, value_start)
    if lowered.startswith("near/") and _NEAR.fullmatch(upper := "NEAR" + lowered[4:]):
        raise _fail(query, "lowercase_operator", start, end, word=word, upper=upper)
    if "~" in word:
        raise _fail(query, "tilde", start, end)
    if "{" in word or "}" in word:
        raise _fail(query, "braces", start, end)
    if word.startswith("-") and (following in ('"', "(") or any(c.isalnum() for c in word)):
        raise _fail(query, "minus_sign", start, start + 1)
    return Token(Kind.TERM, word, start, end)


class _Parser:
    def __init__(self, query: str) -> None:
        if len(query) > MAX_QUERY_CHARS:
            raise _fail(
                query, "too_long", MAX_QUERY_CHARS, len(query), length=len(query),
                limit=MAX_QUERY_CHARS,
            )  # fmt: skip
        self.query = query
        self.tokens = tokenize(query)
        self.pos = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.pos]

    def kind(self) -> Kind:
        """The kind of the current token (a call, so type narrowing does not stick to it)."""
        return self.tokens[self.pos].kind

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def fail(self, code: str, start: int, end: int, **params: object) -> QueryError:
        return _fail(self.query, code, start, end, **params)

    def parse(self) -> Node:
        if self.kind() is Kind.END:
            raise self.fail("empty", 0, max(1, len(self.query)))
        node = self.parse_or(Scope.TEXT, depth=0)
        token = self.current
        if token.kind is Kind.RPAREN:
            raise self.fail("unopened_paren", token.start, token.end)
        if token.kind is not Kind.END:  # pragma: no cover - every token starts an operand
            raise self.fail("stray_operator_char", token.start, token.end, char=token.text)
        return node

    @property
    def consumed_end(self) -> int:
        """Where the last token read ends: a node's span runs to its closing parenthesis."""
        return self.tokens[self.pos - 1].end

    def parse_or(self, scope: Scope, depth: int) -> Node:
        start = self.current.start
        children = [self.parse_and(scope, depth)]
        while self.kind() is Kind.OR:
            operator = self.advance()
            if self.kind() in (Kind.END, Kind.RPAREN, Kind.OR, Kind.AND, Kind.NEAR):
                raise self.fail("missing_operand", operator.start, operator.end, operator="OR")
            children.append(self.parse_and(scope, depth))
        if len(children) == 1:
            return children[0]
        return Or(tuple(children), (start, self.consumed_end))

    def parse_and(self, scope: Scope, depth: int) -> Node:
        token = self.current
        if token.kind in (Kind.AND, Kind.OR, Kind.NEAR):
            raise self.fail("missing_operand", token.start, token.end, operator=_op(token))
        start = token.start
        children = [self.parse_unary(scope, depth)]
        while self.kind() not in (Kind.END, Kind.RPAREN, Kind.OR):
            if self.kind() is Kind.AND:
                operator = self.advance()
                if self.kind() in (Kind.END, Kind.RPAREN, Kind.OR, Kind.AND, Kind.NEAR):
                    raise self.fail("missing_operand", operator.start, operator.end, operator="AND")
            elif self.kind() is Kind.NEAR:
                token = self.current
                raise self.fail("near_chain", token.start, token.end)
            children.append(self.parse_unary(scope, depth))
        if len(children) == 1:
            return children[0]
        return And(tuple(children), (start, self.consumed_end))

    def parse_unary(self, scope: Scope, depth: int) -> Node:
        token = self.current
        if token.kind is Kind.NOT:
            self.advance()
            if self.kind() in (Kind.END, Kind.RPAREN, Kind.OR, Kind.AND, Kind.NEAR):
                raise self.fail("missing_not_operand", token.start, token.end)
            child = self.parse_unary(scope, depth)
            return Not(child, (token.start, self.consumed_end))
        return self.parse_near(scope, depth)

    def parse_near(self, scope: Scope, depth: int) -> Node:
        left_start = self.current.start
        left = self.parse_primary(scope, depth)
        if self.kind() is not Kind.NEAR:
            return left
        operator = self.advance()
        if self.kind() in (Kind.END, Kind.RPAREN, Kind.OR, Kind.AND, Kind.NEAR):
            raise self.fail("missing_operand", operator.start, operator.end, operator=operator.text)
        if self.kind() is Kind.NOT:
            token = self.current
            raise self.fail("near_operand", token.start, token.end, operand=token.text)
        right = self.parse_primary(scope, depth)
        if self.kind() is Kind.NEAR:
            token = self.current
            raise self.fail("near_chain", token.start, token.end)
        near = Near(
            self._near_side(left),
            self._near_side(right),
            operator.distance,
            operator.ordered,
            (left_start, self.consumed_end),
        )
        scopes = {phrase.scope for phrase in (*near.left, *near.right)}
        if len(scopes) > 1:
            odd = next(s for s in scopes if s is not Scope.TEXT) if Scope.TEXT in scopes else scope
            raise self.fail("near_scope", near.span[0], near.span[1], scope=odd.value)
        return near

    def _near_side(self, node: Node) -> tuple[Phrase, ...]:
        if isinstance(node, Phrase):
            return (node,)
        if isinstance(node, Or) and all(isinstance(c, Phrase | Or) for c in node.children):
            return tuple(p for child in node.children for p in self._near_side(child))
        start, end = _node_span(node)
        raise self.fail("near_operand", start, end, operand=self.query[start:end])

    def parse_primary(self, scope: Scope, depth: int) -> Node:
        token = self.advance()
        if token.kind is Kind.LPAREN:
            if self.kind() is Kind.RPAREN:
                raise self.fail("empty_group", token.start, self.current.end)
            if self.kind() is Kind.END:
                raise self.fail("unclosed_paren", token.start, token.end)
            inner = self.parse_or(scope, depth + 1)
            if self.kind() is not Kind.RPAREN:
                raise self.fail("unclosed_paren", token.start, token.end)
            self.advance()
            if isinstance(inner, Phrase | Field):
                return inner  # a word keeps its own span (the linter quotes it)
            return _respan(inner, token.start, self.consumed_end)
        if token.kind is Kind.TERM:
            return term_phrase(self.query, token.text, token.start, token.end, scope)
        if token.kind is Kind.PHRASE:
            if not token.text.strip():
                raise self.fail("empty_phrase", token.start, token.end)
            return term_phrase(self.query, token.text, token.start, token.end, scope)
        if token.kind is Kind.FIELD:
            return self.parse_field(token, scope, depth)
        if token.kind is Kind.RPAREN:
            raise self.fail("unopened_paren", token.start, token.end)
        if token.kind is Kind.END:  # pragma: no cover - callers check for END first
            raise self.fail("missing_operand", token.start, token.end, operator="this operator")
        raise self.fail("missing_operand", token.start, token.end, operator=_op(token))

    def parse_field(self, token: Token, scope: Scope, depth: int) -> Node:
        name = token.text
        value = self.current
        if name in ("title", "raw"):
            inner_scope = Scope(name)
            if scope is not Scope.TEXT:
                raise self.fail(
                    "nested_scope", token.start, token.end, inner=name, outer=scope.value
                )
            if value.kind is Kind.LPAREN:
                group_start = value.start
                node = self.parse_primary(inner_scope, depth)
                return _respan(node, token.start, self.consumed_end) if group_start else node
            if value.kind in (Kind.TERM, Kind.PHRASE):
                inner = _FIELD.match(value.text) if value.kind is Kind.TERM else None
                if inner is not None and inner.group(1).lower() in FIELD_EXAMPLES:
                    raise self.fail(
                        "nested_scope", value.start, value.start + inner.end(),
                        inner=inner.group(1).lower(), outer=name,
                    )  # fmt: skip
                self.advance()
                if value.kind is Kind.PHRASE and not value.text.strip():
                    raise self.fail("empty_phrase", value.start, value.end)
                return term_phrase(self.query, value.text, token.start, value.end, inner_scope)
            raise self.fail(
                "field_value", token.start, token.end, name=name, example=FIELD_EXAMPLES[name]
            )
        if scope is not Scope.TEXT:
            raise self.fail("nested_scope", token.start, token.end, inner=name, outer=scope.value)
        if value.kind is Kind.LPAREN:
            raise self.fail("field_group", token.start, value.end, name=name)
        if value.kind not in (Kind.TERM, Kind.PHRASE) or not value.text.strip():
            raise self.fail(
                "field_value", token.start, token.end, name=name, example=FIELD_EXAMPLES[name]
            )
        self.advance()
        return field_node(self.query, FieldName(name), value.text, token.start, value.end)


def _op(token: Token) -> str:
    return token.text or token.kind.name


def _node_span(node: Node) -> tuple[int, int]:
    return node.span


def _respan(node: Node, start: int, end: int) -> Node:
    """A group's span runs from its opening parenthesis (or its field name: title:(...)) to
    its closing parenthesis."""
    span = (start, end)
    if isinstance(node, Phrase):
        return Phrase(node.words, node.scope, span)
    if isinstance(node, And):
        return And(node.children, span)
    if isinstance(node, Or):
        return Or(node.children, span)
    if isinstance(node, Not):
        return Not(node.child, span)
    if isinstance(node, Near):
        return Near(node.left, node.right, node.distance, node.ordered, span)
    return node  # pragma: no cover - fields are not allowed in groups that get a new span


def term_phrase(query: str, text: str, start: int, end: int, scope: Scope) -> Phrase:
    """A query term or quoted phrase as a :class:`Phrase` of words in match form."""
    source = text if scope is Scope.RAW else fold(text)
    if "@" in source:
        source = MENTION_INSTANCE.sub(r"\1", source)
    if not source.isascii():
        source = _EMOJI.sub(r" \g<0> ", source)
    pieces = [p for p in _WORD_SEPARATORS.sub(" ", source).split(" ") if p]
    if not pieces:
        raise _fail(query, "stray_operator_char", start, end, char=text.strip() or text)
    return Phrase(tuple(_word(query, piece, start, end) for piece in pieces), scope, (start, end))


def _word(query: str, piece: str, start: int, end: int) -> Word:
    kind = WordKind.WORD
    if piece[0] == "#":
        kind, piece = WordKind.HASHTAG, piece[1:]
    elif piece[0] == "@":
        kind, piece = WordKind.MENTION, piece[1:]
    body = piece.rstrip("*")
    prefix = body != piece
    if "*" in body:
        raise _fail(query, "wildcard_position", start, end)
    optional: list[int] = []
    letters: list[str] = []
    for char in body:
        if char == "?":
            optional.append(len(letters))
        else:
            letters.append(char)
    word = "".join(letters)
    if not word:
        raise _fail(query, "wildcard_only", start, end, word=piece)
    if prefix and len(word) < MIN_PREFIX_CHARS and kind is WordKind.WORD:
        raise _fail(query, "wildcard_short", start, end, word=piece, min=MIN_PREFIX_CHARS)
    return Word(word, kind, prefix, tuple(optional))


def field_node(query: str, name: FieldName, raw_value: str, start: int, end: int) -> Field:
    value = fold(raw_value.strip())
    if name is FieldName.LANG:
        value = value.replace("_", "-")
        if not _LANG.fullmatch(value):
            raise _fail(query, "bad_lang", start, end, value=raw_value)
    elif name is FieldName.PLATFORM:
        if not _PLATFORM.fullmatch(value):
            raise _fail(query, "bad_platform", start, end, value=raw_value)
    elif name is FieldName.SITE:
        host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
        value = host.removeprefix("www.")
        if not _DOMAIN.fullmatch(value):
            raise _fail(query, "bad_site", start, end, value=raw_value)
    else:
        value = " ".join(value.removeprefix("@").split())
        if not value:
            raise _fail(
                query, "field_value", start, end, name=name.value, example=FIELD_EXAMPLES["author"]
            )
    return Field(name, value, (start, end))


def parse(query: str) -> Node:
    """The syntax tree of ``query``; raises :class:`QueryError` at the first syntax error."""
    return _Parser(query).parse()
