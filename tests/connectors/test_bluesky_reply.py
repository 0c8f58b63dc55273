"""What a Bluesky reply is made of: text checks, facets, thread references and record keys."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from sbu.connectors.bluesky_reply import (
    check_parent_uri,
    check_text,
    facets,
    grapheme_count,
    make_tid,
    reply_record,
    reply_refs,
)
from sbu.core.errors import ConnectorError, InvalidInput
from tests.connectors.bluesky_posts import cid_of, post_uri, post_view

NOW = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)


def test_graphemes_count_what_people_see() -> None:
    assert grapheme_count("Ondine") == 6
    assert grapheme_count("e\u0301te\u0301") == 3  # accents written as combining marks
    assert grapheme_count("👍🏽") == 1  # a skin tone
    assert grapheme_count("👩‍👩‍👧") == 1  # a family joined with ZWJ
    assert grapheme_count("🇫🇷🇧🇪") == 2  # two flags
    assert grapheme_count("❤️") == 1  # a variation selector
    assert grapheme_count("a\r\nb") == 3


def test_a_text_of_300_graphemes_passes_and_301_is_refused() -> None:
    assert check_text("é" * 300) == "é" * 300
    with pytest.raises(InvalidInput) as caught:
        check_text("🙂" * 301)
    assert str(caught.value) == (
        "The reply is 301 characters long and Bluesky takes at most 300: shorten it by 1 "
        "characters."
    )


def test_an_empty_text_or_too_many_bytes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="The reply is empty"):
        check_text("  \n")
    with pytest.raises(InvalidInput, match="takes at most 3000"):
        check_text("👩‍👩‍👧" * 200)  # 200 graphemes, 3,600 bytes


def test_the_parent_must_be_the_uri_of_a_post() -> None:
    assert check_parent_uri(f" {post_uri(1)} ") == post_uri(1)
    with pytest.raises(InvalidInput, match="not the at:// address of a Bluesky post"):
        check_parent_uri("https://bsky.app/profile/ondine.bsky.social/post/3lcdqe5tyuw2k")


def test_links_and_hashtags_become_facets_with_byte_ranges() -> None:
    text = "Débit rétabli ✅ https://status.ondine.example/incident/42. #panne #42 fin"
    found = facets(text)
    link, tag = found
    url = "https://status.ondine.example/incident/42"  # without the full stop after it
    start = len("Débit rétabli ✅ ".encode())
    assert link == {
        "index": {"byteStart": start, "byteEnd": start + len(url)},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
    }
    assert tag["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "panne"}]
    tag_start = tag["index"]["byteStart"]
    assert text.encode()[tag_start : tag["index"]["byteEnd"]] == b"#panne"
    assert facets("rien à signaler") == []


def test_a_reply_to_a_reply_keeps_the_thread_root() -> None:
    parent = post_view(5, reply_to=(post_uri(1), post_uri(3)), langs=["br", "fr"])
    root, parent_ref, langs = reply_refs(parent, "the post")
    assert root == {"uri": post_uri(1), "cid": cid_of(post_uri(1))}
    assert parent_ref == {"uri": post_uri(5), "cid": cid_of(post_uri(5))}
    assert langs == ["br"]


def test_a_reply_to_a_first_post_has_it_as_root_and_parent() -> None:
    root, parent_ref, _ = reply_refs(post_view(1), "the post")
    assert root == parent_ref == {"uri": post_uri(1), "cid": cid_of(post_uri(1))}
    with pytest.raises(ConnectorError, match="without its uri, cid or record"):
        reply_refs({"uri": post_uri(1)}, "the post")


def test_the_record_of_a_reply() -> None:
    root = {"uri": post_uri(1), "cid": cid_of(post_uri(1))}
    parent = {"uri": post_uri(2), "cid": cid_of(post_uri(2))}
    record = reply_record(
        "Bonjour, nous regardons.", root=root, parent=parent, langs=["fr"], created_at=NOW
    )
    assert record == {
        "$type": "app.bsky.feed.post",
        "text": "Bonjour, nous regardons.",
        "createdAt": "2026-11-28T12:00:00.123Z",
        "reply": {"root": root, "parent": parent},
        "langs": ["fr"],
    }
    assert "langs" not in reply_record("x", root=root, parent=parent, langs=[], created_at=NOW)


def test_record_keys_are_tids_that_sort_by_time() -> None:
    rng = random.Random(4)
    first = make_tid(NOW, rng)
    later = make_tid(NOW + timedelta(microseconds=1), rng)
    assert len(first) == 13
    assert set(first) <= set("234567abcdefghijklmnopqrstuvwxyz")
    assert first[0] in "234567abcdefghij"
    assert first < later
