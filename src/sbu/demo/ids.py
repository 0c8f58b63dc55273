"""Deterministic identifiers in each platform's real format, derived from a seed and a key.

The same (seed, key) always gives the same id, so a demo post has the same external id however
often its time window is generated again (ingest is idempotent on platform + external id).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

from sbu.core.text import fold

_B32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def digest(*parts: object) -> int:
    """A 64-bit unsigned integer derived from ``parts`` (stable across processes)."""
    text = "\x1f".join(map(str, parts))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _encode(value: int, alphabet: str, length: int) -> str:
    base = len(alphabet)
    chars = []
    for _ in range(length):
        value, rest = divmod(value, base)
        chars.append(alphabet[rest])
    return "".join(reversed(chars))


def _bytes(size: int, *parts: object) -> bytes:
    text = "\x1f".join(map(str, parts))
    return hashlib.blake2b(text.encode(), digest_size=size).digest()


#: Maps each byte to a base32 character (lower-case RFC 4648 alphabet), for bytes.translate.
_B32_TABLE = bytes(ord("abcdefghijklmnopqrstuvwxyz234567"[b % 32]) for b in range(256))


def _b32(size: int, length: int, *parts: object) -> str:
    return _bytes(max(size, length), *parts).translate(_B32_TABLE)[:length].decode()


def _b64url(size: int, length: int, *parts: object) -> str:
    return base64.urlsafe_b64encode(_bytes(size, *parts)).decode()[:length]


def mastodon_id(at: datetime, seed: object, key: object) -> str:
    """Mastodon "snowflake" status id: milliseconds since 1970 shifted by 16 bits + sequence."""
    millis = int(at.timestamp() * 1000)
    return str((millis << 16) | (digest(seed, "masto", key) & 0xFFFF))


def bluesky_tid(at: datetime, seed: object, key: object) -> str:
    """AT Protocol TID (record key): 53-bit microseconds + 10-bit clock id, base32-sortable."""
    micros = int(at.timestamp() * 1_000_000) & ((1 << 53) - 1)
    value = (micros << 10) | (digest(seed, "tid", key) & 0x3FF)
    return _encode(value, _B32_SORTABLE, 13)


def bluesky_did(seed: object, key: object) -> str:
    """A did:plc identifier (24 base32 characters)."""
    return "did:plc:" + _b32(15, 24, seed, "did", key)


def bluesky_cid(seed: object, key: object) -> str:
    """A CIDv1 (dag-cbor, sha-256) as the base32 string Bluesky shows: "bafyrei" + 52 chars."""
    return "bafyrei" + _b32(33, 52, seed, "cid", key)


def reddit_id(seed: object, key: object, length: int = 7) -> str:
    """A Reddit base-36 id (without the t1_/t3_ prefix)."""
    return _encode(digest(seed, "reddit", key), _B36, length)


def youtube_video_id(seed: object, key: object) -> str:
    return _b64url(9, 11, seed, "ytv", key)


def youtube_channel_id(seed: object, key: object) -> str:
    return "UC" + _b64url(18, 22, seed, "ytc", key)


def youtube_comment_id(seed: object, key: object) -> str:
    """A top-level comment id such as ``UgzE4Lk...4AaABAg``."""
    return "Ugz" + _b64url(15, 20, seed, "ytcm", key) + "4AaABAg"


def youtube_reply_id(parent_id: str, seed: object, key: object) -> str:
    """A reply's id is its parent's id, a dot and 22 more characters."""
    return f"{parent_id}.{_b64url(18, 22, seed, 'ytr', key)}"


def slug(text: str, limit: int = 60) -> str:
    """URL slug of a title: lower-case ASCII words joined by dashes."""
    out = []
    for char in fold(text):
        out.append(char if char.isascii() and char.isalnum() else "-")
    words = [w for w in "".join(out).split("-") if w]
    result = ""
    for word in words:
        if len(result) + len(word) + 1 > limit:
            break
        result = f"{result}-{word}" if result else word
    return result or "article"
