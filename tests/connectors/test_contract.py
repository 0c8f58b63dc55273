"""The contract every registered connector and payload mapper keeps (built-ins use the same
interfaces as third parties): protocol conformance, documented settings, fixtures that map."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

from sbu.connectors.base import Capability
from sbu.connectors.registry import build_registry
from sbu.connectors.x_mapping import posts_of_page
from sbu.listening.drafts import check_draft
from sbu.settings import Settings
from tests.connectors.owned_payloads import facebook_items, instagram_items, linkedin_items

ROOT = Path(__file__).resolve().parents[2]
CONNECTOR_DOCS = ROOT / "docs" / "listening" / "connectors"
PAYLOADS = Path(__file__).resolve().parent / "payloads"
REGISTRY = build_registry(Settings(), load_plugins=False)
CONNECTORS = sorted(REGISTRY.connectors)
#: What each capability requires the connector to implement.
METHODS = {Capability.POLL: "fetch", Capability.REPLY: "reply", Capability.STREAM: "stream"}
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _json(path: str) -> Any:
    return orjson.loads((PAYLOADS / path).read_bytes())


def _listing(path: str) -> list[Any]:
    return list(_json(path)["data"]["children"])


def _jetstream_posts() -> list[Any]:
    events = [
        orjson.loads(line)
        for line in (PAYLOADS / "bluesky" / "jetstream.jsonl").read_bytes().splitlines()
        if line.strip()
    ]
    return [
        e
        for e in events
        if e.get("kind") == "commit"
        and e["commit"].get("collection") == "app.bsky.feed.post"
        and e["commit"].get("operation") == "create"
    ]


#: The items of each mapper's fixtures that are posts (and so must map to a valid mention).
FIXTURES: dict[str, Callable[[], list[Any]]] = {
    "mastodon": lambda: [_json(f"mastodon/{n}.json") for n in ("status", "reblog", "deleted")],
    "reddit": lambda: _listing("reddit/submissions.json") + _listing("reddit/comments.json"),
    "youtube": lambda: [
        *_json("youtube/videos.json")["items"],
        *[i for i in _json("youtube/search.json")["items"] if i["id"]["kind"] == "youtube#video"],
        *_json("youtube/commentThreads.json")["items"],
        *_json("youtube/comments.json")["items"],
    ],
    "bluesky": lambda: [*_json("bluesky/searchPosts.json")["posts"], *_jetstream_posts()],
    "x": lambda: list(posts_of_page(_json("x/search_recent.json"))),
    "facebook": facebook_items,
    "instagram": instagram_items,
    "linkedin": linkedin_items,
}
#: Mappers whose fixtures are whole documents tested by their own modules.
TESTED_APART = {
    "sbu": "tests/listening/test_importer.py (JSON lines and CSV files)",
    "rss": "tests/connectors/test_rss_mapping.py (real feed documents)",
}


@pytest.mark.parametrize("key", CONNECTORS)
def test_the_connector_keeps_the_protocol(key: str) -> None:
    connector = REGISTRY.connectors[key]
    assert connector.key == key
    assert isinstance(connector.title, str)
    assert connector.title.strip()
    assert isinstance(connector.capabilities, frozenset)
    assert connector.capabilities
    assert all(isinstance(c, Capability) for c in connector.capabilities)
    assert issubclass(connector.settings_model, BaseModel)
    for capability, method in METHODS.items():
        if capability in connector.capabilities:
            assert callable(getattr(connector, method, None)), f"{key} lacks {method}()"


@pytest.mark.parametrize("key", CONNECTORS)
def test_the_connector_and_its_settings_are_documented(key: str) -> None:
    page = CONNECTOR_DOCS / f"{key}.md"
    assert page.is_file(), f"Write docs/listening/connectors/{key}.md"
    text = page.read_text(encoding="utf-8")
    missing = [name for name in REGISTRY.connectors[key].settings_model.model_fields
               if f"`{name}`" not in text]  # fmt: skip
    assert not missing, f"docs/listening/connectors/{key}.md does not document {missing}"


@pytest.mark.parametrize("key", sorted(REGISTRY.mappers))
def test_every_mapper_has_fixtures(key: str) -> None:
    assert key in FIXTURES or key in TESTED_APART


@pytest.mark.parametrize(
    ("key", "index"),
    [(key, index) for key, items in FIXTURES.items() for index in range(len(items()))],
)
def test_every_fixture_maps_to_a_valid_mention(key: str, index: int) -> None:
    item = FIXTURES[key]()[index]
    draft = REGISTRY.mappers[key].to_mention(item)
    check_draft(draft, now=NOW, max_text_chars=100_000)
    assert draft.platform
    assert draft.external_id
    assert draft.raw == item  # the raw payload is kept as received
