"""LinkedIn's Community Management API (``https://api.linkedin.com/rest``) for one source.

Every request goes through :class:`~sbu.connectors.api_client.ApiClient` with the headers
LinkedIn's versioned API requires: ``Authorization: Bearer <token>``, ``LinkedIn-Version:
YYYYMM`` and ``X-Restli-Protocol-Version: 2.0.0``. URNs in paths are percent-encoded
(``/socialActions/urn%3Ali%3Ashare%3A…/comments``). :class:`LinkedInApi` turns LinkedIn's
refusals (``{"status", "serviceErrorCode", "code", "message"}``) into sbu errors:

- **401** (``EXPIRED_ACCESS_TOKEN``, ``REVOKED_ACCESS_TOKEN``, ``INVALID_ACCESS_TOKEN``) and
  **403** (``ACCESS_DENIED``: a permission or the page role missing) raise
  :class:`~sbu.core.errors.AuthFailed` with what to do;
- **426** (a ``LinkedIn-Version`` no longer served) and other 4xx raise
  :class:`~sbu.core.errors.ConnectorError`;
- **429**: LinkedIn's limits are per day (per app and per member) and reset at midnight UTC.
  The shared client retries a few times; when LinkedIn still refuses, sbu raises
  :class:`~sbu.core.errors.RateLimited` with the ``Retry-After`` LinkedIn sent or the time left
  until midnight UTC. The status of the last answer is read by a thin transport wrapper
  (:class:`LastAnswer`), since the shared client keeps no refused 429 answer.

Collections page with ``start`` and ``count``; ``paging.total`` (when given) or a short page
says the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx
import orjson

from sbu.connectors.api_client import ApiClient, ApiResponse
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient

API_BASE_URL = "https://api.linkedin.com/rest"
RESTLI_VERSION = "2.0.0"
TOKEN_CODES = {
    "EXPIRED_ACCESS_TOKEN": "it expired (LinkedIn tokens last 60 days)",
    "REVOKED_ACCESS_TOKEN": "it was revoked",
    "INVALID_ACCESS_TOKEN": "it is not valid",
}
#: The shortest wait after LinkedIn refused every retry with HTTP 429.
MIN_WAIT = 60.0
Clock = Callable[[], datetime]


class LastAnswer(httpx.BaseTransport):
    """Passes requests to the real transport and remembers the last status and Retry-After."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.status: int | None = None
        self.retry_after: str | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.status, self.retry_after = None, None
        response = self.inner.handle_request(request)
        self.status = response.status_code
        self.retry_after = response.headers.get("retry-after")
        return response

    def close(self) -> None:
        self.inner.close()


def urn_path(urn: str) -> str:
    """A URN as one path segment (every reserved character encoded)."""
    return quote(urn, safe="")


class LinkedInApi:
    """LinkedIn calls on behalf of one source (``who`` names it in every message)."""

    def __init__(self, client: ApiClient, answers: LastAnswer, who: str, clock: Clock) -> None:
        self.client = client
        self.answers = answers
        self.who = who
        self.clock = clock

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        body = self._call("GET", path, params=params).json()
        if not isinstance(body, dict):
            msg = f"{self.who}: LinkedIn answered {path} with something that is not an object; check the API address."
            raise ConnectorError(msg)
        return body

    def post(self, path: str, body: Mapping[str, Any]) -> ApiResponse:
        return self._call("POST", path, json=dict(body))

    def pages(
        self, path: str, params: Mapping[str, Any], count: int, max_pages: int
    ) -> Iterator[tuple[list[Any], bool]]:
        """Each page's ``elements``, with whether another page is waiting after it."""
        start = 0
        for _ in range(max_pages):
            body = self.get(path, {**params, "start": start, "count": count})
            elements = body.get("elements")
            if not isinstance(elements, list):
                msg = f"{self.who}: LinkedIn answered {path} without a list of elements; check the API address."
                raise ConnectorError(msg)
            paging = body.get("paging") if isinstance(body.get("paging"), dict) else None
            total = paging.get("total") if paging is not None else None
            start += len(elements)
            if isinstance(total, int) and not isinstance(total, bool):
                waiting = bool(elements) and start < total
            else:
                waiting = len(elements) >= count
            yield elements, waiting
            if not waiting:
                return

    def _call(self, method: str, path: str, **kwargs: Any) -> ApiResponse:
        try:
            return self.client.request(method, path, **kwargs)
        except RateLimited:
            raise
        except Transient as exc:
            if self.answers.status == 429:
                raise self._daily_limit() from exc
            raise
        except ConnectorError as exc:
            refused = self.client.last_refused
            if refused is None:
                raise
            raise self._error(refused) from exc

    def _error(self, response: ApiResponse) -> ConnectorError:
        code, message = _error_body(response)
        said = f" (HTTP {response.status}{f', {code}' if code else ''}{f': {message}' if message else ''})"
        if response.status == 401:
            why = TOKEN_CODES.get(code or "", "it is no longer valid")
            return AuthFailed(
                f"{self.who}: LinkedIn refused the access token because {why}{said}. Sign in "
                "again as a page administrator to create a new token (see the connector's "
                "page) and enter it in Settings → Sources; the source stays paused until then."
            )
        if response.status == 403:
            return AuthFailed(
                f"{self.who}: LinkedIn refused access{said}: the token needs the "
                "r_organization_social and w_organization_social permissions, and its member "
                "must be an administrator of the organization's page. Fix that, create a new "
                "token and enter it in Settings → Sources."
            )
        if response.status == 426:
            return ConnectorError(
                f"{self.who}: LinkedIn no longer serves the API version the source asks for"
                f"{said}: set the source's linkedin_version to a recent month (YYYYMM)."
            )
        if response.status == 404:
            return ConnectorError(
                f"{self.who}: LinkedIn has nothing at {path_of(response)}{said}: check the "
                "organization id; a post or comment may have been deleted."
            )
        return ConnectorError(
            f"{self.who}: LinkedIn refused the request{said}; check the source's settings."
        )

    def _daily_limit(self) -> RateLimited:
        now = self.clock()
        wait = _seconds(self.answers.retry_after, now)
        if wait is None:
            midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
            wait = (midnight - now).total_seconds()
        wait = max(wait, MIN_WAIT)
        return RateLimited(
            f"{self.who}: LinkedIn's rate limit is reached (HTTP 429; its limits count per day "
            f"and reset at midnight UTC): sbu asks again in {wait / 3600:.1f} h (the source's "
            "next poll is moved accordingly).",
            retry_after=wait,
        )


def path_of(response: ApiResponse) -> str:
    return httpx.URL(response.url).path


def _error_body(response: ApiResponse) -> tuple[str | None, str | None]:
    try:
        body = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    code, message = body.get("code"), body.get("message")
    return (
        code if isinstance(code, str) and code else None,
        " ".join(message.split())[:200] if isinstance(message, str) and message else None,
    )


def _seconds(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    try:
        return max(float(value.strip()), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - now).total_seconds(), 0.0) if when.tzinfo else None
