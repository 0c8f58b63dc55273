"""Settings → Departments: the list, and a form to create or change a department.

Every signed-in member may read the list and a department's page (departments.read); creating
and changing need departments.manage (administrators and SBU leads), checked by the access
guard and again by the services of sbu.org.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sbu.core.errors import NotFound, SbuError
from sbu.org.models import Department
from sbu.org.queries import list_departments
from sbu.org.roles import Permission, allows
from sbu.org.services import DEFAULT_HOURS, create_department, update_department
from sbu.web.auth import Principal
from sbu.web.deps import AppDep, PrincipalDep, SessionDep, UiDep
from sbu.web.errors import service_status
from sbu.web.forms import (
    WEEKDAYS,
    FormError,
    checked,
    format_holidays,
    format_hours,
    optional_id,
    parse_holidays,
    parse_hours,
    whole_number,
)
from sbu.web.labels import WEEKDAY_LABELS
from sbu.web.messages import translate
from sbu.web.templating import UiLanguage, render

router = APIRouter(include_in_schema=False)
DepartmentId = Annotated[int, Path(ge=1, le=2**53)]


class DepartmentForm(BaseModel):
    """The fields of the department form, as text (checked by :func:`fields_from`)."""

    name: str = Field(default="", max_length=300)
    kind: str = Field(default="care", max_length=40)
    parent_id: str = Field(default="", max_length=20)
    headcount: str = Field(default="", max_length=20)
    customer_facing_headcount: str = Field(default="", max_length=20)
    timezone: str = Field(default="Europe/Paris", max_length=100)
    hours_mon: str = Field(default="", max_length=200)
    hours_tue: str = Field(default="", max_length=200)
    hours_wed: str = Field(default="", max_length=200)
    hours_thu: str = Field(default="", max_length=200)
    hours_fri: str = Field(default="", max_length=200)
    hours_sat: str = Field(default="", max_length=200)
    hours_sun: str = Field(default="", max_length=200)
    holidays: str = Field(default="", max_length=20_000)
    active: str | None = Field(default=None, max_length=10)


FormDep = Annotated[DepartmentForm, Form()]


def values_of(department: Department | None) -> dict[str, Any]:
    """What the form shows: a department's values, or the defaults of a new one."""
    if department is None:
        hours: dict[str, Any] = DEFAULT_HOURS
        return {"name": "", "kind": "care", "parent_id": "", "headcount": "0",
                "customer_facing_headcount": "0", "timezone": "Europe/Paris",
                "hours": {day: format_hours(hours.get(day)) for day in WEEKDAYS},
                "holidays": "", "active": True}  # fmt: skip
    return {
        "name": department.name, "kind": department.kind,
        "parent_id": str(department.parent_id or ""), "headcount": str(department.headcount),
        "customer_facing_headcount": str(department.customer_facing_headcount),
        "timezone": department.timezone,
        "hours": {day: format_hours(department.business_hours.get(day)) for day in WEEKDAYS},
        "holidays": format_holidays(department.holidays), "active": department.active,
    }  # fmt: skip


def values_from(form: DepartmentForm) -> dict[str, Any]:
    """What the form shows again after an error: exactly what was entered."""
    values = form.model_dump(exclude={"active"})
    values["hours"] = {day: getattr(form, f"hours_{day}") for day in WEEKDAYS}
    values["active"] = checked(form.active)
    return values


def fields_from(ui: UiLanguage, form: DepartmentForm) -> dict[str, Any]:
    """The service's fields from the form, or FormError with a sentence."""
    hours = {}
    for day in WEEKDAYS:
        intervals = parse_hours(ui, getattr(form, f"hours_{day}"), ui.gettext(WEEKDAY_LABELS[day]))
        if intervals:
            hours[day] = intervals
    return {
        "name": form.name, "kind": form.kind, "parent_id": optional_id(form.parent_id),
        "headcount": whole_number(ui, form.headcount, ui.gettext("The headcount")),
        "customer_facing_headcount": whole_number(
            ui, form.customer_facing_headcount, ui.gettext("The customer-facing headcount")
        ),
        "timezone": form.timezone.strip(), "business_hours": hours,
        "holidays": parse_holidays(form.holidays), "active": checked(form.active),
    }  # fmt: skip


def _department(session: Session, department_id: int) -> Department:
    department = session.get(Department, department_id)
    if department is None:
        msg = f"There is no department {department_id}."
        raise NotFound(msg)
    return department


def _form_page(
    request: Request, ui: UiLanguage, session: Session, principal: Principal, *,
    values: dict[str, Any], department: Department | None, error: str | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    parents = [
        row.department for row in list_departments(session)
        if department is None or row.department.id != department.id
    ]  # fmt: skip
    editable = allows(principal.role, Permission.DEPARTMENTS_MANAGE, principal.scopes)
    context = {"values": values, "department": department, "parents": parents, "error": error,
               "editable": editable, "weekdays": WEEKDAYS, "done": request.query_params.get("done")}  # fmt: skip
    return render(request, ui, "settings/department_form.html", context,
                  status_code=status_code, section="settings")  # fmt: skip


@router.get("/settings/departments", response_class=HTMLResponse)
def departments_page(request: Request, session: SessionDep, ui: UiDep) -> Response:
    rows = list_departments(session)
    return render(request, ui, "settings/departments.html", {"rows": rows}, section="settings")


@router.get("/settings/departments/new", response_class=HTMLResponse)
def new_department(
    request: Request, session: SessionDep, ui: UiDep, principal: PrincipalDep
) -> Response:
    return _form_page(request, ui, session, principal, values=values_of(None), department=None)


@router.post("/settings/departments/new", response_class=HTMLResponse)
def create_department_page(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    form: FormDep,
) -> Response:  # fmt: skip
    try:
        fields = fields_from(ui, form)
        department = create_department(app.db, app.clock, principal.actor, **fields)
    except FormError as exc:
        return _form_page(request, ui, session, principal, values=values_from(form),
                          department=None, error=exc.message, status_code=400)  # fmt: skip
    except SbuError as exc:
        return _form_page(request, ui, session, principal, values=values_from(form),
                          department=None, error=translate(ui, str(exc)),
                          status_code=service_status(exc))  # fmt: skip
    return RedirectResponse(f"/settings/departments/{department.id}?done=created", status_code=303)


@router.get("/settings/departments/{department_id}", response_class=HTMLResponse)
def department_page(
    request: Request, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    department_id: DepartmentId,
) -> Response:  # fmt: skip
    department = _department(session, department_id)
    return _form_page(request, ui, session, principal, values=values_of(department),
                      department=department)  # fmt: skip


@router.post("/settings/departments/{department_id}", response_class=HTMLResponse)
def update_department_page(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    department_id: DepartmentId, form: FormDep,
) -> Response:  # fmt: skip
    department = _department(session, department_id)
    try:
        fields = fields_from(ui, form)
        update_department(app.db, app.clock, principal.actor, department_id, **fields)
    except FormError as exc:
        return _form_page(request, ui, session, principal, values=values_from(form),
                          department=department, error=exc.message, status_code=400)  # fmt: skip
    except SbuError as exc:
        return _form_page(request, ui, session, principal, values=values_from(form),
                          department=department, error=translate(ui, str(exc)),
                          status_code=service_status(exc))  # fmt: skip
    return RedirectResponse(f"/settings/departments/{department_id}?done=saved", status_code=303)
