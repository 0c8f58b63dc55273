"""X's recent search, page by page: what one poll of a source (or a gap fill) reads.

``GET /2/tweets/search/recent`` serves the last 7 days. The first poll reads the newest page
only; each next poll asks for the posts newer than the newest one read (``since_id``) and
follows ``next_token`` page by page, at most ``pages`` pages, saying ``more`` when pages are
left. A round of pages left unfinished is kept in the cursor (:class:`~sbu.connectors.x_cursor.
XCursor`) with its ``since_id``, so the next poll goes on where this one stopped. The budget
guard (:mod:`sbu.connectors.x_budget`) is asked before each page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sbu.connectors.api_client import ApiClient
from sbu.connectors.base import FetchResult
from sbu.connectors.x_budget import CostMeter
from sbu.connectors.x_cursor import XCursor, newest, text
from sbu.connectors.x_http import call
from sbu.connectors.x_posts import FIELDS, oldest_first, page_posts, read_posts
from sbu.connectors.x_rules import XQuery
from sbu.connectors.x_source import XSourceConfig
from sbu.core.errors import RateLimited, Transient
from sbu.listening.drafts import RawItem, Rejected

SEARCH = "/2/tweets/search/recent"
#: The recent search reaches this far back; an older ``since_id`` is refused by X.
SEARCH_WINDOW = timedelta(days=7) - timedelta(minutes=10)
_TWITTER_EPOCH_MS = 1288834974657


def search_recent(
    client: ApiClient,
    source: XSourceConfig,
    query: XQuery,
    state: XCursor,
    meter: CostMeter,
    where: str,
    now: datetime,
    pages: int,
    *,
    remember: bool = False,
) -> FetchResult:
    """The posts newer than ``state`` (the newest page when it has none), at most ``pages``
    pages; ``state`` and ``meter`` move with what is read. ``remember`` keeps the ids read
    in the cursor (streamed sources)."""
    notes: list[str] = []
    if state.query != query.text:
        notes.extend(query.notes)
        state.query = query.text
        state.end_round()
    if state.next_token is not None:
        since, token, round_newest = state.round_since, state.next_token, state.round_newest
    else:
        since, token, round_newest = state.newest_id, None, None
    if since is not None and _older_than_search(since, now):
        notes.append(
            f"The newest post read by {where} is more than 7 days old, beyond X's recent "
            "search: posts written between then and the last 7 days were not read; sbu "
            "starts again from the newest page."
        )
        since = token = round_newest = None
        state.newest_id = None
        state.end_round()
    first = since is None
    known = set(state.seen)
    items: list[RawItem] = []
    rejected: list[Rejected] = []
    read = 0
    stopped = False
    for _ in range(pages):
        size = meter.page_size(source.max_results)
        if size == 0:
            if read == 0:
                raise meter.reached(now, page=source.max_results)
            notes.append(str(meter.reached(now, page=source.max_results)))
            stopped = True
            break
        params = {
            "query": query.text,
            "max_results": size,
            "since_id": since,
            "next_token": token,
            **FIELDS,
        }
        try:
            body = call(client, "GET", SEARCH, "recent search", params=params)
        except (Transient, RateLimited) as exc:
            if read == 0:
                raise
            pages_read = "1 page" if read == 1 else f"{read} pages"
            notes.append(
                f"{exc} What was read before ({pages_read}) is kept; the next poll goes on "
                "from there."
            )
            stopped = True
            break
        read += 1
        batch = read_posts(page_posts(body, where), where, known)
        meter.count(batch.count)
        items.extend(batch.items)
        rejected.extend(batch.rejected)
        if remember:
            state.remember(batch.ids)
        meta = body.get("meta")
        meta = meta if isinstance(meta, Mapping) else {}
        page_newest = text(meta.get("newest_id")) or newest(batch.ids)
        if first:
            state.advance(page_newest)
            state.end_round()
            break
        round_newest = round_newest or page_newest
        token = text(meta.get("next_token"))
        if token is not None and batch.count > 0:
            state.next_token, state.round_since = token, since
            state.round_newest = round_newest
            continue
        state.advance(round_newest)
        state.end_round()
        break
    meter.save(state)
    return FetchResult(
        items=sorted(items, key=oldest_first),
        cursor=state.to_dict(),
        rejected=rejected,
        more=state.next_token is not None and not stopped,
        notes=notes,
        usage=meter.usage(),
    )


def _older_than_search(post_id: str, now: datetime) -> bool:
    """Whether the post ``post_id`` (a snowflake id: its time in its high bits) is older than
    the recent search reaches."""
    try:
        millis = (int(post_id) >> 22) + _TWITTER_EPOCH_MS
    except ValueError:
        return False
    return millis / 1000 < (now - SEARCH_WINDOW).timestamp()
