"""Credentials encrypted at rest, and shown only masked.

A connector's source configuration model marks its credentials as ``pydantic.SecretStr`` fields
(an access token, a client secret, an app password). sbu never stores those fields in the
source's plain ``config``: :func:`split_secrets` takes them out, and :class:`CredentialBox`
encrypts them together into the source's ``credentials`` column (Fernet: AES-128-CBC with an
HMAC-SHA256, from the ``cryptography`` package). The key is derived with HKDF-SHA256 from
``SBU_CREDENTIALS__KEY``; keys used before (``SBU_CREDENTIALS__PREVIOUS_KEYS``) still decrypt,
so a key can be rotated and the stored credentials re-encrypted with ``sbu sources rekey``.

After saving, a credential is only ever shown masked (:func:`mask`): the last four characters of
long values, so an administrator can tell which token is in place, and nothing of short ones.
"""

from __future__ import annotations

import base64
import types
import typing
from collections.abc import Mapping
from typing import Any

import orjson
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, SecretStr

from sbu.core.errors import ConfigError
from sbu.settings import CredentialSettings

_INFO = b"sbu source credentials v1"
#: Values at least this long show their last four characters when masked.
MASK_REVEAL_FROM = 16
MASK = "••••••••"


def _fernet(key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


class CredentialBox:
    """Encrypts and decrypts the credentials of sources with the configured keys."""

    def __init__(self, settings: CredentialSettings) -> None:
        keys = [settings.key, *settings.previous_keys]
        self._current = _fernet(settings.key.get_secret_value())
        self._all = MultiFernet([self._current, *(_fernet(k.get_secret_value()) for k in keys[1:])])

    def seal(self, values: Mapping[str, str]) -> str | None:
        """The encrypted form of ``values`` (None when there is nothing to keep)."""
        if not values:
            return None
        return self._current.encrypt(orjson.dumps(dict(sorted(values.items())))).decode("ascii")

    def open(self, sealed: str | None, *, owner: str) -> dict[str, str]:
        """The credentials sealed by :meth:`seal`; ``owner`` names them in errors."""
        if not sealed:
            return {}
        try:
            data = self._all.decrypt(sealed.encode("ascii"))
        except (InvalidToken, ValueError):
            msg = (
                f"The stored credentials of {owner} cannot be decrypted with "
                "SBU_CREDENTIALS__KEY: set the key they were saved with (or list it in "
                "SBU_CREDENTIALS__PREVIOUS_KEYS), or enter the credentials again."
            )
            raise ConfigError(msg) from None
        values = orjson.loads(data)
        return {str(k): str(v) for k, v in values.items()}

    def reseal(self, sealed: str | None, *, owner: str) -> str | None:
        """The same credentials encrypted with the current key (for key rotation)."""
        return self.seal(self.open(sealed, owner=owner))


def secret_fields(model: type[BaseModel]) -> list[str]:
    """Names of the fields of a configuration model that hold credentials (``SecretStr``)."""
    return [name for name, field in model.model_fields.items() if _holds_secret(field.annotation)]


def _holds_secret(annotation: Any) -> bool:
    if annotation is SecretStr:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return any(_holds_secret(arg) for arg in typing.get_args(annotation))
    return False


def split_secrets(model: BaseModel) -> tuple[dict[str, Any], dict[str, str]]:
    """A validated configuration as (plain JSON with each credential replaced by its mask, or
    None when unset; the credentials)."""
    names = secret_fields(type(model))
    plain = model.model_dump(mode="json", exclude=set(names))
    secrets: dict[str, str] = {}
    for name in names:
        value = getattr(model, name)
        if isinstance(value, SecretStr) and value.get_secret_value():
            secrets[name] = value.get_secret_value()
            plain[name] = mask(secrets[name])
        else:
            plain[name] = None
    return plain, secrets


def with_secrets(config: Mapping[str, Any], secrets: Mapping[str, str]) -> dict[str, Any]:
    """A stored configuration with its credentials put back, ready for the connector's model
    (masks without a stored credential are dropped)."""
    data = {
        name: value
        for name, value in config.items()
        if not (isinstance(value, str) and value.startswith(MASK))
    }
    data.update(secrets)
    return data


def mask(value: str) -> str:
    """``••••••••a1b2`` for long values, ``••••••••`` for short ones."""
    if len(value) >= MASK_REVEAL_FROM:
        return MASK + value[-4:]
    return MASK
