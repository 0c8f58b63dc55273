"""RSS and Atom feeds: the ``rss`` connector and its source configuration.

A feed source polls one feed URL. Each poll sends the validators of the previous answer
(``If-None-Match`` with the ETag, ``If-Modified-Since`` with the Last-Modified date); a ``304 Not
Modified`` costs one request and nothing else. When the feed did change, only entries not seen in
recent polls are handed to the ingest service, oldest first: the cursor keeps short hashes of the
ids of the entries of the last documents (at least ``SEEN_MIN``), and the hash of the last
document, so a server that ignores validators but sends the same bytes is not parsed again. The
cursor is saved in the same transaction as the mentions, so a failed poll forgets nothing.

Downloading is in :mod:`sbu.connectors.rss_http`, parsing in :mod:`sbu.connectors.rss_document`
and mapping entries to mentions (the ``rss`` payload mapper) in :mod:`sbu.connectors.rss_mapping`.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

import orjson
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.rss_document import read_document
from sbu.connectors.rss_http import download
from sbu.connectors.rss_mapping import FeedEntryMapper, entry_external_id, primary_language
from sbu.core.errors import BadPayload
from sbu.listening.drafts import RawItem
from sbu.settings import FeedSettings

__all__ = ["FeedEntryMapper", "RssConnector", "RssSourceConfig"]

#: The cursor remembers at least this many entries, and every entry of the last document up
#: to ``SEEN_MAX``.
SEEN_MIN = 500
SEEN_MAX = 5000


class RssSourceConfig(BaseModel):
    """What a feed source needs: the feed's address, and optionally a language and a name."""

    model_config = ConfigDict(extra="forbid")

    url: str
    #: Language of the entries when neither the entries nor the feed declare one (e.g. "fr").
    language: str | None = None
    #: A name for the publication, kept with each entry beside the feed's own title.
    title: str | None = None

    # Messages end without a full stop: sbu lists them after "is invalid: url: ...".
    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise PydanticCustomError(
                "feed_url",
                "the feed URL {url} is not an http:// or https:// address: give the full "
                "address of the feed, for example https://www.example.com/feed.xml",
                {"url": repr(value[:200])},
            )
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        language = primary_language(value)
        if language is None:
            raise PydanticCustomError(
                "feed_language",
                "the language {value} is not a language code: use a code such as fr, en or pt-BR",
                {"value": repr(value[:40])},
            )
        return language

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return " ".join(value.split())[:200]


class RssConnector:
    """Polls RSS 0.9x/1.0/2.0 and Atom feeds over HTTP(S) with conditional GET."""

    key = "rss"
    title = "RSS or Atom feed"
    capabilities = frozenset({Capability.POLL})
    settings_model: type[BaseModel] = RssSourceConfig

    def __init__(self, settings: FeedSettings) -> None:
        self.settings = settings

    @property
    def default_poll_seconds(self) -> int:
        return self.settings.default_poll_seconds

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """Download the feed and return the entries not seen in recent polls."""
        feed_config = (
            config
            if isinstance(config, RssSourceConfig)
            else RssSourceConfig.model_validate(config.model_dump())
        )
        url = feed_config.url
        state = dict(cursor or {})
        same_url = state.get("url") == url  # validators of another address mean nothing here
        response = download(
            url,
            self.settings,
            etag=_text(state.get("etag")) if same_url else None,
            last_modified=_text(state.get("last_modified")) if same_url else None,
            now=context.now,
        )
        notes: list[str] = []
        if response.moved_to:
            notes.append(
                f"The feed {url} moved permanently to {response.moved_to}: update the source's "
                "URL to save a redirect on every poll."
            )
        if response.not_modified:
            return FetchResult(items=[], cursor=cursor, notes=notes)
        seen = [s for s in state.get("seen") or [] if isinstance(s, str)]
        digest = hashlib.sha256(response.body).hexdigest()
        next_cursor: dict[str, Any] = {
            "url": url,
            "etag": response.etag,
            "last_modified": response.last_modified,
            "digest": digest,
            "seen": seen,
        }
        if same_url and state.get("digest") == digest:
            return FetchResult(items=[], cursor=next_cursor, notes=notes)
        document = read_document(
            response.body, url=response.url, content_type=response.content_type
        )
        if document.problem:
            notes.append(document.problem)
        feed = {**document.feed, "url": url, "source_title": feed_config.title}
        collected_at = context.now.isoformat()
        known = set(seen)
        keys = [_seen_key(url, entry) for entry in document.entries]
        items: list[RawItem] = []
        for index, entry in _oldest_first(document.entries):
            key = keys[index - 1]
            if key in known:
                continue
            known.add(key)
            payload = {
                "feed": feed,
                "entry": entry,
                "collected_at": collected_at,
                "language": feed_config.language,
            }
            items.append(RawItem("rss", payload, f"entry {index} of {url}"))
        next_cursor["seen"] = _remember(keys, seen)
        return FetchResult(items=items, cursor=next_cursor, notes=notes)


def _oldest_first(entries: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Entries with their place in the document (1 = first), oldest first, undated last.

    Feeds list the newest entry first; handing entries over in publication order gives mentions
    ids in that order, and makes the earliest of a group of copies the first one stored.
    """
    numbered = list(enumerate(entries, start=1))[::-1]
    return sorted(numbered, key=lambda item: _date_key(item[1]))


def _date_key(entry: dict[str, Any]) -> tuple[int, str]:
    when = entry.get("published") or entry.get("updated")
    return (0, when) if isinstance(when, str) else (1, "")


def _seen_key(feed_url: str, entry: dict[str, Any]) -> str:
    try:
        identity = entry_external_id(feed_url, entry)
    except BadPayload:  # a malformed entry is sent once (and dead-lettered), not on every poll
        identity = orjson.dumps(entry, option=orjson.OPT_SORT_KEYS).decode()
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


def _remember(keys: list[str], seen: list[str]) -> list[str]:
    """The keys of this document first, then older ones, without repeats, bounded."""
    merged = list(dict.fromkeys([*keys, *seen]))
    return merged[: min(max(SEEN_MIN, len(set(keys))), SEEN_MAX)]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
