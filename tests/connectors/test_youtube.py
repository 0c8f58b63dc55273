"""The YouTube mapper: videos (videos.list and search.list), comment threads and replies."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from sbu.connectors.youtube import YouTubeMapper
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft
from tests.connectors.payloads import load

MAPPER = YouTubeMapper()
VIDEO: dict[str, Any] = load("youtube", "videos.json")["items"][0]
SEARCH: list[dict[str, Any]] = load("youtube", "search.json")["items"]
THREAD: dict[str, Any] = load("youtube", "commentThreads.json")["items"][0]
REPLIES: list[dict[str, Any]] = load("youtube", "comments.json")["items"]
VIDEO_ID = "Tq8vXk2LmZ4"
TOP_COMMENT = "UgyKq7nT3vWx9LmZ2pB4AaABAg"


def test_a_video_from_videos_list_maps_to_a_mention() -> None:
    draft = MAPPER.to_mention(VIDEO)
    assert draft.platform == "youtube"
    assert draft.external_id == VIDEO_ID
    assert draft.url == f"https://www.youtube.com/watch?v={VIDEO_ID}"
    assert draft.title == "J'ai testé la box fibre Télécom Ouest pendant un mois"
    assert draft.text.startswith("Débit réel, wifi, décodeur TV et service client")
    assert "\n\n00:00 Intro\n" in draft.text
    assert draft.created_at == datetime(2026, 11, 25, 17, 0, 6, tzinfo=UTC)
    assert draft.language == "fr"  # "fr-FR", the audio language, wins over the metadata one
    assert draft.author == AuthorDraft(
        external_id="UCq7Wn3xTfK8vLr2yPbZ5hJd",
        display_name="TechBreizh",
        url="https://www.youtube.com/channel/UCq7Wn3xTfK8vLr2yPbZ5hJd",
    )
    assert draft.metrics == {"views": 48210, "likes": 1834, "replies": 211}
    assert draft.parent_external_id is None
    assert draft.raw == VIDEO


def test_the_metadata_language_applies_when_the_audio_names_none() -> None:
    video = copy.deepcopy(VIDEO)
    video["snippet"]["defaultAudioLanguage"] = "zxx"
    video["snippet"]["defaultLanguage"] = "br"
    assert MAPPER.to_mention(video).language == "br"


def test_a_video_without_statistics_has_no_metrics() -> None:
    video = {key: value for key, value in VIDEO.items() if key != "statistics"}
    assert MAPPER.to_mention(video).metrics == {}


def test_hidden_like_counts_are_simply_absent() -> None:
    video = copy.deepcopy(VIDEO)
    del video["statistics"]["likeCount"]
    assert MAPPER.to_mention(video).metrics == {"views": 48210, "replies": 211}


def test_a_search_result_video_has_the_same_id_and_unescaped_text() -> None:
    searched = MAPPER.to_mention(SEARCH[0])
    listed = MAPPER.to_mention(VIDEO)
    assert searched.external_id == listed.external_id == VIDEO_ID
    assert searched.url == listed.url
    assert searched.title == "J'ai testé la box fibre Télécom Ouest pendant un mois"
    assert searched.created_at == listed.created_at
    assert searched.metrics == {}
    assert searched.language is None


def test_a_search_result_that_is_a_channel_is_refused_with_a_sentence() -> None:
    with pytest.raises(BadPayload) as caught:
        MAPPER.to_mention(SEARCH[1])
    assert str(caught.value) == (
        "This YouTube search result is a 'youtube#channel', not a video: search with type=video, "
        "or skip channels and playlists."
    )


def test_a_comment_thread_becomes_its_top_level_comment() -> None:
    draft = MAPPER.to_mention(THREAD)
    assert draft.external_id == TOP_COMMENT
    assert draft.text == (
        "Merci pour le test ! Chez moi à Rennes le décodeur plante tous les soirs & le support "
        "ne répond pas\nVous avez eu le même souci ?"
    )
    assert draft.url == f"https://www.youtube.com/watch?v={VIDEO_ID}&lc={TOP_COMMENT}"
    assert draft.created_at == datetime(2026, 11, 26, 8, 31, 52, tzinfo=UTC)
    assert draft.parent_external_id == VIDEO_ID
    assert draft.thread_external_id == VIDEO_ID
    assert draft.metrics == {"likes": 14, "replies": 2}
    assert draft.author == AuthorDraft(
        external_id="UCb5Xn2Rk8Lw3Qz7Vp1Mt4Hy",
        display_name="@loeizrennes",
        url="http://www.youtube.com/@loeizrennes",
    )
    assert draft.raw == THREAD


def test_a_reply_points_to_its_parent_comment() -> None:
    draft = MAPPER.to_mention(REPLIES[0])
    assert draft.external_id == f"{TOP_COMMENT}.A1b2C3d4E5fA1b2C3d4E5f"
    assert draft.parent_external_id == TOP_COMMENT
    assert draft.text == "Oui, une mise à jour du décodeur est annoncée."
    assert draft.metrics == {"likes": 3}
    # comments.list gives no videoId for replies: no address, no thread.
    assert draft.url is None
    assert draft.thread_external_id is None


def test_a_reply_that_names_its_video_links_to_it() -> None:
    reply = THREAD["replies"]["comments"][0]
    draft = MAPPER.to_mention(reply)
    assert draft.parent_external_id == TOP_COMMENT
    assert draft.thread_external_id == VIDEO_ID
    assert draft.url == f"https://www.youtube.com/watch?v={VIDEO_ID}&lc={reply['id']}"


def test_text_display_html_becomes_plain_text_when_there_is_no_original() -> None:
    draft = MAPPER.to_mention(REPLIES[1])
    assert (
        draft.text == "Chez Télécom Ouest ils m'ont changé le décodeur, plus de souci depuis\n7:40"
    )
    assert draft.metrics == {"likes": 0}


def test_a_script_in_text_display_never_survives() -> None:
    reply = copy.deepcopy(REPLIES[1])
    reply["snippet"]["textDisplay"] = "Super<script>document.location='https://x.example'</script>"
    draft = MAPPER.to_mention(reply)
    assert draft.text == "Super"


def test_a_comment_without_author_channel_has_no_author() -> None:
    reply = copy.deepcopy(REPLIES[0])
    del reply["snippet"]["authorChannelId"]
    assert MAPPER.to_mention(reply).author is None


@pytest.mark.parametrize(
    "kind", ["youtube#channel", "youtube#playlistItem", "youtube#videoListResponse", None]
)
def test_resources_that_are_not_posts_are_refused_with_a_sentence(kind: str | None) -> None:
    with pytest.raises(BadPayload) as caught:
        MAPPER.to_mention({"kind": kind, "id": "x", "snippet": {}})
    assert str(caught.value) == (
        f"A YouTube resource of kind {kind!r} is not a post: only youtube#video, "
        "youtube#commentThread and youtube#comment become mentions."
    )


def test_a_video_without_snippet_is_refused() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'snippet' is missing; it must be an object\.$"
    ):
        MAPPER.to_mention({"kind": "youtube#video", "id": VIDEO_ID})


def test_a_search_result_without_video_id_is_refused() -> None:
    result = copy.deepcopy(SEARCH[0])
    del result["id"]["videoId"]
    with pytest.raises(BadPayload, match=r"^The field 'videoId' is missing or empty\.$"):
        MAPPER.to_mention(result)


def test_a_thread_without_top_level_comment_is_refused() -> None:
    thread = copy.deepcopy(THREAD)
    del thread["snippet"]["topLevelComment"]
    with pytest.raises(
        BadPayload, match=r"^The field 'topLevelComment' is missing; it must be an object\.$"
    ):
        MAPPER.to_mention(thread)


def test_a_comment_without_date_names_the_field() -> None:
    reply = copy.deepcopy(REPLIES[0])
    reply["snippet"]["publishedAt"] = "26/11/2026"
    with pytest.raises(BadPayload, match=r"^The field 'snippet\.publishedAt' holds '26/11/2026'"):
        MAPPER.to_mention(reply)


def test_string_counters_that_are_not_numbers_are_refused() -> None:
    video = copy.deepcopy(VIDEO)
    video["statistics"]["viewCount"] = "48k"
    with pytest.raises(
        BadPayload, match=r"^The field 'viewCount' must be a whole number, not '48k'\.$"
    ):
        MAPPER.to_mention(video)
