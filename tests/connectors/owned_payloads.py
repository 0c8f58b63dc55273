"""The owned-channel fixtures (``payloads/facebook``, ``instagram``, ``linkedin``) and the
envelopes the connectors build from them, for the mapper, connector and contract tests; a
clock that moves when the code under test sleeps, and connectors that use it."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import orjson

from sbu.connectors.owned_connector import OwnedConnector
from sbu.settings import ConnectorSettings
from tests.conftest import NOW
from tests.connectors import helpers

PAYLOADS = Path(__file__).resolve().parent / "payloads"
PAGE_ID = "104729381726354"
IG_ACCOUNT = "17841400198273645"
ORGANIZATION = "urn:li:organization:2414183"
#: Invented tokens: tests check they never appear in messages.
PAGE_TOKEN = "EAAGm0PX4ZCpsBAOwnerPageTokenSecret42"
LINKEDIN_TOKEN = "AQXdSP_W41_LinkedInTokenSecret_7q"
ConnectorT = TypeVar("ConnectorT", bound=OwnedConnector)


def load(path: str) -> Any:
    """A fresh copy of a fixture (tests may change it)."""
    return copy.deepcopy(orjson.loads((PAYLOADS / path).read_bytes()))


def facebook_items() -> list[dict[str, Any]]:
    """The posts and comments of the Facebook fixtures as ``facebook`` envelopes."""
    posts = load("facebook/posts.json")["data"]
    post = posts[0]
    ref = {"id": post["id"], "permalink_url": post["permalink_url"]}
    comments = load("facebook/comments.json")["data"]
    return [
        *({"page_id": PAGE_ID, "post": p} for p in posts),
        *({"page_id": PAGE_ID, "post": ref, "comment": c} for c in comments),
    ]


def instagram_items() -> list[dict[str, Any]]:
    """The media, comments and nested replies of the Instagram fixtures as envelopes."""
    media = load("instagram/media.json")["data"]
    ref = {"id": media[0]["id"], "permalink": media[0]["permalink"]}
    items: list[dict[str, Any]] = [{"account_id": IG_ACCOUNT, "media": m} for m in media]
    for comment in load("instagram/comments.json")["data"]:
        for one in [comment, *comment.get("replies", {}).get("data", [])]:
            items.append({"account_id": IG_ACCOUNT, "media": ref, "comment": one})
    return items


def linkedin_items() -> list[dict[str, Any]]:
    """The posts, comments and replies of the LinkedIn fixtures as ``linkedin`` envelopes."""
    posts = load("linkedin/posts.json")["elements"]
    ref = {"id": posts[0]["id"]}
    comments = [
        *load("linkedin/comments.json")["elements"],
        *load("linkedin/replies.json")["elements"],
    ]
    return [
        *({"organization": ORGANIZATION, "post": p} for p in posts),
        *({"organization": ORGANIZATION, "post": ref, "comment": c} for c in comments),
    ]


class Waits(helpers.Waits):
    """The shared waits, from the time these payloads are dated around."""

    def __init__(self, now: datetime = NOW) -> None:
        super().__init__(now)


def local_connector(
    kind: type[ConnectorT], base_url: str, waits: Waits, **settings: Any
) -> ConnectorT:
    """A connector of ``kind`` that talks to the local server at ``base_url`` and sleeps and
    reads the time with ``waits``."""
    return kind(
        ConnectorSettings(timeout_seconds=5, **settings),
        base_url=base_url,
        sleep=waits.sleep,
        clock=waits.clock,
    )
