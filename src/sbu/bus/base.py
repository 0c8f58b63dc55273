"""The MessageBus port.

Contract (both implementations pass the same tests, tests/bus/test_contract.py; the reasons and
the NATS stream configuration are in docs/messaging.md):

- ``publish(subject, payload, key)`` delivers ``payload`` (a JSON object) to every durable
  subscriber of ``subject``. Payloads travel as JSON: a handler receives its own decoded copy, so
  dates arrive as ISO 8601 strings and tuples as lists, on every implementation.
- ``key`` is the idempotency key: publishing the same key twice on the same subject delivers
  once (within the implementation's de-duplication window). The same key on two subjects is two
  messages.
- ``subscribe(subject, handler, durable)`` registers ``handler`` under the durable name; each
  durable name of a subject receives every message once. A handler that raises gets the message
  again later, with ``Message.attempt`` one higher (at-least-once), up to the bus's maximum
  number of attempts, after which the message is logged and dropped; handlers must therefore be
  idempotent, which sbu's storage (unique keys) makes easy.
- Messages of one subject from one publisher are handled in the order they were published,
  except that a message given again after a failure comes after the ones published later.
- Whether a durable that subscribes late receives the messages published before it subscribed
  depends on the implementation: JetStream keeps them (per the stream's limits), the in-memory
  bus does not (it keeps nothing, and nothing survives the process).
- Publishers call ``publish`` after their database transaction committed, never before.
- Consumers ignore payload fields they do not know, so producers may add fields.
- ``close()`` ends delivery; subscriptions do not survive it (JetStream durables resume where they
  stopped when the same durable subscribes again, from any process).

Subjects are dot-separated tokens of letters, digits, ``_`` and ``-`` (no wildcards); durable
names are 1 to 64 of the same characters.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from sbu.core.errors import BadPayload

_WORD = r"[A-Za-z0-9_-]+"
_SUBJECT = re.compile(rf"{_WORD}(?:\.{_WORD})*")
_DURABLE = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_KEY_LENGTH = 512


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    payload: dict[str, Any]
    key: str
    #: How many times this message has been delivered (1 on first delivery).
    attempt: int = 1


Handler = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to publish: subject, JSON-able payload and idempotency key."""

    subject: str
    payload: dict[str, Any]
    key: str


class MessageBus(Protocol):
    async def start(self) -> None:
        """Connect and get ready; called once before use."""

    async def close(self) -> None:
        """Stop delivering and release resources."""

    async def publish(self, subject: str, payload: dict[str, Any], key: str) -> None:
        """Publish one message; see the module docstring for the guarantees."""

    async def publish_many(self, messages: Sequence[Outgoing]) -> None:
        """Publish several messages, in order; returns when all are accepted."""

    async def subscribe(self, subject: str, handler: Handler, durable: str) -> None:
        """Deliver messages of ``subject`` to ``handler`` under the durable name ``durable``."""

    async def drain(self) -> None:
        """Wait until every message published so far through this bus has been handled (acked
        or given up) by this process's subscriptions, including messages their handlers publish
        meanwhile. For tests and orderly shutdown; it does not time out."""


def check_subject(subject: str) -> str:
    """Return ``subject`` if it is a valid concrete subject, else raise ValueError."""
    if not isinstance(subject, str) or not _SUBJECT.fullmatch(subject):
        msg = (
            f"{subject!r} is not a valid bus subject: use dot-separated words of letters, "
            "digits, '_' or '-', such as 'mention.collected' (no spaces, no wildcards)."
        )
        raise ValueError(msg)
    return subject


def check_durable(durable: str) -> str:
    """Return ``durable`` if it is a valid durable name, else raise ValueError."""
    if not isinstance(durable, str) or not _DURABLE.fullmatch(durable):
        msg = (
            f"{durable!r} is not a valid durable name: use 1 to 64 letters, digits, '_' or '-', "
            "such as 'enrich'."
        )
        raise ValueError(msg)
    return durable


def check_key(key: str) -> str:
    """Return ``key`` if it is a valid idempotency key, else raise ValueError."""
    if (
        not isinstance(key, str)
        or not key
        or len(key) > MAX_KEY_LENGTH
        or any(c in key for c in "\r\n\0")
    ):
        msg = (
            f"{key!r} is not a valid idempotency key: use a non-empty string of at most "
            f"{MAX_KEY_LENGTH} characters without line breaks, such as 'mention:42'."
        )
        raise ValueError(msg)
    return key


def encode_payload(message: Outgoing) -> bytes:
    """Check a message and encode its payload as JSON (raises ValueError or TypeError)."""
    check_subject(message.subject)
    check_key(message.key)
    payload: object = message.payload  # callers outside mypy may pass anything
    if not isinstance(payload, dict):
        msg = f"The payload of {message.subject} must be a dict (a JSON object), not {type(payload).__name__}."
        raise TypeError(msg)
    try:
        return orjson.dumps(payload)
    except TypeError as exc:
        msg = f"The payload of {message.subject} (key {message.key!r}) cannot be encoded as JSON: {exc}."
        raise TypeError(msg) from exc


def decode_payload(data: bytes) -> dict[str, Any]:
    """Decode a payload received from the bus; raises BadPayload if it is not a JSON object."""
    try:
        payload = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        msg = f"A bus message is not valid JSON ({exc}); it was not published by sbu's bus."
        raise BadPayload(msg) from exc
    if not isinstance(payload, dict):
        msg = f"A bus message holds a JSON {type(payload).__name__}, not an object; it was not published by sbu's bus."
        raise BadPayload(msg)
    return payload
