"""``GET /api/v1/search`` and ``POST /api/v1/query/preview``: exact results with cursors and
counts, problems with positions as 422, the preview's numbers, and who may call them."""

from __future__ import annotations

from sbu.bootstrap import App
from tests.web.accounts import make_token
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import make_source, post

DAY = 24 * 60


def fill(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(
        source_id,
        [
            post("1", "Panne de fibre chez Ondine à Brest", minutes_ago=10, lang="fr"),
            post(
                "2", "Ondine fiber outage in Brest", minutes_ago=20, lang="en", platform="bluesky"
            ),
            post("3", "L'opérateur #Ondine recrute", minutes_ago=DAY * 3, lang="fr"),
            post("4", "Les ondines de la rivière", minutes_ago=30, lang="fr"),
            post("5", "<b>Ondine</b> & co", minutes_ago=DAY * 40, lang="fr"),
        ],
    )


def test_search_lists_exact_matches_newest_first(app: App, client: TestClient) -> None:
    fill(app)
    response = client.get("/api/v1/search", params={"q": "ondine"})
    assert response.status_code == 200
    body = response.json()
    assert [item["external_id"] for item in body["items"]] == ["1", "2", "3", "5"]
    assert (body["count"], body["count_at_least"], body["next"]) == (4, False, None)
    assert body["stopped_early"] is False
    first = body["items"][0]
    assert first["source"]["name"] == "tests"
    assert first["author"] == {"name": "Author 1", "handle": "@a1"}
    assert body["items"][3]["text"] == "<b>Ondine</b> & co"  # JSON carries the text as is


def test_search_filters_and_pages(app: App, client: TestClient) -> None:
    fill(app)
    only_fr = client.get("/api/v1/search", params={"q": "ondine", "language": "fr"}).json()
    assert [item["external_id"] for item in only_fr["items"]] == ["1", "3", "5"]
    bluesky = client.get("/api/v1/search", params={"q": "ondine", "platform": "bluesky"}).json()
    assert [item["external_id"] for item in bluesky["items"]] == ["2"]
    recent = client.get("/api/v1/search", params={"q": "ondine", "from": "2026-11-27"}).json()
    assert [item["external_id"] for item in recent["items"]] == ["1", "2"]
    first = client.get("/api/v1/search", params={"q": "ondine", "limit": 3}).json()
    assert [item["external_id"] for item in first["items"]] == ["1", "2", "3"]
    assert first["count"] == 4
    rest = client.get(
        "/api/v1/search", params={"q": "ondine", "limit": 3, "before": first["next"]}
    ).json()
    assert [item["external_id"] for item in rest["items"]] == ["5"]
    assert rest["next"] is None


def test_a_query_with_problems_is_422_with_their_positions(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "(ondine OR orange"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("The query has a problem at column 1:")
    assert body["problems"] == [
        {
            "code": "unclosed_paren",
            "message": "This parenthesis is never closed.",
            "hint": "Add a ) where the group ends, or remove this (.",
            "start": 0,
            "end": 1,
        }
    ]
    linted = client.get("/api/v1/search", params={"q": "ondine OR the"}).json()
    assert [(p["code"], p["start"], p["end"]) for p in linted["problems"]] == [("stopword", 10, 13)]


def test_bad_parameters_are_422_with_a_sentence(client: TestClient) -> None:
    missing = client.get("/api/v1/search")
    assert missing.status_code == 422
    assert "'q'" in missing.json()["detail"]
    bad_date = client.get("/api/v1/search", params={"q": "ondine", "from": "yesterday"})
    assert bad_date.status_code == 422
    assert "is not a date" in bad_date.json()["detail"]
    bad_cursor = client.get("/api/v1/search", params={"q": "ondine", "before": "nope"})
    assert bad_cursor.status_code == 422
    assert "cursor" in bad_cursor.json()["detail"]


def test_preview_gives_counts_volume_words_and_sample(app: App, client: TestClient) -> None:
    fill(app)
    response = client.post("/api/v1/query/preview", json={"query": "ondine", "days": 7})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["total"], body["days"]) == (3, 4, 7)
    assert body["share"] == 0.75
    assert body["count_at_least"] is False
    assert [item["external_id"] for item in body["sample"]] == ["1", "2", "3"]
    assert len(body["volume"]) == 7
    assert body["volume"][-1] == {"day": "2026-11-28", "count": 2, "counted": True}
    assert body["volume"][-4] == {"day": "2026-11-25", "count": 1, "counted": True}
    terms = {term["term"]: term["count"] for term in body["terms"]}
    assert terms["brest"] == 2
    assert "ondine" not in terms
    assert body["since"] == "2026-11-22T00:00:00Z"
    assert body["exact"] is True


def test_preview_defaults_to_the_configured_days(client: TestClient) -> None:
    body = client.post("/api/v1/query/preview", json={"query": "ondine"}).json()
    assert body["days"] == 30
    assert len(body["volume"]) == 30


def test_preview_refuses_a_bad_draft_and_a_bad_body(client: TestClient) -> None:
    refused = client.post("/api/v1/query/preview", json={"query": "ondine NEAR/3"})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["code"] == "missing_operand"
    assert client.post("/api/v1/query/preview", json={"query": "x", "days": 0}).status_code == 422
    assert client.post("/api/v1/query/preview", json={"q": "x"}).status_code == 422


def test_every_role_and_a_read_token_may_search_and_preview(
    app: App, anonymous: TestClient
) -> None:
    fill(app)
    viewer = sign_in(anonymous, app, role="viewer")
    assert anonymous.get("/api/v1/search", params={"q": "ondine"}).status_code == 200
    assert anonymous.post("/api/v1/query/preview", json={"query": "ondine"}).status_code == 200
    anonymous.cookies.clear()
    anonymous.headers.pop("X-CSRF-Token")
    _token, secret = make_token(app, viewer.id, ["read"])
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (
        anonymous.get("/api/v1/search", params={"q": "ondine"}, headers=bearer).status_code == 200
    )
    preview = anonymous.post("/api/v1/query/preview", json={"query": "ondine"}, headers=bearer)
    assert preview.status_code == 200
    assert anonymous.get("/api/v1/search", params={"q": "ondine"}).status_code == 401
