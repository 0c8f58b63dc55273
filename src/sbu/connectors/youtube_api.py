"""YouTube: the ``youtube`` connector reads a channel's new videos and comment threads, or the
videos matching a search, through the YouTube Data API v3 with a Google API key, and keeps
within the key's daily quota.

A source has one of two modes:

- ``channel``: the channel's new uploads and, with ``comments=true``, the comment threads on its
  videos (:mod:`sbu.connectors.youtube_channel`);
- ``search``: the videos matching ``query``, newest first (:mod:`sbu.connectors.youtube_search`).

Every request is counted in quota units per Pacific day in the source's cursor
(:mod:`sbu.connectors.youtube_quota`). A poll stops before a request that would take the day
past 95 % of ``daily_quota`` or the poll past ``max_units_per_poll``, and returns what it has
with a note; when not even the poll's first request fits, the poll raises
:class:`~sbu.core.errors.RateLimited` with the time until midnight Pacific time, and the poller
waits until then. The usage is reported in :attr:`FetchResult.usage` for the Sources page.

Requests, refusals and the API key are in :mod:`sbu.connectors.youtube_client`; replies (OAuth)
in :mod:`sbu.connectors.youtube_reply`. Items are ``RawItem(mapper="youtube")``, mapped by
:class:`~sbu.connectors.youtube.YouTubeMapper`; a resource it refuses goes to ``rejected`` and
the page goes on.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel

from sbu.connectors.api_client import Clock, Sleep
from sbu.connectors.api_connector import utc_now
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.config_checks import source_config
from sbu.connectors.youtube_channel import read_channel
from sbu.connectors.youtube_client import API_BASE_URL, YouTubeApi
from sbu.connectors.youtube_items import Collected
from sbu.connectors.youtube_quota import COSTS, QuotaMeter
from sbu.connectors.youtube_reply import TOKEN_BASE_URL, post_reply
from sbu.connectors.youtube_search import read_search
from sbu.connectors.youtube_source import YouTubeSourceConfig
from sbu.core.errors import RateLimited
from sbu.listening.drafts import RawItem
from sbu.settings import ConnectorSettings

__all__ = ["YouTubeConnector", "YouTubeSourceConfig"]

#: A search costs 100 units: every 30 minutes, 48 searches use about half the default quota.
DEFAULT_POLL_SECONDS = 1800


class YouTubeConnector:
    """Polls a YouTube channel or search with an API key, within the key's daily quota."""

    key = "youtube"
    title = "YouTube channel or search"
    capabilities = frozenset({Capability.POLL, Capability.SEARCH, Capability.REPLY})
    settings_model: type[BaseModel] = YouTubeSourceConfig

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        base_url: str = API_BASE_URL,
        token_base_url: str = TOKEN_BASE_URL,
        sleep: Sleep = time.sleep,
        clock: Clock = utc_now,
        default_poll_seconds: int = DEFAULT_POLL_SECONDS,
    ) -> None:
        self.settings = settings
        self.base_url = base_url
        self.token_base_url = token_base_url
        self.sleep = sleep
        self.clock = clock
        self.default_poll_seconds = default_poll_seconds

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """Return the videos and comments new since the cursor, oldest first, and the cursor
        (with the day's quota count) to save with them."""
        source = source_config(config, YouTubeSourceConfig)
        state = cursor or {}
        meter = QuotaMeter.from_cursor(
            state,
            now=context.now,
            daily_quota=source.daily_quota,
            poll_budget=source.max_units_per_poll,
        )
        owner = f"the source {context.source_name!r}"
        first_cost = COSTS["search.list" if source.mode == "search" else "playlistItems.list"]
        if not meter.fits_today(first_cost):
            raise RateLimited(
                meter.day_used_message(owner, context.now),
                retry_after=meter.seconds_to_reset(context.now),
            )
        out = Collected()
        with YouTubeApi(
            self.settings,
            api_key=source.api_key,
            meter=meter,
            owner=owner,
            now=context.now,
            base_url=self.base_url,
            sleep=self.sleep,
            clock=self.clock,
        ) as api:
            if source.mode == "channel":
                next_cursor: dict[str, Any] = {
                    "channel": read_channel(api, source, state.get("channel"), out)
                }
            else:
                next_cursor = {"search": read_search(api, source, state.get("search"), out)}
        next_cursor.update(meter.as_cursor())
        return FetchResult(
            items=out.items,
            cursor=next_cursor,
            rejected=out.rejected,
            notes=out.notes,
            usage=meter.usage(),
        )

    def reply(self, config: BaseModel, parent_comment_id: str, text: str) -> RawItem:
        """Post ``text`` as a reply under the comment ``parent_comment_id`` (a reply to a reply
        goes under its top-level comment) and return the new comment as a ``youtube`` item.
        Needs the source's OAuth client and refresh token; costs 50 quota units."""
        source = source_config(config, YouTubeSourceConfig)
        return post_reply(
            self.settings,
            source,
            parent_comment_id,
            text,
            api_base_url=self.base_url,
            token_base_url=self.token_base_url,
            sleep=self.sleep,
            clock=self.clock,
        )
