"""YouTube Data API v3 resources: videos, comment threads and comments.

A video (from ``videos.list``, or a ``search.list`` result whose id object names a video) has its
description as text and the video title as title; a comment thread becomes its top-level
comment (thread = the video); a reply comment points to its parent comment. The replies a
thread carries in ``replies.comments`` are not mapped here: fetch them as comments.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from sbu.connectors.fields import language, metrics, obj, opt_str, parse_time, req_str
from sbu.core.errors import BadPayload
from sbu.core.text import html_to_text
from sbu.listening.drafts import AuthorDraft, MentionDraft

PLATFORM = "youtube"
WATCH = "https://www.youtube.com/watch?v="


class YouTubeMapper:
    key = "youtube"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        kind = payload.get("kind")
        if kind == "youtube#video":
            return self._video(payload)
        if kind == "youtube#searchResult":
            found = obj(payload, "id", required=True).get("kind")
            if found != "youtube#video":
                msg = (
                    f"This YouTube search result is a {found!r}, not a video: search with "
                    "type=video, or skip channels and playlists."
                )
                raise BadPayload(msg)
            return self._video(payload, escaped=True)
        if kind == "youtube#commentThread":
            snippet = obj(payload, "snippet", required=True)
            top = obj(snippet, "topLevelComment", required=True)
            return self._comment(payload, top, opt_str(snippet, "videoId"))
        if kind == "youtube#comment":
            return self._comment(payload, payload, None)
        msg = (
            f"A YouTube resource of kind {kind!r} is not a post: only youtube#video, "
            "youtube#commentThread and youtube#comment become mentions."
        )
        raise BadPayload(msg)

    def _video(self, payload: Mapping[str, Any], *, escaped: bool = False) -> MentionDraft:
        video_id = _video_id(payload)
        snippet = obj(payload, "snippet", required=True)
        channel_id = opt_str(snippet, "channelId")
        text = opt_str(snippet, "description") or ""
        title = opt_str(snippet, "title")
        if escaped:  # search.list returns titles and descriptions HTML-escaped ("J&#39;ai")
            text = html.unescape(text)
            title = html.unescape(title) if title is not None else None
        return MentionDraft(
            platform=PLATFORM,
            external_id=video_id,
            text=text,
            title=title,
            created_at=parse_time(snippet.get("publishedAt"), "snippet.publishedAt"),
            raw=dict(payload),
            url=f"{WATCH}{video_id}",
            language=language(snippet.get("defaultAudioLanguage"))
            or language(snippet.get("defaultLanguage")),
            author=(
                AuthorDraft(
                    external_id=channel_id,
                    display_name=opt_str(snippet, "channelTitle"),
                    url=f"https://www.youtube.com/channel/{channel_id}",
                )
                if channel_id
                else None
            ),
            metrics=metrics(
                obj(payload, "statistics"),
                {"views": "viewCount", "likes": "likeCount", "replies": "commentCount"},
            ),
        )

    def _comment(
        self, payload: Mapping[str, Any], comment: Mapping[str, Any], video_id: str | None
    ) -> MentionDraft:
        comment_id = req_str(comment, "id")
        snippet = obj(comment, "snippet", required=True)
        video_id = video_id or opt_str(snippet, "videoId")
        text = opt_str(snippet, "textOriginal") or html_to_text(
            opt_str(snippet, "textDisplay") or ""
        )
        channel = opt_str(obj(snippet, "authorChannelId"), "value")
        parent = opt_str(snippet, "parentId") or video_id
        return MentionDraft(
            platform=PLATFORM,
            external_id=comment_id,
            text=text,
            created_at=parse_time(snippet.get("publishedAt"), "snippet.publishedAt"),
            raw=dict(payload),
            url=f"{WATCH}{video_id}&lc={comment_id}" if video_id else None,
            author=(
                AuthorDraft(
                    external_id=channel,
                    display_name=opt_str(snippet, "authorDisplayName"),
                    url=opt_str(snippet, "authorChannelUrl"),
                )
                if channel
                else None
            ),
            metrics=metrics(snippet, {"likes": "likeCount"})
            | metrics(obj(payload, "snippet"), {"replies": "totalReplyCount"}),
            parent_external_id=parent,
            thread_external_id=video_id,
        )


def _video_id(payload: Mapping[str, Any]) -> str:
    raw_id = payload.get("id")
    if isinstance(raw_id, Mapping):  # search results: {"kind": "youtube#video", "videoId": ...}
        return req_str(raw_id, "videoId")
    return req_str(payload, "id")
