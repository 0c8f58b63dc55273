"""Validating accessors for untrusted platform JSON.

Mappers read payloads through these helpers instead of bare ``dict[...]`` chains, so a missing
or mistyped field becomes a :class:`BadPayload` that names the field and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from sbu.core.errors import BadPayload

# ASCII digits only: str.isdigit() also accepts "²" or "١", which int() and float() refuse.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+", re.ASCII)
_TIMESTAMP = re.compile(r"[0-9]+(?:\.[0-9]*)?", re.ASCII)
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9\-_]*)?", re.ASCII)
#: ISO 639 codes that name no language: undetermined, none, multiple, uncoded.
_NO_LANGUAGE = frozenset({"und", "zxx", "mul", "mis"})


def obj(payload: Mapping[str, Any], name: str, *, required: bool = False) -> Mapping[str, Any]:
    value = payload.get(name)
    if value is None:
        if required:
            msg = f"The field {name!r} is missing; it must be an object."
            raise BadPayload(msg)
        return {}
    if not isinstance(value, Mapping):
        msg = f"The field {name!r} must be an object, not {type(value).__name__}."
        raise BadPayload(msg)
    return value


def req_str(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if value is None or value == "":
        msg = f"The field {name!r} is missing or empty."
        raise BadPayload(msg)
    if isinstance(value, bool) or not isinstance(value, str | int):
        msg = f"The field {name!r} must be a string, not {type(value).__name__}."
        raise BadPayload(msg)
    return str(value)


def opt_str(payload: Mapping[str, Any], name: str) -> str | None:
    value = payload.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        msg = f"The field {name!r} must be a string, not {type(value).__name__}."
        raise BadPayload(msg)
    return str(value)


def opt_int(payload: Mapping[str, Any], name: str) -> int | None:
    value = payload.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        msg = f"The field {name!r} must be a whole number, not a boolean."
        raise BadPayload(msg)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(",", "").replace("_", "")
        if _WHOLE_NUMBER.fullmatch(cleaned):
            return int(cleaned)
    msg = f"The field {name!r} must be a whole number, not {value!r}."
    raise BadPayload(msg)


def language(value: Any) -> str | None:
    """The primary subtag of a language tag, lower-cased (``"fr-FR"`` → ``"fr"``, ``"EN_us"`` →
    ``"en"``), so one language is one value whatever the platform writes; None when ``value``
    is not a language tag or names no language (``und``, ``zxx``)."""
    if not isinstance(value, str):
        return None
    match = _LANGUAGE_TAG.fullmatch(value.strip())
    if match is None:
        return None
    code = match.group(1).lower()
    return None if code in _NO_LANGUAGE else code


def metrics(payload: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, int]:
    """Pick whole-number counters: ``names`` maps our metric name to the payload's field."""
    found: dict[str, int] = {}
    for ours, theirs in names.items():
        value = opt_int(payload, theirs)
        if value is not None:
            if value < 0:
                msg = f"The counter {theirs!r} is negative ({value})."
                raise BadPayload(msg)
            found[ours] = value
    return found


def parse_time(value: Any, name: str, *, assume: tzinfo | None = None) -> datetime:
    """Read an ISO 8601 string or a UNIX timestamp (seconds or milliseconds) as aware UTC."""
    if value is None or value == "":
        msg = f"The field {name!r} is missing; it must be a date and time."
        raise BadPayload(msg)
    if isinstance(value, bool):
        msg = f"The field {name!r} must be a date and time, not a boolean."
        raise BadPayload(msg)
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            msg = f"The field {name!r} holds the timestamp {value!r}, which is out of range."
            raise BadPayload(msg) from exc
    if not isinstance(value, str):
        msg = f"The field {name!r} must be a date and time, not {type(value).__name__}."
        raise BadPayload(msg)
    text = value.strip()
    if _TIMESTAMP.fullmatch(text):
        return parse_time(float(text), name, assume=assume)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        msg = (
            f"The field {name!r} holds {text[:40]!r}, which is not an ISO 8601 date and time "
            "(for example 2026-11-28T09:30:00Z)."
        )
        raise BadPayload(msg) from exc
    if parsed.tzinfo is None:
        if assume is None:
            msg = (
                f"The field {name!r} holds {text[:40]!r} without a time zone; add one "
                "(for example 2026-11-28T09:30:00Z) or import with --timezone Europe/Paris."
            )
            raise BadPayload(msg)
        parsed = parsed.replace(tzinfo=assume)
    return parsed.astimezone(UTC)
