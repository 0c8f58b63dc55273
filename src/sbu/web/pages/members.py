"""Settings → Members: the list with filters, creating and changing members, password resets.

Every signed-in member may read the list (members.read); the rest needs members.manage
(administrators and SBU leads). An SBU lead cannot change an administrator: the services refuse
it (Forbidden) and the page says so.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sbu.core.errors import NotFound, SbuError
from sbu.org.models import Member
from sbu.org.queries import list_departments, list_members
from sbu.org.roles import Role
from sbu.org.services import create_member, reset_password, update_member
from sbu.web.auth import Principal
from sbu.web.deps import AppDep, PrincipalDep, SessionDep, UiDep
from sbu.web.errors import service_status
from sbu.web.forms import checked, no_store, optional_id, query_value
from sbu.web.messages import translate
from sbu.web.templating import UiLanguage, render

router = APIRouter(include_in_schema=False)
MemberId = Annotated[int, Path(ge=1, le=2**53)]


class MemberForm(BaseModel):
    name: str = Field(default="", max_length=300)
    email: str = Field(default="", max_length=400)
    department_id: str = Field(default="", max_length=20)
    role: str = Field(default="viewer", max_length=20)
    active: str | None = Field(default=None, max_length=10)


FormDep = Annotated[MemberForm, Form()]


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        msg = f"There is no member {member_id}."
        raise NotFound(msg)
    return member


def _roles(principal: Principal, current: str) -> list[str]:
    """The roles the signed-in member may give (only administrators make administrators), and
    the member's current role so that the form shows it."""
    return [r.value for r in Role if principal.role == Role.ADMIN or r in (current, *_NOT_ADMIN)]


_NOT_ADMIN = tuple(r for r in Role if r != Role.ADMIN)


def _form_page(
    request: Request, ui: UiLanguage, session: Session, principal: Principal, *,
    values: dict[str, Any], member: Member | None, error: str | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    departments = [row.department for row in list_departments(session)]
    context = {"values": values, "member": member, "departments": departments, "error": error,
               "roles": _roles(principal, values["role"]), "done": request.query_params.get("done"),
               "is_self": member is not None and member.id == principal.member_id}  # fmt: skip
    return render(request, ui, "settings/member_form.html", context, status_code=status_code,
                  section="settings")  # fmt: skip


def values_of(member: Member) -> dict[str, Any]:
    return {"name": member.name, "email": member.email,
            "department_id": str(member.department_id or ""), "role": member.role,
            "active": member.active}  # fmt: skip


def values_from(form: MemberForm, member: Member | None = None) -> dict[str, Any]:
    values = form.model_dump(exclude={"active"})
    values["active"] = checked(form.active)
    if member is not None:
        values["email"] = member.email  # not editable: shown as it is
    return values


@router.get("/settings/members", response_class=HTMLResponse)
def members_page(request: Request, session: SessionDep, ui: UiDep) -> Response:
    params = request.query_params
    department = optional_id(params.get("department"))
    role = query_value(params, "role", 20)
    active_value = query_value(params, "active", 1)
    q = query_value(params, "q")
    rows = list_members(
        session,
        department_id=department,
        role=role if role in {r.value for r in Role} else None,
        active={"1": True, "0": False}.get(active_value),
        q=q or None,
    )
    departments = [row.department for row in list_departments(session)]
    filters = {"department": str(department or ""), "role": role, "active": active_value, "q": q}
    return render(request, ui, "settings/members.html",
                  {"rows": rows, "departments": departments, "filters": filters,
                   "filtered": any(filters.values()), "roles": [r.value for r in Role]},
                  section="settings")  # fmt: skip


@router.get("/settings/members/new", response_class=HTMLResponse)
def new_member(
    request: Request, session: SessionDep, ui: UiDep, principal: PrincipalDep
) -> Response:
    values = {"name": "", "email": "", "department_id": "", "role": "viewer", "active": True}
    return _form_page(request, ui, session, principal, values=values, member=None)


@router.post("/settings/members/new", response_class=HTMLResponse)
def create_member_page(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    form: FormDep,
) -> Response:  # fmt: skip
    try:
        member = create_member(
            app.db, app.clock, principal.actor, name=form.name, email=form.email,
            role=form.role, department_id=optional_id(form.department_id),
        )  # fmt: skip
    except SbuError as exc:
        return _form_page(request, ui, session, principal, values=values_from(form), member=None,
                          error=translate(ui, str(exc)), status_code=service_status(exc))  # fmt: skip
    return RedirectResponse(f"/settings/members/{member.id}?done=created", status_code=303)


@router.get("/settings/members/{member_id}", response_class=HTMLResponse)
def member_page(
    request: Request, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    member_id: MemberId,
) -> Response:  # fmt: skip
    member = _member(session, member_id)
    return _form_page(request, ui, session, principal, values=values_of(member), member=member)


@router.post("/settings/members/{member_id}", response_class=HTMLResponse)
def update_member_page(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    member_id: MemberId, form: FormDep,
) -> Response:  # fmt: skip
    member = _member(session, member_id)
    try:
        update_member(
            app.db, app.clock, principal.actor, member_id, name=form.name,
            department_id=optional_id(form.department_id), role=form.role,
            active=checked(form.active),
        )  # fmt: skip
    except SbuError as exc:
        return _form_page(request, ui, session, principal, values=values_from(form, member),
                          member=member, error=translate(ui, str(exc)),
                          status_code=service_status(exc))  # fmt: skip
    return RedirectResponse(f"/settings/members/{member_id}?done=saved", status_code=303)


@router.post("/settings/members/{member_id}/reset-password", response_class=HTMLResponse)
def reset_password_page(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    member_id: MemberId,
) -> Response:  # fmt: skip
    """Reset the password and show the one-time password in this response only."""
    member = _member(session, member_id)
    try:
        password = reset_password(app.db, app.clock, principal.actor, member_id)
    except SbuError as exc:
        return _form_page(request, ui, session, principal, values=values_of(member),
                          member=member, error=translate(ui, str(exc)),
                          status_code=service_status(exc))  # fmt: skip
    return no_store(render(request, ui, "settings/member_password.html",
                           {"member": member, "password": password}, section="settings"))  # fmt: skip
