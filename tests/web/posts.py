"""Posts for the web tests, written here in the sbu record format (docs/listening/import-format.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.listening.drafts import RawItem
from sbu.listening.services import create_source
from tests.conftest import NOW

ACTOR = Actor("test", "pytest")
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def post(
    external_id: str,
    text: str,
    *,
    minutes_ago: int = 60,
    platform: str = "mastodon",
    lang: str | None = "fr",
    **extra: Any,
) -> RawItem:
    payload: dict[str, Any] = {
        "id": external_id,
        "text": text,
        "created_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
        "platform": platform,
        "author": {
            "id": f"author-{external_id}",
            "handle": f"@a{external_id}",
            "name": f"Author {external_id}",
        },
    }
    if lang is not None:
        payload["lang"] = lang
    payload.update(extra)
    return RawItem("sbu", payload, f"line {external_id}")


def make_source(app: App, name: str = "tests", connector: str = "file") -> int:
    return create_source(app.db, app.clock, app.registry, ACTOR, name=name, connector=connector).id


def numbered(count: int, *, start_minutes: int = 1) -> list[RawItem]:
    """``count`` distinct posts, one minute apart, oldest first (ids 1..count, 1 the oldest)."""
    return [
        post(
            str(i),
            f"Message numéro {i} sur le réseau, assez long pour être unique {i * 7919}",
            minutes_ago=start_minutes + count - i,
        )
        for i in range(1, count + 1)
    ]
