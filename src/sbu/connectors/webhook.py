"""The signed webhook: any platform or tool pushes posts to ``POST /api/v1/ingest/{source}``.

A ``webhook`` source has a signing secret. The sender signs each request with it, the way
Stripe and GitHub sign theirs:

- ``X-Sbu-Timestamp``: the time of sending, in Unix seconds;
- ``X-Sbu-Signature``: ``sha256=`` and the hex HMAC-SHA256 of ``"{timestamp}.{body}"`` (the
  timestamp, a dot, and the exact bytes of the body) keyed with the signing secret.

sbu refuses a request whose signature does not match (it was not sent by the holder of the
secret, or was changed on the way) and one whose timestamp is outside the source's replay window
(a captured request sent again later). Within the window a repeated request stores nothing twice:
storage is unique on platform and id.

The body is JSON: an array of items, or an object ``{"items": [...]}``, in the source's payload
format (``sbu`` records as in docs/listening/import-format.md, or the format of a built-in
payload mapper such as ``mastodon`` or ``reddit``). Each item is checked on its own: a malformed
one goes to the dead letters with its position and the others are stored.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from sbu.connectors.base import Capability
from sbu.core.errors import InvalidInput, Unauthenticated
from sbu.listening.drafts import RawItem, Rejected

TIMESTAMP_HEADER = "x-sbu-timestamp"
SIGNATURE_HEADER = "x-sbu-signature"
SIGNATURE_PREFIX = "sha256="
#: The largest body accepted, in bytes.
MAX_BODY_BYTES = 5_000_000
#: The most items in one request.
MAX_ITEMS = 5_000
_PREVIEW = 2_000


class WebhookSourceConfig(BaseModel):
    """A webhook source: its signing secret, the format of its items and its replay window."""

    model_config = ConfigDict(extra="forbid")

    signing_secret: SecretStr = Field(
        description="Shared with the sender, who signs each request with it (32+ characters)."
    )
    payload_format: str = Field(
        default="sbu",
        description="Format of the items: sbu (records), mastodon, bluesky, reddit, youtube...",
    )
    platform: str = Field(
        default="webhook",
        max_length=32,
        description="Platform of sbu records that do not say theirs.",
    )
    replay_window_seconds: int = Field(
        default=300,
        ge=30,
        le=3600,
        description="A request signed longer ago than this (or this far ahead) is refused.",
    )

    @field_validator("signing_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 32:
            msg = (
                "the signing secret must have 32 characters or more: generate one with "
                'python -c "import secrets; print(secrets.token_urlsafe(32))"'
            )
            raise ValueError(msg)
        return value


@dataclass(frozen=True)
class WebhookConnector:
    """Items pushed over HTTP and signed; nothing to poll."""

    key: str = "webhook"
    title: str = "Signed webhook"
    capabilities: frozenset[Capability] = frozenset({Capability.PUSH})
    settings_model: type[BaseModel] = WebhookSourceConfig


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of ``X-Sbu-Signature`` for this body sent at ``timestamp``."""
    message = timestamp.encode("ascii") + b"." + body
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    config: WebhookSourceConfig, headers: Mapping[str, str], body: bytes, now: datetime
) -> None:
    """Raise :class:`Unauthenticated` with what is wrong unless the request is signed with the
    source's secret within its replay window."""
    stamp = headers.get(TIMESTAMP_HEADER, "").strip()
    given = headers.get(SIGNATURE_HEADER, "").strip()
    if not stamp or not given:
        msg = (
            "Sign the request: send X-Sbu-Timestamp (Unix seconds) and X-Sbu-Signature "
            "(sha256= and the hex HMAC-SHA256 of 'TIMESTAMP.BODY' with the source's signing "
            "secret); see docs/listening/connectors/webhook.md."
        )
        raise Unauthenticated(msg)
    try:
        sent = int(stamp)
    except ValueError:
        msg = f"X-Sbu-Timestamp must be Unix seconds, such as {int(now.timestamp())}."
        raise Unauthenticated(msg) from None
    expected = signature(config.signing_secret.get_secret_value(), stamp, body)
    if not hmac.compare_digest(expected.encode(), given.encode()):
        msg = (
            "The signature does not match: sign the exact body bytes as 'TIMESTAMP.BODY' with "
            "HMAC-SHA256 and the source's signing secret, and send sha256=<hex digest>."
        )
        raise Unauthenticated(msg)
    drift = now.timestamp() - sent
    window = config.replay_window_seconds
    if abs(drift) > window:
        when = "old" if drift > 0 else "in the future"
        msg = (
            f"The request was signed {abs(drift):.0f} s {'ago' if drift > 0 else 'ahead'}: "
            f"requests signed more than {window} s {when} are refused as replays. Sign each "
            "request when sending it, and check the sender's clock."
        )
        raise Unauthenticated(msg)


def parse_items(body: bytes, payload_format: str) -> tuple[list[RawItem], list[Rejected]]:
    """The items of a webhook body; an item that is not a JSON object is rejected alone."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        msg = f'The body is not valid JSON ({exc}): send an array of items or {{"items": [...]}}.'
        raise InvalidInput(msg) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        msg = 'The body must be a JSON array of items or an object {"items": [...]}.'
        raise InvalidInput(msg)
    if len(data) > MAX_ITEMS:
        msg = f"The body holds {len(data):,} items; send at most {MAX_ITEMS:,} per request."
        raise InvalidInput(msg)
    items: list[RawItem] = []
    rejected: list[Rejected] = []
    for index, item in enumerate(data, start=1):
        locator = f"item {index}"
        if isinstance(item, dict):
            items.append(RawItem(payload_format, item, locator))
        else:
            reason = (
                f"Item {index} is a JSON {type(item).__name__}, not an object: each item must be "
                "one post as a JSON object."
            )
            rejected.append(Rejected(locator, reason, _preview(item)))
    return items, rejected


def _preview(item: Any) -> str:
    try:
        return orjson.dumps(item).decode()[:_PREVIEW]
    except TypeError:
        return repr(item)[:_PREVIEW]
