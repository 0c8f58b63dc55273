"""Feed entries (the JSON payloads of :mod:`sbu.connectors.rss_document`) to mention drafts.

The payload is ``{"feed": {"url", "title", "link", "language", ...}, "entry": {...},
"collected_at": ISO time of the fetch, "language": the source's language or null}``.

- **id**: the entry's id (Atom ``<id>``, RSS ``<guid>``, RSS 1.0 ``rdf:about``) when it is an
  absolute URI (``https://…``, ``tag:…``, ``urn:…``), which is meant to be unique everywhere, so
  the same article read through two feeds is stored once. A bare id such as ``12345`` is only
  unique within its feed: it is prefixed with the feed's URL. Without an id, the link; without a
  link, a hash of the feed URL, the title and the date. Ids longer than 255 characters are hashed.
- **text** is plain text from the first ``<content>``, else the summary/description; HTML is
  turned into text (scripts and styles dropped), plain-text constructs are kept as written.
- **created_at**: published, else updated, else the time the feed was fetched.
- **language**: the entry's, else the feed's, else the source's, as a primary subtag (``fr``).
- **author**: the entry's author, identified as ``<feed host>/<name>``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sbu.connectors.fields import obj, opt_str, parse_time, req_str
from sbu.core.errors import BadPayload
from sbu.core.text import html_to_text
from sbu.listening.drafts import MAX_EXTERNAL_ID, MAX_URL, AuthorDraft, MentionDraft

PLATFORM = "rss"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S")
_LANGUAGE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9\-_]*)?$")
_SPACES = re.compile(r"\s+")
MAX_AUTHOR_NAME = 200


class FeedEntryMapper:
    """Maps one feed entry payload to a mention draft; pure (no I/O, no clock)."""

    key = "rss"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        feed = obj(payload, "feed", required=True)
        entry = obj(payload, "entry", required=True)
        feed_url = req_str(feed, "url")
        title = _title(entry)
        return MentionDraft(
            platform=PLATFORM,
            external_id=entry_external_id(feed_url, entry),
            text=_body(entry),
            created_at=_created_at(payload, entry),
            raw=dict(payload),
            url=_http_url(opt_str(entry, "link")),
            title=title or None,
            language=primary_language(opt_str(entry, "language"))
            or primary_language(opt_str(feed, "language"))
            or primary_language(opt_str(payload, "language")),
            author=_author(feed_url, entry),
        )


def entry_external_id(feed_url: str, entry: Mapping[str, Any]) -> str:
    """The id a feed entry is stored under (see the module docstring); BadPayload if none."""
    ident = (opt_str(entry, "id") or "").strip()
    if ident and not _SCHEME.match(ident):
        ident = f"{feed_url}#{ident}"
    if not ident:
        ident = (opt_str(entry, "link") or "").strip()
    if not ident:
        title = opt_str(entry, "title") or ""
        when = opt_str(entry, "published") or opt_str(entry, "published_text") or ""
        summary = "" if title else (opt_str(entry, "summary") or "")
        if not (title or summary):
            msg = (
                "The feed entry has no id, no link and no title, so sbu cannot tell it apart "
                "from the other entries: it is skipped. Tell the feed's publisher if it matters."
            )
            raise BadPayload(msg)
        basis = "\n".join((feed_url, title, when, summary))
        ident = f"sha256:{hashlib.sha256(basis.encode()).hexdigest()}"
    if len(ident) > MAX_EXTERNAL_ID:
        ident = f"sha256:{hashlib.sha256(ident.encode()).hexdigest()}"
    return ident


def primary_language(value: str | None) -> str | None:
    """``"fr-FR"`` → ``"fr"``, ``"EN_us"`` → ``"en"``; None when it is not a language tag."""
    if not value:
        return None
    match = _LANGUAGE.match(value.strip())
    return match.group(1).lower() if match else None


def _plain(value: str, content_type: str | None) -> str:
    if content_type is None or content_type.lower() in HTML_TYPES:
        return html_to_text(value)
    return value.strip()


def _title(entry: Mapping[str, Any]) -> str:
    title = opt_str(entry, "title")
    if title is None:
        return ""
    return _SPACES.sub(" ", _plain(title, opt_str(entry, "title_type"))).strip()


def _body(entry: Mapping[str, Any]) -> str:
    contents = entry.get("content")
    if isinstance(contents, list) and contents and isinstance(contents[0], str):
        types = entry.get("content_types")
        kind = types[0] if isinstance(types, list) and types and isinstance(types[0], str) else None
        text = _plain(contents[0], kind)
        if text:
            return text
    summary = opt_str(entry, "summary")
    return _plain(summary, opt_str(entry, "summary_type")) if summary else ""


def _created_at(payload: Mapping[str, Any], entry: Mapping[str, Any]) -> datetime:
    for name in ("published", "updated"):
        if entry.get(name):
            return parse_time(entry[name], f"entry.{name}")
    return parse_time(payload.get("collected_at"), "collected_at")


def _http_url(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_URL or not value.lower().startswith(("http://", "https://")):
        return None
    return value


def _author(feed_url: str, entry: Mapping[str, Any]) -> AuthorDraft | None:
    detail = obj(entry, "author_detail")
    name = opt_str(detail, "name") or opt_str(entry, "author")
    if name is None:
        authors = entry.get("authors")
        if isinstance(authors, list) and authors and isinstance(authors[0], Mapping):
            name = opt_str(authors[0], "name")
    name = _SPACES.sub(" ", name or "").strip()[:MAX_AUTHOR_NAME]
    if not name:
        return None
    host = (urlsplit(feed_url).hostname or "feed").lower()
    return AuthorDraft(
        external_id=f"{host}/{name}"[:MAX_EXTERNAL_ID],
        display_name=name,
        url=_http_url(opt_str(detail, "href")),
    )
