"""Bluesky's XRPC error bodies.

(Bluesky's ``RateLimit-*`` headers, a Unix-time reset, are read by the shared
:class:`~sbu.connectors.api_client.ApiClient` like the other platforms'.)

A refused XRPC call answers ``{"error": "ExpiredToken", "message": "Token has expired"}``:
:func:`error_name` reads the name (what the connector acts on), :func:`error_detail` both, for
sentences.
"""

from __future__ import annotations

import orjson

from sbu.connectors.api_client import ApiResponse


def error_detail(response: ApiResponse) -> str:
    """``": InvalidRequest: the server's message"`` from an XRPC error body, or ""."""
    try:
        body = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts = [body.get(k) for k in ("error", "message")]
    text = ": ".join(p.strip()[:200] for p in parts if isinstance(p, str) and p.strip())
    return f": {text}" if text else ""


def error_name(response: ApiResponse) -> str:
    """The XRPC error name of a refused answer (``ExpiredToken``...), or ""."""
    try:
        body = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return error[:80] if isinstance(error, str) else ""
