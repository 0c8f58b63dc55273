"""The Reddit mapper: submissions (t3), comments (t1), crossposts, deleted authors, permalinks;
and every real sample listing."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from sbu.connectors.reddit import RedditThingMapper
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft
from tests.connectors.payloads import load

MAPPER = RedditThingMapper()
SUBMISSIONS: list[dict[str, Any]] = load("reddit", "submissions.json")["data"]["children"]
COMMENTS: list[dict[str, Any]] = load("reddit", "comments.json")["data"]["children"]
THREAD = "https://www.reddit.com/r/bretagne/comments/1h0q9fa/box_telecom_ouest_wifi_qui_decroche_depuis_la/"


def test_a_self_post_maps_to_a_mention() -> None:
    draft = MAPPER.to_mention(SUBMISSIONS[0])
    assert draft.platform == "reddit"
    assert draft.external_id == "t3_1h0q9fa"
    assert draft.title == "Box Télécom Ouest : wifi qui décroche depuis la mise à jour"
    assert draft.text.startswith("Depuis la mise à jour de la box la semaine dernière")
    assert "\n\nQuelqu'un chez Télécom Ouest" in draft.text
    assert draft.created_at == datetime(2026, 11, 27, 18, 42, 14, tzinfo=UTC)
    assert draft.url == THREAD
    assert draft.author == AuthorDraft(
        external_id="kerbrat_29",
        handle="u/kerbrat_29",
        url="https://www.reddit.com/user/kerbrat_29",
    )
    assert draft.metrics == {"score": 48, "replies": 17}
    assert draft.repost_of_external_id is None
    assert draft.language is None
    assert draft.raw == SUBMISSIONS[0]


def test_a_crosspost_is_a_repost_of_its_parent() -> None:
    draft = MAPPER.to_mention(SUBMISSIONS[1])
    assert draft.external_id == "t3_1h0qb2x"
    assert draft.repost_of_external_id == "t3_1h0q9fa"
    assert draft.text == ""
    assert draft.title is not None
    assert draft.title.endswith("(vu sur r/bretagne)")
    # The permalink is the crosspost's own thread, not the link target (a relative URL here).
    assert draft.url is not None
    assert draft.url.startswith("https://www.reddit.com/r/france/comments/1h0qb2x/")


def test_a_deleted_author_gives_no_author_and_a_negative_score_is_left_out() -> None:
    draft = MAPPER.to_mention(SUBMISSIONS[2])
    assert draft.author is None
    assert draft.metrics == {"replies": 6}
    assert draft.raw["data"]["score"] == -2


def test_a_comment_maps_to_a_mention_in_its_thread() -> None:
    draft = MAPPER.to_mention(COMMENTS[0])
    assert draft.external_id == "t1_m2c0f1k"
    assert draft.text.startswith("Même chose chez moi à Vannes.")
    assert draft.title is None
    assert draft.created_at == datetime(2026, 11, 27, 19, 1, 42, tzinfo=UTC)
    assert draft.url == f"{THREAD}m2c0f1k/"
    assert draft.parent_external_id == "t3_1h0q9fa"
    assert draft.thread_external_id == "t3_1h0q9fa"
    assert draft.metrics == {"score": 12}
    assert draft.author is not None
    assert draft.author.handle == "u/fibre_lorientaise"


def test_a_removed_comment_of_a_deleted_author() -> None:
    draft = MAPPER.to_mention(COMMENTS[1])
    assert draft.author is None
    assert draft.metrics == {}  # score -4 stays in raw only
    assert draft.parent_external_id == "t1_m2c0f1k"
    assert draft.thread_external_id == "t3_1h0q9fa"


def test_a_comment_without_permalink_gets_an_absolute_address() -> None:
    draft = MAPPER.to_mention(COMMENTS[2])
    assert "permalink" not in COMMENTS[2]["data"]
    assert draft.url == "https://www.reddit.com/r/bretagne/comments/1h0q9fa/_/m2c0b7e/"
    assert draft.parent_external_id == "t1_m2c0f1k"


def test_an_absolute_permalink_is_kept() -> None:
    thing = copy.deepcopy(COMMENTS[0])
    thing["data"]["permalink"] = "https://old.reddit.com/r/bretagne/comments/1h0q9fa/x/m2c0f1k/"
    assert (
        MAPPER.to_mention(thing).url
        == "https://old.reddit.com/r/bretagne/comments/1h0q9fa/x/m2c0f1k/"
    )


def test_the_fullname_is_built_from_the_id_when_name_is_missing() -> None:
    submission = copy.deepcopy(SUBMISSIONS[0])
    del submission["data"]["name"]
    comment = copy.deepcopy(COMMENTS[0])
    del comment["data"]["name"]
    assert MAPPER.to_mention(submission).external_id == "t3_1h0q9fa"
    assert MAPPER.to_mention(comment).external_id == "t1_m2c0f1k"


@pytest.mark.parametrize("kind", ["t2", "t5", "Listing", None])
def test_things_that_are_not_posts_are_refused_with_a_sentence(kind: str | None) -> None:
    with pytest.raises(BadPayload) as caught:
        MAPPER.to_mention({"kind": kind, "data": {"id": "x"}})
    assert str(caught.value) == (
        f"A Reddit thing of kind {kind!r} is not a post: only t3 and t1 become mentions."
    )


def test_a_thing_without_data_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'data' is missing; it must be an object\.$"):
        MAPPER.to_mention({"kind": "t3"})


def test_a_thing_without_id_or_name_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'id' is missing or empty\.$"):
        MAPPER.to_mention({"kind": "t1", "data": {"body": "x", "created_utc": 1795806102.0}})


def test_a_thing_without_date_is_refused_naming_the_field() -> None:
    thing = copy.deepcopy(COMMENTS[0])
    del thing["data"]["created_utc"]
    with pytest.raises(BadPayload, match=r"^The field 'created_utc' is missing"):
        MAPPER.to_mention(thing)


def _map(payload: dict[str, Any]) -> MentionDraft | BadPayload:
    """The draft, or the BadPayload refusal; any other exception fails the test."""
    try:
        return MAPPER.to_mention(payload)
    except BadPayload as exc:
        return exc


@pytest.mark.shared
def test_every_real_sample_thing_maps_or_is_refused_with_a_sentence(shared_data: Path) -> None:
    files = sorted((shared_data / "payloads" / "reddit").glob("*.json"))
    assert files, "no Reddit samples found"
    mapped = 0
    for path in files:
        listing = orjson.loads(path.read_bytes())
        assert listing["kind"] == "Listing", path.name
        for thing in listing["data"]["children"]:
            draft = _map(thing)
            if isinstance(draft, BadPayload):
                assert thing["kind"] not in {"t1", "t3"}, f"{path.name}: {draft}"
                assert str(draft).endswith("."), path.name
                continue
            mapped += 1
            assert draft.external_id.startswith(f"{thing['kind']}_"), path.name
            assert draft.url is not None
            assert draft.url.startswith("https://www.reddit.com/r/"), path.name
            assert draft.created_at.tzinfo is not None
            assert all(value >= 0 for value in draft.metrics.values())
            if thing["kind"] == "t1":
                assert draft.parent_external_id is not None
                assert draft.thread_external_id is not None
                assert draft.thread_external_id.startswith("t3_")
    assert mapped >= 300
