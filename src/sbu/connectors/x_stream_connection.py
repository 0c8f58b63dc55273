"""The connection to X's filtered stream, and its failures as sbu errors.

``GET /2/tweets/search/stream`` is the one request of the X connector made with ``httpx``
directly: its answer never ends, and the shared API client reads whole answers. :func:`open_stream`
opens it and hands over its body chunk by chunk; a refused connection (401, 403, 429 with the
time X asks to wait, 5xx), a timeout, a broken or silent connection become the same errors as
the API client's (:class:`~sbu.core.errors.AuthFailed`, :class:`~sbu.core.errors.RateLimited`,
:class:`~sbu.core.errors.Transient`, :class:`~sbu.core.errors.ConnectorError`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

import httpx

from sbu.connectors.api_client import Clock
from sbu.connectors.x_http import loads, problem_detail
from sbu.connectors.x_posts import FIELDS
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import ConnectorSettings

STREAM = "/2/tweets/search/stream"
#: X sends a keep-alive every 20 s; a stream silent for longer than this is reopened.
STREAM_SILENCE_SECONDS = 30.0


@contextmanager
def open_stream(
    settings: ConnectorSettings,
    base_url: str,
    headers: Mapping[str, str],
    transport: httpx.BaseTransport | None,
    clock: Clock,
) -> Iterator[Iterator[bytes]]:
    """The body of the filtered stream, chunk by chunk; sbu errors when it cannot be opened
    or breaks."""
    timeout = settings.timeout_seconds
    client = httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(
            timeout, connect=min(timeout, 10.0), read=max(timeout, STREAM_SILENCE_SECONDS)
        ),
        headers={"User-Agent": settings.user_agent, "Accept": "application/json"},
        transport=transport,
        follow_redirects=False,
    )
    try:
        request = client.build_request("GET", STREAM, params=FIELDS, headers=dict(headers))
        try:
            response = client.send(request, stream=True)
        except httpx.TimeoutException:
            msg = "X's filtered stream did not answer within the timeout: sbu tries again."
            raise Transient(msg) from None
        except httpx.TransportError as exc:
            msg = f"X's filtered stream could not be reached ({_reason(exc)}): sbu tries again."
            raise Transient(msg) from None
        try:
            _check_stream(response, clock())
            yield _chunks(response)
        finally:
            response.close()
    finally:
        client.close()


def _chunks(response: httpx.Response) -> Iterator[bytes]:
    try:
        yield from response.iter_bytes()
    except httpx.TimeoutException:
        msg = (
            f"X's filtered stream went silent (no post and no keep-alive for "
            f"{STREAM_SILENCE_SECONDS:g} s): sbu reconnects."
        )
        raise Transient(msg) from None
    except httpx.TransportError as exc:
        raise Transient(
            f"X's filtered stream broke off ({_reason(exc)}): sbu reconnects."
        ) from None


def _check_stream(response: httpx.Response, now: datetime) -> None:
    status = response.status_code
    if status == 200:
        return
    body = response.read()[:20_000]
    detail = problem_detail(loads(body))
    shown = f": {detail}" if detail else ""
    if status == 401:
        msg = (
            f"X refused the source's bearer_token when opening the filtered stream (HTTP 401"
            f"{shown}): copy the app's Bearer Token again from the X developer console into "
            "the source's bearer_token; the source stays paused until then."
        )
        raise AuthFailed(msg)
    if status == 403:
        msg = (
            f"X refused access to the filtered stream (HTTP 403{shown}): the app must be in a "
            "project whose access includes the filtered stream; check it in the X developer "
            "console. The source stays paused until then."
        )
        raise AuthFailed(msg)
    if status == 429:
        wait = _retry_after(response.headers, now)
        if "TooManyConnections" in body.decode("utf-8", "replace"):
            msg = (
                "X refused a second connection to the filtered stream (HTTP 429, too many "
                "connections): pay-per-use access allows one per app, and another program or "
                "sbu source is connected with this app's token; stop it, or give this source "
                "the token of another app."
            )
        else:
            msg = f"X asked sbu to open the filtered stream less often (HTTP 429{shown})."
        raise RateLimited(msg, retry_after=wait)
    if status >= 500:
        raise Transient(f"X's filtered stream failed on its side (HTTP {status}): sbu tries again.")
    msg = (
        f"X refused to open the filtered stream (HTTP {status}{shown}): check the source's "
        "settings."
    )
    raise ConnectorError(msg)


def _retry_after(headers: Mapping[str, str], now: datetime) -> float | None:
    for name, unix in (("retry-after", False), ("x-rate-limit-reset", True)):
        value = headers.get(name)
        try:
            number = float(value) if value is not None else None
        except ValueError:
            number = None
        if number is not None:
            return max(number - now.timestamp(), 0.0) if unix else max(number, 0.0)
    return None


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__
