"""poll_source, claim_source and due_sources on SQLite and PostgreSQL.

The connector here is a plugin registered through the public interface (``extra`` of the
registry, as third-party connectors are): each poll plays the next step of a script, so the
tests can make a page fail after another one committed, or a platform ask to slow down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr
from sqlalchemy import func, select, update

from sbu.bootstrap import App, build
from sbu.bus.base import Message
from sbu.bus.subjects import SOURCE_POLLED, SourcePolled
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.registry import build_registry
from sbu.core.audit import Actor, AuditEvent
from sbu.core.clock import FixedClock
from sbu.core.errors import AuthFailed, InvalidInput, RateLimited, Transient
from sbu.listening.drafts import RawItem, Rejected
from sbu.listening.models import IngestRun, Mention, Source
from sbu.listening.polling import (
    CLAIM_LEASE,
    MAX_BACKOFF,
    MAX_PAGES_PER_POLL,
    claim_source,
    due_sources,
    poll_source,
)
from sbu.listening.services import create_source, set_source_enabled, update_source
from tests.conftest import NOW, make_settings

ACTOR = Actor("test", "pytest")
Step = Callable[[dict[str, Any] | None, FetchContext], FetchResult]


class ScriptConfig(BaseModel):
    label: str = "script"
    token: SecretStr | None = None


@dataclass
class ScriptedConnector:
    """Plays one step per fetch; records the cursor each fetch was given."""

    key: str = "scripted"
    title: str = "Scripted test connector"
    capabilities: frozenset[Capability] = frozenset({Capability.POLL})
    settings_model: type[BaseModel] = ScriptConfig
    default_poll_seconds: int = 600
    steps: list[Step] = field(default_factory=list)
    cursors: list[dict[str, Any] | None] = field(default_factory=list)
    tokens: list[str | None] = field(default_factory=list)

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        assert isinstance(config, ScriptConfig)
        self.cursors.append(cursor)
        self.tokens.append(config.token.get_secret_value() if config.token else None)
        return self.steps.pop(0)(cursor, context)


def record(external_id: str, text: str | None = None) -> RawItem:
    payload = {
        "id": external_id,
        "text": text or f"Message {external_id} au sujet de Télécom Ouest et de sa fibre",
        "created_at": (NOW - timedelta(hours=1)).isoformat(),
        "platform": "mastodon",
        "author": {"id": f"a{external_id}", "handle": f"@a{external_id}"},
    }
    return RawItem("sbu", payload, f"item {external_id}")


def page(*ids: str, cursor: dict[str, Any] | None, more: bool = False) -> Step:
    return lambda _cursor, _context: FetchResult([record(i) for i in ids], cursor, more=more)


def fail(exc: Exception) -> Step:
    def step(_cursor: dict[str, Any] | None, _context: FetchContext) -> FetchResult:
        raise exc

    return step


@pytest.fixture
def script() -> ScriptedConnector:
    return ScriptedConnector()


@pytest.fixture
def papp(
    database_url: str, tmp_path: Path, clock: FixedClock, script: ScriptedConnector
) -> Iterator[App]:
    settings = make_settings(database_url, tmp_path)
    registry = build_registry(settings, load_plugins=False, extra=[script])
    built = build(settings, clock=clock, registry=registry)
    yield built
    built.close()


def add(app: App, name: str = "Script", **options: Any) -> int:
    return create_source(
        app.db, app.clock, app.registry, ACTOR, name=name, connector="scripted", **options
    ).id


def source(app: App, source_id: int) -> Source:
    with app.db.session() as session:
        found = session.get(Source, source_id)
        assert found is not None
        return found


def count(app: App, model: type, *where: Any) -> int:
    with app.db.session() as session:
        return int(
            session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
        )


def test_a_successful_poll_stores_items_and_schedules_the_next(
    papp: App, script: ScriptedConnector, clock: FixedClock
) -> None:
    source_id = add(papp)
    script.steps = [page("1", "2", cursor={"since": "2"})]
    clock.advance(timedelta(seconds=5))
    outcome = poll_source(papp, source_id)
    assert outcome.ok
    assert outcome.error is None
    assert (outcome.imported, outcome.duplicates, outcome.rejected) == (2, 0, 0)
    polled = source(papp, source_id)
    assert polled.cursor == {"since": "2"}
    assert polled.last_polled_at == clock.now()
    assert polled.next_poll_at == clock.now() + timedelta(seconds=600)
    assert count(papp, Mention) == 2
    assert script.cursors == [None]


def test_the_saved_cursor_is_handed_to_the_next_poll(papp: App, script: ScriptedConnector) -> None:
    source_id = add(papp)
    script.steps = [page("1", cursor={"since": "1"}), page("1", "2", cursor={"since": "2"})]
    poll_source(papp, source_id)
    outcome = poll_source(papp, source_id)
    assert script.cursors == [None, {"since": "1"}]
    assert (outcome.imported, outcome.duplicates) == (1, 1)


def test_success_resets_the_failures(
    papp: App, script: ScriptedConnector, clock: FixedClock
) -> None:
    source_id = add(papp)
    script.steps = [
        fail(Transient("The platform is down: sbu will try again later.")),
        fail(Transient("The platform is down: sbu will try again later.")),
        page("1", cursor={"since": "1"}),
    ]
    poll_source(papp, source_id)
    poll_source(papp, source_id)
    sick = source(papp, source_id)
    assert sick.consecutive_failures == 2
    assert sick.last_error == "The platform is down: sbu will try again later."
    clock.advance(timedelta(hours=1))
    assert poll_source(papp, source_id).ok
    healthy = source(papp, source_id)
    assert healthy.consecutive_failures == 0
    assert healthy.last_error is None
    assert healthy.next_poll_at == clock.now() + timedelta(seconds=600)


def test_the_backoff_grows_up_to_an_hour(
    papp: App, script: ScriptedConnector, clock: FixedClock
) -> None:
    source_id = add(papp)
    script.steps = [fail(Transient("Down for now.")) for _ in range(5)]
    delays = []
    for _ in range(5):
        clock.advance(timedelta(hours=2))
        outcome = poll_source(papp, source_id)
        assert not outcome.ok
        assert outcome.next_poll_at is not None
        assert source(papp, source_id).next_poll_at == outcome.next_poll_at
        delays.append(outcome.next_poll_at - clock.now())
    assert delays == [
        timedelta(minutes=10),
        timedelta(minutes=20),
        timedelta(minutes=40),
        MAX_BACKOFF,
        MAX_BACKOFF,
    ]
    assert source(papp, source_id).consecutive_failures == 5


def test_a_source_polled_less_than_hourly_backs_off_at_its_interval(
    papp: App, script: ScriptedConnector
) -> None:
    source_id = add(papp, poll_interval_seconds=7200)
    script.steps = [fail(Transient("Down.")), fail(Transient("Down."))]
    poll_source(papp, source_id)
    outcome = poll_source(papp, source_id)
    assert outcome.next_poll_at == NOW + timedelta(hours=2)


def test_rate_limits_wait_as_asked_or_back_off(papp: App, script: ScriptedConnector) -> None:
    source_id = add(papp)
    script.steps = [fail(RateLimited("Slow down.", 42)), fail(RateLimited("Slow down."))]
    assert poll_source(papp, source_id).next_poll_at == NOW + timedelta(seconds=42)
    assert poll_source(papp, source_id).next_poll_at == NOW + timedelta(minutes=20)


def test_the_cursor_only_moves_with_committed_items(papp: App, script: ScriptedConnector) -> None:
    source_id = add(papp)
    script.steps = [
        page("1", "2", cursor={"page": 1}, more=True),
        fail(Transient("Page 2 failed: sbu will try again later.")),
    ]
    outcome = poll_source(papp, source_id)
    assert not outcome.ok
    assert outcome.imported == 2
    assert source(papp, source_id).cursor == {"page": 1}
    assert count(papp, Mention) == 2


def test_a_batch_that_cannot_be_stored_keeps_the_old_cursor(
    papp: App, script: ScriptedConnector
) -> None:
    source_id = add(papp)
    unknown_format = RawItem("no-such-mapper", {"id": "9"}, "item 9")
    script.steps = [
        page("1", cursor={"page": 1}),
        lambda _c, _x: FetchResult([record("2"), unknown_format], {"page": 2}),
    ]
    poll_source(papp, source_id)
    outcome = poll_source(papp, source_id)
    assert not outcome.ok
    assert outcome.error is not None
    assert "no-such-mapper" in outcome.error
    assert source(papp, source_id).cursor == {"page": 1}
    assert count(papp, Mention) == 1


def test_pages_are_fetched_while_the_connector_says_there_is_more(
    papp: App, script: ScriptedConnector
) -> None:
    source_id = add(papp)
    script.steps = [page("1", cursor={"page": 1}, more=True), page("2", cursor={"page": 2})]
    outcome = poll_source(papp, source_id)
    assert outcome.imported == 2
    assert script.cursors == [None, {"page": 1}]
    assert source(papp, source_id).cursor == {"page": 2}


def test_a_poll_stops_after_the_page_limit(papp: App, script: ScriptedConnector) -> None:
    source_id = add(papp)
    script.steps = [
        page(str(n), cursor={"page": n}, more=True) for n in range(MAX_PAGES_PER_POLL + 5)
    ]
    outcome = poll_source(papp, source_id)
    assert outcome.ok
    assert outcome.imported == MAX_PAGES_PER_POLL
    assert len(script.steps) == 5
    assert source(papp, source_id).cursor == {"page": MAX_PAGES_PER_POLL - 1}


def test_rejected_items_are_counted_and_dead_lettered(papp: App, script: ScriptedConnector) -> None:
    source_id = add(papp)
    script.steps = [
        lambda _c, _x: FetchResult(
            [record("1"), RawItem("sbu", {"text": "sans id"}, "item 2")],
            {"page": 1},
            rejected=[Rejected("item 3", "Item 3 is not JSON.", "{oops")],
        )
    ]
    outcome = poll_source(papp, source_id)
    assert outcome.ok
    assert (outcome.imported, outcome.rejected) == (1, 2)


def test_an_unexpected_error_is_reported_and_backed_off(
    papp: App, script: ScriptedConnector
) -> None:
    source_id = add(papp)
    script.steps = [fail(ValueError("bug in the connector"))]
    outcome = poll_source(papp, source_id)
    assert not outcome.ok
    assert outcome.error == (
        "Unexpected error (ValueError: bug in the connector); see the server log."
    )
    assert source(papp, source_id).next_poll_at == NOW + timedelta(minutes=10)


def test_a_configuration_that_became_invalid_is_reported(
    papp: App, script: ScriptedConnector
) -> None:
    source_id = add(papp)
    with papp.db.write_session() as session:
        session.execute(
            update(Source).where(Source.id == source_id).values(config={"label": ["not", "text"]})
        )
        session.commit()
    outcome = poll_source(papp, source_id)
    assert not outcome.ok
    assert outcome.error is not None
    assert outcome.error.startswith("The configuration of the source 'Script' is no longer valid")
    assert "label" in outcome.error
    assert script.cursors == []


def test_only_polling_sources_can_be_polled(papp: App) -> None:
    file_source = create_source(
        papp.db, papp.clock, papp.registry, ACTOR, name="Fichiers", connector="file"
    ).id
    with pytest.raises(InvalidInput, match="not polled"):
        poll_source(papp, file_source)
    with pytest.raises(InvalidInput, match="does not exist"):
        poll_source(papp, 999_999)


def test_eventful_polls_are_runs_and_polls_asked_by_a_person_are_audited(
    papp: App, script: ScriptedConnector
) -> None:
    source_id = add(papp)
    script.steps = [
        page("1", "2", cursor={"page": 1}),
        page(cursor={"page": 1}),
        fail(Transient("Down: sbu will try again later.")),
    ]
    poll_source(papp, source_id, actor=ACTOR)
    poll_source(papp, source_id)  # nothing new: no run, no audit event
    poll_source(papp, source_id)
    with papp.db.session() as session:
        runs = list(session.execute(select(IngestRun).order_by(IngestRun.id)).scalars())
        events = list(
            session.execute(
                select(AuditEvent)
                .where(AuditEvent.action == "mentions.polled")
                .order_by(AuditEvent.id)
            ).scalars()
        )
    assert [(r.kind, r.status, r.imported) for r in runs] == [
        ("polled", "completed", 2),
        ("polled", "failed", 0),
    ]
    assert runs[1].detail == "Down: sbu will try again later."
    # The scheduler's polls (the system actor) are runs only: the audit log keeps people's acts.
    assert [e.actor for e in events] == ["test:pytest"]
    assert events[0].after is not None
    assert events[0].after["imported"] == 2


def test_source_polled_is_published_on_the_bus(
    papp: App, script: ScriptedConnector, clock: FixedClock
) -> None:
    received: list[Message] = []

    async def handler(message: Message) -> None:
        received.append(message)

    papp.bus.subscribe(SOURCE_POLLED, handler, durable="test-polled")
    source_id = add(papp)
    script.steps = [page("1", cursor={"page": 1}), fail(Transient("Down: try later."))]
    poll_source(papp, source_id)
    clock.advance(timedelta(minutes=1))
    poll_source(papp, source_id)
    papp.bus.drain()
    assert len(received) == 2
    ok, failed = (SourcePolled.model_validate(m.payload) for m in received)
    assert (ok.source_id, ok.source_name, ok.connector) == (source_id, "Script", "scripted")
    assert ok.ok
    assert ok.imported == 1
    assert ok.error is None
    assert ok.next_poll_at == NOW + timedelta(seconds=600)
    assert not failed.ok
    assert failed.error == "Down: try later."
    assert received[0].key != received[1].key


# -- claims and due sources -----------------------------------------------------------------


def test_due_sources_are_enabled_polling_sources_whose_time_has_come(
    papp: App, clock: FixedClock
) -> None:
    due = add(papp, name="Due")
    later = add(papp, name="Later")
    off = add(papp, name="Off")
    create_source(papp.db, papp.clock, papp.registry, ACTOR, name="Fichiers", connector="file")
    set_source_enabled(papp.db, papp.clock, ACTOR, "Off", False)
    with papp.db.write_session() as session:
        session.execute(
            update(Source).where(Source.id == later).values(next_poll_at=NOW + timedelta(hours=1))
        )
        session.commit()
    assert due_sources(papp, NOW) == [due]
    assert off not in due_sources(papp, NOW + timedelta(hours=2))
    assert due_sources(papp, NOW + timedelta(hours=2)) == [due, later]


def test_a_due_source_is_claimed_once(papp: App, clock: FixedClock) -> None:
    source_id = add(papp)
    assert claim_source(papp, source_id, NOW)
    assert not claim_source(papp, source_id, NOW)
    assert source(papp, source_id).next_poll_at == NOW + CLAIM_LEASE
    assert due_sources(papp, NOW) == []
    # a poller that died mid-poll leaves the claim to expire
    assert claim_source(papp, source_id, NOW + CLAIM_LEASE)


def test_sources_not_due_or_disabled_cannot_be_claimed(papp: App) -> None:
    source_id = add(papp)
    assert not claim_source(papp, source_id, NOW - timedelta(seconds=1))
    set_source_enabled(papp.db, papp.clock, ACTOR, source_id, False)
    assert not claim_source(papp, source_id, NOW + timedelta(hours=1))


# --- credentials and pausing ------------------------------------------------------------------


def test_the_connector_gets_the_decrypted_credentials(papp: App, script: ScriptedConnector) -> None:
    source_id = add(papp, config={"token": "tok-0123456789abcdef"}, box=papp.credentials)
    stored = source(papp, source_id)
    assert stored.config["token"] == "••••••••cdef"
    assert stored.credentials is not None
    assert "tok-0123456789abcdef" not in stored.credentials
    script.steps.append(page("1", cursor={"n": 1}))
    assert poll_source(papp, source_id).ok
    assert script.tokens == ["tok-0123456789abcdef"]


def test_refused_credentials_pause_the_source_until_new_ones_are_saved(
    papp: App, script: ScriptedConnector, clock: FixedClock
) -> None:
    source_id = add(papp, config={"token": "old-token-0123456789"}, box=papp.credentials)
    refused = "Mastodon refused the credentials (HTTP 401): enter new ones."
    script.steps.append(fail(AuthFailed(refused)))
    outcome = poll_source(papp, source_id)
    assert not outcome.ok
    assert outcome.paused
    paused = source(papp, source_id)
    assert paused.paused_reason == refused
    assert paused.next_poll_at is None
    clock.advance(timedelta(days=2))
    assert source_id not in due_sources(papp, clock.now())
    assert not claim_source(papp, source_id, clock.now())

    # Saving the configuration unchanged keeps the source paused ...
    update_source(
        papp.db, papp.clock, papp.registry, ACTOR, source_id,
        config=dict(paused.config), box=papp.credentials,
    )  # fmt: skip
    assert source(papp, source_id).paused_reason == refused
    # ... new credentials resume it, and the next poll uses them.
    update_source(
        papp.db, papp.clock, papp.registry, ACTOR, source_id,
        config={**paused.config, "token": "new-token-0123456789"}, box=papp.credentials,
    )  # fmt: skip
    resumed = source(papp, source_id)
    assert resumed.paused_reason is None
    assert resumed.config["token"] == "••••••••6789"
    assert source_id in due_sources(papp, clock.now())
    script.steps.append(page("1", cursor={"n": 1}))
    assert poll_source(papp, source_id).ok
    assert script.tokens[-1] == "new-token-0123456789"


def test_enabling_resumes_a_paused_source(papp: App, script: ScriptedConnector) -> None:
    source_id = add(papp)
    script.steps.append(fail(AuthFailed("Reddit refused access (HTTP 403).")))
    poll_source(papp, source_id)
    assert source(papp, source_id).paused_reason
    set_source_enabled(papp.db, papp.clock, ACTOR, source_id, True)
    resumed = source(papp, source_id)
    assert resumed.paused_reason is None
    assert resumed.next_poll_at is not None


# --- sources whose query follows a topic ------------------------------------------------------


class TopicSearchConfig(BaseModel):
    topic: str | None = None
    query: str = ""


@dataclass
class TopicSearchConnector:
    key: str = "topic-search"
    title: str = "Topic search test connector"
    capabilities: frozenset[Capability] = frozenset({Capability.POLL, Capability.SEARCH})
    settings_model: type[BaseModel] = TopicSearchConfig
    queries: list[str] = field(default_factory=list)

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        assert isinstance(config, TopicSearchConfig)
        self.queries.append(config.query)
        return FetchResult([], {"n": len(self.queries)})


def test_a_source_that_follows_a_topic_searches_its_current_query(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    from sbu.listening.topics import create_topic, update_topic
    from tests.listening.topic_world import department

    searcher = TopicSearchConnector()
    settings = make_settings(database_url, tmp_path)
    app = build(settings, clock=clock, registry=build_registry(settings, load_plugins=False,
                                                               extra=[searcher]))  # fmt: skip
    try:
        lead = Actor("user", "lea", role="admin")
        topic = create_topic(app.db, app.clock, lead, name="Box Ondine", query="ondine AND box",
                             subject_kind="own_brand", subject_name="Ondine",
                             department_id=department(app))  # fmt: skip
        source_id = create_source(app.db, app.clock, app.registry, ACTOR, name="X Ondine",
                                  connector="topic-search", config={"topic": "Box Ondine"}).id  # fmt: skip
        assert poll_source(app, source_id).ok
        update_topic(app.db, app.clock, lead, topic.id, query="ondine AND (box OR fibre)")
        assert poll_source(app, source_id).ok
        assert searcher.queries == ["ondine AND box", "ondine AND (box OR fibre)"]
        missing = create_source(app.db, app.clock, app.registry, ACTOR, name="X Nope",
                                connector="topic-search", config={"topic": "Nope"}).id  # fmt: skip
        outcome = poll_source(app, missing)
        assert not outcome.ok
        assert outcome.error is not None
        assert "follows the topic 'Nope', which does not exist" in outcome.error
    finally:
        app.close()
