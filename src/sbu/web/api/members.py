"""``/api/v1/members``: list, create and change members, and reset a password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy.orm import Session

from sbu.core.errors import NotFound
from sbu.org.models import Department, Member
from sbu.org.queries import MemberRow, list_members
from sbu.org.services import create_member, reset_password, update_member
from sbu.web.api.errors import SERVICE_ERRORS
from sbu.web.api.org_schemas import (
    MemberIn,
    MemberOut,
    MemberPatch,
    PasswordResetOut,
    RoleName,
    member_out,
)
from sbu.web.api.schemas import INVALID
from sbu.web.deps import AppDep, PrincipalDep, SessionDep

router = APIRouter(tags=["members"])
MemberId = Annotated[int, Path(ge=1, le=2**53, description="The member's id.")]


def one(session: Session, member_id: int) -> MemberOut:
    session.expire_all()
    member = session.get(Member, member_id)
    if member is None:
        msg = f"There is no member {member_id}: list them with GET /api/v1/members."
        raise NotFound(msg)
    department = session.get(Department, member.department_id) if member.department_id else None
    return member_out(MemberRow(member, department.name if department else None))


@router.get("/members", response_model=list[MemberOut], summary="List members", responses=INVALID)
def members(
    session: SessionDep,
    department: Annotated[int | None, Query(ge=1, description="Only this department.")] = None,
    role: Annotated[RoleName | None, Query(description="Only this role.")] = None,
    active: Annotated[
        bool | None, Query(description="Only active (true) or inactive (false).")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Part of the name or email.")
    ] = None,
) -> list[MemberOut]:
    """Members by name, with their department and role."""
    rows = list_members(session, department_id=department, role=role, active=active, q=q)
    return [member_out(row) for row in rows]


@router.post("/members", response_model=MemberOut, status_code=201, summary="Create a member",
             responses=SERVICE_ERRORS)  # fmt: skip
def post_member(
    app: AppDep, session: SessionDep, principal: PrincipalDep, body: MemberIn
) -> MemberOut:
    """The member has no password yet: reset it to get a one-time password to give them."""
    member = create_member(app.db, app.clock, principal.actor, name=body.name, email=body.email,
                           role=body.role, department_id=body.department_id)  # fmt: skip
    return one(session, member.id)


@router.patch("/members/{member_id}", response_model=MemberOut, summary="Change a member",
              responses=SERVICE_ERRORS)  # fmt: skip
def patch_member(
    app: AppDep, session: SessionDep, principal: PrincipalDep, member_id: MemberId,
    body: MemberPatch,
) -> MemberOut:  # fmt: skip
    """Only the fields sent change. Changing the role or deactivating ends the member's
    sessions; only administrators give or change the administrator role."""
    fields: dict[str, Any] = body.model_dump(exclude_unset=True)
    update_member(app.db, app.clock, principal.actor, member_id, **fields)
    return one(session, member_id)


@router.post("/members/{member_id}/reset-password", response_model=PasswordResetOut,
             summary="Reset a member's password", responses=SERVICE_ERRORS)  # fmt: skip
def post_reset_password(
    app: AppDep, principal: PrincipalDep, member_id: MemberId
) -> PasswordResetOut:
    """A one-time password, in this response only; the member's sessions end and they must
    choose a new password at their next sign-in."""
    password = reset_password(app.db, app.clock, principal.actor, member_id)
    return PasswordResetOut(member_id=member_id, one_time_password=password)
