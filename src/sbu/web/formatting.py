"""How values look on the pages: numbers, counts and dates in the reader's language, safe links.

Every function is pure and takes the language explicitly, so one template environment per
language binds them once (see :mod:`sbu.web.templating`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_datetime_format
from babel.numbers import format_decimal

#: A language code ("fr") or a parsed Babel locale (faster when formatting many values).
Language = Locale | str

#: Within this distance from now a time reads "5 minutes ago"; further away, as a date.
RELATIVE_WITHIN = timedelta(hours=24)
#: The stream shows at most this many characters of a post; the detail page shows all of it.
STREAM_TEXT_CHARS = 1200


def format_number(value: int | float, language: Language) -> str:
    """``12345`` is ``12,345`` in English and ``12 345`` in French."""
    return format_decimal(value, locale=language)


def format_count(value: int, capped: bool, language: Language) -> str:
    """A capped count reads ``10,000+``."""
    return format_number(value, language) + ("+" if capped else "")


def format_absolute(moment: datetime, language: Language) -> str:
    """A date and time in UTC, for example ``Nov 27, 2026, 09:00 UTC``."""
    utc = moment.astimezone(UTC)
    date = format_date(utc, "medium", locale=language)
    time = format_time(utc, "short", tzinfo=UTC, locale=language)
    pattern = str(get_datetime_format("medium", locale=language))
    return pattern.replace("{1}", date).replace("{0}", time) + " UTC"


def format_when(moment: datetime, now: datetime, language: Language) -> str:
    """Relative ("3 hours ago", "il y a 3 heures") when recent, absolute otherwise."""
    delta = moment - now
    if abs(delta) < RELATIVE_WITHIN:
        if abs(delta) < timedelta(seconds=45):
            delta = timedelta(seconds=-45) if delta <= timedelta(0) else timedelta(seconds=45)
        return format_timedelta(
            delta, granularity="minute", threshold=1.0, add_direction=True, locale=language
        )
    return format_absolute(moment, language)


def format_duration(seconds: float, language: Language) -> str:
    """A length of time in the page's language: "3 hr", "12 min", "2 days"."""
    return format_timedelta(
        timedelta(seconds=seconds),
        granularity="minute",
        threshold=1.0,
        format="short",
        locale=language,
    )


PLATFORM_NAMES = {
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "reddit": "Reddit",
    "youtube": "YouTube",
    "x": "X",
    "twitter": "X",
    "rss": "RSS",
    "news": "News",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "instagram": "Instagram",
}


def platform_name(platform: str) -> str:
    """How a platform key reads: ``youtube`` is ``YouTube``; unknown keys are capitalised."""
    return PLATFORM_NAMES.get(platform, platform[:1].upper() + platform[1:])


def language_name(code: str, language: Language) -> str:
    """``fr`` reads ``French (fr)`` in English and ``français (fr)`` in French."""
    name = Locale.parse(language).languages.get(code.split("-", 1)[0].lower())
    return f"{name} ({code})" if name else code


def iso_utc(moment: datetime) -> str:
    """The machine-readable form for ``<time datetime="...">``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def http_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address (safe to put in an ``href``), else ``None``."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def pretty_json(value: Any) -> str:
    """Indented JSON text of a payload (escaped by the template, never rendered as markup)."""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)


def shorten(text: str, limit: int = STREAM_TEXT_CHARS) -> str:
    """``text`` cut at ``limit`` characters (at a word boundary when one is near) with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - 80)
    return (cut[:space] if space > 0 else cut).rstrip() + "…"
