"""Members, real sign-ins through the forms, and "nothing changed" snapshots for the web tests."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from starlette.testclient import TestClient

from sbu.bootstrap import App
from sbu.core.audit import Actor, AuditEvent
from sbu.org.api_tokens import create_token
from sbu.org.models import ApiToken, Department, Member
from sbu.org.services import create_member

SETUP = Actor("test", "setup")
#: A password that passes the rules (12+ characters, varied, without the name or email).
PASSWORD = "violet tram 42 lighthouse"
EN = {"accept-language": "en"}
FR = {"accept-language": "fr"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def make_member(
    app: App, role: str, email: str, *, password: str | None = PASSWORD, **fields: Any
) -> Member:
    return create_member(app.db, app.clock, SETUP, name=fields.pop("name", f"Member {role}"),
                         email=email, role=role, password=password, **fields)  # fmt: skip


def make_token(
    app: App, member_id: int, scopes: list[str], *, days: int | None = None
) -> tuple[ApiToken, str]:
    return create_token(app.db, app.clock, SETUP, member_id, name="test", scopes=scopes, days=days)


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = _CSRF.search(html)
    assert found is not None, "the page has no form with a csrf_token"
    return found.group(1)


def sign_in_with_form(
    client: TestClient, email: str, password: str = PASSWORD, *, next_page: str = "/",
    headers: dict[str, str] | None = None,
) -> Any:  # fmt: skip
    """Open /login, then post the form as a browser does; returns the POST's response."""
    page = client.get(f"/login?next={next_page}", headers=headers or EN)
    assert page.status_code == 200, page.text
    return client.post(
        "/login",
        data={"email": email, "password": password, "next": next_page,
              "csrf_token": csrf_of(page.text)},
        headers=headers or EN, follow_redirects=False,
    )  # fmt: skip


def audit_count(app: App) -> int:
    with app.db.session() as session:
        return int(session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


def snapshot(app: App) -> tuple[Any, ...]:
    """Everything a write route could change: departments, members, tokens and the audit log."""
    with app.db.session() as session:
        departments = [
            (d.id, d.name, d.kind, d.parent_id, d.headcount, d.active, d.updated_at)
            for d in session.execute(select(Department).order_by(Department.id)).scalars()
        ]
        members = [
            (m.id, m.name, m.email, m.role, m.active, m.department_id, m.password_hash,
             m.session_epoch, m.language)
            for m in session.execute(select(Member).order_by(Member.id)).scalars()
        ]  # fmt: skip
        tokens = [
            (t.id, t.name, t.revoked_at)
            for t in session.execute(select(ApiToken).order_by(ApiToken.id)).scalars()
        ]
    return departments, members, tokens, audit_count(app)
