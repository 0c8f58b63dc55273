"""Reading feed documents: RSS 2.0, RSS 1.0, Atom, encodings, JSON-able entries, non-feeds."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from sbu.connectors.rss_document import read_document
from sbu.core.errors import BadPayload
from tests.connectors.feeds.server import feed_bytes

URL = "http://127.0.0.1:9/feed"


def test_rss2_document() -> None:
    doc = read_document(feed_bytes("ouest-actu.rss"), url=URL, content_type="application/rss+xml")
    assert doc.version == "rss20"
    assert doc.problem is None
    assert doc.feed == {
        "title": "Ouest Actu – Économie",
        "link": "https://www.ouest-actu.example/economie",
        "language": "fr-fr",
        "version": "rss20",
    }
    assert len(doc.entries) == 3
    first = doc.entries[0]
    assert first["published"] == "2026-11-27T17:42:10+00:00"
    assert first["summary_type"] == "text/html"
    assert first["author"] == "Claire Le Goff"
    assert [t["term"] for t in first["tags"]] == ["Télécoms", "Bretagne"]
    assert not any(key.endswith(("_parsed", "_detail")) for key in first if key != "author_detail")
    # the +0100 date is converted to UTC
    assert doc.entries[1]["published"] == "2026-11-27T14:05:00+00:00"
    assert doc.entries[1]["id"] == "4521"
    assert "published" not in doc.entries[2]


def test_entries_are_plain_json() -> None:
    for name in ("ouest-actu.rss", "forum-fibre.atom", "revue-reseaux.rdf", "journal-latin1.rss"):
        doc = read_document(feed_bytes(name), url=URL, content_type=None)
        for entry in doc.entries:
            assert orjson.loads(orjson.dumps(entry)) == entry


def test_atom_document_keeps_content_types_and_languages() -> None:
    doc = read_document(
        feed_bytes("forum-fibre.atom"), url=URL, content_type="application/atom+xml"
    )
    assert doc.version == "atom10"
    assert doc.feed["language"] == "fr"
    first, second, breton = doc.entries
    assert first["id"] == "tag:forum.fibre-ouest.example,2026:topic-88231"
    assert first["content_types"] == ["text/html"]
    assert "<b>Télécom Ouest</b>" in first["content"][0]
    assert first["published"] == "2026-11-27T19:47:00+00:00"
    assert first["updated"] == "2026-11-27T20:10:00+00:00"
    assert second["content_types"] == ["text/plain"]
    assert "published" not in second
    assert breton["language"] == "br"


def test_rss1_rdf_document() -> None:
    doc = read_document(
        feed_bytes("revue-reseaux.rdf"), url=URL, content_type="application/rdf+xml"
    )
    assert doc.version == "rss10"
    assert doc.feed["language"] == "fr-FR"
    assert doc.entries[0]["id"] == "https://revue-reseaux.example/articles/2026/11/cuivre-fin?rss=1"
    assert doc.entries[0]["updated"] == "2026-11-25T08:30:00+00:00"


@pytest.mark.parametrize(
    "content_type", [None, "application/rss+xml", "text/xml; charset=iso-8859-1"]
)
def test_iso_8859_1_declared_in_the_prolog_decodes_right(content_type: str | None) -> None:
    body = feed_bytes("journal-latin1.rss")
    assert b"T\xe9l\xe9com" in body  # really Latin-1 bytes
    doc = read_document(body, url=URL, content_type=content_type)
    assert doc.feed["title"] == "Le Journal de l'Armor - Dernières nouvelles"
    assert doc.entries[0]["title"].startswith("Lannion : Télécom Ouest ouvre une boutique rénovée")
    assert doc.entries[0]["published"] == "2026-11-27T13:47:00+00:00"


def test_a_readable_document_with_errors_is_read_with_a_problem_noted() -> None:
    body = (
        b'<rss version="2.0"><channel><title>Caf\xe9 des r\xe9seaux</title>'
        b"<item><title>Un caf\xe9 avec T\xe9l\xe9com Ouest</title>"
        b"<guid>https://cafe.example/1</guid></item></channel></rss>"
    )
    doc = read_document(body, url=URL, content_type="application/xml; charset=utf-8")
    assert doc.problem is not None
    assert URL in doc.problem
    assert doc.entries[0]["title"] == "Un café avec Télécom Ouest"


def test_an_unreadable_date_is_kept_as_text() -> None:
    body = (
        b'<rss version="2.0"><channel><title>Not\xc3\xadcias</title><item><title>Oferta</title>'
        b"<guid>https://noticias.example/1</guid><pubDate>Seg, 24 Set 2026 19:42:40 -0300</pubDate>"
        b"</item></channel></rss>"
    )
    entry = read_document(body, url=URL, content_type=None).entries[0]
    assert entry["published"] is None
    assert entry["published_text"] == "Seg, 24 Set 2026 19:42:40 -0300"


def test_an_html_page_is_refused_with_a_clear_message() -> None:
    with pytest.raises(BadPayload, match="is a web page, not an RSS or Atom feed") as caught:
        read_document(feed_bytes("not-a-feed.html"), url=URL, content_type="text/html")
    assert URL in str(caught.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty document"),
        (b"   \n", "empty document"),
        (b'{"items": []}', "not an RSS or Atom feed"),
        (b"<?xml version='1.0'?><catalogue><livre/></catalogue>", "not an RSS or Atom feed"),
    ],
)
def test_other_non_feeds_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(BadPayload, match=message):
        read_document(body, url=URL, content_type=None)


def test_a_body_naming_a_local_file_is_never_opened(tmp_path: Path) -> None:
    local = tmp_path / "secret.rss"
    local.write_bytes(feed_bytes("ouest-actu.rss"))
    # feedparser opens short byte strings as file names; sbu hands it a file object instead.
    with pytest.raises(BadPayload):
        read_document(str(local).encode(), url=URL, content_type=None)
