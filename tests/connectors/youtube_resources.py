"""YouTube Data API v3 answers for the connector tests, in YouTube's real JSON shapes
(``channelListResponse``, ``playlistItemListResponse``, ``videoListResponse``,
``commentThreadListResponse``, ``searchListResponse``, Google error bodies, the OAuth token
answer), with invented texts, names and ids; the connector as the tests build it; and a clock
that moves when the code under test sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sbu.connectors.base import FetchContext
from sbu.connectors.youtube_api import YouTubeConnector
from sbu.connectors.youtube_source import YouTubeSourceConfig
from sbu.settings import ConnectorSettings
from tests.conftest import NOW
from tests.connectors import helpers
from tests.connectors.api_server import ApiServer, Reply

#: Resources are dated just before NOW (2026-11-28 09:00 UTC).
BASE = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
API_KEY = "AIzaSyDq9xInvented4Tests_0123456789abcd"
CHANNEL_ID = "UCq7Wn3xTfK8vLr2yPbZ5hJd"
UPLOADS = "UUq7Wn3xTfK8vLr2yPbZ5hJd"
HANDLE = "@techbreizh"
CLIENT_ID = "123456789012-abcdefghijklmnop0123456789qrstuv.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-invented-client-secret-Zq"
REFRESH_TOKEN = "1//0invented-refresh-token-Xy"

CHANNELS = "/youtube/v3/channels"
PLAYLIST_ITEMS = "/youtube/v3/playlistItems"
VIDEOS = "/youtube/v3/videos"
THREADS = "/youtube/v3/commentThreads"
SEARCH = "/youtube/v3/search"
COMMENTS = "/youtube/v3/comments"
TOKEN = "/token"

CONTEXT = FetchContext(now=NOW, source_id=3, source_name="YouTube TechBreizh")


class Waits(helpers.Waits):
    """The shared waits, from the time these resources are dated around."""

    def __init__(self, now: datetime = NOW) -> None:
        super().__init__(now)


def make_connector(api: ApiServer, waits: Waits, **settings: Any) -> YouTubeConnector:
    return YouTubeConnector(
        ConnectorSettings(timeout_seconds=5, **settings),
        base_url=api.base,
        token_base_url=api.base,
        sleep=waits.sleep,
        clock=waits.clock,
    )


def config(**overrides: Any) -> YouTubeSourceConfig:
    values: dict[str, Any] = {"channel_id": HANDLE, "api_key": API_KEY}
    values.update(overrides)
    return YouTubeSourceConfig.model_validate(values)


def search_config(**overrides: Any) -> YouTubeSourceConfig:
    values: dict[str, Any] = {
        "mode": "search",
        "query": '"télécom ouest" box',
        "api_key": API_KEY,
    }
    values.update(overrides)
    return YouTubeSourceConfig.model_validate(values)


def when(minute: int) -> str:
    return (BASE + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%SZ")


def channels(channel_id: str = CHANNEL_ID, uploads: str = UPLOADS) -> dict[str, Any]:
    return {
        "kind": "youtube#channelListResponse",
        "etag": "bC4nT7xQ2wE9rY5uI1oP3aS6dFg",
        "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
        "items": [
            {
                "kind": "youtube#channel",
                "etag": "hJ8kL2zX5cV9bN1mQ4wE7rT0yUi",
                "id": channel_id,
                "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": uploads}},
            }
        ],
    }


def no_channel() -> dict[str, Any]:
    return {
        "kind": "youtube#channelListResponse",
        "etag": "aQ1sW2dE3fR4gT5hY6jU7kI8lO9",
        "pageInfo": {"totalResults": 0, "resultsPerPage": 5},
    }


def playlist(*video_ids: str, next_token: str | None = None) -> dict[str, Any]:
    items = [
        {
            "kind": "youtube#playlistItem",
            "etag": f"pl{index}Xc7Vb3Nm9Qw1Er5Ty2Ui8Op4",
            "id": f"VVVxN1duM3hUZks4dkxyMnlQYlo1aEpkLi{video_id}",
            "contentDetails": {"videoId": video_id, "videoPublishedAt": when(60 - index)},
        }
        for index, video_id in enumerate(video_ids)
    ]
    page: dict[str, Any] = {
        "kind": "youtube#playlistItemListResponse",
        "etag": "Rt5yU7iO9pA1sD3fG5hJ7kL9zXc",
        "items": items,
        "pageInfo": {"totalResults": 120, "resultsPerPage": 50},
    }
    if next_token is not None:
        page["nextPageToken"] = next_token
    return page


def video(video_id: str, minute: int, title: str, *, description: str = "") -> dict[str, Any]:
    return {
        "kind": "youtube#video",
        "etag": f"v-{video_id}-Kq2Wn8Lp4Xz",
        "id": video_id,
        "snippet": {
            "publishedAt": when(minute),
            "channelId": CHANNEL_ID,
            "title": title,
            "description": description or f"{title} : ce que j'en pense après quelques semaines.",
            "channelTitle": "TechBreizh",
            "categoryId": "28",
            "liveBroadcastContent": "none",
            "defaultAudioLanguage": "fr",
        },
        "statistics": {"viewCount": "1520", "likeCount": "87", "commentCount": "14"},
    }


def videos(*items: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "youtube#videoListResponse",
        "etag": "Yv3rX8k2mZ0pQf9cW1aLh4sTnEo",
        "items": list(items),
        "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
    }


def comment(
    comment_id: str, video_id: str, minute: int, body: str, *, parent: str | None = None
) -> dict[str, Any]:
    snippet: dict[str, Any] = {
        "channelId": CHANNEL_ID,
        "videoId": video_id,
        "textDisplay": body,
        "textOriginal": body,
        "authorDisplayName": "@maiwenn_lorient",
        "authorProfileImageUrl": "https://yt3.ggpht.example/maiwenn=s48-c-k-c0x00ffffff-no-rj",
        "authorChannelUrl": "http://www.youtube.com/@maiwenn_lorient",
        "authorChannelId": {"value": "UCm3Pq8Rt2Wx6Zb9Lk4Nv7Hs"},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": 2,
        "publishedAt": when(minute),
        "updatedAt": when(minute),
    }
    if parent is not None:
        snippet["parentId"] = parent
    return {
        "kind": "youtube#comment",
        "etag": f"c-{comment_id[:10]}",
        "id": comment_id,
        "snippet": snippet,
    }


def thread(
    thread_id: str,
    video_id: str,
    minute: int,
    body: str,
    *,
    replies: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "kind": "youtube#commentThread",
        "etag": f"t-{thread_id[:10]}",
        "id": thread_id,
        "snippet": {
            "channelId": CHANNEL_ID,
            "videoId": video_id,
            "topLevelComment": comment(thread_id, video_id, minute, body),
            "canReply": True,
            "totalReplyCount": len(replies),
            "isPublic": True,
        },
    }
    if replies:
        resource["replies"] = {"comments": list(replies)}
    return resource


def threads(*items: dict[str, Any], next_token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {
        "kind": "youtube#commentThreadListResponse",
        "etag": "Qw2eR4tY6uI8oP0aS1dF3gH5jKl",
        "pageInfo": {"totalResults": len(items), "resultsPerPage": 100},
        "items": list(items),
    }
    if next_token is not None:
        page["nextPageToken"] = next_token
    return page


def result(video_id: str, minute: int, title: str) -> dict[str, Any]:
    escaped = title.replace("'", "&#39;")  # search.list escapes HTML in titles
    return {
        "kind": "youtube#searchResult",
        "etag": f"s-{video_id}",
        "id": {"kind": "youtube#video", "videoId": video_id},
        "snippet": {
            "publishedAt": when(minute),
            "channelId": "UCz4Lk8Pq2Wm6Xn0Rb3Tv5Yc",
            "title": escaped,
            "description": f"{escaped} ...",
            "channelTitle": "Breizh Geek",
            "liveBroadcastContent": "none",
            "publishTime": when(minute),
        },
    }


def search(*items: dict[str, Any], next_token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {
        "kind": "youtube#searchListResponse",
        "etag": "Ws8eD2rF6tG0yH4uJ8iK2oL6pZx",
        "regionCode": "FR",
        "pageInfo": {"totalResults": 1000000, "resultsPerPage": 50},
        "items": list(items),
    }
    if next_token is not None:
        page["nextPageToken"] = next_token
    return page


def google_error(
    status: int, reason: str, message: str, *, domain: str = "youtube.quota", detail: str = ""
) -> Reply:
    """A Google API error answer: ``error.errors[].reason``, and ``error.details[].reason``
    as newer answers add (``API_KEY_INVALID``)."""
    error: dict[str, Any] = {
        "code": status,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }
    if detail:
        error["status"] = "INVALID_ARGUMENT" if status == 400 else "PERMISSION_DENIED"
        error["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": detail,
                "domain": "googleapis.com",
                "metadata": {"service": "youtube.googleapis.com"},
            }
        ]
    return Reply(status, json={"error": error})


def quota_exceeded() -> Reply:
    return google_error(
        403,
        "quotaExceeded",
        'The request cannot be completed because you have exceeded your <a href="/youtube/v3/'
        'getting-started#quota">quota</a>.',
    )


def token_answer(value: str = "ya29.invented-access-token") -> dict[str, Any]:
    return {
        "access_token": value,
        "expires_in": 3599,
        "scope": "https://www.googleapis.com/auth/youtube.force-ssl",
        "token_type": "Bearer",
    }
