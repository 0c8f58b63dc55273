"""Read models of topics: lists with filters and counts, versions, diffs, re-match progress."""

from __future__ import annotations

import pytest

from sbu.bootstrap import App
from sbu.core.errors import NotFound
from sbu.enrichment.rematch import Rematcher
from sbu.enrichment.worker import build_pipeline
from sbu.listening.topic_queries import (
    DiffLine,
    RematchRow,
    find_topic,
    latest_rematch,
    line_diff,
    list_topics,
    match_counts,
    mention_topics,
    rematch_jobs,
    topic_mention_ids,
    topic_row,
    topic_version,
    topic_versions,
    version_diff,
)
from sbu.listening.topics import set_topic_active, update_topic
from tests.conftest import NOW
from tests.listening.topic_world import CLI, department, ingest, topic


@pytest.fixture
def world(app: App) -> dict[str, int]:
    """Two departments, three topics (one inactive), three mentions matched by the stage."""
    care = department(app)
    marketing = department(app, "Marketing", "marketing")
    pannes = topic(app, care)
    brisant = topic(app, marketing, name="Brisant Mobile", query='"brisant mobile" OR brisant',
                    subject_kind="competitor", subject_name="Brisant Mobile", examples=[])  # fmt: skip
    alize = topic(app, marketing, name="Alizé Fibre", query='"alizé fibre"', active=False,
                  subject_kind="competitor", subject_name="Alizé Fibre", examples=[])  # fmt: skip
    ids = ingest(app, "Panne chez Ondine, je pars chez Brisant", "Brisant Mobile à 9,99 €",
                 "Coupure Ondine à Rezé", "Il fait beau")  # fmt: skip
    build_pipeline(app).run_until_caught_up()
    return {"care": care, "marketing": marketing, "pannes": pannes.id, "brisant": brisant.id,
            "alize": alize.id, "m1": ids[0], "m2": ids[1], "m3": ids[2], "m4": ids[3]}  # fmt: skip


def test_list_topics_with_departments_counts_and_filters(app: App, world: dict[str, int]) -> None:
    with app.db.session() as session:
        rows = list_topics(session)
        assert [r.topic.name for r in rows] == ["Alizé Fibre", "Brisant Mobile", "Pannes"]
        assert [(r.department_name, r.matches) for r in rows] == [
            ("Marketing", 0), ("Marketing", 2), ("Service client", 2),
        ]  # fmt: skip
        assert rows[1].rematch is not None
        assert rows[0].rematch is None  # created inactive: never re-matched
        assert [r.topic.name for r in list_topics(session, active=True)] == [
            "Brisant Mobile", "Pannes",
        ]  # fmt: skip
        assert [r.topic.name for r in list_topics(session, active=False)] == ["Alizé Fibre"]
        assert [r.topic.name for r in list_topics(session, department_id=world["care"])] == [
            "Pannes"
        ]
        assert [r.topic.name for r in list_topics(session, subject_kind="competitor")] == [
            "Alizé Fibre", "Brisant Mobile",
        ]  # fmt: skip
        assert [r.topic.name for r in list_topics(session, q="ALIZE")] == ["Alizé Fibre"]
        assert [r.topic.name for r in list_topics(session, q="coupure")] == ["Pannes"]  # query
        assert [r.topic.name for r in list_topics(session, q="réseau")] == ["Pannes"]  # subject


def test_topic_row_and_find_topic(app: App, world: dict[str, int]) -> None:
    with app.db.session() as session:
        row = topic_row(session, world["pannes"])
        assert (row.topic.name, row.department_name, row.matches) == ("Pannes", "Service client", 2)
        assert find_topic(session, str(world["brisant"])).name == "Brisant Mobile"
        assert find_topic(session, "  brisant MOBILE ").id == world["brisant"]
        assert find_topic(session, world["alize"]).name == "Alizé Fibre"
        with pytest.raises(NotFound, match="There is no topic 'Nothing'"):
            find_topic(session, "Nothing")
        with pytest.raises(NotFound, match="There is no topic 999"):
            topic_row(session, 999)


def test_which_topics_a_mention_matches_and_the_mentions_of_a_topic(
    app: App, world: dict[str, int]
) -> None:
    with app.db.session() as session:
        found = mention_topics(session, [world["m1"], world["m2"], world["m3"], world["m4"]])
        assert {m: [t.name for t in refs] for m, refs in found.items()} == {
            world["m1"]: ["Brisant Mobile", "Pannes"],
            world["m2"]: ["Brisant Mobile"],
            world["m3"]: ["Pannes"],
        }
        assert mention_topics(session, []) == {}
        assert topic_mention_ids(session, world["pannes"]) == [world["m3"], world["m1"]]
        assert topic_mention_ids(session, world["pannes"], limit=1) == [world["m3"]]
        assert topic_mention_ids(session, world["pannes"], before_id=world["m3"]) == [world["m1"]]
        assert match_counts(session, [world["pannes"], world["alize"]]) == {world["pannes"]: 2}
        assert match_counts(session, []) == {}


def test_versions_newest_first_and_one_version(app: App, world: dict[str, int]) -> None:
    topic_id = world["pannes"]
    update_topic(app.db, app.clock, CLI, topic_id, query="ondine AND (panne OR coupure OR noir)",
                 note="Plus large.")  # fmt: skip
    set_topic_active(app.db, app.clock, CLI, topic_id, False)
    with app.db.session() as session:
        listed = topic_versions(session, topic_id)
        assert [(v.version, v.change, v.active) for v in listed] == [
            (3, "deactivated", False), (2, "edited", True), (1, "created", True),
        ]  # fmt: skip
        assert listed[1].note == "Plus large."
        assert (listed[1].author, listed[1].author_name) == ("cli:root", "root")
        assert (listed[1].department_name, listed[1].created_at) == ("Service client", NOW)
        assert topic_version(session, topic_id, 1).query == "ondine AND (panne OR coupure)"
        with pytest.raises(NotFound, match="has no version 9"):
            topic_version(session, topic_id, 9)
        with pytest.raises(NotFound, match="There is no topic 999"):
            topic_versions(session, 999)


def test_diff_of_two_versions_field_by_field_with_line_diffs(
    app: App, world: dict[str, int]
) -> None:
    topic_id = world["pannes"]
    update_topic(
        app.db, app.clock, CLI, topic_id, name="Pannes et coupures",
        query="ondine AND\n(panne OR coupure OR noir)", department_id=world["marketing"],
        examples=[{"text": "Grosse panne chez Ondine à Nantes", "expect": "match"}],
        description="Deux lignes\nde description",
    )  # fmt: skip
    with app.db.session() as session:
        diff = version_diff(session, topic_id, 2, 1)  # any order: the older one comes first
        assert (diff.old.version, diff.new.version) == (1, 2)
        changes = {c.field: c for c in diff.changes}
        assert list(changes) == ["name", "department", "query", "description", "examples"]
        assert (changes["name"].before, changes["name"].after) == ("Pannes", "Pannes et coupures")
        assert changes["name"].lines is None
        assert (changes["department"].before, changes["department"].after) == (
            "Service client", "Marketing",
        )  # fmt: skip
        assert changes["query"].lines == [
            DiffLine("-", "ondine AND (panne OR coupure)"),
            DiffLine("+", "ondine AND"),
            DiffLine("+", "(panne OR coupure OR noir)"),
        ]
        assert changes["description"].lines == [
            DiffLine("+", "Deux lignes"), DiffLine("+", "de description"),
        ]  # fmt: skip
        assert changes["examples"].lines == [
            DiffLine(" ", '{"expect":"match","text":"Grosse panne chez Ondine à Nantes"}'),
            DiffLine("-", '{"expect":"no_match","note":"jobs","text":"Ondine recrute des techniciens"}'),
        ]  # fmt: skip
        assert version_diff(session, topic_id, 2, 2).changes == []
        with pytest.raises(NotFound):
            version_diff(session, topic_id, 1, 5)


def test_line_diff_keeps_every_line_in_order() -> None:
    assert line_diff("a\nb\nc", "a\nx\nc\nd") == [
        DiffLine(" ", "a"), DiffLine("-", "b"), DiffLine("+", "x"), DiffLine(" ", "c"),
        DiffLine("+", "d"),
    ]  # fmt: skip
    assert line_diff("", "") == []


def test_rematch_progress(app: App, world: dict[str, int]) -> None:
    topic_id = world["pannes"]
    update_topic(app.db, app.clock, CLI, topic_id, query="ondine AND (panne OR coupure OR noir)")
    with app.db.session() as session:
        queued = latest_rematch(session, topic_id)
        assert queued is not None
        assert (queued.status, queued.done, queued.total, queued.percent) == ("queued", 0, 4, 0)
        assert [j.status for j in rematch_jobs(session, topic_id)] == ["queued", "done"]
        assert latest_rematch(session, world["alize"]) is None
    rematcher = Rematcher(app.db, app.clock, chunk_size=3)
    step = rematcher.step()
    assert step is not None
    with app.db.session() as session:
        running = latest_rematch(session, topic_id)
        assert running is not None
        assert (running.status, running.done, running.total, running.percent) == (
            "running", 3, 4, 75,
        )  # fmt: skip
    rematcher.run_all()
    with app.db.session() as session:
        done = latest_rematch(session, topic_id)
        assert done is not None
        assert (done.status, done.done, done.percent) == ("done", 4, 100)


def test_percent_of_a_job() -> None:
    def row(status: str, done: int, total: int) -> RematchRow:
        return RematchRow(1, 1, 1, status, total, done, NOW, None, None, None)

    assert row("done", 0, 0).percent == 100
    assert row("queued", 0, 0).percent == 0
    assert row("running", 1, 3).percent == 33
    assert row("running", 5, 3).percent == 100
