"""The UI languages: catalogs loaded from the .po files, and the language of each request.

The package ships the ``.po`` catalogs only (no compiled ``.mo`` files): :func:`load_translations`
reads them once per application with Babel and builds the gettext translations in memory.
A request's language is the ``sbu_lang`` cookie set by the language switch, otherwise the best
match of its ``Accept-Language`` header, otherwise ``SBU_WEB__DEFAULT_LANGUAGE``.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

#: The languages the UI speaks, in the order the language switch shows them.
LANGUAGES: tuple[str, ...] = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
CATALOG_DIR = Path(__file__).parent / "i18n"
COOKIE = "sbu_lang"
_RANGE = re.compile(r"^(?:[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*|\*)$")


def load_translations(directory: Path = CATALOG_DIR) -> dict[str, Translations]:
    """Read ``<lang>/LC_MESSAGES/messages.po`` for every language into gettext translations."""
    loaded: dict[str, Translations] = {}
    for language in LANGUAGES:
        path = directory / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain="messages")
        compiled = BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        loaded[language] = Translations(compiled, domain="messages")
    return loaded


def parse_accept_language(header: str | None) -> list[tuple[str, float]]:
    """Language ranges of an ``Accept-Language`` header, best first (q=0 ranges dropped)."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0]
        if not tag or not _RANGE.match(tag):
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if 0.0 < quality <= 1.0:
            ranked.append((quality, position, tag.lower()))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [(tag, quality) for quality, _, tag in ranked]


def negotiate(header: str | None, default: str) -> str:
    """The best of :data:`LANGUAGES` for an ``Accept-Language`` header, else ``default``."""
    for tag, _quality in parse_accept_language(header):
        if tag == "*":
            return default
        primary = tag.split("-", 1)[0]
        if primary in LANGUAGES:
            return primary
    return default


def choose_language(cookie: str | None, accept_language: str | None, default: str) -> str:
    """The request's language: the switch's cookie wins over the browser's preference."""
    if cookie in LANGUAGES:
        return cookie
    return negotiate(accept_language, default)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path of this site, else ``/`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(char) < 0x20 or char == "\\" for char in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target
