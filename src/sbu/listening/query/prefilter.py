"""A query as an SQL prefilter: a condition on mentions that holds for every post the query
matches (a superset), answered by the search index (:mod:`sbu.listening.search_index`).

Search runs the prefilter, then checks each candidate with the reference evaluator
(:func:`~sbu.listening.query.evaluate.evaluate`), so its results are exactly what the matcher
says. The prefilter also says when it is **exact** (its candidates are the matches), so counts
and daily volumes can be taken in SQL.

How each node becomes SQL:

- a word or phrase → the index tokens of its words, consecutive (one word of match text is one
  index token: ``connect*`` is a prefix query; a plain first word also looks for ``#word`` and
  ``@word``). These are exact. A word with ``?`` becomes a prefix query on its letters before the
  first ``?`` (or no condition when it starts with ``?``): a superset. ``title:`` looks in title
  and text, ``raw:`` in the folded words: supersets;
- ``a NEAR/n b`` → ``a AND b`` (a superset);
- AND, OR → AND, OR; ``NOT x`` → NOT x when x is exact, else no condition;
- ``lang:`` and ``site:`` → the index's field tokens (``~lang=fr``, ``~site=fr.example``: the
  language and the sites as the evaluator folds them; exact); ``platform:`` → the mention's
  column (exact); ``author:`` → the ids of the authors whose handle or name match, found by the
  caller (exact: authors change, so they are not in the index).

Some mentions cannot be judged by SQL: on PostgreSQL, texts past the tsvector limits (they have
no document); with ``lang:``, a language code that does not fit in one index token (``~lang=~``).
:attr:`Prefilter.unsure` selects them: search treats them as candidates of every query and
checks them in Python. The caller says whether there are any (an index lookup), so normally
there is no such condition at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

import orjson
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    LargeBinary,
    Select,
    String,
    and_,
    bindparam,
    cast,
    column,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    table,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from sqlalchemy.orm import InstrumentedAttribute

from sbu.core.text import fold
from sbu.listening.models import Mention
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
from sbu.listening.search_index import (
    LANG_FIELD,
    ODD_LANG_FIELD,
    PG_MAX_WORD_BYTES,
    SITE_FIELD,
    TABLE,
    pg_table,
    reversed_domain,
)

#: Deeper AND/OR/NOT nesting is not sent to the index (its expression parsers have limits).
MAX_DEPTH = 48
_SIGN = {WordKind.WORD: "", WordKind.HASHTAG: "#", WordKind.MENTION: "@"}

#: The ids of the authors an ``author:`` value names (exactly, as the evaluator decides).
AuthorResolver = Callable[[str], Sequence[int]]


# -- index expressions ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """One index token, or every token starting with ``text`` (``prefix``)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Seq:
    """Consecutive tokens (a phrase); one token for a single word."""

    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[TextExpr, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[TextExpr, ...]


@dataclass(frozen=True, slots=True)
class Without:
    """``keep`` and not ``drop``."""

    keep: TextExpr
    drop: TextExpr


TextExpr = Seq | AllOf | AnyOf | Without


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def render_fts5(expr: TextExpr) -> str:
    """The expression in SQLite FTS5 query syntax."""
    if isinstance(expr, Seq):
        return " + ".join(
            _fts5_string(token.text) + ("*" if token.prefix else "") for token in expr.tokens
        )
    if isinstance(expr, Without):
        return f"({render_fts5(expr.keep)} NOT {render_fts5(expr.drop)})"
    joiner = " AND " if isinstance(expr, AllOf) else " OR "
    return "(" + joiner.join(render_fts5(item) for item in expr.items) + ")"


def _tsquery_lexeme(token: Token) -> str:
    text = token.text.replace("\\", "\\\\").replace("'", "''")
    return f"'{text}'" + (":*" if token.prefix else "")


def render_tsquery(expr: TextExpr) -> str:
    """The expression as a PostgreSQL tsquery literal (lexemes taken as written)."""
    if isinstance(expr, Seq):
        inner = " <-> ".join(_tsquery_lexeme(token) for token in expr.tokens)
        return f"({inner})" if len(expr.tokens) > 1 else inner
    if isinstance(expr, Without):
        return f"({render_tsquery(expr.keep)} & !{render_tsquery(expr.drop)})"
    joiner = " & " if isinstance(expr, AllOf) else " | "
    return "(" + joiner.join(render_tsquery(item) for item in expr.items) + ")"


# -- conditions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Anything:
    """No condition: every post may match."""

    exact: bool = False


@dataclass(frozen=True, slots=True)
class Text:
    expr: TextExpr
    exact: bool


@dataclass(frozen=True, slots=True)
class Clause:
    clause: ColumnElement[bool]
    exact: bool


@dataclass(frozen=True, slots=True)
class Both:
    parts: tuple[Cond, ...]
    exact: bool


@dataclass(frozen=True, slots=True)
class Either:
    parts: tuple[Cond, ...]
    exact: bool


@dataclass(frozen=True, slots=True)
class Neither:
    """NOT ``part`` (``part`` is exact; ``exact`` says whether the node it stands for is)."""

    part: Cond
    exact: bool = True


Cond = Anything | Text | Clause | Both | Either | Neither


@dataclass(frozen=True, slots=True)
class Prefilter:
    """What search asks SQL for.

    ``condition`` (None: no condition) holds for every match; with ``exact`` it holds for the
    matches only, except on the ``unsure`` mentions (None: none), which search always treats as
    candidates and checks in Python.
    """

    condition: ColumnElement[bool] | None
    exact: bool
    unsure: ColumnElement[bool] | None
    #: The tree of conditions before rendering (for tests and for explaining a search).
    tree: Cond
    #: The ids the index gives for the text every candidate must contain (None: no such text),
    #: so search can count them and choose how to read the candidates.
    anchor: Select[tuple[int]] | None = None

    def candidates(self) -> ColumnElement[bool] | None:
        """Every mention that may match: the condition, or an unsure mention."""
        if self.condition is None:
            return None
        if self.unsure is None:
            return self.condition
        return or_(self.condition, self.unsure)


class _Compiler:
    def __init__(
        self, dialect: str, author_ids: AuthorResolver, unindexed: bool, odd_languages: bool
    ) -> None:
        self.dialect = dialect
        self.author_ids = author_ids
        self.unindexed = unindexed
        self.odd_languages = odd_languages
        self.uses_text = False
        self.uses_lang = False

    # - leaves -

    def word_token(self, word: Word, scope: Scope) -> tuple[Token | None, bool]:
        """The index token of a query word (None: none fits), and whether it finds exactly the
        posts where the word matches."""
        text, prefix, exact = word.text, word.prefix, scope is Scope.TEXT
        if word.optional:
            # colo?r: the word starts with "colo"; the index cannot say more.
            text, prefix, exact = text[: min(word.optional)], True, False
        if scope is Scope.RAW:
            # raw: is case- and accent-sensitive: its folded form is a superset.
            text = fold(text)
            if "ς" in text or (text and not _is_one_word(text)):
                return None, False
        if not text:
            return None, False
        text = _SIGN[word.kind] + text
        if len(text.encode("utf-8")) > PG_MAX_WORD_BYTES:
            return None, False
        return Token(text, prefix), exact

    def phrase(self, phrase: Phrase) -> Cond:
        tokens = [self.word_token(word, phrase.scope) for word in phrase.words]
        exact = all(ok for _token, ok in tokens)
        runs: list[list[tuple[int, Token]]] = [[]]
        for index, (token, _ok) in enumerate(tokens):
            if token is None:
                runs.append([])
            else:
                runs[-1].append((index, token))
        seqs: list[TextExpr] = []
        for run in runs:
            if not run:
                continue
            first_index, first = run[0]
            rest = tuple(token for _i, token in run[1:])
            word = phrase.words[first_index]
            if first_index == 0 and word.kind is WordKind.WORD:
                # A plain first word also finds the word as a hashtag or an @mention.
                seqs.append(
                    AnyOf(
                        tuple(
                            Seq((Token(sign + first.text, first.prefix), *rest))
                            for sign in ("", "#", "@")
                        )
                    )
                )
            else:
                seqs.append(Seq((first, *rest)))
        if not seqs:
            return Anything()
        self.uses_text = True
        exact = exact and len(seqs) == 1
        return Text(seqs[0] if len(seqs) == 1 else AllOf(tuple(seqs)), exact)

    def near(self, node: Near) -> Cond:
        left = self.combine_or([self.phrase(p) for p in node.left])
        right = self.combine_or([self.phrase(p) for p in node.right])
        both = self.combine_and([left, right])
        return _inexact(both)

    def field(self, node: Field) -> Cond:
        value = node.value
        if node.name is FieldName.LANG:
            # The index holds the language as the evaluator folds it: ~lang=fr-ca.
            self.uses_lang = True
            self.uses_text = True
            code = LANG_FIELD + value
            return Text(AnyOf((Seq((Token(code),)), Seq((Token(code + "-", prefix=True),)))), True)
        if node.name is FieldName.PLATFORM:
            return Clause(func.lower(func.coalesce(Mention.platform, "")) == value, exact=True)
        if node.name is FieldName.AUTHOR:
            ids = list(self.author_ids(value))
            if not ids:
                return Clause(false(), exact=True)
            clause = and_(Mention.author_id.is_not(None), self.id_in(Mention.author_id, ids))
            return Clause(clause, exact=True)
        # site: the index holds each site of the post, labels reversed: ~site=fr.example.blog
        self.uses_text = True
        site = SITE_FIELD + reversed_domain(value)
        return Text(AnyOf((Seq((Token(site),)), Seq((Token(site + ".", prefix=True),)))), True)

    def id_in(self, column: InstrumentedAttribute[Any], ids: Sequence[int]) -> ColumnElement[bool]:
        """``column IN ids`` with the list as one parameter (any length, statement cached)."""
        if self.dialect == "postgresql":
            return column == func.any(
                bindparam("ids", list(ids), type_=ARRAY(BigInteger()), unique=True)
            )
        values = bindparam("ids", orjson.dumps(list(ids)).decode(), type_=String(), unique=True)
        return column.in_(select(literal_column("value")).select_from(func.json_each(values)))

    # - structure -

    def node(self, node: Node, depth: int = 0) -> Cond:
        if depth > MAX_DEPTH:
            return Anything()
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Field):
            return self.field(node)
        if isinstance(node, Near):
            return self.near(node)
        if isinstance(node, Not):
            inner = self.node(node.child, depth + 1)
            if not inner.exact or isinstance(inner, Anything):
                return Anything()
            if isinstance(inner, Neither):
                return inner.part
            return Neither(inner)
        parts = [self.node(child, depth + 1) for child in node.children]
        if isinstance(node, And):
            return self.combine_and(parts)
        return self.combine_or(parts)

    def combine_and(self, parts: Sequence[Cond]) -> Cond:
        exact = all(part.exact for part in parts)
        kept = [part for part in parts if not isinstance(part, Anything)]
        flat: list[Cond] = []
        for part in kept:
            flat.extend(part.parts if isinstance(part, Both) else (part,))
        texts = [p for p in flat if isinstance(p, Text)]
        drops = [p.part for p in flat if isinstance(p, Neither) and isinstance(p.part, Text)]
        others = [
            p
            for p in flat
            if not isinstance(p, Text) and not (isinstance(p, Neither) and isinstance(p.part, Text))
        ]
        merged: list[Cond] = []
        if texts:
            keep = _all_of([t.expr for t in texts])
            if drops:
                keep = Without(keep, _any_of([d.expr for d in drops]))
            merged.append(Text(keep, exact=all(t.exact for t in (*texts, *drops))))
        elif drops:
            drop = _any_of([d.expr for d in drops])
            merged.append(Neither(Text(drop, exact=True)))
        merged.extend(others)
        if not merged:
            return Anything()
        if len(merged) == 1:
            return _with_exact(merged[0], exact)
        return Both(tuple(merged), exact)

    def combine_or(self, parts: Sequence[Cond]) -> Cond:
        if any(isinstance(part, Anything) for part in parts):
            return Anything()
        exact = all(part.exact for part in parts)
        flat: list[Cond] = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, Either) else (part,))
        texts = [p for p in flat if isinstance(p, Text)]
        others = [p for p in flat if not isinstance(p, Text)]
        merged: list[Cond] = []
        if texts:
            merged.append(Text(_any_of([t.expr for t in texts]), all(t.exact for t in texts)))
        merged.extend(others)
        if len(merged) == 1:
            return _with_exact(merged[0], exact)
        return Either(tuple(merged), exact)

    # - rendering -

    def render(self, cond: Cond) -> ColumnElement[bool]:
        if isinstance(cond, Anything):
            return true()
        if isinstance(cond, Clause):
            return cond.clause
        if isinstance(cond, Text):
            return self.text_clause(cond.expr)
        if isinstance(cond, Neither):
            return not_(self.render(cond.part))
        rendered = [self.render(part) for part in cond.parts]
        return and_(*rendered) if isinstance(cond, Both) else or_(*rendered)

    def text_clause(self, expr: TextExpr) -> ColumnElement[bool]:
        return Mention.id.in_(self.text_ids(expr))

    def text_ids(self, expr: TextExpr) -> Select[tuple[int]]:
        return index_ids(self.dialect, expr)

    def anchor(self, tree: Cond) -> Select[tuple[int]] | None:
        """The index lookup every candidate satisfies: the condition's text, when it is one
        (or one of the parts of an AND)."""
        if isinstance(tree, Text):
            return self.text_ids(tree.expr)
        if isinstance(tree, Both):
            for part in tree.parts:
                if isinstance(part, Text):
                    return self.text_ids(part.expr)
        return None

    def unsure(self) -> ColumnElement[bool] | None:
        clauses: list[ColumnElement[bool]] = []
        if self.uses_text and self.dialect == "postgresql" and self.unindexed:
            clauses.append(
                Mention.id.in_(select(pg_table.c.mention_id).where(pg_table.c.document.is_(None)))
            )
        if self.uses_lang and self.odd_languages:
            clauses.append(self.text_clause(Seq((Token(ODD_LANG_FIELD),))))
        return reduce(or_, clauses) if clauses else None


def index_ids(dialect: str, expr: TextExpr) -> Select[tuple[int]]:
    """The ids of the mentions whose index document holds ``expr``."""
    if dialect == "postgresql":
        # Written into the statement (a literal, quoted by SQLAlchemy), not bound: PostgreSQL
        # then plans each query for its own words. With a bound value, a connection that ran
        # the statement five times may switch to one generic plan for every word, and a plan
        # made for a common word walks the whole table for a rare one.
        query = bindparam(
            "tsquery", render_tsquery(expr), type_=String(), unique=True, literal_execute=True
        )
        return select(pg_table.c.mention_id).where(
            pg_table.c.document.op("@@")(query.cast(TSQUERY))
        )
    match = bindparam("fts", render_fts5(expr), type_=String(), unique=True)
    index = table(TABLE, column("rowid", BigInteger()))
    return select(index.c.rowid).where(literal_column(TABLE).op("MATCH")(match))


def odd_languages_query(dialect: str) -> Select[tuple[int]]:
    """A mention whose language the index could not hold as a token (see search_index)."""
    return index_ids(dialect, Seq((Token(ODD_LANG_FIELD),))).limit(1)


def _is_one_word(text: str) -> bool:
    from sbu.listening.query.normalize import match_text

    return match_text(text, folded=False) == text and " " not in text


def _all_of(items: Sequence[TextExpr]) -> TextExpr:
    flat: list[TextExpr] = []
    for item in items:
        flat.extend(item.items if isinstance(item, AllOf) else (item,))
    return flat[0] if len(flat) == 1 else AllOf(tuple(flat))


def _any_of(items: Sequence[TextExpr]) -> TextExpr:
    flat: list[TextExpr] = []
    for item in items:
        flat.extend(item.items if isinstance(item, AnyOf) else (item,))
    return flat[0] if len(flat) == 1 else AnyOf(tuple(flat))


def _inexact(cond: Cond) -> Cond:
    return _with_exact(cond, False)


def _with_exact(cond: Cond, exact: bool) -> Cond:
    if cond.exact == exact:
        return cond
    if isinstance(cond, Neither):
        return Neither(cond.part, exact)
    if isinstance(cond, Anything):
        return Anything(exact=False)
    if isinstance(cond, Text):
        return Text(cond.expr, exact)
    if isinstance(cond, Clause):
        return Clause(cond.clause, exact)
    if isinstance(cond, Both):
        return Both(cond.parts, exact)
    return Either(cond.parts, exact)


def non_ascii(value: ColumnElement[str], dialect: str) -> ColumnElement[bool]:
    """True when the text holds a character beyond ASCII (SQL cannot fold it as Python does)."""
    if dialect == "postgresql":
        return func.octet_length(value) != func.char_length(value)
    return func.length(value) != func.length(cast(value, LargeBinary()))


def compile_prefilter(
    node: Node,
    dialect: str,
    author_ids: AuthorResolver,
    *,
    unindexed: bool = True,
    odd_languages: bool = True,
) -> Prefilter:
    """The prefilter of a query tree for ``dialect`` (sqlite or postgresql).

    ``unindexed`` says whether some mentions may lack an index document (PostgreSQL, texts past
    its limits), ``odd_languages`` whether some have a language code the index could not hold
    as one token; the caller may pass False after checking that none does
    (:func:`sbu.listening.search.compile_search` does)."""
    compiler = _Compiler(dialect, author_ids, unindexed, odd_languages)
    tree = compiler.node(node)
    condition = None if isinstance(tree, Anything) else compiler.render(tree)
    return Prefilter(condition, tree.exact, compiler.unsure(), tree, compiler.anchor(tree))
