"""Personas: deterministic, long-tailed, with influencers, officials, journalists, creators."""

from __future__ import annotations

import random
import re
from collections import Counter

from sbu.demo.authors import INFLUENCERS, Authors


def test_the_same_index_is_the_same_person() -> None:
    a, b = Authors(42), Authors(42)
    assert a.person("bluesky", "public", 17, "fr") == b.person("bluesky", "public", 17, "fr")
    assert a.person("bluesky", "public", 17, "fr") != Authors(7).person(
        "bluesky", "public", 17, "fr"
    )


def test_handles_look_like_each_platform() -> None:
    authors = Authors(1)
    for index in range(50):
        masto = authors.person("mastodon", "public", index, "fr")
        assert re.fullmatch(r"[a-z0-9_]+@[a-z0-9.\-]+\.example", masto.handle), masto.handle
        bsky = authors.person("bluesky", "public", index, "fr")
        assert re.fullmatch(r"[a-z0-9\-]+\.bsky\.social", bsky.handle), bsky.handle
        assert re.fullmatch(
            r"[A-Za-z0-9_]+", authors.person("reddit", "public", index, "fr").handle
        )


def test_a_few_people_write_much_of_the_public_posts() -> None:
    authors, rng = Authors(3), random.Random(3)
    picks = Counter(authors.pick(rng, "bluesky", "public", "fr").handle for _ in range(5000))
    top = sum(n for _, n in picks.most_common(50))
    assert top > 0.18 * 5000
    assert len(picks) > 1000


def test_influencers_have_large_audiences_and_bots_tiny_ones() -> None:
    authors = Authors(3)
    influencers = [authors.person("bluesky", "influencer", i, "fr") for i in range(INFLUENCERS)]
    assert min(p.followers for p in influencers) >= 15_000
    assert all(p.role == "influencer" for p in influencers)
    assert authors.person("mastodon", "bot", 0, "fr").followers < 50


def test_english_pool_writes_english_names() -> None:
    persona = Authors(3).person("reddit", "en", 5, "en")
    assert persona.lang == "en"


def test_official_journalist_and_creator_accounts() -> None:
    authors = Authors(3)
    care = authors.official("mastodon", "ondine", "care")
    assert care is not None
    assert care.role == "official"
    assert care.org == "ondine"
    assert care.mention == "@ondine_aide@social.ondine-telecom.example"
    assert authors.official("mastodon", "linea") is None
    journalist = authors.journalist(random.Random(1), "courrier")
    assert journalist.role == "journalist"
    assert journalist.org == "courrier"
    creator = authors.creator(0)
    assert creator.role == "creator"
    assert creator.followers > 0
