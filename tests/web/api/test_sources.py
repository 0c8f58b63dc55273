"""/api/v1/sources (list, create, read, change) and /api/v1/dead-letters on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from sbu.bootstrap import App
from sbu.core.credentials import MASK
from sbu.listening.drafts import RawItem, Rejected
from sbu.listening.models import Source
from tests.conftest import NOW
from tests.web.accounts import make_member, make_token
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


# -- creating, reading and changing sources ------------------------------------------------------

FEED = "https://feeds.example.org/economie/rss.xml"
SECRET = "whsec-Kq7x-first-signing-secret-0042"
OTHER_SECRET = "whsec-Zt3p-second-signing-secret-9917"


def stored(app: App, source_id: int) -> Source:
    with app.db.session() as session:
        found = session.get(Source, source_id)
        assert found is not None
        session.expunge(found)
        return found


def test_create_a_source_and_read_it_masked(app: App, client: TestClient) -> None:
    created = client.post("/api/v1/sources", json={
        "name": "Forum", "connector": "webhook", "purpose": "Forum clients",
        "config": {"signing_secret": SECRET, "payload_format": "reddit"}})  # fmt: skip
    assert created.status_code == 201, created.text
    body = created.json()
    assert SECRET not in created.text
    assert body["config"] == {"signing_secret": MASK + "0042", "payload_format": "reddit",
                              "platform": "webhook", "replay_window_seconds": 300}  # fmt: skip
    assert body["credentials"] == ["signing_secret"]
    assert (body["name"], body["connector"], body["purpose"]) == (
        "Forum",
        "webhook",
        "Forum clients",
    )
    assert (body["status"], body["enabled"], body["poll_interval_seconds"]) == ("ok", True, None)
    read = client.get(f"/api/v1/sources/{body['id']}")
    assert read.status_code == 200
    assert read.json() == body
    source = stored(app, body["id"])
    assert app.credentials.open(source.credentials, owner="test") == {"signing_secret": SECRET}
    feed = client.post("/api/v1/sources", json={
        "name": "Presse", "connector": "rss", "config": {"url": FEED},
        "poll_interval_seconds": 600}).json()  # fmt: skip
    assert feed["config"] == {"url": FEED, "language": None, "title": None}
    assert (feed["poll_interval_seconds"], feed["status"], feed["credentials"]) == (
        600,
        "waiting",
        [],
    )


def test_patch_merges_the_config_and_keeps_credentials(app: App, client: TestClient) -> None:
    hook = client.post("/api/v1/sources", json={
        "name": "Hook", "connector": "webhook",
        "config": {"signing_secret": SECRET, "platform": "forum"}}).json()  # fmt: skip
    url = f"/api/v1/sources/{hook['id']}"
    patched = client.patch(url, json={"config": {"replay_window_seconds": 900}})
    assert patched.status_code == 200, patched.text
    config = patched.json()["config"]
    assert (config["replay_window_seconds"], config["platform"]) == (900, "forum")  # merged
    assert config["signing_secret"] == MASK + "0042"
    for kept in ({"signing_secret": ""}, {"signing_secret": None},
                 {"signing_secret": MASK + "0042"}):  # fmt: skip
        assert client.patch(url, json={"config": kept}).status_code == 200
        source = stored(app, hook["id"])
        assert app.credentials.open(source.credentials, owner="t") == {"signing_secret": SECRET}
    reset = client.patch(url, json={"config": {"platform": None}}).json()
    assert reset["config"]["platform"] == "webhook"  # null: back to the default
    new = client.patch(url, json={"config": {"signing_secret": OTHER_SECRET}})
    assert OTHER_SECRET not in new.text
    assert new.json()["config"]["signing_secret"] == MASK + "9917"
    source = stored(app, hook["id"])
    assert app.credentials.open(source.credentials, owner="t") == {"signing_secret": OTHER_SECRET}


def test_patch_interval_and_enabled(app: App, client: TestClient) -> None:
    feed = client.post("/api/v1/sources", json={
        "name": "Presse", "connector": "rss", "config": {"url": FEED}}).json()  # fmt: skip
    url = f"/api/v1/sources/{feed['id']}"
    assert feed["poll_interval_seconds"] == 900
    assert (
        client.patch(url, json={"poll_interval_seconds": 120}).json()["poll_interval_seconds"]
        == 120
    )
    off = client.patch(url, json={"enabled": False}).json()
    assert (off["enabled"], off["status"]) == (False, "disabled")
    with app.db.write_session() as session:
        session.execute(update(Source).where(Source.id == feed["id"])
                        .values(enabled=True, paused_reason="Refused (HTTP 401)."))  # fmt: skip
        session.commit()
    assert client.get(url).json()["status"] == "paused"
    resumed = client.patch(url, json={"enabled": True}).json()
    assert (resumed["status"], resumed["paused_reason"]) == ("waiting", None)
    assert stored(app, feed["id"]).config == {"url": FEED, "language": None, "title": None}


def test_source_errors(app: App, client: TestClient) -> None:
    feed = client.post("/api/v1/sources", json={
        "name": "Presse", "connector": "rss", "config": {"url": FEED}}).json()  # fmt: skip
    hook = client.post("/api/v1/sources", json={
        "name": "Hook", "connector": "webhook", "config": {"signing_secret": SECRET}}).json()  # fmt: skip
    cases = [
        ("POST", "/api/v1/sources", {"name": "Presse", "connector": "rss", "config": {"url": FEED}},
         409, "A source called 'Presse' already exists: choose another name."),
        ("POST", "/api/v1/sources", {"name": "X", "connector": "nope"}, 404,
         "There is no connector called 'nope'."),
        ("POST", "/api/v1/sources", {"name": "X", "connector": "rss", "config": {"url": "ftp://a"}},
         400, "The configuration of this RSS or Atom feed source is invalid: url: the feed URL"),
        ("POST", "/api/v1/sources", {"name": "X", "connector": "rss", "config": {"urll": FEED}},
         400, "urll: Extra inputs are not permitted"),
        ("POST", "/api/v1/sources", {"name": "X", "connector": "webhook",
                                     "config": {"signing_secret": "tiny-secret-77"}},
         400, "the signing secret must have 32 characters or more"),
        ("POST", "/api/v1/sources", {"name": "X", "connector": "rss", "colour": "red"}, 422, "colour"),
        ("POST", "/api/v1/sources", {"name": "X", "connector": "rss", "purpose": "p" * 501},
         422, "purpose"),
        ("PATCH", f"/api/v1/sources/{feed['id']}", {"config": {"url": "nope"}}, 400,
         "url: the feed URL 'nope' is not an http:// or https:// address"),
        ("PATCH", f"/api/v1/sources/{feed['id']}", {"poll_interval_seconds": 0}, 422,
         "poll_interval_seconds"),
        ("PATCH", f"/api/v1/sources/{hook['id']}", {"poll_interval_seconds": 60}, 400,
         "The source 'Hook' is not polled"),
        ("PATCH", "/api/v1/sources/999", {"enabled": False}, 404,
         "There is no source 999: list them with GET /api/v1/sources."),
    ]  # fmt: skip
    for method, path, body, status, sentence in cases:
        response = client.request(method, path, json=body)
        assert response.status_code == status, (body, response.text)
        assert sentence in response.json()["detail"], body
        assert "tiny-secret-77" not in response.text  # a credential is never echoed
    assert client.get("/api/v1/sources/999").status_code == 404
    assert [row["name"] for row in client.get("/api/v1/sources").json()] == ["Hook", "Presse"]
    assert stored(app, feed["id"]).config["url"] == FEED


def test_tokens_need_the_write_scope_and_a_manager(app: App, anonymous: TestClient) -> None:
    admin = make_member(app, "admin", "root@example.com")
    viewer = make_member(app, "viewer", "viewer@example.com")
    _t, read = make_token(app, admin.id, ["read"])
    _t, write = make_token(app, admin.id, ["write"])
    _t, viewer_write = make_token(app, viewer.id, ["write"])
    body = {"name": "Presse", "connector": "rss", "config": {"url": FEED}}
    for token in (read, viewer_write):
        refused = anonymous.post("/api/v1/sources", json=body,
                                 headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        assert refused.status_code == 403
    created = anonymous.post("/api/v1/sources", json=body,
                             headers={"Authorization": f"Bearer {write}"})  # fmt: skip
    assert created.status_code == 201
    one = anonymous.get(f"/api/v1/sources/{created.json()['id']}",
                        headers={"Authorization": f"Bearer {read}"})  # fmt: skip
    assert one.json()["config"]["url"] == FEED
    refused = anonymous.patch(f"/api/v1/sources/{created.json()['id']}", json={"enabled": False},
                              headers={"Authorization": f"Bearer {read}"})  # fmt: skip
    assert refused.status_code == 403
    assert stored(app, created.json()["id"]).enabled is True
