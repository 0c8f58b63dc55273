"""Numbers, dates and links as the pages show them, in English and French."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel import Locale

from sbu.web.formatting import (
    format_absolute,
    format_count,
    format_duration,
    format_number,
    format_when,
    http_url,
    iso_utc,
    language_name,
    platform_name,
    pretty_json,
    shorten,
)
from tests.conftest import NOW


def test_numbers_follow_the_locale() -> None:
    assert format_number(12345, "en") == "12,345"
    assert format_number(12345, "fr") == "12\u202f345"
    assert format_count(10_000, True, "en") == "10,000+"
    assert format_count(42, False, "fr") == "42"


def test_recent_times_are_relative() -> None:
    assert format_when(NOW - timedelta(minutes=5), NOW, "en") == "5 minutes ago"
    assert format_when(NOW - timedelta(minutes=5), NOW, "fr") == "il y a 5 minutes"
    assert format_when(NOW - timedelta(hours=3), NOW, "fr") == "il y a 3 heures"
    assert format_when(NOW - timedelta(seconds=3), NOW, "en") == "1 minute ago"


def test_older_times_are_absolute_in_utc() -> None:
    moment = datetime(2026, 11, 25, 9, 5, tzinfo=UTC)
    assert format_when(moment, NOW, "en") == "Nov 25, 2026, 9:05\u202fAM UTC"
    assert format_when(moment, NOW, "fr") == "25 nov. 2026, 09:05 UTC"
    paris = moment.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert format_absolute(paris, "fr") == "25 nov. 2026, 09:05 UTC"
    assert iso_utc(paris) == "2026-11-25T09:05:00Z"


def test_only_http_urls_are_linkable() -> None:
    assert http_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert http_url("http://example.org") == "http://example.org"
    assert http_url("javascript:alert(1)") is None
    assert http_url("JAVASCRIPT:alert(1)") is None
    assert http_url("data:text/html,<script>") is None
    assert http_url("//example.org") is None
    assert http_url("https://") is None
    assert http_url(None) is None


def test_payloads_are_pretty_json_text() -> None:
    assert pretty_json({"b": 1, "a": "<é>"}) == '{\n  "a": "<é>",\n  "b": 1\n}'


def test_long_texts_are_shortened_at_a_word() -> None:
    text = "mot " * 400
    short = shorten(text, 100)
    assert len(short) <= 101
    assert short.endswith("mot…")
    assert shorten("court", 100) == "court"


def test_names() -> None:
    assert platform_name("youtube") == "YouTube"
    assert platform_name("lemmy") == "Lemmy"
    assert language_name("fr", "en") == "French (fr)"
    assert language_name("en", "fr") == "anglais (en)"
    assert language_name("pt-BR", "en") == "Portuguese (pt-BR)"
    assert language_name("zz", "en") == "zz"


def test_durations_read_in_the_page_language() -> None:
    assert format_duration(3600, Locale.parse("en")) == "1 hr"
    assert format_duration(12 * 60, Locale.parse("en")) == "12 min"
    assert format_duration(2 * 86400, Locale.parse("fr")) == "2\u202fj"  # narrow no-break space
