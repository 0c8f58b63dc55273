"""Tables of the listening mission: sources, authors, mentions, dead letters, ingest runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sbu.db.base import Base
from sbu.db.types import BigIntPK, JsonDoc, UtcDateTime


class Source(Base):
    """A configured connector instance: a file import, a feed, a demo platform..."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    connector: Mapped[str] = mapped_column(String(50))
    config: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    cursor: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    poll_interval_seconds: Mapped[int | None] = mapped_column(Integer)
    purpose: Mapped[str | None] = mapped_column(String(500))
    retention_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_polled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    next_poll_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    #: The SecretStr fields of the configuration, encrypted (sbu.core.credentials).
    credentials: Mapped[str | None] = mapped_column(Text)
    #: Why sbu paused the source (credentials refused), until they are replaced or it resumes.
    paused_reason: Mapped[str | None] = mapped_column(Text)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: When the platform said the source's token expires.
    token_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Quota or cost the platform reported (sbu.connectors.base.Usage, as JSON).
    usage: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    #: The alert the source is in (failing, paused, stalled, token_expiring), None when well.
    alert: Mapped[str | None] = mapped_column(String(20))
    alerted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Author(Base):
    """A platform account that wrote at least one mention."""

    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(255))
    handle: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(2048))
    followers: Mapped[int | None] = mapped_column(BigInteger)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Mention(Base):
    """One collected post, with its raw payload kept beside the mapped fields."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        Index("ix_mentions_created_at_id", "created_at", "id"),
        Index("ix_mentions_source_id_created_at", "source_id", "created_at"),
        Index(
            "ix_mentions_content_hash",
            "content_hash",
            sqlite_where=text("content_hash IS NOT NULL"),
            postgresql_where=text("content_hash IS NOT NULL"),
        ),
        Index(
            "ix_mentions_platform_parent",
            "platform",
            "parent_external_id",
            sqlite_where=text("parent_external_id IS NOT NULL"),
            postgresql_where=text("parent_external_id IS NOT NULL"),
        ),
        Index(
            "ix_mentions_duplicate_of_id",
            "duplicate_of_id",
            sqlite_where=text("duplicate_of_id IS NOT NULL"),
            postgresql_where=text("duplicate_of_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(2048))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("authors.id"))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    #: Folded text (lower case, no accents) that search compares with a folded needle.
    search_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    collected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    metrics: Mapped[dict[str, int]] = mapped_column(JsonDoc, default=dict)
    parent_external_id: Mapped[str | None] = mapped_column(String(255))
    thread_external_id: Mapped[str | None] = mapped_column(String(255))
    repost_of_external_id: Mapped[str | None] = mapped_column(String(255))
    #: Hash of the normalised text (see sbu.core.text.duplicate_key_text); None for short texts.
    content_hash: Mapped[int | None] = mapped_column(BigInteger)
    #: MinHash band keys of an original's text (5 little-endian int64), for the in-memory
    #: near-duplicate index (sbu.listening.near_index); None for duplicates and short texts.
    near_keys: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: repost, copy (same normalised text) or near (word overlap above the configured level).
    duplicate_kind: Mapped[str | None] = mapped_column(String(16))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("mentions.id"))
    raw: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    #: Labels that came with the item (for example the demo's scenario truth), never inferred.
    annotations: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)


class DeadLetter(Base):
    """An item that could not become a mention, with the reason, kept for inspection."""

    __tablename__ = "dead_letters"
    __table_args__ = (UniqueConstraint("source_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    locator: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    #: Hash of the locator and payload: the same bad item fed twice is stored once.
    fingerprint: Mapped[str] = mapped_column(String(64))


class IngestRun(Base):
    """One import or one poll of a source, with its counts."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    near_duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
