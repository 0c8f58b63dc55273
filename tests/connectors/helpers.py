"""What the connector tests share: a sleep and a clock that do not wait, and connectors that
talk to the local API server with them.

The ``api`` fixture (a running :class:`~tests.connectors.api_server.ApiServer`) is in this
folder's conftest.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sbu.connectors.api_connector import ApiConnector
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer

ConnectorT = TypeVar("ConnectorT", bound=ApiConnector)

#: The time the connector tests run at, unless their payloads are dated around another.
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


class Waits:
    """Records the waits instead of sleeping, and moves the clock forward by them."""

    def __init__(self, now: datetime = NOW) -> None:
        self.slept: list[float] = []
        self.now = now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)

    def clock(self) -> datetime:
        return self.now


def local_connector(
    kind: type[ConnectorT], api: ApiServer, waits: Waits | None = None, **options: Any
) -> ConnectorT:
    """A connector of ``kind`` that talks to the local server ``api``, sleeps and reads the
    time with ``waits``, and draws the same jitter at every run."""
    waits = waits or Waits()
    return kind(
        ConnectorSettings(timeout_seconds=5.0, attempts=3),
        base_url=api.base,
        sleep=waits.sleep,
        clock=waits.clock,
        rng=random.Random(3),
        **options,
    )
