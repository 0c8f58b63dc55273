"""The two extension interfaces for platforms: payload mappers and connectors.

A **payload mapper** turns one platform payload (a Mastodon status, a Reddit ``t3`` thing, an
RSS entry...) into a :class:`~sbu.listening.drafts.MentionDraft`. It is pure: no I/O, no clock,
the same payload always gives the same draft. It raises :class:`~sbu.core.errors.BadPayload`
with a sentence saying what is wrong when the payload cannot be mapped.

A **connector** is what a :class:`~sbu.listening.models.Source` runs. It validates its
configuration with ``settings_model`` and, when it can poll, fetches the next batch of raw items
from a cursor. It translates foreign failures into :mod:`sbu.core.errors` (``AuthFailed``,
``RateLimited``, ``Transient``, ``BadPayload``) at its boundary.

Built-ins use exactly these interfaces; third parties register theirs through the
``sbu.connectors`` entry point group (see docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel

from sbu.listening.drafts import MentionDraft, RawItem, Rejected


class Capability(StrEnum):
    POLL = "poll"  # fetch(cursor) returns new items since the cursor
    STREAM = "stream"  # stream(cursor) yields items as the platform pushes them
    SEARCH = "search"  # the platform's own search (queries derived from topics)
    IMPORT = "import"  # items are read from files or uploads
    PUSH = "push"  # items are pushed to sbu over HTTP (signed webhook)
    REPLY = "reply"  # reply(config, to, text) answers on the platform
    OWNED_CHANNEL = "owned-channel"  # the company's own pages (comments on owned posts)


class PayloadMapper(Protocol):
    @property
    def key(self) -> str: ...

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft: ...


@dataclass(slots=True)
class FetchContext:
    """What a connector may use while fetching: the time and the source's identity."""

    now: datetime
    source_id: int
    source_name: str
    settings: Any = None


@dataclass(frozen=True, slots=True)
class Usage:
    """What a platform says of the quota or the cost a source uses; every field is optional.
    Shown on the Sources page, and the alerts warn before a quota or budget runs out."""

    quota_used: float | None = None
    quota_limit: float | None = None
    #: What the quota counts, for people: "units per day", "requests per 10 minutes".
    unit: str | None = None
    resets_at: datetime | None = None
    cost: float | None = None
    budget: float | None = None
    currency: str | None = None

    def as_json(self) -> dict[str, Any]:
        values = {
            "quota_used": self.quota_used,
            "quota_limit": self.quota_limit,
            "unit": self.unit,
            "resets_at": self.resets_at.isoformat() if self.resets_at else None,
            "cost": self.cost,
            "budget": self.budget,
            "currency": self.currency,
        }
        return {key: value for key, value in values.items() if value is not None}


@dataclass(slots=True)
class FetchResult:
    items: Sequence[RawItem]
    cursor: dict[str, Any] | None
    rejected: Sequence[Rejected] = ()
    #: Whether another fetch right away would return more (backfill in pages).
    more: bool = False
    notes: list[str] = field(default_factory=list)
    #: When the source's token expires, if the platform says so (shown, and alerted before).
    token_expires_at: datetime | None = None
    #: Quota or cost used, if the platform says so.
    usage: Usage | None = None


class Connector(Protocol):
    """What every connector declares: its key, a title for people, what it can do and the
    pydantic model that validates a source's configuration."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def capabilities(self) -> frozenset[Capability]: ...

    @property
    def settings_model(self) -> type[BaseModel]: ...


class PollingConnector(Connector, Protocol):
    """A connector with the ``poll`` capability: sbu calls ``fetch`` on a schedule."""

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """Return items newer than ``cursor`` and the cursor to save with them."""
        ...
