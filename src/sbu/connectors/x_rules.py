"""sbu's query language translated into X's search query and filtered-stream rule syntax.

An X source takes its query in sbu's language (the query of a topic can be copied as is); this
module parses it with :func:`sbu.listening.query.compile_query` and writes the same question in
X's operators:

- a word stays a keyword, a phrase of several words becomes an ``"exact phrase"``, ``#tag`` and
  ``@name`` stay a hashtag and a mention; a space is AND, ``OR`` is OR, ``NOT x`` is ``-x``;
  groups get parentheses;
- ``lang:fr`` stays ``lang:fr`` (X writes Hebrew ``iw`` and Indonesian ``in``), ``author:name``
  becomes ``from:name``;
- ``NOT (a OR b)`` becomes ``-a -b``, because X refuses a negated group;
- ``a NEAR/n b`` becomes ``a b`` and ``raw:Word`` becomes ``word``: X has neither proximity nor
  case, so X is asked for more posts than the query means, and each translation says so in a
  note. sbu's topic matching then applies the whole query to the posts collected. Where a
  loosened part would be *excluded* (under ``NOT``), it would exclude more than the query means,
  so it is refused instead;
- what X cannot express at all is refused with a sentence: wildcards (``connect*``, ``colo?r``),
  ``title:`` (posts on X have no title), ``platform:`` and ``site:``, ``lang:`` with a region
  (X only knows ``pt``, not ``pt-br``), ``NOT (a b)``, an alternative that only excludes
  (``a OR NOT b``), and an ``author:`` that is not an X username.

Accents: a recent search for ``télécom`` finds posts with and without the accents, so the words
are sent as the query writes them. A filtered-stream rule only matches the accented form, so for
the stream a word written with accents is sent in both forms: ``(télécom OR telecom)``.

Limits: X refuses a recent-search query longer than 512 characters and a filtered-stream rule
longer than 1,024 (pay-per-use access; Enterprise access allows 4,096 and 2,048). The
translation is refused when it is longer than the limit given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from sbu.core.errors import InvalidInput
from sbu.core.text import fold
from sbu.listening.query import QueryError, compile_query
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
from sbu.listening.query.parser import term_phrase

Target = Literal["search", "stream"]
#: X's limits on the length of a query (recent search) or a rule (filtered stream), in
#: characters, for pay-per-use access.
MAX_CHARS: dict[Target, int] = {"search": 512, "stream": 1024}
#: ... and for Enterprise access.
ENTERPRISE_MAX_CHARS: dict[Target, int] = {"search": 4096, "stream": 2048}
#: ISO 639-1 codes that X writes otherwise.
X_LANGUAGES = {"he": "iw", "id": "in"}
#: An X username: letters, digits and underscores, at most 15.
USERNAME = re.compile(r"[a-z0-9_]{1,15}")
_PLAIN = re.compile(r"[#@]?\w+")
_QUOTES = '"\u201c\u201d\u00ab\u00bb\u201e'
_SIGNS = {WordKind.WORD: "", WordKind.HASHTAG: "#", WordKind.MENTION: "@"}
_WHAT = {"search": "recent search", "stream": "filtered-stream rule"}


class XQueryRefused(InvalidInput):
    """A query that cannot be sent to X, with the sentence that says why and what to do."""


@dataclass(frozen=True, slots=True)
class XQuery:
    #: The query (recent search) or rule value (filtered stream), in X's syntax.
    text: str
    target: Target
    #: Where the translation asks X for more posts than the query means (NEAR, raw:).
    notes: tuple[str, ...] = ()


def translate(query: str, target: Target = "search", *, max_chars: int | None = None) -> XQuery:
    """``query`` (sbu's language) in X's syntax for ``target``; :class:`XQueryRefused` with a
    sentence when X cannot express it or it is longer than ``max_chars`` (X's pay-per-use limit
    of the target by default)."""
    try:
        node = compile_query(query)
    except QueryError as exc:
        msg = f"{exc} Fix the source's query (it uses sbu's query language)."
        raise XQueryRefused(msg) from exc
    translator = _Translator(query, target)
    tree = _flatten(translator.convert(node, negated=False))
    _check_alternatives(query, tree)
    if not _has_positive_standalone(tree):
        msg = (
            f"The query {query!r} only has filters that X does not accept alone (lang:) or "
            "exclusions: add a word, a phrase, a #hashtag, an @mention or an author: to look for."
        )
        raise XQueryRefused(msg)
    text = _render(tree)
    limit = max_chars or MAX_CHARS[target]
    if len(text) > limit:
        msg = (
            f"Translated for X, the query is {len(text):,} characters long ({text[:60]}…), and "
            f"X accepts at most {limit:,} in a {_WHAT[target]}: shorten the query (fewer "
            "alternatives), or split it into several sources."
        )
        raise XQueryRefused(msg)
    return XQuery(text, target, tuple(dict.fromkeys(translator.notes)))


# -- the translation, on a small tree of X terms -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Term:
    text: str
    #: X's "standalone" operators (keywords, phrases, #, @, from:) can make a query alone;
    #: "conjunction-required" ones (lang:) cannot.
    standalone: bool
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _All:
    parts: tuple[_X, ...]


@dataclass(frozen=True, slots=True)
class _Any:
    parts: tuple[_X, ...]


_X = _Term | _All | _Any


class _Translator:
    def __init__(self, query: str, target: Target) -> None:
        self.query = query
        self.target = target
        self.notes: list[str] = []

    def source(self, node: Node) -> str:
        return self.query[node.span[0] : node.span[1]]

    def refuse(self, node: Node, what: str) -> XQueryRefused:
        return XQueryRefused(f"In the query {self.query!r}, {self.source(node)} {what}")

    def convert(self, node: Node, *, negated: bool) -> _X:
        """``node`` as X terms; ``negated`` says whether it sits under an odd number of NOTs
        (a loosened translation may widen what is looked for, never what is excluded)."""
        if isinstance(node, Phrase):
            return self.phrase(node, negated=negated)
        if isinstance(node, Field):
            return self.field(node)
        if isinstance(node, And):
            return _All(tuple(self.convert(child, negated=negated) for child in node.children))
        if isinstance(node, Or):
            return _Any(tuple(self.convert(child, negated=negated) for child in node.children))
        if isinstance(node, Not):
            return self.negate(node, self.convert(node.child, negated=not negated))
        return self.near(node, negated=negated)

    def negate(self, node: Not, inner: _X) -> _X:
        if isinstance(inner, _Term):
            return replace(inner, negated=not inner.negated)
        if isinstance(inner, _Any):  # NOT (a OR b) is NOT a AND NOT b: X refuses -(a OR b)
            return _All(tuple(self.negate(node, part) for part in inner.parts))
        if len(inner.parts) == 1:
            return self.negate(node, inner.parts[0])
        raise self.refuse(
            node,
            "excludes posts that have all of several things at once; X does not accept a "
            "negated group, and the only way to write it would be alternatives that only "
            "exclude, which X refuses too: exclude the words one by one (NOT a NOT b) if that "
            "is what you mean, or leave this exclusion to the topic.",
        )

    def near(self, node: Near, *, negated: bool) -> _X:
        if negated:
            raise self.refuse(
                node,
                "is excluded, and X has no NEAR: sent as 'both sides anywhere in the post' it "
                "would exclude posts that the query keeps. Leave this exclusion to the topic, or "
                "exclude a phrase instead.",
            )
        left = self.side(node.left)
        right = self.side(node.right)
        loose = _All((left, right))
        distance = f"NEAR/{node.distance}{'f' if node.ordered else ''}"
        self.notes.append(
            f"X has no {distance}: {self.source(node)} is sent to X as {_render(loose)} (both "
            "sides anywhere in the post), so X returns, and bills, posts where they are far "
            "apart; sbu's topic matching keeps only the close ones."
        )
        return loose

    def side(self, phrases: tuple[Phrase, ...]) -> _X:
        parts = tuple(self.phrase(p, negated=False) for p in phrases)
        return parts[0] if len(parts) == 1 else _Any(parts)

    def phrase(self, node: Phrase, *, negated: bool) -> _X:
        if node.scope is Scope.TITLE:
            raise self.refuse(
                node,
                "looks in titles, and posts on X have none: remove title: for an X source "
                "(the topic can keep it for other platforms).",
            )
        for word in node.words:
            if not word.literal:
                raise self.refuse(
                    node,
                    f"has a wildcard ({word.display()}), and X's search has none: list the "
                    "words instead, for example (connecte OR connexion OR connectee).",
                )
        if node.scope is Scope.RAW:
            if negated:
                raise self.refuse(
                    node,
                    "is excluded with raw:, and X ignores case: it would exclude every post "
                    "with the word in any case. Remove raw: here, or leave this exclusion to "
                    "the topic.",
                )
            forms = [_words(node.words, written=None)]
            self.notes.append(
                f"X ignores case: {self.source(node)} is sent to X as {forms[0]}, so X also "
                "returns, and bills, posts with other capitals; sbu's topic matching keeps "
                "only the exact ones."
            )
        else:
            written = _words(node.words, written=self.written(node))
            folded = _words(node.words, written=None)
            forms = [written]
            hashtags = any(w.kind is WordKind.HASHTAG for w in node.words)
            if folded != written and (self.target == "stream" or hashtags):
                forms.append(folded)
        terms = tuple(_Term(form, standalone=True) for form in forms)
        return terms[0] if len(terms) == 1 else _Any(terms)

    def written(self, node: Phrase) -> list[str] | None:
        """The words as the query writes them (accents kept, lower case), or None when they
        cannot be lined up with the words of ``node``."""
        text = self.source(node).strip()
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
            text = text[1:-1]
        try:
            words = term_phrase(self.query, text, *node.span, Scope.RAW).words
        except QueryError:  # pragma: no cover - the same text parsed once already
            return None
        if len(words) != len(node.words):
            return None
        found: list[str] = []
        for mine, theirs in zip(words, node.words, strict=True):
            if fold(mine.text) != theirs.text or mine.kind is not theirs.kind:
                return None
            found.append(mine.text.lower())
        return found

    def field(self, node: Field) -> _X:
        if node.name is FieldName.LANG:
            if "-" in node.value:
                primary = node.value.split("-", 1)[0]
                raise self.refuse(
                    node,
                    f"names a regional language, and X classifies posts by language only: "
                    f"write lang:{primary}.",
                )
            return _Term(f"lang:{X_LANGUAGES.get(node.value, node.value)}", standalone=False)
        if node.name is FieldName.AUTHOR:
            if not USERNAME.fullmatch(node.value):
                raise self.refuse(
                    node,
                    "is not an X username (letters, digits and _, at most 15, without the "
                    "display name): write the account's @username, for example "
                    "author:telecomouest.",
                )
            return _Term(f"from:{node.value}", standalone=True)
        if node.name is FieldName.PLATFORM:
            raise self.refuse(
                node,
                "chooses a platform, and an X source only reads X: remove platform: from the "
                "source's query (the topic can keep it).",
            )
        raise self.refuse(
            node,
            "looks for links to a site, which sbu does not translate for X: remove site: from "
            "the source's query and look for the brand's words instead (the topic can keep "
            "site:).",
        )


def _words(words: tuple[Word, ...], *, written: list[str] | None) -> str:
    texts = written if written is not None else [w.text for w in words]
    signed = [_SIGNS[w.kind] + text for w, text in zip(words, texts, strict=True)]
    if len(signed) == 1 and _PLAIN.fullmatch(signed[0]):
        return signed[0]
    return '"' + " ".join(signed) + '"'


def _flatten(node: _X) -> _X:
    """Nested groups of the same kind merged, one-part groups removed."""
    if isinstance(node, _Term):
        return node
    kind = type(node)
    parts: list[_X] = []
    for part in (_flatten(p) for p in node.parts):
        if type(part) is kind:
            parts.extend(part.parts)
        else:
            parts.append(part)
    unique = tuple(dict.fromkeys(parts))
    if len(unique) == 1:
        return unique[0]
    return _All(unique) if kind is _All else _Any(unique)


def _positive(node: _X) -> bool:
    """Whether ``node`` looks for something (it is not made of exclusions only)."""
    if isinstance(node, _Term):
        return not node.negated
    return any(_positive(part) for part in node.parts)


def _has_positive_standalone(node: _X) -> bool:
    if isinstance(node, _Term):
        return node.standalone and not node.negated
    return any(_has_positive_standalone(part) for part in node.parts)


def _check_alternatives(query: str, node: _X) -> None:
    if isinstance(node, _Term):
        return
    if isinstance(node, _Any):
        for part in node.parts:
            if not _positive(part):
                msg = (
                    f"In the query {query!r}, an alternative only excludes ({_render(part)}): "
                    "X refuses OR NOT. Put the exclusion outside the OR, for example "
                    "(a OR b) NOT c."
                )
                raise XQueryRefused(msg)
    for part in node.parts:
        _check_alternatives(query, part)


def _render(node: _X) -> str:
    if isinstance(node, _Term):
        return f"-{node.text}" if node.negated else node.text
    if isinstance(node, _All):
        return " ".join(
            f"({_render(p)})" if isinstance(p, _Any) else _render(p) for p in node.parts
        )
    return " OR ".join(f"({_render(p)})" if isinstance(p, _All) else _render(p) for p in node.parts)
