"""Meta's Graph API (Facebook Pages and Instagram with Facebook login) for one source.

Every request goes through :class:`~sbu.connectors.api_client.ApiClient` (timeouts, retries,
``Retry-After``) with the token in an ``Authorization: Bearer`` header, never in the address,
so no message can quote it. :class:`MetaGraph` adds what is Meta's own:

- **errors**: Graph answers a refusal with ``{"error": {"message", "type", "code",
  "error_subcode", "fbtrace_id"}}``, mostly with HTTP 400 or 403 whatever the cause. The code
  decides: 190 and 102 (token expired, revoked or invalid) and 10 or 200-299 (a permission
  missing) raise :class:`~sbu.core.errors.AuthFailed`; 4, 17, 32, 613 and 80001-80014 (the
  app, user, page and business-use-case rate limits) raise
  :class:`~sbu.core.errors.RateLimited`; anything else is a
  :class:`~sbu.core.errors.ConnectorError` quoting Meta's message;
- **usage**: ``X-App-Usage`` and ``X-Business-Use-Case-Usage`` give the percentages of the
  limits used (``call_count``, ``total_time``, ``total_cputime``); the highest one seen in a
  poll becomes the source's :class:`~sbu.connectors.base.Usage`, with
  ``estimated_time_to_regain_access`` as the reset time;
- **paging**: edges list ``data`` with ``paging.cursors.after``, and ``paging.next`` when
  another page is waiting; the next page is asked with ``after=``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from sbu.connectors.api_client import ApiClient, ApiResponse
from sbu.connectors.base import Usage
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited

GRAPH_BASE_URL = "https://graph.facebook.com/v21.0"
TOKEN_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
#: What Meta's token subcodes mean, for the sentence.
TOKEN_SUBCODES = {
    458: "the app was removed from the account",
    459: "the account is locked until its owner signs in on Facebook",
    460: "the account's password changed",
    463: "it expired",
    464: "the account is not confirmed",
    467: "it is invalid (signed out or revoked)",
    492: "the user has no role on the Page any more",
}
USAGE_UNIT = "% of the hourly app limit"
USAGE_HEADERS = ("x-app-usage", "x-business-use-case-usage")
USAGE_KEYS = ("call_count", "total_time", "total_cputime")
#: Waited when Meta throttles without saying how long (its windows are one hour).
DEFAULT_RATE_WAIT = 3600.0
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class GraphError:
    code: int | None
    subcode: int | None
    message: str
    kind: str

    @classmethod
    def of(cls, response: ApiResponse) -> GraphError | None:
        """The ``error`` object of a Graph answer, or None when the body has none."""
        try:
            body = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            return None
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return None
        message = error.get("message")
        kind = error.get("type")
        return cls(
            _int(error.get("code")),
            _int(error.get("error_subcode")),
            " ".join(message.split())[:200] if isinstance(message, str) else "",
            kind if isinstance(kind, str) else "",
        )


class MetaGraph:
    """Graph API calls on behalf of one source (``who`` names it in every message)."""

    def __init__(self, client: ApiClient, who: str, clock: Clock) -> None:
        self.client = client
        self.who = who
        self.clock = clock
        self.used: float | None = None
        self.regain_at: datetime | None = None

    def get(self, path: str, params: Mapping[str, Any]) -> dict[str, Any]:
        body = self._call("GET", path, params=params).json()
        if not isinstance(body, dict):
            msg = f"{self.who}: the Graph API answered {path} with something that is not an object; check the API address."
            raise ConnectorError(msg)
        return body

    def post(self, path: str, data: Mapping[str, str]) -> dict[str, Any]:
        body = self._call("POST", path, data=data).json()
        return body if isinstance(body, dict) else {}

    def pages(
        self, path: str, params: Mapping[str, Any], max_pages: int
    ) -> Iterator[tuple[list[Any], bool]]:
        """Each page's ``data`` of an edge, with whether another page is waiting after it;
        at most ``max_pages`` pages."""
        after: str | None = None
        for _ in range(max_pages):
            body = self.get(path, {**params, "after": after})
            data = body.get("data")
            if not isinstance(data, list):
                msg = f"{self.who}: the Graph API answered {path} without a list of data; check the API address."
                raise ConnectorError(msg)
            paging = _object(body.get("paging"))
            after = _object(paging.get("cursors")).get("after")
            after = after if isinstance(after, str) and after else None
            waiting = bool(data) and bool(paging.get("next")) and after is not None
            yield data, waiting
            if not waiting:
                return

    def usage(self) -> Usage | None:
        if self.used is None:
            return None
        return Usage(
            quota_used=self.used, quota_limit=100.0, unit=USAGE_UNIT, resets_at=self.regain_at
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> ApiResponse:
        try:
            response = self.client.request(method, path, **kwargs)
        except ConnectorError as exc:
            refused = self.client.last_refused
            if refused is None or isinstance(exc, RateLimited):
                raise
            self._read_usage(refused.headers)
            raise self._error(refused, exc) from exc
        self._read_usage(response.headers)
        return response

    def _error(self, response: ApiResponse, original: ConnectorError) -> ConnectorError:
        error = GraphError.of(response)
        if error is None:
            return original
        said = f" (code {error.code}{_sub(error.subcode)}: {error.message})"
        if error.code in TOKEN_CODES:
            why = TOKEN_SUBCODES.get(error.subcode or 0, "it is no longer valid")
            return AuthFailed(
                f"{self.who}: Meta refused the access token because {why}{said}. Create a new "
                "token as the connector's page explains and enter it in Settings → Sources; "
                "the source stays paused until then."
            )
        if error.code in PERMISSION_CODES:
            return AuthFailed(
                f"{self.who}: Meta refused access because the token lacks a permission or the "
                f"page role it needs{said}. Grant the permissions listed on the connector's "
                "page, create a new token and enter it in Settings → Sources."
            )
        if error.code in RATE_LIMIT_CODES:
            wait = self._wait()
            return RateLimited(
                f"{self.who}: Meta's rate limit is reached{said}; sbu asks again in "
                f"{wait / 60:.0f} min (the source's next poll is moved accordingly).",
                retry_after=wait,
            )
        return ConnectorError(
            f"{self.who}: the Graph API refused the request (HTTP {response.status}{said}); "
            "check the source's ids and that the token belongs to this page or account."
        )

    def _wait(self) -> float:
        if self.regain_at is not None:
            return max((self.regain_at - self.clock()).total_seconds(), 60.0)
        return DEFAULT_RATE_WAIT

    def _read_usage(self, headers: Mapping[str, str]) -> None:
        for name in USAGE_HEADERS:
            value = headers.get(name)
            if not value:
                continue
            try:
                parsed = orjson.loads(value)
            except orjson.JSONDecodeError:
                continue
            for entry in _usage_entries(parsed):
                for key in USAGE_KEYS:
                    number = entry.get(key)
                    if isinstance(number, int | float) and not isinstance(number, bool):
                        self.used = max(self.used or 0.0, float(number))
                minutes = entry.get("estimated_time_to_regain_access")
                if (
                    isinstance(minutes, int | float)
                    and not isinstance(minutes, bool)
                    and minutes > 0
                ):
                    regain = self.clock() + timedelta(minutes=float(minutes))
                    self.regain_at = max(self.regain_at or regain, regain)


def _usage_entries(parsed: Any) -> Iterator[Mapping[str, Any]]:
    """X-App-Usage is one object; X-Business-Use-Case-Usage maps business ids to lists."""
    if not isinstance(parsed, dict):
        return
    if any(key in parsed for key in USAGE_KEYS):
        yield parsed
        return
    for entries in parsed.values():
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict):
                yield entry


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _sub(subcode: int | None) -> str:
    return f", subcode {subcode}" if subcode is not None else ""
