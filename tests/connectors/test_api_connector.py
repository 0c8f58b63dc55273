"""What the connectors built on the shared API client keep, and the clients they build, against
a real local HTTP server."""

from __future__ import annotations

import random

from sbu.connectors.api_connector import ApiConnector
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.helpers import Waits


class PlatformConnector(ApiConnector):
    default_base_url = "https://api.platform.example/"


def test_the_parts_tests_inject_are_kept() -> None:
    waits = Waits()
    rng = random.Random(3)
    settings = ConnectorSettings(timeout_seconds=5.0)
    connector = ApiConnector(
        settings,
        base_url="http://127.0.0.1:9/",
        sleep=waits.sleep,
        clock=waits.clock,
        rng=rng,
        pages_per_fetch=0,
    )
    assert connector.settings is settings
    assert connector.base_url == "http://127.0.0.1:9"
    assert (connector.sleep, connector.clock, connector.rng) == (waits.sleep, waits.clock, rng)
    assert connector.pages_per_fetch == 1  # a fetch reads at least one page


def test_the_address_is_the_platform_s_unless_replaced() -> None:
    assert ApiConnector(ConnectorSettings()).base_url is None
    assert PlatformConnector(ConnectorSettings()).base_url == "https://api.platform.example"
    replaced = PlatformConnector(ConnectorSettings(), base_url="http://127.0.0.1:9")
    assert replaced.base_url == "http://127.0.0.1:9"


def test_the_client_sends_the_headers_and_sleeps_with_the_injected_sleep(api: ApiServer) -> None:
    waits = Waits()
    connector = ApiConnector(
        ConnectorSettings(timeout_seconds=5.0, attempts=2),
        sleep=waits.sleep,
        clock=waits.clock,
        rng=random.Random(3),
    )
    api.reply("/items", Reply(503), Reply(json={"ok": True}))
    with connector.api_client(
        "Platform", api.base, lambda: {"Authorization": "Bearer t"}
    ) as client:
        assert client.platform == "Platform"
        assert client.request("GET", "/items").json() == {"ok": True}
    assert len(waits.slept) == 1
    first, second = api.requests_to("/items")
    assert first.headers["authorization"] == second.headers["authorization"] == "Bearer t"
