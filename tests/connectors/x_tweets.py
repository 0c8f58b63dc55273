"""The test world of the X connector tests: a source, its posts and X's answers, in the real
shapes of X's API v2 (invented texts and ids), and the connector built against the local API
server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import orjson

from sbu.connectors.base import FetchContext, FetchResult
from sbu.connectors.x_api import XConnector
from sbu.connectors.x_source import XSourceConfig
from sbu.connectors.x_stream_rules import RULES
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.helpers import NOW, Waits, local_connector

CONTEXT = FetchContext(now=NOW, source_id=7, source_name="X Ondine")
TAG = "sbu source 7: X Ondine"
TOKEN = "AAAAAAAAAAAAAAAAAAAAAJq2fakeTestToken%2Fq7Zr5vVb1c%3DtYkS0wZpO4n"
QUERY = "ondine (panne OR coupure)"
TWITTER_EPOCH_MS = 1288834974657
USER = {
    "id": "1402938475610234880",
    "name": "Maëlle",
    "username": "maelle_bzh",
    "public_metrics": {"followers_count": 1366},
}
TEXTS = (
    "Panne de la fibre Ondine à Brest depuis ce matin, rien sur la page d'état",
    "Coupure Ondine encore, troisième fois cette semaine à Quimper",
    "La box Ondine a redémarré seule pendant la nuit, panne de synchro ?",
    "Ondine : coupure réparée en 2 h, merci au technicien passé ce midi",
)


def connector(api: ApiServer, waits: Waits | None = None, **options: Any) -> XConnector:
    return local_connector(XConnector, api, waits, **options)


def config(**fields: Any) -> XSourceConfig:
    return XSourceConfig.model_validate(
        {"query": QUERY, "bearer_token": TOKEN, "monthly_budget": 50, **fields}
    )


def snowflake(at: datetime, sequence: int = 0) -> str:
    return str(((int(at.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22) + sequence)


def tweet(n: int, *, at: datetime | None = None, **changes: Any) -> dict[str, Any]:
    """The n-th post of the test world: posts with a higher n are newer."""
    when = at or NOW - timedelta(hours=3) + timedelta(minutes=n)
    post_id = snowflake(when, n)
    post: dict[str, Any] = {
        "id": post_id,
        "text": TEXTS[n % len(TEXTS)],
        "created_at": when.isoformat().replace("+00:00", ".000Z"),
        "author_id": USER["id"],
        "lang": "fr",
        "conversation_id": post_id,
        "edit_history_tweet_ids": [post_id],
        "public_metrics": {
            "retweet_count": 0,
            "reply_count": 1,
            "like_count": n,
            "quote_count": 0,
            "impression_count": 40 + n,
        },
    }
    post.update(changes)
    return post


def page(*tweets: dict[str, Any], next_token: str | None = None) -> dict[str, Any]:
    """A recent-search answer: newest first, as X sends it."""
    ordered = sorted(tweets, key=lambda t: int(t["id"]), reverse=True)
    meta: dict[str, Any] = {"result_count": len(ordered)}
    if ordered:
        meta.update(newest_id=ordered[0]["id"], oldest_id=ordered[-1]["id"])
    if next_token:
        meta["next_token"] = next_token
    body: dict[str, Any] = {"meta": meta}
    if ordered:
        body.update(data=ordered, includes={"users": [USER]})
    return body


def ids(result: FetchResult) -> list[str]:
    return [item.payload["tweet"]["id"] for item in result.items]


def cursor(**fields: Any) -> dict[str, Any]:
    return {"month": "2026-11", "posts": 0, "query": QUERY, **fields}


# -- the filtered stream ------------------------------------------------------------------------


OURS = {"id": "99", "tag": TAG}


def line(post: dict[str, Any], rules: list[dict[str, Any]] | None = None) -> bytes:
    message = {"data": post, "includes": {"users": [USER]}, "matching_rules": rules or [OURS]}
    return orjson.dumps(message) + b"\r\n"


def stream_body(*parts: bytes) -> Reply:
    return Reply(body=b"".join(parts))


def rules(api: ApiServer, *existing: dict[str, Any], added: Reply | None = None) -> None:
    api.reply(RULES, Reply(json={"data": list(existing), "meta": {"result_count": len(existing)}}))
    created = {"data": [{"value": QUERY, "tag": TAG, "id": "99"}], "meta": {"summary": {}}}
    api.reply(RULES, added or Reply(201, json=created), method="POST")


def stream_config(**fields: Any) -> XSourceConfig:
    return config(mode="stream", **fields)


def collect(batches: Iterator[FetchResult]) -> list[FetchResult]:
    return list(batches)
