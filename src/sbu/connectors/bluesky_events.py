"""Jetstream events sorted into raw items: what a frame is, and whether the source keeps it.

One frame of the Jetstream is one JSON event. :func:`read_event` moves the stream's cursor to
its ``time_us`` and returns:

- a :class:`~sbu.listening.drafts.RawItem` (mapper ``bluesky``) for a commit that **creates** a
  post that the source's :class:`PostFilter` keeps and that the stream has not handed over
  recently (a reconnection replays a few seconds);
- a :class:`~sbu.listening.drafts.Rejected` for a frame that is not JSON, has no ``time_us``,
  or that the mapper refuses;
- None for everything else: ``identity`` and ``account`` events, likes and other collections,
  edits and deletions, posts without the keywords or in another language, repeats.

Keywords are checked on the post's text before mapping: whole words or phrases, in any case
(``box`` keeps "Ma Box est en panne" but not "boxing").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from sbu.connectors.bluesky import POST_COLLECTION, BlueskyPostMapper
from sbu.connectors.fields import language
from sbu.connectors.mapped_items import check_payload
from sbu.listening.drafts import RawItem, Rejected

_MAPPER = BlueskyPostMapper()
#: Uris remembered to drop posts replayed after a reconnection.
RECENT_URIS = 5000
#: Characters of a rejected frame kept with the rejection.
QUOTE_CHARS = 20_000


class PostFilter:
    """Which posts a source keeps: those with one of its ``keywords`` (whole words, any case)
    and in its language ``lang``, when it sets them."""

    def __init__(self, keywords: Sequence[str] = (), lang: str | None = None) -> None:
        self.lang = lang
        words = [re.escape(k).replace(r"\ ", r"\s+") for k in keywords if k.strip()]
        self.pattern = (
            re.compile("|".join(rf"(?<!\w){w}(?!\w)" for w in words), re.IGNORECASE)
            if words
            else None
        )

    def keeps(self, record: Mapping[str, Any]) -> bool:
        if self.lang is not None:
            langs = record.get("langs")
            codes = [language(x) for x in langs] if isinstance(langs, list) else []
            if self.lang not in codes:
                return False
        if self.pattern is None:
            return True
        text = record.get("text")
        return isinstance(text, str) and self.pattern.search(text) is not None


@dataclass
class StreamState:
    """Where a stream stands: the last ``time_us`` read, the one last handed over with a
    batch, the frames read, and the uris of recent posts."""

    time_us: int | None = None
    saved_us: int | None = None
    received: int = 0
    recent: dict[str, None] = field(default_factory=dict)

    @classmethod
    def from_cursor(cls, cursor: Mapping[str, Any] | None) -> StreamState:
        value = (cursor or {}).get("time_us")
        start = value if isinstance(value, int) and not isinstance(value, bool) else None
        return cls(time_us=start, saved_us=start)

    def cursor(self) -> dict[str, Any] | None:
        return {"time_us": self.time_us} if self.time_us is not None else None

    def remember(self, uri: str) -> None:
        self.recent[uri] = None
        if len(self.recent) > RECENT_URIS:
            del self.recent[next(iter(self.recent))]


def read_event(
    frame: str | bytes, state: StreamState, keep: PostFilter, where: str
) -> RawItem | Rejected | None:
    """The raw item of one frame, its rejection, or None when it is not a wanted new post."""
    state.received += 1
    locator = f"a message of {where}"
    try:
        event = orjson.loads(frame)
    except orjson.JSONDecodeError:
        reason = (
            "Jetstream sent a message that is not JSON (compressed, or cut off): it was "
            "skipped; if every message is like this, check the source's jetstream_url."
        )
        return Rejected(locator, reason, _quote(frame))
    moment = event.get("time_us") if isinstance(event, dict) else None
    if not isinstance(moment, int) or isinstance(moment, bool):
        reason = "This Jetstream event has no time_us, so sbu cannot place it: it was skipped."
        return Rejected(locator, reason, _quote(frame))
    state.time_us = moment if state.time_us is None else max(state.time_us, moment)
    commit = event.get("commit")
    if event.get("kind") != "commit" or (
        isinstance(commit, dict)
        and (commit.get("collection") != POST_COLLECTION or commit.get("operation") != "create")
    ):
        return None
    uri = post_uri(event)
    if uri is not None and uri in state.recent:
        return None
    record = commit.get("record") if isinstance(commit, dict) else None
    readable = isinstance(record, dict) and isinstance(record.get("text", ""), str)
    if readable and isinstance(record, dict) and not keep.keeps(record):
        return None  # (a malformed record goes on to the mapper, which rejects it)
    if uri is not None:
        state.remember(uri)
        locator = f"post {uri} from {where}"
    return check_payload(
        _MAPPER, event, locator, platform="Bluesky", thing="post", quote=lambda: _quote(frame)
    )


def post_uri(event: Mapping[str, Any]) -> str | None:
    """The ``at://`` uri of the post a commit event is about, when it names one."""
    commit = event.get("commit")
    did = event.get("did")
    rkey = commit.get("rkey") if isinstance(commit, dict) else None
    if isinstance(did, str) and did and isinstance(rkey, str) and rkey:
        return f"at://{did}/{POST_COLLECTION}/{rkey}"
    return None


def _quote(frame: str | bytes) -> str:
    text = frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame
    return text[:QUOTE_CHARS]
