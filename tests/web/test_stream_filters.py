"""The Stream's filters read from strings, with sentences for what cannot be used."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sbu.web.locales import load_translations
from sbu.web.stream_filters import (
    FilterError,
    RawFilters,
    build_filters,
    check_cursor,
    parse_flag,
    parse_moment,
)


def test_empty_values_mean_no_filter() -> None:
    filters = build_filters(RawFilters(source="", platform=" ", q="", originals=""))
    assert filters.is_empty()


def test_values_are_cleaned() -> None:
    filters = build_filters(
        RawFilters(source="3", platform=" Mastodon ", language="fr", q="  panne ", originals="on")
    )
    assert filters.source_id == 3
    assert filters.platform == "mastodon"
    assert filters.language == "fr"
    assert filters.q == "panne"
    assert filters.originals_only is True


def test_a_day_covers_the_whole_utc_day() -> None:
    filters = build_filters(RawFilters(date_from="2026-11-01", date_to="2026-11-02"))
    assert filters.since == datetime(2026, 11, 1, tzinfo=UTC)
    assert filters.until == datetime(2026, 11, 3, tzinfo=UTC)


def test_times_need_a_zone_and_are_converted_to_utc() -> None:
    assert parse_moment("2026-11-01T10:00:00+02:00", end=False, field="from") == datetime(
        2026, 11, 1, 8, tzinfo=UTC
    )
    assert parse_moment("2026-11-01T10:00:00Z", end=True, field="to") == datetime(
        2026, 11, 1, 10, tzinfo=UTC
    )
    with pytest.raises(FilterError, match="time with its zone"):
        parse_moment("2026-11-01T10:00:00", end=False, field="from")


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-13-01", "2026-02-30", "01/11/2026", "x" * 500]
)
def test_unreadable_dates_say_what_to_send(value: str) -> None:
    with pytest.raises(FilterError) as caught:
        build_filters(RawFilters(date_from=value))
    assert caught.value.field == "from"
    assert "send a day like 2026-11-28" in caught.value.message
    assert len(caught.value.message) < 250


def test_a_reversed_range_is_refused() -> None:
    with pytest.raises(FilterError, match="swap the two dates"):
        build_filters(RawFilters(date_from="2026-11-05", date_to="2026-11-01"))


def test_flags_sources_and_search_length() -> None:
    assert parse_flag("1", "x") is True
    assert parse_flag("false", "x") is False
    assert parse_flag(None, "x") is False
    with pytest.raises(FilterError, match="1 \\(yes\\) or 0 \\(no\\)"):
        parse_flag("maybe", "originals")
    with pytest.raises(FilterError, match="number of a source"):
        build_filters(RawFilters(source="tests"))
    with pytest.raises(FilterError, match="at most 200 characters"):
        build_filters(RawFilters(q="x" * 201))


def test_cursors_are_checked() -> None:
    assert check_cursor("1795856220.000000_5", "before") == "1795856220.000000_5"
    assert check_cursor("", "before") is None
    with pytest.raises(FilterError, match="cursor 'after' is not valid"):
        check_cursor("nope", "after")


def test_messages_are_translated_with_the_gettext_given() -> None:
    french = load_translations()["fr"].gettext
    with pytest.raises(FilterError) as caught:
        build_filters(RawFilters(date_to="demain"), french)
    assert caught.value.message.startswith("La valeur « demain » de « to » n'est pas une date")


def test_the_topic_is_a_number() -> None:
    assert build_filters(RawFilters(topic=" 12 ")).topic_id == 12
    assert build_filters(RawFilters(topic="")).topic_id is None
    with pytest.raises(FilterError) as refused:
        build_filters(RawFilters(topic="ondine"))
    assert refused.value.field == "topic"
    assert "number of a topic" in refused.value.message
