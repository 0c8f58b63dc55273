"""The ``rss`` connector against a real local HTTP server, alone and through poll_source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sbu.bootstrap import App, build
from sbu.connectors.base import FetchContext
from sbu.connectors.rss import SEEN_MIN, RssConnector, RssSourceConfig, _remember
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import BadPayload, ConnectorError, InvalidInput
from sbu.listening.models import DeadLetter, Mention, Source
from sbu.listening.polling import poll_source
from sbu.listening.services import create_source
from sbu.settings import FeedSettings
from tests.conftest import NOW, make_settings
from tests.connectors.feeds.server import FeedServer, Route, feed_bytes, running_server

ACTOR = Actor("test", "pytest")
CONTEXT = FetchContext(now=NOW, source_id=1, source_name="Ouest Actu")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with running_server() as running:
        yield running


@pytest.fixture
def connector() -> RssConnector:
    return RssConnector(FeedSettings(timeout_seconds=5))


def add_feed(app: App, url: str, name: str = "Ouest Actu", **config: Any) -> int:
    return create_source(
        app.db,
        app.clock,
        app.registry,
        ACTOR,
        name=name,
        connector="rss",
        config={"url": url, **config},
    ).id


def source(app: App, source_id: int) -> Source:
    with app.db.session() as session:
        found = session.get(Source, source_id)
        assert found is not None
        return found


def mentions(app: App) -> list[Mention]:
    with app.db.session() as session:
        return list(session.execute(select(Mention).order_by(Mention.created_at.desc())).scalars())


def dead_letters(app: App) -> list[DeadLetter]:
    with app.db.session() as session:
        return list(session.execute(select(DeadLetter).order_by(DeadLetter.locator)).scalars())


# -- configuration ---------------------------------------------------------------------------


def test_config_accepts_http_and_https_feeds() -> None:
    config = RssSourceConfig.model_validate(
        {
            "url": " https://www.ouest-actu.example/rss ",
            "language": "fr-FR",
            "title": " Ouest  Actu ",
        }
    )
    assert config.url == "https://www.ouest-actu.example/rss"
    assert config.language == "fr"
    assert config.title == "Ouest Actu"
    assert (
        RssSourceConfig.model_validate({"url": "http://a.example/feed", "language": ""}).language
        is None
    )


@pytest.mark.parametrize(
    "url", ["ftp://a.example/feed", "www.a.example/feed", "file:///etc/passwd", "https://"]
)
def test_config_refuses_other_addresses_with_a_sentence(sqlite_app: App, url: str) -> None:
    with pytest.raises(
        InvalidInput, match=r"is not an http:// or https:// address: give the full address"
    ):
        add_feed(sqlite_app, url)


def test_config_refuses_unknown_settings_and_languages(sqlite_app: App) -> None:
    with pytest.raises(InvalidInput, match="not a language code"):
        add_feed(sqlite_app, "https://a.example/feed", language="français")
    with pytest.raises(InvalidInput, match="urll"):
        create_source(
            sqlite_app.db,
            sqlite_app.clock,
            sqlite_app.registry,
            ACTOR,
            name="typo",
            connector="rss",
            config={"urll": "https://a.example/feed"},
        )


def test_a_feed_source_polls_at_the_configured_default(sqlite_app: App) -> None:
    connector = sqlite_app.registry.connector("rss")
    assert isinstance(connector, RssConnector)
    assert connector.default_poll_seconds == sqlite_app.settings.feeds.default_poll_seconds
    assert "rss" in sqlite_app.registry.mappers
    created = source(sqlite_app, add_feed(sqlite_app, "https://a.example/feed"))
    assert created.poll_interval_seconds == 900
    assert created.next_poll_at == NOW


# -- fetch -----------------------------------------------------------------------------------


def test_fetch_returns_entry_payloads_and_a_cursor(
    server: FeedServer, connector: RssConnector
) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss", etag='"a1"')
    config = RssSourceConfig(url=url, language="br", title="Ouest Actu")
    result = connector.fetch(config, None, CONTEXT)
    # oldest first, the undated entry last
    assert [i.locator for i in result.items] == [f"entry {n} of {url}" for n in (2, 1, 3)]
    item = result.items[1]
    assert item.mapper == "rss"
    assert item.payload["feed"]["url"] == url
    assert item.payload["feed"]["title"] == "Ouest Actu – Économie"
    assert item.payload["feed"]["source_title"] == "Ouest Actu"
    assert item.payload["language"] == "br"
    assert item.payload["collected_at"] == NOW.isoformat()
    assert item.payload["entry"]["title"].startswith("Panne géante")
    assert result.cursor is not None
    assert result.cursor["etag"] == '"a1"'
    assert result.cursor["last_modified"] == "Fri, 27 Nov 2026 18:05:00 GMT"
    assert result.cursor["url"] == url
    assert len(result.cursor["seen"]) == 3
    assert result.more is False


def test_fetch_with_the_cursor_gets_304_and_keeps_the_cursor(
    server: FeedServer, connector: RssConnector
) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss", etag='"a1"')
    config = RssSourceConfig(url=url)
    first = connector.fetch(config, None, CONTEXT)
    second = connector.fetch(config, first.cursor, CONTEXT)
    assert second.items == []
    assert second.cursor == first.cursor
    sent = server.requests_to("/rss")[1].headers
    assert sent["if-none-match"] == '"a1"'
    assert sent["if-modified-since"] == "Fri, 27 Nov 2026 18:05:00 GMT"


def test_a_changed_feed_brings_only_new_entries(
    server: FeedServer, connector: RssConnector
) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss", etag='"a1"')
    config = RssSourceConfig(url=url)
    first = connector.fetch(config, None, CONTEXT)
    server.serve_file("/rss", "ouest-actu-later.rss", etag='"a2"')
    second = connector.fetch(config, first.cursor, CONTEXT)
    assert [i.payload["entry"]["title"] for i in second.items] == [
        "Mobilia lance une offre de bienvenue pour les clients de Télécom Ouest",
        "Télécom Ouest : le service client débordé après la panne",
    ]
    assert second.cursor is not None
    assert second.cursor["etag"] == '"a2"'
    # the entry that left the feed is still remembered
    assert set(first.cursor["seen"]) <= set(second.cursor["seen"])  # type: ignore[index]


def test_a_server_ignoring_validators_costs_no_parsing(
    server: FeedServer, connector: RssConnector
) -> None:
    url = server.serve_file(
        "/rss", "ouest-actu.rss", etag=None, last_modified=None, ignore_validators=True
    )
    config = RssSourceConfig(url=url)
    first = connector.fetch(config, None, CONTEXT)
    second = connector.fetch(config, first.cursor, CONTEXT)
    assert second.items == []
    assert second.cursor == first.cursor
    # same entries in other bytes (a new build date): parsed, but nothing is sent again
    server.serve("/rss", Route(body=feed_bytes("ouest-actu.rss").replace(b"18:05:00", b"19:05:00")))
    third = connector.fetch(config, second.cursor, CONTEXT)
    assert third.items == []
    assert third.cursor is not None
    assert third.cursor["digest"] != first.cursor["digest"]


def test_validators_of_another_url_are_not_sent(
    server: FeedServer, connector: RssConnector
) -> None:
    old = server.serve_file("/old", "ouest-actu.rss", etag='"same"')
    new = server.serve_file("/new", "ouest-actu.rss", etag='"same"')
    first = connector.fetch(RssSourceConfig(url=old), None, CONTEXT)
    moved = connector.fetch(RssSourceConfig(url=new), first.cursor, CONTEXT)
    assert "if-none-match" not in server.requests_to("/new")[0].headers
    # The articles with absolute ids are already known; the bare guid 4521 only means something
    # within its feed, so under another feed URL it is another entry.
    assert [i.payload["entry"]["id"] for i in moved.items] == ["4521"]


def test_a_permanent_redirect_is_followed_and_noted(
    server: FeedServer, connector: RssConnector
) -> None:
    target = server.serve_file("/feeds/ouest.rss", "ouest-actu.rss")
    url = server.serve("/rss", Route(status=301, headers={"Location": "/feeds/ouest.rss"}))
    result = connector.fetch(RssSourceConfig(url=url), None, CONTEXT)
    assert len(result.items) == 3
    assert result.items[0].payload["feed"]["url"] == url
    assert any(f"moved permanently to {target}" in note for note in result.notes)


def test_an_oversize_document_is_refused(server: FeedServer) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss")
    connector = RssConnector(FeedSettings(max_bytes=2048))
    with pytest.raises(ConnectorError, match="larger than the limit"):
        connector.fetch(RssSourceConfig(url=url), None, CONTEXT)


def test_a_web_page_is_refused(server: FeedServer, connector: RssConnector) -> None:
    url = server.serve("/", Route(body=feed_bytes("not-a-feed.html"), content_type="text/html"))
    with pytest.raises(BadPayload, match="is a web page"):
        connector.fetch(RssSourceConfig(url=url), None, CONTEXT)


def test_malformed_entries_are_sent_once(server: FeedServer, connector: RssConnector) -> None:
    url = server.serve_file("/rss", "malformed-entries.rss", ignore_validators=True)
    config = RssSourceConfig(url=url)
    first = connector.fetch(config, None, CONTEXT)
    assert len(first.items) == 4
    server.serve("/rss", Route(body=feed_bytes("malformed-entries.rss") + b"\n"))
    assert connector.fetch(config, first.cursor, CONTEXT).items == []


def test_the_memory_of_seen_entries_is_bounded() -> None:
    old = [f"old{i}" for i in range(SEEN_MIN)]
    assert _remember(["a", "b"], old) == ["a", "b", *old[: SEEN_MIN - 2]]
    big = [f"k{i}" for i in range(SEEN_MIN + 100)]
    assert _remember(big, old) == big
    assert _remember(["a", "a", "b"], ["b", "c"]) == ["a", "b", "c"]


# -- through poll_source (SQLite and PostgreSQL) ---------------------------------------------


def test_first_poll_imports_and_second_poll_is_a_304(
    app: App, server: FeedServer, clock: FixedClock
) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss", etag='"a1"')
    source_id = add_feed(app, url)
    outcome = poll_source(app, source_id)
    assert outcome.ok, outcome.error
    assert outcome.imported == 3
    stored = mentions(app)
    assert [m.platform for m in stored] == ["rss"] * 3
    panne = next(m for m in stored if m.title and m.title.startswith("Panne"))
    assert (
        panne.url
        == "https://www.ouest-actu.example/economie/2026/nov/27/panne-geante-telecom-ouest"
    )
    assert panne.language == "fr"
    assert panne.text.startswith("Depuis jeudi soir, les box de Télécom Ouest")
    assert panne.raw["entry"]["author"] == "Claire Le Goff"
    after_first = source(app, source_id)
    assert after_first.cursor is not None
    assert after_first.cursor["etag"] == '"a1"'
    assert after_first.next_poll_at == NOW + timedelta(seconds=900)

    clock.advance(timedelta(minutes=15))
    again = poll_source(app, source_id)
    assert again.ok
    assert again.imported == 0
    assert again.duplicates == 0
    second_request = server.requests_to("/rss")[1].headers
    assert second_request["if-none-match"] == '"a1"'
    assert second_request["if-modified-since"] == "Fri, 27 Nov 2026 18:05:00 GMT"
    assert source(app, source_id).cursor == after_first.cursor
    assert len(mentions(app)) == 3


def test_html_becomes_text_and_scripts_never_survive(app: App, server: FeedServer) -> None:
    source_id = add_feed(app, server.serve_file("/rss", "ouest-actu.rss"))
    poll_source(app, source_id)
    fibre = next(m for m in mentions(app) if m.title and m.title.startswith("Fibre"))
    assert fibre.text == "Les deux opérateurs partageront leurs réseaux dans 300 communes rurales."
    for mention in mentions(app):
        assert "<" not in mention.text
        assert "document.cookie" not in mention.text
        assert "alert" not in mention.text


def test_an_entry_without_date_is_dated_when_collected(app: App, server: FeedServer) -> None:
    source_id = add_feed(app, server.serve_file("/rss", "ouest-actu.rss"))
    poll_source(app, source_id)
    forfait = next(m for m in mentions(app) if m.title and "forfait 5G" in m.title)
    assert forfait.created_at == NOW
    assert forfait.raw["collected_at"] == NOW.isoformat()


def test_a_changed_feed_imports_only_new_entries(
    app: App, server: FeedServer, clock: FixedClock
) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss", etag='"a1"')
    source_id = add_feed(app, url)
    poll_source(app, source_id)
    server.serve_file("/rss", "ouest-actu-later.rss", etag='"a2"')
    clock.advance(timedelta(hours=1))
    outcome = poll_source(app, source_id)
    assert outcome.ok
    assert outcome.imported == 2
    assert outcome.duplicates == 0  # known entries were not even sent to ingest
    assert len(mentions(app)) == 5
    assert source(app, source_id).cursor["etag"] == '"a2"'  # type: ignore[index]


def test_a_malformed_entry_is_dead_lettered_and_the_others_stored(
    app: App, server: FeedServer, clock: FixedClock
) -> None:
    url = server.serve_file("/blog", "malformed-entries.rss", ignore_validators=True)
    source_id = add_feed(app, url, name="Blog des abonnes")
    outcome = poll_source(app, source_id)
    assert outcome.ok
    assert outcome.imported == 2
    assert outcome.rejected == 2
    assert {m.title for m in mentions(app)} == {
        "Mon déménagement avec Télécom Ouest",
        "Comparatif des box de l’Ouest",
    }
    letters = {d.locator: d.reason for d in dead_letters(app)}
    assert "neither text nor title" in letters[f"entry 2 of {url}"]
    assert "in the future" in letters[f"entry 3 of {url}"]
    clock.advance(timedelta(hours=1))
    assert poll_source(app, source_id).rejected == 0
    assert len(dead_letters(app)) == 2


def test_iso_8859_1_feed_decodes_right(app: App, server: FeedServer) -> None:
    url = server.serve_file("/armor", "journal-latin1.rss", content_type="application/rss+xml")
    poll_source(app, add_feed(app, url, name="Journal de l Armor"))
    titles = sorted(m.title or "" for m in mentions(app))
    assert titles[0] == "Lannion : Télécom Ouest ouvre une boutique rénovée, à deux pas de la gare"
    assert all("\ufffd" not in m.text and "Ã" not in m.text for m in mentions(app))


def test_atom_and_rdf_feeds_are_polled(app: App, server: FeedServer) -> None:
    poll_source(app, add_feed(app, server.serve_file("/forum", "forum-fibre.atom"), name="Forum"))
    poll_source(app, add_feed(app, server.serve_file("/revue", "revue-reseaux.rdf"), name="Revue"))
    by_title = {m.title: m for m in mentions(app)}
    assert len(by_title) == 5
    assert by_title["Kenavo ar rouedad kozh !"].language == "br"
    assert by_title["La fin du cuivre s’accélère dans l’Ouest"].language == "fr"
    with app.db.session() as session:
        authors = session.execute(
            select(func.count()).select_from(Mention).where(Mention.author_id.is_not(None))
        ).scalar_one()
    assert authors == 3  # gwenola_35, Yves M., Morvan A. & Le Bihan S.


def test_429_with_retry_after_schedules_the_next_poll(app: App, server: FeedServer) -> None:
    url = server.serve("/rss", Route(status=429, headers={"Retry-After": "120"}))
    source_id = add_feed(app, url)
    outcome = poll_source(app, source_id)
    assert not outcome.ok
    polled = source(app, source_id)
    assert polled.next_poll_at == NOW + timedelta(seconds=120)
    assert polled.last_error is not None
    assert "slow down" in polled.last_error
    assert polled.consecutive_failures == 1


def test_500_backs_off_and_keeps_the_cursor(
    app: App, server: FeedServer, clock: FixedClock
) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss", etag='"a1"')
    source_id = add_feed(app, url)
    poll_source(app, source_id)
    cursor = source(app, source_id).cursor
    server.serve("/rss", Route(status=500, body=b"boom"))
    delays = []
    for _ in range(3):
        clock.advance(timedelta(hours=2))
        outcome = poll_source(app, source_id)
        assert not outcome.ok
        polled = source(app, source_id)
        assert polled.cursor == cursor
        assert polled.last_error is not None
        assert "HTTP 500" in polled.last_error
        assert polled.next_poll_at is not None
        delays.append(polled.next_poll_at - clock.now())
    assert delays == [timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=1)]
    assert source(app, source_id).consecutive_failures == 3
    server.serve_file("/rss", "ouest-actu.rss", etag='"a1"')
    clock.advance(timedelta(hours=2))
    assert poll_source(app, source_id).ok
    recovered = source(app, source_id)
    assert recovered.consecutive_failures == 0
    assert recovered.last_error is None


def test_an_unrecognised_document_fails_the_poll_with_a_clear_error(
    app: App, server: FeedServer
) -> None:
    url = server.serve(
        "/moved", Route(body=feed_bytes("not-a-feed.html"), content_type="text/html")
    )
    source_id = add_feed(app, url)
    outcome = poll_source(app, source_id)
    assert not outcome.ok
    assert source(app, source_id).last_error == outcome.error
    assert outcome.error is not None
    assert "is a web page, not an RSS or Atom feed" in outcome.error


@pytest.fixture
def small_app(sqlite_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    built = build(make_settings(sqlite_url, tmp_path, feeds={"max_bytes": 2048}), clock=clock)
    yield built
    built.close()


def test_an_oversize_feed_fails_the_poll(small_app: App, server: FeedServer) -> None:
    source_id = add_feed(small_app, server.serve_file("/rss", "ouest-actu.rss"))
    outcome = poll_source(small_app, source_id)
    assert not outcome.ok
    assert "SBU_FEEDS__MAX_BYTES" in (source(small_app, source_id).last_error or "")
    assert mentions(small_app) == []


def test_a_redirected_feed_is_polled(app: App, server: FeedServer) -> None:
    server.serve_file("/feeds/forum.atom", "forum-fibre.atom")
    url = server.serve("/forum", Route(status=302, headers={"Location": "/feeds/forum.atom"}))
    assert poll_source(app, add_feed(app, url)).imported == 3


# -- the real documents of ../shared/data ----------------------------------------------------


def test_every_real_document_maps_or_is_refused_clearly(
    app: App, shared_data: Path, server: FeedServer
) -> None:
    documents = sorted((shared_data / "payloads" / "rss").glob("*.*"))
    assert len(documents) >= 10
    for number, path in enumerate(documents):
        url = server.serve(
            f"/{path.name}", Route(body=path.read_bytes(), content_type="application/xml")
        )
        source_id = add_feed(app, url, name=f"real {number}")
        outcome = poll_source(app, source_id)
        if path.name == "unrecognized.rss":
            assert not outcome.ok
            assert outcome.error is not None
            assert "not an RSS or Atom feed" in outcome.error
            continue
        assert outcome.ok, f"{path.name}: {outcome.error}"
        assert outcome.imported + outcome.rejected > 0, path.name
        with app.db.session() as session:
            stored = list(
                session.execute(select(Mention).where(Mention.source_id == source_id)).scalars()
            )
            letters = list(
                session.execute(
                    select(DeadLetter).where(DeadLetter.source_id == source_id)
                ).scalars()
            )
        assert len(stored) == outcome.imported
        for mention in stored:
            assert mention.text or mention.title, path.name
            assert "<script" not in mention.text.lower()
            assert mention.created_at.tzinfo is not None
        for letter in letters:
            assert letter.reason.endswith("."), letter.reason  # a sentence, not a traceback
        if path.name in ("missing-fields.atom", "incomplete-fields.atom"):
            assert outcome.imported == 0
            assert outcome.rejected == 1
        else:
            assert outcome.imported > 0, path.name
