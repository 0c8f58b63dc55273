"""The services' sentences in the page's language: every known sentence has a French version.

The sentences are produced by really calling the services with bad input, so a sentence changed
in sbu.org without its pattern here makes this test fail (it would be shown in English).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.core.errors import SbuError
from sbu.org import api_tokens, passwords, services, throttle
from sbu.web.locales import load_translations
from sbu.web.messages import EXACT, PATTERNS, translate
from tests.web.accounts import EN, FR, SETUP, make_member
from tests.web.conftest import TestClient

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class Ui:
    def __init__(self, language: str) -> None:
        self.translations = load_translations()[language]

    def gettext(self, message: str) -> str:
        return str(self.translations.gettext(message))


def sentences(app: App) -> list[str]:
    """The sentence of the refusals the pages show, from the real services.

    Left out on purpose (shown in English): an unknown department kind, weekday, role or field,
    which the forms cannot send (they offer only valid choices); the API is in English.
    """
    admin = make_member(app, "admin", "root@example.com", name="Root")
    lead = make_member(app, "sbu_lead", "lead@example.com", name="Lead")
    as_admin = Actor("user", "root@example.com", admin.id, "admin")
    as_lead = Actor("user", "lead@example.com", lead.id, "sbu_lead")
    as_viewer = Actor("user", "v@example.com", 999, "viewer")
    care = services.create_department(app.db, app.clock, SETUP, name="Care", kind="care")
    db, clock = app.db, app.clock
    calls: list[Callable[[], Any]] = [
        lambda: passwords.check_password_rules("short"),
        lambda: passwords.check_password_rules("x" * 300),
        lambda: passwords.check_password_rules("ababababababab"),
        lambda: passwords.check_password_rules("my name is rootroot", email="rootroot@x.org"),
        lambda: services.clean_email("not-an-email"),
        lambda: services.create_department(db, clock, SETUP, name="CARE", kind="care"),
        lambda: services.create_department(db, clock, SETUP, name=" ", kind="care"),
        lambda: services.create_department(db, clock, SETUP, name="X", kind="care", headcount=-1),
        lambda: services.create_department(
            db, clock, SETUP, name="X", kind="care", customer_facing_headcount=-1
        ),
        lambda: services.create_department(db, clock, SETUP, name="X", kind="care", timezone="Nowhere/Zone"),
        lambda: services.create_department(db, clock, SETUP, name="X", kind="care", holidays=["soon"]),
        lambda: services.create_department(db, clock, SETUP, name="X", kind="care", parent_id=999),
        lambda: services.update_department(db, clock, SETUP, care.id, parent_id=care.id),
        lambda: services.update_department(db, clock, SETUP, 999, headcount=1),
        lambda: services.create_department(db, clock, as_viewer, name="Y", kind="care"),
        lambda: services.create_member(db, clock, SETUP, name="R", email="ROOT@example.com", role="viewer"),
        lambda: services.create_member(db, clock, SETUP, name=" ", email="n@example.com", role="viewer"),
        lambda: services.create_member(db, clock, as_lead, name="A", email="a@example.com", role="admin"),
        lambda: services.update_member(db, clock, as_admin, admin.id, active=False),
        lambda: services.update_member(db, clock, SETUP, admin.id, role="viewer"),
        lambda: services.update_member(db, clock, SETUP, 999, name="X"),
        lambda: services.change_password(db, clock, as_admin, admin.id, current="nope", new="x" * 12),
        lambda: services.change_password(db, clock, as_admin, admin.id, current="violet tram 42 lighthouse",
                                         new="violet tram 42 lighthouse"),
        lambda: api_tokens.create_token(db, clock, as_admin, admin.id, name="", scopes=["read"]),
        lambda: api_tokens.create_token(db, clock, as_admin, admin.id, name="t", scopes=["root"]),
        lambda: api_tokens.create_token(db, clock, as_admin, admin.id, name="t", scopes=["read"], days=999),
        lambda: api_tokens.create_token(db, clock, SETUP, lead.id, name="t", scopes=["read"], days=0),
        lambda: api_tokens.create_token(db, clock, as_lead, admin.id, name="t", scopes=["read"]),
        lambda: api_tokens.revoke_token(db, clock, SETUP, 999),
        lambda: throttle.authenticate(db, clock, app.settings.auth, "nobody@example.com", "x"),
    ]  # fmt: skip
    viewer = make_member(app, "viewer", "viewer@example.com")
    calls.append(
        lambda: api_tokens.create_token(db, clock, SETUP, viewer.id, name="t", scopes=["admin"])
    )
    found = []
    for call in calls:
        with pytest.raises(SbuError) as caught:
            call()
        found.append(str(caught.value))
    for _ in range(app.settings.auth.max_failed_logins):
        try:
            throttle.authenticate(db, clock, app.settings.auth, "root@example.com", "wrong guess")
        except SbuError as exc:
            last = str(exc)
    found.append(last)
    return found


def test_every_service_sentence_has_a_french_version(sqlite_app: App) -> None:
    french, english = Ui("fr"), Ui("en")
    untranslated = []
    for sentence in sentences(sqlite_app):
        assert translate(english, sentence) == sentence
        if translate(french, sentence) == sentence:
            untranslated.append(sentence)
    assert untranslated == []


def test_values_are_kept_in_the_translation() -> None:
    french = Ui("fr")
    locked = (
        "Too many failed sign-ins for this email: try again in 15 minutes, or ask an "
        "administrator to reset the password."
    )
    assert translate(french, locked).startswith("Trop de tentatives de connexion")
    assert "15 min" in translate(french, locked)
    assert translate(french, "A department called 'Care' already exists.") == (
        "Un service nommé 'Care' existe déjà."
    )
    assert translate(french, "Something nobody wrote down.") == "Something nobody wrote down."


def test_the_tables_are_consistent() -> None:
    french = Ui("fr")
    for sentence in EXACT:
        assert french.gettext(sentence) != sentence, sentence
    for pattern, msgid in PATTERNS:
        assert set(pattern.groupindex) == set(PLACEHOLDER.findall(msgid)), msgid


def test_guard_sentences_are_translated(sqlite_app: App, sqlite_client: TestClient) -> None:
    sqlite_client.headers.pop("X-CSRF-Token")
    english = sqlite_client.post("/profile", data={"name": "x"}, headers=EN)
    french = sqlite_client.post("/profile", data={"name": "x"}, headers=FR)
    assert "This form expired or did not come from sbu" in english.text
    assert "Ce formulaire a expiré ou ne vient pas de sbu" in french.text
