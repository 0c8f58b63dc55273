"""The sbu record (the ``sbu import`` format): every field, both author and metric shapes,
annotations as an object or as JSON text, and each refusal's sentence."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sbu.connectors.records import KNOWN_FIELDS, METRIC_FIELDS, RecordMapper
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft

MAPPER = RecordMapper()

FULL: dict[str, Any] = {
    "id": "113530207364418234",
    "text": "Troisième coupure de la fibre cette semaine à Quimper, Télécom Ouest vous comptez faire quelque chose ?",
    "created_at": "2026-11-27T18:42:07Z",
    "platform": "mastodon",
    "url": "https://piaille.example/@gwenola/113530207364418234",
    "title": "Coup de gueule",
    "lang": "fr",
    "author": {
        "id": "gwenola@piaille.example",
        "handle": "@gwenola@piaille.example",
        "name": "Gwenola K.",
        "url": "https://piaille.example/@gwenola",
        "followers": 412,
    },
    "metrics": {"likes": 21, "reposts": 7, "replies": 3},
    "parent_id": "113530100000000001",
    "thread_id": "113530100000000000",
    "repost_of": "113520000000000000",
    "annotations": {"sentiment": "negative", "campaign": "fibre-quimper"},
}


def record(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "42",
        "text": "Encore une panne chez Télécom Ouest ce matin.",
        "created_at": "2026-11-27T08:15:00Z",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not ...}


def test_every_documented_field_is_mapped() -> None:
    draft = MAPPER.to_mention(FULL)
    assert draft.platform == "mastodon"
    assert draft.external_id == "113530207364418234"
    assert draft.text == FULL["text"]
    assert draft.created_at == datetime(2026, 11, 27, 18, 42, 7, tzinfo=UTC)
    assert draft.url == "https://piaille.example/@gwenola/113530207364418234"
    assert draft.title == "Coup de gueule"
    assert draft.language == "fr"
    assert draft.author == AuthorDraft(
        external_id="gwenola@piaille.example",
        handle="@gwenola@piaille.example",
        display_name="Gwenola K.",
        url="https://piaille.example/@gwenola",
        followers=412,
    )
    assert draft.metrics == {"likes": 21, "reposts": 7, "replies": 3}
    assert draft.parent_external_id == "113530100000000001"
    assert draft.thread_external_id == "113530100000000000"
    assert draft.repost_of_external_id == "113520000000000000"
    assert draft.annotations == {"sentiment": "negative", "campaign": "fibre-quimper"}
    assert draft.raw == FULL
    assert draft.raw is not FULL  # a copy: the caller's dict can change afterwards


def test_the_smallest_record_is_id_text_and_date() -> None:
    draft = MAPPER.to_mention(record())
    assert draft.external_id == "42"
    assert draft.platform == "import"
    assert draft.author is None
    assert draft.metrics == {}
    assert draft.annotations is None
    assert (draft.url, draft.title, draft.language) == (None, None, None)
    assert (draft.parent_external_id, draft.thread_external_id, draft.repost_of_external_id) == (
        None,
        None,
        None,
    )


def test_external_id_and_language_are_accepted_as_alternative_names() -> None:
    draft = MAPPER.to_mention(record(id=..., external_id="ext-7", language="br"))
    assert draft.external_id == "ext-7"
    assert draft.language == "br"


def test_a_language_tag_keeps_its_primary_subtag() -> None:
    assert MAPPER.to_mention(record(lang="FR-fr")).language == "fr"
    assert MAPPER.to_mention(record(lang="français")).language is None


def test_a_numeric_id_becomes_text() -> None:
    assert MAPPER.to_mention(record(id=113530207364418234)).external_id == "113530207364418234"


def test_a_title_without_text_is_a_record() -> None:
    draft = MAPPER.to_mention(record(text=..., title="Panne géante chez Télécom Ouest"))
    assert draft.text == ""
    assert draft.title == "Panne géante chez Télécom Ouest"


def test_default_platform_applies_only_to_records_without_one() -> None:
    mapper = RecordMapper(default_platform="forum")
    assert mapper.to_mention(record()).platform == "forum"
    assert mapper.to_mention(record(platform="bluesky")).platform == "bluesky"
    assert mapper.to_mention(record(platform="")).platform == "forum"


def test_the_platform_is_lower_cased() -> None:
    assert MAPPER.to_mention(record(platform="Mastodon")).platform == "mastodon"
    assert RecordMapper(default_platform="Forum").to_mention(record()).platform == "forum"


def test_flat_author_fields() -> None:
    draft = MAPPER.to_mention(
        record(
            author_id="u-991",
            author_handle="@kerbrat_29",
            author_name="Kerbrat",
            author_url="https://forum.example/u/kerbrat_29",
            author_followers="1,204",
        )
    )
    assert draft.author == AuthorDraft(
        external_id="u-991",
        handle="@kerbrat_29",
        display_name="Kerbrat",
        url="https://forum.example/u/kerbrat_29",
        followers=1204,
    )


def test_the_handle_identifies_an_author_without_id() -> None:
    nested = MAPPER.to_mention(record(author={"handle": "@maelle"}))
    flat = MAPPER.to_mention(record(author_handle="@maelle"))
    assert nested.author == flat.author == AuthorDraft(external_id="@maelle", handle="@maelle")


def test_the_nested_author_wins_over_flat_fields() -> None:
    draft = MAPPER.to_mention(record(author={"id": "a1"}, author_id="a2"))
    assert draft.author is not None
    assert draft.author.external_id == "a1"


def test_a_nested_author_without_id_or_handle_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The 'author' object needs an 'id' or a 'handle'\.$"):
        MAPPER.to_mention(record(author={"name": "Gwenola K."}))


def test_an_author_given_as_text_is_refused_naming_the_field() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'author' must be an object, not str\.$"):
        MAPPER.to_mention(record(author="@gwenola"))


def test_flat_counters_as_numbers_or_csv_text() -> None:
    draft = MAPPER.to_mention(
        record(likes="12", reposts=3, replies="0", quotes=1, views="48,210", score=-0)
    )
    assert draft.metrics == {
        "likes": 12,
        "reposts": 3,
        "replies": 0,
        "quotes": 1,
        "views": 48210,
        "score": 0,
    }


def test_a_metrics_object_adds_to_and_overrides_flat_counters() -> None:
    draft = MAPPER.to_mention(record(likes=1, views=5, metrics={"likes": 2, "bookmarks": 4}))
    assert draft.metrics == {"likes": 2, "views": 5, "bookmarks": 4}


def test_every_flat_counter_is_a_known_field() -> None:
    assert set(METRIC_FIELDS.values()) <= KNOWN_FIELDS
    assert {
        "id",
        "text",
        "created_at",
        "platform",
        "author",
        "metrics",
        "annotations",
    } <= KNOWN_FIELDS


def test_a_negative_counter_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The counter 'likes' is negative \(-2\)\.$"):
        MAPPER.to_mention(record(likes=-2))


def test_a_bad_counter_is_refused_naming_it() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'views' must be a whole number, not 'beaucoup'\.$"
    ):
        MAPPER.to_mention(record(metrics={"views": "beaucoup"}))


def test_metrics_that_are_not_an_object_are_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'metrics' must be an object, not list\.$"):
        MAPPER.to_mention(record(metrics=[1, 2]))


def test_annotations_as_an_object_or_as_json_text_from_csv() -> None:
    as_object = MAPPER.to_mention(record(annotations={"campaign": "fibre", "score": 0.8}))
    as_text = MAPPER.to_mention(record(annotations='{"campaign": "fibre", "score": 0.8}'))
    assert as_object.annotations == as_text.annotations == {"campaign": "fibre", "score": 0.8}
    assert MAPPER.to_mention(record(annotations="")).annotations is None


def test_annotations_that_are_not_json_are_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'annotations' must hold a JSON object\.$"):
        MAPPER.to_mention(record(annotations="{campaign: fibre}"))


@pytest.mark.parametrize(("value", "kind"), [("[1, 2]", "list"), ('"fibre"', "str"), (7, "int")])
def test_annotations_that_are_not_an_object_are_refused(value: Any, kind: str) -> None:
    with pytest.raises(
        BadPayload, match=rf"^The field 'annotations' must be an object, not {kind}\.$"
    ):
        MAPPER.to_mention(record(annotations=value))


def test_unknown_fields_are_kept_in_raw_untouched() -> None:
    extra = {"subreddit": "bretagne", "flair": {"text": "Question"}, "tags": ["fibre", "panne"]}
    draft = MAPPER.to_mention(record(**extra))
    assert set(extra) & KNOWN_FIELDS == set()
    for key, value in extra.items():
        assert draft.raw[key] == value


def test_dates_without_zone_are_refused_unless_a_zone_is_assumed() -> None:
    with pytest.raises(BadPayload, match="without a time zone"):
        MAPPER.to_mention(record(created_at="2026-11-27 09:15:00"))
    paris = RecordMapper(assume_timezone=ZoneInfo("Europe/Paris"))
    draft = paris.to_mention(record(created_at="2026-11-27 09:15:00"))
    assert draft.created_at == datetime(2026, 11, 27, 8, 15, tzinfo=UTC)


def test_unix_timestamps_are_dates() -> None:
    assert MAPPER.to_mention(record(created_at="1795766112")).created_at == datetime(
        2026, 11, 27, 7, 55, 12, tzinfo=UTC
    )


def test_a_record_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^A record must be a JSON object, not list\.$"):
        MAPPER.to_mention([1, 2])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "fields", [{"id": ...}, {"id": ""}, {"id": None}, {"id": ..., "external_id": ""}]
)
def test_a_record_without_id_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(
        BadPayload,
        match=r"^The record has no 'id': give every record the post's id on its platform\.$",
    ):
        MAPPER.to_mention(record(**fields))


def test_a_text_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'text' must be a string, not dict\.$"):
        MAPPER.to_mention(record(text={"fr": "panne"}))


def test_a_missing_date_is_refused_naming_the_field() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'created_at' is missing; it must be a date and time\.$"
    ):
        MAPPER.to_mention(record(created_at=...))


def test_a_bad_date_is_refused_naming_the_field() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'created_at' holds 'hier', which is not an ISO 8601"
    ):
        MAPPER.to_mention(record(created_at="hier"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", ["https://a.example"], "The field 'url' must be a string, not list."),
        ("lang", {"code": "fr"}, "The field 'lang' must be a string, not dict."),
        ("parent_id", True, "The field 'parent_id' must be a string, not bool."),
    ],
)
def test_mistyped_optional_fields_are_refused_naming_them(
    field: str, value: Any, message: str
) -> None:
    with pytest.raises(BadPayload) as caught:
        MAPPER.to_mention(record(**{field: value}))
    assert str(caught.value) == message
