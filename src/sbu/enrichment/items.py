"""What enrichment stages read of a mention: its words, attributes and author, read in batches.

:class:`MentionItem` is one stored mention with its author's handle and name; :meth:`match_post`
turns it into the :class:`~sbu.listening.query.MatchPost` the query language evaluates, so topic
matching, re-matching and search over history all see a mention the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from sbu.listening.models import Author, Mention
from sbu.listening.query import MatchPost


@dataclass(frozen=True, slots=True)
class MentionItem:
    id: int
    source_id: int
    platform: str
    created_at: datetime
    title: str | None
    text: str
    language: str | None
    url: str | None
    author_handle: str | None
    author_name: str | None

    def match_post(self) -> MatchPost:
        """The mention as the query language reads it (hashtags are part of the text)."""
        return MatchPost(
            id=str(self.id),
            text=self.text,
            title=self.title,
            lang=self.language,
            platform=self.platform,
            author=self.author_handle,
            author_name=self.author_name,
            url=self.url,
        )


#: The columns of a MentionItem, in order.
ItemRow = tuple[int, int, str, datetime, str | None, str, str | None, str | None, str | None,
                str | None]  # fmt: skip


def _select() -> Select[*ItemRow]:
    return select(
        Mention.id,
        Mention.source_id,
        Mention.platform,
        Mention.created_at,
        Mention.title,
        Mention.text,
        Mention.language,
        Mention.url,
        Author.handle,
        Author.display_name,
    ).outerjoin(Author, Author.id == Mention.author_id)


def _items(session: Session, statement: Select[*ItemRow]) -> list[MentionItem]:
    return [MentionItem(*row) for row in session.execute(statement)]


def load_after(
    session: Session, after_id: int, limit: int, *, until_id: int | None = None
) -> list[MentionItem]:
    """Up to ``limit`` mentions with an id above ``after_id`` (and at most ``until_id``), by id."""
    if limit <= 0:
        return []
    statement = _select().where(Mention.id > after_id)
    if until_id is not None:
        statement = statement.where(Mention.id <= until_id)
    return _items(session, statement.order_by(Mention.id).limit(limit))


def load_ranges(
    session: Session, ranges: Sequence[tuple[int, int]], limit: int
) -> list[MentionItem]:
    """Up to ``limit`` mentions whose id is in one of the inclusive ``(first, last)`` ranges."""
    if limit <= 0 or not ranges:
        return []
    inside = or_(*(and_(Mention.id >= first, Mention.id <= last) for first, last in ranges))
    return _items(session, _select().where(inside).order_by(Mention.id).limit(limit))


def count_between(session: Session, after_id: int, until_id: int | None = None) -> int:
    """How many mentions have an id above ``after_id`` (and at most ``until_id``)."""
    statement = select(func.count()).select_from(Mention).where(Mention.id > after_id)
    if until_id is not None:
        statement = statement.where(Mention.id <= until_id)
    return int(session.execute(statement).scalar_one())
