"""The topic_match stage: matches of active topics, recompiled when topics change, as the
reference evaluator says."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import update

from sbu.bootstrap import App
from sbu.enrichment.items import load_after
from sbu.enrichment.pipeline import Pipeline
from sbu.enrichment.stages import BUILTIN, build_stages
from sbu.enrichment.stages.topic_match import TopicMatchStage, compile_active, topics_signature
from sbu.listening.query import compile_query, matches
from sbu.listening.topic_models import Topic
from sbu.listening.topics import set_topic_active, update_topic
from tests.listening.topic_world import CLI, department, ingest, match_versions, matches_of, topic

POSTS = (
    "Grosse panne chez Ondine à Nantes depuis ce matin",
    "Coupure de fibre Ondine à Rezé, la box clignote",
    "Je quitte Brisant Mobile pour Ondine",
    "#BrisantMobile baisse ses prix",
    "Il fait beau sur la Loire",
    "L'opérateur Ondine recrute des techniciens",
    "PANNE générale chez @ondine ?",
    "Réseau ondine au stade du FCE : top",
)
QUERIES = {
    "Pannes": "ondine AND (panne* OR coupure)",
    "Brisant": '"brisant mobile" OR #BrisantMobile',
    "Stade": "stade NEAR/3 (ondine OR fce)",
    "Recrutement": "recrut* AND opérateur",
}


def make_topics(app: App) -> dict[str, int]:
    care = department(app)
    return {
        name: topic(app, care, name=name, query=query, examples=[]).id
        for name, query in QUERIES.items()
    }


def pipeline(app: App, stage: TopicMatchStage | None = None) -> Pipeline:
    return Pipeline(app.db, app.clock, [stage or TopicMatchStage()], batch_size=3)


def expected(app: App, queries: dict[int, str]) -> set[tuple[int, int]]:
    """What the reference evaluator says, for every stored mention."""
    with app.db.session() as session:
        items = load_after(session, 0, 10_000)
    trees = {topic_id: compile_query(query) for topic_id, query in queries.items()}
    return {
        (item.id, topic_id)
        for item in items
        for topic_id, tree in trees.items()
        if matches(tree, item.match_post())
    }


def test_the_builtin_stages(app: App) -> None:
    assert [make().name for make in BUILTIN] == ["topic_match"]
    first, second = build_stages(), build_stages()
    assert first[0] is not second[0]  # fresh state each time


def test_matches_agree_with_the_reference_evaluator(app: App) -> None:
    topics = make_topics(app)
    ingest(app, *POSTS)
    assert pipeline(app).run_until_caught_up() == len(POSTS)
    found = matches_of(app)
    assert found == expected(app, {topics[n]: q for n, q in QUERIES.items()})
    by_topic = {
        name: sum(1 for _, t in found if t == topic_id) for name, topic_id in topics.items()
    }
    assert by_topic == {"Pannes": 3, "Brisant": 2, "Stade": 1, "Recrutement": 1}
    assert set(match_versions(app, topics["Pannes"]).values()) == {1}


def test_topic_changes_are_picked_up_before_the_next_batch(app: App) -> None:
    topics = make_topics(app)
    stage = TopicMatchStage()
    ingest(app, *POSTS[:4])
    pipeline(app, stage).run_until_caught_up()
    update_topic(app.db, app.clock, CLI, topics["Pannes"], query="ondine AND panne*")
    set_topic_active(app.db, app.clock, CLI, topics["Brisant"], False)
    new_ids = ingest(app, *POSTS[4:], start=100)
    pipeline(app, stage).run_until_caught_up()
    new = {(m, t) for m, t in matches_of(app) if m in new_ids}
    now_active = {topics["Pannes"]: "ondine AND panne*", topics["Stade"]: QUERIES["Stade"],
                  topics["Recrutement"]: QUERIES["Recrutement"]}  # fmt: skip
    assert new == {(m, t) for m, t in expected(app, now_active) if m in new_ids}
    versions = match_versions(app, topics["Pannes"])
    assert {versions[m] for m in new_ids if m in versions} == {2}
    assert not any(t == topics["Brisant"] for m, t in new)  # inactive: no new matches
    assert any(t == topics["Brisant"] for _, t in matches_of(app))  # its old matches stay


def test_a_batch_computed_before_a_topic_change_is_computed_again(app: App) -> None:
    topics = make_topics(app)
    ids = ingest(app, *POSTS)
    stage = TopicMatchStage()
    stage.prepare(app.db)
    with app.db.session() as session:
        assert stage.is_current(session)
    update_topic(app.db, app.clock, CLI, topics["Brisant"], query="brisant*")
    with app.db.session() as session:
        assert not stage.is_current(session)
    pipeline(app, stage).run_until_caught_up()
    versions = match_versions(app, topics["Brisant"])
    assert versions == dict.fromkeys([ids[2], ids[3]], 2)


def test_the_signature_grows_with_every_change(app: App) -> None:
    with app.db.session() as session:
        assert topics_signature(session) == (0, 0)
    care = department(app)
    created = topic(app, care)
    seen = []
    for change in (
        lambda: None,
        lambda: update_topic(app.db, app.clock, CLI, created.id, description="x"),
        lambda: set_topic_active(app.db, app.clock, CLI, created.id, False),
        lambda: topic(app, care, name="Autre", query="fibre", examples=[]),
    ):
        change()
        with app.db.session() as session:
            seen.append(topics_signature(session))
    assert seen == sorted(set(seen))
    assert len(seen) == 4


def test_a_stored_query_that_no_longer_parses_is_skipped_with_a_warning(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    topics = make_topics(app)
    with app.db.write_session() as session:
        session.execute(
            update(Topic).where(Topic.id == topics["Stade"]).values(query="stade AND (")
        )
        session.commit()
    with app.db.session() as session, caplog.at_level(logging.WARNING):
        matcher = compile_active(session)
    assert "The query of topic 'Stade' no longer parses" in caplog.text
    ingest(app, *POSTS)
    with app.db.session() as session:
        items = load_after(session, 0, 100)
    found = {key[0] for keys in matcher.match([i.match_post() for i in items]) for key in keys}
    assert topics["Stade"] not in found
    assert topics["Pannes"] in found
