"""The Bluesky mapper: ``postView`` (search, feeds) and Jetstream commits; and every real sample."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from sbu.connectors.bluesky import BlueskyPostMapper, post_url
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft
from tests.connectors.payloads import load, load_lines

MAPPER = BlueskyPostMapper()
POSTS: list[dict[str, Any]] = load("bluesky", "searchPosts.json")["posts"]
EVENTS: list[dict[str, Any]] = load_lines("bluesky", "jetstream.jsonl")
MAELLE = "did:plc:k3vq7ymz2lqodhxw5cfg4rnb"
FIRST_POST = f"at://{MAELLE}/app.bsky.feed.post/3lcdqe5tyuw2k"


def test_a_post_view_maps_to_a_mention() -> None:
    draft = MAPPER.to_mention(POSTS[0])
    assert draft.platform == "bluesky"
    assert draft.external_id == FIRST_POST
    assert draft.url == "https://bsky.app/profile/maelle-brest.bsky.social/post/3lcdqe5tyuw2k"
    assert draft.text.startswith("Télécom Ouest m'a facturé deux fois l'option TV")
    assert draft.text.endswith("🙃")
    assert draft.created_at == datetime(2026, 11, 27, 7, 55, 12, 408000, tzinfo=UTC)
    assert draft.language == "fr"
    assert draft.author == AuthorDraft(
        external_id=MAELLE,
        handle="@maelle-brest.bsky.social",
        display_name="Maëlle",
        url="https://bsky.app/profile/maelle-brest.bsky.social",
    )
    assert draft.metrics == {"replies": 2, "reposts": 5, "likes": 17, "quotes": 1}
    assert draft.parent_external_id is None
    assert draft.thread_external_id is None
    assert draft.raw == POSTS[0]


def test_a_reply_points_to_its_parent_and_to_the_thread_root() -> None:
    draft = MAPPER.to_mention(POSTS[1])
    assert (
        draft.parent_external_id
        == "at://did:plc:r2dz4onkqx7vh5u3mcbfbwej/app.bsky.feed.post/3lcdqfz7ab42n"
    )
    assert draft.thread_external_id == FIRST_POST


def test_a_post_without_langs_or_display_name() -> None:
    draft = MAPPER.to_mention(POSTS[2])
    assert draft.language is None
    assert draft.author is not None
    assert draft.author.display_name is None
    assert draft.author.handle == "@reseaux-ouest.example"
    assert draft.metrics == {"replies": 0, "reposts": 12, "likes": 40, "quotes": 2}


def test_the_same_post_from_search_and_from_jetstream_has_one_id() -> None:
    searched = MAPPER.to_mention(POSTS[0])
    streamed = MAPPER.to_mention(EVENTS[0])
    assert searched.external_id == streamed.external_id
    assert searched.text == streamed.text
    assert searched.created_at == streamed.created_at


def test_a_jetstream_post_creation_maps_to_a_mention() -> None:
    draft = MAPPER.to_mention(EVENTS[0])
    assert draft.external_id == FIRST_POST
    assert draft.url == f"https://bsky.app/profile/{MAELLE}/post/3lcdqe5tyuw2k"
    assert draft.language == "fr"
    assert draft.author == AuthorDraft(external_id=MAELLE, url=f"https://bsky.app/profile/{MAELLE}")
    assert draft.metrics == {}
    assert draft.raw == EVENTS[0]


def test_a_jetstream_reply_points_to_parent_and_root_and_keeps_its_first_language() -> None:
    draft = MAPPER.to_mention(EVENTS[1])
    assert draft.parent_external_id == FIRST_POST
    assert draft.thread_external_id == FIRST_POST
    assert draft.language == "fr"  # langs: ["fr", "br"]


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (
            2,
            "This Jetstream event is a 'create' of 'app.bsky.feed.like'; only the creation of posts becomes a mention.",
        ),
        (
            3,
            "This Jetstream event is a 'update' of 'app.bsky.feed.post'; only the creation of posts becomes a mention.",
        ),
        (
            4,
            "This Jetstream event is a 'delete' of 'app.bsky.feed.post'; only the creation of posts becomes a mention.",
        ),
        (
            5,
            "This Jetstream event is of kind 'identity'; only commits that create posts become mentions.",
        ),
        (
            6,
            "This Jetstream event is of kind 'account'; only commits that create posts become mentions.",
        ),
    ],
)
def test_other_jetstream_events_are_refused_with_a_sentence(index: int, message: str) -> None:
    with pytest.raises(BadPayload) as caught:
        MAPPER.to_mention(EVENTS[index])
    assert str(caught.value) == message


def test_a_regional_language_tag_keeps_its_primary_subtag() -> None:
    post = copy.deepcopy(POSTS[0])
    post["record"]["langs"] = ["en-US", "fr"]
    assert MAPPER.to_mention(post).language == "en"


def test_post_url_uses_the_record_key() -> None:
    assert post_url("jeanne.example", "at://did:plc:x/app.bsky.feed.post/3abc") == (
        "https://bsky.app/profile/jeanne.example/post/3abc"
    )


def test_a_post_view_without_uri_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'uri' is missing or empty\.$"):
        MAPPER.to_mention({**POSTS[0], "uri": ""})


def test_a_post_view_without_author_is_refused() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'author' is missing; it must be an object\.$"
    ):
        MAPPER.to_mention({key: value for key, value in POSTS[0].items() if key != "author"})


def test_a_post_view_without_date_names_the_field() -> None:
    post = copy.deepcopy(POSTS[0])
    del post["record"]["createdAt"]
    with pytest.raises(BadPayload, match=r"^The field 'record\.createdAt' is missing"):
        MAPPER.to_mention(post)


def test_a_text_that_is_not_a_string_is_refused() -> None:
    post = copy.deepcopy(POSTS[0])
    post["record"]["text"] = ["Télécom", "Ouest"]
    with pytest.raises(BadPayload, match=r"^The field 'record\.text' must be a string\.$"):
        MAPPER.to_mention(post)


def test_a_jetstream_create_without_record_is_refused() -> None:
    event = copy.deepcopy(EVENTS[0])
    del event["commit"]["record"]
    with pytest.raises(
        BadPayload, match=r"^The field 'record' is missing; it must be an object\.$"
    ):
        MAPPER.to_mention(event)


def _sample_items(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    items: list[tuple[str, dict[str, Any]]] = []
    search = orjson.loads((folder / "searchPosts-sample.json").read_bytes())
    items.extend((f"searchPosts post {n}", post) for n, post in enumerate(search["posts"], 1))
    lines = (folder / "jetstream-sample.jsonl").read_bytes().splitlines()
    items.extend(
        (f"jetstream line {n}", orjson.loads(line))
        for n, line in enumerate(lines, 1)
        if line.strip()
    )
    return items


def _map(payload: dict[str, Any]) -> MentionDraft | BadPayload:
    """The draft, or the BadPayload refusal; any other exception fails the test."""
    try:
        return MAPPER.to_mention(payload)
    except BadPayload as exc:
        return exc


def _creates_a_post(payload: dict[str, Any]) -> bool:
    if "kind" not in payload:  # a postView
        return True
    commit = payload.get("commit") or {}
    return (
        payload["kind"] == "commit"
        and commit.get("operation") == "create"
        and commit.get("collection") == "app.bsky.feed.post"
    )


@pytest.mark.shared
def test_every_real_sample_maps_or_is_refused_with_a_sentence(shared_data: Path) -> None:
    items = _sample_items(shared_data / "payloads" / "bluesky")
    mapped: list[str] = []
    refused: list[str] = []
    for where, payload in items:
        outcome = _map(payload)
        if isinstance(outcome, BadPayload):
            assert not _creates_a_post(payload), f"{where}: {outcome}"
            assert str(outcome).startswith("This Jetstream event is"), where
            assert str(outcome).endswith("."), where
            refused.append(where)
            continue
        assert _creates_a_post(payload), where
        assert outcome.external_id.startswith("at://did:"), where
        assert outcome.created_at.tzinfo is not None, where
        assert outcome.text, where
        mapped.append(where)
    assert len(mapped) == 6  # 2 searched posts and the 4 post creations of the stream
    assert len(refused) == 5  # delete, like, identity, account, update
