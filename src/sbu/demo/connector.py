"""The demo connector (work in progress: completed in this session)."""

from __future__ import annotations

from pydantic import BaseModel

from sbu.connectors.base import Capability
from sbu.settings import DemoSettings


class DemoSourceConfig(BaseModel):
    platform: str = "mastodon"


class DemoConnector:
    key = "demo"
    title = "Demo scenario"
    capabilities = frozenset({Capability.POLL})
    settings_model = DemoSourceConfig

    def __init__(self, settings: DemoSettings) -> None:
        self.settings = settings
