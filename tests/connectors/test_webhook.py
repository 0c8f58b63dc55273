"""Signing, verifying and reading the items of the signed webhook."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import SecretStr, ValidationError

from sbu.connectors.webhook import (
    MAX_ITEMS,
    WebhookSourceConfig,
    parse_items,
    signature,
    verify,
)
from sbu.core.errors import InvalidInput, Unauthenticated

SECRET = "webhook-secret-0123456789-0123456789"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
STAMP = str(int(NOW.timestamp()))
CONFIG = WebhookSourceConfig(signing_secret=SecretStr(SECRET))


def headers(body: bytes, stamp: str = STAMP, secret: str = SECRET) -> dict[str, str]:
    return {"x-sbu-timestamp": stamp, "x-sbu-signature": signature(secret, stamp, body)}


def test_the_signature_is_the_documented_hmac() -> None:
    # Documented example: echo -n '1764331200.[]' | openssl dgst -sha256 -hmac "$SECRET"
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"1764331200.[]", hashlib.sha256).hexdigest()
    assert signature(SECRET, "1764331200", b"[]") == f"sha256={expected}"


def test_a_correctly_signed_request_passes() -> None:
    body = b'[{"id": "1"}]'
    verify(CONFIG, headers(body), body, NOW)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda b: {}, "Sign the request"),
        (lambda b: {"x-sbu-timestamp": STAMP}, "Sign the request"),
        (lambda b: {**headers(b), "x-sbu-timestamp": "yesterday"}, "Unix seconds"),
        (lambda b: headers(b, secret="another-secret-0123456789-0123456789"), "does not match"),
        (lambda b: headers(b + b" "), "does not match"),
        (lambda b: headers(b, stamp=str(int(NOW.timestamp()) - 301)), "301 s ago"),
        (lambda b: headers(b, stamp=str(int(NOW.timestamp()) + 400)), "400 s ahead"),
    ],
)
def test_bad_signatures_are_refused_with_what_is_wrong(make: object, message: str) -> None:
    body = b'[{"id": "1"}]'
    with pytest.raises(Unauthenticated, match=message) as caught:
        verify(CONFIG, make(body), body, NOW)  # type: ignore[operator]
    assert SECRET not in str(caught.value)


def test_the_replay_window_is_the_sources() -> None:
    body = b"[]"
    wide = WebhookSourceConfig(signing_secret=SecretStr(SECRET), replay_window_seconds=900)
    old = headers(body, stamp=str(int(NOW.timestamp()) - 600))
    verify(wide, old, body, NOW)
    with pytest.raises(Unauthenticated):
        verify(CONFIG, old, body, NOW)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValidationError, match="32 characters"):
        WebhookSourceConfig(signing_secret=SecretStr("short"))


def test_items_come_from_an_array_or_an_items_object() -> None:
    items, rejected = parse_items(b'[{"id": "1"}, 5, {"id": "2"}]', "sbu")
    assert [i.payload["id"] for i in items] == ["1", "2"]
    assert [i.locator for i in items] == ["item 1", "item 3"]
    assert {i.mapper for i in items} == {"sbu"}
    (bad,) = rejected
    assert bad.locator == "item 2"
    assert "not an object" in bad.reason
    items, _ = parse_items(b'{"items": [{"id": "9"}]}', "mastodon")
    assert items[0].mapper == "mastodon"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"posts": []}', "JSON array of items"),
        (b'"text"', "JSON array of items"),
        (b"[" + b",".join([b"{}"] * (MAX_ITEMS + 1)) + b"]", "at most"),
    ],
)
def test_bodies_that_hold_no_items_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_items(body, "sbu")
