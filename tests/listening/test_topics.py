"""Write functions of topics on SQLite and PostgreSQL: validation, versions, audit, re-match jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sbu.enrichment.worker import build_pipeline
from sbu.listening.query import QueryError
from sbu.listening.topic_models import Topic, TopicVersion
from sbu.listening.topic_tests import TopicTestsFailed
from sbu.listening.topics import (
    SUBJECT_KINDS,
    request_rematch,
    set_topic_active,
    topic_snapshot,
    update_topic,
)
from sbu.org.services import create_member
from tests.conftest import NOW
from tests.listening.topic_world import (
    CLI,
    PANNE_EXAMPLES,
    count,
    department,
    events,
    ingest,
    jobs,
    topic,
    versions,
)


def member_actor(app: App, role: str, department_id: int | None = None) -> Actor:
    member = create_member(app.db, app.clock, CLI, name=f"Ana {role}", role=role,
                           email=f"{role}@ondine.example", department_id=department_id)  # fmt: skip
    return Actor("user", member.email, member.id, member.role)


# -- create ----------------------------------------------------------------------------------


def test_create_stores_the_topic_its_first_version_and_an_audit_event(app: App) -> None:
    care = department(app)
    created = topic(app, care, description="  Outages.  ", note="First draft.")
    with app.db.session() as session:
        stored = session.get(Topic, created.id)
        assert stored is not None
        assert (stored.name, stored.query, stored.subject_kind, stored.subject_name) == (
            "Pannes", "ondine AND (panne OR coupure)", "theme", "Pannes réseau",
        )  # fmt: skip
        assert (stored.department_id, stored.active, stored.version) == (care, True, 1)
        assert stored.description == "Outages."
        assert stored.examples == PANNE_EXAMPLES
        assert (stored.created_at, stored.updated_at) == (NOW, NOW)
        assert stored.created_by == stored.updated_by == "cli:root"
    [version] = versions(app, created.id)
    assert (version.version, version.change, version.query, version.active) == (
        1, "created", stored.query, True,
    )  # fmt: skip
    assert (version.author, version.author_member_id, version.author_name) == (
        "cli:root",
        None,
        "root",
    )
    assert (version.note, version.created_at, version.examples) == (
        "First draft.",
        NOW,
        PANNE_EXAMPLES,
    )
    [event] = events(app)
    assert (event.action, event.actor, event.object_type, event.object_id) == (
        "topic.created", "cli:root", "topic", str(created.id),
    )  # fmt: skip
    assert event.after is not None
    assert event.after["query"] == stored.query
    assert event.after["note"] == "First draft."
    assert event.after["rematch_job_id"] == jobs(app, created.id)[0].id


def test_a_new_active_topic_queues_a_rematch_and_an_inactive_one_does_not(app: App) -> None:
    care = department(app)
    first = topic(app, care)
    [job] = jobs(app, first.id)
    # The topic_match stage never ran: nothing to rewrite, the job is done at once.
    assert (job.status, job.total, job.done, job.until_id) == ("done", 0, 0, 0)
    ingest(app, "Panne chez Ondine", "Coupure Ondine", "Il fait beau")
    build_pipeline(app).run_until_caught_up()
    second = topic(app, care, name="Coupures", query="coupure", examples=[])
    [job] = jobs(app, second.id)
    assert (job.status, job.total, job.topic_version) == ("queued", 3, 1)
    assert job.until_id > 0
    sleeping = topic(app, care, name="Dormant", query="fibre", active=False, examples=[])
    assert jobs(app, sleeping.id) == []


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"name": "  "}, InvalidInput, "name of 1 to 100"),
        ({"name": "x" * 101}, InvalidInput, "name of 1 to 100"),
        ({"subject_kind": "product"}, InvalidInput, "The subject kind 'product' is unknown"),
        ({"subject_name": " "}, InvalidInput, "Name the theme the topic is about"),
        ({"subject_kind": "competitor", "subject_name": ""}, InvalidInput, "Name the actor"),
        ({"description": "d" * 2001}, InvalidInput, "The description is longer"),
        ({"note": "n" * 501}, InvalidInput, "The change note is longer"),
        ({"examples": [{"text": "x"}]}, InvalidInput, 'Example 1 must say "expect"'),
    ],
)
def test_create_refuses_bad_fields_and_stores_nothing(
    app: App, fields: dict[str, object], error: type[Exception], message: str
) -> None:
    care = department(app)
    with pytest.raises(error) as raised:
        topic(app, care, **fields)
    assert message in str(raised.value)
    assert count(app, Topic) == 0
    assert count(app, TopicVersion) == 0
    assert events(app) == []


def test_every_subject_kind_is_accepted(app: App) -> None:
    care = department(app)
    for index, kind in enumerate(SUBJECT_KINDS):
        topic(app, care, name=f"Topic {index}", subject_kind=kind, subject_name="Ondine")
    assert count(app, Topic) == len(SUBJECT_KINDS)
    with pytest.raises(InvalidInput, match="There is no department 999 to own the topic"):
        topic(app, 999, name="Orphan")


def test_a_query_with_problems_cannot_be_saved_and_the_error_carries_them(app: App) -> None:
    care = department(app)
    with pytest.raises(QueryError) as raised:
        topic(app, care, query="ondine AND (panne OR coupure", examples=[])
    assert [p.code for p in raised.value.problems] == ["unclosed_paren"]
    with pytest.raises(QueryError) as raised:
        topic(app, care, query="le AND NOT ondine", examples=[])
    assert {p.code for p in raised.value.problems} >= {"stopword"}
    assert count(app, Topic) == 0


def test_failing_examples_block_the_save_with_each_failure(app: App) -> None:
    care = department(app)
    examples = [
        *PANNE_EXAMPLES,
        {"text": "Coupure de courant", "expect": "match"},
        {"text": "Panne Ondine mais pour rire", "expect": "no_match"},
    ]
    with pytest.raises(TopicTestsFailed) as raised:
        topic(app, care, examples=examples)
    assert [(f.index, f.reason) for f in raised.value.failures] == [
        (2, "it should match the query but does not"),
        (3, "it matches the query but should not"),
    ]
    assert 'example 3 ("Coupure de courant")' in str(raised.value)
    assert count(app, Topic) == 0


def test_names_are_unique_whatever_their_case(app: App) -> None:
    care = department(app)
    topic(app, care, name="Pannes réseau")
    with pytest.raises(Conflict, match="A topic called 'pannes RÉSEAU' already exists"):
        topic(app, care, name="pannes RÉSEAU")
    assert count(app, Topic) == 1


def test_only_roles_that_manage_topics_may_write(app: App) -> None:
    care = department(app)
    for role in ("viewer", "agent"):
        with pytest.raises(Forbidden, match="Your role does not allow changing topics"):
            topic(app, care, actor=member_actor(app, role))
    analyst = member_actor(app, "analyst", care)
    created = topic(app, care, actor=analyst)
    [version] = versions(app, created.id)
    assert (version.author, version.author_member_id, version.author_name) == (
        "user:analyst@ondine.example", analyst.member_id, "Ana analyst",
    )  # fmt: skip
    lead = member_actor(app, "sbu_lead")
    update_topic(app.db, app.clock, lead, created.id, description="By the lead.")
    viewer = Actor("user", "v@x", 99, "viewer")
    for call in (
        lambda: update_topic(app.db, app.clock, viewer, created.id, name="X"),
        lambda: set_topic_active(app.db, app.clock, viewer, created.id, False),
        lambda: request_rematch(app.db, app.clock, viewer, created.id),
    ):
        with pytest.raises(Forbidden):
            call()


# -- update ----------------------------------------------------------------------------------


def test_update_writes_a_new_version_with_author_time_and_note(app: App, clock: FixedClock) -> None:
    care = department(app)
    sbu = department(app, "SBU", "sbu")
    created = topic(app, care)
    clock.advance(timedelta(hours=2))
    before = topic_snapshot(created)
    saved = update_topic(
        app.db, app.clock, CLI, created.id, name="Pannes et coupures", department_id=sbu,
        subject_kind="own_brand", subject_name="Ondine Télécom", description="Plus large.",
        note="Renamed.",
    )  # fmt: skip
    assert saved.version == 2
    assert saved.updated_at == NOW + timedelta(hours=2)
    [first, second] = versions(app, created.id)
    assert (first.version, first.name, first.department_id) == (1, "Pannes", care)
    assert (second.version, second.change, second.name, second.department_id) == (
        2, "edited", "Pannes et coupures", sbu,
    )  # fmt: skip
    assert (second.subject_kind, second.subject_name, second.note) == (
        "own_brand", "Ondine Télécom", "Renamed.",
    )  # fmt: skip
    assert second.created_at == NOW + timedelta(hours=2)
    event = events(app)[-1]
    assert event.action == "topic.updated"
    assert event.before == before
    assert event.after is not None
    assert event.after["name"] == "Pannes et coupures"
    assert "rematch_job_id" not in event.after  # the query did not change


def test_a_save_without_change_writes_no_version(app: App) -> None:
    care = department(app)
    created = topic(app, care)
    saved = update_topic(app.db, app.clock, CLI, created.id, name=" Pannes ", query=created.query)
    assert saved.version == 1
    assert len(versions(app, created.id)) == 1
    assert [e.action for e in events(app)] == ["topic.created"]


def test_examples_run_on_every_edit(app: App) -> None:
    care = department(app)
    created = topic(app, care)
    with pytest.raises(TopicTestsFailed, match="example 1"):
        update_topic(app.db, app.clock, CLI, created.id, query="ondine AND coupure")
    with pytest.raises(TopicTestsFailed, match="example 3"):
        update_topic(app.db, app.clock, CLI, created.id,
                     examples=[*PANNE_EXAMPLES, {"text": "Fibre", "expect": "match"}])  # fmt: skip
    with pytest.raises(QueryError):
        update_topic(app.db, app.clock, CLI, created.id, query="ondine NEAR/x panne")
    with app.db.session() as session:
        stored = session.get(Topic, created.id)
        assert stored is not None
        assert (stored.version, stored.query) == (1, "ondine AND (panne OR coupure)")
    assert len(versions(app, created.id)) == 1


def test_update_refuses_unknown_fields_names_in_use_and_unknown_topics(app: App) -> None:
    care = department(app)
    created = topic(app, care)
    topic(app, care, name="Autre", query="fibre", examples=[])
    with pytest.raises(InvalidInput, match="A topic has no field colour"):
        update_topic(app.db, app.clock, CLI, created.id, colour="blue")
    for taken in ("autre", "Autre"):
        with pytest.raises(Conflict, match=f"'{taken}' already exists"):
            update_topic(app.db, app.clock, CLI, created.id, name=taken)
    with pytest.raises(NotFound, match="There is no topic 999"):
        update_topic(app.db, app.clock, CLI, 999, name="X")


def test_a_new_query_supersedes_the_open_rematch_job(app: App) -> None:
    care = department(app)
    ingest(app, "Panne chez Ondine", "Coupure Ondine", "Il fait beau")
    build_pipeline(app).run_until_caught_up()
    created = topic(app, care)
    first = jobs(app, created.id)[0]
    assert first.status == "queued"
    update_topic(app.db, app.clock, CLI, created.id, query="ondine AND (panne OR coupure OR noir)")
    old, new = jobs(app, created.id)
    assert (old.id, old.status) == (first.id, "cancelled")
    assert old.error == "Superseded by version 2 of the topic."
    assert (new.status, new.topic_version, new.total) == ("queued", 2, 3)
    update_topic(app.db, app.clock, CLI, created.id, description="No new query, no new job.")
    assert len(jobs(app, created.id)) == 2


# -- activate, deactivate, re-match ------------------------------------------------------------


def test_deactivate_then_activate(app: App) -> None:
    care = department(app)
    ingest(app, "Panne chez Ondine")
    build_pipeline(app).run_until_caught_up()
    created = topic(app, care)
    off = set_topic_active(app.db, app.clock, CLI, created.id, False, note="Paused.")
    assert (off.active, off.version) == (False, 2)
    assert len(jobs(app, created.id)) == 1  # deactivating queues nothing
    again = set_topic_active(app.db, app.clock, CLI, created.id, False)
    assert again.version == 2  # already inactive: nothing changes
    on = set_topic_active(app.db, app.clock, CLI, created.id, True)
    assert (on.active, on.version) == (True, 3)
    assert [(v.change, v.active, v.note) for v in versions(app, created.id)] == [
        ("created", True, None), ("deactivated", False, "Paused."), ("activated", True, None),
    ]  # fmt: skip
    assert [j.topic_version for j in jobs(app, created.id)] == [1, 3]
    assert [e.action for e in events(app)] == [
        "topic.created", "topic.deactivated", "topic.activated",
    ]  # fmt: skip


def test_activating_runs_the_examples(app: App) -> None:
    care = department(app)
    created = topic(app, care, active=False)
    with app.db.write_session() as session:  # a stored example that no longer passes
        stored = session.get(Topic, created.id)
        assert stored is not None
        stored.examples = [{"text": "Rien", "expect": "match"}]
        session.commit()
    with pytest.raises(TopicTestsFailed, match="example 1"):
        set_topic_active(app.db, app.clock, CLI, created.id, True)
    assert len(versions(app, created.id)) == 1


def test_request_rematch_needs_an_active_topic(app: App) -> None:
    care = department(app)
    ingest(app, "Panne chez Ondine", "Ondine")
    build_pipeline(app).run_until_caught_up()
    created = topic(app, care)
    job = request_rematch(app.db, app.clock, CLI, created.id)
    assert (job.status, job.total, job.topic_version) == ("queued", 2, 1)
    assert jobs(app, created.id)[0].status == "cancelled"
    assert events(app)[-1].action == "topic.rematch_requested"
    set_topic_active(app.db, app.clock, CLI, created.id, False)
    with pytest.raises(InvalidInput, match="is inactive: activate it"):
        request_rematch(app.db, app.clock, CLI, created.id)
