"""Response models of the JSON API: they make the OpenAPI document precise.

Families: mentions (summary, page, detail), sources, dead letters, health, errors. Builders
turn the listening read models (:mod:`sbu.listening.queries`) into these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from sbu.listening.models import Author, Mention
from sbu.listening.queries import DeadLetterRow, MentionDetail, MentionRow, SourceRow

DuplicateKind = Literal["repost", "copy", "near"]


class ErrorOut(BaseModel):
    detail: str = Field(description="What is wrong and what to do next, in one sentence.")


#: The OpenAPI description of a 422 answer, shared by the routes that take parameters.
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "A parameter cannot be used; see the detail."}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Nothing has this id."}
}


class SourceRef(BaseModel):
    id: int
    name: str


class AuthorRef(BaseModel):
    name: str | None = Field(description="Display name on the platform.")
    handle: str | None


class MentionSummary(BaseModel):
    """A mention as the stream lists it."""

    id: int
    platform: str
    external_id: str = Field(description="The post's id on its platform.")
    url: str | None
    title: str | None
    text: str
    language: str | None
    created_at: datetime
    source: SourceRef
    author: AuthorRef | None
    metrics: dict[str, int]
    duplicate_kind: DuplicateKind | None = Field(
        description="repost, copy (same text) or near (near-duplicate); null for an original."
    )
    duplicate_of_id: int | None = Field(description="The original this mention repeats.")
    parent_external_id: str | None = Field(description="The post this one replies to.")


class MentionPage(BaseModel):
    items: list[MentionSummary]
    next: str | None = Field(description="Cursor of older mentions: pass it as `before`.")
    prev: str | None = Field(description="Cursor of newer mentions: pass it as `after`.")
    count: int = Field(description="Mentions matching the filters, counted up to 10,000.")
    count_capped: bool = Field(description="True when more mentions match than `count` says.")


class NewCount(BaseModel):
    count: int = Field(description="Mentions newer than the cursor that match the filters.")
    capped: bool = Field(description="True when there are at least this many (the count stops).")


class AuthorOut(BaseModel):
    id: int
    platform: str
    external_id: str
    handle: str | None
    display_name: str | None
    url: str | None
    followers: int | None
    first_seen_at: datetime
    last_seen_at: datetime


class SourceOut(BaseModel):
    id: int
    name: str
    connector: str


class RelatedMention(BaseModel):
    """A mention linked to another one: parent, reply or original."""

    id: int
    platform: str
    external_id: str
    url: str | None
    text: str
    created_at: datetime


class MentionDetailOut(BaseModel):
    id: int
    platform: str
    external_id: str
    url: str | None
    title: str | None
    text: str
    language: str | None
    created_at: datetime
    collected_at: datetime
    metrics: dict[str, int]
    parent_external_id: str | None
    thread_external_id: str | None
    repost_of_external_id: str | None
    duplicate_kind: DuplicateKind | None
    duplicate_of_id: int | None
    source: SourceOut
    author: AuthorOut | None
    parent: RelatedMention | None
    replies: list[RelatedMention] = Field(description="Up to 50 replies, oldest first.")
    original: RelatedMention | None = Field(description="The original, for a duplicate.")
    repeated_by: int = Field(description="How many mentions repeat this one.")
    annotations: dict[str, Any] | None = Field(
        description="Labels that came with the item (for example the demo scenario's truth)."
    )
    raw: dict[str, Any] = Field(description="The payload exactly as the platform sent it.")


SourceStatus = Literal["ok", "failing", "disabled", "waiting", "paused", "stalled"]


class SourceStatusOut(BaseModel):
    id: int
    name: str
    connector: str
    enabled: bool
    status: SourceStatus = Field(
        description=(
            "ok; failing (the last poll failed); disabled; waiting (never polled yet); paused "
            "(the platform refused the credentials: see paused_reason); stalled (no successful "
            "poll for several poll intervals)."
        )
    )
    mentions: int
    dead_letters: int
    poll_interval_seconds: int | None
    last_polled_at: datetime | None
    next_poll_at: datetime | None
    last_error: str | None
    paused_reason: str | None = Field(
        description="Why sbu paused the source, until new credentials are saved or it is enabled."
    )
    consecutive_failures: int
    created_at: datetime
    last_success_at: datetime | None = Field(description="The last poll that succeeded.")
    items_per_hour: float = Field(
        description="Mentions of the source written in the last 24 hours, per hour."
    )
    lag_seconds: float | None = Field(
        description="How old the source's newest mention is, in seconds (null: none yet)."
    )
    token_expires_at: datetime | None = Field(
        description="When the source's token expires, when the platform says so."
    )
    usage: dict[str, Any] | None = Field(
        description=(
            "Quota or cost the platform reported: quota_used, quota_limit, unit, resets_at, "
            "cost, budget, currency (each optional)."
        )
    )
    alert: str | None = Field(
        description="The alert the source is in: paused, failing, stalled, quota or token_expiring."
    )


class DeadLetterOut(BaseModel):
    id: int
    source: SourceRef
    received_at: datetime
    locator: str = Field(description="Where the item came from, e.g. 'line 17'.")
    reason: str
    payload: str = Field(description="The item as received (text, possibly truncated).")


class DeadLetterPageOut(BaseModel):
    items: list[DeadLetterOut]
    total: int
    limit: int
    offset: int


class DatabaseHealth(BaseModel):
    reachable: bool
    schema_up_to_date: bool
    revision: str | None
    head: str | None


class BusHealth(BaseModel):
    backend: Literal["memory", "nats"]


class HealthOut(BaseModel):
    status: Literal["ok", "unavailable"]
    version: str
    database: DatabaseHealth
    bus: BusHealth


# -- builders ------------------------------------------------------------------------------


def mention_summary(row: MentionRow) -> MentionSummary:
    author = (
        AuthorRef(name=row.author_name, handle=row.author_handle)
        if row.author_name or row.author_handle
        else None
    )
    return MentionSummary(
        id=row.id,
        platform=row.platform,
        external_id=row.external_id,
        url=row.url,
        title=row.title,
        text=row.text,
        language=row.language,
        created_at=row.created_at,
        source=SourceRef(id=row.source_id, name=row.source_name),
        author=author,
        metrics=row.metrics,
        duplicate_kind=row.duplicate_kind,
        duplicate_of_id=row.duplicate_of_id,
        parent_external_id=row.parent_external_id,
    )


def related(mention: Mention | None) -> RelatedMention | None:
    if mention is None:
        return None
    return RelatedMention.model_validate(mention, from_attributes=True)


def author_out(author: Author | None) -> AuthorOut | None:
    return None if author is None else AuthorOut.model_validate(author, from_attributes=True)


def mention_detail_out(detail: MentionDetail) -> MentionDetailOut:
    m = detail.mention
    return MentionDetailOut(
        id=m.id,
        platform=m.platform,
        external_id=m.external_id,
        url=m.url,
        title=m.title,
        text=m.text,
        language=m.language,
        created_at=m.created_at,
        collected_at=m.collected_at,
        metrics=m.metrics or {},
        parent_external_id=m.parent_external_id,
        thread_external_id=m.thread_external_id,
        repost_of_external_id=m.repost_of_external_id,
        duplicate_kind=m.duplicate_kind,
        duplicate_of_id=m.duplicate_of_id,
        source=SourceOut(
            id=detail.source.id, name=detail.source.name, connector=detail.source.connector
        ),
        author=author_out(detail.author),
        parent=related(detail.parent),
        replies=[RelatedMention.model_validate(r, from_attributes=True) for r in detail.replies],
        original=related(detail.original),
        repeated_by=detail.repeated_by,
        annotations=m.annotations,
        raw=m.raw,
    )


def source_status(row: SourceRow) -> SourceStatus:
    return row.state


def source_status_out(row: SourceRow) -> SourceStatusOut:
    return SourceStatusOut(
        id=row.id,
        name=row.name,
        connector=row.connector,
        enabled=row.enabled,
        status=source_status(row),
        mentions=row.mentions,
        dead_letters=row.dead_letters,
        poll_interval_seconds=row.poll_interval_seconds,
        last_polled_at=row.last_polled_at,
        next_poll_at=row.next_poll_at,
        last_error=row.last_error,
        paused_reason=row.paused_reason,
        consecutive_failures=row.consecutive_failures,
        created_at=row.created_at,
        last_success_at=row.last_success_at,
        items_per_hour=row.items_per_hour,
        lag_seconds=row.lag_seconds,
        token_expires_at=row.token_expires_at,
        usage=row.usage,
        alert=row.alert,
    )


def dead_letter_out(row: DeadLetterRow) -> DeadLetterOut:
    return DeadLetterOut(
        id=row.id,
        source=SourceRef(id=row.source_id, name=row.source_name),
        received_at=row.received_at,
        locator=row.locator,
        reason=row.reason,
        payload=row.payload,
    )
