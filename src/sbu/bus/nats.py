"""The NATS JetStream bus: the scale-out implementation of :class:`~sbu.bus.base.MessageBus`.

- ``start()`` connects and makes sure the stream exists: file storage, the subjects of
  :data:`~sbu.bus.subjects.SCHEMAS` (``mention.>``, ``source.>``...), a duplicate window
  (2 minutes by default) and a maximum age (7 days by default). An existing stream is kept as
  the administrator configured it; only missing subjects are added.
- ``publish_many()`` sends every message with the header ``Nats-Msg-Id: <subject>:<key>`` and
  waits for all PubAcks together (pipelined). JetStream drops a repeated id within the duplicate
  window, so publishing again after a failure is safe. The subject is part of the id because
  JetStream de-duplicates per stream, while the bus contract de-duplicates per subject.
- ``subscribe()`` creates or binds the durable pull consumer ``<durable>_<subject with - for .>``
  (explicit ack, ``ack_wait``, ``max_deliver``, deliver all) and runs a fetch loop that calls the
  handler, acks after it succeeded, naks with a growing delay when it raised, and terminates the
  message (logged) after ``max_deliver`` attempts. Several processes subscribing the same durable
  share its messages: that is how workers scale out.
- NATS failures become :class:`~sbu.core.errors.Transient` or :class:`~sbu.core.errors.ConfigError`
  with a sentence naming the server and what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import nats
import nats.errors
import nats.js.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)

from sbu.bus.base import (
    Handler,
    Message,
    Outgoing,
    check_durable,
    check_subject,
    decode_payload,
    encode_payload,
)
from sbu.bus.subjects import SCHEMAS
from sbu.core.errors import BadPayload, ConfigError, Transient

log = logging.getLogger(__name__)
MSG_ID = "Nats-Msg-Id"
#: Messages sent before waiting for their PubAcks (nats-py allows 4,000 in flight).
PUBLISH_CHUNK = 2000
_NATS_ERRORS = (nats.errors.Error, asyncio.TimeoutError, OSError)


def default_subjects() -> list[str]:
    """The stream's subjects: one ``<first word>.>`` per first word of sbu's subjects."""
    return sorted({f"{subject.split('.', 1)[0]}.>" for subject in SCHEMAS})


def consumer_name(subject: str, durable: str) -> str:
    """The JetStream consumer of ``durable`` on ``subject`` (a durable name is per subject)."""
    return f"{durable}_{subject.replace('.', '-')}"


def subject_matches(pattern: str, subject: str) -> bool:
    """Whether the NATS subject ``pattern`` (with ``*`` and ``>``) covers ``subject``."""
    words, parts = pattern.split("."), subject.split(".")
    for index, word in enumerate(words):
        if word == ">":
            return len(parts) > index
        if index >= len(parts) or (word not in ("*", parts[index])):
            return False
    return len(parts) == len(words)


def redact(url: str) -> str:
    """The server URL without credentials, for messages and logs."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        return parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host).geturl()
    return url


@dataclass(eq=False)
class _Subscription:
    subject: str
    durable: str
    name: str
    handler: Handler
    psub: JetStreamContext.PullSubscription
    task: asyncio.Task[None] | None = None
    progress: asyncio.Event = field(default_factory=asyncio.Event)


class NatsBus:
    """The bus over NATS JetStream; see the module docstring and docs/messaging.md."""

    def __init__(
        self,
        url: str,
        *,
        stream: str = "SBU",
        subjects: Sequence[str] | None = None,
        duplicate_window: float = 120.0,
        max_age: float = 7 * 86400.0,
        ack_wait: float = 30.0,
        max_deliver: int = 5,
        retry_delay: float = 1.0,
        max_retry_delay: float = 60.0,
        fetch_batch: int = 100,
        fetch_timeout: float = 1.0,
        connect_timeout: float = 5.0,
        request_timeout: float = 10.0,
        close_timeout: float = 10.0,
    ) -> None:
        self.url = url
        self.stream = stream
        self.subjects = list(subjects) if subjects is not None else default_subjects()
        self.duplicate_window = duplicate_window
        self.max_age = max_age
        self.ack_wait = ack_wait
        self.max_deliver = max_deliver
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.fetch_batch = fetch_batch
        self.fetch_timeout = fetch_timeout
        self.connect_timeout = connect_timeout
        self.request_timeout = request_timeout
        self.close_timeout = close_timeout
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._subs: dict[str, _Subscription] = {}
        self._published: dict[str, int] = {}  # subject -> highest stream sequence published
        self._closing = False

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        if self._nc is not None:
            return
        nc = Client()
        servers = [s.strip() for s in self.url.split(",") if s.strip()]
        try:
            await asyncio.wait_for(
                nc.connect(
                    servers=servers,
                    name="sbu",
                    connect_timeout=max(1, round(self.connect_timeout)),
                    max_reconnect_attempts=-1,  # a running worker waits for NATS to come back
                    reconnect_time_wait=2,
                    error_cb=self._on_error,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                ),
                self.connect_timeout,
            )
        except _NATS_ERRORS as exc:
            with contextlib.suppress(Exception):
                await nc.close()
            raise Transient(self._unreachable(exc)) from exc
        self._nc, self._js = nc, nc.jetstream(timeout=self.request_timeout)
        self._closing = False
        try:
            await self._ensure_stream()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        nc, subs = self._nc, list(self._subs.values())
        if nc is None:
            return
        self._closing = True
        tasks = [sub.task for sub in subs if sub.task is not None]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=self.close_timeout)
            for task in late:  # a handler still running: its message is not acked, so it comes back
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for sub in subs:
            with contextlib.suppress(*_NATS_ERRORS):
                await sub.psub.unsubscribe()
        self._nc = self._js = None
        self._subs.clear()
        self._published.clear()
        try:
            await nc.close()  # flushes the acks still buffered
        except _NATS_ERRORS:
            log.warning(
                "Closing the NATS connection to %s failed.", redact(self.url), exc_info=True
            )

    # -- publishing -----------------------------------------------------------------------

    async def publish(self, subject: str, payload: dict[str, Any], key: str) -> None:
        await self.publish_many([Outgoing(subject, payload, key)])

    async def publish_many(self, messages: Sequence[Outgoing]) -> None:
        encoded = [(m, encode_payload(m)) for m in messages]  # all checked before any is sent
        for message, _ in encoded:
            self._require_covered(message.subject)
        js = self._require_js()
        for start in range(0, len(encoded), PUBLISH_CHUNK):
            chunk = encoded[start : start + PUBLISH_CHUNK]
            try:
                results = await asyncio.wait_for(self._send(js, chunk), self.request_timeout)
            except _NATS_ERRORS as exc:
                msg = (
                    f"NATS at {redact(self.url)} did not confirm {len(chunk)} message(s) within "
                    f"{self.request_timeout:g} seconds ({type(exc).__name__}). Check that NATS is "
                    "running, then try again: publishing again is safe, repeated keys are dropped."
                )
                raise Transient(msg) from exc
            failed = [(m, r) for (m, _), r in zip(chunk, results, strict=True) if _failed(r)]
            if failed:
                message, error = failed[0]
                msg = (
                    f"NATS at {redact(self.url)} refused {len(failed)} of {len(chunk)} message(s); "
                    f"the first is {message.subject} {message.key!r} ({type(error).__name__}: "
                    f"{error}). Check that the stream {self.stream} exists and accepts this "
                    "subject, then try again: publishing again is safe, repeated keys are dropped."
                )
                raise Transient(msg) from (error if isinstance(error, BaseException) else None)
            for (message, _), ack in zip(chunk, results, strict=True):
                seq: int = getattr(ack, "seq", 0)
                if seq > self._published.get(message.subject, 0):
                    self._published[message.subject] = seq

    async def _send(self, js: JetStreamContext, chunk: list[tuple[Outgoing, bytes]]) -> list[Any]:
        """Send a chunk without waiting between messages (they leave in few writes), then wait
        for all PubAcks. No ``wait_stall``: it would yield after every message."""
        futures: list[asyncio.Future[Any]] = []
        try:
            for message, data in chunk:
                headers = {MSG_ID: f"{message.subject}:{message.key}"}
                futures.append(await js.publish_async(message.subject, data, headers=headers))
            return list(await asyncio.gather(*futures, return_exceptions=True))
        finally:
            for future in futures:  # after a timeout: frees nats-py's pending-publish slots
                if not future.done():
                    future.cancel()

    # -- consuming ------------------------------------------------------------------------

    async def subscribe(self, subject: str, handler: Handler, durable: str) -> None:
        check_subject(subject)
        check_durable(durable)
        self._require_covered(subject)
        js = self._require_js()
        name = consumer_name(subject, durable)
        if name in self._subs:
            msg = f"The durable name {durable!r} is already subscribed to {subject!r}."
            raise ValueError(msg)
        config = ConsumerConfig(
            description=f"sbu: durable {durable} on {subject}",
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait,
            max_deliver=self.max_deliver,
        )
        try:
            psub = await js.pull_subscribe(subject, durable=name, stream=self.stream, config=config)
        except _NATS_ERRORS as exc:
            msg = (
                f"NATS at {redact(self.url)} could not create or bind the consumer {name} on the "
                f"stream {self.stream} ({type(exc).__name__}: {exc}). Check that NATS is running "
                "with JetStream, then start sbu again."
            )
            raise Transient(msg) from exc
        sub = _Subscription(subject, durable, name, handler, psub)
        self._subs[name] = sub
        sub.task = asyncio.get_running_loop().create_task(self._consume(sub), name=f"bus:{name}")
        sub.task.add_done_callback(_log_crash)

    async def drain(self) -> None:
        """Wait until the durables of this process have handled (acked or given up) every
        message this bus published on their subjects, including those published meanwhile."""
        while True:
            targets = dict(self._published)
            for sub in list(self._subs.values()):
                if sub.subject in targets:
                    await self._wait_handled(sub, targets[sub.subject])
            if targets == self._published:
                return

    async def _wait_handled(self, sub: _Subscription, target: int) -> None:
        while True:
            sub.progress.clear()
            try:
                info = await sub.psub.consumer_info()
            except _NATS_ERRORS as exc:
                msg = f"NATS at {redact(self.url)} did not report on the consumer {sub.name} ({type(exc).__name__}). Check that NATS is running."
                raise Transient(msg) from exc
            if info.ack_floor is not None and info.ack_floor.stream_seq >= target:
                return
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(sub.progress.wait(), 0.1)

    async def _consume(self, sub: _Subscription) -> None:
        batch = 1  # wait for one message, then take what is there in batches
        while not self._stopping():
            try:
                msgs = await sub.psub.fetch(batch, timeout=self.fetch_timeout)
            except TimeoutError:  # nothing came (nats raises both kinds of timeout)
                batch = 1
                continue
            except _NATS_ERRORS as exc:
                if self._stopping():
                    return
                log.warning(
                    "Fetching from %s failed (%s: %s); trying again.",
                    sub.name,
                    type(exc).__name__,
                    exc,
                )
                await asyncio.sleep(1.0)
                continue
            batch = self.fetch_batch
            for index, msg in enumerate(msgs):
                if self._stopping():  # give the rest back at once rather than after ack_wait
                    for rest in msgs[index:]:
                        with contextlib.suppress(*_NATS_ERRORS):
                            await rest.nak()
                    return
                await self._handle(sub, msg)

    async def _handle(self, sub: _Subscription, msg: Msg) -> None:
        key = (msg.headers or {}).get(MSG_ID, "").removeprefix(f"{msg.subject}:")
        try:
            attempt = msg.metadata.num_delivered
            message = Message(msg.subject, decode_payload(msg.data), key, attempt)
        except (BadPayload, nats.errors.Error):
            log.exception("Dropping message %s of %s for %s.", key, msg.subject, sub.name)
            await self._reply(sub, msg, msg.term())
            return
        try:
            await sub.handler(message)
        except Exception:
            if attempt >= self.max_deliver:
                log.exception(
                    "Handler %s failed on %s %s %d times; giving up on this message.",
                    sub.durable,
                    msg.subject,
                    key,
                    attempt,
                )
                await self._reply(sub, msg, msg.term())
                return
            delay = min(self.retry_delay * 2 ** (attempt - 1), self.max_retry_delay)
            log.warning(
                "Handler %s failed on %s %s (attempt %d); delivering it again in %.2gs.",
                sub.durable,
                msg.subject,
                key,
                attempt,
                delay,
                exc_info=True,
            )
            await self._reply(sub, msg, msg.nak(delay=delay))
            return
        await self._reply(sub, msg, msg.ack())

    async def _reply(self, sub: _Subscription, msg: Msg, reply: Awaitable[None]) -> None:
        """Send an ack, nak or term; if it is lost, the message comes back after ack_wait."""
        try:
            await reply
        except _NATS_ERRORS:
            log.warning("Could not answer %s on %s.", msg.subject, sub.name, exc_info=True)
        finally:
            sub.progress.set()

    # -- helpers --------------------------------------------------------------------------

    async def _ensure_stream(self) -> None:
        js = self._require_js()
        try:
            try:
                info = await js.stream_info(self.stream)
            except nats.js.errors.NotFoundError:
                await js.add_stream(
                    StreamConfig(
                        name=self.stream,
                        description="sbu's messages (see docs/messaging.md).",
                        subjects=self.subjects,
                        storage=StorageType.FILE,
                        retention=RetentionPolicy.LIMITS,
                        discard=DiscardPolicy.OLD,
                        max_age=self.max_age,
                        duplicate_window=self.duplicate_window,
                    )
                )
                return
            present = list(info.config.subjects or [])
            missing = [s for s in self.subjects if s not in present]
            if missing:
                info.config.subjects = present + missing
                await js.update_stream(info.config)
        except nats.js.errors.APIError as exc:
            msg = (
                f"NATS at {redact(self.url)} refused the stream {self.stream} with subjects "
                f"{', '.join(self.subjects)} ({exc.description or exc}). Another stream may "
                "already hold these subjects: set SBU_BUS__STREAM to that stream, or remove it."
            )
            raise ConfigError(msg) from exc
        except (nats.errors.NoRespondersError, nats.js.errors.NoStreamResponseError) as exc:
            msg = (
                f"NATS at {redact(self.url)} does not have JetStream enabled. Start the server "
                "with JetStream (nats-server -js), or set SBU_BUS__BACKEND=memory."
            )
            raise ConfigError(msg) from exc
        except _NATS_ERRORS as exc:
            raise Transient(self._unreachable(exc)) from exc

    def _stopping(self) -> bool:
        return self._closing

    def _require_js(self) -> JetStreamContext:
        if self._js is None:
            msg = "The NATS bus is not started: call start() before publishing or subscribing."
            raise RuntimeError(msg)
        return self._js

    def _require_covered(self, subject: str) -> None:
        if not any(subject_matches(pattern, subject) for pattern in self.subjects):
            msg = (
                f"The subject {subject!r} is not in the stream {self.stream} "
                f"({', '.join(self.subjects)}): add it to sbu.bus.subjects.SCHEMAS."
            )
            raise ValueError(msg)

    def _unreachable(self, exc: BaseException) -> str:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return (
            f"sbu cannot reach NATS at {redact(self.url)} ({reason}). Start NATS with "
            "JetStream (nats-server -js) or fix SBU_BUS__NATS_URL, or set "
            "SBU_BUS__BACKEND=memory to run in one process."
        )

    async def _on_error(self, exc: Exception) -> None:
        log.warning("NATS at %s: %s: %s", redact(self.url), type(exc).__name__, exc)

    async def _on_disconnected(self) -> None:
        if not self._closing:
            log.warning("Disconnected from NATS at %s; reconnecting.", redact(self.url))

    async def _on_reconnected(self) -> None:
        log.info("Reconnected to NATS at %s.", redact(self.url))


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.error("The fetch loop %s stopped; restart the process.", task.get_name(), exc_info=exc)


def _failed(result: Any) -> bool:
    return isinstance(result, BaseException) or getattr(result, "seq", None) is None
