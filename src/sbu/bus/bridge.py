"""Run an asynchronous bus from synchronous code (CLI commands, the ingest service, threads).

The bus lives in an event loop on a background thread; synchronous callers hand it batches of
messages and wait until they are accepted. One hop per batch keeps publishing cheap.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

from sbu.bus.base import Handler, MessageBus, Outgoing

T = TypeVar("T")


class SyncBus:
    """A synchronous facade over a :class:`MessageBus`, started lazily."""

    def __init__(self, bus: MessageBus) -> None:
        self.bus = bus
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def run() -> None:
                    asyncio.set_event_loop(loop)
                    ready.set()
                    loop.run_forever()

                thread = threading.Thread(target=run, name="sbu-bus", daemon=True)
                thread.start()
                ready.wait()
                self._loop, self._thread = loop, thread
                self._call(self.bus.start())
            return self._loop

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float | None = 60.0) -> T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def publish_many(self, messages: Sequence[Outgoing]) -> None:
        if not messages:
            return
        self._ensure_started()
        self._call(self.bus.publish_many(messages))

    def subscribe(self, subject: str, handler: Handler, durable: str) -> None:
        self._ensure_started()
        self._call(self.bus.subscribe(subject, handler, durable))

    def drain(self) -> None:
        if self._loop is not None:
            self._call(self.bus.drain())

    def close(self) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self.bus.close(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
