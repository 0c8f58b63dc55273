"""The in-memory bus: what it does differently from JetStream, by design (see its docstring).
The shared contract is in test_contract.py."""

from __future__ import annotations

import asyncio
import logging

import pytest

from sbu.bus.base import Outgoing
from sbu.bus.memory import MemoryBus
from tests.bus.conftest import Recorder, settle

pytestmark = pytest.mark.anyio


async def test_messages_published_before_a_durable_subscribes_are_not_kept() -> None:
    bus = MemoryBus()
    await bus.start()
    await bus.publish("mention.collected", {"n": 1}, "early")
    seen = Recorder()
    await bus.subscribe("mention.collected", seen, "late")
    await bus.publish("mention.collected", {"n": 2}, "on-time")
    await settle(bus)
    assert seen.keys == ["on-time"]
    await bus.close()


async def test_subscriptions_made_before_start_are_served_after_start() -> None:
    bus = MemoryBus()
    seen = Recorder()
    await bus.subscribe("mention.collected", seen, "reader")
    await bus.publish("mention.collected", {"n": 1}, "k1")
    with pytest.raises(RuntimeError, match="call start"):
        await bus.drain()
    assert seen.messages == []
    await bus.start()
    await settle(bus)
    assert seen.keys == ["k1"]
    await bus.close()


async def test_keys_are_remembered_for_the_last_dedupe_window_messages() -> None:
    bus = MemoryBus(dedupe_window=2)
    await bus.start()
    seen = Recorder()
    await bus.subscribe("s", seen, "reader")
    await bus.publish_many([Outgoing("s", {}, key) for key in ["a", "b", "a", "c", "d", "a"]])
    await settle(bus)
    # "a" is still remembered after "b", forgotten once "c" and "d" came after it.
    assert seen.keys == ["a", "b", "c", "d", "a"]
    await bus.close()


async def test_close_drops_what_is_not_handled_says_so_and_forgets_subscriptions(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = MemoryBus()
    await bus.start()
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(message: object) -> None:
        started.set()
        await release.wait()

    await bus.subscribe("s", slow, "slow")
    await bus.publish_many([Outgoing("s", {"n": n}, f"k{n}") for n in range(3)])
    await asyncio.wait_for(started.wait(), 30)
    with caplog.at_level(logging.WARNING, logger="sbu.bus.memory"):
        await bus.close()
    assert "3 message(s) of s not handled by slow" in caplog.text

    await bus.start()
    seen = Recorder()
    await bus.subscribe("s", seen, "slow")  # the old subscription is gone
    await bus.publish("s", {"n": 9}, "k9")
    await settle(bus)
    assert seen.keys == ["k9"]
    await bus.close()


async def test_a_retry_waiting_when_the_bus_closes_is_cancelled() -> None:
    bus = MemoryBus(retry_delay=3600)
    await bus.start()
    seen = Recorder(fail=1)
    await bus.subscribe("s", seen, "reader")
    await bus.publish("s", {}, "k")
    for _ in range(100):
        if seen.messages:
            break
        await asyncio.sleep(0.01)
    await bus.close()  # returns although a retry was due in an hour
    assert [m.attempt for m in seen.messages] == [1]


def test_the_retry_delay_doubles_up_to_its_maximum() -> None:
    bus = MemoryBus(retry_delay=0.5, max_retry_delay=3.0)
    assert [bus.retry_delay_for(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
