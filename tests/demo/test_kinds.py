"""Kinds of posts: their truth uses the documented vocabulary."""

from __future__ import annotations

import pytest

from sbu.demo.kinds import AUTHOR_ROLES, DEPARTMENTS, INTENTS, KINDS, SENTIMENTS
from sbu.demo.world import ORGANISATIONS

PLATFORMS = {"mastodon", "bluesky", "reddit", "rss", "youtube"}


@pytest.mark.parametrize("key", sorted(KINDS))
def test_kind_truth_uses_known_values(key: str) -> None:
    kind = KINDS[key]
    assert kind.sentiment in SENTIMENTS
    assert kind.intent in INTENTS
    assert kind.department in DEPARTMENTS
    assert kind.author in AUTHOR_ROLES
    assert {p for p, _ in kind.platforms} <= PLATFORMS
    assert all(a == "" or a in ORGANISATIONS for a in (*kind.actors, *kind.also))
    assert {k for k, _ in kind.reply_kinds} <= set(KINDS)
    assert 0 <= kind.english <= 1
    assert 0 <= kind.viral <= 1
    assert 0 <= kind.care_reply <= 1


def test_press_is_only_in_feeds_and_videos_only_on_youtube() -> None:
    for kind in KINDS.values():
        platforms = {p for p, _ in kind.platforms}
        if kind.author == "journalist":
            assert platforms == {"rss"}
        if "rss" in platforms:
            assert kind.author == "journalist"


def test_the_routing_departments_cover_the_storylines() -> None:
    departments = {k.department for k in KINDS.values()}
    assert departments == set(DEPARTMENTS)
    assert KINDS["b2b.rfq"].intent == "request_for_quote"
    assert KINDS["b2b.rfq"].department == "sales"
    assert KINDS["outage.complaint"].department == "care"
    assert KINDS["jobs.interest"].department == "hr"
    assert KINDS["supplier.defect"].department == "product"
    assert KINDS["outage.news"].department == "pr"
