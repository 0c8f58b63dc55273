"""A YouTube search: the videos matching a query, newest first, since the last poll.

``search.list?q=…&type=video&order=date`` costs **100 units per page** of 50 results. The cursor
keeps the date of the newest video seen (``after``); each poll asks for the videos published
after it, less ``OVERLAP`` (YouTube indexes some videos minutes after they are published), and
reads every page of the answer within the poll's budget. Results already handed over (the
cursor remembers ``SEEN_MAX`` ids) are dropped. The first poll takes the newest page only.

When the budget stops the paging, the cursor keeps the next page's token (``pending``) and the
next poll goes on from there before moving ``after`` forward, so nothing is skipped.

Search results carry a shortened description and no statistics: the new videos are then asked
with ``videos.list`` (1 unit per 50) and handed over as full ``youtube#video`` resources; a
video it does not return (or a poll out of units) is handed over as its search result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sbu.connectors.youtube_client import Refused, YouTubeApi
from sbu.connectors.youtube_items import (
    Collected,
    at,
    items_of,
    parse_when,
    remember,
    rfc3339,
    text,
    texts,
)
from sbu.connectors.youtube_quota import QuotaStop
from sbu.connectors.youtube_source import YouTubeSourceConfig

SEARCH_PAGE = 50
OVERLAP = timedelta(hours=1)
SEEN_MAX = 1000


def search_key(source: YouTubeSourceConfig) -> str:
    """What the cursor's position belongs to: another query, region or language starts afresh."""
    return "|".join((source.query or "", source.region_code or "", source.relevance_language or ""))


def read_search(
    api: YouTubeApi, source: YouTubeSourceConfig, saved: Any, out: Collected
) -> dict[str, Any]:
    """Collect the new videos matching the query into ``out``; return the search's cursor."""
    key = search_key(source)
    state: dict[str, Any] = (
        dict(saved) if isinstance(saved, dict) and saved.get("key") == key else {"key": key}
    )
    seen = texts(state.get("seen"))
    pending = state.get("pending") if isinstance(state.get("pending"), dict) else None
    scan = _Scan(
        after=parse_when((pending or state).get("after")),
        newest=parse_when(pending.get("newest")) if pending else None,
        token=text(pending.get("token")) if pending else None,
        first="after" not in state and pending is None,
        known=set(seen),
    )
    found: list[tuple[str, Any]] = []  # newest first
    try:
        _page_through(api, source, scan, found, out)
        if scan.newest is not None:
            state["after"] = rfc3339(scan.newest)
        state.pop("pending", None)
    except QuotaStop as stop:
        out.note(stop.note)
        if scan.token is not None:  # go on from this page at the next poll
            state["pending"] = {
                "token": scan.token,
                "after": rfc3339(scan.after) if scan.after else None,
                "newest": rfc3339(scan.newest) if scan.newest else None,
            }
    oldest_first = list(reversed(found))
    _hand_over(api, source, oldest_first, out)
    state["seen"] = remember((video_id for video_id, _ in found), seen, SEEN_MAX)
    return state


@dataclass(slots=True)
class _Scan:
    """Where the paging of one search stands."""

    after: datetime | None
    newest: datetime | None
    token: str | None
    first: bool
    known: set[str]


def _page_through(
    api: YouTubeApi,
    source: YouTubeSourceConfig,
    scan: _Scan,
    found: list[tuple[str, Any]],
    out: Collected,
) -> None:
    query = source.query or ""
    while True:
        params = {
            "part": "snippet",
            "q": query,
            "type": "video",
            "order": "date",
            "maxResults": SEARCH_PAGE,
            "publishedAfter": rfc3339(scan.after - OVERLAP) if scan.after else None,
            "regionCode": source.region_code,
            "relevanceLanguage": source.relevance_language,
            "pageToken": scan.token,
        }
        try:
            body = api.list("search", params, what=f"search YouTube for {query[:60]!r}")
        except Refused as exc:
            if "invalidPageToken" not in exc.reasons or scan.token is None:
                raise
            out.note(
                f"YouTube no longer knew the page of the search {query[:60]!r} where the last "
                "poll stopped: sbu starts again from the newest videos (repeats are dropped)."
            )
            scan.token = None
            continue
        results = items_of(body)
        for position, result in enumerate(results, start=1):
            video_id = text(at(result, "id", "videoId"))
            published = parse_when(at(result, "snippet", "publishedAt"))
            if published is not None and (scan.newest is None or published > scan.newest):
                scan.newest = published
            if video_id is None:  # the mapper says why
                out.add(result, f"result {position} of the search {query[:60]!r}")
                continue
            if video_id in scan.known:
                continue
            scan.known.add(video_id)
            found.append((video_id, result))
        scan.token = text(body.get("nextPageToken"))
        if scan.first or scan.token is None or not results:
            scan.token = None
            return


def _hand_over(
    api: YouTubeApi,
    source: YouTubeSourceConfig,
    oldest_first: list[tuple[str, Any]],
    out: Collected,
) -> None:
    """The full video resource of each result when YouTube gives it, else the result."""
    videos: dict[str | None, Any] = {}
    try:
        for start in range(0, len(oldest_first), SEARCH_PAGE):
            chunk = [video_id for video_id, _ in oldest_first[start : start + SEARCH_PAGE]]
            body = api.list(
                "videos",
                {"part": "snippet,statistics", "id": ",".join(chunk), "maxResults": SEARCH_PAGE},
                what=f"read the videos found by the search {(source.query or '')[:60]!r}",
            )
            videos.update((text(at(video, "id")), video) for video in items_of(body))
    except QuotaStop as stop:
        out.note(stop.note)
    for video_id, result in oldest_first:
        out.add(videos.get(video_id, result), f"video {video_id} found by the search")
