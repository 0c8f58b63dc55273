"""RSS and Atom feeds (work in progress: completed in this session)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from sbu.connectors.base import Capability
from sbu.core.errors import BadPayload
from sbu.listening.drafts import MentionDraft
from sbu.settings import FeedSettings


class FeedEntryMapper:
    key = "rss"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        raise BadPayload("not implemented yet")


class RssSourceConfig(BaseModel):
    url: str


class RssConnector:
    key = "rss"
    title = "RSS or Atom feed"
    capabilities = frozenset({Capability.POLL})
    settings_model = RssSourceConfig

    def __init__(self, settings: FeedSettings) -> None:
        self.settings = settings
