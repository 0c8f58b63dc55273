"""Checks that several connectors' source configurations share, and their sentences.

Each check takes the pydantic error code of the connector that uses it (``mastodon_limit``,
``bluesky_query``...), so that errors keep naming their connector. Messages end without a full
stop, as sbu lists them after "is invalid: field: ...", and never quote a secret.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar
from urllib.parse import SplitResult, urlsplit

from pydantic import BaseModel, SecretStr
from pydantic_core import PydanticCustomError

ConfigT = TypeVar("ConfigT", bound=BaseModel)


def source_config(config: BaseModel, model: type[ConfigT]) -> ConfigT:
    """``config`` as a ``model`` (another model's copy of it is validated again)."""
    if isinstance(config, model):
        return config
    return model.model_validate(config.model_dump())


def one_of(
    value: Any, choices: Collection[str], *, code: str, message: str, cut: int | None = None
) -> Any:
    """``value`` trimmed and in lower case when it is one of ``choices``; else an error
    whose ``message`` quotes what was given as ``{value}`` (its repr, cut to ``cut``
    characters)."""
    text = value.strip().lower() if isinstance(value, str) else value
    if text not in choices:
        shown = repr(value) if cut is None else repr(value)[:cut]
        raise PydanticCustomError(code, message, {"value": shown})
    return text


def stream_from_mode(data: Any, live_mode: str) -> Any:
    """A source's input with ``stream`` set from its mode when left out: true for
    ``live_mode`` (the mode that follows the platform live), false for the others."""
    if isinstance(data, Mapping) and data.get("stream") is None:
        mode = data.get("mode")
        live = isinstance(mode, str) and mode.strip().lower() == live_mode
        return {**data, "stream": live}
    return data


def folded(value: str | None) -> str | None:
    """``value`` with each run of white space made one space; None when blank or left out."""
    if value is None or not value.strip():
        return None
    return " ".join(value.split())


def short_query(value: str | None, *, code: str, most: int = 500) -> str | None:
    """An optional query on one line, refused when longer than ``most`` characters."""
    query = folded(value)
    if query is not None and len(query) > most:
        raise PydanticCustomError(
            code,
            f"the query is {{length}} characters long: keep it under {most} characters",
            {"length": len(query)},
        )
    return query


def page_size(value: int, *, code: str, most: int, platform: str, things: str) -> int:
    """A page size from 1 to ``most``, what ``platform`` serves of its ``things`` a page."""
    if not 1 <= value <= most:
        raise PydanticCustomError(
            code,
            f"the page size {{value}} is out of range: use 1 to {most} ({platform} serves at "
            f"most {most} {things} a page)",
            {"value": value},
        )
    return value


def optional_secret(value: SecretStr | None) -> SecretStr | None:
    """A secret without the white space around it; None when blank or left out."""
    if value is None or not value.get_secret_value().strip():
        return None
    return SecretStr(value.get_secret_value().strip())


def required_secret(
    value: SecretStr,
    *,
    code: str,
    message: str,
    context: Mapping[str, Any] | None = None,
    schemes: tuple[str, ...] = (),
) -> SecretStr:
    """A secret without the white space around it, nor one of the authorization ``schemes``
    pasted in front of it (``Bearer``); an error with ``message`` when nothing is left."""
    secret = value.get_secret_value().strip()
    if schemes and secret.lower().startswith(tuple(f"{scheme} " for scheme in schemes)):
        secret = secret.split(None, 1)[1].strip()
    if not secret:
        raise PydanticCustomError(code, message, dict(context) if context else None)
    return SecretStr(secret)


def https_address(text: str) -> SplitResult:
    """``text`` split as an address, read as ``https://`` when it names no scheme (a host)."""
    return urlsplit(text if "://" in text else f"https://{text}")
