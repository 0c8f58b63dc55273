"""Run an asynchronous bus from synchronous code (CLI commands, the ingest service, threads).

The bus lives in an event loop on a background thread (named ``sbu-bus``), started lazily by the
first call; synchronous callers hand it batches of messages and wait until they are accepted.
One hop per batch keeps publishing cheap. Exceptions raised by the bus (for example
:class:`~sbu.core.errors.Transient` when NATS is unreachable) surface in the calling thread, and
a bus that failed to start is started again by the next call.

Handlers run on the bus thread: they must not call this facade (that would wait for the thread
they block), and they must move blocking work (database sessions) to a worker thread with
``asyncio.to_thread``; code running there may use this facade again.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

from sbu.bus.base import Handler, MessageBus, Outgoing
from sbu.core.errors import Transient

T = TypeVar("T")
log = logging.getLogger(__name__)
THREAD_NAME = "sbu-bus"


class SyncBus:
    """A synchronous facade over a :class:`MessageBus`, started lazily."""

    def __init__(self, bus: MessageBus, timeout: float = 60.0) -> None:
        self.bus = bus
        self.timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self._loop is not None

    def publish_many(self, messages: Sequence[Outgoing]) -> None:
        if not messages:
            return
        self._call(self.bus.publish_many(messages))

    def subscribe(self, subject: str, handler: Handler, durable: str) -> None:
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
        try:
            asyncio.run_coroutine_threadsafe(self.bus.close(), loop).result(self.timeout)
        finally:
            _stop(loop, thread)

    # -- internals ------------------------------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        if threading.current_thread() is self._thread:
            coro.close()
            msg = (
                "A bus handler called the synchronous bus facade, which would wait forever for "
                "its own thread: await the bus (app.bus.bus) directly, or run the blocking code "
                "with asyncio.to_thread."
            )
            raise RuntimeError(msg)
        try:
            loop = self._ensure_started()
        except BaseException:
            coro.close()
            raise
        return self._wait(asyncio.run_coroutine_threadsafe(coro, loop))

    def _wait(self, future: concurrent.futures.Future[T]) -> T:
        try:
            return future.result(self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            msg = (
                f"The message bus did not answer within {self.timeout:g} seconds. Check that "
                "the bus server (NATS) is reachable and not overloaded, then try again."
            )
            raise Transient(msg) from None

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is not None:
                return self._loop
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                ready.set()
                loop.run_forever()

            thread = threading.Thread(target=run, name=THREAD_NAME, daemon=True)
            thread.start()
            ready.wait()
            try:
                self._wait(asyncio.run_coroutine_threadsafe(self.bus.start(), loop))
            except BaseException:
                _stop(loop, thread)
                raise
            self._loop, self._thread = loop, thread
            return loop


def _stop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    """Stop the loop, cancel what still runs on it, join the thread and close the loop."""

    async def cancel_rest() -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    try:
        asyncio.run_coroutine_threadsafe(cancel_rest(), loop).result(10)
    except Exception:  # a task refusing to stop must not keep the process alive
        log.warning("Some bus tasks did not stop cleanly.", exc_info=True)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    if not thread.is_alive():
        loop.close()
