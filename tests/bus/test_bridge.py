"""SyncBus: synchronous code (threads, the ingest service, the CLI) driving an asynchronous bus."""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections.abc import Iterator

import pytest

from sbu.bus.base import Message, MessageBus, Outgoing
from sbu.bus.bridge import THREAD_NAME, SyncBus
from sbu.bus.memory import MemoryBus
from sbu.bus.nats import NatsBus
from sbu.core.errors import Transient
from tests.bus.conftest import delete_stream


def bus_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


@pytest.fixture(params=["memory", pytest.param("nats", marks=pytest.mark.nats)])
def sync_bus(request: pytest.FixtureRequest) -> Iterator[tuple[SyncBus, str]]:
    """A SyncBus over each implementation, with the subject to use."""
    namespace = uuid.uuid4().hex[:12]
    subject = f"t{namespace}.event"
    inner: MessageBus
    url: str | None = None
    stream = f"SBUTEST_{namespace}"
    if request.param == "memory":
        inner = MemoryBus()
    else:
        url = request.getfixturevalue("nats_url")
        inner = NatsBus(url, stream=stream, subjects=[f"t{namespace}.>"], fetch_timeout=0.2)
    bus = SyncBus(inner)
    yield bus, subject
    bus.close()
    if url is not None:
        asyncio.run(delete_stream(url, stream))


def is_started(bus: SyncBus) -> bool:
    return bus.started


class ThreadRecorder:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.threads: set[str] = set()

    async def __call__(self, message: Message) -> None:
        await asyncio.sleep(0)  # a real coroutine, run on the bus loop
        self.threads.add(threading.current_thread().name)
        self.messages.append(message)


def test_publish_many_from_a_plain_thread_reaches_an_async_handler(
    sync_bus: tuple[SyncBus, str],
) -> None:
    bus, subject = sync_bus
    seen = ThreadRecorder()
    bus.subscribe(subject, seen, "reader")
    errors: list[BaseException] = []

    def producer() -> None:
        try:
            bus.publish_many([Outgoing(subject, {"n": n}, f"k{n}") for n in range(5)])
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=producer, name="producer")
    thread.start()
    thread.join(60)
    bus.drain()
    assert errors == []
    assert [m.key for m in seen.messages] == [f"k{n}" for n in range(5)]
    assert seen.threads == {THREAD_NAME}


def test_close_stops_the_bus_thread_and_the_bus_starts_again_on_next_use(
    sync_bus: tuple[SyncBus, str],
) -> None:
    bus, subject = sync_bus
    before = len(bus_threads())
    bus.publish_many([Outgoing(subject, {}, "k1")])
    assert is_started(bus)
    assert len(bus_threads()) == before + 1
    bus.close()
    bus.close()
    assert not is_started(bus)
    assert len(bus_threads()) == before

    seen = ThreadRecorder()
    bus.subscribe(subject, seen, "again")
    bus.publish_many([Outgoing(subject, {}, "k2")])
    bus.drain()
    assert "k2" in [m.key for m in seen.messages]


def test_publishing_nothing_does_not_start_the_bus() -> None:
    bus = SyncBus(MemoryBus())
    bus.publish_many([])
    bus.drain()
    assert not bus.started
    bus.close()


def test_an_invalid_payload_raises_in_the_calling_thread(sync_bus: tuple[SyncBus, str]) -> None:
    bus, subject = sync_bus
    with pytest.raises(TypeError, match="cannot be encoded as JSON"):
        bus.publish_many([Outgoing(subject, {"when": object()}, "k")])


def test_an_unreachable_nats_raises_transient_and_the_next_call_tries_again() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = len(bus_threads())
    bus = SyncBus(NatsBus(f"nats://127.0.0.1:{port}", connect_timeout=1.0))
    for _ in range(2):
        with pytest.raises(Transient, match="SBU_BUS__BACKEND=memory"):
            bus.publish_many([Outgoing("mention.collected", {}, "k")])
        assert not bus.started
        assert len(bus_threads()) == before
    bus.close()


def test_a_handler_calling_the_sync_facade_gets_an_error_instead_of_a_deadlock() -> None:
    bus = SyncBus(MemoryBus())
    errors: list[BaseException] = []

    async def handler(message: Message) -> None:
        try:
            bus.publish_many([Outgoing("other", {}, message.key)])
        except RuntimeError as exc:
            errors.append(exc)

    bus.subscribe("first", handler, "relay")
    bus.publish_many([Outgoing("first", {}, "k")])
    bus.drain()
    bus.close()
    assert len(errors) == 1
    assert "asyncio.to_thread" in str(errors[0])


def test_a_bus_that_does_not_answer_in_time_is_a_transient_error() -> None:
    bus = SyncBus(MemoryBus(), timeout=0.2)
    release = threading.Event()

    async def stuck(message: Message) -> None:
        while not release.is_set():
            await asyncio.sleep(0.01)

    bus.subscribe("s", stuck, "stuck")
    bus.publish_many([Outgoing("s", {}, "k")])
    with pytest.raises(Transient, match=r"did not answer within 0\.2 seconds"):
        bus.drain()
    release.set()
    bus.close()
