"""The shared API client, taught Bluesky's rate-limit headers; and XRPC error bodies.

Bluesky answers every call with ``RateLimit-Limit``, ``RateLimit-Remaining``,
``RateLimit-Reset`` (a Unix time) and ``RateLimit-Policy`` (``3000;w=300``): the names of the
IETF draft, without the ``X-`` prefix that :class:`~sbu.connectors.api_client.ApiClient` reads
(Mastodon's, Reddit's and X's). Without them a 429 of Bluesky would be retried blindly and then
reported as a transient failure; with them the client waits for a short reset, and raises
``RateLimited`` with the time to wait for a long one, like for the other platforms.

A refused XRPC call answers ``{"error": "ExpiredToken", "message": "Token has expired"}``:
:func:`error_name` reads the name (what the connector acts on), :func:`error_detail` both, for
sentences.
"""

from __future__ import annotations

import orjson

from sbu.connectors.api_client import ApiClient, ApiResponse

#: Values above this are Unix times; below, seconds from now.
UNIX_TIME_FROM = 1_000_000_000


#: The shared client reads Bluesky's ``RateLimit-*`` headers itself (sbu.connectors.api_client).
BlueskyApiClient = ApiClient


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None


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
