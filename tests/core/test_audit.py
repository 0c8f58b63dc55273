from __future__ import annotations

from sqlalchemy import select

from sbu.bootstrap import App
from sbu.core import audit
from sbu.core.audit import Actor, AuditEvent
from tests.conftest import NOW


def test_record_is_committed_with_the_change(app: App) -> None:
    with app.db.write_session() as session:
        audit.record(session, app.clock, Actor("user", "ana"), "thing.changed", "thing", 7,
                     before={"a": 1}, after={"a": 2})  # fmt: skip
        session.commit()
    with app.db.session() as session:
        event = session.execute(select(AuditEvent)).scalar_one()
    assert (event.actor, event.action, event.object_type, event.object_id) == (
        "user:ana", "thing.changed", "thing", "7",
    )  # fmt: skip
    assert event.before == {"a": 1}
    assert event.after == {"a": 2}
    assert event.occurred_at == NOW


def test_record_is_rolled_back_with_the_change(app: App) -> None:
    with app.db.write_session() as session:
        audit.record(session, app.clock, audit.SYSTEM, "thing.changed", "thing", None)
        session.rollback()
    with app.db.session() as session:
        assert session.execute(select(AuditEvent)).first() is None
