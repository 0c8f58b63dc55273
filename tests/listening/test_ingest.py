"""The ingest service on SQLite and PostgreSQL: idempotency, duplicates, dead letters, cursor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from sbu.bootstrap import App
from sbu.bus.base import Outgoing
from sbu.core.audit import Actor
from sbu.listening.drafts import RawItem, Rejected
from sbu.listening.models import Author, DeadLetter, Mention, Source
from sbu.listening.services import create_source
from tests.conftest import NOW

ACTOR = Actor("test", "pytest")


def record(external_id: str, text: str, *, minutes: int = 0, **extra: Any) -> RawItem:
    payload: dict[str, Any] = {
        "id": external_id,
        "text": text,
        "created_at": (NOW - timedelta(days=1) + timedelta(minutes=minutes)).isoformat(),
        "platform": "mastodon",
        "author": {"id": f"author-{external_id}", "handle": f"@a{external_id}"},
    }
    payload.update(extra)
    return RawItem("sbu", payload, f"line {external_id}")


@pytest.fixture
def source_id(app: App) -> int:
    return create_source(app.db, app.clock, app.registry, ACTOR, name="tests", connector="file").id


def count(app: App, model: type, *where: Any) -> int:
    with app.db.session() as session:
        return int(
            session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
        )


def test_ingest_stores_mentions_with_raw_payload(app: App, source_id: int) -> None:
    result = app.ingest.ingest(
        source_id, [record("1", "Première panne de la semaine chez Télécom Ouest")]
    )
    assert result.imported == 1
    with app.db.session() as session:
        mention = session.execute(select(Mention)).scalar_one()
        assert mention.platform == "mastodon"
        assert mention.external_id == "1"
        assert mention.raw["text"] == "Première panne de la semaine chez Télécom Ouest"
        assert mention.search_text == "premiere panne de la semaine chez telecom ouest"
        assert mention.created_at == NOW - timedelta(days=1)
        assert mention.created_at.tzinfo is not None
        author = session.get(Author, mention.author_id)
        assert author is not None
        assert author.handle == "@a1"


def test_ingest_is_idempotent_on_platform_and_external_id(app: App, source_id: int) -> None:
    first = app.ingest.ingest(source_id, [record("1", "un texte assez long pour compter ici")])
    again = app.ingest.ingest(
        source_id,
        [record("1", "un texte assez long pour compter ici"), record("1", "doublon dans le lot")],
    )
    assert first.imported == 1
    assert again.imported == 0
    assert again.duplicates == 2
    assert count(app, Mention) == 1


def test_same_id_on_two_platforms_is_two_mentions(app: App, source_id: int) -> None:
    result = app.ingest.ingest(
        source_id, [record("7", "hello there"), record("7", "hello there", platform="bluesky")]
    )
    assert result.imported == 2


def test_malformed_items_go_to_dead_letters_and_the_batch_goes_on(app: App, source_id: int) -> None:
    items = [
        record("1", "un bon message"),
        RawItem("sbu", {"text": "pas d'identifiant", "created_at": NOW.isoformat()}, "line 2"),
        record("3", "date sans fuseau", created_at="2026-11-01 10:00"),
        record("4", "date dans le futur", created_at=(NOW + timedelta(days=3)).isoformat()),
        record("5", "un autre bon message"),
    ]
    result = app.ingest.ingest(
        source_id, items, rejected=[Rejected("line 6", "Line 6 is not valid JSON.", "{oops")]
    )
    assert result.imported == 2
    reasons = {r.locator: r.reason for r in result.rejected}
    assert set(reasons) == {"line 2", "line 3", "line 4", "line 6"}
    assert "no 'id'" in reasons["line 2"]
    assert "time zone" in reasons["line 3"]
    assert "future" in reasons["line 4"]
    assert count(app, DeadLetter) == 4
    # the same bad items fed again are not stored twice
    app.ingest.ingest(source_id, items[1:2], rejected=[Rejected("line 6", "again", "{oops")])
    assert count(app, DeadLetter) == 4


def test_cursor_is_saved_with_the_batch(app: App, source_id: int) -> None:
    app.ingest.ingest(source_id, [record("1", "texte")], cursor={"offset": 42})
    with app.db.session() as session:
        assert session.get(Source, source_id).cursor == {"offset": 42}  # type: ignore[union-attr]
    app.ingest.ingest(source_id, [record("2", "texte deux")])
    with app.db.session() as session:
        assert session.get(Source, source_id).cursor == {"offset": 42}  # type: ignore[union-attr]


def test_failed_batch_saves_neither_mentions_nor_cursor(app: App, source_id: int) -> None:
    app.ingest.ingest(source_id, [record("1", "avant")], cursor={"offset": 1})
    # The cursor cannot be serialised: the transaction fails after the mentions were inserted.
    with pytest.raises(Exception, match=r"not JSON serializable|Type is not JSON"):
        app.ingest.ingest(source_id, [record("2", "pendant")], cursor={"offset": object()})
    assert count(app, Mention) == 1
    with app.db.session() as session:
        assert session.get(Source, source_id).cursor == {"offset": 1}  # type: ignore[union-attr]


def test_collected_events_are_published_after_commit(app: App, source_id: int) -> None:
    published: list[Outgoing] = []
    app.ingest.publish = published.extend
    result = app.ingest.ingest(source_id, [record("1", "un"), record("2", "deux")])
    assert [m.payload["mention_id"] for m in published] == [m.id for m in result.stored]
    assert {m.subject for m in published} == {"mention.collected"}
    assert len({m.key for m in published}) == 2
    again = app.ingest.ingest(source_id, [record("1", "un")])
    assert again.imported == 0
    assert len(published) == 2


def test_batch_in_any_order_links_copies_and_reposts_to_their_original(
    app: App, source_id: int
) -> None:
    text = "La box est encore en panne ce matin, le support ne répond pas depuis deux jours"
    items = [  # newest first, as many feeds and exports list them
        record("3", "boost", minutes=30, repost_of="2"),
        record("2", f"{text} https://t.example/x", minutes=20),
        record("1", text, minutes=10),
    ]
    result = app.ingest.ingest(source_id, items)
    by_external = {m.external_id: m for m in result.stored}
    assert by_external["1"].duplicate_kind is None
    assert by_external["2"].duplicate_kind == "copy"
    assert by_external["2"].duplicate_of_id == by_external["1"].id
    assert by_external["3"].duplicate_kind == "repost"
    assert by_external["3"].duplicate_of_id == by_external["2"].id


def test_an_older_item_arriving_later_becomes_the_original(app: App, source_id: int) -> None:
    text = "Nouvelle offre fibre chez Télécom Ouest, quelqu'un a testé le débit en campagne ?"
    first = app.ingest.ingest(source_id, [record("new", text, minutes=60)])
    backfill = app.ingest.ingest(source_id, [record("old", text, minutes=0)])
    with app.db.session() as session:
        newer = session.get(Mention, first.stored[0].id)
        older = session.get(Mention, backfill.stored[0].id)
        assert older is not None
        assert newer is not None
        assert older.duplicate_kind is None
        assert newer.duplicate_kind == "copy"
        assert newer.duplicate_of_id == older.id
