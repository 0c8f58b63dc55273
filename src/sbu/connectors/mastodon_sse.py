"""Server-sent events: the parser, and the long-lived request of Mastodon's streaming API.

Mastodon's streaming API answers ``GET /api/v1/streaming/...`` with ``text/event-stream``: an
``event:`` line naming the event (``update``, ``delete``, ``status.update``...), one or more
``data:`` lines (a status as JSON for ``update``), then a blank line. Lines starting with ``:``
are comments: the server sends ``:)`` when the stream opens and ``:thump`` as a heartbeat.

:class:`SseParser` follows the WHATWG rules for ``text/event-stream`` (line ends CR, LF or CRLF,
split anywhere across network reads; one optional space after the colon; several ``data`` lines
joined with a line feed; an event cut off by the end of the stream is dropped). It does no I/O.

:class:`EventStream` opens the request. It is the one place of the connector that talks to
``httpx`` directly: :class:`~sbu.connectors.api_client.ApiClient` reads a whole answer before
returning it, which an endless stream never finishes. It uses the same settings (User-Agent,
timeouts, an injectable transport) and turns every failure into an sbu error sentence.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import ConnectorSettings

#: A line longer than this (characters) is not a status: the stream is dropped.
MAX_LINE_CHARS = 4_000_000
#: The stream is given up when nothing (not even a heartbeat, every 15 s on Mastodon) arrives
#: for this long, unless the connector timeout is longer.
MIN_READ_TIMEOUT = 60.0
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SseEvent:
    #: The ``event:`` field; ``message`` when the server named none.
    event: str
    data: str
    #: The last ``id:`` the stream set (Mastodon sets none).
    id: str | None = None


class SseParser:
    """Turns the bytes of a ``text/event-stream`` into :class:`SseEvent` objects, as they come."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial = ""
        self._after_cr = False
        self._started = False
        self._event = ""
        self._data: list[str] = []
        self._last_id: str | None = None
        #: Comment lines read (``:)``, ``:thump``): the stream is alive.
        self.comments = 0
        #: The reconnection delay the server asked for with ``retry:``, in milliseconds.
        self.retry_ms: int | None = None

    def feed(self, chunk: bytes) -> list[SseEvent]:
        """The events completed by ``chunk`` (possibly none)."""
        text = self._decoder.decode(chunk)
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._after_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF split between two reads
            self._after_cr = False
        if text:
            self._after_cr = text.endswith("\r")
        lines = _LINE_END.split(self._partial + text)
        self._partial = lines.pop()
        if len(self._partial) > MAX_LINE_CHARS:
            msg = (
                f"The event stream sent a line of more than {MAX_LINE_CHARS:,} characters, "
                "which no Mastodon event needs: sbu dropped the connection and will reconnect."
            )
            raise ConnectorError(msg)
        events: list[SseEvent] = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> SseEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            self.comments += 1
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> SseEvent | None:
        event, data = self._event or "message", self._data
        self._event, self._data = "", []
        if not data:
            return None
        return SseEvent(event, "\n".join(data), self._last_id)


class EventStream:
    """Opens one streaming request at a time; see the module docstring."""

    def __init__(
        self,
        platform: str,
        base_url: str,
        settings: ConnectorSettings,
        headers: Callable[[], Mapping[str, str]],
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.platform = platform
        self.base_url = base_url
        self.settings = settings
        self.headers = headers
        self.transport = transport

    @contextmanager
    def open(self, path: str, params: Mapping[str, Any]) -> Iterator[Iterator[bytes]]:
        """The body of the stream, chunk by chunk as it arrives; raise an sbu error when the
        stream cannot be opened or breaks."""
        timeout = self.settings.timeout_seconds
        client = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(
                timeout, connect=min(timeout, 10.0), read=max(timeout, MIN_READ_TIMEOUT)
            ),
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/event-stream",
                "Cache-Control": "no-cache",
            },
            transport=self.transport,
            follow_redirects=False,
        )
        try:
            request = client.build_request(
                "GET", path, params=dict(params), headers=dict(self.headers())
            )
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException:
                raise Transient(self._problem("did not answer within the timeout")) from None
            except httpx.TransportError as exc:
                raise Transient(self._problem(f"could not be reached ({_reason(exc)})")) from None
            try:
                self._check(response)
                yield self._chunks(response)
            finally:
                response.close()
        finally:
            client.close()

    def _chunks(self, response: httpx.Response) -> Iterator[bytes]:
        try:
            yield from response.iter_bytes()
        except httpx.TimeoutException:
            msg = (
                f"The stream of {self.platform} went silent (no event and no heartbeat for "
                f"{max(self.settings.timeout_seconds, MIN_READ_TIMEOUT):g} s): sbu reconnects."
            )
            raise Transient(msg) from None
        except httpx.TransportError as exc:
            msg = f"The stream of {self.platform} broke off ({_reason(exc)}): sbu reconnects."
            raise Transient(msg) from None

    def _check(self, response: httpx.Response) -> None:
        status = response.status_code
        where = f"{self.base_url}{response.request.url.path}"
        if 200 <= status < 300:
            kind = response.headers.get("content-type", "")
            if "text/event-stream" in kind:
                return
            msg = (
                f"{self.platform} answered the stream request {where} with {kind or 'no type'} "
                "instead of an event stream: check that the instance runs Mastodon's streaming "
                "server, or poll the source instead."
            )
            raise ConnectorError(msg)
        if status in (401, 403):
            msg = (
                f"{self.platform} refused to open the stream {where} (HTTP {status}): the "
                "instance may require an access token for streaming, or the token lacks the "
                "read:statuses scope; add or renew the source's access_token."
            )
            raise AuthFailed(msg)
        if status == 429:
            retry_after = _seconds(response.headers.get("retry-after"))
            msg = f"{self.platform} asked sbu to open the stream less often (HTTP 429): sbu waits."
            raise RateLimited(msg, retry_after=retry_after)
        if status >= 500:
            raise Transient(self._problem(f"failed on its side (HTTP {status})"))
        if status == 404:
            msg = (
                f"{self.platform} has no stream at {where} (HTTP 404): check the source's "
                "instance and timeline, or poll the source instead."
            )
            raise ConnectorError(msg)
        location = response.headers.get("location", "")
        detail = f" to {location[:200]}" if 300 <= status < 400 and location else ""
        msg = (
            f"{self.platform} answered the stream request {where} with HTTP {status}{detail}: "
            "check the source's instance address."
        )
        raise ConnectorError(msg)

    def _problem(self, what: str) -> str:
        return f"The streaming server of {self.platform} {what}: sbu tries again shortly."


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(float(value.strip()), 0.0)
    except ValueError:
        return None
