"""Raw items: payload plus the scenario truth, with the documented fields and values."""

from __future__ import annotations

from sbu.demo.generator import TRUTH_VERSION, Generator
from sbu.demo.kinds import AUTHOR_ROLES, DEPARTMENTS, INTENTS, SENTIMENTS
from sbu.demo.plan import Event
from sbu.demo.storylines import STORYLINES
from sbu.demo.world import ORGANISATIONS

FIELDS = {
    "version", "seed", "storyline", "kind", "phase", "sentiment", "intent", "department",
    "actor", "actors", "author_role", "language", "day", "live", "thread", "viral",
    "copy_kind", "copy_of",
}  # fmt: skip


def test_each_item_carries_its_scenario_truth(
    small_generator: Generator, small_events: list[Event]
) -> None:
    for event in small_events:
        item = small_generator.item(event)
        assert item.mapper == event.platform
        assert item.annotations is not None
        truth = item.annotations["scenario"]
        assert set(truth) == FIELDS
        assert truth["version"] == TRUTH_VERSION
        assert truth["storyline"] in STORYLINES
        assert truth["sentiment"] in SENTIMENTS
        assert truth["intent"] in INTENTS
        assert truth["department"] in DEPARTMENTS
        assert truth["author_role"] in (*AUTHOR_ROLES, "influencer")
        assert truth["actor"] is None or truth["actor"] in ORGANISATIONS
        assert set(truth["actors"]) <= set(ORGANISATIONS)
        assert truth["language"] in ("fr", "en")
        assert 0 <= truth["day"] < 30
        assert truth["thread"] in ("start", "reply")
        assert truth["live"] is False


def test_copies_name_the_post_they_copy(
    small_generator: Generator, small_events: list[Event]
) -> None:
    ids = {(e.platform, small_generator.shaper.external_id(e)) for e in small_events}
    copies = [e for e in small_events if e.copy_of is not None]
    assert copies
    for copy in copies:
        truth = small_generator.truth(copy)
        assert truth["copy_kind"] in ("exact", "edited", "repost", "crosspost")
        target = truth["copy_of"]
        assert (target["platform"], target["external_id"]) in ids
    originals = [e for e in small_events if e.copy_of is None]
    assert all(small_generator.truth(e)["copy_of"] is None for e in originals[:500])


def test_the_brand_answers_as_itself(small_generator: Generator, small_events: list[Event]) -> None:
    answers = [e for e in small_events if e.kind == "reply.care"]
    assert answers
    for answer in answers:
        truth = small_generator.truth(answer)
        assert truth["intent"] == "brand_reply"
        assert truth["actor"] == "ondine"
        assert truth["author_role"] == "official"
        assert truth["department"] == "none"


def test_every_storyline_appears_with_its_truth(
    small_generator: Generator, small_events: list[Event]
) -> None:
    seen = {
        (small_generator.truth(e)["storyline"], small_generator.truth(e)["department"])
        for e in small_events
    }
    assert {s for s, _ in seen} == set(STORYLINES)
    assert ("outage", "care") in seen
    assert ("b2b", "sales") in seen
    assert ("jobs", "hr") in seen
    assert ("supplier", "product") in seen
    assert ("launch", "marketing") in seen
