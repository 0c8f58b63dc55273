"""The in-process bus: one asyncio queue per durable subscription.

It keeps the contract of :mod:`sbu.bus.base` within one process. What it does not do, by nature:
it keeps nothing for durables that subscribe later, and nothing survives the process (messages
still queued when it closes are dropped, and counted in the log). The embedded mode therefore
subscribes its handlers before it publishes anything; the database stays the source of truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sbu.bus.base import (
    Handler,
    Message,
    Outgoing,
    check_durable,
    check_subject,
    decode_payload,
    encode_payload,
)

log = logging.getLogger(__name__)


class _Subscription:
    def __init__(self, subject: str, handler: Handler, durable: str, bus: MemoryBus) -> None:
        self.subject = subject
        self.handler = handler
        self.durable = durable
        self.bus = bus
        self.queue: asyncio.Queue[tuple[bytes, str, int]] = asyncio.Queue()
        #: Messages accepted and not finished yet: queued, being handled or waiting to retry.
        self.pending = 0
        self.idle = asyncio.Event()
        self.idle.set()
        self.task: asyncio.Task[None] | None = None
        self.retries: set[asyncio.Task[None]] = set()

    def put(self, data: bytes, key: str, attempt: int = 1) -> None:
        self.pending += 1
        self.idle.clear()
        self.queue.put_nowait((data, key, attempt))

    def _finished(self) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.idle.set()

    async def _redeliver_later(self, delay: float, data: bytes, key: str, attempt: int) -> None:
        await asyncio.sleep(delay)
        self.queue.put_nowait((data, key, attempt))

    def _schedule_retry(self, delay: float, data: bytes, key: str, attempt: int) -> None:
        task = asyncio.get_running_loop().create_task(
            self._redeliver_later(delay, data, key, attempt)
        )
        self.retries.add(task)
        task.add_done_callback(self.retries.discard)

    async def run(self) -> None:
        while True:
            data, key, attempt = await self.queue.get()
            message = Message(self.subject, decode_payload(data), key, attempt)
            try:
                await self.handler(message)
            except Exception:
                if attempt < self.bus.max_attempts:
                    delay = self.bus.retry_delay_for(attempt)
                    log.warning(
                        "Handler %s failed on %s %s (attempt %d); delivering it again in %.2gs.",
                        self.durable,
                        self.subject,
                        key,
                        attempt,
                        delay,
                        exc_info=True,
                    )
                    self._schedule_retry(delay, data, key, attempt + 1)
                    continue
                log.exception(
                    "Handler %s failed on %s %s %d times; giving up on this message.",
                    self.durable,
                    self.subject,
                    key,
                    attempt,
                )
            self._finished()


class MemoryBus:
    """Delivers within one process. Idempotency keys are remembered for the last
    ``dedupe_window`` messages (JetStream remembers them for a duration instead). A failed
    message is delivered again after ``retry_delay`` seconds, doubling up to ``max_retry_delay``,
    at most ``max_attempts`` times in all."""

    def __init__(
        self,
        dedupe_window: int = 100_000,
        max_attempts: int = 5,
        retry_delay: float = 0.5,
        max_retry_delay: float = 30.0,
    ) -> None:
        self._subscriptions: dict[str, list[_Subscription]] = {}
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._dedupe_window = dedupe_window
        self.max_attempts = max_attempts
        self._retry_delay = retry_delay
        self._max_retry_delay = max_retry_delay
        self._started = False

    def retry_delay_for(self, attempt: int) -> float:
        return float(min(self._retry_delay * 2 ** (attempt - 1), self._max_retry_delay))

    async def start(self) -> None:
        self._started = True
        for sub in self._all():
            self._ensure_task(sub)

    async def close(self) -> None:
        subscriptions = self._all()
        for sub in subscriptions:
            for task in [*sub.retries, *([sub.task] if sub.task else [])]:
                task.cancel()
        for sub in subscriptions:
            for task in [*sub.retries, *([sub.task] if sub.task else [])]:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if sub.pending:
                log.warning(
                    "The in-memory bus closed with %d message(s) of %s not handled by %s; "
                    "they are dropped.",
                    sub.pending,
                    sub.subject,
                    sub.durable,
                )
        self._subscriptions.clear()
        self._started = False

    async def publish(self, subject: str, payload: dict[str, Any], key: str) -> None:
        await self.publish_many([Outgoing(subject, payload, key)])

    async def publish_many(self, messages: Sequence[Outgoing]) -> None:
        encoded = [(m, encode_payload(m)) for m in messages]  # all checked before any is sent
        for message, data in encoded:
            marker = (message.subject, message.key)
            if marker in self._seen:
                continue
            self._seen[marker] = None
            if len(self._seen) > self._dedupe_window:
                self._seen.popitem(last=False)
            for sub in self._subscriptions.get(message.subject, ()):
                sub.put(data, message.key)

    async def subscribe(self, subject: str, handler: Handler, durable: str) -> None:
        check_subject(subject)
        check_durable(durable)
        subscriptions = self._subscriptions.setdefault(subject, [])
        if any(sub.durable == durable for sub in subscriptions):
            msg = f"The durable name {durable!r} is already subscribed to {subject!r}."
            raise ValueError(msg)
        sub = _Subscription(subject, handler, durable, self)
        subscriptions.append(sub)
        if self._started:
            self._ensure_task(sub)

    async def drain(self) -> None:
        while busy := [sub for sub in self._all() if sub.pending]:
            if not self._started:
                msg = "The in-memory bus is not started, so nothing is handled: call start() before drain()."
                raise RuntimeError(msg)
            await asyncio.gather(*(sub.idle.wait() for sub in busy))

    def _all(self) -> list[_Subscription]:
        return [sub for subs in self._subscriptions.values() for sub in subs]

    def _ensure_task(self, sub: _Subscription) -> None:
        if sub.task is None:
            sub.task = asyncio.get_running_loop().create_task(sub.run(), name=f"bus:{sub.durable}")
