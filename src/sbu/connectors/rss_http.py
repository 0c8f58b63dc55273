"""Downloading feed documents: conditional GET, a size limit, and honest errors.

:func:`download` sends ``If-None-Match`` / ``If-Modified-Since`` when it has validators from the
previous poll, follows redirects, stops reading as soon as the document exceeds the size limit
(decompressed bytes, so a small gzip bomb is refused too) or the whole download takes longer than
``TOTAL_TIMEOUT_FACTOR`` times the timeout, and translates every HTTP and network failure into
:mod:`sbu.core.errors` with a sentence naming the feed and what to do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import FeedSettings

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
MAX_REDIRECTS = 10
#: A download may last this many times the timeout in all (against servers that drip bytes).
TOTAL_TIMEOUT_FACTOR = 3
#: Longest wait a Retry-After header can impose, in seconds.
MAX_RETRY_AFTER = 86_400.0
_PERMANENT_REDIRECTS = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class FeedResponse:
    """A feed server's answer: 200 with a document, or 304 (not modified) without one."""

    url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    #: Where the feed now lives when the server answered with a permanent redirect.
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def download(
    url: str,
    settings: FeedSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    now: datetime,
) -> FeedResponse:
    """GET ``url`` with the validators of the previous poll; raise sbu errors on failure.

    ``now`` (the poll's time) turns a Retry-After date into a number of seconds.
    """
    headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + settings.timeout_seconds * TOTAL_TIMEOUT_FACTOR
    try:
        with (
            httpx.Client(
                headers=headers,
                timeout=settings.timeout_seconds,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
            ) as client,
            client.stream("GET", url) as response,
        ):
            _raise_for_status(url, response, now)
            body = b"" if response.status_code == 304 else _read(url, response, settings, deadline)
            moved = [r for r in response.history if r.status_code in _PERMANENT_REDIRECTS]
            return FeedResponse(
                url=str(response.url),
                status=response.status_code,
                body=body,
                content_type=response.headers.get("content-type"),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                moved_to=str(response.url) if moved else None,
            )
    except httpx.TooManyRedirects as exc:
        msg = (
            f"The feed {url} redirects more than {MAX_REDIRECTS} times (a redirect loop): "
            "open it in a browser and use the address it finally shows."
        )
        raise ConnectorError(msg) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        msg = (
            f"The feed {url} cannot be fetched ({exc}): it must be an http:// or https:// "
            "address, and so must every address it redirects to."
        )
        raise ConnectorError(msg) from exc
    except httpx.TimeoutException as exc:
        msg = (
            f"The feed server {url} did not answer within {settings.timeout_seconds:g} seconds: "
            "sbu will try again later; raise SBU_FEEDS__TIMEOUT_SECONDS if it is always slow."
        )
        raise Transient(msg) from exc
    except httpx.DecodingError as exc:
        msg = (
            f"The feed server {url} sent a compressed answer that cannot be decompressed ({exc}): "
            "sbu will try again later; tell the site's owner if it lasts."
        )
        raise Transient(msg) from exc
    except httpx.HTTPError as exc:
        msg = (
            f"The feed server {url} could not be reached ({type(exc).__name__}: {exc}): "
            "sbu will try again later; check the address and the network if it lasts."
        )
        raise Transient(msg) from exc


def _read(url: str, response: httpx.Response, settings: FeedSettings, deadline: float) -> bytes:
    limit = settings.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(url, limit)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise _too_large(url, limit)
        if time.monotonic() > deadline:
            msg = (
                f"The feed server {url} sends its document too slowly (more than "
                f"{settings.timeout_seconds * TOTAL_TIMEOUT_FACTOR:g} seconds in all): sbu will try "
                "again later; raise SBU_FEEDS__TIMEOUT_SECONDS if this feed is always slow."
            )
            raise Transient(msg)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, limit: int) -> ConnectorError:
    msg = (
        f"The feed {url} is larger than the limit of {limit:,} bytes (SBU_FEEDS__MAX_BYTES): "
        "use a smaller feed (many sites offer one per section) or raise the limit if you trust it."
    )
    return ConnectorError(msg)


def _raise_for_status(url: str, response: httpx.Response, now: datetime) -> None:
    status = response.status_code
    if 200 <= status < 300 or status == 304:
        return
    retry_after = parse_retry_after(response.headers.get("retry-after"), now)
    if status == 429 or (status == 503 and retry_after is not None):
        wait = f"{retry_after:.0f} seconds" if retry_after is not None else "a while"
        msg = (
            f"The feed server {url} asks sbu to slow down (HTTP {status}); the next poll waits "
            f"{wait}. Raise the source's poll interval if this happens often."
        )
        raise RateLimited(msg, retry_after)
    if status in (401, 403):
        msg = (
            f"The feed server {url} refused access (HTTP {status}): the feed may need a login or "
            "block sbu's User-Agent; open it in a browser, and ask the site for an open feed."
        )
        raise AuthFailed(msg)
    if status in (404, 410):
        msg = (
            f"The feed {url} is gone (HTTP {status}): check the URL, for example on the site's "
            "home page, and update or disable the source."
        )
        raise ConnectorError(msg)
    if status >= 500:
        msg = (
            f"The feed server {url} has a problem (HTTP {status}): sbu will try again later, "
            "waiting longer after each failure."
        )
        raise Transient(msg)
    msg = (
        f"The feed server {url} refused the request (HTTP {status}): check the URL in a browser "
        "and update the source."
    )
    raise ConnectorError(msg)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), at most a day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT by definition
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER)
