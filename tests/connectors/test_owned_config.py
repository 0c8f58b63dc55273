"""The settings of owned-channel sources: ids, tokens, limits and versions are checked with
sentences that say what to do, and never quote the token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from sbu.connectors.owned_config import (
    FacebookSourceConfig,
    InstagramSourceConfig,
    LinkedInSourceConfig,
)

TOKEN = "EAAGm0PX4ZCpsBAOwnerPageTokenSecret42"


def facebook(**values: Any) -> FacebookSourceConfig:
    return FacebookSourceConfig.model_validate(
        {"page_id": "104729381726354", "access_token": TOKEN, **values}
    )


def refusal(model: type[Any], values: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(values)
    text = str(caught.value)
    assert TOKEN not in text
    return text


def test_defaults() -> None:
    config = facebook()
    assert config.posts_to_watch == 20
    assert config.watch_days == 30
    assert config.include_posts is False
    assert config.token_expires_at is None
    assert config.access_token.get_secret_value() == TOKEN


def test_a_pasted_bearer_prefix_and_spaces_around_the_token_are_dropped() -> None:
    assert facebook(access_token=f"  Bearer {TOKEN}\n").access_token.get_secret_value() == TOKEN


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"access_token": "  "}, "the access token is empty"),
        ({"access_token": f"{TOKEN} {TOKEN}"}, "holds spaces or non-ASCII characters"),
        ({"page_id": "telecomouest"}, "is not a number: give the Page's numeric id"),
        ({"posts_to_watch": 0}, "watch from 1 to 100 recent posts"),
        ({"posts_to_watch": 101}, "watch from 1 to 100 recent posts"),
        ({"watch_days": 0}, "give a number of days from 1 to 3650"),
        ({"colour": "blue"}, "Extra inputs are not permitted"),
    ],
)
def test_facebook_mistakes_are_refused_with_a_sentence(
    values: dict[str, Any], expected: str
) -> None:
    base = {"page_id": "104729381726354", "access_token": TOKEN}
    assert expected in refusal(FacebookSourceConfig, {**base, **values})


def test_token_expiry_is_kept_in_utc() -> None:
    assert facebook(token_expires_at="2027-01-26").token_expires_at == datetime(
        2027, 1, 26, tzinfo=UTC
    )
    paris = datetime(2027, 1, 26, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert facebook(token_expires_at=paris).token_expires_at == datetime(
        2027, 1, 26, 9, 0, tzinfo=UTC
    )


def test_instagram_needs_the_numeric_account_id() -> None:
    config = InstagramSourceConfig.model_validate(
        {"account_id": 17841400198273645, "access_token": TOKEN}
    )
    assert config.account_id == "17841400198273645"
    text = refusal(InstagramSourceConfig, {"account_id": "@telecomouest", "access_token": TOKEN})
    assert "not the @username" in text
    assert "GET /<page-id>?fields=instagram_business_account" in text


def test_linkedin_takes_an_id_or_an_organization_urn_and_a_version_month() -> None:
    config = LinkedInSourceConfig.model_validate(
        {
            "organization_id": "urn:li:organization:2414183",
            "access_token": TOKEN,
            "linkedin_version": "2025-01",
        }
    )
    assert config.organization_id == "2414183"
    assert config.organization_urn == "urn:li:organization:2414183"
    assert config.linkedin_version == "202501"
    assert (
        LinkedInSourceConfig.model_validate(
            {"organization_id": "2414183", "access_token": TOKEN}
        ).linkedin_version
        == "202411"
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"organization_id": "telecom-ouest"}, "give the number in the page's admin address"),
        ({"linkedin_version": "2024"}, "is not a month written YYYYMM"),
        ({"linkedin_version": "202413"}, "is not a month written YYYYMM"),
    ],
)
def test_linkedin_mistakes_are_refused_with_a_sentence(
    values: dict[str, Any], expected: str
) -> None:
    base = {"organization_id": "2414183", "access_token": TOKEN}
    assert expected in refusal(LinkedInSourceConfig, {**base, **values})
