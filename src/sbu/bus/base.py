"""The MessageBus port.

Contract (both implementations pass the same tests, tests/bus/test_contract.py):

- ``publish(subject, payload, key)`` delivers ``payload`` (a JSON-able dict) to every durable
  subscriber of ``subject``. ``key`` is the idempotency key: publishing the same key twice on the
  same subject delivers once (within the implementation's de-duplication window).
- ``subscribe(subject, handler, durable)`` registers ``handler`` under the durable name; each
  durable name receives every message once. A handler that raises gets the message again
  (at-least-once); handlers must therefore be idempotent, which sbu's storage makes easy.
- Publishers call ``publish`` after their database transaction committed, never before.
- Consumers ignore payload fields they do not know, so producers may add fields.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


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
        """Wait until every message published so far has been handled (tests and shutdown)."""
