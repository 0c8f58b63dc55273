"""Credentials encrypted at rest and shown masked."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, SecretStr

from sbu.core.credentials import (
    MASK,
    CredentialBox,
    mask,
    secret_fields,
    split_secrets,
    with_secrets,
)
from sbu.core.errors import ConfigError
from sbu.settings import CredentialSettings

KEY = "first-key-0123456789-0123456789-0123456789"
NEW_KEY = "second-key-0123456789-0123456789-012345678"


def box(key: str = KEY, *previous: str) -> CredentialBox:
    return CredentialBox(
        CredentialSettings(key=SecretStr(key), previous_keys=[SecretStr(p) for p in previous])
    )


class Config(BaseModel):
    instance: str
    access_token: SecretStr | None = None
    client_secret: SecretStr
    limit: int = 40


def test_sealed_credentials_open_again_and_do_not_show_the_values() -> None:
    sealed = box().seal({"access_token": "tok-abcdef-123456", "client_secret": "s3cr3t"})
    assert sealed is not None
    assert "tok-abcdef" not in sealed
    assert "s3cr3t" not in sealed
    assert box().open(sealed, owner="the source 'x'") == {
        "access_token": "tok-abcdef-123456",
        "client_secret": "s3cr3t",
    }
    # Each sealing is different (random IV), so equal values cannot be spotted in the database.
    assert box().seal({"a": "b"}) != box().seal({"a": "b"})


def test_nothing_to_seal_is_none() -> None:
    assert box().seal({}) is None
    assert box().open(None, owner="x") == {}


def test_a_wrong_key_is_a_sentence_naming_the_source_and_the_settings() -> None:
    sealed = box().seal({"access_token": "t"})
    with pytest.raises(ConfigError) as caught:
        box(NEW_KEY).open(sealed, owner="the source 'Mastodon FR'")
    message = str(caught.value)
    assert "the source 'Mastodon FR'" in message
    assert "SBU_CREDENTIALS__KEY" in message
    assert "SBU_CREDENTIALS__PREVIOUS_KEYS" in message
    with pytest.raises(ConfigError):
        box().open("not a token", owner="x")


def test_rotation_reads_with_a_previous_key_and_reseals_with_the_current_one() -> None:
    old = box().seal({"access_token": "t"})
    rotated = box(NEW_KEY, KEY)
    assert rotated.open(old, owner="x") == {"access_token": "t"}
    resealed = rotated.reseal(old, owner="x")
    assert box(NEW_KEY).open(resealed, owner="x") == {"access_token": "t"}
    with pytest.raises(ConfigError):
        box().open(resealed, owner="x")


def test_secret_fields_are_the_secretstr_ones_optional_or_not() -> None:
    assert secret_fields(Config) == ["access_token", "client_secret"]


def test_split_secrets_masks_credentials_in_the_plain_config() -> None:
    model = Config(
        instance="https://m.example",
        access_token=SecretStr("token-0123456789-wxyz"),
        client_secret=SecretStr("short"),
    )
    plain, secrets = split_secrets(model)
    assert plain == {
        "instance": "https://m.example",
        "limit": 40,
        "access_token": MASK + "wxyz",
        "client_secret": MASK,
    }
    assert secrets == {"access_token": "token-0123456789-wxyz", "client_secret": "short"}
    unset = Config(instance="x", client_secret=SecretStr("s"))
    assert split_secrets(unset)[0]["access_token"] is None


def test_with_secrets_puts_credentials_back_and_drops_orphan_masks() -> None:
    plain = {"instance": "x", "access_token": MASK + "wxyz", "client_secret": MASK}
    assert with_secrets(plain, {"client_secret": "s"}) == {"instance": "x", "client_secret": "s"}


def test_masks_show_the_end_of_long_values_only() -> None:
    assert mask("0123456789abcdefXYZW") == MASK + "XYZW"
    assert mask("short-secret") == MASK
