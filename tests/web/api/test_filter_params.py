"""The filter and page parameters shared by /api/v1/mentions and /api/v1/search."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import TestClient

SHARED = ("platform", "language", "source", "from", "to", "originals_only", "before", "limit")


def parameters(document: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}


def test_both_endpoints_document_the_filters_alike(sqlite_client: TestClient) -> None:
    document = sqlite_client.get("/api/v1/openapi.json").json()
    mentions = parameters(document, "/api/v1/mentions")
    search = parameters(document, "/api/v1/search")
    for name in SHARED:
        assert mentions[name] == search[name], name
        assert mentions[name]["description"]
    assert mentions["limit"]["schema"]["anyOf"][0]["maximum"] == 500


def test_the_shared_constraints_are_enforced(sqlite_client: TestClient) -> None:
    for path in ("/api/v1/mentions", "/api/v1/search?q=ondine&"):
        joiner = "" if path.endswith("&") else "?"
        assert sqlite_client.get(f"{path}{joiner}limit=501").status_code == 422
        assert sqlite_client.get(f"{path}{joiner}source=0").status_code == 422
        assert sqlite_client.get(f"{path}{joiner}platform={'x' * 33}").status_code == 422
