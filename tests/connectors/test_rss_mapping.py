"""The ``rss`` payload mapper: pure, from JSON entry payloads to mention drafts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sbu.connectors.rss_mapping import FeedEntryMapper, entry_external_id, primary_language
from sbu.core.errors import BadPayload

FEED_URL = "https://www.ouest-actu.example/economie/rss"
MAPPER = FeedEntryMapper()


def payload(entry: dict[str, Any], **top: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "feed": {
            "url": FEED_URL,
            "title": "Ouest Actu – Économie",
            "link": "https://www.ouest-actu.example/economie",
            "language": "fr-fr",
        },
        "entry": entry,
        "collected_at": "2026-11-28T09:00:00+00:00",
        "language": None,
    }
    data.update(top)
    return data


ARTICLE = {
    "id": "https://www.ouest-actu.example/economie/2026/nov/27/panne",
    "link": "https://www.ouest-actu.example/economie/2026/nov/27/panne",
    "title": "Panne géante chez Télécom Ouest",
    "title_type": "text/plain",
    "summary": "<p>Les box ne se connectent plus.</p><p>Retour promis &amp; geste commercial.</p>",
    "summary_type": "text/html",
    "published": "2026-11-27T17:42:10+00:00",
    "author": "Claire Le Goff",
    "author_detail": {"name": "Claire Le Goff"},
}


def test_an_article_maps_to_a_mention() -> None:
    draft = MAPPER.to_mention(payload(ARTICLE))
    assert draft.platform == "rss"
    assert draft.external_id == ARTICLE["id"]
    assert draft.url == ARTICLE["link"]
    assert draft.title == "Panne géante chez Télécom Ouest"
    assert draft.text == "Les box ne se connectent plus.\n\nRetour promis & geste commercial."
    assert draft.created_at == datetime(2026, 11, 27, 17, 42, 10, tzinfo=UTC)
    assert draft.language == "fr"
    assert draft.author is not None
    assert draft.author.external_id == "www.ouest-actu.example/Claire Le Goff"
    assert draft.author.display_name == "Claire Le Goff"
    assert draft.raw["entry"]["title"] == ARTICLE["title"]
    assert draft.annotations is None


def test_content_wins_over_summary_and_scripts_never_survive() -> None:
    entry = {
        **ARTICLE,
        "content": [
            "<p>Texte complet.</p><script>alert('x')</script><style>p{}</style>"
            '<img src="x" onerror="alert(1)"/>',
        ],
        "content_types": ["text/html"],
    }
    draft = MAPPER.to_mention(payload(entry))
    assert draft.text == "Texte complet."
    assert "<" not in draft.text
    assert "alert" not in draft.text


def test_plain_text_constructs_are_kept_as_written() -> None:
    entry = {
        "id": "tag:forum.example,2026:1",
        "title": "Débit <10 Mb/s & rien d'autre",
        "title_type": "text/plain",
        "content": ["Pour la fibre, c'est maigre <rires>."],
        "content_types": ["text/plain"],
        "updated": "2026-11-27T17:02:00+00:00",
    }
    draft = MAPPER.to_mention(payload(entry))
    assert draft.title == "Débit <10 Mb/s & rien d'autre"
    assert draft.text == "Pour la fibre, c'est maigre <rires>."
    assert draft.created_at == datetime(2026, 11, 27, 17, 2, tzinfo=UTC)


def test_bare_ids_are_qualified_with_the_feed_url() -> None:
    assert entry_external_id(FEED_URL, {"id": "4521"}) == f"{FEED_URL}#4521"
    assert entry_external_id(FEED_URL, {"id": "tag:a.example,2026:1"}) == "tag:a.example,2026:1"
    assert entry_external_id(FEED_URL, {"id": "urn:uuid:1234"}) == "urn:uuid:1234"


def test_without_id_the_link_then_a_stable_hash_identifies_the_entry() -> None:
    assert entry_external_id(FEED_URL, {"link": "https://a.example/1"}) == "https://a.example/1"
    entry = {"title": "Sans lien", "published": "2026-11-27T10:00:00+00:00"}
    first = entry_external_id(FEED_URL, entry)
    assert first.startswith("sha256:")
    assert entry_external_id(FEED_URL, dict(entry)) == first
    assert entry_external_id("https://other.example/rss", entry) != first
    assert entry_external_id(FEED_URL, {**entry, "title": "Autre titre"}) != first


def test_overlong_ids_are_hashed() -> None:
    long_id = "https://a.example/" + "x" * 400
    ident = entry_external_id(FEED_URL, {"id": long_id})
    assert ident.startswith("sha256:")
    assert len(ident) <= 255


def test_an_entry_without_id_link_or_title_is_refused() -> None:
    with pytest.raises(BadPayload, match="no id, no link and no title"):
        MAPPER.to_mention(payload({"author": ""}))


def test_an_entry_without_title_or_text_has_nothing_to_listen_to() -> None:
    draft = MAPPER.to_mention(payload({"id": "tag:a.example,2026:7"}))
    assert draft.text == ""
    assert draft.title is None  # check_draft (ingest) refuses it: see test_rss.py


def test_created_at_falls_back_to_collected_at() -> None:
    entry = {"id": "tag:a.example,2026:8", "title": "Sans date", "published_text": "Seg, 24 Set"}
    draft = MAPPER.to_mention(payload(entry, collected_at="2026-11-28T08:59:00+00:00"))
    assert draft.created_at == datetime(2026, 11, 28, 8, 59, tzinfo=UTC)


def test_a_broken_date_is_refused_with_its_field_name() -> None:
    with pytest.raises(BadPayload, match=r"entry\.published"):
        MAPPER.to_mention(payload({**ARTICLE, "published": "hier soir"}))


@pytest.mark.parametrize(
    ("entry_language", "feed_language", "source_language", "expected"),
    [
        ("br", "fr-fr", "en", "br"),
        (None, "fr-FR", "en", "fr"),
        (None, None, "pt", "pt"),
        (None, "", None, None),
        (None, "not a language", "de", "de"),
    ],
)
def test_language_comes_from_entry_then_feed_then_source(
    entry_language: str | None,
    feed_language: str | None,
    source_language: str | None,
    expected: str | None,
) -> None:
    entry = {**ARTICLE, "language": entry_language}
    data = payload(entry, language=source_language)
    data["feed"]["language"] = feed_language
    assert MAPPER.to_mention(data).language == expected


def test_primary_language_keeps_the_primary_subtag() -> None:
    assert primary_language("fr-FR") == "fr"
    assert primary_language("EN_us") == "en"
    assert primary_language("  pt-br ") == "pt"
    assert primary_language("fra") == "fra"
    assert primary_language("français") is None
    assert primary_language("") is None


def test_only_http_links_become_urls() -> None:
    entry = {**ARTICLE, "link": "javascript:alert(1)"}
    assert MAPPER.to_mention(payload(entry)).url is None
    entry = {**ARTICLE, "link": "tag:github.com,2008:Repository/1/v3"}
    assert MAPPER.to_mention(payload(entry)).url is None


def test_author_from_detail_with_profile_link() -> None:
    entry = {
        **ARTICLE,
        "author": "gwenola_35 (gwenola@forum.example)",
        "author_detail": {"name": "gwenola_35", "href": "https://forum.example/u/gwenola_35"},
    }
    author = MAPPER.to_mention(payload(entry)).author
    assert author is not None
    assert author.external_id == "www.ouest-actu.example/gwenola_35"
    assert author.url == "https://forum.example/u/gwenola_35"


def test_no_author_when_the_entry_names_none() -> None:
    entry = {k: v for k, v in ARTICLE.items() if not k.startswith("author")}
    assert MAPPER.to_mention(payload(entry)).author is None
    assert MAPPER.to_mention(payload({**entry, "authors": [{}]})).author is None


@pytest.mark.parametrize(
    "broken",
    [
        {"entry": "not an object"},
        {"feed": None},
        {"feed": {"title": "no url"}},
    ],
)
def test_broken_payloads_are_refused(broken: dict[str, Any]) -> None:
    data = payload(ARTICLE)
    data.update(broken)
    with pytest.raises(BadPayload):
        MAPPER.to_mention(data)
