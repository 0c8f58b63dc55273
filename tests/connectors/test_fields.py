"""Validating accessors for untrusted platform JSON: values, refusals and their sentences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sbu.connectors.fields import language, metrics, obj, opt_int, opt_str, parse_time, req_str
from sbu.core.errors import BadPayload

PARIS = ZoneInfo("Europe/Paris")


# obj -----------------------------------------------------------------------------------------


def test_obj_returns_the_nested_object() -> None:
    assert obj({"account": {"acct": "gwenola"}}, "account") == {"acct": "gwenola"}


def test_obj_gives_an_empty_object_when_absent_or_null() -> None:
    assert obj({}, "reblog") == {}
    assert obj({"reblog": None}, "reblog") == {}


def test_obj_required_names_the_missing_field() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'account' is missing; it must be an object\.$"
    ):
        obj({"account": None}, "account", required=True)


@pytest.mark.parametrize(("value", "kind"), [("gwenola", "str"), ([1], "list"), (3, "int")])
def test_obj_refuses_what_is_not_an_object(value: Any, kind: str) -> None:
    with pytest.raises(BadPayload, match=rf"^The field 'author' must be an object, not {kind}\.$"):
        obj({"author": value}, "author")


# req_str and opt_str -------------------------------------------------------------------------


def test_req_str_reads_strings_and_integer_ids() -> None:
    assert req_str({"id": "t3_1h0q9fa"}, "id") == "t3_1h0q9fa"
    assert req_str({"id": 113530207364418234}, "id") == "113530207364418234"


@pytest.mark.parametrize("payload", [{}, {"uri": None}, {"uri": ""}])
def test_req_str_names_a_missing_or_empty_field(payload: dict[str, Any]) -> None:
    with pytest.raises(BadPayload, match=r"^The field 'uri' is missing or empty\.$"):
        req_str(payload, "uri")


@pytest.mark.parametrize(("value", "kind"), [(True, "bool"), (1.5, "float"), ({}, "dict")])
def test_req_str_refuses_other_types(value: Any, kind: str) -> None:
    with pytest.raises(BadPayload, match=rf"^The field 'uri' must be a string, not {kind}\.$"):
        req_str({"uri": value}, "uri")


def test_opt_str_reads_strings_and_numbers_and_skips_absent_values() -> None:
    assert opt_str({"lang": "fr"}, "lang") == "fr"
    assert opt_str({"id": 42}, "id") == "42"
    assert opt_str({"v": 2.5}, "v") == "2.5"
    assert opt_str({}, "lang") is None
    assert opt_str({"lang": None}, "lang") is None
    assert opt_str({"lang": ""}, "lang") is None


@pytest.mark.parametrize(("value", "kind"), [(False, "bool"), (["fr"], "list"), ({}, "dict")])
def test_opt_str_refuses_other_types(value: Any, kind: str) -> None:
    with pytest.raises(BadPayload, match=rf"^The field 'lang' must be a string, not {kind}\.$"):
        opt_str({"lang": value}, "lang")


# opt_int -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        (-3, -3),
        (12.0, 12),
        ("48210", 48210),
        (" 7 ", 7),
        ("1,834", 1834),
        ("1_000", 1000),
        ("-4", -4),
        (None, None),
        ("", None),
    ],
)
def test_opt_int_reads_whole_numbers_in_their_usual_spellings(
    value: Any, expected: int | None
) -> None:
    assert opt_int({"likeCount": value}, "likeCount") == expected


def test_opt_int_refuses_booleans_with_a_sentence() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'likeCount' must be a whole number, not a boolean\.$"
    ):
        opt_int({"likeCount": True}, "likeCount")


@pytest.mark.parametrize("value", [1.5, "douze", "1.5", "--5", "²", "١٢", "-", [], float("nan")])
def test_opt_int_refuses_what_is_not_a_whole_number(value: Any) -> None:
    with pytest.raises(BadPayload) as caught:
        opt_int({"likeCount": value}, "likeCount")
    assert str(caught.value) == f"The field 'likeCount' must be a whole number, not {value!r}."


# language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr", "fr"),
        ("fr-FR", "fr"),
        ("EN_us", "en"),
        (" pt-BR ", "pt"),
        ("zh-Hant-TW", "zh"),
        ("fra", "fra"),
        ("und", None),
        ("zxx", None),
        ("français", None),
        ("", None),
        (None, None),
        (["fr"], None),
    ],
)
def test_language_keeps_the_primary_subtag(value: Any, expected: str | None) -> None:
    assert language(value) == expected


# metrics -------------------------------------------------------------------------------------


def test_metrics_renames_counters_and_skips_absent_ones() -> None:
    payload = {"favourites_count": 21, "reblogs_count": "7", "replies_count": None}
    names = {
        "likes": "favourites_count",
        "reposts": "reblogs_count",
        "replies": "replies_count",
        "quotes": "quotes_count",
    }
    assert metrics(payload, names) == {"likes": 21, "reposts": 7}


def test_metrics_refuses_a_negative_counter_naming_it() -> None:
    with pytest.raises(BadPayload, match=r"^The counter 'likeCount' is negative \(-1\)\.$"):
        metrics({"likeCount": -1}, {"likes": "likeCount"})


def test_metrics_refuses_a_non_number_naming_the_field() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'viewCount' must be a whole number, not 'beaucoup'\.$"
    ):
        metrics({"viewCount": "beaucoup"}, {"views": "viewCount"})


# parse_time ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-27T18:42:07Z", datetime(2026, 11, 27, 18, 42, 7, tzinfo=UTC)),
        ("2026-11-27T18:42:07.512Z", datetime(2026, 11, 27, 18, 42, 7, 512000, tzinfo=UTC)),
        ("2026-11-27T19:42:07+01:00", datetime(2026, 11, 27, 18, 42, 7, tzinfo=UTC)),
        ("2026-11-27 13:42:07-05:00", datetime(2026, 11, 27, 18, 42, 7, tzinfo=UTC)),
        ("  2026-11-27T18:42:07+00:00\n", datetime(2026, 11, 27, 18, 42, 7, tzinfo=UTC)),
    ],
)
def test_parse_time_reads_iso_8601_with_a_zone_as_utc(value: str, expected: datetime) -> None:
    parsed = parse_time(value, "created_at")
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


def test_parse_time_refuses_a_date_without_zone_and_says_what_to_do() -> None:
    with pytest.raises(BadPayload) as caught:
        parse_time("2026-11-27T18:42:07", "created_at")
    message = str(caught.value)
    assert message.startswith(
        "The field 'created_at' holds '2026-11-27T18:42:07' without a time zone"
    )
    assert "--timezone Europe/Paris" in message


def test_parse_time_applies_the_assumed_zone_to_dates_without_one() -> None:
    # 27 November: Paris is at UTC+1 (winter time); 27 July: UTC+2 (summer time).
    assert parse_time("2026-11-27T19:42:07", "created_at", assume=PARIS) == datetime(
        2026, 11, 27, 18, 42, 7, tzinfo=UTC
    )
    assert parse_time("2026-07-27T19:42:07", "created_at", assume=PARIS) == datetime(
        2026, 7, 27, 17, 42, 7, tzinfo=UTC
    )
    # A date that has its own zone keeps it.
    assert parse_time("2026-11-27T19:42:07Z", "created_at", assume=PARIS) == datetime(
        2026, 11, 27, 19, 42, 7, tzinfo=UTC
    )


def test_parse_time_returns_utc_even_from_another_zone() -> None:
    parsed = parse_time("2026-11-27T19:42:07", "t", assume=timezone(timedelta(hours=5)))
    assert parsed.tzinfo is UTC
    assert parsed == datetime(2026, 11, 27, 14, 42, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [1795804934, 1795804934.0, "1795804934", "1795804934.0", 1795804934000, "1795804934000"],
)
def test_parse_time_reads_unix_seconds_and_milliseconds(value: Any) -> None:
    assert parse_time(value, "created_utc") == datetime(2026, 11, 27, 18, 42, 14, tzinfo=UTC)


def test_parse_time_keeps_fractions_of_seconds_and_milliseconds() -> None:
    assert parse_time(1795804934.25, "t") == datetime(2026, 11, 27, 18, 42, 14, 250000, tzinfo=UTC)
    assert parse_time(1795804934250, "t") == datetime(2026, 11, 27, 18, 42, 14, 250000, tzinfo=UTC)


@pytest.mark.parametrize("value", [10**17, 1795766112408113 * 1000, float("inf"), "9" * 400])
def test_parse_time_refuses_out_of_range_timestamps_naming_the_field(value: Any) -> None:
    with pytest.raises(
        BadPayload,
        match=r"^The field 'created_utc' holds the timestamp .* which is out of range\.$",
    ):
        parse_time(value, "created_utc")


def test_parse_time_refuses_nan() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'created_utc' holds the timestamp nan"):
        parse_time(float("nan"), "created_utc")


@pytest.mark.parametrize("value", [True, False])
def test_parse_time_refuses_booleans(value: bool) -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'created_at' must be a date and time, not a boolean\.$"
    ):
        parse_time(value, "created_at")


@pytest.mark.parametrize("value", [None, ""])
def test_parse_time_names_a_missing_date(value: Any) -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'record.createdAt' is missing; it must be a date and time\.$"
    ):
        parse_time(value, "record.createdAt")


@pytest.mark.parametrize(("value", "kind"), [([2026, 11, 27], "list"), ({"y": 2026}, "dict")])
def test_parse_time_refuses_other_types(value: Any, kind: str) -> None:
    with pytest.raises(
        BadPayload, match=rf"^The field 'created_at' must be a date and time, not {kind}\.$"
    ):
        parse_time(value, "created_at")


@pytest.mark.parametrize(
    "value", ["hier soir", "27/11/2026 18:42", "2026-13-45T00:00:00Z", "²", "1e9"]
)
def test_parse_time_refuses_text_that_is_not_a_date_with_an_example(value: str) -> None:
    with pytest.raises(BadPayload) as caught:
        parse_time(value, "created_at")
    message = str(caught.value)
    assert message.startswith(f"The field 'created_at' holds {value!r}, which is not an ISO 8601")
    assert "2026-11-28T09:30:00Z" in message


def test_parse_time_quotes_at_most_40_characters_of_a_bad_value() -> None:
    with pytest.raises(BadPayload) as caught:
        parse_time("x" * 5000, "created_at")
    assert "x" * 41 not in str(caught.value)
    assert "x" * 40 in str(caught.value)
