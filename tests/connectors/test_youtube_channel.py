"""A YouTube channel source against a real local HTTP server replaying the Data API: the handle
resolved once, new uploads since the cursor, their full video resources, comment threads until
one already seen, and what is noted or rejected on the way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sbu.connectors.base import FetchResult
from sbu.connectors.youtube_api import YouTubeConnector
from sbu.connectors.youtube_channel import MAX_UPLOAD_PAGES
from sbu.core.errors import ConnectorError
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.youtube_resources import (
    API_KEY,
    CHANNEL_ID,
    CHANNELS,
    CONTEXT,
    HANDLE,
    PLAYLIST_ITEMS,
    THREADS,
    UPLOADS,
    VIDEOS,
    Waits,
    channels,
    comment,
    config,
    google_error,
    make_connector,
    no_channel,
    playlist,
    thread,
    threads,
    video,
    videos,
)


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply(CHANNELS, Reply(json=channels()))
        yield server


@pytest.fixture
def connector(api: ApiServer) -> YouTubeConnector:
    return make_connector(api, Waits())


def ids(result: FetchResult) -> list[str]:
    return [item.payload["id"] for item in result.items]


def cursor_with(videos_seen: list[str], **extra: object) -> dict[str, object]:
    channel: dict[str, object] = {
        "ref": HANDLE,
        "id": CHANNEL_ID,
        "uploads": UPLOADS,
        "videos": videos_seen,
    }
    channel.update(extra)
    return {"channel": channel, "quota_day": "2026-11-28", "units": 10}


# -- uploads ---------------------------------------------------------------------------------


def test_first_poll_resolves_the_handle_and_takes_the_newest_uploads_oldest_first(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000003", "vid0000002", next_token="P2")))
    api.reply(
        VIDEOS,
        Reply(json=videos(video("vid0000003", 50, "Box fibre"), video("vid0000002", 40, "Wifi"))),
    )
    result = connector.fetch(config(), None, CONTEXT)

    assert ids(result) == ["vid0000002", "vid0000003"]
    assert [item.mapper for item in result.items] == ["youtube", "youtube"]
    assert result.items[0].locator == f"video vid0000002 of {HANDLE}"
    assert result.rejected == []
    assert result.more is False
    assert result.cursor == {
        "channel": {
            "ref": HANDLE,
            "id": CHANNEL_ID,
            "uploads": UPLOADS,
            "videos": ["vid0000003", "vid0000002"],
        },
        "quota_day": "2026-11-28",
        "units": 3,
    }
    (lookup,) = api.requests_to(CHANNELS)
    assert lookup.query == {"part": ["id,contentDetails"], "forHandle": [HANDLE]}
    (page,) = api.requests_to(PLAYLIST_ITEMS)  # the first poll does not backfill: one page
    assert page.query == {
        "part": ["contentDetails"],
        "playlistId": [UPLOADS],
        "maxResults": ["50"],
    }
    (asked,) = api.requests_to(VIDEOS)
    assert asked.param("id") == "vid0000002,vid0000003"
    assert asked.param("part") == "snippet,statistics"


def test_the_api_key_travels_in_a_header_never_in_the_address(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist()))
    connector.fetch(config(), None, CONTEXT)
    for seen in api.requests:
        assert seen.headers["x-goog-api-key"] == API_KEY
        assert "key" not in seen.query
        assert API_KEY not in str(seen.query)


def test_a_channel_id_is_looked_up_by_id(api: ApiServer, connector: YouTubeConnector) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist()))
    result = connector.fetch(config(channel_id=CHANNEL_ID), None, CONTEXT)
    assert api.requests_to(CHANNELS)[0].query == {"part": ["id,contentDetails"], "id": [CHANNEL_ID]}
    assert result.items == []
    assert result.cursor is not None
    assert result.cursor["channel"]["videos"] == []  # the next poll is not a first poll


def test_the_next_poll_reuses_the_playlist_and_stops_at_a_seen_video(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        PLAYLIST_ITEMS,
        Reply(json=playlist("vid0000005", "vid0000004", "vid0000003", "vid0000002")),
    )
    api.reply(
        VIDEOS,
        Reply(json=videos(video("vid0000004", 70, "Débit"), video("vid0000005", 80, "Panne"))),
    )
    result = connector.fetch(config(), cursor_with(["vid0000003", "vid0000002"]), CONTEXT)

    assert ids(result) == ["vid0000004", "vid0000005"]
    assert api.requests_to(CHANNELS) == []  # cached in the cursor
    assert api.requests_to(VIDEOS)[0].param("id") == "vid0000004,vid0000005"
    assert result.cursor is not None
    assert result.cursor["channel"]["videos"] == [
        "vid0000005",
        "vid0000004",
        "vid0000003",
        "vid0000002",
    ]
    assert result.cursor["units"] == 12  # 10 before, a page and a videos.list


def test_uploads_are_paged_until_a_seen_video(api: ApiServer, connector: YouTubeConnector) -> None:
    api.reply(
        PLAYLIST_ITEMS,
        Reply(json=playlist("vid0000009", "vid0000008", next_token="PAGE2")),
        Reply(json=playlist("vid0000007", "vid0000003")),
    )
    api.reply(VIDEOS, Reply(json=videos(video("vid0000007", 1, "a"), video("vid0000009", 3, "c"))))
    result = connector.fetch(config(), cursor_with(["vid0000003"]), CONTEXT)

    pages = api.requests_to(PLAYLIST_ITEMS)
    assert [page.param("pageToken") for page in pages] == [None, "PAGE2"]
    assert api.requests_to(VIDEOS)[0].param("id") == "vid0000007,vid0000008,vid0000009"
    # vid0000008 is private or deleted: videos.list does not return it, nothing is taken
    assert ids(result) == ["vid0000007", "vid0000009"]
    assert result.cursor is not None
    assert result.cursor["channel"]["videos"][:3] == ["vid0000009", "vid0000008", "vid0000007"]


def test_paging_without_reaching_a_seen_video_is_noted(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    pages = [
        Reply(json=playlist(f"vidpage{n:03d}", next_token=f"P{n + 1}"))
        for n in range(MAX_UPLOAD_PAGES)
    ]
    api.reply(PLAYLIST_ITEMS, *pages)
    api.reply(VIDEOS, Reply(json=videos()))
    result = connector.fetch(config(), cursor_with(["vid0000001"]), CONTEXT)
    assert len(api.requests_to(PLAYLIST_ITEMS)) == MAX_UPLOAD_PAGES
    assert result.notes == [
        f"sbu read {MAX_UPLOAD_PAGES} new videos of {HANDLE} without reaching one it had seen "
        "before: it took these, and older new ones may be missing; poll the source more often, "
        "or raise max_units_per_poll."
    ]


def test_another_channel_starts_afresh(api: ApiServer, connector: YouTubeConnector) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000002", "vid0000001")))
    api.reply(VIDEOS, Reply(json=videos(video("vid0000002", 2, "b"), video("vid0000001", 1, "a"))))
    result = connector.fetch(config(channel_id="@breizhgeek"), cursor_with(["vid0000001"]), CONTEXT)
    assert api.requests_to(CHANNELS)[0].param("forHandle") == "@breizhgeek"
    assert ids(result) == ["vid0000001", "vid0000002"]


def test_a_channel_without_public_videos_is_not_an_error(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        PLAYLIST_ITEMS,
        google_error(
            404,
            "playlistNotFound",
            "The playlist identified with the request's playlistId parameter cannot be found.",
            domain="youtube.playlistItem",
        ),
    )
    result = connector.fetch(config(), None, CONTEXT)
    assert result.items == []
    assert result.cursor is not None
    assert result.cursor["channel"]["videos"] == []
    assert api.requests_to(VIDEOS) == []


def test_an_unknown_handle_is_a_sentence(api: ApiServer, connector: YouTubeConnector) -> None:
    api.reply(CHANNELS, Reply(json=no_channel()))
    with pytest.raises(ConnectorError) as caught:
        connector.fetch(config(channel_id="@nobody-here"), None, CONTEXT)
    assert str(caught.value) == (
        "YouTube has no channel @nobody-here: check the source's channel_id (the handle with its "
        "@, or the id starting with UC); a deleted or terminated channel cannot be read."
    )


def test_a_malformed_video_is_rejected_and_the_others_are_kept(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    broken = {"kind": "youtube#video", "id": "vid0000002"}  # no snippet
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000003", "vid0000002", "vid0000001")))
    api.reply(
        VIDEOS,
        Reply(json=videos(video("vid0000001", 1, "a"), broken, video("vid0000003", 3, "c"))),
    )
    result = connector.fetch(config(), None, CONTEXT)

    assert ids(result) == ["vid0000001", "vid0000003"]
    (rejected,) = result.rejected
    assert rejected.locator == f"video vid0000002 of {HANDLE}"
    assert rejected.reason == "The field 'snippet' is missing; it must be an object."
    assert '"vid0000002"' in rejected.payload
    assert result.cursor is not None
    assert "vid0000002" in result.cursor["channel"]["videos"]  # not rejected at every poll


def test_a_playlist_item_without_video_is_rejected(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    page = playlist("vid0000002", "vid0000001")
    del page["items"][0]["contentDetails"]
    api.reply(PLAYLIST_ITEMS, Reply(json=page))
    api.reply(VIDEOS, Reply(json=videos(video("vid0000001", 1, "a"))))
    result = connector.fetch(config(), None, CONTEXT)
    assert ids(result) == ["vid0000001"]
    assert [r.locator for r in result.rejected] == [f"item 1 of page 1 of the uploads of {HANDLE}"]


# -- comment threads -------------------------------------------------------------------------


def test_the_first_poll_takes_the_newest_page_of_threads_with_their_replies(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    reply = comment(
        "UgzThreadB00000000000000.AbcReply0000000000000",
        "vid0000001",
        30,
        "Pareil chez moi",
        parent="UgzThreadB00000000000000",
    )
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist()))
    api.reply(
        THREADS,
        Reply(
            json=threads(
                thread("UgzThreadB00000000000000", "vid0000001", 20, "Box HS", replies=(reply,)),
                thread("UgzThreadA00000000000000", "vid0000001", 10, "Merci !"),
                next_token="T2",
            )
        ),
    )
    result = connector.fetch(config(comments=True), None, CONTEXT)

    assert ids(result) == [
        "UgzThreadA00000000000000",
        "UgzThreadB00000000000000",
        "UgzThreadB00000000000000.AbcReply0000000000000",
    ]
    assert [item.payload["kind"] for item in result.items] == [
        "youtube#commentThread",
        "youtube#commentThread",
        "youtube#comment",
    ]
    (page,) = api.requests_to(THREADS)
    assert page.query == {
        "part": ["snippet,replies"],
        "allThreadsRelatedToChannelId": [CHANNEL_ID],
        "order": ["time"],
        "maxResults": ["100"],
    }
    assert result.cursor is not None
    assert result.cursor["channel"]["threads"] == [
        "UgzThreadB00000000000000",
        "UgzThreadA00000000000000",
    ]
    assert result.cursor["units"] == 3  # channel, uploads, threads


def test_threads_are_paged_until_one_already_seen(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000001")))
    api.reply(
        THREADS,
        Reply(
            json=threads(
                thread("UgzThreadD00000000000000", "vid0000001", 40, "Toujours rien"),
                next_token="T2",
            )
        ),
        Reply(
            json=threads(
                thread("UgzThreadC00000000000000", "vid0000001", 30, "Et la fibre ?"),
                thread("UgzThreadB00000000000000", "vid0000001", 20, "Box HS"),
                thread("UgzThreadA00000000000000", "vid0000001", 10, "Merci !"),
                next_token="T3",
            )
        ),
    )
    cursor = cursor_with(["vid0000001"], threads=["UgzThreadB00000000000000"])
    result = connector.fetch(config(comments=True), cursor, CONTEXT)

    assert ids(result) == ["UgzThreadC00000000000000", "UgzThreadD00000000000000"]
    assert [page.param("pageToken") for page in api.requests_to(THREADS)] == [None, "T2"]
    assert result.cursor is not None
    assert result.cursor["channel"]["threads"] == [
        "UgzThreadD00000000000000",
        "UgzThreadC00000000000000",
        "UgzThreadB00000000000000",
    ]


def test_comments_disabled_are_noted_and_the_videos_kept(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist("vid0000001")))
    api.reply(VIDEOS, Reply(json=videos(video("vid0000001", 1, "Box fibre"))))
    api.reply(
        THREADS,
        google_error(
            403,
            "commentsDisabled",
            "The video identified by the videoId parameter has disabled comments.",
            domain="youtube.commentThread",
        ),
    )
    result = connector.fetch(config(comments=True), None, CONTEXT)
    assert ids(result) == ["vid0000001"]
    assert result.notes == [
        f"YouTube says comments are disabled on {HANDLE}: sbu collected its videos only; set "
        "comments=false to save a request per poll."
    ]
    assert result.cursor is not None
    assert "threads" not in result.cursor["channel"]


def test_a_malformed_thread_is_rejected_and_the_page_goes_on(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    broken = thread("UgzThreadB00000000000000", "vid0000001", 20, "Box HS")
    del broken["snippet"]["topLevelComment"]
    api.reply(PLAYLIST_ITEMS, Reply(json=playlist()))
    api.reply(
        THREADS,
        Reply(
            json=threads(
                thread("UgzThreadC00000000000000", "vid0000001", 30, "Et la fibre ?"),
                broken,
                thread("UgzThreadA00000000000000", "vid0000001", 10, "Merci !"),
            )
        ),
    )
    result = connector.fetch(config(comments=True), None, CONTEXT)
    assert ids(result) == ["UgzThreadA00000000000000", "UgzThreadC00000000000000"]
    (rejected,) = result.rejected
    assert rejected.locator == f"comment thread UgzThreadB00000000000000 on {HANDLE}"
    assert "topLevelComment" in rejected.reason
    assert result.cursor is not None
    assert "UgzThreadB00000000000000" in result.cursor["channel"]["threads"]
