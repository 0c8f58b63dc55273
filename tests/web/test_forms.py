"""Reading form fields: numbers, ids, business hours, holidays, checkboxes."""

from __future__ import annotations

import pytest
from starlette.responses import Response

from sbu.web.forms import (
    FormError,
    checked,
    format_holidays,
    format_hours,
    no_store,
    optional_id,
    parse_holidays,
    parse_hours,
    query_value,
    whole_number,
)


class English:
    def gettext(self, message: str) -> str:
        return message


UI = English()


def test_whole_numbers() -> None:
    assert whole_number(UI, " 12 ", "The headcount") == 12
    assert whole_number(UI, "", "The headcount") == 0
    for bad in ("-1", "1.5", "twelve", "9" * 10):
        with pytest.raises(FormError) as caught:
            whole_number(UI, bad, "The headcount")
        assert (
            caught.value.message
            == "The headcount must be a whole number of at least 0, such as 12."
        )


def test_optional_ids() -> None:
    assert optional_id("42") == 42
    assert optional_id("") is None
    assert optional_id(None) is None
    assert optional_id("4x") is None
    assert optional_id("9" * 30) is None


def test_business_hours_round_trip() -> None:
    assert parse_hours(UI, "9:00-12:00, 14:00 – 18:30", "Monday") == [
        ["09:00", "12:00"], ["14:00", "18:30"],
    ]  # fmt: skip
    assert parse_hours(UI, "  ", "Monday") == []
    assert format_hours([["09:00", "12:00"], ["14:00", "18:30"]]) == "09:00-12:00, 14:00-18:30"
    assert format_hours(None) == ""
    with pytest.raises(FormError) as caught:
        parse_hours(UI, "from nine", "Tuesday")
    assert caught.value.message.startswith("The hours of Tuesday cannot be read")


def test_holidays_and_checkboxes() -> None:
    assert parse_holidays("2026-12-25\n2027-01-01, 2027-05-01;2027-05-08") == [
        "2026-12-25", "2027-01-01", "2027-05-01", "2027-05-08",
    ]  # fmt: skip
    assert parse_holidays("  ") == []
    assert format_holidays(["2026-12-25", "2027-01-01"]) == "2026-12-25\n2027-01-01"
    assert checked("1")
    assert not checked(None)
    assert not checked("")


def test_no_store_and_query_values() -> None:
    assert no_store(Response("secret")).headers["cache-control"] == "no-store"
    assert query_value({"q": "  x  "}, "q") == "x"
    assert query_value({}, "q") == ""
    assert query_value({"q": "y" * 500}, "q", 10) == "y" * 10
