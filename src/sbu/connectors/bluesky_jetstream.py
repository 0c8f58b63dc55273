"""Following Bluesky's new posts over a Jetstream WebSocket.

Jetstream (``wss://jetstream2.us-east.bsky.network/subscribe``) sends every event of the
network as a JSON text frame. sbu asks for ``wantedCollections=app.bsky.feed.post`` (and
``wantedDids`` when the source lists accounts); :mod:`sbu.connectors.bluesky_events` sorts the
frames into new posts, rejected frames and the rest, which is skipped.

Every event carries ``time_us``, the microsecond Jetstream received it: it is the cursor.
Reconnecting with ``cursor=<time_us>`` replays what was missed; sbu rewinds a few seconds more,
as Jetstream advises, and drops the posts replayed twice with a small set of recent uris (the
ingest service's unique key drops any left). A dropped connection is opened again with the
backoff of the connector settings; after ``attempts`` failures in a row that delivered nothing,
streaming stops with ``Transient``.

:meth:`JetstreamReader.stream` yields batches (up to ``batch_events`` posts, or what came in
``batch_seconds``), and a heartbeat (no item, the cursor already saved) when a window passes
without news, so that the caller can stop a quiet stream; :meth:`JetstreamReader.read` reads
what is there since the cursor, for a poll. The WebSocket is opened with the ``websockets``
package, the only part of the connector that does not go through the HTTP API client (a stream
never ends as an answer does).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlencode

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.sync.client import connect

from sbu.connectors.api_client import RetryPolicy, Sleep
from sbu.connectors.base import FetchResult
from sbu.connectors.bluesky import POST_COLLECTION
from sbu.connectors.bluesky_events import PostFilter, StreamState, read_event
from sbu.core.errors import ConfigError, ConnectorError, Transient
from sbu.listening.drafts import RawItem, Rejected
from sbu.settings import ConnectorSettings

#: The largest frame accepted, in bytes (a post is far smaller).
MAX_FRAME_BYTES = 4_000_000
#: A connection open this long counts as working even if it delivered nothing.
LIVELY_SECONDS = 60.0


class Frames(Protocol):
    def recv(self, timeout: float | None = None) -> str | bytes: ...


OpenSocket = Callable[[str], AbstractContextManager[Frames]]


def subscribe_url(base: str, wanted_dids: Sequence[str], cursor_us: int | None) -> str:
    """The address to open: the collection filter, the accounts and the cursor."""
    params: list[tuple[str, str]] = [("wantedCollections", POST_COLLECTION)]
    params.extend(("wantedDids", did) for did in wanted_dids)
    if cursor_us is not None:
        params.append(("cursor", str(max(cursor_us, 0))))
    return f"{base}?{urlencode(params)}"


def websocket_opener(settings: ConnectorSettings, where: str) -> OpenSocket:
    """Opens Jetstream WebSockets, turning every failure into an sbu error sentence."""
    name = _capital(where)

    @contextmanager
    def open_socket(url: str) -> Iterator[Frames]:
        try:
            connection = connect(
                url,
                open_timeout=settings.timeout_seconds,
                user_agent_header=settings.user_agent,
                max_size=MAX_FRAME_BYTES,
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status == 429 or status >= 500:
                msg = (
                    f"{name} refused the connection for now (HTTP {status}): sbu tries again "
                    "later; if it lasts, use another Jetstream instance in jetstream_url."
                )
                raise Transient(msg) from None
            msg = (
                f"{name} refused the connection (HTTP {status}): check the source's "
                "jetstream_url (for example wss://jetstream2.us-east.bsky.network/subscribe)."
            )
            raise ConnectorError(msg) from None
        except InvalidURI:
            msg = f"{name} has an address sbu cannot open: check the source's jetstream_url."
            raise ConfigError(msg) from None
        except (InvalidHandshake, OSError, TimeoutError) as exc:
            reason = str(exc).strip()[:200] or type(exc).__name__
            msg = (
                f"{name} could not be reached ({reason}): sbu tries again later; if it lasts, "
                "check the network, or use another Jetstream instance in jetstream_url."
            )
            raise Transient(msg) from None
        with connection:
            yield connection

    return open_socket


@dataclass
class _Batch:
    items: list[RawItem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    started: float | None = None


@dataclass
class JetstreamReader:
    """Reads one source's Jetstream: ``where`` names it in messages, ``url`` makes the address
    to open for a cursor (None: live), ``open_socket`` opens it, ``keep`` filters the posts;
    ``retry``, ``sleep`` and ``rng`` pace the reconnections."""

    where: str
    url: Callable[[int | None], str]
    open_socket: OpenSocket
    keep: PostFilter
    retry: RetryPolicy
    sleep: Sleep
    rng: random.Random
    batch_events: int = 200
    batch_seconds: float = 1.0
    #: A batch without posts is still sent this often when the cursor moved (keywords
    #: filtering everything out), so a restart does not replay hours of the network.
    cursor_seconds: float = 10.0
    rewind_us: int = 5_000_000
    monotonic: Callable[[], float] = time.monotonic

    def stream(
        self, cursor: Mapping[str, Any] | None, connections: int | None = None
    ) -> Generator[FetchResult, None, None]:
        """Batches of new posts for as long as the caller iterates (or ``connections``
        connection attempts)."""
        state = StreamState.from_cursor(cursor)
        failures = attempts = 0
        while connections is None or attempts < connections:
            attempts += 1
            received, opened_at = state.received, None
            problem: Transient | None = None
            try:
                with self.open_socket(self.url(self._resume_at(state))) as socket:
                    opened_at = self.monotonic()
                    yield from self._batches(socket, state)
            except Transient as exc:
                problem = exc
            worked = state.received > received or (
                opened_at is not None and self.monotonic() - opened_at >= LIVELY_SECONDS
            )
            failures = 0 if worked else failures + 1
            if failures >= self.retry.attempts:
                last = f" ({problem})" if problem is not None else ""
                msg = (
                    f"The stream of {self.where} failed {failures} times in a row without "
                    f"delivering anything{last}: sbu stopped streaming it; polling the source "
                    "still works."
                )
                raise Transient(msg) from problem
            if connections is not None and attempts >= connections:
                return
            self.sleep(self.retry.backoff(max(failures - 1, 0), self.rng))

    def read(
        self, cursor: Mapping[str, Any] | None, now: datetime, *, seconds: float, events: int
    ) -> FetchResult:
        """What Jetstream has since the cursor (from ``now`` without one), for at most
        ``seconds`` or ``events``; ``more`` when it stopped before catching up."""
        state = StreamState.from_cursor(cursor)
        now_us = int(now.timestamp() * 1_000_000)
        start = self._resume_at(state) if state.time_us is not None else now_us
        state.time_us = state.time_us if state.time_us is not None else now_us
        batch = _Batch()
        notes: list[str] = []
        caught_up = False
        deadline = self.monotonic() + seconds
        with ExitStack() as stack:
            socket = self._enter(stack, self.url(start))
            for _ in range(events):
                wait = min(self.batch_seconds, deadline - self.monotonic())
                if wait <= 0:
                    break
                try:
                    frame = socket.recv(timeout=wait)
                except TimeoutError:
                    caught_up = wait >= self.batch_seconds  # quiet for a while: nothing left
                    break
                except ConnectionClosed:
                    caught_up = True
                    notes.append(
                        f"{_capital(self.where)} closed the connection while sbu read it; the "
                        "next poll goes on from the last post read."
                    )
                    break
                self._add(batch, read_event(frame, state, self.keep, self.where))
                if state.time_us is not None and state.time_us >= now_us:
                    caught_up = True
                    break
        return FetchResult(
            items=batch.items,
            cursor=state.cursor(),
            rejected=batch.rejected,
            more=not caught_up,
            notes=notes,
        )

    # -- internals -----------------------------------------------------------------------------

    def _resume_at(self, state: StreamState) -> int | None:
        return None if state.time_us is None else state.time_us - self.rewind_us

    def _enter(self, stack: ExitStack, url: str) -> Frames:
        """The opened socket, after up to ``attempts`` tries with backoff."""
        for attempt in range(self.retry.attempts):
            try:
                return stack.enter_context(self.open_socket(url))
            except Transient:
                if attempt + 1 >= self.retry.attempts:
                    raise
            self.sleep(self.retry.backoff(attempt, self.rng))
        raise AssertionError("unreachable")  # pragma: no cover

    def _batches(self, socket: Frames, state: StreamState) -> Iterator[FetchResult]:
        """Batches of one connection, and a heartbeat (nothing new, the saved cursor) when a
        batch window passed without one, so the caller can stop a quiet stream."""
        batch = _Batch()
        last_sent = last_yield = self.monotonic()
        while True:
            if batch.started is None:
                wait = self.batch_seconds
            else:
                wait = max(0.0, batch.started + self.batch_seconds - self.monotonic())
            try:
                frame = socket.recv(timeout=wait)
            except TimeoutError:
                pass
            except ConnectionClosed:
                if batch.items or batch.rejected or state.time_us != state.saved_us:
                    yield self._send(batch, state)
                return
            else:
                self._add(batch, read_event(frame, state, self.keep, self.where))
            now = self.monotonic()
            full = len(batch.items) + len(batch.rejected) >= self.batch_events
            due = batch.started is not None and now - batch.started >= self.batch_seconds
            moved = state.time_us != state.saved_us and now - last_sent >= self.cursor_seconds
            if full or due or moved:
                yield self._send(batch, state)
                batch, last_sent, last_yield = _Batch(), now, now
            elif now - last_yield >= self.batch_seconds:
                saved = {"time_us": state.saved_us} if state.saved_us is not None else None
                yield FetchResult(items=[], cursor=saved)
                last_yield = now

    def _send(self, batch: _Batch, state: StreamState) -> FetchResult:
        state.saved_us = state.time_us
        return FetchResult(items=batch.items, cursor=state.cursor(), rejected=batch.rejected)

    def _add(self, batch: _Batch, outcome: RawItem | Rejected | None) -> None:
        if outcome is None:
            return
        if batch.started is None:
            batch.started = self.monotonic()
        if isinstance(outcome, RawItem):
            batch.items.append(outcome)
        else:
            batch.rejected.append(outcome)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
