"""``/api/v1/docs``: a self-hosted, script-free reference rendered from the OpenAPI document.

FastAPI's default Swagger UI loads from a CDN, which sbu refuses (it must work offline and under
a strict Content-Security-Policy); this page is plain HTML built from ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from sbu.web.deps import UiDep
from sbu.web.templating import render

router = APIRouter()


@router.get("/openapi.json", include_in_schema=False)
def openapi_document(request: Request) -> dict[str, Any]:
    """The OpenAPI document of the JSON API (for signed-in members and API tokens)."""
    document: dict[str, Any] = request.app.openapi()
    return document


METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(slots=True)
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass(slots=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)
    responses: list[tuple[str, str, str]] = field(default_factory=list)


def type_label(schema: dict[str, Any]) -> str:
    """A short human label of a JSON schema: ``string``, ``array of MentionSummary``..."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_label(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"array of {type_label(schema.get('items', {}))}"
    if schema.get("type") == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        return f"object of {type_label(extra) if isinstance(extra, dict) else 'any'}"
    return str(schema.get("type", "any"))


def operations(document: dict[str, Any]) -> list[Operation]:
    found: list[Operation] = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            operation = Operation(
                method.upper(), path, spec.get("summary", ""), spec.get("description", "")
            )
            for parameter in spec.get("parameters", []):
                schema = parameter.get("schema", {})
                operation.parameters.append(
                    Parameter(
                        parameter["name"],
                        parameter["in"],
                        bool(parameter.get("required")),
                        type_label(schema),
                        parameter.get("description") or schema.get("description", ""),
                    )
                )
            for status, response in spec.get("responses", {}).items():
                body = response.get("content", {}).get("application/json", {}).get("schema", {})
                label = type_label(body) if body else ""
                operation.responses.append((status, response.get("description", ""), label))
            found.append(operation)
    return found


def schemas(document: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, bool, str]]]]:
    """(name, [(property, type, required, description)]) of every component schema."""
    result = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        properties = [
            (prop, type_label(spec), prop in required, spec.get("description", ""))
            for prop, spec in schema.get("properties", {}).items()
        ]
        result.append((name, properties))
    return result


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request, ui: UiDep) -> HTMLResponse:
    document = request.app.openapi()
    return render(
        request,
        ui,
        "api/docs.html",
        {
            "info": document.get("info", {}),
            "operations": operations(document),
            "schemas": schemas(document),
        },
        section="settings",
    )
