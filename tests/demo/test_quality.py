"""Measuring the ingest's duplicate flags against the demo's truth."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.demo.quality import DuplicateQuality, duplicate_quality
from sbu.listening.drafts import RawItem
from sbu.listening.services import create_source
from tests.conftest import NOW

TEXT = "La fibre est coupée depuis ce matin dans tout le quartier, aucune information du service client"


def _item(number: int, text: str, *, copy_of: str | None = None, truth: bool = True) -> RawItem:
    payload: dict[str, Any] = {
        "id": str(number),
        "text": text,
        "created_at": (NOW - timedelta(hours=5) + timedelta(minutes=number)).isoformat(),
        "platform": "mastodon",
    }
    annotations = None
    if truth:
        annotations = {
            "scenario": {
                "kind": "outage.complaint",
                "copy_of": {"platform": "mastodon", "external_id": copy_of} if copy_of else None,
            }
        }
    return RawItem("sbu", payload, f"line {number}", annotations)


def test_recall_and_false_flags_are_counted_from_the_truth(sqlite_app: App) -> None:
    source = create_source(
        sqlite_app.db,
        sqlite_app.clock,
        sqlite_app.registry,
        Actor("test", "t"),
        name="q",
        connector="file",
    )
    sqlite_app.ingest.ingest(
        source.id,
        [
            _item(1, TEXT),
            _item(2, f"+1 {TEXT}", copy_of="1"),  # an intentional copy, flagged
            _item(3, f"{TEXT} !!", copy_of="1"),  # another
            _item(
                4, "Rien à voir : belle journée sur les bords de Loire avec les enfants et le chien"
            ),
            _item(5, f"{TEXT}."),  # not meant as a copy, but flagged: a false flag
            _item(6, "Un message sans vérité attachée", truth=False),
            _item(7, f"Copie de {TEXT}", copy_of="999"),  # its original was never collected
        ],
    )
    with sqlite_app.db.session() as session:
        quality = duplicate_quality(session)
    assert (quality.posts, quality.copies, quality.copies_flagged) == (6, 2, 2)
    assert quality.copies_without_original == 1
    assert (quality.others, quality.others_flagged) == (3, 1)
    assert quality.recall == 1.0
    assert abs(quality.false_rate - 1 / 3) < 1e-9
    assert quality.false_by_kind["outage.complaint"] == 1
    assert "2 of 2 intentional copies" in quality.describe()


def test_an_empty_measure_is_perfect() -> None:
    assert DuplicateQuality().recall == 1.0
    assert DuplicateQuality().false_rate == 0.0
