"""The configuration of a Reddit source: what is accepted, how it is cleaned, and the sentences
that refuse the rest (never quoting a secret)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from sbu.connectors.reddit_config import MAX_SUBREDDITS, RedditSourceConfig
from sbu.connectors.reddit_oauth import RedditCredentials
from tests.connectors.reddit_things import CLIENT_ID, CLIENT_SECRET, PASSWORD


def make(**overrides: Any) -> RedditSourceConfig:
    values: dict[str, Any] = {
        "subreddits": ["bretagne"],
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    values.update(overrides)
    return RedditSourceConfig.model_validate(values)


def problem(**overrides: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        make(**overrides)
    (error,) = caught.value.errors()
    message = error["msg"]
    assert CLIENT_SECRET not in message
    assert PASSWORD not in message
    return message


def test_the_defaults_read_new_posts_a_hundred_at_a_time_as_the_app() -> None:
    config = make()
    assert config.subreddits == ["bretagne"]
    assert config.listing == "new"
    assert config.query is None
    assert config.limit == 100
    assert config.username is None
    assert config.password is None
    assert config.credentials == RedditCredentials(CLIENT_ID, SecretStr(CLIENT_SECRET))
    assert not config.credentials.signs_in


def test_subreddits_from_the_command_line_are_split_cleaned_and_deduplicated() -> None:
    config = make(subreddits=" r/Bretagne, france+/r/bretagne  Quimper ")
    assert config.subreddits == ["Bretagne", "france", "Quimper"]


def test_a_two_letter_subreddit_is_accepted() -> None:
    assert make(subreddits=["de"]).subreddits == ["de"]


@pytest.mark.parametrize(
    ("subreddits", "expected"),
    [
        (
            ["bre tagne"],
            "'bre tagne' is not a subreddit name: give the name as it appears after r/",
        ),
        (["_hidden"], "'_hidden' is not a subreddit name"),
        (["x" * 22], "is not a subreddit name"),
        (["https://www.reddit.com/r/bretagne/"], "is not a subreddit name"),
        ([], "give at least one subreddit, for example subreddits=bretagne,france"),
        (", ,", "give at least one subreddit"),
        ([3], "each subreddit must be a name such as bretagne, not 3"),
        (42, "give the subreddits as a list of names"),
    ],
)
def test_bad_subreddits_are_refused_with_a_sentence(subreddits: Any, expected: str) -> None:
    assert expected in problem(subreddits=subreddits)


def test_too_many_subreddits_are_refused() -> None:
    names = [f"sub_{n}" for n in range(MAX_SUBREDDITS + 1)]
    assert problem(subreddits=names) == (
        "101 subreddits are too many for one source: split them into sources of at most 100"
    )


def test_listings_are_read_case_insensitively_and_unknown_ones_refused() -> None:
    assert make(listing=" Comments ").listing == "comments"
    assert problem(listing="hot") == (
        "the listing 'hot' is not one sbu reads: choose new (posts), comments or search"
    )


def test_search_needs_a_query_and_only_search_takes_one() -> None:
    assert make(listing="search", query="  télécom ouest ").query == "télécom ouest"
    assert "the search listing needs a query" in problem(listing="search")
    assert "the search listing needs a query" in problem(listing="search", query="   ")
    assert "a query is only used by the search listing" in problem(query="box")
    assert "every comment of the subreddits" in problem(listing="comments", query="box")
    assert "at most 512" in problem(listing="search", query="a" * 513)


def test_an_account_needs_both_username_and_password() -> None:
    config = make(username="/u/telecom_ouest", password=PASSWORD)
    assert config.username == "telecom_ouest"
    assert config.credentials.signs_in
    assert config.credentials.form() == {
        "grant_type": "password",
        "username": "telecom_ouest",
        "password": PASSWORD,
    }
    assert "give both username and password" in problem(username="telecom_ouest")
    assert "give both username and password" in problem(password=PASSWORD)
    assert make(username=" ", password="").username is None
    assert "is not a Reddit username" in problem(username="telecom ouest", password=PASSWORD)


def test_the_client_id_and_secret_are_checked_without_quoting_the_secret() -> None:
    assert make(client_id=f" {CLIENT_ID} ").client_id == CLIENT_ID
    assert make(client_secret=f" {CLIENT_SECRET}\n").client_secret.get_secret_value() == (
        CLIENT_SECRET
    )
    assert "copy the string shown under the app's name" in problem(client_id="no spaces here")
    assert "the client secret is empty" in problem(client_secret="  ")
    assert CLIENT_SECRET not in repr(make())


@pytest.mark.parametrize("limit", [0, 101])
def test_the_limit_is_a_page_size_reddit_gives(limit: int) -> None:
    assert problem(limit=limit) == (
        f"the limit {limit} is not a page size Reddit gives: use a number from 1 to 100"
    )


def test_the_limit_may_come_as_text_from_the_command_line() -> None:
    assert make(limit="25").limit == 25


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="subredits"):
        make(subredits=["bretagne"])
