"""X (Twitter) API v2: the ``x`` connector.

An X source asks X for the posts that match one query, written in sbu's query language and
translated by :mod:`sbu.connectors.x_rules`; its configuration is
:class:`~sbu.connectors.x_source.XSourceConfig`.

- ``mode: search`` polls the **recent search** (``GET /2/tweets/search/recent``, the last 7
  days, :mod:`sbu.connectors.x_search`). The first poll reads the newest page only; each next
  poll asks for the posts newer than the newest one read (``since_id``) and follows
  ``next_token`` page by page, at most ``pages_per_fetch`` pages per fetch, saying ``more``
  when pages are left.
- ``mode: stream`` follows the **filtered stream** (``GET /2/tweets/search/stream``) through
  :meth:`XConnector.stream`, which sbu's stream supervisor runs for sources with a truthy
  ``stream`` (set from the mode when left out; ``stream: false`` switches a stream source back
  to polling the recent search). The source's one rule is set under a tag naming the source
  (:mod:`sbu.connectors.x_stream_rules`), and the stream is followed by
  :mod:`sbu.connectors.x_stream`: reconnected with the shared backoff, its gaps filled from the
  recent search, each post handed over once.

**Cost meter and budget guard** (:mod:`sbu.connectors.x_budget`). X bills reads by the post
(pay-per-use). The cursor (:mod:`sbu.connectors.x_cursor`) counts the posts read in the current
calendar month (UTC); before each request the guard checks that the next page still fits in
``monthly_budget``, and raises :class:`~sbu.connectors.x_budget.BudgetReached` until the 1st of
next month when it does not. Every result reports the meter as
:class:`~sbu.connectors.base.Usage`.

Every REST call goes through :class:`~sbu.connectors.api_client.ApiClient` (retries, backoff,
``Retry-After``, X's ``x-rate-limit-*`` headers; :mod:`sbu.connectors.x_http`). The stream is
the one request made with ``httpx`` directly, as the API client reads whole answers
(:mod:`sbu.connectors.x_stream_connection`); its failures become the same errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from pydantic import BaseModel

from sbu.connectors.api_client import ApiClient, RetryPolicy
from sbu.connectors.api_connector import ApiConnector
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.config_checks import source_config
from sbu.connectors.x_budget import BudgetReached, CostMeter
from sbu.connectors.x_cursor import XCursor
from sbu.connectors.x_http import API_BASE
from sbu.connectors.x_rules import XQuery, XQueryRefused
from sbu.connectors.x_search import search_recent
from sbu.connectors.x_source import XSourceConfig
from sbu.connectors.x_stream import StreamSession
from sbu.connectors.x_stream_connection import open_stream
from sbu.connectors.x_stream_rules import rule_tag, set_rule
from sbu.core.errors import ConfigError

__all__ = ["BudgetReached", "CostMeter", "XConnector", "XCursor", "XSourceConfig"]


class XConnector(ApiConnector):
    """Polls X's recent search or follows its filtered stream, within a monthly budget.

    ``base_url`` replaces https://api.x.com (tests, proxies); ``sleep``, ``clock``, ``rng`` and
    ``transport`` go to the API client and the stream."""

    key = "x"
    title = "X (Twitter) search or filtered stream"
    capabilities = frozenset({Capability.POLL, Capability.SEARCH, Capability.STREAM})
    settings_model: type[BaseModel] = XSourceConfig
    default_poll_seconds = 300
    default_base_url = API_BASE

    # -- polling the recent search -----------------------------------------------------------------

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """The posts newer than ``cursor`` (the newest page on the first poll)."""
        source = source_config(config, XSourceConfig)
        query = source.translated("search")
        state = XCursor.from_dict(cursor)
        meter = CostMeter.of(source, state, context.now)
        where = f"the X recent search of {context.source_name!r}"
        with self._client(source) as client:
            return search_recent(
                client, source, query, state, meter, where, context.now, self.pages_per_fetch
            )

    # -- following the filtered stream -----------------------------------------------------------

    def stream(
        self,
        config: BaseModel,
        cursor: dict[str, Any] | None,
        context: FetchContext,
        *,
        connections: int | None = None,
    ) -> Iterator[FetchResult]:
        """Set the source's rule, then follow the filtered stream: batches of new posts, each
        with the cursor to save with it. ``connections`` limits the connection attempts (None:
        until the caller stops iterating)."""
        source = source_config(config, XSourceConfig)
        if source.mode != "stream":
            msg = (
                f"The X source {context.source_name!r} polls the recent search (mode search): "
                "set mode to stream (and stream to true) to follow X's filtered stream."
            )
            raise ConfigError(msg)
        rule = source.translated("stream")
        notes = list(rule.notes)
        try:
            search: XQuery | None = source.translated("search")
        except XQueryRefused:
            search = None
            notes.append(
                f"The rule of {context.source_name!r} is too long for X's recent search, so "
                "posts written while the stream is disconnected cannot be fetched afterwards: "
                "shorten the query to 512 characters (as translated) to fill such gaps."
            )
        state = XCursor.from_dict(cursor)
        meter = CostMeter.of(source, state, self.clock())
        if meter.room <= 0:
            raise meter.reached(self.clock())
        tag = rule_tag(context)
        with self._client(source) as client:
            state.rule_id, rule_notes = set_rule(client, rule, tag)
        notes.extend(rule_notes)
        session = StreamSession(
            source=source,
            search=search,
            state=state,
            meter=meter,
            tag=tag,
            where=f"the X filtered stream of {context.source_name!r}",
            notes=notes,
            open_stream=lambda: self._open_stream(source),
            client=lambda: self._client(source),
            retry=RetryPolicy.from_settings(self.settings),
            clock=self.clock,
            sleep=self.sleep,
            rng=self.rng,
        )
        return session.follow(connections)

    # -- internals ---------------------------------------------------------------------------------

    def _open_stream(self, source: XSourceConfig) -> AbstractContextManager[Iterator[bytes]]:
        return open_stream(
            self.settings,
            self.base_url or API_BASE,
            source.auth_headers()(),
            self.transport,
            self.clock,
        )

    def _client(self, source: XSourceConfig) -> ApiClient:
        return self.api_client("X", self.base_url or API_BASE, source.auth_headers())
