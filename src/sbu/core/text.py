"""Text folding shared by search, duplicate detection and (later) query matching.

``fold`` makes text case- and accent-insensitive: "Réseau" and "RESEAU" both become "reseau".
It keeps letters of every script (Arabic, Greek, emoji...) and only strips the marks that
decorate Latin letters, plus a few ligatures French writes (œ, æ) and typographic quotes.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from types import MappingProxyType


def _build_fold_table() -> MappingProxyType[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x2000):
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != char and base and all(ord(c) < 0x2000 for c in base):
            table[code] = base.casefold()
    extra = {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
    for char, repl in extra.items():
        table[ord(char)] = repl
    return MappingProxyType(table)


_FOLD_TABLE = _build_fold_table()
_FOLD_BY_CHAR = MappingProxyType({chr(code): repl for code, repl in _FOLD_TABLE.items()})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_char(match: re.Match[str]) -> str:
    char = match.group()
    return _FOLD_BY_CHAR.get(char, char)


def fold(text: str) -> str:
    """Lower-case and strip accents: ``fold("L'Opérateur Œuvre")`` is ``"l'operateur oeuvre"``."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    if not unicodedata.is_normalized("NFC", lowered):
        lowered = unicodedata.normalize("NFC", lowered)
    # Only the non-ASCII characters go through Python: most posts have a handful of them.
    return _NON_ASCII.sub(_fold_char, lowered)


# Links, @handles (also @user@instance) and #hashtags, removed before comparing texts.
_NOISE = re.compile(r"https?://\S+|www\.\S+|(?<!\w)[@#][\w.\-]+(?:@[\w.\-]+)?")
_RT_PREFIX = re.compile(r"^\s*(?:rt|via)\b[:\s]*")
_NON_WORD = re.compile(r"[\W_]+")


def duplicate_key_text(text: str) -> str:
    """The text as copy-paste detection sees it.

    Links, @handles, #hashtags, an "RT"/"via" prefix, punctuation, emoji, case and accents are
    dropped and spaces collapsed, so a post copied with another link or other tags still matches.
    """
    folded = _NOISE.sub(" ", fold(text))
    if folded.startswith(("rt", "via", " ")):
        folded = _RT_PREFIX.sub("", folded)
    return _NON_WORD.sub(" ", folded).strip()


class _TextExtractor(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "tr"})
    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (Mastodon statuses, feed summaries).

    The result is text, never markup: it is escaped again wherever it is shown.
    """
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    parser = _TextExtractor()  # convert_charrefs: the parser decodes entities, exactly once
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()
