"""GET /api/v1/sources and /api/v1/dead-letters on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from sbu.bootstrap import App
from sbu.listening.drafts import RawItem, Rejected
from sbu.listening.models import Source
from tests.conftest import NOW
from tests.web.conftest import TestClient
from tests.web.posts import make_source, post


def test_sources_with_counts_and_status(app: App, client: TestClient) -> None:
    healthy = make_source(app, "Import")
    failing = make_source(app, "Feed")
    stopped = make_source(app, "Old")
    app.ingest.ingest(healthy, [post("1", "un message"), post("2", "un autre message")])
    app.ingest.ingest(failing, [], rejected=[Rejected("line 3", "Line 3 is not valid JSON.", "{")])
    with app.db.write_session() as session:
        session.execute(
            update(Source)
            .where(Source.id == failing)
            .values(
                consecutive_failures=2,
                last_error="The feed answered 503.",
                last_polled_at=NOW - timedelta(minutes=5),
            )
        )
        session.execute(update(Source).where(Source.id == stopped).values(enabled=False))
        session.commit()
    response = client.get("/api/v1/sources")
    assert response.status_code == 200
    by_name = {row["name"]: row for row in response.json()}
    assert list(by_name) == ["Feed", "Import", "Old"]
    assert by_name["Import"]["mentions"] == 2
    assert by_name["Import"]["status"] == "ok"
    assert by_name["Import"]["connector"] == "file"
    assert by_name["Feed"]["status"] == "failing"
    assert by_name["Feed"]["last_error"] == "The feed answered 503."
    assert by_name["Feed"]["dead_letters"] == 1
    assert by_name["Feed"]["consecutive_failures"] == 2
    assert by_name["Feed"]["last_polled_at"] == "2026-11-28T08:55:00Z"
    assert by_name["Old"]["status"] == "disabled"


def test_dead_letters_are_paginated_and_filtered(app: App, client: TestClient) -> None:
    first = make_source(app, "first")
    second = make_source(app, "second")
    app.ingest.ingest(
        first,
        [
            RawItem("sbu", {"text": f"pas d'id {i}", "created_at": NOW.isoformat()}, f"line {i}")
            for i in range(5)
        ],
    )
    app.ingest.ingest(
        second, [], rejected=[Rejected("line 9", "Line 9 is not valid JSON.", "<b>{")]
    )
    everything = client.get("/api/v1/dead-letters").json()
    assert everything["total"] == 6
    assert len(everything["items"]) == 6
    page = client.get(
        "/api/v1/dead-letters", params={"source": first, "limit": 2, "offset": 2}
    ).json()
    assert page["total"] == 5
    assert page["limit"] == 2
    assert page["offset"] == 2
    assert len(page["items"]) == 2
    assert {item["source"]["name"] for item in page["items"]} == {"first"}
    only_second = client.get("/api/v1/dead-letters", params={"source": second}).json()
    assert only_second["items"][0]["reason"] == "Line 9 is not valid JSON."
    assert only_second["items"][0]["payload"] == "<b>{"
    assert only_second["items"][0]["locator"] == "line 9"
    assert "no 'id'" in page["items"][0]["reason"]


def test_dead_letters_reject_bad_paging(sqlite_client: TestClient) -> None:
    for query in ("limit=0", "limit=501", "offset=-1", "source=x"):
        response = sqlite_client.get(f"/api/v1/dead-letters?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"].startswith("The query parameter")
