"""Search over history with the query language: exactly the mentions the matcher would match.

A search runs in two steps. SQL finds the *candidates*: the prefilter of the query
(:mod:`sbu.listening.query.prefilter`, answered by the full-text index of
:mod:`sbu.listening.search_index`) and the filters (platform, language, source, dates). Python
then checks every candidate with the reference evaluator
(:func:`~sbu.listening.query.evaluate.evaluate`), reading the mention as topic matching reads it
(:func:`match_post`). Results are therefore exactly the posts the query matches.

Pages are newest first with keyset cursors on (created_at, id), as the stream's
(:mod:`sbu.listening.queries`): a page fetches candidates in growing chunks until it holds
``limit`` matches, and checks at most ``max_candidates`` of them; past that it stops and its
``older`` cursor continues from the last candidate checked. Counts are exact: taken in SQL when
the prefilter is exact, else by checking candidates, up to ``max_candidates`` ("at least").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, not_, or_, select
from sqlalchemy.orm import Session

from sbu.db.sql import escape_like, in_list
from sbu.listening.models import Author, Mention, Source
from sbu.listening.queries import MentionRow, decode_cursor, encode_cursor
from sbu.listening.query.condense import Condenser
from sbu.listening.query.evaluate import evaluate
from sbu.listening.query.lint import compile_query
from sbu.listening.query.nodes import Node
from sbu.listening.query.normalize import match_texts
from sbu.listening.query.posts import MatchPost, PostView, body_of
from sbu.listening.query.prefilter import (
    AuthorResolver,
    Prefilter,
    compile_prefilter,
    non_ascii,
    odd_languages_query,
)
from sbu.listening.search_index import pg_table

#: Candidates fetched by the first query of a page, then twice as many each time, up to the max.
FIRST_CHUNK = 200
MAX_CHUNK = 5000
#: Default cap on the candidates one page or one count checks (SBU_SEARCH__MAX_CANDIDATES).
DEFAULT_MAX_CANDIDATES = 100_000
#: When the full-text index lists at most this share of all mentions, SQLite sorts them
#: rather than walking every mention by date.
INDEX_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Narrow a search beyond its query (all optional; dates are UTC, ``until`` excluded)."""

    platform: str | None = None
    language: str | None = None
    source_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    #: Hide reposts, copies and near-duplicates.
    originals_only: bool = False

    def clauses(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.platform:
            clauses.append(Mention.platform == self.platform)
        if self.language:
            clauses.append(Mention.language == self.language)
        if self.source_id is not None:
            clauses.append(Mention.source_id == self.source_id)
        if self.since is not None:
            clauses.append(Mention.created_at >= self.since)
        if self.until is not None:
            clauses.append(Mention.created_at < self.until)
        if self.originals_only:
            clauses.append(Mention.duplicate_kind.is_(None))
        return clauses


@dataclass(frozen=True, slots=True)
class CompiledSearch:
    """A valid query, its tree and its prefilter for one database."""

    query: str
    node: Node
    prefilter: Prefilter


@dataclass(slots=True)
class SearchPage:
    rows: list[MentionRow]
    #: Cursor of the next (older) page, or None at the end.
    older: str | None
    #: Matching mentions (with the filters); at least this many when ``count_at_least``.
    count: int
    count_at_least: bool
    #: Candidates checked for this page.
    scanned: int
    #: The page stopped at the candidate limit before it was full: ``older`` continues.
    stopped_early: bool
    #: The prefilter is exact: its candidates are the matches (counts are taken in SQL).
    exact: bool


def match_post(row: MentionRow) -> MatchPost:
    """A stored mention as the query language reads it: title, text (hashtags are in it),
    language, platform, the author's handle and display name, url. Topic matching reads
    mentions the same way (sbu.enrichment.items.MentionItem.match_post)."""
    return MatchPost(
        id=str(row.id),
        text=row.text,
        title=row.title,
        lang=row.language,
        platform=row.platform,
        author=row.author_handle,
        author_name=row.author_name,
        url=row.url,
    )


def author_resolver(session: Session) -> AuthorResolver:
    """``author:value`` → the ids of the authors whose handle or display name it names.

    SQL narrows the authors (the handle or the name's words, in ASCII; any author with a
    non-ASCII handle or name), Python decides exactly as the evaluator does (PostView.authors).
    """
    dialect = session.get_bind().dialect.name

    def resolve(value: str) -> list[int]:
        handle = func.ltrim(func.lower(func.coalesce(Author.handle, "")), "@")
        name = func.coalesce(Author.display_name, "")
        words = "%".join(escape_like(word) for word in value.split(" "))
        narrow = [
            handle == value,
            func.lower(name).like(f"%{words}%", escape="\\"),
            non_ascii(func.coalesce(Author.handle, ""), dialect),
            non_ascii(name, dialect),
        ]
        if "@" not in value:
            narrow.append(handle.like(escape_like(value) + "@%", escape="\\"))
        rows = session.execute(
            select(Author.id, Author.handle, Author.display_name).where(or_(*narrow))
        )
        return [
            author_id
            for author_id, author_handle, author_name in rows
            if value
            in PostView(MatchPost("", "", author=author_handle, author_name=author_name)).authors
        ]

    return resolve


def compile_search(session: Session, query: str) -> CompiledSearch:
    """Check ``query`` and build its prefilter; raises QueryError with every problem found."""
    node = compile_query(query)
    dialect = session.get_bind().dialect.name
    prefilter = compile_prefilter(
        node,
        dialect,
        author_resolver(session),
        unindexed=has_unindexed(session),
        odd_languages=session.execute(odd_languages_query(dialect)).first() is not None,
    )
    return CompiledSearch(query, node, prefilter)


def has_unindexed(session: Session) -> bool:
    """Whether a mention has no index document (PostgreSQL: a text past the tsvector limits);
    answered by a small partial index."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    query = select(pg_table.c.mention_id).where(pg_table.c.document.is_(None)).limit(1)
    return session.execute(query).first() is not None


def _as_compiled(session: Session, query: str | CompiledSearch) -> CompiledSearch:
    return query if isinstance(query, CompiledSearch) else compile_search(session, query)


def _select() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Mention.id,
            Mention.platform,
            Mention.external_id,
            Mention.url,
            Mention.title,
            Mention.text,
            Mention.language,
            Mention.created_at,
            Mention.source_id,
            Source.name,
            Author.display_name,
            Author.handle,
            Mention.metrics,
            Mention.duplicate_kind,
            Mention.duplicate_of_id,
            Mention.parent_external_id,
        )
        .join(Source, Source.id == Mention.source_id)
        .outerjoin(Author, Author.id == Mention.author_id)
    )


def _row(values: Sequence[Any]) -> MentionRow:
    (mid, platform, external_id, url, title, text, language, created_at, source_id, source,
     author_name, handle, metrics, kind, original, parent) = values  # fmt: skip
    return MentionRow(
        mid, platform, external_id, url, title, text, language, created_at, source_id, source,
        author_name, handle, metrics or {}, kind, original, parent,
    )  # fmt: skip


def _older_than(position: tuple[datetime, int]) -> ColumnElement[bool]:
    at, mention_id = position
    return or_(Mention.created_at < at, and_(Mention.created_at == at, Mention.id < mention_id))


@dataclass(slots=True)
class Scan:
    """Candidates newest first, fetched in growing chunks, each checked by the evaluator.

    Iterate it for ``(row, view, matched)``; it stops after ``max_candidates`` candidates
    (``stopped`` then says so, and ``position`` is the last candidate checked) or at the end.
    """

    session: Session
    node: Node
    where: list[ColumnElement[bool]]
    max_candidates: int
    position: tuple[datetime, int] | None = None
    scanned: int = 0
    stopped: bool = False
    first_chunk: int = FIRST_CHUNK
    #: Walk mentions by date (the created_at index) rather than sort the index's candidates.
    by_date: bool = True

    def __iter__(self) -> Iterator[tuple[MentionRow, PostView, bool]]:
        condenser = Condenser(self.node)
        chunk = self.first_chunk
        while self.scanned < self.max_candidates:
            size = min(chunk, self.max_candidates - self.scanned)
            rows = self._fetch(size)
            if not rows:
                return
            posts = [match_post(row) for row in rows]
            texts = match_texts([body_of(post) for post in posts])
            for row, post, text in zip(rows, posts, texts, strict=True):
                self.scanned += 1
                self.position = (row.created_at, row.id)
                # The evaluator reads the words the query can match, runs of others shortened
                # (same answer, much less work on long posts); callers get the whole post.
                matched = evaluate(self.node, PostView(post, text=condenser.condense(text)))
                yield row, PostView(post, text=text), matched
            if len(rows) < size:
                return
            chunk = min(chunk * 2, MAX_CHUNK)
        self.stopped = True

    def _fetch(self, size: int) -> list[MentionRow]:
        """The next ``size`` candidates, newest first: their keys are sorted first (small rows),
        then the mentions are read by id."""
        keys = select(Mention.id).where(*self.where)
        if self.position is not None:
            keys = keys.where(_older_than(self.position))
        # SQLite: "+created_at" (the same value) keeps the planner off the date index, so it
        # reads the few candidates the full-text index lists, then sorts them.
        created = Mention.created_at if self.by_date else literal_column("+mentions.created_at")
        keys = keys.order_by(created.desc(), Mention.id.desc()).limit(size)
        ids = list(self.session.execute(keys).scalars())
        if not ids:
            return []
        found = {
            row.id: row
            for row in (
                _row(values)
                for values in self.session.execute(
                    _select().where(in_list(self.session, Mention.id, ids))
                )
            )
        }
        return [found[mention_id] for mention_id in ids if mention_id in found]


def walk_by_date(session: Session, prefilter: Prefilter) -> bool:
    """Whether to read candidates by walking mentions newest first (best when many mentions are
    candidates) rather than by sorting the mentions the full-text index lists (best when few
    are). PostgreSQL's planner makes this choice itself, from its statistics; SQLite's is
    asked here, by counting the index's candidates."""
    if prefilter.anchor is None or session.get_bind().dialect.name != "sqlite":
        return True
    listed = session.execute(select(func.count()).select_from(prefilter.anchor.subquery()))
    largest = session.execute(select(func.max(Mention.id))).scalar() or 0
    return int(listed.scalar_one()) > largest * INDEX_SHARE


def candidate_clauses(
    compiled: CompiledSearch, filters: SearchFilters
) -> list[ColumnElement[bool]]:
    """The WHERE clauses that select every candidate of the search."""
    clauses = filters.clauses()
    candidates = compiled.prefilter.candidates()
    if candidates is not None:
        clauses.append(candidates)
    return clauses


def candidate_scan(
    session: Session,
    compiled: CompiledSearch,
    filters: SearchFilters,
    max_candidates: int,
    *,
    position: tuple[datetime, int] | None = None,
    first_chunk: int = FIRST_CHUNK,
) -> Scan:
    """The scan of every candidate of a search, newest first (see :class:`Scan`)."""
    return Scan(
        session,
        compiled.node,
        candidate_clauses(compiled, filters),
        max_candidates,
        position=position,
        first_chunk=first_chunk,
        by_date=walk_by_date(session, compiled.prefilter),
    )


def search(
    session: Session,
    query: str | CompiledSearch,
    filters: SearchFilters | None = None,
    *,
    limit: int = 50,
    before: str | None = None,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    with_count: bool = True,
) -> SearchPage:
    """One page of the mentions ``query`` matches, newest first (see the module docstring).

    Raises :class:`~sbu.listening.query.problems.QueryError` when the query has a problem.
    """
    compiled = _as_compiled(session, query)
    filters = filters or SearchFilters()
    position = decode_cursor(before) if before else None
    scan = candidate_scan(
        session,
        compiled,
        filters,
        max_candidates,
        position=position,
        first_chunk=max(FIRST_CHUNK, 2 * limit),
    )
    rows: list[MentionRow] = []
    more = False
    for row, _view, matched in scan:
        if not matched:
            continue
        if len(rows) == limit:
            more = True
            break
        rows.append(row)
    older = None
    if more:
        last = rows[-1]
        older = encode_cursor(last.created_at, last.id)
    elif scan.stopped and scan.position is not None:
        older = encode_cursor(*scan.position)
    count, at_least = (
        count_matches(session, compiled, filters, max_candidates=max_candidates)
        if with_count
        else (len(rows), more or scan.stopped)
    )
    return SearchPage(
        rows,
        older,
        count,
        at_least,
        scan.scanned,
        stopped_early=scan.stopped and not more,
        exact=compiled.prefilter.exact,
    )


def count_matches(
    session: Session,
    query: str | CompiledSearch,
    filters: SearchFilters | None = None,
    *,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
) -> tuple[int, bool]:
    """How many mentions ``query`` matches (with ``filters``): ``(count, at_least)``.

    Exact in SQL when the prefilter is exact (the unsure mentions, normally none, are checked
    in Python); otherwise every candidate is checked, up to ``max_candidates``.
    """
    compiled = _as_compiled(session, query)
    filters = filters or SearchFilters()
    prefilter = compiled.prefilter
    if prefilter.exact and prefilter.condition is not None:
        where = [*filters.clauses(), prefilter.condition]
        if prefilter.unsure is not None:
            where.append(not_(prefilter.unsure))
        count = int(
            session.execute(select(func.count()).select_from(Mention).where(*where)).scalar_one()
        )
        if prefilter.unsure is None:
            return count, False
        scan = Scan(session, compiled.node, [*filters.clauses(), prefilter.unsure], max_candidates)
        count += sum(1 for _row, _view, matched in scan if matched)
        return count, scan.stopped
    scan = candidate_scan(session, compiled, filters, max_candidates)
    count = sum(1 for _row, _view, matched in scan if matched)
    return count, scan.stopped
