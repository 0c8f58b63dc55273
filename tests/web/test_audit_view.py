"""The audit log's filters and its before/after JSON lines with the changed keys marked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sbu.web.audit_view import (
    AuditFilterError,
    JsonLine,
    build_filters,
    changed_keys,
    json_lines,
)


def test_days_become_a_range_with_the_last_day_included() -> None:
    filters = build_filters({"from": "2026-11-01", "to": "2026-11-28", "actor": "ana"})
    assert filters.since == datetime(2026, 11, 1, tzinfo=UTC)
    assert filters.until == datetime(2026, 11, 29, tzinfo=UTC)
    assert filters.actor == "ana"
    assert filters.action is None
    with pytest.raises(AuditFilterError) as caught:
        build_filters({"to": "28/11/2026"})
    assert caught.value.name == "to"


def test_changed_keys() -> None:
    assert changed_keys({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b", "c"}
    assert changed_keys(None, {"a": 1}) == set()  # a creation: nothing to compare with
    assert changed_keys({"a": 1}, None) == set()
    assert changed_keys(None, None) == set()


def test_json_lines_mark_the_changed_keys() -> None:
    lines = json_lines({"name": "Care <b>", "hours": {"mon": [["09:00", "18:00"]]}}, {"name"})
    assert lines == [
        JsonLine("{", False),
        JsonLine('  "hours": {"mon": [["09:00", "18:00"]]},', False),
        JsonLine('  "name": "Care <b>"', True),
        JsonLine("}", False),
    ]
    assert json_lines({}, set()) == [JsonLine("{}", False)]
    assert json_lines(None, set()) == [JsonLine("null", False)]
