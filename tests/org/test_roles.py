"""The access policy: roles × permissions × token scopes, and the documented table."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from sbu.org import roles
from sbu.org.roles import (
    ADMIN_PERMISSIONS,
    ROLE_PERMISSIONS,
    WRITE_PERMISSIONS,
    Permission,
    Role,
    allows,
    can_manage_member,
    permissions_of,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "admin" / "permissions.md"
SCOPE_SETS = [
    frozenset(combo)
    for size in range(4)
    for combo in itertools.combinations(("read", "write", "admin"), size)
]


def documented_table() -> tuple[list[str], dict[str, dict[str, str]]]:
    """The permissions table of docs/admin/permissions.md: {permission: {column: cell}}."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    header_index = next(i for i, line in enumerate(lines) if line.startswith("| Permission |"))
    header = [cell.strip() for cell in lines[header_index].strip("|").split("|")]
    rows: dict[str, dict[str, str]] = {}
    for line in lines[header_index + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        match = re.fullmatch(r"`([a-z_.]+)`", cells[0])
        assert match, f"The first cell of {line!r} must be a permission in backquotes."
        rows[match.group(1)] = dict(zip(header, cells, strict=True))
    return header, rows


def test_the_table_has_one_column_per_role_and_one_row_per_permission() -> None:
    header, rows = documented_table()
    assert [h for h in header if h in {r.value for r in Role}] == [r.value for r in Role]
    assert sorted(rows) == sorted(p.value for p in Permission)
    for permission, cells in rows.items():
        for role in Role:
            assert cells[role.value] in {"yes", "no"}, (permission, role)
        assert cells["Token scope"] in {"read", "write", "admin"}, permission
        assert cells["What it allows"].endswith("."), permission


def test_the_documented_table_is_the_code() -> None:
    _, rows = documented_table()
    for role in Role:
        documented = {p for p, cells in rows.items() if cells[role.value] == "yes"}
        assert documented == {p.value for p in ROLE_PERMISSIONS[role]}, role


def test_the_documented_token_scopes_are_the_code() -> None:
    _, rows = documented_table()
    for permission in Permission:
        expected = (
            "admin"
            if permission in ADMIN_PERMISSIONS
            else "write"
            if permission in WRITE_PERMISSIONS
            else "read"
        )
        assert rows[permission.value]["Token scope"] == expected, permission


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_allows_follows_the_documented_table_for_every_scope_set(
    role: Role, permission: Permission
) -> None:
    _, rows = documented_table()
    granted = rows[permission.value][role.value] == "yes"
    needed = rows[permission.value]["Token scope"]
    assert allows(role, permission) is granted  # a browser session: the role alone decides
    assert allows(role.value, permission, None) is granted
    for scopes in SCOPE_SETS:
        if needed == "admin":
            by_scope = "admin" in scopes
        elif needed == "write":
            by_scope = bool(scopes & {"write", "admin"})
        else:
            by_scope = bool(scopes)
        assert allows(role, permission, scopes) is (granted and by_scope), (role, scopes)


def test_a_token_never_gives_more_than_the_role() -> None:
    for permission in Permission:
        assert not allows(Role.VIEWER, permission, frozenset({"admin"})) or (
            permission in ROLE_PERMISSIONS[Role.VIEWER]
        )
    assert not allows(Role.SBU_LEAD, Permission.TOKENS_MANAGE_ALL, frozenset({"admin"}))
    assert not allows(Role.AGENT, Permission.MEMBERS_MANAGE, frozenset({"read", "write", "admin"}))


def test_unknown_scopes_and_unknown_roles_allow_nothing() -> None:
    assert not allows(Role.ADMIN, Permission.MENTIONS_READ, frozenset({"everything"}))
    assert not allows(Role.ADMIN, Permission.MENTIONS_READ, frozenset())
    assert permissions_of("superuser") == frozenset()
    assert not allows("superuser", Permission.MENTIONS_READ)
    assert not allows("", Permission.MENTIONS_READ)


def test_admin_has_everything_and_a_viewer_only_reads_and_manages_themselves() -> None:
    assert permissions_of("admin") == frozenset(Permission)
    assert permissions_of("viewer") == {
        Permission.MENTIONS_READ, Permission.SOURCES_READ, Permission.TOPICS_READ,
        Permission.DEPARTMENTS_READ, Permission.MEMBERS_READ, Permission.SELF_MANAGE,
    }  # fmt: skip
    assert Permission.TOPICS_MANAGE in permissions_of("analyst")
    assert Permission.TOPICS_MANAGE in permissions_of("sbu_lead")
    assert Permission.TOPICS_MANAGE not in permissions_of("agent")
    assert Permission.TOKENS_MANAGE_ALL not in permissions_of("sbu_lead")
    assert Permission.AUDIT_READ in permissions_of("sbu_lead")
    assert Permission.DEAD_LETTERS_READ in permissions_of("analyst")
    assert Permission.DEAD_LETTERS_READ not in permissions_of("agent")


@pytest.mark.parametrize(
    ("actor", "target", "expected"),
    [
        ("admin", "admin", True),
        ("admin", "viewer", True),
        ("sbu_lead", "agent", True),
        ("sbu_lead", "sbu_lead", True),
        ("sbu_lead", "admin", False),
        ("agent", "viewer", False),
        ("analyst", "viewer", False),
        ("viewer", "viewer", False),
        ("nobody", "viewer", False),
    ],
)
def test_can_manage_member(actor: str, target: str, expected: bool) -> None:
    assert can_manage_member(actor, target) is expected


def test_every_role_has_a_title_and_department_kinds_are_grouped() -> None:
    assert set(roles.ROLE_TITLES) == set(Role)
    assert set(roles.DEPARTMENT_KINDS.values()) == {"sbu", "business", "control"}
    assert {"sbu", "care", "marketing", "pr", "sales", "hr", "product", "legal", "it"} <= set(
        roles.DEPARTMENT_KINDS
    )
