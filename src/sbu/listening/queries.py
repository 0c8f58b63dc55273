"""Read models of the listening mission, for pages, the API and the CLI.

The stream uses keyset pagination on (created_at, id), so page 1,000 costs what page 1 costs,
and counts are capped (``COUNT_CAP``) so a filter over millions of mentions stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from sbu.core.text import fold
from sbu.db.sql import escape_like
from sbu.listening.models import Author, DeadLetter, IngestRun, Mention, Source
from sbu.listening.source_health import RECENT, State, state_of
from sbu.listening.topic_models import Topic, TopicMatch
from sbu.settings import AlertSettings

COUNT_CAP = 10_000
MAX_SEARCH_CHARS = 200
MAX_SEARCH_TERMS = 10
_TERM = re.compile(r'"([^"]+)"|(\S+)')


def search_terms(q: str) -> list[str]:
    """Folded terms of a search: every word must appear; "quoted words" as a phrase."""
    folded = fold(q.strip()[:MAX_SEARCH_CHARS])
    terms = [(phrase or word).strip() for phrase, word in _TERM.findall(folded)]
    return [t for t in terms if t][:MAX_SEARCH_TERMS]


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source with its counts and health (see sbu.listening.source_health)."""

    id: int
    name: str
    connector: str
    enabled: bool
    mentions: int
    poll_interval_seconds: int | None
    last_polled_at: datetime | None
    next_poll_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    dead_letters: int
    created_at: datetime
    paused_reason: str | None = None
    #: ok, failing, paused, stalled, disabled or waiting.
    state: State = "ok"
    last_success_at: datetime | None = None
    #: Mentions written in the last 24 hours, per hour.
    items_per_hour: float = 0.0
    #: Seconds since the newest mention of the source was written.
    lag_seconds: float | None = None
    token_expires_at: datetime | None = None
    usage: dict[str, Any] | None = None
    #: The alert the source is in (see sbu.listening.source_alerts), or None.
    alert: str | None = None
    #: The configuration asks to stream (followed live if its connector can stream).
    stream: bool = False


def list_sources(
    session: Session, now: datetime | None = None, alerts: AlertSettings | None = None
) -> list[SourceRow]:
    """Every source by name, with its counts and health. The mention figures are correlated
    subqueries on the index (source_id, created_at), one range per source."""
    now = now or datetime.now(UTC)
    alerts = alerts or AlertSettings()
    dead = dict(
        session.execute(
            select(DeadLetter.source_id, func.count()).group_by(DeadLetter.source_id)
        ).all()
    )

    def per_source(*columns: Any, where: Any = None) -> Any:
        query = select(*columns).where(Mention.source_id == Source.id)
        if where is not None:
            query = query.where(where)
        return query.correlate(Source).scalar_subquery()

    total = per_source(func.count())
    newest = per_source(func.max(Mention.created_at))
    recent = per_source(func.count(), where=Mention.created_at >= now - RECENT)
    hours = RECENT.total_seconds() / 3600
    rows = []
    for s, count, latest, fresh in session.execute(
        select(Source, total, newest, recent).order_by(Source.name)
    ).all():
        rows.append(
            SourceRow(
                s.id,
                s.name,
                s.connector,
                s.enabled,
                count or 0,
                s.poll_interval_seconds,
                s.last_polled_at,
                s.next_poll_at,
                s.last_error,
                s.consecutive_failures,
                dead.get(s.id, 0),
                s.created_at,
                s.paused_reason,
                state_of(s, now, alerts),
                s.last_success_at,
                round((fresh or 0) / hours, 2),
                max((now - latest).total_seconds(), 0.0) if latest else None,
                s.token_expires_at,
                s.usage,
                s.alert,
                bool((s.config or {}).get("stream")),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class DeadLetterRow:
    id: int
    source_id: int
    source_name: str
    received_at: datetime
    locator: str
    reason: str
    payload: str


@dataclass(frozen=True, slots=True)
class DeadLetterPage:
    rows: list[DeadLetterRow]
    total: int


def list_dead_letters(
    session: Session, *, source_id: int | None = None, limit: int = 50, offset: int = 0
) -> DeadLetterPage:
    query = select(DeadLetter, Source.name).join(Source, Source.id == DeadLetter.source_id)
    count = select(func.count()).select_from(DeadLetter)
    if source_id is not None:
        query = query.where(DeadLetter.source_id == source_id)
        count = count.where(DeadLetter.source_id == source_id)
    query = (
        query.order_by(DeadLetter.received_at.desc(), DeadLetter.id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = [
        DeadLetterRow(d.id, d.source_id, name, d.received_at, d.locator, d.reason, d.payload)
        for d, name in session.execute(query)
    ]
    return DeadLetterPage(rows, int(session.execute(count).scalar_one()))


@dataclass(frozen=True, slots=True)
class StreamFilters:
    source_id: int | None = None
    platform: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    #: Case- and accent-insensitive text search (substring of the folded text and title).
    q: str | None = None
    #: Hide reposts, copies and near-duplicates (show originals only).
    originals_only: bool = False
    #: Only the mentions recorded as matching this topic (sbu.listening.topic_models).
    topic_id: int | None = None

    def is_empty(self) -> bool:
        return all(
            v in (None, "", False)
            for v in (
                self.source_id,
                self.platform,
                self.language,
                self.since,
                self.until,
                self.q,
                self.originals_only,
                self.topic_id,
            )
        )


@dataclass(frozen=True, slots=True)
class MentionRow:
    id: int
    platform: str
    external_id: str
    url: str | None
    title: str | None
    text: str
    language: str | None
    created_at: datetime
    source_id: int
    source_name: str
    author_name: str | None
    author_handle: str | None
    metrics: dict[str, int]
    duplicate_kind: str | None
    duplicate_of_id: int | None
    parent_external_id: str | None


@dataclass(frozen=True, slots=True)
class StreamPage:
    rows: list[MentionRow]
    #: Keyset cursors: pass ``before`` for older mentions, ``after`` for newer ones.
    older: str | None
    newer: str | None
    #: Matching mentions, counted up to COUNT_CAP (``count_capped`` then says "or more").
    count: int
    count_capped: bool


SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


def _apply_filters(query: SelectT, f: StreamFilters) -> SelectT:
    if f.source_id is not None:
        query = query.where(Mention.source_id == f.source_id)
    if f.platform:
        query = query.where(Mention.platform == f.platform)
    if f.language:
        query = query.where(Mention.language == f.language)
    if f.since is not None:
        query = query.where(Mention.created_at >= f.since)
    if f.until is not None:
        query = query.where(Mention.created_at < f.until)
    for term in search_terms(f.q or ""):
        query = query.where(Mention.search_text.like(f"%{escape_like(term)}%", escape="\\"))
    if f.originals_only:
        query = query.where(Mention.duplicate_kind.is_(None))
    if f.topic_id is not None:
        matched = select(TopicMatch.mention_id).where(TopicMatch.topic_id == f.topic_id)
        query = query.where(Mention.id.in_(matched))
    return query


def encode_cursor(created_at: datetime, mention_id: int) -> str:
    return f"{created_at.timestamp():.6f}_{mention_id}"


def decode_cursor(value: str) -> tuple[datetime, int] | None:
    from datetime import UTC

    try:
        stamp, mention_id = value.split("_", 1)
        return datetime.fromtimestamp(float(stamp), UTC), int(mention_id)
    except (ValueError, OverflowError, OSError):
        return None


def stream(
    session: Session,
    filters: StreamFilters,
    *,
    limit: int = 50,
    before: str | None = None,
    after: str | None = None,
) -> StreamPage:
    """Newest first. ``before``/``after`` are cursors from a previous page."""
    author = aliased(Author)
    base = (
        select(Mention, Source.name, author.display_name, author.handle)
        .join(Source, Source.id == Mention.source_id)
        .outerjoin(author, author.id == Mention.author_id)
    )
    query = _apply_filters(base, filters)
    ascending = False
    if before and (position := decode_cursor(before)):
        at, mention_id = position
        query = query.where(
            or_(Mention.created_at < at, and_(Mention.created_at == at, Mention.id < mention_id))
        )
    elif after and (position := decode_cursor(after)):
        at, mention_id = position
        query = query.where(
            or_(Mention.created_at > at, and_(Mention.created_at == at, Mention.id > mention_id))
        )
        ascending = True
    order = (
        (Mention.created_at.asc(), Mention.id.asc())
        if ascending
        else (Mention.created_at.desc(), Mention.id.desc())
    )
    fetched = list(session.execute(query.order_by(*order).limit(limit + 1)))
    has_more = len(fetched) > limit
    fetched = fetched[:limit]
    if ascending:
        fetched.reverse()
    rows = [
        MentionRow(
            m.id,
            m.platform,
            m.external_id,
            m.url,
            m.title,
            m.text,
            m.language,
            m.created_at,
            m.source_id,
            source_name,
            author_name,
            handle,
            m.metrics or {},
            m.duplicate_kind,
            m.duplicate_of_id,
            m.parent_external_id,
        )
        for m, source_name, author_name, handle in fetched
    ]
    older = newer = None
    if rows:
        first, last = rows[0], rows[-1]
        if ascending:
            older = encode_cursor(last.created_at, last.id)
            newer = encode_cursor(first.created_at, first.id) if has_more else None
        else:
            older = encode_cursor(last.created_at, last.id) if has_more else None
            newer = encode_cursor(first.created_at, first.id) if (before or after) else None
    count, capped = count_mentions(session, filters)
    return StreamPage(rows, older, newer, count, capped)


def count_mentions(
    session: Session, filters: StreamFilters, cap: int = COUNT_CAP
) -> tuple[int, bool]:
    inner = _apply_filters(select(Mention.id), filters).limit(cap + 1).subquery()
    count = int(session.execute(select(func.count()).select_from(inner)).scalar_one())
    return min(count, cap), count > cap


def newest_cursor(session: Session, filters: StreamFilters) -> str | None:
    query = _apply_filters(select(Mention.created_at, Mention.id), filters)
    row = session.execute(
        query.order_by(Mention.created_at.desc(), Mention.id.desc()).limit(1)
    ).first()
    return encode_cursor(row[0], row[1]) if row else None


def count_newer(session: Session, filters: StreamFilters, cursor: str, cap: int = 1000) -> int:
    """How many mentions arrived above ``cursor`` (the "N new mentions" banner)."""
    position = decode_cursor(cursor)
    if position is None:
        return 0
    at, mention_id = position
    query = _apply_filters(select(Mention.id), filters).where(
        or_(Mention.created_at > at, and_(Mention.created_at == at, Mention.id > mention_id))
    )
    inner = query.limit(cap).subquery()
    return int(session.execute(select(func.count()).select_from(inner)).scalar_one())


@dataclass(slots=True)
class MentionDetail:
    mention: Mention
    source: Source
    author: Author | None
    parent: Mention | None
    replies: list[Mention] = field(default_factory=list)
    original: Mention | None = None
    #: How many mentions repeat this one (when it is an original).
    repeated_by: int = 0


def mention_detail(session: Session, mention_id: int) -> MentionDetail | None:
    mention = session.get(Mention, mention_id)
    if mention is None:
        return None
    source = session.get(Source, mention.source_id)
    assert source is not None
    author = session.get(Author, mention.author_id) if mention.author_id else None
    parent = None
    if mention.parent_external_id:
        parent = session.execute(
            select(Mention).where(
                Mention.platform == mention.platform,
                Mention.external_id == mention.parent_external_id,
            )
        ).scalar_one_or_none()
    replies = list(
        session.execute(
            select(Mention)
            .where(
                Mention.platform == mention.platform,
                Mention.parent_external_id == mention.external_id,
            )
            .order_by(Mention.created_at)
            .limit(50)
        ).scalars()
    )
    original = session.get(Mention, mention.duplicate_of_id) if mention.duplicate_of_id else None
    repeated_by = int(
        session.execute(
            select(func.count()).select_from(Mention).where(Mention.duplicate_of_id == mention.id)
        ).scalar_one()
    )
    return MentionDetail(mention, source, author, parent, replies, original, repeated_by)


@dataclass(frozen=True, slots=True)
class Facets:
    platforms: list[str]
    languages: list[str]
    sources: list[tuple[int, str]]


def facets(session: Session) -> Facets:
    """Values for the stream's filter menus."""
    platforms = sorted(session.execute(select(Mention.platform).distinct()).scalars())
    languages = sorted(
        lang for lang in session.execute(select(Mention.language).distinct()).scalars() if lang
    )
    sources = [
        (s.id, s.name) for s in session.execute(select(Source).order_by(Source.name)).scalars()
    ]
    return Facets(platforms, languages, sources)


def topic_options(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every topic by name, for the stream's topic filter."""
    rows = session.execute(select(Topic.id, Topic.name).order_by(func.lower(Topic.name), Topic.id))
    return [(topic_id, name) for topic_id, name in rows]


def last_runs(session: Session, source_id: int, limit: int = 10) -> list[IngestRun]:
    return list(
        session.execute(
            select(IngestRun)
            .where(IngestRun.source_id == source_id)
            .order_by(IngestRun.started_at.desc())
            .limit(limit)
        ).scalars()
    )
