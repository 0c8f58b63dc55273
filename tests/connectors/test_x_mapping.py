"""The X mapper: API v2 posts with their authors (a recent-search page in X's real shape)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from sbu.connectors.x_mapping import XPostMapper, post_url, posts_of_page, users_by_id
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, check_draft
from tests.connectors.payloads import load

MAPPER = XPostMapper()
PAGE: dict[str, Any] = load("x", "search_recent.json")
POSTS = posts_of_page(PAGE)
QUOTE, LONG, RETWEET, REPLY, UNKNOWN_AUTHOR, ORIGINAL = POSTS
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_the_page_pairs_each_post_with_its_author() -> None:
    assert [p["tweet"]["id"] for p in POSTS] == [t["id"] for t in PAGE["data"]]
    assert ORIGINAL["author"]["username"] == "maelle_bzh"
    assert REPLY["author"]["username"] == "TelecomOuest_SAV"
    assert UNKNOWN_AUTHOR["author"] is None  # X did not include this user
    assert all(p["tweet"] is t for p, t in zip(POSTS, PAGE["data"], strict=True))


def test_a_post_maps_to_a_mention() -> None:
    draft = MAPPER.to_mention(ORIGINAL)
    assert draft.platform == "x"
    assert draft.external_id == "2126574834283450385"
    assert draft.url == "https://x.com/maelle_bzh/status/2126574834283450385"
    assert draft.created_at == datetime(2026, 11, 28, 7, 12, 5, tzinfo=UTC)
    assert draft.language == "fr"
    # the t.co short link is replaced by the address it stands for
    assert draft.text == (
        "Troisième coupure de la fibre à Brest cette semaine @TelecomOuest_SAV 😤 #TelecomOuest "
        "https://status.telecom-ouest.example/incidents/4412"
    )
    assert draft.author == AuthorDraft(
        external_id="1402938475610234880",
        handle="@maelle_bzh",
        display_name="Maëlle 🌊",
        url="https://x.com/maelle_bzh",
        followers=1366,
    )
    assert draft.metrics == {"likes": 31, "reposts": 12, "replies": 4, "quotes": 1, "views": 5873}
    assert draft.parent_external_id is None
    assert draft.thread_external_id is None  # it started its conversation
    assert draft.repost_of_external_id is None
    assert draft.raw == ORIGINAL


def test_a_reply_points_to_its_parent_and_its_conversation() -> None:
    draft = MAPPER.to_mention(REPLY)
    assert draft.parent_external_id == "2126574834283450385"
    assert draft.thread_external_id == "2126574834283450385"
    assert draft.repost_of_external_id is None


def test_a_retweet_is_a_repost_of_the_retweeted_post() -> None:
    draft = MAPPER.to_mention(RETWEET)
    assert draft.repost_of_external_id == "2126574834283450385"
    assert draft.parent_external_id is None
    assert draft.author is not None
    assert draft.author.handle == "@lorient_fibre"
    assert draft.text.startswith("RT @maelle_bzh: Troisième coupure")


def test_a_quote_keeps_the_quoted_post_in_the_raw_payload_only() -> None:
    draft = MAPPER.to_mention(QUOTE)
    assert draft.repost_of_external_id is None
    assert draft.parent_external_id is None
    assert draft.language == "en"
    assert draft.raw["tweet"]["referenced_tweets"] == [
        {"type": "quoted", "id": "2126571290096594961"}
    ]


def test_a_long_post_gives_its_whole_text_unescaped() -> None:
    draft = MAPPER.to_mention(LONG)
    assert draft.text.endswith("si la nouvelle box fait pareil je pars chez la concurrence.")
    assert "installation rapide & technicien" in draft.text
    assert "échange standard > délai 10 jours" in draft.text
    assert "&amp;" not in draft.text
    assert "&gt;" not in draft.text


def test_a_post_whose_author_x_did_not_include_keeps_the_author_id() -> None:
    draft = MAPPER.to_mention(UNKNOWN_AUTHOR)
    assert draft.url == "https://x.com/i/web/status/2126579796145086481"
    assert draft.author == AuthorDraft(external_id="1733300000000000042")
    assert draft.language is None  # "und"


@pytest.mark.parametrize("code", ["qme", "qht", "qam", "zxx", "und"])
def test_x_codes_for_posts_without_words_give_no_language(code: str) -> None:
    payload = copy.deepcopy(ORIGINAL)
    payload["tweet"]["lang"] = code
    assert MAPPER.to_mention(payload).language is None


def test_a_bare_tweet_is_read_without_an_author() -> None:
    tweet = copy.deepcopy(ORIGINAL["tweet"])
    draft = MAPPER.to_mention(tweet)
    assert draft.external_id == "2126574834283450385"
    assert draft.url == "https://x.com/i/web/status/2126574834283450385"
    assert draft.author == AuthorDraft(external_id="1402938475610234880")
    assert draft.raw == tweet


@pytest.mark.parametrize(
    ("field", "words"),
    [("id", "has no 'id'"), ("text", "has no 'text'"), ("created_at", "has no 'created_at'")],
)
def test_a_post_without_a_required_field_is_refused_with_a_sentence(field: str, words: str) -> None:
    payload = copy.deepcopy(ORIGINAL)
    del payload["tweet"][field]
    with pytest.raises(BadPayload, match=words) as caught:
        MAPPER.to_mention(payload)
    assert str(caught.value).endswith(".")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"created_at": "hier matin"}, "not an ISO 8601 date"),
        ({"text": ["a", "b"]}, "must be a string"),
        ({"referenced_tweets": {"type": "retweeted"}}, "must be a list"),
        ({"public_metrics": {"like_count": -2}}, "negative"),
        ({"id": True}, "has no 'id'"),
    ],
)
def test_a_malformed_post_is_refused(change: dict[str, Any], words: str) -> None:
    payload = copy.deepcopy(ORIGINAL)
    payload["tweet"].update(change)
    with pytest.raises(BadPayload, match=words):
        MAPPER.to_mention(payload)


def test_the_envelope_needs_a_tweet_object() -> None:
    with pytest.raises(BadPayload, match="'tweet' must be an object"):
        MAPPER.to_mention({"tweet": "2126574834283450385", "author": None})


def test_every_post_of_the_page_is_a_valid_mention() -> None:
    for payload in POSTS:
        draft = MAPPER.to_mention(payload)
        check_draft(draft, now=NOW, max_text_chars=100_000)


def test_a_page_without_data_has_no_posts_and_odd_data_is_refused() -> None:
    assert posts_of_page({"meta": {"result_count": 0}}) == []
    with pytest.raises(BadPayload, match="'data' must be a list"):
        posts_of_page({"data": "none"})
    single = posts_of_page({"data": ORIGINAL["tweet"], "includes": PAGE["includes"]})
    assert single == [{"tweet": ORIGINAL["tweet"], "author": ORIGINAL["author"]}]


def test_users_without_an_id_are_left_out() -> None:
    users = users_by_id({"includes": {"users": [{"username": "sans_id"}, {"id": 7, "name": "n"}]}})
    assert users == {"7": {"id": 7, "name": "n"}}
    assert users_by_id({"includes": []}) == {}


def test_post_urls() -> None:
    assert post_url("1", "gwen_rennes") == "https://x.com/gwen_rennes/status/1"
    assert post_url("1", None) == "https://x.com/i/web/status/1"
