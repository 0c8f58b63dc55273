"""Who publishes where: outlets, creators and subreddits by storyline and language."""

from __future__ import annotations

import random

from sbu.demo.authors import CREATORS
from sbu.demo.casting import ENGLISH_OUTLET, creator, other_outlet, outlet, subreddit
from sbu.demo.world import OUTLETS_BY_KEY, SUBREDDITS


def test_outlets_cover_their_beat_and_english_goes_to_the_trade_weekly() -> None:
    rng = random.Random(1)
    assert {outlet(rng, "b2b", "fr") for _ in range(20)} == {"eco_loire"}
    assert outlet(rng, "outage", "en") == ENGLISH_OUTLET
    assert OUTLETS_BY_KEY[ENGLISH_OUTLET].language == "en"
    assert outlet(rng, "unknown", "fr") == "courrier"


def test_republication_is_by_another_outlet() -> None:
    rng = random.Random(2)
    for _ in range(50):
        assert other_outlet(rng, "outage", "fr", "courrier") != "courrier"
        assert OUTLETS_BY_KEY[other_outlet(rng, "b2b", "en", "eco_loire")].language == "fr"


def test_creators_match_the_kind_of_video() -> None:
    rng = random.Random(3)
    assert {CREATORS[creator(rng, "noise.video")][0] for _ in range(30)} == {"noise"}
    assert {CREATORS[creator(rng, "outage.video")][0] for _ in range(30)} <= {"news", "vlog"}
    assert {CREATORS[creator(rng, "launch.video_review")][0] for _ in range(30)} == {"tech"}


def test_subreddits_fit_the_storyline_and_language() -> None:
    rng = random.Random(4)
    assert subreddit(rng, "brand", "en") in SUBREDDITS["en"]
    assert subreddit(rng, "partner_club", "fr") in SUBREDDITS["sport"]
    assert subreddit(rng, "jobs", "fr") in SUBREDDITS["jobs"]
    noise = {subreddit(rng, "noise", "fr") for _ in range(40)}
    assert noise <= set(SUBREDDITS["noise"]) | set(SUBREDDITS["fr_general"])
