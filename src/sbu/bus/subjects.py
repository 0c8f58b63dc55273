"""Every subject sbu publishes, with the schema of its payload.

This module is the written contract of messages between processes. ``docs/messaging.md`` holds
a JSON example per subject, and ``tests/bus/test_subjects.py`` validates each example against
the schema here. Consumers must ignore fields they do not know (``extra="allow"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

MENTION_COLLECTED = "mention.collected"
SOURCE_POLLED = "source.polled"
SOURCE_ALERT = "source.alert"


class _Payload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    version: int = Field(default=1, description="Schema version of this payload.")


class MentionCollected(_Payload):
    """A new mention was stored (published after the commit, once per mention)."""

    mention_id: int
    source_id: int
    platform: str
    external_id: str
    created_at: AwareDatetime
    language: str | None = None
    duplicate_kind: str | None = Field(
        default=None, description="repost, copy or near when the mention repeats another one."
    )
    duplicate_of_id: int | None = None


class SourcePolled(_Payload):
    """A source was polled (successfully or not)."""

    source_id: int
    source_name: str
    connector: str
    started_at: AwareDatetime
    finished_at: AwareDatetime
    ok: bool
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    error: str | None = None
    next_poll_at: AwareDatetime | None = None


class SourceAlertPayload(_Payload):
    """A source fell ill (paused, failing, stalled, quota, token_expiring) or recovered."""

    source_id: int
    source_name: str
    connector: str
    kind: str = Field(description="paused, failing, stalled, quota, token_expiring or recovered.")
    previous: str | None = Field(default=None, description="The alert it was in before.")
    message: str = Field(description="What happened and what to do, in a sentence.")
    at: AwareDatetime


SCHEMAS: Mapping[str, type[_Payload]] = MappingProxyType(
    {
        MENTION_COLLECTED: MentionCollected,
        SOURCE_POLLED: SourcePolled,
        SOURCE_ALERT: SourceAlertPayload,
    }
)
