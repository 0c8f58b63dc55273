"""Every generated payload is read by the platform's real mapper, with the right links."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from sbu.bootstrap import App
from sbu.core.text import duplicate_key_text
from sbu.demo.generator import Generator
from sbu.demo.payloads import iso
from sbu.demo.plan import Event
from sbu.listening.drafts import MentionDraft, check_draft
from tests.demo.conftest import START


def _draft(app: App, generator: Generator, event: Event) -> MentionDraft:
    return app.registry.mappers[event.platform].to_mention(generator.payload(event))


def test_every_generated_item_maps_without_bad_payload(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    by_platform: Counter[str] = Counter()
    for event in small_events:
        draft = _draft(sqlite_app, small_generator, event)
        check_draft(draft, now=START + timedelta(days=60), max_text_chars=100_000)
        assert draft.platform == event.platform
        assert draft.external_id == small_generator.shaper.external_id(event)
        assert abs(draft.created_at - event.at) < timedelta(seconds=1)
        assert draft.author is not None
        by_platform[event.platform] += 1
    assert set(by_platform) == {"mastodon", "bluesky", "reddit", "rss", "youtube"}


def test_external_ids_are_unique(small_generator: Generator, small_events: list[Event]) -> None:
    keys = [(e.platform, small_generator.shaper.external_id(e)) for e in small_events]
    assert len(keys) == len(set(keys))


def test_mapped_text_is_the_written_text(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    for event in small_events[::7]:
        if event.copy_kind in ("repost", "crosspost"):
            continue
        draft = _draft(sqlite_app, small_generator, event)
        written = small_generator.writer.write(event)
        if event.platform == "mastodon":  # Mastodon shows mentions without their instance
            assert duplicate_key_text(draft.text) == duplicate_key_text(written.text)
        else:
            assert draft.text == written.text
        assert (draft.title or None) == (written.title or None) or event.parent is not None


def test_languages_are_carried_where_the_platform_has_them(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    for event in small_events[::5]:
        draft = _draft(sqlite_app, small_generator, event)
        if event.platform in ("bluesky", "rss") or (
            event.platform == "mastodon" and event.copy_kind != "repost"
        ):
            assert draft.language == event.lang


def test_mastodon_boosts_are_reposts_of_the_original(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    boosts = [e for e in small_events if e.copy_kind == "repost"]
    assert boosts
    for boost in boosts:
        assert boost.copy_of is not None
        payload = small_generator.payload(boost)
        assert payload["content"] == ""
        assert payload["reblog"]["uri"]
        draft = _draft(sqlite_app, small_generator, boost)
        assert draft.repost_of_external_id == small_generator.shaper.external_id(boost.copy_of)


def test_reddit_threads_link_comments_to_their_parent_and_submission(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    comments = [e for e in small_events if e.platform == "reddit" and e.parent is not None]
    assert comments
    for comment in comments:
        draft = _draft(sqlite_app, small_generator, comment)
        assert draft.external_id.startswith("t1_")
        assert draft.parent_external_id == small_generator.shaper.external_id(comment.parent)  # type: ignore[arg-type]
        assert draft.thread_external_id == small_generator.shaper.external_id(comment.thread_root)
        assert draft.thread_external_id is not None
        assert draft.thread_external_id.startswith("t3_")


def test_reddit_crossposts_are_reposts(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    crossposts = [e for e in small_events if e.copy_kind == "crosspost"]
    assert crossposts
    for crosspost in crossposts:
        draft = _draft(sqlite_app, small_generator, crosspost)
        assert crosspost.copy_of is not None
        assert draft.repost_of_external_id == small_generator.shaper.external_id(crosspost.copy_of)
        assert draft.title


def test_bluesky_replies_reference_parent_and_root(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    replies = [e for e in small_events if e.platform == "bluesky" and e.parent is not None]
    assert replies
    for reply in replies:
        draft = _draft(sqlite_app, small_generator, reply)
        assert draft.parent_external_id == small_generator.shaper.external_id(reply.parent)  # type: ignore[arg-type]
        assert draft.thread_external_id == small_generator.shaper.external_id(reply.thread_root)


def test_youtube_comments_hang_under_their_video(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    comments = [e for e in small_events if e.platform == "youtube" and e.video is not None]
    assert any(c.parent is None for c in comments)
    assert any(c.parent for c in comments)
    for comment in comments:
        draft = _draft(sqlite_app, small_generator, comment)
        assert comment.video is not None
        video_id = small_generator.shaper.external_id(comment.video)
        payload = small_generator.payload(comment)
        if comment.parent is None:  # a commentThread: the thread names the video
            assert payload["snippet"]["videoId"] == video_id
            assert draft.thread_external_id == video_id
            assert draft.parent_external_id == video_id
        else:  # a reply from comments.list: only its parent comment is known
            top = small_generator.shaper.external_id(comment.thread_root)
            assert "videoId" not in payload["snippet"]
            assert draft.parent_external_id == top
            assert draft.external_id.startswith(f"{top}.")


def test_youtube_videos_carry_title_statistics_and_channel(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    videos = [
        e for e in small_events if e.platform == "youtube" and e.video is None and e.parent is None
    ]
    assert videos
    for video in videos:
        payload = small_generator.payload(video)
        assert payload["kind"] == "youtube#video"
        assert payload["statistics"]["viewCount"].isdigit()
        draft = _draft(sqlite_app, small_generator, video)
        assert draft.title
        assert draft.url == f"https://www.youtube.com/watch?v={draft.external_id}"


def test_press_articles_have_outlet_author_and_headline(
    sqlite_app: App, small_generator: Generator, small_events: list[Event]
) -> None:
    articles = [e for e in small_events if e.platform == "rss"]
    assert articles
    for article in articles:
        payload = small_generator.payload(article)
        assert set(payload) == {"feed", "entry", "collected_at"}
        assert {"id", "link", "title", "summary", "published", "author"} <= set(payload["entry"])
        draft = _draft(sqlite_app, small_generator, article)
        assert draft.title
        assert draft.author is not None
        assert draft.url == payload["entry"]["link"]


@pytest.mark.parametrize("millis", [True, False])
def test_iso_times_are_utc_with_a_z(millis: bool) -> None:
    text = iso(START, millis=millis)
    assert text == ("2026-10-29T00:00:00.000Z" if millis else "2026-10-29T00:00:00Z")
