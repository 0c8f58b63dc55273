"""What a connector hands to the ingest service: a mention not yet stored.

Connectors map platform payloads to :class:`MentionDraft` with pure functions; the ingest
service validates drafts (:func:`check_draft`), de-duplicates them and stores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sbu.core.errors import BadPayload

PLATFORM_PATTERN = re.compile(r"^[a-z][a-z0-9_\-]{0,31}$")
MAX_EXTERNAL_ID = 255
MAX_URL = 2048


@dataclass(slots=True)
class AuthorDraft:
    external_id: str
    handle: str | None = None
    display_name: str | None = None
    url: str | None = None
    followers: int | None = None


@dataclass(slots=True)
class MentionDraft:
    platform: str
    external_id: str
    text: str
    created_at: datetime
    raw: dict[str, Any]
    url: str | None = None
    title: str | None = None
    language: str | None = None
    author: AuthorDraft | None = None
    metrics: dict[str, int] = field(default_factory=dict)
    parent_external_id: str | None = None
    thread_external_id: str | None = None
    repost_of_external_id: str | None = None
    annotations: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class RawItem:
    """One item as a connector received it, before mapping.

    ``mapper`` names the payload format (a key of the mapper registry); ``locator`` tells a
    human where the item came from ("line 17", "entry 3 of https://...") for error messages.
    """

    mapper: str
    payload: dict[str, Any]
    locator: str
    annotations: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """An item that could not even be read (bad JSON, bad encoding, line too long)."""

    locator: str
    reason: str
    payload: str


def check_draft(draft: MentionDraft, *, now: datetime, max_text_chars: int) -> None:
    """Raise :class:`BadPayload` with a precise sentence when ``draft`` cannot be stored."""
    if not PLATFORM_PATTERN.match(draft.platform or ""):
        msg = (
            f"The platform {draft.platform!r} is not a valid platform name: use lower-case letters, "
            "digits, '-' or '_' (for example 'mastodon' or 'news')."
        )
        raise BadPayload(msg)
    if not draft.external_id or not draft.external_id.strip():
        msg = "The item has no id: every item needs a unique id on its platform."
        raise BadPayload(msg)
    if len(draft.external_id) > MAX_EXTERNAL_ID:
        msg = f"The id is {len(draft.external_id)} characters long; the limit is {MAX_EXTERNAL_ID}."
        raise BadPayload(msg)
    text: object = draft.text  # third-party mappers are not type-checked
    if not isinstance(text, str):
        msg = "The text must be a string."
        raise BadPayload(msg)
    if len(draft.text) > max_text_chars:
        msg = (
            f"The text is {len(draft.text):,} characters long; the limit is {max_text_chars:,} "
            "(SBU_INGEST__MAX_TEXT_CHARS)."
        )
        raise BadPayload(msg)
    if not draft.text.strip() and not (draft.title and draft.title.strip()):
        msg = "The item has neither text nor title: there is nothing to listen to."
        raise BadPayload(msg)
    created = draft.created_at
    if created.tzinfo is None or created.utcoffset() is None:
        msg = f"The date {created.isoformat()} has no time zone; add one (for example 'Z' for UTC)."
        raise BadPayload(msg)
    if created > now + timedelta(days=1):
        msg = f"The date {created.isoformat()} is in the future; check the item's created_at."
        raise BadPayload(msg)
    if draft.url is not None and (
        len(draft.url) > MAX_URL or not draft.url.startswith(("http://", "https://"))
    ):
        msg = (
            f"The url {draft.url[:80]!r} is not an http(s) address of at most {MAX_URL} characters."
        )
        raise BadPayload(msg)
    for name, value in draft.metrics.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            msg = f"The metric {name!r} must be a whole number of at least 0, not {value!r}."
            raise BadPayload(msg)
