"""X's REST calls: one request through the shared API client, X's refusals as sentences.

:func:`call` sends a request through :class:`~sbu.connectors.api_client.ApiClient` (retries,
backoff, ``Retry-After``, X's ``x-rate-limit-*`` headers) and turns a refusal into a sentence
that names what was asked and what to do, with X's own words (:func:`problem_detail`); an
answer that is not a JSON object is an error too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from sbu.connectors.api_client import ApiClient, ApiResponse
from sbu.core.errors import AuthFailed, ConnectorError

API_BASE = "https://api.x.com"


def call(
    client: ApiClient,
    method: str,
    path: str,
    what: str,
    *,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
) -> Mapping[str, Any]:
    """One REST request through the API client, X's refusals turned into sentences."""
    try:
        response = client.request(method, path, params=params, json=json)
    except AuthFailed as exc:
        raise AuthFailed(_auth_sentence(client.last_refused, what)) from exc
    except ConnectorError as exc:
        if type(exc) is ConnectorError and client.last_refused is not None:
            raise ConnectorError(_refusal_sentence(client.last_refused, what)) from exc
        raise
    body = response.json()
    if not isinstance(body, Mapping):
        msg = (
            f"X answered the {what} with {type(body).__name__} instead of a JSON object: "
            "check that the connector's address is X's API (https://api.x.com)."
        )
        raise ConnectorError(msg)
    return body


def problem_detail(body: Any) -> str:
    """X's own words in an error body: the first ``errors[].message`` or ``detail``, else the
    ``detail`` or ``title`` of the problem."""
    if not isinstance(body, Mapping):
        return ""
    errors = body.get("errors")
    if isinstance(errors, list):
        for error in errors:
            if isinstance(error, Mapping):
                for key in ("message", "detail", "title"):
                    value = error.get(key)
                    if isinstance(value, str) and value.strip():
                        return value.strip()[:200]
    for key in ("detail", "title", "error"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return ""


def loads(body: bytes) -> Any:
    """A JSON body, or None when it is not JSON."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def _auth_sentence(response: ApiResponse | None, what: str) -> str:
    status = response.status if response is not None else 401
    detail = _detail(response)
    if status == 401:
        return (
            f"X refused the source's bearer_token for the {what} (HTTP 401{detail}): it was "
            "probably regenerated or revoked. Copy the app's Bearer Token again from the X "
            "developer console (your app, Keys and tokens) into the source's bearer_token; the "
            "source stays paused until then."
        )
    return (
        f"X refused the {what} (HTTP 403{detail}): the app must be in a project whose access "
        "includes this endpoint, and not suspended; check the app and its project in the X "
        "developer console. The source stays paused until then."
    )


def _refusal_sentence(response: ApiResponse, what: str) -> str:
    detail = _detail(response)
    if response.status == 402:
        return (
            f"X refused the {what} because the account has no credits left (HTTP 402{detail}): "
            "buy credits or turn on auto-recharge in the X developer console; sbu tries again "
            "at the next polls."
        )
    if response.status == 400:
        return (
            f"X refused the {what} (HTTP 400{detail}): check the source's query and settings "
            "against this message."
        )
    if response.status == 404:
        return (
            f"X has nothing at {response.url.split('?', 1)[0]} (HTTP 404{detail}): check that "
            "the connector's address is X's API (https://api.x.com)."
        )
    return f"X refused the {what} (HTTP {response.status}{detail}): check the source's settings."


def _detail(response: ApiResponse | None) -> str:
    if response is None:
        return ""
    text = problem_detail(loads(response.body))
    return f": {text}" if text else ""
