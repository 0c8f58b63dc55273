"""Fixtures of the connector tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.connectors.api_server import ApiServer, running_api


@pytest.fixture
def api() -> Iterator[ApiServer]:
    """A real HTTP server on 127.0.0.1 that answers what each test tells it to."""
    with running_api() as server:
        yield server
