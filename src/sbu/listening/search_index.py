"""The full-text index of mention text that search over history reads (table ``mention_search``).

It holds, for each mention, the words of its title and text in *match form*: exactly the words
the query language evaluates (:func:`sbu.listening.query.normalize.match_text` of
:func:`~sbu.listening.query.posts.body_of`), one index token per word, so a word or phrase of a
query finds in the index exactly the posts where the reference evaluator finds it
(:mod:`sbu.listening.query.prefilter` relies on this). After the words come *field tokens*,
which no word can be (match text has no ``~``): ``~lang=fr-ca``, the language as the evaluator
folds it (``~lang=~`` for a code that does not fit in one token), and ``~site=fr.example.blog``
for each site of the post (its url and the links in its text), labels reversed so that
``site:example.fr`` is the token ``~site=fr.example`` or a prefix ``~site=fr.example.``.

- **SQLite**: an FTS5 virtual table without stored content (``content=''``), keyed by mention id
  (``rowid``), with the ``ascii`` tokenizer and ``#``, ``@`` and ``_`` as token characters. Match
  text has already separated words with single spaces and every non-ASCII character left in it
  belongs to a word, so each word becomes one token, ``#fibre`` and ``@ondine`` included.
- **PostgreSQL**: a table ``(mention_id, document tsvector)`` with a GIN index. The tsvector is
  written here, word by word with its positions (``'fibre':3,9``), not parsed by PostgreSQL's
  text-search parser. PostgreSQL keeps at most 256 positions per word, positions up to 16,383,
  words up to 2,047 bytes and documents up to 1 MB: a text beyond these limits gets a NULL
  document, and search treats such mentions as candidates of every query (it checks them in
  Python). Words longer than 2,047 bytes are left out; queries never look them up.

Rows are written by the ingest store step in the same transaction as their mentions
(:func:`add_documents`) and by migration 0004 for mentions stored before it (:func:`backfill`).
Mentions are never updated; code that deletes mentions must call :func:`forget` first on SQLite
(PostgreSQL rows go with their mention: ``ON DELETE CASCADE``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, MetaData, Table, bindparam, select
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import make_url

from sbu.core.text import fold
from sbu.listening.query.normalize import links, match_texts
from sbu.listening.query.posts import MatchPost, body_of, site_of

#: The index's table on both dialects (and the prefix of SQLite's FTS5 shadow tables).
TABLE = "mention_search"
#: FTS5 options: see the module docstring. Changing them needs a migration that rebuilds.
FTS5_OPTIONS = "content='', columnsize=0, tokenize=\"ascii tokenchars '#@_~=.-'\""
#: Field tokens (after the words of the document).
LANG_FIELD = "~lang="
ODD_LANG_FIELD = "~lang=~"
SITE_FIELD = "~site="
#: What a field value may hold to be one token: no ASCII space or punctuation but ``. _ -``.
_ONE_TOKEN = re.compile(r"[^\x00-\x2c/:-@\[-^`{-\x7f]+")
_WWW = re.compile(r"www\.", re.IGNORECASE)
#: The scheme and host of an http(s) link: everything its domain depends on.
_START = re.compile(r"https?://[^/?#]*", re.IGNORECASE)
#: PostgreSQL's limits on a tsvector.
PG_MAX_POSITION = 16383
PG_MAX_POSITIONS_PER_WORD = 256
PG_MAX_WORD_BYTES = 2047
PG_MAX_DOCUMENT_BYTES = 1_000_000
#: Mentions read per batch when the index is filled from the mentions table.
BACKFILL_BATCH = 5000

_pg_metadata = MetaData()
#: The PostgreSQL table, for Core statements (the migration creates it).
pg_table = Table(
    TABLE,
    _pg_metadata,
    Column("mention_id", BigInteger, primary_key=True),
    Column("document", TSVECTOR, nullable=True),
)

#: A document as the index of one dialect takes it: match text (SQLite), a tsvector literal or
#: None (PostgreSQL).
Document = str | None
#: (match text, field tokens) -> document.
DocumentBuilder = Callable[[str, Sequence[str]], Document]
#: What the index reads of a mention: (id, title, text, language, url).
Indexed = tuple[int, str | None, str, str | None, str | None]


def is_index_table(name: str) -> bool:
    """True for the index's tables, which are not models (the schema comparison skips them)."""
    return name == TABLE or name.startswith(TABLE + "_")


def body_words(title: str | None, text: str) -> str:
    """The match text of one mention's title and text (as search and matching read them)."""
    return match_texts([body_of(MatchPost("", text, title))])[0]


def bodies(rows: Sequence[tuple[str | None, str]]) -> list[str]:
    """Match texts of many ``(title, text)`` pairs at once."""
    return match_texts([body_of(MatchPost("", text, title)) for title, text in rows])


def field_tokens(language: str | None, url: str | None, text: str) -> list[str]:
    """The field tokens of a mention: its folded language and its sites (see the module).

    Sites are those the evaluator reads (:attr:`~sbu.listening.query.posts.PostView.sites`):
    the domains of the url and of the links written in the text."""
    tokens: list[str] = []
    code = fold(language or "").replace("_", "-")
    if code:
        tokens.append(LANG_FIELD + code if _ONE_TOKEN.fullmatch(code) else ODD_LANG_FIELD)
    urls = [url] if url else []
    if "://" in text or _WWW.search(text):  # else the text holds no link
        urls.extend(links(text))
    sites = {site for found in urls if (site := _site(fold(found)))}
    tokens.extend(SITE_FIELD + reversed_domain(site) for site in sorted(sites))
    return tokens


def _site(url: str) -> str | None:
    """``site_of(url)``; for an http(s) link, computed once per scheme and host (the domain
    depends on nothing after them), since many posts link to the same sites."""
    start = _START.match(url)
    return _site_of_start(start.group()) if start else site_of(url)


@lru_cache(maxsize=16384)
def _site_of_start(start: str) -> str | None:
    return site_of(start)


def reversed_domain(domain: str) -> str:
    """``blog.example.fr`` is ``fr.example.blog``: a domain and its subdomains share a prefix."""
    return ".".join(reversed(domain.split(".")))


def _quoted(token: str) -> str:
    if "'" in token or "\\" in token:
        token = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{token}'"


def tsvector_literal(words: str, fields: Sequence[str] = ()) -> Document:
    """The tsvector of a match text, written out (``'a':1 'b':2,5``) with the field tokens
    (without positions), or None past PostgreSQL's limits."""
    tokens = words.split(" ") if words else []
    if len(tokens) > PG_MAX_POSITION:
        return None
    positions: dict[str, list[str]] = {}
    for position, token in enumerate(tokens, 1):
        positions.setdefault(token, []).append(str(position))
    parts: list[str] = []
    size = 8
    for token, where in positions.items():
        if len(where) > PG_MAX_POSITIONS_PER_WORD:
            return None
        length = len(token.encode("utf-8"))
        if length > PG_MAX_WORD_BYTES:
            continue
        size += length + 2 * len(where) + 8
        parts.append(f"{_quoted(token)}:{','.join(where)}")
    for token in dict.fromkeys(fields):
        size += len(token.encode("utf-8")) + 8
        parts.append(_quoted(token))
    if size > PG_MAX_DOCUMENT_BYTES:
        return None
    return " ".join(parts)


def fts5_document(words: str, fields: Sequence[str] = ()) -> Document:
    """The FTS5 text: the words, then the field tokens."""
    return " ".join((words, *fields)) if words else " ".join(fields)


def document_builder(dialect: str) -> DocumentBuilder:
    """How match text becomes an index document on ``dialect`` (sqlite or postgresql)."""
    return tsvector_literal if dialect == "postgresql" else fts5_document


def document_builder_for_url(database_url: str) -> DocumentBuilder:
    return document_builder(make_url(database_url).get_backend_name())


def add_documents(connection: Connection, rows: Sequence[tuple[int, Document]]) -> None:
    """Index ``(mention_id, document)`` rows, in the caller's transaction (after the mentions)."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {TABLE} (mention_id, document) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    connection.exec_driver_sql(f"INSERT INTO {TABLE} (rowid, body) VALUES (?, ?)", list(rows))


def documents(dialect: str, mentions: Sequence[Indexed]) -> list[tuple[int, Document]]:
    """``(id, document)`` of mentions read from the database."""
    build = document_builder(dialect)
    words = bodies([(title, text) for _id, title, text, _lang, _url in mentions])
    return [
        (mention_id, build(w, field_tokens(lang, url, text)))
        for (mention_id, _title, text, lang, url), w in zip(mentions, words, strict=True)
    ]


def index_mentions(connection: Connection, mentions: Iterable[Indexed]) -> int:
    """Index mentions read from the database; returns how many."""
    batch = list(mentions)
    add_documents(connection, documents(connection.dialect.name, batch))
    return len(batch)


def backfill(connection: Connection, batch_size: int = BACKFILL_BATCH) -> int:
    """Index every stored mention, by id, ``batch_size`` at a time; returns how many."""
    from sbu.db.base import table_of
    from sbu.listening.models import Mention

    mentions = table_of(Mention)
    query = (
        select(
            mentions.c.id,
            mentions.c.title,
            mentions.c.text,
            mentions.c.language,
            mentions.c.url,
        )
        .where(mentions.c.id > bindparam("after"))
        .order_by(mentions.c.id)
        .limit(batch_size)
    )
    done, after = 0, 0
    while True:
        rows: list[Any] = list(connection.execute(query, {"after": after}))
        if not rows:
            return done
        done += index_mentions(connection, ((r[0], r[1], r[2], r[3], r[4]) for r in rows))
        after = rows[-1][0]


def forget(connection: Connection, mentions: Sequence[Indexed]) -> None:
    """Remove mentions (``(id, title, text, language, url)``) from the index, before deleting
    them.

    SQLite's index keeps no text, so it is told the document it indexed (computed again from
    the mention, which never changes); on PostgreSQL the rows go with their mentions anyway.
    """
    if not mentions:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(
            pg_table.delete().where(pg_table.c.mention_id.in_([m[0] for m in mentions]))
        )
        return
    connection.exec_driver_sql(
        f"INSERT INTO {TABLE} ({TABLE}, rowid, body) VALUES ('delete', ?, ?)",
        documents("sqlite", mentions),
    )
