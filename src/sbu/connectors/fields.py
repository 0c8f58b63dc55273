"""Validating accessors for untrusted platform JSON.

Mappers read payloads through these helpers instead of bare ``dict[...]`` chains, so a missing
or mistyped field becomes a :class:`BadPayload` that names the field and what was expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from sbu.core.errors import BadPayload


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
        if cleaned.lstrip("-").isdigit():
            return int(cleaned)
    msg = f"The field {name!r} must be a whole number, not {value!r}."
    raise BadPayload(msg)


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
    if text.replace(".", "", 1).isdigit():
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
