"""The in-process bus: asyncio queues, one per durable subscription."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sbu.bus.base import Handler, Message, Outgoing

log = logging.getLogger(__name__)


class _Subscription:
    def __init__(self, subject: str, handler: Handler, durable: str, max_attempts: int) -> None:
        self.subject = subject
        self.handler = handler
        self.durable = durable
        self.max_attempts = max_attempts
        self.queue: asyncio.Queue[Message] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            message = await self.queue.get()
            try:
                await self.handler(message)
            except Exception:
                if message.attempt < self.max_attempts:
                    log.warning(
                        "Handler %s failed on %s (attempt %d); delivering it again.",
                        self.durable,
                        message.key,
                        message.attempt,
                        exc_info=True,
                    )
                    retry = Message(
                        message.subject, message.payload, message.key, message.attempt + 1
                    )
                    self.queue.put_nowait(retry)
                else:
                    log.exception(
                        "Handler %s failed on %s %d times; giving up on this message.",
                        self.durable,
                        message.key,
                        message.attempt,
                    )
            finally:
                self.queue.task_done()


class MemoryBus:
    """Delivers within one process. Idempotency keys are remembered for the last
    ``dedupe_window`` messages, like JetStream's duplicate window."""

    def __init__(self, dedupe_window: int = 100_000, max_attempts: int = 5) -> None:
        self._subscriptions: dict[str, list[_Subscription]] = {}
        self._durables: set[tuple[str, str]] = set()
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._dedupe_window = dedupe_window
        self._max_attempts = max_attempts
        self._started = False

    async def start(self) -> None:
        self._started = True
        for subscriptions in self._subscriptions.values():
            for sub in subscriptions:
                self._ensure_task(sub)

    async def close(self) -> None:
        for subscriptions in self._subscriptions.values():
            for sub in subscriptions:
                if sub.task is not None:
                    sub.task.cancel()
        for subscriptions in self._subscriptions.values():
            for sub in subscriptions:
                if sub.task is not None:
                    with contextlib.suppress(asyncio.CancelledError):
                        await sub.task
                    sub.task = None
        self._started = False

    async def publish(self, subject: str, payload: dict[str, Any], key: str) -> None:
        marker = (subject, key)
        if marker in self._seen:
            return
        self._seen[marker] = None
        if len(self._seen) > self._dedupe_window:
            self._seen.popitem(last=False)
        for sub in self._subscriptions.get(subject, ()):
            sub.queue.put_nowait(Message(subject, payload, key))

    async def publish_many(self, messages: Sequence[Outgoing]) -> None:
        for message in messages:
            await self.publish(message.subject, message.payload, message.key)

    async def subscribe(self, subject: str, handler: Handler, durable: str) -> None:
        if (subject, durable) in self._durables:
            msg = f"The durable name {durable!r} is already subscribed to {subject!r}."
            raise ValueError(msg)
        self._durables.add((subject, durable))
        sub = _Subscription(subject, handler, durable, self._max_attempts)
        self._subscriptions.setdefault(subject, []).append(sub)
        if self._started:
            self._ensure_task(sub)

    async def drain(self) -> None:
        for subscriptions in list(self._subscriptions.values()):
            for sub in subscriptions:
                await sub.queue.join()

    def _ensure_task(self, sub: _Subscription) -> None:
        if sub.task is None:
            sub.task = asyncio.get_running_loop().create_task(sub.run(), name=f"bus:{sub.durable}")
