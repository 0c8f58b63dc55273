"""The in-memory near-duplicate index, alone and shared by two writers of one database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from sbu.bootstrap import App, build
from sbu.core.audit import Actor
from sbu.listening.drafts import RawItem
from sbu.listening.models import Mention
from sbu.listening.near_index import NearKeyIndex, _Week, pack_keys, week_of
from sbu.listening.services import create_source
from tests.conftest import NOW, make_settings

TEXT = (
    "Le technicien devait passer ce matin pour la fibre et personne n'est venu, "
    "trois heures d'attente pour rien et aucun appel du service client"
)


def item(external_id: str, text: str, minutes: int = 0) -> RawItem:
    created = NOW - timedelta(days=2) + timedelta(minutes=minutes)
    payload: dict[str, Any] = {"id": external_id, "text": text, "created_at": created.isoformat()}
    return RawItem("sbu", payload, external_id)


def kinds(app: App) -> dict[str, tuple[str | None, int | None]]:
    with app.db.session() as session:
        rows = session.execute(
            select(Mention.external_id, Mention.duplicate_kind, Mention.duplicate_of_id)
        )
        return {ext: (kind, of) for ext, kind, of in rows}


def test_pack_keys_and_weeks() -> None:
    packed = pack_keys((1, -2, 3, 4, 5))
    assert packed is not None
    assert np.frombuffer(packed, dtype="<i8").tolist() == [1, -2, 3, 4, 5]
    assert pack_keys(()) is None
    assert week_of(datetime(1970, 1, 8, tzinfo=UTC)) == 1


def test_a_week_keeps_the_most_recent_ids_per_key_and_folds_additions() -> None:
    week = _Week(np.array([5, 5, 5, 7], dtype=np.int64), np.array([1, 2, 3, 4], dtype=np.int64))
    found: dict[int, list[int]] = {}
    week.lookup(np.array([5, 6], dtype=np.int64), 2, found)
    assert found == {5: [2, 3]}
    week.add(np.array([6] * 60_000, dtype=np.int64), np.arange(100, 60_100, dtype=np.int64))
    assert len(week.recent_keys) == 0  # folded into the sorted part
    found = {}
    week.lookup(np.array([6, 7], dtype=np.int64), 3, found)
    assert found == {6: [60_097, 60_098, 60_099], 7: [4]}


def test_another_writer_s_originals_are_found(database_url: str, tmp_path: Path, app: App) -> None:
    """Process B sees near-duplicates of what process A stored, before and after B looked."""
    other = build(make_settings(database_url, tmp_path / "b"), clock=app.clock)
    try:
        source = create_source(
            app.db, app.clock, app.registry, Actor("t", "t"), name="s", connector="file"
        )
        app.ingest.ingest(source.id, [item("a1", TEXT)])
        # B loads the week from the database and finds A's original.
        other.ingest.ingest(source.id, [item("b1", TEXT.replace("ce matin", "cet aprem"), 5)])
        # A stores another original after B loaded the week: B's refresh must pick it up.
        second = "Impossible de joindre le support depuis lundi, la box redémarre toute seule la nuit et le wifi tombe"
        app.ingest.ingest(source.id, [item("a2", second, 10)])
        other.ingest.ingest(source.id, [item("b2", second.replace("lundi", "mardi"), 15)])
        found = kinds(app)
        with app.db.session() as session:
            ids = dict(session.execute(select(Mention.external_id, Mention.id)).all())
        assert found["b1"] == ("near", ids["a1"])
        assert found["b2"] == ("near", ids["a2"])
    finally:
        other.close()


def test_the_index_holds_at_most_max_weeks(sqlite_app: App) -> None:
    index = NearKeyIndex(timedelta(days=1), max_weeks=2)
    with sqlite_app.db.session() as session:
        for weeks_ago in (10, 8, 6, 4):
            moment = NOW - timedelta(weeks=weeks_ago)
            index.candidates(session, {1}, moment, moment, 8)
    assert len(index._weeks) == 2
    assert max(index._weeks) == week_of(NOW - timedelta(weeks=4, days=-1))
