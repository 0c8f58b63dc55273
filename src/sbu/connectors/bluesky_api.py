"""Bluesky: the ``bluesky`` connector (its configuration is in
:mod:`sbu.connectors.bluesky_source`).

A Bluesky source either **searches** (``mode=search``): it signs in as an account with an app
password (:mod:`sbu.connectors.bluesky_session`) and polls ``app.bsky.feed.searchPosts``
(:mod:`sbu.connectors.bluesky_search`) on the account's service, which hands the search to
Bluesky's AppView; or it follows the **Jetstream** (``mode=jetstream``), the network's new posts
over a WebSocket (:mod:`sbu.connectors.bluesky_jetstream`), live or a poll at a time. Both map
with the ``bluesky`` payload mapper (:mod:`sbu.connectors.bluesky`).

A source with a handle and an app password also **replies**: sbu reads the post answered with
``app.bsky.feed.getPosts`` (its ``cid`` and its thread's root) and creates the reply with
``com.atproto.repo.createRecord`` (:mod:`sbu.connectors.bluesky_reply`).

Every HTTP call goes through :class:`~sbu.connectors.api_client.ApiClient` (retries, backoff,
rate limits, error sentences).
"""

from __future__ import annotations

import random
import time
from collections.abc import Generator
from typing import Any

import httpx
from pydantic import BaseModel

from sbu.connectors.api_client import Clock, RetryPolicy, Sleep
from sbu.connectors.api_connector import ApiConnector, utc_now
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.bluesky_events import PostFilter
from sbu.connectors.bluesky_jetstream import (
    JetstreamReader,
    OpenSocket,
    subscribe_url,
    websocket_opener,
)
from sbu.connectors.bluesky_reply import (
    POST_COLLECTION,
    check_parent_uri,
    check_text,
    make_tid,
    reply_record,
    reply_refs,
)
from sbu.connectors.bluesky_search import SearchCursor, read_search
from sbu.connectors.bluesky_session import BlueskyAccount, BlueskySessions, Xrpc
from sbu.connectors.bluesky_source import APP_PASSWORDS_PAGE, BlueskySourceConfig
from sbu.connectors.config_checks import source_config
from sbu.core.errors import ConfigError, ConnectorError, Transient
from sbu.settings import ConnectorSettings

__all__ = ["BlueskyConnector", "BlueskySourceConfig"]

QUERY_ADVICE = "check the source's query (Bluesky's search syntax) and language"
REPLY_ADVICE = "the reply was not posted; check its text and that the post can still be answered"


class BlueskyConnector(ApiConnector):
    """Searches Bluesky or follows its Jetstream, and replies to posts."""

    key = "bluesky"
    title = "Bluesky search or Jetstream"
    capabilities = frozenset(
        {Capability.POLL, Capability.SEARCH, Capability.STREAM, Capability.REPLY}
    )
    settings_model: type[BaseModel] = BlueskySourceConfig
    default_poll_seconds = 120

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        base_url: str | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
        open_socket: OpenSocket | None = None,
        pages_per_fetch: int = 5,
        batch_events: int = 200,
        batch_seconds: float = 1.0,
        fetch_seconds: float = 10.0,
        fetch_events: int = 5000,
        rewind_seconds: float = 5.0,
    ) -> None:
        """``settings`` are the :class:`~sbu.settings.ConnectorSettings`. ``base_url``
        replaces every source's service (tests, proxies); ``sleep``, ``clock``, ``rng`` and
        ``transport`` go to the API clients; ``open_socket`` replaces the WebSocket opener.
        A polled Jetstream source reads for at most ``fetch_seconds`` or ``fetch_events``."""
        super().__init__(
            settings,
            base_url=base_url,
            sleep=sleep,
            clock=clock,
            rng=rng,
            transport=transport,
            pages_per_fetch=pages_per_fetch,
        )
        self.sessions = BlueskySessions(
            settings, base_url=base_url, sleep=sleep, clock=clock, rng=self.rng, transport=transport
        )
        self.open_socket = open_socket
        self.batch_events = max(1, batch_events)
        self.batch_seconds = batch_seconds
        self.fetch_seconds = fetch_seconds
        self.fetch_events = max(1, fetch_events)
        self.rewind_us = int(rewind_seconds * 1_000_000)

    # -- polling -------------------------------------------------------------------------------

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """New posts of the search since ``cursor`` (the newest page on the first poll), or
        what the Jetstream has since ``cursor``."""
        source = source_config(config, BlueskySourceConfig)
        if source.mode == "jetstream":
            return self._jetstream(source).read(
                cursor, context.now, seconds=self.fetch_seconds, events=self.fetch_events
            )
        where = source.describe()
        with self._xrpc(source, f"the source {context.source_name!r}") as xrpc:

            def read_page(page: str | None) -> Any:
                params = {
                    "q": source.query,
                    "sort": "latest",
                    "limit": source.limit,
                    "lang": source.lang,
                    "cursor": page,
                }
                return xrpc.get("app.bsky.feed.searchPosts", params, advice=QUERY_ADVICE)

            batch = read_search(
                read_page, SearchCursor.from_dict(cursor), pages=self.pages_per_fetch, where=where
            )
            expires = xrpc.session.refresh_expires_at if xrpc.session else None
        return FetchResult(
            items=batch.items,
            cursor=batch.cursor.to_dict(),
            rejected=batch.rejected,
            more=batch.more,
            token_expires_at=expires,
        )

    # -- streaming -----------------------------------------------------------------------------

    def stream(
        self,
        config: BaseModel,
        cursor: dict[str, Any] | None,
        context: FetchContext,
        *,
        connections: int | None = None,
    ) -> Generator[FetchResult, None, None]:
        """Follow the Jetstream live; each batch carries the cursor to save with it.
        ``connections`` limits the connection attempts (None: until the caller stops)."""
        source = source_config(config, BlueskySourceConfig)
        if source.mode != "jetstream":
            msg = (
                f"Bluesky searches cannot be streamed ({source.describe()}): poll this source, "
                "or add a source with mode=jetstream and keywords to follow new posts live."
            )
            raise ConfigError(msg)
        return self._jetstream(source).stream(cursor, connections)

    def _jetstream(self, source: BlueskySourceConfig) -> JetstreamReader:
        where = source.describe()
        dids = tuple(source.wanted_dids)
        base = source.jetstream_url
        return JetstreamReader(
            where=where,
            url=lambda cursor_us: subscribe_url(base, dids, cursor_us),
            open_socket=self.open_socket or websocket_opener(self.settings, where),
            keep=PostFilter(tuple(source.keywords), source.lang),
            retry=RetryPolicy.from_settings(self.settings),
            sleep=self.sleep,
            rng=self.rng,
            batch_events=self.batch_events,
            batch_seconds=self.batch_seconds,
            rewind_us=self.rewind_us,
        )

    # -- replying ------------------------------------------------------------------------------

    def reply(
        self, config: BaseModel, parent_uri: str, text: str, *, langs: list[str] | None = None
    ) -> str:
        """Post ``text`` as a reply to the post ``parent_uri`` (its ``at://`` uri) and return
        the uri of the reply. ``langs`` defaults to the source's ``lang``, then to the first
        language of the post answered."""
        source = source_config(config, BlueskySourceConfig)
        uri = check_parent_uri(parent_uri)
        check_text(text)
        if source.handle is None:
            msg = (
                "Replying through this Bluesky source needs the handle of the account that "
                f"answers and an app password of it ({APP_PASSWORDS_PAGE}): add both to the "
                "source."
            )
            raise ConfigError(msg)
        with self._xrpc(source, f"the Bluesky account {source.handle}") as xrpc:
            answer = xrpc.get("app.bsky.feed.getPosts", {"uris": uri})
            posts = answer.get("posts") if isinstance(answer, dict) else None
            if not isinstance(posts, list) or not posts:
                msg = (
                    f"Bluesky does not show the post {uri}: it was deleted, or its author "
                    "blocks the account that replies; there is nothing to answer."
                )
                raise ConnectorError(msg)
            parent = posts[0]
            viewer = parent.get("viewer") if isinstance(parent, dict) else None
            if isinstance(viewer, dict) and viewer.get("replyDisabled") is True:
                msg = (
                    f"The author of {uri} does not let the account {source.handle} reply to "
                    "this post: answer in another way."
                )
                raise ConnectorError(msg)
            root, parent_ref, parent_langs = reply_refs(parent, f"the post {uri}")
            now = self.clock()
            record = reply_record(
                text,
                root=root,
                parent=parent_ref,
                langs=langs or ([source.lang] if source.lang else parent_langs),
                created_at=now,
            )
            return self._create(xrpc, record, make_tid(now, self.rng))

    def _create(self, xrpc: Xrpc, record: dict[str, Any], rkey: str) -> str:
        """Create the record; when the call failed after a retry, look whether an earlier
        attempt created it before saying it failed."""
        did = xrpc.did
        body = {"repo": did, "collection": POST_COLLECTION, "rkey": rkey, "record": record}
        try:
            created = xrpc.post("com.atproto.repo.createRecord", body, advice=REPLY_ADVICE)
        except ConnectorError as exc:
            if type(exc) not in (ConnectorError, Transient):
                raise
            params = {"repo": did, "collection": POST_COLLECTION, "rkey": rkey}
            try:
                created = xrpc.get("com.atproto.repo.getRecord", params)
            except ConnectorError:
                raise exc from None
        uri = created.get("uri") if isinstance(created, dict) else None
        if not isinstance(uri, str) or not uri:
            msg = (
                "Bluesky accepted the reply but sent back no uri: check the account's profile "
                "to see whether it was posted before sending it again."
            )
            raise ConnectorError(msg)
        return uri

    # -- internals -----------------------------------------------------------------------------

    def _xrpc(self, source: BlueskySourceConfig, owner: str) -> Xrpc:
        if source.handle is None or source.app_password is None:  # the config refuses this
            msg = f"{owner} has no handle and app password: add them to the source."
            raise ConfigError(msg)
        account = BlueskyAccount(source.handle, source.app_password, source.service)
        return self.sessions.open(account, owner)
