"""The OpenAPI document at /api/v1/openapi.json and the self-hosted reference at /api/v1/docs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from sbu.web.api.docs import type_label
from tests.web.conftest import TestClient


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs(value)]
    return []


def api_routes(web: FastAPI) -> set[tuple[str, str]]:
    return {
        (method.lower(), str(route.path))
        for route in iter_route_contexts(web.routes)
        if isinstance(route.original_route, APIRoute) and route.original_route.include_in_schema
        for method in route.methods or ()
    }


def test_openapi_document_lists_every_api_route(
    sqlite_web: FastAPI, sqlite_client: TestClient
) -> None:
    response = sqlite_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "sbu API"
    listed = {(method, path) for path, item in document["paths"].items() for method in item}
    assert listed == api_routes(sqlite_web)
    assert listed == {
        ("get", "/api/v1/health"),
        ("get", "/api/v1/mentions"),
        ("get", "/api/v1/mentions/new-count"),
        ("get", "/api/v1/mentions/{mention_id}"),
        ("get", "/api/v1/sources"),
        ("post", "/api/v1/sources"),
        ("get", "/api/v1/sources/{source_id}"),
        ("patch", "/api/v1/sources/{source_id}"),
        ("post", "/api/v1/ingest/{source}"),
        ("get", "/api/v1/dead-letters"),
        ("get", "/api/v1/me"),
        ("patch", "/api/v1/me"),
        ("get", "/api/v1/tokens"),
        ("post", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{token_id}"),
        ("get", "/api/v1/departments"),
        ("post", "/api/v1/departments"),
        ("patch", "/api/v1/departments/{department_id}"),
        ("get", "/api/v1/members"),
        ("post", "/api/v1/members"),
        ("patch", "/api/v1/members/{member_id}"),
        ("post", "/api/v1/members/{member_id}/reset-password"),
        ("get", "/api/v1/audit"),
        ("get", "/api/v1/topics"),
        ("post", "/api/v1/topics"),
        ("get", "/api/v1/topics/{topic_id}"),
        ("patch", "/api/v1/topics/{topic_id}"),
        ("post", "/api/v1/topics/{topic_id}/activate"),
        ("post", "/api/v1/topics/{topic_id}/deactivate"),
        ("get", "/api/v1/topics/{topic_id}/versions"),
        ("get", "/api/v1/topics/{topic_id}/versions/{a}/diff/{b}"),
        ("get", "/api/v1/topics/{topic_id}/rematch"),
        ("post", "/api/v1/topics/{topic_id}/rematch"),
        ("post", "/api/v1/topics/test"),
        ("post", "/api/v1/query/check"),
        ("get", "/api/v1/search"),
        ("post", "/api/v1/query/preview"),
    }
    # no page is in the API document
    assert all(path.startswith("/api/v1/") for _, path in listed)


def test_openapi_document_is_precise_and_consistent(sqlite_client: TestClient) -> None:
    document = sqlite_client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for ref in refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, ref
    operation_ids = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            success = next(s for s in operation["responses"] if s.startswith("2"))
            if success == "204":  # no content (DELETE)
                assert "content" not in operation["responses"]["204"]
            else:
                ok = operation["responses"][success]["content"]["application/json"]["schema"]
                assert refs(ok) or ok.get("type") == "array", (method, path)
            assert operation["summary"]
            for status, response in operation["responses"].items():
                if status in ("400", "403", "404", "409", "422"):
                    # ErrorOut, or a schema that adds structured details to its sentence (a
                    # refused topic lists the query's problems and the failing examples)
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    error = schemas[ref.rsplit("/", 1)[1]]
                    assert "detail" in error["required"], (method, path, status)
                    assert error["properties"]["detail"]["type"] == "string"
            # the default list-shaped validation error is replaced by one sentence
            assert "HTTPValidationError" not in str(operation)
    assert len(operation_ids) == len(set(operation_ids))
    mentions = document["paths"]["/api/v1/mentions"]["get"]
    names = {p["name"] for p in mentions["parameters"]}
    assert names == {
        "source",
        "platform",
        "language",
        "from",
        "to",
        "q",
        "originals_only",
        "before",
        "after",
        "limit",
        "topic",
    }
    detail = schemas["MentionDetailOut"]["properties"]
    assert {"raw", "annotations", "author", "source", "parent", "replies", "original"} <= set(
        detail
    )


def test_fastapi_default_cdn_docs_are_off(sqlite_client: TestClient) -> None:
    assert sqlite_client.get("/docs").status_code == 404
    assert sqlite_client.get("/redoc").status_code == 404
    assert sqlite_client.get("/openapi.json").status_code == 404


def test_reference_page_shows_every_route_without_scripts(sqlite_client: TestClient) -> None:
    response = sqlite_client.get("/api/v1/docs", headers={"accept-language": "en"})
    assert response.status_code == 200
    page = response.text
    assert "<script" not in page
    for path in (
        "/api/v1/health",
        "/api/v1/mentions",
        "/api/v1/mentions/{mention_id}",
        "/api/v1/dead-letters",
    ):
        assert f"<code>{path}</code>" in page
    assert "MentionDetailOut" in page
    assert "originals_only" in page
    for path in ("/api/v1/me", "/api/v1/members/{member_id}/reset-password", "/api/v1/audit"):
        assert f"<code>{path}</code>" in page
    assert "TokenCreatedOut" in page


def test_type_labels() -> None:
    assert type_label({"type": "string"}) == "string"
    assert type_label({"$ref": "#/components/schemas/MentionSummary"}) == "MentionSummary"
    assert type_label({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == "integer | null"
    assert type_label({"type": "array", "items": {"$ref": "#/x/Y"}}) == "array of Y"
    assert type_label({"enum": ["ok", "failing"]}) == "'ok' | 'failing'"
    assert (
        type_label({"type": "object", "additionalProperties": {"type": "integer"}})
        == "object of integer"
    )
    assert type_label({}) == "any"
