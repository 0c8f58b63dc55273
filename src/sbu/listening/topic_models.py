"""Tables of topics: the topics, their version history, their matches and re-match jobs.

A topic is a named boolean query (sbu.listening.query) owned by a department. Every change to a
topic writes a :class:`TopicVersion` (never deleted), the enrichment stage ``topic_match``
records which mentions match which topic in :class:`TopicMatch`, and a change of query (or a
re-activation) queues a :class:`RematchJob` that rewrites the topic's matches over history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sbu.db.base import Base
from sbu.db.types import BigIntPK, JsonDoc, UtcDateTime


class Topic(Base):
    """A named query about an actor (own brand, competitor...) or a theme, owned by a department.

    ``version`` counts the changes: it is the number of the newest :class:`TopicVersion`.
    ``examples`` are the topic's tests: ``[{"text": ..., "expect": "match" | "no_match", ...}]``
    (sbu.listening.topic_tests).
    """

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    query: Mapped[str] = mapped_column(Text)
    #: own_brand, competitor, partner, supplier, influencer or theme.
    subject_kind: Mapped[str] = mapped_column(String(20))
    #: The actor's or the theme's name ("Ondine Télécom", "Pannes réseau").
    subject_name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    examples: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Who created it, as the audit log writes actors (user:ana@example.com, cli:root).
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))


class TopicVersion(Base):
    """A snapshot of every field of a topic after one change, with its author and note."""

    __tablename__ = "topic_versions"
    __table_args__ = (UniqueConstraint("topic_id", "version"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    version: Mapped[int] = mapped_column(Integer)
    #: created, edited, activated or deactivated.
    change: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    query: Mapped[str] = mapped_column(Text)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean)
    examples: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    #: The actor as the audit log writes it (user:ana@example.com, cli:root, api...).
    author: Mapped[str] = mapped_column(String(200))
    author_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    #: The member's name at the time, or the actor's name for the command line.
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)


class TopicMatch(Base):
    """A mention matches a topic (as of ``topic_version`` of its query)."""

    __tablename__ = "topic_matches"
    __table_args__ = (Index("ix_topic_matches_topic_id_mention_id", "topic_id", "mention_id"),)

    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), primary_key=True)
    topic_version: Mapped[int] = mapped_column(Integer)
    matched_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RematchJob(Base):
    """Rewriting one topic's matches over the mentions stored before its query changed.

    The job covers mentions up to ``until_id`` (those the ``topic_match`` stage had processed
    when the job was queued); ``position`` is the last mention id rewritten, committed with
    ``done`` after each chunk, so a restarted worker resumes there.
    """

    __tablename__ = "rematch_jobs"
    __table_args__ = (Index("ix_rematch_jobs_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    topic_version: Mapped[int] = mapped_column(Integer)
    #: queued, running, done, failed or cancelled.
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    done: Mapped[int] = mapped_column(BigInteger, default=0)
    until_id: Mapped[int] = mapped_column(BigInteger, default=0)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The worker running it (a random id per worker), to resume or take over a stalled job.
    worker: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)
