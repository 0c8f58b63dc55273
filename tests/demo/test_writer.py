"""The writer: deterministic texts, copies close to their original, personal asides."""

from __future__ import annotations

from collections import Counter

from sbu.core.text import duplicate_key_text
from sbu.demo.generator import Generator
from sbu.demo.plan import Event
from sbu.demo.writer import DYNAMIC_FILLERS, EDIT_MIN_SIMILARITY, Writer
from sbu.listening.fingerprint import similarity
from tests.demo.conftest import SMALL


def test_texts_depend_only_on_the_seed_and_the_post(small_events: list[Event]) -> None:
    sample = small_events[::37]
    first = [Writer(SMALL.seed).write(e) for e in sample]
    again = [Writer(SMALL.seed).write(e) for e in sample]
    assert first == again
    other = [Writer(SMALL.seed + 1).write(e) for e in sample]
    assert first != other


def test_every_post_has_text_and_titles_where_the_platform_has_them(
    small_generator: Generator, small_events: list[Event]
) -> None:
    for event in small_events:
        written = small_generator.writer.write(event)
        assert written.text.strip(), event.kind
        assert "{" not in written.text, written.text
        assert "[" not in written.text, written.text
        needs_title = (
            event.platform == "rss"
            or (event.platform == "reddit" and event.parent is None)
            or (event.platform == "youtube" and event.video is None and event.parent is None)
        )
        assert bool(written.title) == needs_title, (event.kind, event.platform)


def test_copies_are_exact_or_slightly_edited(
    small_generator: Generator, small_events: list[Event]
) -> None:
    copies = [
        e for e in small_events if e.copy_of is not None and e.copy_kind in ("exact", "edited")
    ]
    assert copies
    kinds: Counter[str] = Counter()
    for copy in copies:
        assert copy.copy_of is not None
        written = small_generator.writer.write(copy)
        source = small_generator.writer.write(copy.copy_of)
        original = (
            source.text if copy.copy_of.platform != "reddit" else f"{source.title}\n\n{source.text}"
        )
        mine, theirs = duplicate_key_text(written.text), duplicate_key_text(original)
        kinds[str(written.copy_kind)] += 1
        if written.copy_kind == "exact":
            assert mine == theirs
        else:
            assert similarity(mine, theirs) >= EDIT_MIN_SIMILARITY
            assert written.text != original
    assert kinds["exact"]
    assert kinds["edited"]


def test_reposts_carry_the_original_text(
    small_generator: Generator, small_events: list[Event]
) -> None:
    reposts = [e for e in small_events if e.copy_kind in ("repost", "crosspost")]
    assert reposts
    for repost in reposts:
        assert repost.copy_of is not None
        assert (
            small_generator.writer.write(repost).text
            == small_generator.writer.write(repost.copy_of).text
        )


def test_people_write_replies_that_mention_whom_they_answer(
    small_generator: Generator, small_events: list[Event]
) -> None:
    replies = [
        e for e in small_events if e.parent is not None and e.platform in ("mastodon", "bluesky")
    ]
    assert replies
    for reply in replies:
        assert (
            small_generator.writer.write(reply)
            .text.lower()
            .startswith(reply.parent.author.mention.lower())
        )  # type: ignore[union-attr]


def test_the_dynamic_fillers_are_the_declared_ones(small_events: list[Event]) -> None:
    writer = Writer(1)
    assert set(writer._dynamic(small_events[0])) == DYNAMIC_FILLERS


def test_english_posts_are_written_in_english(
    small_generator: Generator, small_events: list[Event]
) -> None:
    english = [e for e in small_events if e.lang == "en" and e.parent is None and e.copy_of is None]
    assert english
    french_words = {"le", "la", "les", "est", "pour", "avec", "chez"}
    for event in english:
        words = set(duplicate_key_text(small_generator.writer.write(event).text).split())
        assert len(words & french_words) <= 1, small_generator.writer.write(event).text
