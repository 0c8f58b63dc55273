from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr
from sqlalchemy import select, text

from sbu.bootstrap import App, build
from sbu.connectors.base import Capability
from sbu.connectors.registry import build_registry
from sbu.core.audit import Actor, AuditEvent
from sbu.core.clock import FixedClock
from sbu.core.credentials import CredentialBox
from sbu.core.errors import ConfigError, Conflict, InvalidInput, NotFound
from sbu.listening.models import IngestRun, Source
from sbu.listening.services import (
    create_source,
    finish_run,
    get_source,
    rekey_credentials,
    set_source_enabled,
    start_run,
    update_source,
)
from sbu.settings import CredentialSettings
from tests.conftest import make_settings

ACTOR = Actor("user", "lea")


def test_create_source_validates_audits_and_schedules_polling(app: App) -> None:
    feed = create_source(app.db, app.clock, app.registry, ACTOR, name="Presse tech", connector="rss",
                         config={"url": "https://example.com/feed.xml"}, purpose="veille")  # fmt: skip
    assert feed.poll_interval_seconds == app.settings.feeds.default_poll_seconds
    assert feed.next_poll_at == app.clock.now()
    files = create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")
    assert files.poll_interval_seconds is None
    assert files.next_poll_at is None
    with app.db.session() as session:
        events = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [(e.action, e.actor, e.object_id) for e in events] == [
        ("source.created", "user:lea", str(feed.id)),
        ("source.created", "user:lea", str(files.id)),
    ]
    assert events[0].after is not None
    assert events[0].after["config"]["url"] == "https://example.com/feed.xml"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "  "}, InvalidInput, "not valid"),
        ({"name": "x", "connector": "myspace"}, NotFound, "no connector called 'myspace'"),
        ({"name": "x", "connector": "rss", "config": {}}, InvalidInput, "url"),
        ({"name": "x", "connector": "rss", "config": {"url": "ftp://a"}}, InvalidInput, "http"),
        ({"name": "x", "retention_days": 0}, InvalidInput, "retention"),
    ],
)
def test_create_source_refuses_bad_input_with_a_sentence(
    app: App, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    values: dict[str, object] = {"connector": "file", **kwargs}
    with pytest.raises(error, match=message):
        create_source(app.db, app.clock, app.registry, ACTOR, **values)  # type: ignore[arg-type]
    with app.db.session() as session:
        assert session.execute(select(Source)).first() is None


def test_names_are_unique(app: App) -> None:
    create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")
    with pytest.raises(Conflict, match="already exists"):
        create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")


def test_enable_disable_update_and_get(app: App) -> None:
    feed = create_source(app.db, app.clock, app.registry, ACTOR, name="Feed", connector="rss",
                         config={"url": "https://example.com/a.xml"})  # fmt: skip
    set_source_enabled(app.db, app.clock, ACTOR, "Feed", False)
    update_source(app.db, app.clock, app.registry, ACTOR, feed.id, poll_interval_seconds=60,
                  config={"url": "https://example.com/b.xml"})  # fmt: skip
    with app.db.session() as session:
        stored = get_source(session, str(feed.id))
        assert not stored.enabled
        assert stored.poll_interval_seconds == 60
        assert stored.config["url"] == "https://example.com/b.xml"
        with pytest.raises(NotFound, match="sbu sources list"):
            get_source(session, "nope")
        actions = session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert actions == ["source.created", "source.disabled", "source.updated"]


def test_runs_left_running_by_a_crash_are_closed_as_interrupted(app: App) -> None:
    source = create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file")
    first = start_run(app.db, app.clock, source.id, "imported")
    second = start_run(app.db, app.clock, source.id, "imported")
    finish_run(app.db, app.clock, ACTOR, second, status="completed", imported=3, duplicates=1,
               flagged=0, rejected=2)  # fmt: skip
    with app.db.session() as session:
        runs = {r.id: r for r in session.execute(select(IngestRun)).scalars()}
    assert runs[first].status == "interrupted"
    assert (runs[second].status, runs[second].imported, runs[second].rejected) == (
        "completed",
        3,
        2,
    )


# --- credentials -----------------------------------------------------------------------------


class TokenConfig(BaseModel):
    instance: str
    access_token: SecretStr | None = None


@dataclass
class TokenConnector:
    key: str = "token-test"
    title: str = "Token test"
    capabilities: frozenset[Capability] = frozenset({Capability.IMPORT})
    settings_model: type[BaseModel] = TokenConfig


@pytest.fixture
def tapp(database_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    settings = make_settings(database_url, tmp_path)
    registry = build_registry(settings, load_plugins=False, extra=[TokenConnector()])
    built = build(settings, clock=clock, registry=registry)
    yield built
    built.close()


TOKEN = "mastodon-token-0123456789-ABCD"


def raw_source_row(app: App, name: str) -> dict[str, object]:
    with app.db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT config, credentials FROM sources WHERE name = :n"), {"n": name}
        ).one()
    return {"config": str(row[0]), "credentials": row[1]}


def test_credentials_are_stored_encrypted_and_audited_masked(tapp: App) -> None:
    create_source(tapp.db, tapp.clock, tapp.registry, ACTOR, name="Masto", connector="token-test",
                  config={"instance": "https://m.example", "access_token": TOKEN},
                  box=tapp.credentials)  # fmt: skip
    row = raw_source_row(tapp, "Masto")
    assert TOKEN not in str(row["config"])
    assert "••••••••ABCD" in str(row["config"])
    assert isinstance(row["credentials"], str)
    assert TOKEN not in row["credentials"]
    assert tapp.credentials.open(row["credentials"], owner="x") == {"access_token": TOKEN}
    with tapp.db.session() as session:
        (event,) = session.execute(select(AuditEvent)).scalars().all()
    assert TOKEN not in repr(event.after)
    assert event.after is not None
    assert event.after["config"]["access_token"] == "••••••••ABCD"


def test_saving_the_mask_keeps_the_credential_and_a_new_value_replaces_it(tapp: App) -> None:
    create_source(tapp.db, tapp.clock, tapp.registry, ACTOR, name="Masto", connector="token-test",
                  config={"instance": "https://m.example", "access_token": TOKEN},
                  box=tapp.credentials)  # fmt: skip
    with tapp.db.session() as session:
        config = dict(get_source(session, "Masto").config)
    update_source(tapp.db, tapp.clock, tapp.registry, ACTOR, "Masto",
                  config={**config, "instance": "https://n.example"}, box=tapp.credentials)  # fmt: skip
    row = raw_source_row(tapp, "Masto")
    assert tapp.credentials.open(str(row["credentials"]), owner="x") == {"access_token": TOKEN}
    update_source(tapp.db, tapp.clock, tapp.registry, ACTOR, "Masto",
                  config={**config, "access_token": "other-0123456789-WXYZ"},
                  box=tapp.credentials)  # fmt: skip
    row = raw_source_row(tapp, "Masto")
    assert tapp.credentials.open(str(row["credentials"]), owner="x") == {
        "access_token": "other-0123456789-WXYZ"
    }
    assert "••••••••WXYZ" in str(row["config"])


def test_rekey_encrypts_every_credential_with_the_current_key(
    tapp: App, database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    create_source(tapp.db, tapp.clock, tapp.registry, ACTOR, name="Masto", connector="token-test",
                  config={"instance": "https://m.example", "access_token": TOKEN},
                  box=tapp.credentials)  # fmt: skip
    old_key = tapp.settings.credentials.key
    rotated = make_settings(
        database_url,
        tmp_path,
        credentials={
            "key": "the-new-key-0123456789-0123456789-0123",
            "previous_keys": [old_key.get_secret_value()],
        },
    )
    box = CredentialBox(rotated.credentials)
    assert rekey_credentials(tapp.db, clock, box, ACTOR) == 1
    sealed = str(raw_source_row(tapp, "Masto")["credentials"])
    assert CredentialBox(CredentialSettings(key=rotated.credentials.key)).open(
        sealed, owner="x"
    ) == {"access_token": TOKEN}
    with pytest.raises(ConfigError, match="cannot be decrypted"):
        tapp.credentials.open(sealed, owner="x")
    with tapp.db.session() as session:
        actions = [e.action for e in session.execute(select(AuditEvent)).scalars()]
    assert actions[-1] == "sources.credentials_rekeyed"


def test_new_credentials_replace_ones_sealed_with_a_lost_key(tapp: App) -> None:
    create_source(tapp.db, tapp.clock, tapp.registry, ACTOR, name="Masto", connector="token-test",
                  config={"instance": "https://m.example", "access_token": TOKEN},
                  box=tapp.credentials)  # fmt: skip
    lost = CredentialBox(CredentialSettings(key=SecretStr("another-key-0123456789-0123456789")))
    with pytest.raises(ConfigError, match="cannot be decrypted"):  # keeping needs the old key
        update_source(tapp.db, tapp.clock, tapp.registry, ACTOR, "Masto",
                      config={"instance": "https://n.example"}, box=lost)  # fmt: skip
    update_source(tapp.db, tapp.clock, tapp.registry, ACTOR, "Masto",
                  config={"instance": "https://n.example", "access_token": "fresh-0123456789-QRST"},
                  box=lost)  # fmt: skip
    sealed = str(raw_source_row(tapp, "Masto")["credentials"])
    assert lost.open(sealed, owner="x") == {"access_token": "fresh-0123456789-QRST"}


def test_a_purpose_longer_than_the_column_is_refused(app: App) -> None:
    with pytest.raises(InvalidInput, match="at most 500 characters"):
        create_source(app.db, app.clock, app.registry, ACTOR, name="Export", connector="file",
                      purpose="x" * 501)  # fmt: skip
