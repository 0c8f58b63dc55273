"""Requests to the YouTube Data API v3 with an API key, charged to the source's quota meter, and
YouTube's refusals turned into sbu errors.

Every request goes through :class:`~sbu.connectors.api_client.ApiClient` (timeouts, retries,
``Retry-After``). The API key travels in the ``X-Goog-Api-Key`` header, never in the address, so
it cannot appear in an error message that quotes the address. Before each request the
:class:`~sbu.connectors.youtube_quota.QuotaMeter` must agree; after it, every attempt sent is
counted (YouTube charges retries and refused requests too).

YouTube explains a refusal in its JSON body: ``error.errors[].reason`` (``quotaExceeded``,
``keyInvalid``, ``commentsDisabled``...) and, in newer answers, ``error.details[].reason``
(``API_KEY_INVALID``, ``SERVICE_DISABLED``...). The daily quota used up is
:class:`~sbu.core.errors.RateLimited` until midnight Pacific time, not an authentication
failure; a bad, restricted or disabled key is :class:`~sbu.core.errors.AuthFailed`; any other
refusal is :class:`Refused`, which the connector may handle (comments disabled, an invalid page
token) or let through as a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import SecretStr

from sbu.connectors.api_client import ApiClient, ApiResponse, Clock, Sleep
from sbu.connectors.youtube_quota import QuotaMeter, next_reset
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited
from sbu.settings import ConnectorSettings

API_BASE_URL = "https://www.googleapis.com"
API_PATH = "/youtube/v3"
CREDENTIALS_PAGE = "https://console.cloud.google.com/apis/credentials"
LIBRARY_PAGE = "https://console.cloud.google.com/apis/library/youtube.googleapis.com"
DAILY_QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded", "dailyLimitExceededUnreg"})
SHORT_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
)
BAD_KEY_REASONS = frozenset({"keyInvalid", "keyExpired", "API_KEY_INVALID", "API_KEY_EXPIRED"})
DISABLED_REASONS = frozenset({"accessNotConfigured", "SERVICE_DISABLED"})
BLOCKED_REASONS = frozenset(
    {
        "ipRefererBlocked",
        "API_KEY_SERVICE_BLOCKED",
        "API_KEY_HTTP_REFERRER_BLOCKED",
        "API_KEY_IP_ADDRESS_BLOCKED",
        "API_KEY_ANDROID_APP_BLOCKED",
        "API_KEY_IOS_APP_BLOCKED",
    }
)
#: Refusals about what was asked, not about the key: the connector decides.
CONTENT_REASONS = frozenset(
    {
        "commentsDisabled",
        "channelClosed",
        "channelSuspended",
        "channelNotFound",
        "playlistNotFound",
        "videoNotFound",
        "invalidPageToken",
    }
)
#: Wait after YouTube's short-term limits (per minute, per user).
SHORT_LIMIT_WAIT = 60.0
_TAG = re.compile(r"<[^>]*>")


class Refused(ConnectorError):
    """YouTube refused a request for a reason that is not about the key or the quota."""

    def __init__(self, message: str, *, status: int, reasons: frozenset[str]) -> None:
        super().__init__(message)
        self.status = status
        self.reasons = reasons


@dataclass(frozen=True, slots=True)
class GoogleError:
    """What a Google API error body says: the reasons and the human message."""

    reasons: frozenset[str]
    message: str

    @property
    def detail(self) -> str:
        """ ": quotaExceeded" to put after the HTTP status, or "" when there is no reason."""
        named = sorted(self.reasons)
        return f": {', '.join(named)}" if named else ""


def google_error(response: ApiResponse, *, secret: str = "") -> GoogleError:
    """Read ``{"error": {"errors": [{"reason"}], "details": [{"reason"}], "message"}}``."""
    try:
        body = response.json()
    except ConnectorError:
        return GoogleError(frozenset(), "")
    error = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping):
        return GoogleError(frozenset(), "")
    reasons: set[str] = set()
    for key in ("errors", "details"):
        entries = error.get(key)
        if isinstance(entries, list):
            for entry in entries:
                reason = entry.get("reason") if isinstance(entry, Mapping) else None
                if isinstance(reason, str) and reason:
                    reasons.add(reason[:60])
    message = error.get("message")
    text = " ".join(_TAG.sub("", message).split())[:200] if isinstance(message, str) else ""
    if secret:
        text = text.replace(secret, "***")
    return GoogleError(frozenset(reasons), text)


class YouTubeApi:
    """The list requests of one fetch, with one API key and one quota meter.

    ``owner`` names the source in messages ("the source 'YouTube Télécom Ouest'"); ``now`` is
    the time of the fetch (the quota's day and reset are computed from it)."""

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        api_key: SecretStr,
        meter: QuotaMeter,
        owner: str,
        now: datetime,
        base_url: str = API_BASE_URL,
        sleep: Sleep,
        clock: Clock,
    ) -> None:
        self.meter = meter
        self.owner = owner
        self.now = now
        self._key = api_key
        self._http = ApiClient(
            "YouTube",
            base_url.rstrip("/"),
            settings,
            headers=lambda: {"X-Goog-Api-Key": self._key.get_secret_value()},
            sleep=sleep,
            clock=clock,
        )

    def __enter__(self) -> YouTubeApi:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def list(self, resource: str, params: Mapping[str, Any], *, what: str) -> Mapping[str, Any]:
        """GET ``/youtube/v3/<resource>`` (a ``.list`` method) and return the answer, a JSON
        object with an ``items`` list. ``what`` says what was asked, for messages ("read the
        uploads of @telecomouest"). Raises QuotaStop before a request that does not fit."""
        method = f"{resource}.list"
        self.meter.check(method)
        sent = self._http.requests_sent
        try:
            response = self._http.request("GET", f"{API_PATH}/{resource}", params=params)
        except ConnectorError as exc:
            refused = self._http.last_refused
            if refused is None:  # network, server errors, 429: already a sentence
                raise
            raise self._refusal(refused, what) from exc
        finally:
            self.meter.spend(method, self._http.requests_sent - sent)
        body = response.json()
        if not isinstance(body, Mapping) or not isinstance(body.get("items", []), list):
            msg = (
                f"YouTube answered the request to {what} with something that is not a list of "
                f"resources: check that the API address points at {API_BASE_URL}."
            )
            raise ConnectorError(msg)
        return body

    def _refusal(self, response: ApiResponse, what: str) -> ConnectorError:
        error = google_error(response, secret=self._key.get_secret_value())
        return refusal(response.status, error, owner=self.owner, what=what, now=self.now)


def refusal(
    status: int, error: GoogleError, *, owner: str, what: str, now: datetime
) -> ConnectorError:
    """The sbu error for a refused YouTube request (see the module docstring)."""
    reasons = error.reasons
    said = f" ({error.message})" if error.message else ""
    if reasons & DAILY_QUOTA_REASONS:
        wait = max((next_reset(now) - now).total_seconds(), 0.0)
        return RateLimited(
            f"YouTube says the daily quota of the API key's Google Cloud project is used up "
            f"(HTTP {status}{error.detail}) while {owner} tried to {what}: sbu asks again after "
            "midnight Pacific time; every source and app using the same project shares this "
            "quota, so lower their daily_quota or ask Google for more.",
            retry_after=wait,
        )
    if reasons & SHORT_LIMIT_REASONS:
        return RateLimited(
            f"YouTube asks {owner} to slow down (HTTP {status}{error.detail}): sbu waits a "
            "minute before asking again.",
            retry_after=SHORT_LIMIT_WAIT,
        )
    if reasons & BAD_KEY_REASONS:
        return AuthFailed(
            f"YouTube refused the API key of {owner} (HTTP {status}{error.detail}){said}: the "
            f"key may be mistyped, deleted or expired; copy it again from {CREDENTIALS_PAGE} and "
            "save it in Settings → Sources; the source stays paused until then."
        )
    if reasons & DISABLED_REASONS:
        return AuthFailed(
            f"The YouTube Data API v3 is not enabled in the Google Cloud project of the API key "
            f"of {owner} (HTTP {status}{error.detail}): enable it at {LIBRARY_PAGE}, wait a few "
            "minutes, then resume the source."
        )
    if reasons & BLOCKED_REASONS:
        return AuthFailed(
            f"The restrictions of the API key of {owner} refuse this request (HTTP "
            f"{status}{error.detail}): at {CREDENTIALS_PAGE}, let the key call the YouTube Data "
            "API v3 and, under application restrictions, allow the IP address of the sbu "
            "server (not websites), then resume the source."
        )
    if reasons & CONTENT_REASONS or status not in (401, 403):
        return Refused(
            f"YouTube refused to {what} for {owner} (HTTP {status}{error.detail}){said}: "
            "check the source's channel_id, query and other settings.",
            status=status,
            reasons=reasons,
        )
    return AuthFailed(
        f"YouTube refused access to {owner} (HTTP {status}{error.detail}){said}: check the API "
        f"key and its restrictions at {CREDENTIALS_PAGE}, then resume the source."
    )
