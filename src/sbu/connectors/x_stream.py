"""Following X's filtered stream: one run of :meth:`~sbu.connectors.x_api.XConnector.stream`.

The stream is read line by line (one JSON message per line, a blank keep-alive line every 20
seconds, passed on as a heartbeat). Posts of the source's rule come in batches, each with the
cursor to save with it; posts of the app's other rules are counted (X bills them) but not
handed over. When the stream ends it is opened again with the shared backoff, and the posts
written meanwhile are fetched from the recent search before the stream is read; posts that
arrive both ways are handed over once. The budget guard stops the stream when the month's
budget is used.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import orjson

from sbu.connectors.api_client import ApiClient, Clock, RetryPolicy, Sleep
from sbu.connectors.base import FetchResult
from sbu.connectors.mapped_items import payload_text
from sbu.connectors.x_budget import BudgetReached, CostMeter
from sbu.connectors.x_cursor import XCursor, newest
from sbu.connectors.x_http import problem_detail
from sbu.connectors.x_mapping import posts_of_page
from sbu.connectors.x_posts import read_posts
from sbu.connectors.x_rules import XQuery
from sbu.connectors.x_search import search_recent
from sbu.connectors.x_source import XSourceConfig
from sbu.connectors.x_stream_rules import is_ours
from sbu.core.errors import BadPayload, RateLimited, Transient
from sbu.listening.drafts import Rejected

#: Recent-search pages read at most to fill the gap of one stream reconnection.
MAX_CATCH_UP_PAGES = 10
#: Keep-alives that show a stream is alive, even when no post matches.
LIVELY_KEEPALIVES = 2
#: How long to wait after a 429 of the stream that names no time (X asks for at least 1 min).
STREAM_429_WAIT = 60.0
MAX_LINE_BYTES = 10_000_000


@dataclass
class StreamSession:
    """One run of the filtered stream of a source: connections, gap fills and batches."""

    source: XSourceConfig
    #: The query of the recent search that fills gaps (None: too long for the search).
    search: XQuery | None
    state: XCursor
    meter: CostMeter
    tag: str
    where: str
    notes: list[str]
    #: Opens the stream: its body, chunk by chunk.
    open_stream: Callable[[], AbstractContextManager[Iterator[bytes]]]
    #: A client of X's REST API, for the gap fills.
    client: Callable[[], ApiClient]
    retry: RetryPolicy
    clock: Clock
    sleep: Sleep
    rng: random.Random

    def follow(self, connections: int | None) -> Iterator[FetchResult]:
        retry = self.retry
        failures = attempts = 0
        while connections is None or attempts < connections:
            attempts += 1
            lively = False
            problem: Transient | RateLimited | None = None
            self.meter.roll(self.clock())
            if self.meter.room <= 0:
                raise self.meter.reached(self.clock())
            try:
                with self.open_stream() as chunks:
                    if self.state.newest_id is not None:
                        yield from self._fill_gap()
                    lines = _Lines(self.where)
                    for chunk in chunks:
                        keepalives = lines.keepalives
                        messages, broken = lines.feed(chunk)
                        if messages or lines.keepalives >= LIVELY_KEEPALIVES:
                            lively = True
                        batch, closing = self._batch(messages, broken)
                        if batch is not None:
                            yield batch
                        elif lines.keepalives > keepalives:  # a heartbeat: the stream is alive
                            yield FetchResult(
                                items=[],
                                cursor=self.state.to_dict(),
                                notes=self._take_notes(),
                                usage=self.meter.usage(),
                            )
                        if self.meter.room <= 0:
                            raise self.meter.reached(self.clock())
                        if closing is not None:
                            raise Transient(closing)
            except BudgetReached:
                raise
            except (Transient, RateLimited) as exc:
                problem = exc
            if lively:
                failures = 0
                continue
            failures += 1
            if failures >= retry.attempts:
                last = f" ({problem})" if problem is not None else ""
                msg = (
                    f"{self.where[0].upper()}{self.where[1:]} ended or failed {failures} times "
                    f"in a row without delivering anything{last}: sbu stopped streaming it."
                )
                raise Transient(msg) from problem
            wait = retry.backoff(failures - 1, self.rng)
            if isinstance(problem, RateLimited):
                asked = problem.retry_after if problem.retry_after is not None else STREAM_429_WAIT
                if asked > retry.max_inline_wait:
                    raise RateLimited(str(problem), retry_after=asked) from problem
                wait = max(wait, asked)
            self.sleep(wait)

    def _fill_gap(self) -> Iterator[FetchResult]:
        """The posts written since the newest one read, from the recent search."""
        if self.search is None:
            return
        found = 0
        with self.client() as client:
            for _ in range(MAX_CATCH_UP_PAGES):
                result = search_recent(
                    client,
                    self.source,
                    self.search,
                    self.state,
                    self.meter,
                    self.where,
                    self.clock(),
                    1,
                    remember=True,
                )
                found += len(result.items)
                said = set(self.search.notes)  # the rule's notes say the same
                result.notes = [*self._take_notes(), *(n for n in result.notes if n not in said)]
                if not result.more and found:
                    result.notes.append(
                        f"{self.where[0].upper()}{self.where[1:]} was reconnected; sbu fetched "
                        f"the {found} posts written meanwhile from the recent search."
                    )
                if result.items or result.rejected or result.notes:
                    yield result
                if not result.more:
                    return

    def _batch(
        self, messages: list[Any], broken: list[Rejected]
    ) -> tuple[FetchResult | None, str | None]:
        """The new posts of some stream messages (or None), and X's reason when it announced
        that it closes the stream."""
        envelopes: list[dict[str, Any]] = []
        closing: str | None = None
        for message in messages:
            if not isinstance(message, Mapping):
                broken.append(
                    Rejected(
                        f"a line of {self.where}",
                        "This line is not a JSON object.",
                        payload_text(message),
                    )
                )
                continue
            if message.get("data") is None:
                detail = problem_detail(message)
                if detail:
                    closing = f"X closed {self.where} ({detail}): sbu reconnects."
                continue
            try:
                posts = posts_of_page(message)
            except BadPayload as exc:
                broken.append(
                    Rejected(f"a message of {self.where}", str(exc), payload_text(message))
                )
                continue
            self.meter.count(len(posts))
            rules = message.get("matching_rules")
            if (
                isinstance(rules, list)
                and rules
                and not is_ours(rules, self.state.rule_id, self.tag)
            ):
                continue  # a post of another rule of the same app
            for envelope in posts:
                if isinstance(rules, list):
                    envelope["matching_rules"] = rules
                envelopes.append(envelope)
        known = set(self.state.seen)
        batch = read_posts(envelopes, self.where, known)
        batch.count = 0  # counted above, with the posts of other rules
        self.state.remember(batch.ids)
        self.state.advance(newest(batch.ids))
        self.meter.save(self.state)
        if not batch.items and not batch.rejected and not broken:
            return None, closing
        result = FetchResult(
            items=batch.items,
            cursor=self.state.to_dict(),
            rejected=[*broken, *batch.rejected],
            notes=self._take_notes(),
            usage=self.meter.usage(),
        )
        return result, closing

    def _take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes


class _Lines:
    """The messages of the stream's body: one JSON object per line, blank keep-alive lines."""

    def __init__(self, where: str) -> None:
        self.where = where
        self._partial = b""
        self.keepalives = 0

    def feed(self, chunk: bytes) -> tuple[list[Any], list[Rejected]]:
        *lines, self._partial = (self._partial + chunk).split(b"\n")
        if len(self._partial) > MAX_LINE_BYTES:
            msg = (
                f"{self.where} sent a line of more than {MAX_LINE_BYTES:,} bytes, which no post "
                "needs: sbu dropped the connection and reconnects."
            )
            raise Transient(msg)
        messages: list[Any] = []
        broken: list[Rejected] = []
        for raw in lines:
            line = raw.strip()
            if not line:
                self.keepalives += 1
                continue
            try:
                messages.append(orjson.loads(line))
            except orjson.JSONDecodeError:
                reason = (
                    "The filtered stream sent a line that is not JSON: it was skipped; if it "
                    "happens often, check the network between sbu and X (a proxy may alter it)."
                )
                text = line[:20_000].decode("utf-8", "replace")
                broken.append(Rejected(f"a line of {self.where}", reason, text))
        return messages, broken
