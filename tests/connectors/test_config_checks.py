"""The checks that several connectors' source configurations share, and their sentences."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, SecretStr, field_validator
from pydantic_core import PydanticCustomError

from sbu.connectors.config_checks import (
    folded,
    https_address,
    one_of,
    optional_secret,
    page_size,
    required_secret,
    short_query,
    source_config,
    stream_from_mode,
)


class Listing(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return value.strip()


class OtherListing(BaseModel):
    name: str


def test_a_source_config_is_kept_or_validated_again_as_the_model() -> None:
    mine = Listing(name="ondine")
    assert source_config(mine, Listing) is mine
    other = source_config(OtherListing(name=" ondine "), Listing)
    assert isinstance(other, Listing)
    assert other.name == "ondine"


def test_one_of_a_few_choices_is_trimmed_and_in_lower_case() -> None:
    assert one_of(" Stream ", ("search", "stream"), code="x_mode", message="m {value}") == "stream"


@pytest.mark.parametrize(("cut", "shown"), [(None, "'firehose-of-everything'"), (6, "'fireh")])
def test_another_choice_is_refused_with_what_was_given(cut: int | None, shown: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        one_of(
            "firehose-of-everything",
            ("search",),
            code="x_mode",
            message="the mode {value} is not one sbu knows",
            cut=cut,
        )
    assert caught.value.type == "x_mode"
    assert caught.value.message() == f"the mode {shown} is not one sbu knows"


def test_one_of_refuses_what_is_not_text() -> None:
    with pytest.raises(PydanticCustomError, match="the mode 3 is not one sbu knows"):
        one_of(3, ("search",), code="x_mode", message="the mode {value} is not one sbu knows")


@pytest.mark.parametrize(
    ("data", "stream"),
    [
        ({"mode": "jetstream"}, True),
        ({"mode": " JetStream "}, True),
        ({"mode": "search"}, False),
        ({}, False),
        ({"mode": "jetstream", "stream": False}, False),
        ({"mode": "search", "stream": True}, True),
    ],
)
def test_stream_follows_the_mode_when_left_out(data: dict[str, Any], stream: bool) -> None:
    assert stream_from_mode(data, "jetstream")["stream"] is stream


def test_stream_from_mode_leaves_what_is_not_a_mapping() -> None:
    assert stream_from_mode("jetstream", "jetstream") == "jetstream"


def test_text_is_folded_on_one_line_and_blank_is_none() -> None:
    assert folded("  box \n fibre\t ouest ") == "box fibre ouest"
    assert folded(" \n ") is None
    assert folded(None) is None


def test_a_query_longer_than_allowed_is_refused_with_its_length() -> None:
    assert short_query("a  b", code="q") == "a b"
    assert short_query("x" * 500, code="q") == "x" * 500
    with pytest.raises(PydanticCustomError) as caught:
        short_query("x" * 501, code="mastodon_query")
    assert caught.value.type == "mastodon_query"
    assert caught.value.message() == (
        "the query is 501 characters long: keep it under 500 characters"
    )
    with pytest.raises(PydanticCustomError, match="keep it under 10 characters"):
        short_query("x" * 11, code="q", most=10)


def test_a_page_size_out_of_range_names_what_the_platform_serves() -> None:
    assert page_size(40, code="p", most=40, platform="Mastodon", things="statuses") == 40
    for value in (0, 41):
        with pytest.raises(PydanticCustomError) as caught:
            page_size(value, code="mastodon_limit", most=40, platform="Mastodon", things="statuses")
        assert caught.value.message() == (
            f"the page size {value} is out of range: use 1 to 40 (Mastodon serves at most 40 "
            "statuses a page)"
        )


def test_an_optional_secret_is_trimmed_and_blank_is_none() -> None:
    secret = optional_secret(SecretStr("  tok-123 \n"))
    assert secret is not None
    assert secret.get_secret_value() == "tok-123"
    assert optional_secret(SecretStr("   ")) is None
    assert optional_secret(None) is None


def test_a_required_secret_loses_its_spaces_and_the_scheme_pasted_with_it() -> None:
    def check(text: str) -> str:
        secret = required_secret(
            SecretStr(text), code="t", message="empty", schemes=("bearer", "oauth")
        )
        return secret.get_secret_value()

    assert check("  tok-123 ") == "tok-123"
    assert check("Bearer  tok-123") == "tok-123"
    assert check("OAuth tok-123") == "tok-123"
    assert check("Bearertok") == "Bearertok"
    assert check(" Bearer ") == "Bearer"  # a scheme alone is no scheme: X refuses it
    assert required_secret(SecretStr("Bearer x"), code="t", message="m").get_secret_value() == (
        "Bearer x"
    )


def test_an_empty_required_secret_is_refused_with_the_sentence_given() -> None:
    with pytest.raises(PydanticCustomError) as caught:
        required_secret(
            SecretStr("  \n "),
            code="x_token_empty",
            message="the secret is empty: copy it from {page}",
            context={"page": "the console"},
            schemes=("bearer",),
        )
    assert caught.value.type == "x_token_empty"
    assert caught.value.message() == "the secret is empty: copy it from the console"


def test_an_address_without_a_scheme_is_read_as_https() -> None:
    assert https_address("mastodon.social").geturl() == "https://mastodon.social"
    assert https_address("http://mastodon.social/").scheme == "http"
    assert https_address("bsky.social:8443").port == 8443
