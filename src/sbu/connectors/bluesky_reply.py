"""What a Bluesky reply is made of: the checks of its text, its record and its record key.

A reply is an ``app.bsky.feed.post`` record whose ``reply`` names the post answered
(``parent``) and the first post of the thread (``root``), each by ``uri`` and ``cid``. Its text
holds at most 300 graphemes (what people see as characters: "👍🏽" or "é" written with a
combining accent count once) and 3000 UTF-8 bytes. Links and hashtags in the text are made
clickable with ``facets`` (byte ranges); mentions of accounts are left as plain text, since
they would need the account's DID.

The record key is a TID made once per reply, so a request that the API client sends again
after a timeout cannot post the reply twice: the second one is refused as a duplicate.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sbu.core.errors import ConnectorError, InvalidInput

POST_COLLECTION = "app.bsky.feed.post"
MAX_GRAPHEMES = 300
MAX_BYTES = 3000
_POST_URI = re.compile(
    r"at://did:[a-z]+:[a-zA-Z0-9._:%-]+/app\.bsky\.feed\.post/[A-Za-z0-9._:~-]{1,512}", re.ASCII
)
_LINK = re.compile(r"https?://[^\s<>\"]+", re.ASCII)
_TAG = re.compile(r"(?:^|(?<=\s))#([^\s#!-/:-@\[-^`{-~]{1,64})")
_TRAILING = ".,;:!?)]}'\""
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_ZWJ = "\u200d"


def check_parent_uri(value: str) -> str:
    """``value`` as the ``at://`` uri of a post, or InvalidInput with a sentence."""
    uri = value.strip()
    if not _POST_URI.fullmatch(uri):
        msg = (
            f"The reply names {uri[:120]!r}, which is not the at:// address of a Bluesky post: "
            "give the post's uri, such as at://did:plc:…/app.bsky.feed.post/3lcdqe5tyuw2k."
        )
        raise InvalidInput(msg)
    return uri


def check_text(text: str) -> str:
    """``text`` when Bluesky accepts it as a post's text, or InvalidInput with a sentence."""
    if not text.strip():
        msg = "The reply is empty: write the text to post."
        raise InvalidInput(msg)
    count = grapheme_count(text)
    if count > MAX_GRAPHEMES:
        msg = (
            f"The reply is {count} characters long and Bluesky takes at most {MAX_GRAPHEMES}: "
            f"shorten it by {count - MAX_GRAPHEMES} characters."
        )
        raise InvalidInput(msg)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        msg = (
            f"The reply takes {size} bytes and Bluesky takes at most {MAX_BYTES}: shorten it or "
            "use fewer emoji and accented letters."
        )
        raise InvalidInput(msg)
    return text


def grapheme_count(text: str) -> int:
    """The number of user-perceived characters (an approximation of Unicode's extended
    grapheme clusters: combining marks, joiners, variation selectors, skin tones, tags and
    flag pairs do not start a new character)."""
    count = 0
    previous = ""
    pending_flag = False
    for char in text:
        code = ord(char)
        joins = (
            unicodedata.category(char) in ("Mn", "Me", "Mc")
            or char == _ZWJ
            or previous == _ZWJ
            or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF
            or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F
            or (previous == "\r" and char == "\n")
        )
        if 0x1F1E6 <= code <= 0x1F1FF:  # regional indicators pair into flags
            joins = pending_flag
            pending_flag = not pending_flag
        else:
            pending_flag = False
        if not joins or not count:
            count += 1
        previous = char
    return count


def facets(text: str) -> list[dict[str, Any]]:
    """Link and hashtag facets of ``text``, with UTF-8 byte ranges."""
    found: list[dict[str, Any]] = []
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        start = match.start()
        found.append(_facet(text, start, start + len(url), {"uri": url}, "link"))
    for match in _TAG.finditer(text):
        tag = match.group(1).rstrip(_TRAILING)
        if not tag or tag.isdigit():
            continue
        start = match.start()
        found.append(_facet(text, start, start + 1 + len(tag), {"tag": tag}, "tag"))
    found.sort(key=lambda f: int(f["index"]["byteStart"]))
    return found


def _facet(text: str, start: int, end: int, value: dict[str, str], kind: str) -> dict[str, Any]:
    byte_start = len(text[:start].encode("utf-8"))
    byte_end = byte_start + len(text[start:end].encode("utf-8"))
    return {
        "index": {"byteStart": byte_start, "byteEnd": byte_end},
        "features": [{"$type": f"app.bsky.richtext.facet#{kind}", **value}],
    }


def reply_refs(post: Any, where: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The ``root`` and ``parent`` references of a reply to ``post`` (a ``postView``), and the
    post's languages."""
    parent = _ref(post)
    record = post.get("record") if isinstance(post, dict) else None
    if parent is None or not isinstance(record, Mapping):
        msg = (
            f"Bluesky described {where} without its uri, cid or record: sbu cannot answer it; "
            "try again later."
        )
        raise ConnectorError(msg)
    reply = record.get("reply")
    root = _ref(reply.get("root")) if isinstance(reply, Mapping) else None
    langs = record.get("langs")
    languages = [x for x in langs if isinstance(x, str)] if isinstance(langs, list) else []
    return root or parent, parent, languages[:1]


def _ref(value: Any) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        return None
    uri, cid = value.get("uri"), value.get("cid")
    if isinstance(uri, str) and uri and isinstance(cid, str) and cid:
        return {"uri": uri, "cid": cid}
    return None


def reply_record(
    text: str,
    *,
    root: Mapping[str, str],
    parent: Mapping[str, str],
    langs: list[str],
    created_at: datetime,
) -> dict[str, Any]:
    """The ``app.bsky.feed.post`` record of a reply."""
    record: dict[str, Any] = {
        "$type": POST_COLLECTION,
        "text": text,
        "createdAt": created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "reply": {"root": dict(root), "parent": dict(parent)},
    }
    if langs:
        record["langs"] = langs
    found = facets(text)
    if found:
        record["facets"] = found
    return record


def make_tid(when: datetime, rng: random.Random) -> str:
    """A record key of the TID form: 53 bits of microseconds since 1970, 10 random bits,
    written in base32-sortable (13 characters)."""
    micros = int(when.timestamp() * 1_000_000) & ((1 << 53) - 1)
    value = (micros << 10) | rng.getrandbits(10)
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))
