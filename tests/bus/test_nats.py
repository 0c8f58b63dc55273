"""The NATS JetStream bus against a real NATS server: what only JetStream does (durables that
outlive a process, late subscribers, workers sharing a durable), the stream it creates, and how
it reports failures. The shared contract is in test_contract.py."""

from __future__ import annotations

import asyncio
import socket

import nats
import pytest
from nats.js.api import StorageType

from sbu.bootstrap import build_bus
from sbu.bus.base import Message, Outgoing
from sbu.bus.nats import MSG_ID, NatsBus, consumer_name, default_subjects, subject_matches
from sbu.bus.subjects import SCHEMAS
from sbu.core.errors import ConfigError, Transient
from sbu.settings import Settings
from tests.bus.conftest import BusKit, Recorder, delete_stream, settle

pytestmark = pytest.mark.anyio


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- without a server ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "subject", "expected"),
    [
        ("mention.>", "mention.collected", True),
        ("mention.>", "mention.enriched.v2", True),
        ("mention.>", "mention", False),
        ("mention.*", "mention.collected", True),
        ("mention.*", "mention.collected.x", False),
        ("mention.collected", "mention.collected", True),
        ("mention.collected", "mention.enriched", False),
        ("source.>", "mention.collected", False),
    ],
)
def test_subject_matching_follows_nats_wildcards(
    pattern: str, subject: str, expected: bool
) -> None:
    assert subject_matches(pattern, subject) is expected


def test_the_default_stream_subjects_cover_every_sbu_subject() -> None:
    subjects = default_subjects()
    assert subjects == ["mention.>", "source.>"]
    for subject in SCHEMAS:
        assert any(subject_matches(pattern, subject) for pattern in subjects), subject


def test_consumer_names_are_per_subject_and_valid_for_nats() -> None:
    assert consumer_name("mention.collected", "enrich") == "enrich_mention-collected"
    assert consumer_name("source.polled", "enrich") != consumer_name("mention.collected", "enrich")


def test_bootstrap_builds_a_nats_bus_from_the_settings() -> None:
    settings = Settings.model_validate(
        {"bus": {"backend": "nats", "nats_url": "nats://nats.internal:4222", "stream": "ACME"}}
    )
    bus = build_bus(settings)
    assert isinstance(bus, NatsBus)
    assert (bus.url, bus.stream) == ("nats://nats.internal:4222", "ACME")


async def test_an_unreachable_server_is_a_transient_error_that_says_what_to_do() -> None:
    url = f"nats://sbu:hunter2-secret@127.0.0.1:{closed_port()}"
    bus = NatsBus(url, connect_timeout=1.0)
    with pytest.raises(Transient) as raised:
        await bus.start()
    message = str(raised.value)
    assert f"127.0.0.1:{url.rsplit(':', 1)[1]}" in message
    assert "SBU_BUS__BACKEND=memory" in message
    assert "hunter2" not in message
    await bus.close()


async def test_using_a_bus_that_is_not_started_is_refused() -> None:
    bus = NatsBus(f"nats://127.0.0.1:{closed_port()}")
    with pytest.raises(RuntimeError, match="not started"):
        await bus.publish("mention.collected", {}, "k")
    with pytest.raises(RuntimeError, match="not started"):
        await bus.subscribe("mention.collected", Recorder(), "reader")


# -- with a server ---------------------------------------------------------------------------


async def test_start_creates_a_file_stream_with_a_duplicate_window(
    nats_kit: BusKit, nats_url: str
) -> None:
    await nats_kit.make()
    nc = await nats.connect(nats_url)
    try:
        info = await nc.jetstream().stream_info(nats_kit.stream)
    finally:
        await nc.close()
    assert info.config.subjects == [f"t{nats_kit.namespace}.>"]
    assert info.config.storage == StorageType.FILE
    assert info.config.duplicate_window == 120.0
    assert info.config.max_age == 7 * 86400.0


async def test_start_adds_missing_subjects_to_an_existing_stream(
    nats_kit: BusKit, nats_url: str
) -> None:
    await nats_kit.make()
    extra = f"u{nats_kit.namespace}.>"
    bus = await nats_kit.make(subjects=[f"t{nats_kit.namespace}.>", extra])
    seen = Recorder()
    await bus.subscribe(f"u{nats_kit.namespace}.thing", seen, "reader")
    await bus.publish(f"u{nats_kit.namespace}.thing", {"n": 1}, "k")
    await settle(bus)
    assert seen.keys == ["k"]
    nc = await nats.connect(nats_url)
    try:
        info = await nc.jetstream().stream_info(nats_kit.stream)
    finally:
        await nc.close()
    assert info.config.subjects == [f"t{nats_kit.namespace}.>", extra]


async def test_a_stream_whose_subjects_another_stream_holds_is_a_config_error(
    nats_kit: BusKit, nats_url: str
) -> None:
    await nats_kit.make()
    other = NatsBus(
        nats_url, stream=f"{nats_kit.stream}_OTHER", subjects=[f"t{nats_kit.namespace}.>"]
    )
    with pytest.raises(ConfigError, match="SBU_BUS__STREAM"):
        await other.start()
    await other.close()


async def test_subjects_outside_the_stream_are_refused(nats_kit: BusKit) -> None:
    bus = await nats_kit.make()
    with pytest.raises(ValueError, match="not in the stream"):
        await bus.publish("elsewhere.thing", {}, "k")
    with pytest.raises(ValueError, match="not in the stream"):
        await bus.subscribe("elsewhere.thing", Recorder(), "reader")


async def test_a_publish_nats_refuses_is_a_transient_error_naming_the_stream(
    nats_kit: BusKit, nats_url: str
) -> None:
    bus = await nats_kit.make()
    await delete_stream(nats_url, nats_kit.stream)  # as if an administrator removed it
    with pytest.raises(Transient) as raised:
        await bus.publish_many([Outgoing(nats_kit.subject(), {"n": n}, f"k{n}") for n in range(3)])
    message = str(raised.value)
    assert f"refused 3 of 3 message(s); the first is {nats_kit.subject()} 'k0'" in message
    assert f"the stream {nats_kit.stream} exists" in message
    assert "publishing again is safe" in message


async def test_messages_carry_the_subject_and_key_as_nats_msg_id(
    nats_kit: BusKit, nats_url: str
) -> None:
    bus = await nats_kit.make()
    seen = Recorder()
    await bus.subscribe(nats_kit.subject(), seen, "reader")
    await bus.publish(nats_kit.subject(), {"n": 1}, "mention:1")
    await settle(bus)
    assert seen.keys == ["mention:1"]
    nc = await nats.connect(nats_url)
    try:
        stored = await nc.jetstream().get_msg(nats_kit.stream, 1)
    finally:
        await nc.close()
    assert stored.headers is not None
    assert stored.headers[MSG_ID] == f"{nats_kit.subject()}:mention:1"


async def test_messages_published_before_a_durable_subscribes_are_delivered(
    nats_kit: BusKit,
) -> None:
    bus = await nats_kit.make()
    await bus.publish_many([Outgoing(nats_kit.subject(), {"n": n}, f"k{n}") for n in range(3)])
    seen = Recorder()
    await bus.subscribe(nats_kit.subject(), seen, "late")
    await settle(bus)
    assert seen.keys == ["k0", "k1", "k2"]


async def test_a_durable_resumes_after_close_without_redelivering_acked_messages(
    nats_kit: BusKit,
) -> None:
    first_bus = await nats_kit.make()
    first = Recorder()
    await first_bus.subscribe(nats_kit.subject(), first, "reader")
    await first_bus.publish_many(
        [Outgoing(nats_kit.subject(), {"n": n}, f"k{n}") for n in range(3)]
    )
    await settle(first_bus)
    await first_bus.close()
    assert first.keys == ["k0", "k1", "k2"]

    publisher = await nats_kit.make()
    await publisher.publish(nats_kit.subject(), {"n": 3}, "k3")  # while nobody listens
    second_bus = await nats_kit.make()
    second = Recorder()
    await second_bus.subscribe(nats_kit.subject(), second, "reader")
    await second_bus.publish(nats_kit.subject(), {"n": 4}, "k4")
    await settle(second_bus)
    assert second.keys == ["k3", "k4"]


async def test_workers_sharing_a_durable_handle_each_message_once_between_them(
    nats_kit: BusKit,
) -> None:
    workers = [await nats_kit.make(fetch_batch=5) for _ in range(3)]
    recorders = [Recorder() for _ in workers]
    for bus, recorder in zip(workers, recorders, strict=True):
        await bus.subscribe(nats_kit.subject(), recorder, "shared")
    publisher = workers[0]
    await publisher.publish_many(
        [Outgoing(nats_kit.subject(), {"n": n}, f"k{n}") for n in range(200)]
    )
    await settle(publisher)
    handled = sorted(key for recorder in recorders for key in recorder.keys)
    assert handled == sorted(f"k{n}" for n in range(200))


async def test_a_message_held_by_a_dead_worker_goes_to_another_one(nats_kit: BusKit) -> None:
    stuck_bus = await nats_kit.make(ack_wait=1.0, close_timeout=0.5)
    holding, release = asyncio.Event(), asyncio.Event()

    async def stuck(message: Message) -> None:
        holding.set()
        await release.wait()  # never acks: as if the process had died

    await stuck_bus.subscribe(nats_kit.subject(), stuck, "worker")
    await stuck_bus.publish(nats_kit.subject(), {"n": 1}, "k1")
    await asyncio.wait_for(holding.wait(), 30)

    rescue_bus = await nats_kit.make(ack_wait=1.0)
    rescued = Recorder()
    await rescue_bus.subscribe(nats_kit.subject(), rescued, "worker")
    for _ in range(300):
        if rescued.messages:
            break
        await asyncio.sleep(0.1)
    assert [(m.key, m.payload) for m in rescued.messages] == [("k1", {"n": 1})]
    assert rescued.messages[0].attempt >= 2
    await stuck_bus.close()  # cancels the stuck handler after close_timeout
    release.set()


async def test_a_message_that_is_not_json_is_dropped_and_the_next_one_flows(
    nats_kit: BusKit, nats_url: str
) -> None:
    bus = await nats_kit.make()
    seen = Recorder()
    await bus.subscribe(nats_kit.subject(), seen, "reader")
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(nats_kit.subject(), b"<not json>", headers={MSG_ID: "x"})
    finally:
        await nc.close()
    await bus.publish(nats_kit.subject(), {"n": 1}, "good")
    await settle(bus)
    assert seen.keys == ["good"]


async def test_close_is_idempotent_and_a_closed_bus_can_start_again(nats_kit: BusKit) -> None:
    bus = await nats_kit.make()
    await bus.subscribe(nats_kit.subject(), Recorder(), "reader")
    await bus.close()
    await bus.close()
    await bus.start()
    seen = Recorder()
    await bus.subscribe(nats_kit.subject(), seen, "reader")  # the subscription did not survive
    await bus.publish(nats_kit.subject(), {"n": 1}, "again")
    await settle(bus)
    assert seen.keys == ["again"]
