"""Reddit: the ``reddit`` connector polls subreddits' new posts, comments or search results
through Reddit's OAuth API, and replies to posts and comments.

Listings (``/r/bretagne+france/new``, ``/comments``, ``/search?sort=new``) list things newest
first and page with fullnames: ``after=t3_x`` gives the things older than ``t3_x``,
``before=t3_x`` the ones just newer than it (the oldest of them first in time, still listed
newest first). The cursor keeps the newest fullname handed over and the fullnames of the last
``SEEN_MAX`` things, so:

- the **first poll** takes the newest page only (no backfill of the subreddits' history);
- **later polls** ask ``before=<newest>``: a full page means more are waiting, and the fetch says
  ``more=True`` so the poller asks again at once from the new position (each page is stored
  with its cursor, so an interruption loses nothing);
- ``before`` gives an **empty page** both when nothing is new and when the thing it names was
  removed (Reddit no longer finds it in the listing). So an empty answer is checked against the
  top of the listing: sbu scans pages with ``after`` (up to ``MAX_SCAN_PAGES``) until it meets a
  fullname it has already seen, and hands over what came before it.

Things already seen are dropped; the others go to the ingest service oldest first as
``RawItem(mapper="reddit")`` (see :mod:`sbu.connectors.reddit`). A thing the mapper refuses is
returned in ``rejected`` and the page goes on. Tokens, retries and rate limits are in
:mod:`sbu.connectors.reddit_oauth` and :mod:`sbu.connectors.api_client`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from sbu.connectors.api_client import ApiResponse, Clock, Sleep
from sbu.connectors.api_connector import utc_now
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.config_checks import source_config
from sbu.connectors.mapped_items import payload_text
from sbu.connectors.reddit import RedditThingMapper
from sbu.connectors.reddit_config import RedditSourceConfig
from sbu.connectors.reddit_oauth import (
    API_BASE_URL,
    AUTH_BASE_URL,
    Describe,
    RedditApi,
    RedditAuth,
    refusal_reason,
)
from sbu.connectors.reddit_reply import post_reply
from sbu.core.errors import BadPayload, ConnectorError
from sbu.listening.drafts import RawItem, Rejected
from sbu.settings import ConnectorSettings

__all__ = ["RedditConnector", "RedditSourceConfig"]

#: Fullnames remembered to drop things handed over before.
SEEN_MAX = 300
#: Pages scanned from the top when ``before`` gives nothing (Reddit lists about 1,000 things).
MAX_SCAN_PAGES = 10
DEFAULT_POLL_SECONDS = 300


class RedditConnector:
    """Polls one listing of one or more subreddits with a Reddit app's OAuth credentials."""

    key = "reddit"
    title = "Reddit subreddits"
    capabilities = frozenset({Capability.POLL, Capability.REPLY})
    settings_model: type[BaseModel] = RedditSourceConfig

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        base_url: str = API_BASE_URL,
        auth_base_url: str = AUTH_BASE_URL,
        sleep: Sleep = time.sleep,
        clock: Clock = utc_now,
        default_poll_seconds: int = DEFAULT_POLL_SECONDS,
    ) -> None:
        self.auth = RedditAuth(
            settings, auth_base_url=auth_base_url, api_base_url=base_url, sleep=sleep, clock=clock
        )
        self.default_poll_seconds = default_poll_seconds
        self._mapper = RedditThingMapper()

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """Return the things listed since the cursor, oldest first, and the cursor to save."""
        source = source_config(config, RedditSourceConfig)
        listing = _Listing(source)
        state = cursor or {}
        same_listing = state.get("listing") == listing.key
        newest = _text(state.get("newest")) if same_listing else None
        seen = [name for name in state.get("seen") or [] if isinstance(name, str)]
        notes: list[str] = []
        more = False
        with self.auth.open(
            source.credentials,
            platform=f"Reddit ({listing.label})",
            owner=f"the source {context.source_name!r}",
        ) as api:
            if newest is None:  # first poll: the newest page only
                top = fresh = _get(api, listing).children
            else:
                page = _get(api, listing, before=newest)
                if page.children:
                    top = fresh = page.children
                    more = page.before is not None or len(page.children) >= source.limit
                else:  # nothing new, or the thing named by `before` is gone: read the top
                    fresh, top, complete = _scan(api, listing, {*seen, newest})
                    if not complete:
                        notes.append(
                            f"sbu read {len(fresh):,} new things of {listing.label} without "
                            "reaching one it had seen before: it took these, and older ones "
                            "may be missing; poll the source more often."
                        )
        items, rejected, names = self._sort(fresh, set(seen), listing)
        next_cursor = {
            "listing": listing.key,
            "newest": _first_name(top),
            "seen": list(dict.fromkeys([*names, *seen]))[:SEEN_MAX],
        }
        return FetchResult(
            items=items, cursor=next_cursor, rejected=rejected, more=more, notes=notes
        )

    def reply(self, config: BaseModel, parent_fullname: str, text: str) -> RawItem:
        """Post ``text`` as a comment under a post (``t3_…``) or comment (``t1_…``); return the
        new comment as a ``reddit`` item. Needs a script app signed in as an account."""
        source = source_config(config, RedditSourceConfig)
        return post_reply(self.auth, source, parent_fullname, text)

    def _sort(
        self, things: list[Any], known: set[str], listing: _Listing
    ) -> tuple[list[RawItem], list[Rejected], list[str]]:
        """Things not seen before as items (oldest first) or rejects, and their fullnames."""
        items: list[RawItem] = []
        rejected: list[Rejected] = []
        names: list[str] = []
        for position, thing in enumerate(things, start=1):
            name = _fullname(thing)
            if name is not None:
                if name in known:
                    continue
                known.add(name)
                names.append(name)
            where = f"{name} in {listing.label}" if name else f"thing {position} of {listing.label}"
            try:
                if not isinstance(thing, dict):
                    msg = f"The listing holds a JSON {type(thing).__name__} where a Reddit thing was expected."
                    raise BadPayload(msg)
                self._mapper.to_mention(thing)
            except BadPayload as exc:
                rejected.append(Rejected(where, str(exc), payload_text(thing)))
                continue
            items.append(RawItem("reddit", thing, where))
        items.reverse()
        return items, rejected, names


@dataclass(frozen=True, slots=True)
class _Listing:
    """The listing a source reads: its address and parameters, and names for messages."""

    config: RedditSourceConfig

    @property
    def path(self) -> str:
        return f"/r/{'+'.join(self.config.subreddits)}/{self.config.listing}"

    @property
    def key(self) -> str:
        """What the cursor's position belongs to: another listing starts afresh."""
        subreddits = "+".join(sorted(name.lower() for name in self.config.subreddits))
        key = f"{self.config.listing}:{subreddits}"
        return f"{key}:{self.config.query}" if self.config.query else key

    @property
    def label(self) -> str:
        label = f"r/{'+'.join(self.config.subreddits)}/{self.config.listing}"
        return f"{label} for {self.config.query[:60]!r}" if self.config.query else label

    @property
    def names(self) -> str:
        names = [f"r/{name}" for name in self.config.subreddits]
        return names[0] if len(names) == 1 else f"one of {', '.join(names)}"

    def params(self, *, before: str | None = None, after: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "limit": self.config.limit,
            "raw_json": 1,  # texts as written, not HTML-escaped
            "before": before,
            "after": after,
        }
        if self.config.query is not None:
            params.update(q=self.config.query, restrict_sr=1, sort="new")
        return params


@dataclass(frozen=True, slots=True)
class _Page:
    children: list[Any]
    before: str | None
    after: str | None


def _get(
    api: RedditApi, listing: _Listing, *, before: str | None = None, after: str | None = None
) -> _Page:
    response = api.request(
        "GET",
        listing.path,
        params=listing.params(before=before, after=after),
        describe=_refusal(listing),
    )
    _check_not_redirected(response, listing)
    body = response.json()
    data = body.get("data") if isinstance(body, dict) and body.get("kind") == "Listing" else None
    children = data.get("children") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(children, list):
        msg = (
            f"Reddit answered {listing.label} with something that is not a listing: check that "
            "the API address points at https://oauth.reddit.com."
        )
        raise ConnectorError(msg)
    return _Page(children, _text(data.get("before")), _text(data.get("after")))


def _scan(api: RedditApi, listing: _Listing, known: set[str]) -> tuple[list[Any], list[Any], bool]:
    """Pages from the top until a known fullname: (the things above it, newest first; the top
    page; whether a known thing or the end of the listing was reached)."""
    fresh: list[Any] = []
    top: list[Any] | None = None
    after: str | None = None
    for _ in range(MAX_SCAN_PAGES):
        page = _get(api, listing, after=after)
        top = page.children if top is None else top
        for thing in page.children:
            if _fullname(thing) in known:
                return fresh, top, True
            fresh.append(thing)
        if page.after is None or not page.children:
            return fresh, top, True
        after = page.after
    return fresh, top or [], False


def _refusal(listing: _Listing) -> Describe:
    def describe(response: ApiResponse) -> str | None:
        reason = refusal_reason(response)
        if response.status == 403:
            return (
                f"Reddit refused access to {listing.names} (HTTP 403{reason}): a private or "
                "quarantined subreddit can only be read by an account it let in; remove it from "
                "the source's subreddits, or give the username and password of an approved "
                "account. The source stays paused until then."
            )
        if response.status == 404:
            return (
                f"Reddit has no readable subreddit {listing.names} (HTTP 404{reason}): it was "
                "banned, deleted or never existed; check the spelling, or remove it from the "
                "source's subreddits."
            )
        return None

    return describe


def _check_not_redirected(response: ApiResponse, listing: _Listing) -> None:
    """Reddit answers a subreddit that does not exist with a redirect to its subreddit search."""
    path = urlsplit(response.url).path.rstrip("/").lower()
    if path.endswith(listing.path.lower()):
        return
    if "/subreddits/search" in path:
        msg = (
            f"Reddit has no subreddit called {listing.names} (it sent sbu to its subreddit "
            "search): check the spelling of the source's subreddits."
        )
        raise ConnectorError(msg)
    msg = f"Reddit sent the request for {listing.label} to {response.url}: check the source's subreddits."
    raise ConnectorError(msg)


def _fullname(thing: Any) -> str | None:
    """``data.name`` of a thing, or its kind and id (``t3_abc``); None when it has neither."""
    if not isinstance(thing, dict) or not isinstance(data := thing.get("data"), dict):
        return None
    name = data.get("name")
    if isinstance(name, str) and name:
        return name
    kind, ident = thing.get("kind"), data.get("id")
    if isinstance(kind, str) and isinstance(ident, str) and kind and ident:
        return f"{kind}_{ident}"
    return None


def _first_name(things: list[Any]) -> str | None:
    return next((name for name in map(_fullname, things) if name is not None), None)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
