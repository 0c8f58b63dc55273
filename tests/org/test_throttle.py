"""Signing in with a password: one answer for every failure, lockout, expiry, resets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sbu.bootstrap import App
from sbu.core.clock import FixedClock
from sbu.core.errors import Unauthenticated
from sbu.org import services
from sbu.org.models import LoginThrottle
from sbu.org.throttle import FAILED, authenticate, locked_message
from sbu.settings import AuthSettings
from tests.conftest import NOW
from tests.org.conftest import AGENT_PASSWORD, CLI, Org, audit_events, count, member

SETTINGS = AuthSettings(max_failed_logins=3, lockout_minutes=15)
AGENT = "ines@ondine.example"


def fail_with(app: App, email: str, password: str = "not the password") -> str:
    with pytest.raises(Unauthenticated) as info:
        authenticate(app.db, app.clock, SETTINGS, email, password)
    return str(info.value)


def test_the_right_password_signs_in_and_is_audited(app: App, org: Org, clock: FixedClock) -> None:
    signed_in = authenticate(app.db, app.clock, SETTINGS, "  INES@Ondine.example ", AGENT_PASSWORD)
    assert signed_in.id == Org.id_of(org.agent)
    assert member(app, signed_in.id).last_login_at == NOW
    [event] = audit_events(app, "member.signed_in")
    assert (event.actor, event.object_id, event.after) == (
        f"user:{AGENT}", str(signed_in.id), {"via": "password"},
    )  # fmt: skip


def test_a_wrong_password_and_an_unknown_email_get_the_same_sentence(app: App, org: Org) -> None:
    assert fail_with(app, AGENT) == FAILED
    assert fail_with(app, "nobody@ondine.example") == FAILED
    assert fail_with(app, "not even an email") == FAILED
    assert FAILED.endswith(".")
    assert not audit_events(app, "member.signed_in")


@pytest.mark.parametrize("email", [AGENT, "nobody@ondine.example"])
def test_lockout_after_the_maximum_failures_for_known_and_unknown_emails(
    app: App, org: Org, email: str
) -> None:
    assert [fail_with(app, email) for _ in range(SETTINGS.max_failed_logins - 1)] == [FAILED] * 2
    locked = fail_with(app, email)
    assert locked == locked_message(NOW + timedelta(minutes=15), NOW)
    assert "try again in 15 minutes" in locked
    assert "ask an administrator to reset the password" in locked
    # locked: even the right password is refused, with the same sentence
    assert fail_with(app, email, AGENT_PASSWORD) == locked
    [event] = audit_events(app, "member.locked_out")
    assert (event.actor, event.object_type, event.object_id) == ("system:sign-in", "email", email)
    # another address is not affected
    assert fail_with(app, "anne@ondine.example") == FAILED


def test_the_lockout_expires(app: App, org: Org, clock: FixedClock) -> None:
    for _ in range(SETTINGS.max_failed_logins):
        fail_with(app, AGENT)
    clock.advance(timedelta(minutes=14))
    assert "try again in 1 minute," in fail_with(app, AGENT, AGENT_PASSWORD)
    clock.advance(timedelta(minutes=1, seconds=1))
    assert authenticate(app.db, app.clock, SETTINGS, AGENT, AGENT_PASSWORD).email == AGENT
    assert count(app, LoginThrottle) == 0  # a success forgets the failures


def test_failures_far_apart_do_not_lock(app: App, org: Org, clock: FixedClock) -> None:
    for _ in range(SETTINGS.max_failed_logins - 1):
        fail_with(app, AGENT)
    clock.advance(timedelta(minutes=16))
    assert fail_with(app, AGENT) == FAILED
    assert fail_with(app, AGENT) == FAILED
    assert "Too many failed sign-ins" in fail_with(app, AGENT)


def test_a_success_resets_the_count(app: App, org: Org) -> None:
    for _ in range(SETTINGS.max_failed_logins - 1):
        fail_with(app, AGENT)
    authenticate(app.db, app.clock, SETTINGS, AGENT, AGENT_PASSWORD)
    for _ in range(SETTINGS.max_failed_logins - 1):
        assert fail_with(app, AGENT) == FAILED


def test_a_password_reset_lifts_the_lockout(app: App, org: Org) -> None:
    for _ in range(SETTINGS.max_failed_logins):
        fail_with(app, AGENT)
    temporary = services.reset_password(app.db, app.clock, org.admin, Org.id_of(org.agent))
    signed_in = authenticate(app.db, app.clock, SETTINGS, AGENT, temporary)
    assert signed_in.must_change_password


def test_inactive_members_and_members_without_password_cannot_sign_in(app: App, org: Org) -> None:
    services.update_member(app.db, app.clock, CLI, Org.id_of(org.agent), active=False)
    assert fail_with(app, AGENT, AGENT_PASSWORD) == FAILED
    services.create_member(app.db, app.clock, CLI, name="Léa", email="lea@o.example", role="viewer")
    assert fail_with(app, "lea@o.example", "") == FAILED
    assert fail_with(app, "lea@o.example", "anything at all") == FAILED


def test_the_first_admin_must_change_the_generated_password(app: App) -> None:
    created = services.ensure_first_admin(app.db, app.clock, CLI, email="root@o.example")
    assert created is not None
    signed_in = authenticate(app.db, app.clock, SETTINGS, "root@o.example", created[1])
    assert signed_in.must_change_password


def test_the_default_settings_lock_after_five_failures(app: App, org: Org) -> None:
    settings = AuthSettings()
    assert (settings.max_failed_logins, settings.lockout_minutes) == (5, 15)
    for _ in range(4):
        with pytest.raises(Unauthenticated, match="not right"):
            authenticate(app.db, app.clock, settings, AGENT, "nope")
    with pytest.raises(Unauthenticated, match="Too many failed sign-ins"):
        authenticate(app.db, app.clock, settings, AGENT, "nope")


def test_locked_message_counts_whole_minutes_up() -> None:
    assert "in 15 minutes" in locked_message(NOW + timedelta(minutes=15), NOW)
    assert "in 1 minute," in locked_message(NOW + timedelta(seconds=20), NOW)
    assert "in 2 minutes" in locked_message(NOW + timedelta(seconds=61), NOW)
