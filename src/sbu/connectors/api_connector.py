"""What the connectors built on the shared API client keep to build their clients.

:class:`ApiConnector` holds the :class:`~sbu.settings.ConnectorSettings`, an optional address
that replaces the platform's (tests, proxies), the ``sleep``, ``clock``, random source and HTTP
``transport`` that tests inject so that nothing waits, and how many pages one fetch reads at
most. :meth:`ApiConnector.api_client` builds an :class:`~sbu.connectors.api_client.ApiClient`
with them. The Mastodon, X and Bluesky connectors are such connectors.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import httpx

from sbu.connectors.api_client import ApiClient, Clock, Sleep
from sbu.settings import ConnectorSettings


def utc_now() -> datetime:
    return datetime.now(UTC)


class ApiConnector:
    """The settings and the injectable parts a connector hands each API client it builds."""

    #: The platform's address when it is one for every source (None: each source names its
    #: own, such as a Mastodon instance).
    default_base_url: str | None = None

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        base_url: str | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
        pages_per_fetch: int = 5,
    ) -> None:
        """``base_url`` replaces the platform's address (tests and proxies); ``sleep``,
        ``clock``, ``rng`` and ``transport`` go to the API clients; a fetch reads at most
        ``pages_per_fetch`` pages."""
        self.settings = settings
        address = base_url or self.default_base_url
        self.base_url = address.rstrip("/") if address else None
        self.sleep = sleep
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - jitter of retries, not cryptography
        self.transport = transport
        self.pages_per_fetch = max(1, pages_per_fetch)

    def api_client(
        self, platform: str, base_url: str, headers: Callable[[], Mapping[str, str]]
    ) -> ApiClient:
        """A client of ``base_url`` (``platform`` names it in messages) sending ``headers``."""
        return ApiClient(
            platform,
            base_url,
            self.settings,
            headers=headers,
            transport=self.transport,
            sleep=self.sleep,
            clock=self.clock,
            rng=self.rng,
        )
