"""The demo's topics: valid queries whose examples pass, created once, matching sensible shares of
the demo posts and mostly the posts the scenario truth says they are about."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.demo.loader import load_demo
from sbu.demo.organisation import ensure_organisation
from sbu.demo.topics import TOPICS, ensure_topics
from sbu.enrichment.worker import build_pipeline
from sbu.listening.models import Mention
from sbu.listening.query import check
from sbu.listening.topic_models import Topic, TopicMatch
from sbu.listening.topic_tests import clean_examples, run_examples
from sbu.listening.topics import SUBJECT_KINDS
from sbu.org.models import Department
from tests.conftest import NOW

ACTOR = Actor("test", "pytest")
Truth = Callable[[dict[str, Any]], bool]


def about(actor: str) -> Truth:
    return lambda truth: actor in (truth.get("actors") or [])


def storyline(*names: str) -> Truth:
    return lambda truth: truth.get("storyline") in names


def either(*truths: Truth) -> Truth:
    return lambda truth: any(t(truth) for t in truths)


#: What each topic is about, in the scenario's truth; replies are left out (a reply's truth is
#: its thread's, whatever its own words).
ABOUT: dict[str, Truth] = {
    "Ondine Télécom (marque)": about("ondine"),
    "Pannes réseau": storyline("outage"),
    "Brisant Mobile": about("brisant"),
    "Alizé Fibre": about("alize"),
    "Triskel Télécom": about("triskel"),
    "Box Ondine Neo": storyline("launch", "supplier", "partner_streaming"),
    "Voltek Devices": either(about("voltek"), storyline("supplier", "launch")),  # its box
    "FC Estuaire": about("fc_estuaire"),
    "Cinéflux": about("cineflux"),
    "Recrutement Ondine": storyline("jobs"),
}


def test_ten_topics_with_valid_queries_and_passing_examples() -> None:
    assert len(TOPICS) == 10
    assert {spec.name for spec in TOPICS} == set(ABOUT)
    for spec in TOPICS:
        checked = check(spec.query)
        assert checked.ok, (spec.name, [p.describe(spec.query) for p in checked.problems])
        assert checked.node is not None
        examples = clean_examples(list(spec.examples))
        assert 2 <= sum(e["expect"] == "match" for e in examples) <= 4, spec.name
        assert 1 <= sum(e["expect"] == "no_match" for e in examples) <= 4, spec.name
        failing = [r.describe() for r in run_examples(checked.node, examples) if not r.passed]
        assert failing == [], spec.name
        assert spec.subject_kind in SUBJECT_KINDS
        assert spec.description.endswith(".")


def test_ensure_topics_creates_them_once_owned_by_their_departments(app: App) -> None:
    assert ensure_topics(app, ACTOR) == []  # no organisation yet: nobody to own them
    ensure_organisation(app, ACTOR, start=NOW.date(), end=NOW.date())
    created = ensure_topics(app, ACTOR)
    assert created == [spec.name for spec in TOPICS]
    with app.db.session() as session:
        owners = dict(
            session.execute(
                select(Topic.name, Department.name).join(
                    Department, Department.id == Topic.department_id
                )
            ).all()
        )
    assert owners == {spec.name: spec.department for spec in TOPICS}
    assert ensure_topics(app, ACTOR) == []


def test_the_topics_match_sensible_shares_of_the_demo_posts(sqlite_app: App) -> None:
    app = sqlite_app
    load_demo(app, ACTOR, posts=1500, report=lambda _: None)
    build_pipeline(app).run_until_caught_up()
    with app.db.session() as session:
        truths = {
            mention_id: (annotations or {}).get("scenario", {})
            for mention_id, annotations in session.execute(select(Mention.id, Mention.annotations))
        }
        names = dict(session.execute(select(Topic.id, Topic.name)).all())
        matches: dict[str, set[int]] = {name: set() for name in names.values()}
        for mention_id, topic_id in session.execute(
            select(TopicMatch.mention_id, TopicMatch.topic_id)
        ):
            matches[names[topic_id]].add(mention_id)
    total = len(truths)
    shares = {name: len(ids) / total for name, ids in matches.items()}
    assert 0.2 < shares["Ondine Télécom (marque)"] < 0.6, shares
    for name, share in shares.items():
        if name != "Ondine Télécom (marque)":
            assert 0.001 < share < 0.15, (name, shares)
    for name, ids in matches.items():
        starts = [i for i in ids if truths[i].get("thread") != "reply"]
        right = sum(1 for i in starts if ABOUT[name](truths[i]))
        assert right >= 0.75 * len(starts), (name, right, len(starts))
