"""Roles, permissions and department scoping: the whole access policy, in one module.

Every route of the web app declares which :class:`Permission` it needs (sbu.web.policy), and
:func:`allows` is the only place that decides. The table in docs/admin/permissions.md is this
module in words; tests/org/test_roles.py checks they agree.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    ADMIN = "admin"
    SBU_LEAD = "sbu_lead"
    AGENT = "agent"
    ANALYST = "analyst"
    VIEWER = "viewer"


class Permission(StrEnum):
    # Listening
    MENTIONS_READ = "mentions.read"
    SOURCES_READ = "sources.read"
    SOURCES_MANAGE = "sources.manage"
    DEAD_LETTERS_READ = "dead_letters.read"
    #: See topics, their versions, tests and re-match progress; check queries.
    TOPICS_READ = "topics.read"
    #: Create, change, activate and deactivate topics; re-match history.
    TOPICS_MANAGE = "topics.manage"
    # Organisation
    DEPARTMENTS_READ = "departments.read"
    DEPARTMENTS_MANAGE = "departments.manage"
    MEMBERS_READ = "members.read"
    MEMBERS_MANAGE = "members.manage"
    #: Manage one's own profile, password and API tokens.
    SELF_MANAGE = "self.manage"
    TOKENS_MANAGE_ALL = "tokens.manage_all"
    AUDIT_READ = "audit.read"


#: Which permissions need a write token scope (or admin) when used through an API token.
WRITE_PERMISSIONS = frozenset(
    {
        Permission.SOURCES_MANAGE,
        Permission.TOPICS_MANAGE,
        Permission.DEPARTMENTS_MANAGE,
        Permission.MEMBERS_MANAGE,
        Permission.SELF_MANAGE,
        Permission.TOKENS_MANAGE_ALL,
    }
)
#: Which permissions need the admin token scope.
ADMIN_PERMISSIONS = frozenset(
    {Permission.MEMBERS_MANAGE, Permission.DEPARTMENTS_MANAGE, Permission.TOKENS_MANAGE_ALL,
     Permission.AUDIT_READ}
)  # fmt: skip

_READ_ALL = frozenset(
    {Permission.MENTIONS_READ, Permission.SOURCES_READ, Permission.TOPICS_READ,
     Permission.DEPARTMENTS_READ, Permission.MEMBERS_READ, Permission.SELF_MANAGE}
)  # fmt: skip

ROLE_PERMISSIONS = MappingProxyType(
    {
        Role.ADMIN: frozenset(Permission),
        Role.SBU_LEAD: _READ_ALL
        | {
            Permission.SOURCES_MANAGE,
            Permission.DEAD_LETTERS_READ,
            Permission.TOPICS_MANAGE,
            Permission.DEPARTMENTS_MANAGE,
            Permission.MEMBERS_MANAGE,
            Permission.AUDIT_READ,
        },
        Role.ANALYST: _READ_ALL | {Permission.DEAD_LETTERS_READ, Permission.TOPICS_MANAGE},
        Role.AGENT: _READ_ALL,
        Role.VIEWER: _READ_ALL,
    }
)

ROLE_TITLES = MappingProxyType(
    {
        Role.ADMIN: "Administrator",
        Role.SBU_LEAD: "SBU lead",
        Role.AGENT: "Agent",
        Role.ANALYST: "Analyst",
        Role.VIEWER: "Viewer",
    }
)

#: Department kinds: the SBU itself, business units, control functions.
DEPARTMENT_KINDS = MappingProxyType(
    {
        "sbu": "sbu",
        "care": "business",
        "marketing": "business",
        "pr": "business",
        "sales": "business",
        "hr": "business",
        "product": "business",
        "legal": "control",
        "it": "control",
        "finance": "control",
        "other": "business",
    }
)


def permissions_of(role: str) -> frozenset[Permission]:
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()


def allows(role: str, permission: Permission, scopes: frozenset[str] | None = None) -> bool:
    """Whether a member of ``role`` may use ``permission``.

    ``scopes`` are the scopes of the API token the request came with (None for a browser
    session): ``read`` allows read permissions, ``write`` adds the write ones, ``admin`` adds
    the administrative ones, and never more than the member's role allows.
    """
    if permission not in permissions_of(role):
        return False
    if scopes is None:
        return True
    if permission in ADMIN_PERMISSIONS:
        return "admin" in scopes
    if permission in WRITE_PERMISSIONS:
        return "write" in scopes or "admin" in scopes
    return bool(scopes & {"read", "write", "admin"})


def can_manage_member(actor_role: str, target_role: str) -> bool:
    """SBU leads manage members, but not administrators and cannot make one."""
    if not allows(actor_role, Permission.MEMBERS_MANAGE):
        return False
    return actor_role == Role.ADMIN or target_role != Role.ADMIN
