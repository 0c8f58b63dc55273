"""Post text as the query language sees it: a string of words separated by single spaces.

Matching, search and the reference evaluator all read text through :func:`match_text`, so they
agree on what a word is:

- case and accents are folded (:func:`sbu.core.text.fold`), except for ``raw:`` which reads
  :func:`match_text` with ``folded=False``;
- links (``https://…``, ``www.…``) are removed (``site:`` looks at them instead);
- a word is a run of letters, digits and ``_``; a ``#`` or ``@`` directly before a word stays
  with it (``#ondine``, ``@ondine``; the instance of ``@user@instance`` is dropped);
- each emoji is a word of its own;
- everything else (spaces, punctuation, apostrophes, hyphens) separates words, so
  ``l'opérateur`` is the two words ``l operateur`` and ``e-commerce`` is ``e commerce``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sbu.core.text import fold

#: Emoji and pictographs: each is a word of its own.
EMOJI_CLASS = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff"
URL = re.compile(r"(?:https?://|www\.)[^\s\x00]+", re.IGNORECASE)
#: ``@user@instance``: the instance is dropped, in posts and in queries alike.
MENTION_INSTANCE = re.compile(r"(@\w+)@[\w.\-]+")
_EMOJI = re.compile(f"[{EMOJI_CLASS}]")
# Separators: anything that is not a word character, an emoji or the post separator \x00; a
# '#' or '@' is a separator unless a word character follows it.
_SEPARATORS = re.compile(f"(?:[^\\w#@\\x00{EMOJI_CLASS}]|[#@](?!\\w))+")
#: Joins posts in :func:`match_texts`; removed from post text beforehand.
POST_SEPARATOR = "\x00"


def match_text(text: str, *, folded: bool = True) -> str:
    """``match_text("L'Opérateur a dit: #Fibre! https://x.fr")`` is ``"l operateur a dit #fibre"``."""
    if POST_SEPARATOR in text:
        text = text.replace(POST_SEPARATOR, " ")
    return _normalise(fold(text) if folded else text).strip()


def match_texts(texts: Sequence[str], *, folded: bool = True) -> list[str]:
    """:func:`match_text` of many texts at once (one pass of each expression over all of them)."""
    joined = POST_SEPARATOR.join(t.replace(POST_SEPARATOR, " ") for t in texts)
    if folded:
        joined = fold(joined)
    return [part.strip() for part in _normalise(joined).split(POST_SEPARATOR)]


def _normalise(text: str) -> str:
    text = URL.sub(" ", text)
    if "@" in text:
        text = MENTION_INSTANCE.sub(r"\1", text)
    if not text.isascii():
        text = _EMOJI.sub(r" \g<0> ", text)
    return _SEPARATORS.sub(" ", text)


def words(text: str, *, folded: bool = True) -> list[str]:
    """The words of a text, in order."""
    normalised = match_text(text, folded=folded)
    return normalised.split(" ") if normalised else []


def links(text: str) -> list[str]:
    """The links written in a text (for ``site:``)."""
    return URL.findall(text)
