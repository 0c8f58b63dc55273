"""Mastodon: the ``mastodon`` connector (its source configuration is in
:mod:`sbu.connectors.mastodon_source`).

A Mastodon source reads one timeline of one instance through the instance's REST API: the
public (federated) timeline, the local timeline, a hashtag, or a search of statuses. Several
instances are several sources. The first poll takes the newest page only (sbu does not backfill
an instance); each next poll asks for the statuses just after the cursor (``min_id``, which
Mastodon answers oldest first) and follows the ``Link`` header's ``prev`` page until it is up to
date, at most ``pages_per_fetch`` pages, saying ``more`` when pages are left. How the cursor
finds statuses that federate late is explained in :mod:`sbu.connectors.mastodon_paging`.

The connector also replies (``POST /api/v1/statuses`` with ``in_reply_to_id`` and an
``Idempotency-Key``) and follows a timeline live over the streaming API
(:mod:`sbu.connectors.mastodon_stream`). Every REST call goes through
:class:`~sbu.connectors.api_client.ApiClient` (retries, backoff, rate limits, error sentences).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from sbu.connectors.api_client import ApiClient, ApiResponse, RetryPolicy
from sbu.connectors.api_connector import ApiConnector
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.config_checks import source_config
from sbu.connectors.mastodon_items import newest_id, read_statuses
from sbu.connectors.mastodon_paging import TimelineCursor, id_key, link_min_id
from sbu.connectors.mastodon_source import MastodonSourceConfig
from sbu.connectors.mastodon_sse import EventStream
from sbu.connectors.mastodon_stream import stream_statuses, streaming_base
from sbu.core.errors import AuthFailed, ConfigError, ConnectorError, InvalidInput

__all__ = ["MastodonConnector", "MastodonSourceConfig"]


class MastodonConnector(ApiConnector):
    """Polls (or streams) a Mastodon timeline or search, and replies to statuses.

    ``base_url`` replaces every instance's address (tests and proxies); ``sleep``, ``clock``,
    ``rng`` and ``transport`` go to the API client."""

    key = "mastodon"
    title = "Mastodon timeline, hashtag or search"
    capabilities = frozenset({Capability.POLL, Capability.REPLY, Capability.STREAM})
    settings_model: type[BaseModel] = MastodonSourceConfig
    default_poll_seconds = 120

    # -- polling -------------------------------------------------------------------------------

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """Return the statuses newer than ``cursor`` (the newest page on the first poll)."""
        source = source_config(config, MastodonSourceConfig)
        state = TimelineCursor.from_dict(cursor)
        lookback = source.lookback()
        with self._client(source) as client:
            statuses, more, resume = self._read(client, source, state, lookback)
        batch = read_statuses(statuses, set(state.seen), source.describe())
        state.remember(batch.ids, lookback)
        state.resume_min_id, state.resume_offset = resume
        return FetchResult(
            items=batch.items, cursor=state.to_dict(), rejected=batch.rejected, more=more
        )

    def _read(
        self,
        client: ApiClient,
        source: MastodonSourceConfig,
        state: TimelineCursor,
        lookback: timedelta,
    ) -> tuple[list[Any], bool, tuple[str | None, int | None]]:
        """The statuses of this fetch, whether pages are left, and where to resume."""
        path, params = source.rest_request()
        if not state.started:
            return self._page(client, source, path, params)[0], False, (None, None)
        min_id = state.resume_min_id or state.start_id(lookback)
        statuses: list[Any] = []
        if source.timeline == "search":  # no Link header: pages by offset within min_id
            offset = state.resume_offset or 0
            for _ in range(self.pages_per_fetch):
                page, _link = self._page(
                    client, source, path, {**params, "min_id": min_id, "offset": offset or None}
                )
                statuses.extend(page)
                offset += len(page)
                if len(page) < source.limit:
                    return statuses, False, (None, None)
            return statuses, True, (min_id, offset)
        for _ in range(self.pages_per_fetch):
            page, link = self._page(client, source, path, {**params, "min_id": min_id})
            statuses.extend(page)
            following = link_min_id(link) or newest_id(page)
            if (
                len(page) < source.limit
                or following is None
                or (min_id is not None and id_key(following) <= id_key(min_id))
            ):
                return statuses, False, (None, None)
            min_id = following
        return statuses, True, (min_id, None)

    def _page(
        self, client: ApiClient, source: MastodonSourceConfig, path: str, params: Mapping[str, Any]
    ) -> tuple[list[Any], str | None]:
        """One page of statuses and its Link header."""
        try:
            response = client.request("GET", path, params=params)
        except AuthFailed as exc:
            if source.access_token is not None:
                raise
            msg = (
                f"Mastodon ({source.host}) asks for an access token to read "
                f"{source.describe()}: create one on the instance (Preferences → Development → "
                "New application, scope read:statuses) and add it to the source as access_token."
            )
            raise AuthFailed(msg) from exc
        body = _json(response, source)
        statuses = (
            body.get("statuses") if source.timeline == "search" and isinstance(body, dict) else body
        )
        if not isinstance(statuses, list):
            expected = "search results" if source.timeline == "search" else "a list of statuses"
            msg = (
                f"Mastodon ({source.host}) answered {path} with {type(body).__name__} instead of "
                f"{expected}: check that {source.instance} runs Mastodon or a server with the "
                "same API."
            )
            raise ConnectorError(msg)
        return statuses, response.headers.get("link")

    # -- replying ------------------------------------------------------------------------------

    def reply(
        self,
        config: BaseModel,
        in_reply_to_status_id: str,
        text: str,
        *,
        idempotency_key: str | None = None,
    ) -> str:
        """Post ``text`` as a reply to the status ``in_reply_to_status_id`` (its id on this
        instance) and return the id of the new status.

        The same reply sent twice (a retry after a crash) carries the same Idempotency-Key, so
        Mastodon posts it once (it remembers keys for an hour).
        """
        source = source_config(config, MastodonSourceConfig)
        if source.access_token is None:
            msg = (
                f"Replying through the Mastodon source of {source.instance} needs an access "
                "token with the write:statuses scope: add access_token to the source."
            )
            raise ConfigError(msg)
        target = in_reply_to_status_id.strip()
        if not target:
            msg = "The reply names no status to answer: give the id of the Mastodon status."
            raise InvalidInput(msg)
        if not text.strip():
            msg = "The reply is empty: write the text to post."
            raise InvalidInput(msg)
        key = idempotency_key or _idempotency_key(source.instance, target, text)
        with self._client(source) as client:
            response = client.request(
                "POST",
                "/api/v1/statuses",
                data={"status": text, "in_reply_to_id": target},
                headers={"Idempotency-Key": key},
            )
            created = response.json()
        new_id = created.get("id") if isinstance(created, dict) else None
        if isinstance(new_id, bool) or not isinstance(new_id, str | int) or not str(new_id):
            msg = (
                f"Mastodon ({source.host}) accepted the reply but sent back no status id: check "
                "the account's profile to see whether it was posted before sending it again."
            )
            raise ConnectorError(msg)
        return str(new_id)

    # -- streaming -----------------------------------------------------------------------------

    def stream(
        self,
        config: BaseModel,
        cursor: dict[str, Any] | None,
        context: FetchContext,
        *,
        connections: int | None = None,
    ) -> Iterator[FetchResult]:
        """Follow the timeline live; see :mod:`sbu.connectors.mastodon_stream`. Each batch
        carries the cursor to save with it. ``connections`` limits the connection attempts
        (None: until the caller stops iterating)."""
        source = source_config(config, MastodonSourceConfig)
        if source.timeline == "search":
            msg = (
                f"Mastodon has no stream for searches ({source.describe()}): poll this source, "
                "or stream a hashtag or the public or local timeline."
            )
            raise ConfigError(msg)
        path, params = source.stream_request()
        with self._client(source) as client:
            base = streaming_base(client, self.base_url or source.instance, source.host)
        events = EventStream(
            f"Mastodon ({source.host})", base, self.settings, source.auth_headers(), self.transport
        )
        return stream_statuses(
            where=source.describe(),
            cursor=TimelineCursor.from_dict(cursor),
            lookback=source.lookback(),
            open_events=lambda: events.open(path, params),
            catch_up=lambda state: self.fetch(source, state, context),
            retry=RetryPolicy.from_settings(self.settings),
            sleep=self.sleep,
            rng=self.rng,
            connections=connections,
        )

    # -- internals -----------------------------------------------------------------------------

    def _client(self, source: MastodonSourceConfig) -> ApiClient:
        return self.api_client(
            f"Mastodon ({source.host})", self.base_url or source.instance, source.auth_headers()
        )


def _json(response: ApiResponse, source: MastodonSourceConfig) -> Any:
    kind = response.headers.get("content-type", "").lower()
    if "html" in kind or response.body.lstrip()[:1] == b"<":
        msg = (
            f"{source.instance} answered {urlsplit(response.url).path} with a web page, not the "
            "Mastodon API: check that the source's instance is the address of a Mastodon "
            "server (for example https://mastodon.social)."
        )
        raise ConnectorError(msg)
    return response.json()


def _idempotency_key(instance: str, status_id: str, text: str) -> str:
    digest = hashlib.sha256(f"{instance}\n{status_id}\n{text}".encode()).hexdigest()
    return f"sbu-reply-{digest[:40]}"
