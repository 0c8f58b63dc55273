"""POST /api/v1/ingest/{source}: signed posts pushed into a webhook source, end to end."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import func, select

from sbu.bootstrap import App
from sbu.bus.base import Message
from sbu.bus.subjects import MENTION_COLLECTED
from sbu.connectors.webhook import signature
from sbu.core.audit import Actor
from sbu.listening.models import DeadLetter, IngestRun, Mention
from sbu.listening.services import create_source, set_source_enabled
from tests.web.conftest import TestClient

SECRET = "webhook-secret-0123456789-0123456789"
ACTOR = Actor("test", "pytest")


@pytest.fixture
def hook(app: App) -> int:
    return create_source(
        app.db, app.clock, app.registry, ACTOR, name="Zendesk", connector="webhook",
        config={"signing_secret": SECRET, "platform": "zendesk"}, box=app.credentials,
    ).id  # fmt: skip


def signed(app: App, body: bytes, *, secret: str = SECRET, age: int = 0) -> dict[str, str]:
    stamp = str(int(app.clock.now().timestamp()) - age)
    return {
        "content-type": "application/json",
        "x-sbu-timestamp": stamp,
        "x-sbu-signature": signature(secret, stamp, body),
    }


def record(external_id: str, text: str = "Le support d'Ondine m'a rappelé en 5 minutes") -> dict:
    return {"id": external_id, "text": text, "created_at": "2026-11-28T08:00:00Z", "lang": "fr"}


def count(app: App, model: type) -> int:
    with app.db.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_signed_items_are_stored_and_published(app: App, anonymous: TestClient, hook: int) -> None:
    seen: list[Message] = []

    async def collected(message: Message) -> None:
        seen.append(message)

    app.bus.subscribe(MENTION_COLLECTED, collected, "test-webhook")
    body = orjson.dumps([record("t-1"), record("t-2"), {"id": "t-3"}, 7])
    response = anonymous.post("/api/v1/ingest/Zendesk", content=body, headers=signed(app, body))
    assert response.status_code == 202, response.text
    result = response.json()
    assert result["imported"] == 2
    assert result["duplicates"] == 0
    assert [r["locator"] for r in result["rejected"]] == ["item 3", "item 4"]
    with app.db.session() as session:
        platforms = set(session.execute(select(Mention.platform)).scalars())
        run = session.execute(select(IngestRun)).scalar_one()
    assert platforms == {"zendesk"}
    assert (run.kind, run.imported, run.rejected) == ("pushed", 2, 2)
    assert count(app, DeadLetter) == 2
    app.bus.drain()
    assert sorted(m.payload["external_id"] for m in seen) == ["t-1", "t-2"]

    # The same request again (a retry of the sender) stores nothing twice.
    again = anonymous.post(f"/api/v1/ingest/{hook}", content=body, headers=signed(app, body))
    assert again.status_code == 202
    assert again.json()["imported"] == 0
    assert again.json()["duplicates"] == 2
    assert count(app, Mention) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"secret": "another-secret-0123456789-0123456789"}, "does not match"),
        ({"age": 3600}, "refused as replays"),
    ],
)
def test_badly_signed_requests_are_refused_and_store_nothing(
    app: App, anonymous: TestClient, hook: int, change: dict, message: str
) -> None:
    body = orjson.dumps([record("t-1")])
    response = anonymous.post(
        "/api/v1/ingest/Zendesk", content=body, headers=signed(app, body, **change)
    )
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert count(app, Mention) == 0
    assert count(app, IngestRun) == 0


def test_an_unsigned_request_says_how_to_sign(anonymous: TestClient, hook: int) -> None:
    response = anonymous.post("/api/v1/ingest/Zendesk", content=b"[]")
    assert response.status_code == 401
    assert "X-Sbu-Signature" in response.json()["detail"]


def test_unknown_disabled_and_non_webhook_sources(
    app: App, anonymous: TestClient, hook: int
) -> None:
    body = b"[]"
    assert anonymous.post("/api/v1/ingest/Nope", content=body).status_code == 404
    create_source(app.db, app.clock, app.registry, ACTOR, name="Feed", connector="rss",
                  config={"url": "https://example.com/f.xml"})  # fmt: skip
    assert anonymous.post("/api/v1/ingest/Feed", content=body).status_code == 404
    set_source_enabled(app.db, app.clock, ACTOR, hook, False)
    response = anonymous.post("/api/v1/ingest/Zendesk", content=body, headers=signed(app, body))
    assert response.status_code == 409
    assert "disabled" in response.json()["detail"]


def test_bodies_that_are_not_items_or_too_large(app: App, anonymous: TestClient, hook: int) -> None:
    body = b"{broken"
    response = anonymous.post("/api/v1/ingest/Zendesk", content=body, headers=signed(app, body))
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]
    huge = b"[" + b" " * 5_000_001 + b"]"
    response = anonymous.post("/api/v1/ingest/Zendesk", content=huge, headers=signed(app, huge))
    assert response.status_code == 413


def test_the_secret_is_not_stored_in_clear(app: App, hook: int) -> None:
    with app.db.session() as session:
        from sbu.listening.models import Source

        source = session.get(Source, hook)
        assert source is not None
        assert SECRET not in str(source.config)
        assert source.credentials is not None
        assert SECRET not in source.credentials
