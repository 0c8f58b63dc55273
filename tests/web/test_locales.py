"""Language negotiation, the catalogs and the guard against open redirects."""

from __future__ import annotations

import pytest

from sbu.web.locales import (
    LANGUAGES,
    choose_language,
    load_translations,
    negotiate,
    parse_accept_language,
    safe_next,
)


def test_accept_language_is_ranked_by_quality() -> None:
    assert parse_accept_language("en;q=0.5, fr-CA, de;q=0.8") == [
        ("fr-ca", 1.0),
        ("de", 0.8),
        ("en", 0.5),
    ]
    assert parse_accept_language("fr;q=0, en") == [("en", 1.0)]
    assert parse_accept_language("fr;q=abc, en;q=0.1") == [("en", 0.1)]
    assert parse_accept_language("") == []
    assert parse_accept_language(None) == []
    assert parse_accept_language("<script>, en") == [("en", 1.0)]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,de;q=0.9,fr;q=0.5", "fr"),
        ("en;q=0.2, fr;q=0.9", "fr"),
        ("de, es", "en"),
        ("*", "en"),
        (None, "en"),
        ("garbage;;;", "en"),
    ],
)
def test_negotiate(header: str | None, expected: str) -> None:
    assert negotiate(header, "en") == expected


def test_default_applies_when_nothing_matches() -> None:
    assert negotiate("de", "fr") == "fr"


def test_the_cookie_wins_over_the_header() -> None:
    assert choose_language("en", "fr-FR", "fr") == "en"
    assert choose_language("fr", "en", "en") == "fr"
    assert choose_language("xx", "fr", "en") == "fr"
    assert choose_language(None, None, "fr") == "fr"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/listening/stream?q=panne&platform=x", "/listening/stream?q=panne&platform=x"),
        ("/", "/"),
        ("//evil.example/path", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("http:/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("evil.example", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("/a\\b", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next_accepts_local_paths_only(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_catalogs_load_from_po_files() -> None:
    translations = load_translations()
    assert set(translations) == set(LANGUAGES)
    assert translations["fr"].gettext("Stream") == "Flux"
    assert translations["en"].gettext("Stream") == "Stream"
    assert (
        translations["fr"].ngettext("%(num)s mention", "%(num)s mentions", 1) == "%(num)s mention"
    )
    assert translations["fr"].ngettext("%(num)s reply", "%(num)s replies", 3) == "%(num)s réponses"
    assert translations["fr"].ngettext("%(num)s reply", "%(num)s replies", 0) == "%(num)s réponse"
