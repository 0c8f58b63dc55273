"""A YouTube channel: its new uploads and, optionally, the comment threads on its videos.

1. **The channel.** ``channels.list`` (1 unit) with ``id=UC…`` or ``forHandle=@name`` gives the
   channel's id and its *uploads* playlist; both are kept in the cursor, so it is asked once.
2. **New uploads.** ``playlistItems.list`` on the uploads playlist (1 unit per page of 50, newest
   first) until a video handed over before: the cursor remembers the last ``SEEN_MAX`` ids. The
   first poll takes the newest page only (no backfill of the channel's history).
3. **The videos.** ``videos.list?id=…`` (1 unit per 50 videos) gives the full resources
   (description, language, statistics), handed over oldest first. A video is remembered once
   its resource was asked, so a poll stopped in between asks again at the next one.
4. **Comments** (with ``comments=true``). ``commentThreads.list?allThreadsRelatedToChannelId=…
   &order=time`` (1 unit per page of 100, newest first) until a thread handed over before; each
   thread is handed over with the replies it carries. A channel with comments disabled is noted
   and skipped.

Every request is charged to the quota meter first; when one does not fit (the day's share or
the poll's budget), :class:`~sbu.connectors.youtube_quota.QuotaStop` ends the fetch with what
was collected and a note.
"""

from __future__ import annotations

from typing import Any

from sbu.connectors.youtube_client import Refused, YouTubeApi
from sbu.connectors.youtube_items import Collected, at, items_of, remember, text, texts
from sbu.connectors.youtube_quota import COSTS, QuotaStop
from sbu.connectors.youtube_source import YouTubeSourceConfig
from sbu.core.errors import ConnectorError

UPLOADS_PAGE = 50
THREADS_PAGE = 100
#: Pages read per poll before sbu gives up reaching a video or thread it has seen.
MAX_UPLOAD_PAGES = 4
MAX_THREAD_PAGES = 20
#: Video and thread ids remembered to stop paging and drop repeats.
SEEN_MAX = 500


def read_channel(
    api: YouTubeApi, source: YouTubeSourceConfig, saved: Any, out: Collected
) -> dict[str, Any]:
    """Collect what is new on the channel into ``out``; return the channel's cursor."""
    ref = source.channel_id or ""
    fresh_start = not isinstance(saved, dict) or saved.get("ref") != ref
    state: dict[str, Any] = {"ref": ref} if fresh_start else dict(saved)
    try:
        if text(state.get("id")) is None or text(state.get("uploads")) is None:
            state.update(_resolve(api, ref))
        _read_uploads(api, state, out)
        if source.comments:
            _read_threads(api, state, out)
    except QuotaStop as stop:
        out.note(stop.note)
    return state


def _resolve(api: YouTubeApi, ref: str) -> dict[str, str]:
    key = "forHandle" if ref.startswith("@") else "id"
    body = api.list(
        "channels", {"part": "id,contentDetails", key: ref}, what=f"find the channel {ref}"
    )
    channel = next(iter(items_of(body)), None)
    channel_id = text(at(channel, "id"))
    uploads = text(at(channel, "contentDetails", "relatedPlaylists", "uploads"))
    if channel_id is None or uploads is None:
        msg = (
            f"YouTube has no channel {ref}: check the source's channel_id (the handle with its "
            "@, or the id starting with UC); a deleted or terminated channel cannot be read."
        )
        raise ConnectorError(msg)
    return {"id": channel_id, "uploads": uploads}


def _read_uploads(api: YouTubeApi, state: dict[str, Any], out: Collected) -> None:
    ref = state["ref"]
    first = "videos" not in state
    seen = texts(state.get("videos"))
    known = set(seen)
    fresh: list[str] = []  # newest first
    token: str | None = None
    complete = False
    for page in range(MAX_UPLOAD_PAGES):
        if fresh and not api.meter.affordable(
            COSTS["playlistItems.list"] + _chunks(len(fresh) + UPLOADS_PAGE)
        ):
            break  # keep enough units to ask the videos found so far
        try:
            body = api.list(
                "playlistItems",
                {
                    "part": "contentDetails",
                    "playlistId": state["uploads"],
                    "maxResults": UPLOADS_PAGE,
                    "pageToken": token,
                },
                what=f"read the uploads of {ref}",
            )
        except Refused as exc:
            if page == 0 and "playlistNotFound" in exc.reasons:  # no public video yet
                state["videos"] = seen
                return
            raise
        met_known = False
        for position, entry in enumerate(items_of(body), start=1):
            video_id = text(at(entry, "contentDetails", "videoId")) or text(
                at(entry, "snippet", "resourceId", "videoId")
            )
            if video_id is None:
                out.reject(
                    entry,
                    f"item {position} of page {page + 1} of the uploads of {ref}",
                    "The playlist item names no video (contentDetails.videoId is missing).",
                )
                continue
            if video_id in known:
                met_known = True
                break
            if video_id not in fresh:
                fresh.append(video_id)
        token = text(body.get("nextPageToken"))
        if first or met_known or token is None:
            complete = True
            break
    if not complete:
        out.note(
            f"sbu read {len(fresh):,} new videos of {ref} without reaching one it had seen "
            "before: it took these, and older new ones may be missing; poll the source more "
            "often, or raise max_units_per_poll."
        )
    _read_videos(api, state, list(reversed(fresh)), seen, out)


def _read_videos(
    api: YouTubeApi, state: dict[str, Any], oldest_first: list[str], seen: list[str], out: Collected
) -> None:
    ref = state["ref"]
    state["videos"] = seen
    for start in range(0, len(oldest_first), UPLOADS_PAGE):
        chunk = oldest_first[start : start + UPLOADS_PAGE]
        body = api.list(
            "videos",
            {"part": "snippet,statistics", "id": ",".join(chunk), "maxResults": UPLOADS_PAGE},
            what=f"read the new videos of {ref}",
        )
        found = {text(at(video, "id")): video for video in items_of(body)}
        for video_id in chunk:  # a private or deleted video is not returned: nothing to take
            if video_id in found:
                out.add(found[video_id], f"video {video_id} of {ref}")
        seen = remember(reversed(chunk), seen, SEEN_MAX)
        state["videos"] = seen


def _read_threads(api: YouTubeApi, state: dict[str, Any], out: Collected) -> None:
    ref = state["ref"]
    first = "threads" not in state
    seen = texts(state.get("threads"))
    fresh: list[tuple[str | None, Any]] = []  # newest first, filled while paging
    try:
        complete = _scan_threads(api, state, first, set(seen), fresh)
    except QuotaStop as stop:  # what was read is handed over
        out.note(stop.note)
        complete = False
    except Refused as exc:
        if "commentsDisabled" not in exc.reasons:
            raise
        out.note(
            f"YouTube says comments are disabled on {ref}: sbu collected its videos only; set "
            "comments=false to save a request per poll."
        )
        return
    if not complete and not fresh:
        return  # stopped before the first page: nothing read, nothing to remember
    if not complete:
        out.note(
            f"sbu read {len(fresh):,} new comment threads on {ref} without reaching one it had "
            "seen before: it took these, and older new ones may be missing; poll the source "
            "more often."
        )
    _hand_threads(state, fresh, seen, out)


def _scan_threads(
    api: YouTubeApi,
    state: dict[str, Any],
    first: bool,
    known: set[str],
    fresh: list[tuple[str | None, Any]],
) -> bool:
    """Page through the channel's threads, newest first, into ``fresh`` until a known one;
    return whether a known thread or the end was reached."""
    token: str | None = None
    for _ in range(MAX_THREAD_PAGES):
        body = api.list(
            "commentThreads",
            {
                "part": "snippet,replies",
                "allThreadsRelatedToChannelId": state["id"],
                "order": "time",
                "maxResults": THREADS_PAGE,
                "pageToken": token,
            },
            what=f"read the comments on the videos of {state['ref']}",
        )
        for thread in items_of(body):
            thread_id = text(at(thread, "id"))
            if thread_id is not None and thread_id in known:
                return True
            if thread_id is not None:
                known.add(thread_id)
            fresh.append((thread_id, thread))
        token = text(body.get("nextPageToken"))
        if first or token is None:
            return True
    return False


def _hand_threads(
    state: dict[str, Any], fresh: list[tuple[str | None, Any]], seen: list[str], out: Collected
) -> None:
    ref = state["ref"]
    for position, (thread_id, thread) in enumerate(reversed(fresh), start=1):
        where = (
            f"comment thread {thread_id} on {ref}"
            if thread_id
            else f"comment thread {position} on {ref}"
        )
        if out.add(thread, where):
            replies = at(thread, "replies", "comments")
            for reply in sorted(replies, key=_published) if isinstance(replies, list) else []:
                out.add(reply, f"reply {text(at(reply, 'id')) or '?'} on {ref}")
    ids = [thread_id for thread_id, _ in fresh if thread_id is not None]
    state["threads"] = remember(ids, seen, SEEN_MAX)


def _published(comment: Any) -> str:
    return text(at(comment, "snippet", "publishedAt")) or ""


def _chunks(count: int) -> int:
    return -(-count // UPLOADS_PAGE)
