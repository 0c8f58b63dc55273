"""Reading a downloaded feed document with feedparser into JSON-able entry payloads.

feedparser understands RSS 0.9x/1.0/2.0 and Atom, guesses encodings from the HTTP header and the
XML prolog, and sanitises HTML. Its results hold ``time.struct_time`` values and nested
``FeedParserDict`` objects: :func:`read_document` turns each entry into plain JSON (dates become
ISO 8601 UTC strings, text constructs keep their value and type, unknown objects are dropped), so
the raw payload can be stored beside the mention and mapped again later without feedparser.
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from sbu.core.errors import BadPayload

DATE_KEYS = ("published", "updated", "created", "expired")
#: Text constructs whose ``*_detail`` repeats the value: only its type and language are kept.
TEXT_KEYS = ("title", "summary", "subtitle", "rights")
_DROP = object()
_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class FeedDocument:
    """A parsed feed: its version, a small description of the feed and its entries."""

    version: str
    feed: dict[str, Any]
    entries: list[dict[str, Any]] = field(default_factory=list)
    #: What feedparser complained about when the document had errors but could still be read.
    problem: str | None = None


def read_document(body: bytes, *, url: str, content_type: str | None) -> FeedDocument:
    """Parse ``body`` (fetched from ``url``); refuse it when it is not a feed at all."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A file object, never bytes: feedparser would try to open short byte strings as file names.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or [])
    if not version and not entries:
        raise BadPayload(_not_a_feed(body, url, parsed.get("bozo_exception")))
    problem = None
    if parsed.get("bozo"):
        problem = (
            f"The feed {url} has errors ({parsed.get('bozo_exception')}), but sbu could read "
            f"{len(entries)} entries from it."
        )
    feed = dict((parsed.get("feed") or {}).items())
    feed_language = _language_of(feed)
    return FeedDocument(
        version=version,
        feed={
            "title": _clean_str(feed.get("title")),
            "link": _clean_str(feed.get("link")),
            "language": feed_language,
            "version": version,
        },
        entries=[entry_payload(entry) for entry in entries],
        problem=problem,
    )


def entry_payload(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One feedparser entry as plain JSON (see the module docstring)."""
    # A plain dict: FeedParserDict.get("updated") falls back to "published" with a warning.
    entry = dict(entry.items())
    out: dict[str, Any] = {}
    for key, value in entry.items():
        name = str(key)
        if name.endswith("_parsed") or name in DATE_KEYS or name == "content":
            continue
        if name.endswith("_detail") and name.removesuffix("_detail") in TEXT_KEYS:
            continue
        converted = _jsonable(value, 0)
        if converted is not _DROP:
            out[name] = converted
    for key in DATE_KEYS:
        text = entry.get(key)
        when = _iso(entry.get(f"{key}_parsed"))
        if when is not None:
            out[key] = when
        elif text:
            out[key] = None
            out[f"{key}_text"] = _clean_str(text)
    for key in TEXT_KEYS:
        detail = entry.get(f"{key}_detail")
        if isinstance(detail, Mapping) and detail.get("type"):
            out[f"{key}_type"] = str(detail["type"])
    contents = [c for c in entry.get("content") or [] if isinstance(c, Mapping)]
    if contents:
        out["content"] = [str(c.get("value") or "") for c in contents]
        out["content_types"] = [str(c.get("type") or "text/html") for c in contents]
    language = _language_of(entry, contents)
    if language:
        out["language"] = language
    return out


def _language_of(
    node: Mapping[str, Any], contents: list[Mapping[str, Any]] | None = None
) -> str | None:
    """The declared language: dc:language / <language>, else an xml:lang seen by feedparser."""
    candidates: list[Any] = [node.get("language")]
    candidates += [c.get("language") for c in contents or []]
    for key in TEXT_KEYS:
        detail = node.get(f"{key}_detail")
        if isinstance(detail, Mapping):
            candidates.append(detail.get("language"))
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return None


def _jsonable(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _DROP
    if isinstance(value, time.struct_time):
        return _iso(value)
    if depth >= _MAX_DEPTH:
        return _DROP
    if isinstance(value, Mapping):
        mapped = {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
        return {k: v for k, v in mapped.items() if v is not _DROP}
    if isinstance(value, list | tuple):
        items = [_jsonable(v, depth + 1) for v in value]
        return [v for v in items if v is not _DROP]
    return _DROP


def _iso(value: Any) -> str | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def _clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _not_a_feed(body: bytes, url: str, error: Any) -> str:
    start = body[:512].lstrip().lower()
    if not start:
        return f"The address {url} answered with an empty document: check the feed's URL."
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return (
            f"The address {url} is a web page, not an RSS or Atom feed: open it in a browser "
            "and look for the feed's own address (often ending in /feed, /rss or .xml)."
        )
    reason = f" ({error})" if error else ""
    return (
        f"The document at {url} is not an RSS or Atom feed sbu can read{reason}: check the URL, "
        "or open it in a browser to see what the server sends."
    )
