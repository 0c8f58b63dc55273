"""API tokens on SQLite and PostgreSQL: shown once, stored hashed, scoped, expiring, revocable."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from sbu.bootstrap import App
from sbu.core.clock import FixedClock
from sbu.core.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from sbu.org import services
from sbu.org.api_tokens import authenticate_token, create_token, revoke_token
from sbu.org.models import ApiToken
from tests.conftest import NOW
from tests.org.conftest import CLI, Org, assert_no_secret_in_audit, audit_events


def stored(app: App, token_id: int) -> ApiToken:
    with app.db.session() as session:
        token = session.get(ApiToken, token_id)
        assert token is not None
        return token


def test_the_value_is_returned_once_and_only_its_sha256_is_stored(app: App, org: Org) -> None:
    token, value = create_token(
        app.db, app.clock, org.agent, Org.id_of(org.agent), name=" Export BI ", scopes=["read"]
    )
    row = stored(app, token.id)
    assert row.token_hash == hashlib.sha256(value.encode()).hexdigest()
    assert row.prefix == value[:10]
    assert row.name == "Export BI"
    assert row.scopes == ["read"]
    assert row.created_at == NOW
    assert row.expires_at == NOW + timedelta(days=90)
    assert (row.last_used_at, row.revoked_at) == (None, None)
    with app.db.session() as session:
        columns = session.execute(select(ApiToken.__table__)).one()  # type: ignore[arg-type]
    assert value not in [str(c) for c in columns]
    [event] = audit_events(app, "token.created")
    assert (event.actor, event.object_type, event.object_id) == (
        "user:ines@ondine.example", "api_token", str(token.id),
    )  # fmt: skip
    assert event.after is not None
    assert event.after["scopes"] == ["read"]
    assert_no_secret_in_audit(app, value, row.token_hash)


@pytest.mark.parametrize(
    ("scopes", "days", "error", "message"),
    [
        ([], None, InvalidInput, "Choose the token's scopes among read, write, admin."),
        (["read", "delete"], None, InvalidInput, "among read, write, admin"),
        (["admin"], None, Forbidden, "Only administrators and SBU leads"),
        (["read"], 0, Forbidden, "Only administrators can create tokens that never expire"),
        (["read"], 367, InvalidInput, "1 to 366 days"),
        (["read"], -5, InvalidInput, "1 to 366 days"),
    ],
)
def test_invalid_tokens_are_refused(
    app: App, org: Org, scopes: list[str], days: int | None, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        create_token(
            app.db, app.clock, CLI, Org.id_of(org.agent), name="t", scopes=scopes, days=days
        )
    assert not audit_events(app, "token.created")


def test_names_members_and_scopes_are_checked(app: App, org: Org) -> None:
    with pytest.raises(InvalidInput, match="name of 1 to 100"):
        create_token(app.db, app.clock, CLI, Org.id_of(org.agent), name="  ", scopes=["read"])
    with pytest.raises(NotFound, match="no active member 4242"):
        create_token(app.db, app.clock, CLI, 4242, name="t", scopes=["read"])
    services.update_member(app.db, app.clock, CLI, Org.id_of(org.agent), active=False)
    with pytest.raises(NotFound, match="no active member"):
        create_token(app.db, app.clock, CLI, Org.id_of(org.agent), name="t", scopes=["read"])
    token, _ = create_token(app.db, app.clock, CLI, Org.id_of(org.lead), name="t",
                            scopes=["write", "admin", "write", "read"])  # fmt: skip
    assert token.scopes == ["admin", "read", "write"]


def test_expiry_days_and_never_for_admins(app: App, org: Org) -> None:
    token, _ = create_token(
        app.db, app.clock, CLI, Org.id_of(org.agent), name="t", scopes=["read"], days=7
    )
    assert token.expires_at == NOW + timedelta(days=7)
    forever, _ = create_token(
        app.db, app.clock, CLI, Org.id_of(org.admin), name="t", scopes=["read"], days=0
    )
    assert forever.expires_at is None


def test_members_manage_their_own_tokens_and_admins_everyone_s(app: App, org: Org) -> None:
    agent_id, lead_id = Org.id_of(org.agent), Org.id_of(org.lead)
    with pytest.raises(Forbidden, match="only your own API tokens"):
        create_token(app.db, app.clock, org.agent, lead_id, name="t", scopes=["read"])
    with pytest.raises(Forbidden, match="only your own API tokens"):
        create_token(app.db, app.clock, org.lead, agent_id, name="t", scopes=["read"])
    mine, _ = create_token(app.db, app.clock, org.agent, agent_id, name="t", scopes=["read"])
    theirs, _ = create_token(app.db, app.clock, org.admin, lead_id, name="t", scopes=["read"])
    with pytest.raises(Forbidden, match="only your own API tokens"):
        revoke_token(app.db, app.clock, org.agent, theirs.id)
    assert stored(app, theirs.id).revoked_at is None
    revoke_token(app.db, app.clock, org.agent, mine.id)
    revoke_token(app.db, app.clock, org.admin, theirs.id)
    assert stored(app, theirs.id).revoked_at == NOW


def test_authenticate_returns_the_member_and_the_token(app: App, org: Org) -> None:
    token, value = create_token(
        app.db, app.clock, CLI, Org.id_of(org.lead), name="t", scopes=["read", "write"]
    )
    member, found = authenticate_token(app.db, app.clock, value)
    assert (member.id, member.role) == (Org.id_of(org.lead), "sbu_lead")
    assert (found.id, found.scopes) == (token.id, ["read", "write"])
    assert stored(app, token.id).last_used_at == NOW


def test_bad_tokens_get_distinct_sentences(app: App, org: Org, clock: FixedClock) -> None:
    agent_id = Org.id_of(org.agent)
    revoked, revoked_value = create_token(
        app.db, app.clock, CLI, agent_id, name="r", scopes=["read"]
    )
    revoke_token(app.db, app.clock, CLI, revoked.id)
    _, expiring = create_token(app.db, app.clock, CLI, agent_id, name="e", scopes=["read"], days=1)
    _, of_inactive = create_token(
        app.db, app.clock, CLI, Org.id_of(org.lead), name="i", scopes=["read"]
    )
    services.update_member(app.db, app.clock, CLI, Org.id_of(org.lead), active=False)
    clock.advance(timedelta(days=1))
    messages = {}
    for case, value in {
        "malformed": "hunter2",
        "unknown": "sbu_" + "A" * 43,
        "revoked": revoked_value,
        "expired": expiring,
        "inactive": of_inactive,
    }.items():
        with pytest.raises(Unauthenticated) as info:
            authenticate_token(app.db, app.clock, value)
        messages[case] = str(info.value)
    assert "malformed" in messages["malformed"]
    assert "Authorization: Bearer" in messages["malformed"]
    assert "unknown" in messages["unknown"]
    assert "revoked" in messages["revoked"]
    assert f"expired on {NOW + timedelta(days=1):%Y-%m-%d}" in messages["expired"]
    assert "deactivated member" in messages["inactive"]
    assert len(set(messages.values())) == 5
    assert all(m.endswith(".") for m in messages.values())


def test_a_token_works_until_the_second_it_expires(app: App, org: Org, clock: FixedClock) -> None:
    _, value = create_token(
        app.db, app.clock, CLI, Org.id_of(org.agent), name="t", scopes=["read"], days=1
    )
    clock.advance(timedelta(days=1) - timedelta(seconds=1))
    authenticate_token(app.db, app.clock, value)
    clock.advance(timedelta(seconds=1))
    with pytest.raises(Unauthenticated, match="expired"):
        authenticate_token(app.db, app.clock, value)


def test_last_used_is_written_at_most_once_a_minute(app: App, org: Org, clock: FixedClock) -> None:
    token, value = create_token(
        app.db, app.clock, CLI, Org.id_of(org.agent), name="t", scopes=["read"]
    )
    authenticate_token(app.db, app.clock, value)
    assert stored(app, token.id).last_used_at == NOW
    clock.advance(timedelta(seconds=30))
    authenticate_token(app.db, app.clock, value)
    clock.advance(timedelta(seconds=30))
    authenticate_token(app.db, app.clock, value)
    assert stored(app, token.id).last_used_at == NOW
    clock.advance(timedelta(seconds=1))
    authenticate_token(app.db, app.clock, value)
    assert stored(app, token.id).last_used_at == NOW + timedelta(seconds=61)


def test_revoke_is_audited_once_and_unknown_ids_are_refused(app: App, org: Org) -> None:
    token, _ = create_token(app.db, app.clock, CLI, Org.id_of(org.agent), name="t", scopes=["read"])
    revoke_token(app.db, app.clock, org.admin, token.id)
    revoke_token(app.db, app.clock, org.admin, token.id)
    [event] = audit_events(app, "token.revoked")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["revoked"], event.after["revoked"]) == (False, True)
    assert event.actor == "user:anne@ondine.example"
    with pytest.raises(NotFound, match="no API token 999"):
        revoke_token(app.db, app.clock, CLI, 999)
