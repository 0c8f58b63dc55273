"""API token values: generated here, shown once, stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "sbu_"  # noqa: S105 - the public prefix of every token, not a secret
#: Characters of the token kept in clear to recognise it in lists.
SHOWN_PREFIX = 10
SCOPES = ("read", "write", "admin")


def new_token() -> str:
    return f"{TOKEN_PREFIX}{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX) and 20 <= len(value) <= 100
