"""API token values: random, prefixed, stored as SHA-256."""

from __future__ import annotations

import hashlib

from sbu.org.tokens import (
    SCOPES,
    SHOWN_PREFIX,
    TOKEN_PREFIX,
    looks_like_token,
    new_token,
    token_hash,
)


def test_new_tokens_are_prefixed_random_and_url_safe() -> None:
    values = {new_token() for _ in range(100)}
    assert len(values) == 100
    for value in values:
        assert value.startswith(TOKEN_PREFIX)
        assert len(value) == len(TOKEN_PREFIX) + 43  # 32 random bytes in URL-safe base64
        assert set(value[len(TOKEN_PREFIX) :]) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )
        assert looks_like_token(value)


def test_the_hash_is_the_sha256_hex_digest() -> None:
    value = new_token()
    assert token_hash(value) == hashlib.sha256(value.encode()).hexdigest()
    assert len(token_hash(value)) == 64
    assert token_hash(value) != token_hash(value + "x")


def test_the_shown_prefix_does_not_reveal_the_token() -> None:
    value = new_token()
    assert len(value[:SHOWN_PREFIX]) == SHOWN_PREFIX
    assert len(value) - SHOWN_PREFIX >= 32  # 190+ secret bits stay hidden


def test_looks_like_token_refuses_other_shapes() -> None:
    assert not looks_like_token("")
    assert not looks_like_token("sbu_short")
    assert not looks_like_token("ghp_" + "a" * 40)
    assert not looks_like_token("sbu_" + "a" * 200)
    assert not looks_like_token("Bearer sbu_" + "a" * 40)


def test_the_scopes() -> None:
    assert SCOPES == ("read", "write", "admin")
