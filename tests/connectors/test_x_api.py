"""The X connector: what it declares, and how it starts a stream, against a real local HTTP
server that answers like X's API v2."""

from __future__ import annotations

import pytest

from sbu.connectors.base import Capability
from sbu.connectors.x_api import XConnector
from sbu.connectors.x_source import XSourceConfig
from sbu.core.errors import ConfigError
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer
from tests.connectors.x_tweets import (
    CONTEXT,
    config,
    connector,
)


def test_the_connector_declares_its_key_capabilities_and_model() -> None:
    x = XConnector(ConnectorSettings())
    assert x.key == "x"
    assert x.capabilities == frozenset({Capability.POLL, Capability.SEARCH, Capability.STREAM})
    assert x.settings_model is XSourceConfig
    assert x.base_url == "https://api.x.com"


def test_streaming_needs_mode_stream(api: ApiServer) -> None:
    with pytest.raises(ConfigError, match="set mode to stream"):
        connector(api).stream(config(), None, CONTEXT)
