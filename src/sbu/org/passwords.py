"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sbu.core.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 256

# argon2id with the library's defaults (RFC 9106 "low memory" profile: t=3, m=64 MiB, p=4).
_HASHER = PasswordHasher()
#: Verified against when the email is unknown, so both answers take the same time.
DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def check_password_rules(password: str, *, email: str = "", name: str = "") -> None:
    """Raise InvalidInput with a sentence when a new password is too weak."""
    if len(password) < MIN_LENGTH:
        msg = f"The password must have at least {MIN_LENGTH} characters; a few words in a row are easy to remember."
        raise InvalidInput(msg)
    if len(password) > MAX_LENGTH:
        msg = f"The password must have at most {MAX_LENGTH} characters."
        raise InvalidInput(msg)
    lowered = password.lower()
    parts = {email.split("@")[0].lower(), name.lower(), *name.lower().split()}
    for part in parts:
        if len(part) >= 4 and part in lowered:
            msg = "The password must not contain your name or your email address."
            raise InvalidInput(msg)
    if len(set(password)) < 5:
        msg = "The password repeats too few different characters: choose a less predictable one."
        raise InvalidInput(msg)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always spends the time of one verification."""
    try:
        return _HASHER.verify(password_hash or DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


def generate_password() -> str:
    """A random password for a first admin or a reset: 20 URL-safe characters."""
    return secrets.token_urlsafe(15)
