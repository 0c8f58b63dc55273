"""Following a Mastodon timeline live: stream, reconnect, and fill the gap with the REST API.

:func:`stream_statuses` opens the streaming request, reads its events with
:class:`~sbu.connectors.mastodon_sse.SseParser` and yields a
:class:`~sbu.connectors.base.FetchResult` for each network read that brought statuses. A stream
ends (the server restarts, a proxy cuts long connections, the network drops); then it is opened
again, and *before* its events are read, the statuses posted meanwhile are fetched page by page
from the REST API, starting at the cursor (the same ``fetch`` a poll uses). Statuses that arrive
both ways are handed over once, because the cursor remembers recent ids. A stream that ends
without having shown signs of life, or that cannot be opened, is retried with the connector
settings' backoff; after ``attempts`` such failures in a row the generator raises ``Transient``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import orjson

from sbu.connectors.api_client import ApiClient, RetryPolicy, Sleep
from sbu.connectors.base import FetchResult
from sbu.connectors.mastodon_items import read_statuses
from sbu.connectors.mastodon_paging import TimelineCursor
from sbu.connectors.mastodon_sse import SseEvent, SseParser
from sbu.core.errors import ConnectorError, RateLimited, Transient
from sbu.listening.drafts import Rejected

#: REST pages fetched at most to fill one gap (the rest waits for the next poll).
MAX_CATCH_UP_FETCHES = 20
#: Comments (``:)`` on opening, then ``:thump``) that show a stream is alive.
LIVELY_COMMENTS = 2

OpenEvents = Callable[[], AbstractContextManager[Iterable[bytes]]]
CatchUp = Callable[[dict[str, Any]], FetchResult]


def streaming_base(client: ApiClient, base: str, host: str) -> str:
    """Where the instance streams (often another host, such as streaming.mastodon.social), from
    ``/api/v2/instance``; the instance's own address ``base`` when it does not say."""
    try:
        info = client.get_json("/api/v2/instance")
    except ConnectorError as exc:
        if type(exc) is ConnectorError:  # no /api/v2/instance: it streams at its address
            return base
        raise
    configuration = info.get("configuration") if isinstance(info, dict) else None
    urls = configuration.get("urls") if isinstance(configuration, dict) else None
    url = urls.get("streaming") if isinstance(urls, dict) else None
    if not isinstance(url, str) or not url.strip():
        return base
    parts = urlsplit(url.strip())
    scheme = {"wss": "https", "https": "https", "ws": "http", "http": "http"}.get(
        parts.scheme.lower()
    )
    if scheme is None or not parts.hostname:
        return base
    if scheme == "http" and urlsplit(base).scheme == "https":
        msg = (
            f"Mastodon ({host}) streams from an unencrypted address ({url[:120]}), where sbu "
            "will not send the source's token: poll the source instead."
        )
        raise ConnectorError(msg)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is not a number: not an address to trust
        return base
    return f"{scheme}://{parts.hostname}{port}{parts.path.rstrip('/')}"


def stream_statuses(
    *,
    where: str,
    cursor: TimelineCursor,
    lookback: timedelta,
    open_events: OpenEvents,
    catch_up: CatchUp,
    retry: RetryPolicy,
    sleep: Sleep,
    rng: random.Random,
    connections: int | None = None,
) -> Iterator[FetchResult]:
    """Batches of new statuses of ``where``, for as long as the caller iterates (or for
    ``connections`` connection attempts)."""
    failures = 0
    attempts = 0
    interrupted = False
    while connections is None or attempts < connections:
        attempts += 1
        lively = False
        problem: Transient | RateLimited | None = None
        try:
            with open_events() as chunks:
                if cursor.started:
                    for result in _fill_gap(catch_up, cursor, interrupted, where):
                        if result.cursor is not None:
                            cursor = TimelineCursor.from_dict(result.cursor)
                        yield result
                parser = SseParser()
                for chunk in chunks:
                    events = parser.feed(chunk)
                    if events or parser.comments >= LIVELY_COMMENTS:
                        lively = True
                    batch = _updates(events, cursor, lookback, where)
                    # Nothing new (a heartbeat): an empty result still hands control to the
                    # consumer, so a quiet stream can be stopped at once.
                    yield batch if batch is not None else FetchResult([], None)
        except (Transient, RateLimited) as exc:
            problem = exc
        interrupted = True
        if lively:
            failures = 0
            continue
        failures += 1
        if failures >= retry.attempts:
            last = f" ({problem})" if problem is not None else ""
            msg = (
                f"The stream of {where} ended or failed {failures} times in a row without "
                f"delivering anything{last}: sbu stopped streaming it; polling the source "
                "still works."
            )
            raise Transient(msg) from problem
        wait = retry.backoff(failures - 1, rng)
        if isinstance(problem, RateLimited) and problem.retry_after is not None:
            if problem.retry_after > retry.max_inline_wait:
                raise problem
            wait = max(wait, problem.retry_after)
        yield FetchResult([], None)  # the consumer may stop here instead of waiting
        sleep(wait)


def _fill_gap(
    catch_up: CatchUp, cursor: TimelineCursor, interrupted: bool, where: str
) -> Iterator[FetchResult]:
    """The statuses posted since the cursor, page by page, from the REST API."""
    state = cursor.to_dict()
    found = 0
    for _ in range(MAX_CATCH_UP_FETCHES):
        result = catch_up(state)
        state = result.cursor or state
        found += len(result.items)
        if not result.more and interrupted and found:
            result.notes.append(
                f"The stream of {where} was interrupted; sbu reconnected and fetched the "
                f"{found} statuses posted meanwhile."
            )
        if result.items or result.rejected or result.notes or result.cursor != cursor.to_dict():
            yield result
        if not result.more:
            return


def _updates(
    events: list[SseEvent], cursor: TimelineCursor, lookback: timedelta, where: str
) -> FetchResult | None:
    """The new statuses of ``update`` events (other events are not mentions), or None."""
    statuses: list[Any] = []
    broken: list[Rejected] = []
    for event in events:
        if event.event != "update":
            continue
        try:
            statuses.append(orjson.loads(event.data))
        except orjson.JSONDecodeError:
            reason = (
                "The stream sent an update event whose data is not JSON: it was skipped; if it "
                "happens often, poll the source instead of streaming it."
            )
            broken.append(Rejected(f"an update event of the stream of {where}", reason, event.data))
    if not statuses and not broken:
        return None
    batch = read_statuses(statuses, set(cursor.seen), f"the stream of {where}")
    cursor.remember(batch.ids, lookback)
    if not batch.items and not batch.rejected and not broken:
        return None
    return FetchResult(
        items=batch.items, cursor=cursor.to_dict(), rejected=[*broken, *batch.rejected]
    )
