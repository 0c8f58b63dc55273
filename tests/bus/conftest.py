"""Bus fixtures: a kit that makes started buses of one kind in a private namespace.

Each test gets its own subject prefix and, on NATS, its own stream (deleted afterwards), so tests
never see each other's messages. NATS runs when SBU_TEST_NATS_URL is set; SBU_TEST_REQUIRE=nats
turns its absence into a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import nats
import nats.js.errors
import pytest

from sbu.bus.base import Message, MessageBus
from sbu.bus.memory import MemoryBus
from sbu.bus.nats import NatsBus
from tests.conftest import NATS_URL, require_or_skip

#: Upper bound for a drain in tests: a guard against hanging, not a timing assertion.
SETTLE_SECONDS = 60.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def nats_url() -> str:
    if not NATS_URL:
        require_or_skip("nats", "SBU_TEST_NATS_URL is not set")
    assert NATS_URL is not None
    return NATS_URL


async def delete_stream(url: str, stream: str) -> None:
    nc = await nats.connect(url)
    try:
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await nc.jetstream().delete_stream(stream)
    finally:
        await nc.close()


class BusKit:
    """Makes started buses of one kind; the buses of one kit share a stream and subjects."""

    def __init__(self, kind: str, url: str | None = None) -> None:
        self.kind = kind
        self.url = url
        self.namespace = uuid.uuid4().hex[:12]
        self.stream = f"SBUTEST_{self.namespace}"
        self.buses: list[MessageBus] = []

    def subject(self, name: str = "event") -> str:
        return f"t{self.namespace}.{name}"

    def new(self, *, attempts: int = 5, **options: Any) -> MessageBus:
        """A bus that is not started yet (``attempts`` is the maximum number of deliveries)."""
        bus: MessageBus
        if self.kind == "memory":
            bus = MemoryBus(max_attempts=attempts, retry_delay=0.01, **options)
        else:
            assert self.url is not None
            settings: dict[str, Any] = {
                "stream": self.stream,
                "subjects": [f"t{self.namespace}.>"],
                "max_deliver": attempts,
                "retry_delay": 0.01,
                "fetch_timeout": 0.2,
                **options,
            }
            bus = NatsBus(self.url, **settings)
        self.buses.append(bus)
        return bus

    async def make(self, **options: Any) -> MessageBus:
        bus = self.new(**options)
        await bus.start()
        return bus

    async def aclose(self) -> None:
        for bus in self.buses:
            await bus.close()
        if self.kind == "nats":
            assert self.url is not None
            await delete_stream(self.url, self.stream)


@pytest.fixture
async def nats_kit(nats_url: str) -> AsyncIterator[BusKit]:
    kit = BusKit("nats", nats_url)
    yield kit
    await kit.aclose()


@pytest.fixture
async def memory_kit() -> AsyncIterator[BusKit]:
    kit = BusKit("memory")
    yield kit
    await kit.aclose()


@pytest.fixture(params=["memory", pytest.param("nats", marks=pytest.mark.nats)])
def kit(request: pytest.FixtureRequest) -> BusKit:
    """The same test on the in-memory bus and on NATS JetStream."""
    found: BusKit = request.getfixturevalue(f"{request.param}_kit")
    return found


class Recorder:
    """A handler that records what it receives and raises for the first ``fail`` deliveries
    of each key (or for every delivery when ``fail`` is None)."""

    def __init__(self, fail: int | None = 0) -> None:
        self.fail = fail
        self.messages: list[Message] = []

    async def __call__(self, message: Message) -> None:
        self.messages.append(message)
        if self.fail is None or message.attempt <= self.fail:
            msg = f"recorder refuses {message.key} (attempt {message.attempt})"
            raise RuntimeError(msg)

    @property
    def keys(self) -> list[str]:
        return [m.key for m in self.messages]


async def settle(bus: MessageBus) -> None:
    """Drain the bus, failing the test instead of hanging if it never settles."""
    await asyncio.wait_for(bus.drain(), SETTLE_SECONDS)
