"""The one reliability layer every platform API client goes through.

Connectors do not talk to ``httpx`` directly: they call :meth:`ApiClient.request` (or
:meth:`ApiClient.get_json`), which applies the same rules to every platform:

- **timeouts** on connecting and reading (``SBU_CONNECTORS__TIMEOUT_SECONDS``);
- **retries** of transient failures (network errors, timeouts, HTTP 500, 502, 503, 504 and 429)
  with exponential backoff and full jitter: the n-th retry waits a random time between 0 and
  ``min(max_delay, base_delay * 2**n)``, so many sources that failed together do not come back
  together;
- **``Retry-After``** (seconds or an HTTP date) and the platforms' **rate-limit headers**
  (``X-RateLimit-Remaining``/``-Reset`` of Mastodon, ``X-Ratelimit-Remaining``/``-Reset`` of
  Reddit, ``x-rate-limit-remaining``/``-reset`` of X, ``RateLimit-Remaining``/``-Reset`` of
  Bluesky) are honoured: a short wait is slept here;
  a long one raises :class:`~sbu.core.errors.RateLimited` with the time to wait, and the poller
  schedules the source's next poll then instead of hammering the platform;
- **401 and 403** raise :class:`~sbu.core.errors.AuthFailed` with a sentence naming the platform,
  the status and what to do (the poller pauses the source); **404** and other 4xx raise
  :class:`~sbu.core.errors.ConnectorError` at once (retrying would not help);
- answers that are not JSON where JSON is expected raise ``ConnectorError`` with the start of
  what came back.

Every failure is one sentence a person can act on; no response body is logged, and credentials
(``Authorization`` headers, tokens in forms) never appear in messages.

Time and randomness are injected (``sleep``, ``clock``, ``rng``), so tests run the real code
against a local server without waiting.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import orjson

from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import ConnectorSettings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Characters of a non-JSON answer quoted in the error message.
QUOTE_CHARS = 120
#: The largest response body read, in bytes (an API page is far smaller).
MAX_BODY_BYTES = 20_000_000

Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How failed requests are retried (see the module docstring)."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 60.0
    #: Waits (Retry-After, rate-limit resets) up to this long are slept; longer ones raise
    #: RateLimited so the source is polled again later.
    max_inline_wait: float = 30.0

    @classmethod
    def from_settings(cls, settings: ConnectorSettings) -> RetryPolicy:
        return cls(
            attempts=settings.attempts,
            base_delay=settings.backoff_base_seconds,
            max_delay=settings.backoff_max_seconds,
            max_inline_wait=settings.max_inline_wait_seconds,
        )

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Full jitter: a random wait up to the exponential ceiling of the ``retry``-th retry."""
        ceiling = min(self.max_delay, self.base_delay * (2**retry))
        return rng.uniform(0, ceiling)


@dataclass(slots=True)
class RateLimitState:
    """What the platform last said about our remaining requests."""

    remaining: float | None = None
    limit: float | None = None
    reset_at: datetime | None = None

    def wait(self, now: datetime) -> float:
        """Seconds to wait before the next request (0 when requests are left)."""
        if self.remaining is None or self.remaining >= 1 or self.reset_at is None:
            return 0.0
        return max((self.reset_at - now).total_seconds(), 0.0)


@dataclass(frozen=True, slots=True)
class ApiResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            quoted = self.body[:QUOTE_CHARS].decode("utf-8", "replace").strip()
            msg = (
                f"{self.url} did not answer with JSON (it starts with {quoted!r}): check that "
                "the address points at the platform's API."
            )
            raise ConnectorError(msg) from None


@dataclass
class ApiClient:
    """An HTTP client for one platform account: base URL, default headers and the shared rules.

    ``platform`` names the platform in messages ("Mastodon (social.example)"). ``headers`` is
    called before each request, so a token refreshed in between is used.
    """

    platform: str
    base_url: str
    settings: ConnectorSettings
    headers: Callable[[], Mapping[str, str]] = dict
    transport: httpx.BaseTransport | None = None
    sleep: Sleep = time.sleep
    clock: Clock = field(default=lambda: datetime.now(UTC))
    rng: random.Random = field(default_factory=random.Random)
    rate_limit: RateLimitState = field(default_factory=RateLimitState)
    #: Requests sent (each attempt counts), for quota and cost meters.
    requests_sent: int = 0
    #: The last 4xx answer refused with AuthFailed or ConnectorError, so a connector can tell
    #: an expired token from a closed resource by the platform's own error body.
    last_refused: ApiResponse | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.retry = RetryPolicy.from_settings(self.settings)
        timeout = self.settings.timeout_seconds
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": self.settings.user_agent, "Accept": "application/json"},
            transport=self.transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params).json()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> ApiResponse:
        """Send a request with the shared rules; return a 2xx or 3xx answer or raise."""
        last_problem = ""
        self.last_refused = None
        for attempt in range(self.retry.attempts):
            self._respect_rate_limit()
            try:
                response = self._send(method, path, params, json, data, headers, auth)
            except httpx.TimeoutException:
                last_problem = f"did not answer within {self.settings.timeout_seconds:g} s"
            except httpx.TransportError as exc:
                last_problem = f"could not be reached ({_network_reason(exc)})"
            else:
                self._read_rate_limit(response.headers)
                if response.status < 400:
                    return response
                if response.status in (401, 403):
                    self.last_refused = response
                    raise AuthFailed(self._auth_message(response))
                if response.status not in RETRY_STATUSES:
                    self.last_refused = response
                    raise ConnectorError(self._client_error(response))
                wait = self._retry_after(response.headers)
                if response.status == 429:
                    last_problem = "asked us to slow down (HTTP 429)"
                    wait = wait if wait is not None else self.rate_limit.wait(self.clock())
                else:
                    last_problem = f"failed on its side (HTTP {response.status})"
                if wait is not None and wait > self.retry.max_inline_wait:
                    raise RateLimited(self._later(last_problem, wait), retry_after=wait)
                if attempt + 1 < self.retry.attempts:
                    self.sleep(max(wait or 0.0, self.retry.backoff(attempt, self.rng)))
                continue
            if attempt + 1 < self.retry.attempts:
                self.sleep(self.retry.backoff(attempt, self.rng))
        msg = (
            f"{self.platform} {last_problem}, {self.retry.attempts} times in a row: sbu will try "
            "again at the next poll; if it lasts, check the platform's status and the address."
        )
        raise Transient(msg)

    # -- internals ---------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        auth: tuple[str, str] | None,
    ) -> ApiResponse:
        merged = {**self.headers(), **(headers or {})}
        self.requests_sent += 1
        request = self._client.build_request(
            method,
            path,
            params={k: v for k, v in (params or {}).items() if v is not None},
            json=json,
            data=data,
            headers=merged,
        )
        basic = httpx.BasicAuth(*auth) if auth is not None else None
        response = self._client.send(request, stream=True, auth=basic)
        try:
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > MAX_BODY_BYTES:
                    msg = (
                        f"{self.platform} sent more than {MAX_BODY_BYTES:,} bytes for one page "
                        f"({response.url}): sbu stopped reading; ask a smaller page size."
                    )
                    raise ConnectorError(msg)
        finally:
            response.close()
        return ApiResponse(response.status_code, response.headers, bytes(body), str(response.url))

    def _respect_rate_limit(self) -> None:
        wait = self.rate_limit.wait(self.clock())
        if wait <= 0:
            return
        if wait > self.retry.max_inline_wait:
            raise RateLimited(self._later("has no requests left for now", wait), retry_after=wait)
        self.sleep(wait)
        self.rate_limit.remaining = None

    def _read_rate_limit(self, headers: Mapping[str, str]) -> None:
        """The rate-limit headers of each family: ``X-RateLimit-*`` (Mastodon: the reset is a
        date; Reddit: seconds to wait), ``x-rate-limit-*`` (X: a Unix time) and the IETF
        draft's ``RateLimit-*`` (Bluesky: a Unix time; others: seconds)."""
        for prefix in ("x-ratelimit-", "x-rate-limit-", "ratelimit-"):
            remaining = _number(headers.get(prefix + "remaining"))
            if remaining is None:
                continue
            self.rate_limit.remaining = remaining
            self.rate_limit.limit = _number(headers.get(prefix + "limit"))
            self.rate_limit.reset_at = _reset_time(headers.get(prefix + "reset"), self.clock())
            return

    def _retry_after(self, headers: Mapping[str, str]) -> float | None:
        value = headers.get("retry-after")
        if not value:
            return None
        seconds = _number(value)
        if seconds is not None:
            return max(seconds, 0.0)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max((when - self.clock()).total_seconds(), 0.0)

    def _later(self, problem: str, wait: float) -> str:
        return (
            f"{self.platform} {problem}: sbu waits {duration(wait)} before asking again "
            "(the source's next poll is moved accordingly)."
        )

    def _auth_message(self, response: ApiResponse) -> str:
        what = "refused the credentials" if response.status == 401 else "refused access"
        detail = _error_detail(response)
        return (
            f"{self.platform} {what} (HTTP {response.status}{detail}): the token or password "
            "may have expired, been revoked or lack a permission. Enter new credentials in "
            "Settings → Sources; the source stays paused until then."
        )

    def _client_error(self, response: ApiResponse) -> str:
        detail = _error_detail(response)
        if response.status == 404:
            return (
                f"{self.platform} has nothing at {response.url} (HTTP 404{detail}): check the "
                "source's address, instance, account or channel name."
            )
        return (
            f"{self.platform} refused the request to {response.url} (HTTP {response.status}"
            f"{detail}): check the source's settings."
        )


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None


def _reset_time(value: str | None, now: datetime) -> datetime | None:
    """A reset given as an ISO date (Mastodon), seconds from now (Reddit) or a Unix time (X)."""
    if not value:
        return None
    seconds = _number(value)
    if seconds is not None:
        if seconds > 1_000_000_000:  # a Unix time
            return datetime.fromtimestamp(seconds, UTC)
        return datetime.fromtimestamp(now.timestamp() + seconds, UTC)
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _error_detail(response: ApiResponse) -> str:
    """The platform's own short error text, when its JSON error body carries one."""
    try:
        body = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        return ""
    if not isinstance(body, dict):
        return ""
    # A human message before a bare code: Bluesky sends {"error": "InvalidToken", "message": ...}.
    for key in ("error_description", "message", "error", "detail", "title"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return f": {value.strip()[:200]}"
        if isinstance(value, dict) and isinstance(value.get("message"), str):
            return f": {value['message'].strip()[:200]}"
    return ""


def _network_reason(exc: httpx.TransportError) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def duration(seconds: float) -> str:
    """A wait as people read it: "45 s", "12 min", "1.5 h"."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
