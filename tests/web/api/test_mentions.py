"""GET /api/v1/mentions, /mentions/new-count and /mentions/{id} on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sbu.bootstrap import App
from sbu.listening.queries import encode_cursor
from tests.web.conftest import TestClient
from tests.web.posts import XSS, make_source, numbered, post


def ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]


def external_ids(body: dict[str, Any]) -> list[str]:
    return [item["external_id"] for item in body["items"]]


def test_lists_newest_first_with_every_field(app: App, source_id: int, client: TestClient) -> None:
    app.ingest.ingest(
        source_id,
        [
            post(
                "old", "Un ancien message", minutes_ago=120, likes=3, url="https://example.org/old"
            ),
            post("new", "Un nouveau message", minutes_ago=5, title="Le titre"),
        ],
    )
    response = client.get("/api/v1/mentions")
    assert response.status_code == 200
    body = response.json()
    assert external_ids(body) == ["new", "old"]
    assert body["count"] == 2
    assert body["count_capped"] is False
    assert body["next"] is None
    assert body["prev"] is None
    newest, oldest = body["items"]
    assert newest["title"] == "Le titre"
    assert newest["created_at"] == "2026-11-28T08:55:00Z"
    assert newest["author"] == {"name": "Author new", "handle": "@anew"}
    assert newest["source"] == {"id": source_id, "name": "tests"}
    assert oldest["metrics"] == {"likes": 3}
    assert oldest["url"] == "https://example.org/old"
    assert oldest["language"] == "fr"
    assert oldest["duplicate_kind"] is None


def test_filters_by_platform_language_source_and_dates(
    app: App, source_id: int, client: TestClient
) -> None:
    other = make_source(app, "other")
    app.ingest.ingest(
        source_id,
        [
            post(
                "m1", "bonjour le réseau mastodon", platform="mastodon", lang="fr", minutes_ago=3000
            ),
            post("b1", "hello from bluesky land", platform="bluesky", lang="en", minutes_ago=30),
        ],
    )
    app.ingest.ingest(other, [post("m2", "un autre message de mastodon", minutes_ago=10)])

    def query(**params: str) -> list[str]:
        response = client.get("/api/v1/mentions", params=params)
        assert response.status_code == 200, response.text
        return external_ids(response.json())

    assert query(platform="bluesky") == ["b1"]
    assert query(platform="Mastodon") == ["m2", "m1"]
    assert query(language="en") == ["b1"]
    assert query(source=str(other)) == ["m2"]
    # m1 was written 3000 minutes (2 days and 2 hours) before NOW = 2026-11-28 09:00 UTC.
    assert query(**{"from": "2026-11-27"}) == ["m2", "b1"]
    assert query(to="2026-11-26") == ["m1"]
    assert query(**{"from": "2026-11-26", "to": "2026-11-26"}) == ["m1"]
    assert query(**{"from": "2026-11-28T08:40:00Z"}) == ["m2"]
    assert query(to="2026-11-28T08:40:00+00:00") == ["b1", "m1"]
    assert query(platform="mastodon", language="fr", source=str(source_id)) == ["m1"]


def test_text_search_ignores_case_and_accents(app: App, source_id: int, client: TestClient) -> None:
    app.ingest.ingest(
        source_id,
        [
            post("1", "Panne générale chez Télécom Ouest", minutes_ago=20),
            post("2", "Tout va bien", minutes_ago=10, title="Réseau TÉLÉCOM en forme"),
            post("3", "Rien à voir", minutes_ago=5),
            post("4", "100% de réussite, vraiment", minutes_ago=4),
        ],
    )
    found = client.get("/api/v1/mentions", params={"q": "telecom"}).json()
    assert external_ids(found) == ["2", "1"]
    assert external_ids(client.get("/api/v1/mentions", params={"q": "GÉNÉRALE"}).json()) == ["1"]
    # LIKE wildcards in the needle are literal characters
    assert external_ids(client.get("/api/v1/mentions", params={"q": "100%"}).json()) == ["4"]
    assert client.get("/api/v1/mentions", params={"q": "%"}).json()["count"] == 1


def test_originals_only_hides_copies(app: App, source_id: int, client: TestClient) -> None:
    text = "Encore une panne géante du réseau fibre ce matin dans tout l'Ouest"
    app.ingest.ingest(source_id, [post("orig", text, minutes_ago=60)])
    app.ingest.ingest(source_id, [post("copy", text + " !", minutes_ago=30)])
    everything = client.get("/api/v1/mentions").json()
    assert external_ids(everything) == ["copy", "orig"]
    copy = everything["items"][0]
    assert copy["duplicate_kind"] == "copy"
    assert copy["duplicate_of_id"] == everything["items"][1]["id"]
    originals = client.get("/api/v1/mentions", params={"originals_only": "true"}).json()
    assert external_ids(originals) == ["orig"]


def test_pages_forward_and_backward_with_cursors(
    app: App, source_id: int, client: TestClient
) -> None:
    app.ingest.ingest(source_id, numbered(7))
    first = client.get("/api/v1/mentions", params={"limit": 3}).json()
    assert external_ids(first) == ["7", "6", "5"]
    assert first["prev"] is None
    assert first["count"] == 7
    second = client.get("/api/v1/mentions", params={"limit": 3, "before": first["next"]}).json()
    assert external_ids(second) == ["4", "3", "2"]
    third = client.get("/api/v1/mentions", params={"limit": 3, "before": second["next"]}).json()
    assert external_ids(third) == ["1"]
    assert third["next"] is None
    back = client.get("/api/v1/mentions", params={"limit": 3, "after": third["prev"]}).json()
    assert external_ids(back) == ["4", "3", "2"]
    top = client.get("/api/v1/mentions", params={"limit": 3, "after": back["prev"]}).json()
    assert external_ids(top) == ["7", "6", "5"]
    assert top["prev"] is None


def test_new_count_counts_what_arrived_after_the_cursor(
    app: App, source_id: int, client: TestClient
) -> None:
    app.ingest.ingest(source_id, numbered(3, start_minutes=30))
    page = client.get("/api/v1/mentions").json()
    newest = page["items"][0]
    cursor = encode_cursor(datetime.fromisoformat(newest["created_at"]), newest["id"])
    assert client.get("/api/v1/mentions/new-count", params={"after": cursor}).json() == {
        "count": 0,
        "capped": False,
    }
    app.ingest.ingest(
        source_id,
        [
            post("n1", "une toute nouvelle mention en français", minutes_ago=2),
            post("n2", "a brand new mention in english", minutes_ago=1, lang="en"),
        ],
    )
    assert client.get("/api/v1/mentions/new-count", params={"after": cursor}).json()["count"] == 2
    only_en = client.get("/api/v1/mentions/new-count", params={"after": cursor, "language": "en"})
    assert only_en.json() == {"count": 1, "capped": False}


def test_new_count_needs_a_valid_cursor(sqlite_client: TestClient) -> None:
    missing = sqlite_client.get("/api/v1/mentions/new-count")
    assert missing.status_code == 422
    assert "'after'" in missing.json()["detail"]
    bad = sqlite_client.get("/api/v1/mentions/new-count", params={"after": "yesterday"})
    assert bad.status_code == 422
    assert "cursor" in bad.json()["detail"]


def test_detail_has_thread_duplicates_annotations_and_raw(
    app: App, source_id: int, client: TestClient
) -> None:
    text = "Le service client de Télécom Ouest m'a enfin rappelé après trois jours d'attente"
    app.ingest.ingest(
        source_id,
        [
            post(
                "root",
                text,
                minutes_ago=90,
                annotations={"sentiment": "negative", "topic": "service"},
                custom_field={"kept": [1, 2]},
            )
        ],
    )
    app.ingest.ingest(
        source_id,
        [
            post("reply", "Pareil pour moi la semaine dernière", minutes_ago=60, parent_id="root"),
            post("copy", text, minutes_ago=30),
        ],
    )
    listing = {
        item["external_id"]: item["id"] for item in client.get("/api/v1/mentions").json()["items"]
    }
    root = client.get(f"/api/v1/mentions/{listing['root']}").json()
    assert root["raw"]["custom_field"] == {"kept": [1, 2]}
    assert root["annotations"] == {"sentiment": "negative", "topic": "service"}
    assert [r["external_id"] for r in root["replies"]] == ["reply"]
    assert root["repeated_by"] == 1
    assert root["author"]["handle"] == "@aroot"
    assert root["source"] == {"id": source_id, "name": "tests", "connector": "file"}
    assert root["collected_at"] == "2026-11-28T09:00:00Z"
    reply = client.get(f"/api/v1/mentions/{listing['reply']}").json()
    assert reply["parent"]["external_id"] == "root"
    assert reply["parent_external_id"] == "root"
    copy = client.get(f"/api/v1/mentions/{listing['copy']}").json()
    assert copy["duplicate_kind"] == "copy"
    assert copy["original"]["id"] == listing["root"]


def test_detail_returns_post_text_as_data(app: App, source_id: int, client: TestClient) -> None:
    app.ingest.ingest(source_id, [post("x", XSS)])
    mention_id = client.get("/api/v1/mentions").json()["items"][0]["id"]
    response = client.get(f"/api/v1/mentions/{mention_id}")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["text"] == XSS


def test_unknown_mention_is_a_404_sentence(sqlite_client: TestClient) -> None:
    response = sqlite_client.get("/api/v1/mentions/999")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no mention 999: it may have been deleted; list mentions with "
        "GET /api/v1/mentions."
    }
    assert sqlite_client.get("/api/v1/mentions/abc").status_code == 422


def test_bad_parameters_are_422_sentences(sqlite_client: TestClient) -> None:
    cases = {
        "from=yesterday": "is not a date: send a day like 2026-11-28",
        "to=2026-11-28T10:00:00": "is not a date",
        "from=2026-11-28&to=2026-11-01": "must come after its start",
        "before=nonsense": "The cursor 'before' is not valid",
        "before=1_1&after=1_2": "either 'before' or 'after'",
        "limit=0": "'limit' is not valid",
        "limit=abc": "'limit' is not valid",
        "source=abc": "'source' is not valid",
        "originals_only=maybe": "'originals_only' is not valid",
        f"q={'x' * 201}": "'q' is not valid",
    }
    for query, expected in cases.items():
        response = sqlite_client.get(f"/api/v1/mentions?{query}")
        assert response.status_code == 422, query
        detail = response.json()["detail"]
        assert isinstance(detail, str)
        assert expected in detail, (query, detail)
        assert detail.endswith(".")


def test_the_topic_filter(app: App, source_id: int, client: TestClient) -> None:
    from tests.web.topics import make_department, make_topic, match_everything

    app.ingest.ingest(source_id, [post("a", "Ondine en panne"), post("b", "Rien à signaler")])
    topic = make_topic(app, make_department(app))
    match_everything(app)
    body = client.get("/api/v1/mentions", params={"topic": topic.id}).json()
    assert external_ids(body) == ["a"]
    assert body["count"] == 1
    cursor = encode_cursor(datetime.fromisoformat("2000-01-01T00:00:00+00:00"), 0)
    count = client.get("/api/v1/mentions/new-count", params={"topic": topic.id, "after": cursor})
    assert count.json() == {"count": 1, "capped": False}
    refused = client.get("/api/v1/mentions", params={"topic": "ondine"})
    assert refused.status_code == 422
