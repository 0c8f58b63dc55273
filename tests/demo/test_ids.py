"""Platform identifiers: real formats, deterministic, time-ordered where the platform's are."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sbu.demo import ids

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def test_ids_are_deterministic_and_depend_on_seed_and_key() -> None:
    assert ids.reddit_id(1, "a") == ids.reddit_id(1, "a")
    assert ids.reddit_id(1, "a") != ids.reddit_id(2, "a")
    assert ids.reddit_id(1, "a") != ids.reddit_id(1, "b")


def test_bluesky_identifiers_have_the_at_protocol_shapes() -> None:
    assert re.fullmatch(r"[234567a-z]{13}", ids.bluesky_tid(AT, 1, "k"))
    assert re.fullmatch(r"did:plc:[a-z2-7]{24}", ids.bluesky_did(1, "jeanne.bsky.social"))
    assert re.fullmatch(r"bafyrei[a-z2-7]{52}", ids.bluesky_cid(1, "k"))


def test_time_based_ids_sort_like_their_times() -> None:
    earlier, later = AT, AT + timedelta(seconds=1)
    assert ids.bluesky_tid(earlier, 1, "x") < ids.bluesky_tid(later, 1, "a")
    assert int(ids.mastodon_id(earlier, 1, "x")) < int(ids.mastodon_id(later, 1, "a"))
    assert int(ids.mastodon_id(AT, 1, "x")) >> 16 == int(AT.timestamp() * 1000)


def test_reddit_and_youtube_ids_have_their_platform_shapes() -> None:
    assert re.fullmatch(r"[0-9a-z]{7}", ids.reddit_id(1, "k"))
    assert re.fullmatch(r"[A-Za-z0-9_\-]{11}", ids.youtube_video_id(1, "k"))
    assert re.fullmatch(r"UC[A-Za-z0-9_\-]{22}", ids.youtube_channel_id(1, "k"))
    top = ids.youtube_comment_id(1, "k")
    assert re.fullmatch(r"Ugz[A-Za-z0-9_\-]{20}4AaABAg", top)
    assert ids.youtube_reply_id(top, 1, "r").startswith(f"{top}.")


def test_slug_is_ascii_and_bounded() -> None:
    assert (
        ids.slug("Panne géante : l'Ouest privé d'Internet !")
        == "panne-geante-l-ouest-prive-d-internet"
    )
    assert len(ids.slug("mot " * 50, 20)) <= 20
    assert ids.slug("!!!") == "article"
