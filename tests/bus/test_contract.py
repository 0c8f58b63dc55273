"""The MessageBus contract (sbu.bus.base), run on the in-memory bus and on NATS JetStream.

What only one implementation does (late durables, resuming after close) is tested in
test_memory.py and test_nats.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sbu.bus.base import Message, Outgoing
from sbu.bus.subjects import MENTION_COLLECTED, SCHEMAS, MentionCollected
from tests.bus.conftest import BusKit, Recorder, settle

pytestmark = pytest.mark.anyio


async def test_a_durable_gets_each_message_once(kit: BusKit) -> None:
    bus = await kit.make()
    seen = Recorder()
    await bus.subscribe(kit.subject(), seen, "reader")
    for n in range(3):
        await bus.publish(kit.subject(), {"n": n}, f"k{n}")
    await settle(bus)
    assert seen.keys == ["k0", "k1", "k2"]
    assert [m.payload for m in seen.messages] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert {m.attempt for m in seen.messages} == {1}
    assert {m.subject for m in seen.messages} == {kit.subject()}


async def test_two_durables_on_one_subject_both_get_every_message(kit: BusKit) -> None:
    bus = await kit.make()
    first, second = Recorder(), Recorder()
    await bus.subscribe(kit.subject(), first, "first")
    await bus.subscribe(kit.subject(), second, "second")
    await bus.publish_many([Outgoing(kit.subject(), {"n": n}, f"k{n}") for n in range(5)])
    await settle(bus)
    assert first.keys == second.keys == [f"k{n}" for n in range(5)]


async def test_a_durable_gets_only_its_subject(kit: BusKit) -> None:
    bus = await kit.make()
    seen = Recorder()
    await bus.subscribe(kit.subject("wanted"), seen, "reader")
    await bus.publish(kit.subject("other"), {"n": 1}, "other-1")
    await bus.publish(kit.subject("wanted"), {"n": 2}, "wanted-2")
    await settle(bus)
    assert seen.keys == ["wanted-2"]


async def test_the_same_key_published_twice_is_delivered_once(kit: BusKit) -> None:
    bus = await kit.make()
    seen = Recorder()
    await bus.subscribe(kit.subject(), seen, "reader")
    await bus.publish(kit.subject(), {"copy": 1}, "same")
    await bus.publish(kit.subject(), {"copy": 2}, "same")
    await bus.publish_many(
        [Outgoing(kit.subject(), {"copy": 3}, "same"), Outgoing(kit.subject(), {"n": 4}, "other")]
    )
    await settle(bus)
    assert seen.keys == ["same", "other"]
    assert seen.messages[0].payload == {"copy": 1}


async def test_the_same_key_on_two_subjects_is_two_messages(kit: BusKit) -> None:
    bus = await kit.make()
    collected, enriched = Recorder(), Recorder()
    await bus.subscribe(kit.subject("collected"), collected, "reader")
    await bus.subscribe(kit.subject("enriched"), enriched, "reader")
    await bus.publish(kit.subject("collected"), {"id": 7}, "mention:7")
    await bus.publish(kit.subject("enriched"), {"id": 7}, "mention:7")
    await settle(bus)
    assert collected.keys == enriched.keys == ["mention:7"]


async def test_a_failing_handler_gets_the_message_again(kit: BusKit) -> None:
    bus = await kit.make()
    seen = Recorder(fail=1)
    await bus.subscribe(kit.subject(), seen, "reader")
    await bus.publish(kit.subject(), {"n": 1}, "k1")
    await settle(bus)
    assert [(m.key, m.attempt) for m in seen.messages] == [("k1", 1), ("k1", 2)]
    assert seen.messages[0].payload == seen.messages[1].payload == {"n": 1}


async def test_a_message_that_always_fails_is_given_up_and_the_next_one_flows(
    kit: BusKit,
) -> None:
    bus = await kit.make(attempts=3)
    always = Recorder(fail=None)
    await bus.subscribe(kit.subject("poison"), always, "reader")
    await bus.publish(kit.subject("poison"), {"n": 1}, "poison")
    await settle(bus)
    assert [m.attempt for m in always.messages] == [1, 2, 3]

    healthy = Recorder()
    await bus.subscribe(kit.subject(), healthy, "reader")
    await bus.publish(kit.subject(), {"n": 2}, "fine")
    await settle(bus)
    assert healthy.keys == ["fine"]
    assert len(always.messages) == 3


async def test_one_failing_durable_does_not_hold_back_another(kit: BusKit) -> None:
    bus = await kit.make()
    failing, fine = Recorder(fail=2), Recorder()
    await bus.subscribe(kit.subject(), failing, "failing")
    await bus.subscribe(kit.subject(), fine, "fine")
    await bus.publish_many([Outgoing(kit.subject(), {"n": n}, f"k{n}") for n in range(3)])
    await settle(bus)
    assert fine.keys == ["k0", "k1", "k2"]
    assert sorted(m.key for m in failing.messages if m.attempt == 3) == ["k0", "k1", "k2"]


async def test_consumers_ignore_unknown_payload_fields(kit: BusKit) -> None:
    bus = await kit.make()
    parsed: list[MentionCollected] = []

    async def handler(message: Message) -> None:
        model = SCHEMAS[MENTION_COLLECTED].model_validate(message.payload)
        assert isinstance(model, MentionCollected)
        parsed.append(model)

    await bus.subscribe(kit.subject("mention"), handler, "reader")
    payload = {
        "version": 2,
        "mention_id": 12,
        "source_id": 3,
        "platform": "mastodon",
        "external_id": "109372",
        "created_at": "2026-11-27T08:30:00+00:00",
        "field_from_the_future": {"score": 0.5},
    }
    await bus.publish(kit.subject("mention"), payload, "mention:12")
    await settle(bus)
    assert len(parsed) == 1
    assert parsed[0].mention_id == 12
    assert parsed[0].created_at == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    assert parsed[0].model_extra == {"field_from_the_future": {"score": 0.5}}


async def test_order_per_subject_from_one_publisher_is_kept(kit: BusKit) -> None:
    bus = await kit.make()
    seen = Recorder()
    await bus.subscribe(kit.subject(), seen, "reader")
    # More than one NATS publishing chunk (2,000), then one by one.
    await bus.publish_many([Outgoing(kit.subject(), {"n": n}, f"k{n}") for n in range(2500)])
    for n in range(2500, 2520):
        await bus.publish(kit.subject(), {"n": n}, f"k{n}")
    await settle(bus)
    assert [m.payload["n"] for m in seen.messages] == list(range(2520))


async def test_payloads_travel_as_json_and_each_handler_gets_its_own_copy(kit: BusKit) -> None:
    bus = await kit.make()
    copies: list[dict[str, object]] = []

    async def vandal(message: Message) -> None:
        message.payload["tags"].append("changed by a handler")

    async def reader(message: Message) -> None:
        copies.append(message.payload)

    await bus.subscribe(kit.subject(), vandal, "vandal")
    await bus.subscribe(kit.subject(), reader, "reader")
    at = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    await bus.publish(kit.subject(), {"at": at, "tags": ("a", "b"), "text": "été"}, "k")
    await settle(bus)
    assert copies == [{"at": "2026-11-28T09:00:00+00:00", "tags": ["a", "b"], "text": "été"}]


@pytest.mark.parametrize(
    ("subject", "payload", "key", "error"),
    [
        ("two words", {}, "k", ValueError),
        ("mention.>", {}, "k", ValueError),
        ("{subject}", {}, "", ValueError),
        ("{subject}", {}, "line\nbreak", ValueError),
        ("{subject}", ["not", "an", "object"], "k", TypeError),
        ("{subject}", {"unencodable": {1, 2}}, "k", TypeError),
    ],
)
async def test_invalid_messages_are_refused_and_nothing_of_the_batch_is_sent(
    kit: BusKit, subject: str, payload: object, key: str, error: type[Exception]
) -> None:
    bus = await kit.make()
    seen = Recorder()
    await bus.subscribe(kit.subject(), seen, "reader")
    good = Outgoing(kit.subject(), {"n": 1}, "good")
    bad = Outgoing(subject.format(subject=kit.subject()), payload, key)  # type: ignore[arg-type]
    with pytest.raises(error) as raised:
        await bus.publish_many([good, bad])
    assert str(raised.value).endswith(".")
    await bus.publish(kit.subject(), {"n": 2}, "after")
    await settle(bus)
    assert seen.keys == ["after"]


async def test_subscribing_one_durable_twice_to_a_subject_is_refused(kit: BusKit) -> None:
    bus = await kit.make()
    await bus.subscribe(kit.subject(), Recorder(), "reader")
    with pytest.raises(ValueError, match="already subscribed"):
        await bus.subscribe(kit.subject(), Recorder(), "reader")


@pytest.mark.parametrize("durable", ["", "with space", "dotted.name", "x" * 65])
async def test_invalid_durable_names_are_refused(kit: BusKit, durable: str) -> None:
    bus = await kit.make()
    with pytest.raises(ValueError, match="not a valid durable name"):
        await bus.subscribe(kit.subject(), Recorder(), durable)


async def test_drain_returns_when_nothing_was_published(kit: BusKit) -> None:
    bus = await kit.make()
    seen = Recorder()
    await bus.subscribe(kit.subject(), seen, "reader")
    await settle(bus)
    assert seen.messages == []


async def test_drain_waits_for_messages_handlers_publish(kit: BusKit) -> None:
    bus = await kit.make()
    second = Recorder()

    async def relay(message: Message) -> None:
        await bus.publish(kit.subject("second"), message.payload, message.key)

    await bus.subscribe(kit.subject("first"), relay, "relay")
    await bus.subscribe(kit.subject("second"), second, "reader")
    await bus.publish_many([Outgoing(kit.subject("first"), {"n": n}, f"k{n}") for n in range(10)])
    await settle(bus)
    assert second.keys == [f"k{n}" for n in range(10)]
