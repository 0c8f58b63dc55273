"""Polling a Bluesky search: ``app.bsky.feed.searchPosts`` page by page, newest first.

The first poll takes the newest page only (sbu does not backfill a search). Each next poll
reads from the newest post down, page after page (``cursor`` of the answer), until it meets a
post it has already handed over, or one indexed before the previous poll's newest post, or the
end of the results; at most ``pages`` pages per poll. When pages are left, the poll says
``more`` and the search cursor is kept so the next poll goes on from there, down to the same
boundary (the posts that came meanwhile shift the pages: those met twice are dropped), before
it starts again from the top.

The cursor kept with the mentions is a :class:`SearchCursor`: the newest ``indexedAt`` and
``uri`` handed over, the uris of recent posts (so a post met twice is handed over once), and,
while a backfill is going on, where to resume.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sbu.connectors.bluesky import BlueskyPostMapper
from sbu.connectors.mapped_items import check_payload, payload_text
from sbu.core.errors import ConnectorError
from sbu.listening.drafts import RawItem, Rejected

_MAPPER = BlueskyPostMapper()
#: The cursor remembers at least this many recent uris, and every uri of the last poll.
SEEN_MIN = 500
SEEN_MAX = 3000

#: Asks one page: the search cursor (None for the first page) → the answer's JSON.
PageReader = Callable[[str | None], Any]


@dataclass(slots=True)
class SearchCursor:
    newest_indexed_at: str | None = None
    newest_uri: str | None = None
    #: Uris of recent posts, newest first.
    seen: list[str] = field(default_factory=list)
    #: While a backfill goes on: the search cursor to resume from, and the newest post it met.
    resume: str | None = None
    round_newest: str | None = None
    round_newest_uri: str | None = None

    @property
    def started(self) -> bool:
        return self.newest_indexed_at is not None or bool(self.seen)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SearchCursor:
        data = data or {}
        return cls(
            newest_indexed_at=_text(data.get("newest_indexed_at")),
            newest_uri=_text(data.get("newest_uri")),
            seen=[s for s in data.get("seen") or [] if isinstance(s, str)],
            resume=_text(data.get("resume")),
            round_newest=_text(data.get("round_newest")),
            round_newest_uri=_text(data.get("round_newest_uri")),
        )

    def to_dict(self) -> dict[str, Any]:
        values = {
            "newest_indexed_at": self.newest_indexed_at,
            "newest_uri": self.newest_uri,
            "seen": self.seen,
            "resume": self.resume,
            "round_newest": self.round_newest,
            "round_newest_uri": self.round_newest_uri,
        }
        return {k: v for k, v in values.items() if v is not None}


@dataclass(slots=True)
class SearchBatch:
    items: list[RawItem]
    rejected: list[Rejected]
    cursor: SearchCursor
    more: bool


def read_search(
    read_page: PageReader, state: SearchCursor, *, pages: int, where: str
) -> SearchBatch:
    """The posts of this poll (oldest first) and the cursor to save with them."""
    known = set(state.seen)
    posts: list[Any] = []
    if not state.started:
        posts, _ = _page(read_page, None, where)
        next_page: str | None = None
    else:
        next_page = state.resume
        # Going on with a backfill, the pages have shifted by the posts that came meanwhile and
        # repeat posts of its first part: only the boundary ends it.
        stop_at = set() if state.resume is not None else set(known)
        for _ in range(pages):
            page, next_page = _page(read_page, next_page, where)
            posts.extend(page)
            if not page or next_page is None or _reaches(page, stop_at, state.newest_indexed_at):
                next_page = None
                break
    items, rejected, uris, newest = _sort(posts, known, where)
    round_newest = _newer(newest, (state.round_newest, state.round_newest_uri))
    following = SearchCursor(seen=_remember(uris, state.seen))
    if next_page is not None:  # pages are left: the boundary stays until they are read
        following.newest_indexed_at = state.newest_indexed_at
        following.newest_uri = state.newest_uri
        following.resume = next_page
        following.round_newest, following.round_newest_uri = round_newest
    else:
        best = _newer(round_newest, (state.newest_indexed_at, state.newest_uri))
        following.newest_indexed_at, following.newest_uri = best
    return SearchBatch(items, rejected, following, more=next_page is not None)


def _page(read_page: PageReader, cursor: str | None, where: str) -> tuple[list[Any], str | None]:
    body = read_page(cursor)
    posts = body.get("posts") if isinstance(body, dict) else None
    if not isinstance(posts, list):
        msg = (
            f"Bluesky answered {where} with {type(body).__name__} and no list of posts: check "
            "that the source's service is a Bluesky server (for example https://bsky.social)."
        )
        raise ConnectorError(msg)
    following = body.get("cursor")
    return posts, following if isinstance(following, str) and following else None


def _reaches(page: list[Any], known: set[str], boundary: str | None) -> bool:
    """Whether ``page`` holds a post already handed over, or one indexed before the last poll's
    newest post (the pages after it are older still)."""
    for post in page:
        if not isinstance(post, dict):
            continue
        if post.get("uri") in known:
            return True
        indexed = post.get("indexedAt")
        if boundary is not None and isinstance(indexed, str) and indexed <= boundary:
            return True
    return False


def _sort(
    posts: Iterable[Any], known: set[str], where: str
) -> tuple[list[RawItem], list[Rejected], list[str], tuple[str | None, str | None]]:
    """New items (oldest first), rejected posts, the uris met, and the newest (indexedAt, uri)."""
    accepted: list[tuple[str, str, RawItem]] = []
    rejected: list[Rejected] = []
    uris: list[str] = []
    newest: tuple[str | None, str | None] = (None, None)
    for position, post in enumerate(posts, start=1):
        uri = post.get("uri") if isinstance(post, dict) else None
        if not isinstance(uri, str) or not uri:
            reason = (
                "This search result is not a Bluesky post with a 'uri': it was skipped; if "
                "every result lacks it, the service does not speak Bluesky's API."
            )
            rejected.append(Rejected(f"result {position} of {where}", reason, payload_text(post)))
            continue
        if uri in known:
            continue
        known.add(uri)
        uris.append(uri)
        indexed = _text(post.get("indexedAt")) or ""
        newest = _newer(newest, (indexed or None, uri))
        locator = f"post {uri} of {where}"
        checked = check_payload(_MAPPER, post, locator, platform="Bluesky", thing="post")
        if isinstance(checked, Rejected):
            rejected.append(checked)
        else:
            accepted.append((indexed, uri, checked))
    accepted.sort(key=lambda triple: (triple[0], triple[1]))
    return [item for _, _, item in accepted], rejected, uris, newest


def _newer(
    a: tuple[str | None, str | None], b: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    if a[0] is None:
        return b
    if b[0] is None:
        return a
    return a if (a[0], a[1] or "") >= (b[0], b[1] or "") else b


def _remember(uris: list[str], seen: list[str]) -> list[str]:
    """The uris of this poll first, then older ones, without repeats, bounded."""
    merged = list(dict.fromkeys([*uris, *seen]))
    return merged[: min(max(SEEN_MIN, len(uris)), SEEN_MAX)]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
