"""The audit log as the page and the API read it: filters from the query, before/after as JSON.

:func:`json_lines` writes an event's ``before`` or ``after`` as indented JSON, one top-level key
per line, each line marked when that key changed between before and after; the template shows
the lines escaped and highlights the marked ones (nothing is rendered as HTML).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sbu.org.queries import AuditFilters

FILTER_NAMES = ("actor", "action", "object_type", "object_id", "from", "to")


class AuditFilterError(ValueError):
    """A filter of the audit log cannot be used (the message names it)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def parse_day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AuditFilterError(name) from None


def build_filters(values: Mapping[str, str]) -> AuditFilters:
    """Filters from text values (a page's query): ``from`` and ``to`` are days, both included."""
    since = parse_day(values.get("from", ""), "from")
    until = parse_day(values.get("to", ""), "to")
    return AuditFilters(
        actor=values.get("actor") or None,
        action=values.get("action") or None,
        object_type=values.get("object_type") or None,
        object_id=values.get("object_id") or None,
        since=datetime.combine(since, time(), UTC) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), UTC) if until else None,
    )


def changed_keys(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> set[str]:
    """Top-level keys whose value differs between before and after (added and removed too).

    A creation (no before) or a removal (no after) changes nothing it could be compared with:
    no key is marked, rather than every one.
    """
    if before is None or after is None:
        return set()
    return {key for key in set(before) | set(after) if before.get(key, ...) != after.get(key, ...)}


@dataclass(frozen=True, slots=True)
class JsonLine:
    text: str
    changed: bool


def json_lines(value: Mapping[str, Any] | None, changed: set[str]) -> list[JsonLine]:
    """``value`` as indented JSON lines, a line per top-level key, changed keys marked."""
    if value is None:
        return [JsonLine("null", False)]
    if not value:
        return [JsonLine("{}", False)]
    keys = sorted(value)
    lines = [JsonLine("{", False)]
    for position, key in enumerate(keys):
        comma = "," if position < len(keys) - 1 else ""
        rendered = json.dumps(value[key], ensure_ascii=False, sort_keys=True)
        lines.append(JsonLine(f"  {json.dumps(key)}: {rendered}{comma}", key in changed))
    lines.append(JsonLine("}", False))
    return lines
