"""``/api/v1/departments``: list, create and change departments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy.orm import Session

from sbu.core.errors import NotFound
from sbu.org.queries import list_departments
from sbu.org.services import create_department, update_department
from sbu.web.api.errors import SERVICE_ERRORS
from sbu.web.api.org_schemas import DepartmentIn, DepartmentOut, DepartmentPatch, department_out
from sbu.web.api.schemas import INVALID
from sbu.web.deps import AppDep, PrincipalDep, SessionDep

router = APIRouter(tags=["departments"])
DepartmentId = Annotated[int, Path(ge=1, le=2**53, description="The department's id.")]


def one(session: Session, department_id: int) -> DepartmentOut:
    session.expire_all()
    for row in list_departments(session):
        if row.department.id == department_id:
            return department_out(row)
    msg = f"There is no department {department_id}: list them with GET /api/v1/departments."
    raise NotFound(msg)


@router.get(
    "/departments",
    response_model=list[DepartmentOut],
    summary="List departments",
    responses=INVALID,
)
def departments(
    session: SessionDep,
    include_inactive: Annotated[bool, Query(description="Also list inactive ones.")] = True,
) -> list[DepartmentOut]:
    """Every department by name, with its parent, headcounts, hours, holidays and members."""
    rows = list_departments(session, include_inactive=include_inactive)
    return [department_out(row) for row in rows]


@router.post("/departments", response_model=DepartmentOut, status_code=201,
             summary="Create a department", responses=SERVICE_ERRORS)  # fmt: skip
def post_department(
    app: AppDep, session: SessionDep, principal: PrincipalDep, body: DepartmentIn
) -> DepartmentOut:
    """Business hours default to Monday-Friday 09:00-18:00 in Europe/Paris."""
    fields = body.model_dump(exclude_unset=True)
    department = create_department(app.db, app.clock, principal.actor, **fields)
    return one(session, department.id)


@router.patch("/departments/{department_id}", response_model=DepartmentOut,
              summary="Change a department", responses=SERVICE_ERRORS)  # fmt: skip
def patch_department(
    app: AppDep, session: SessionDep, principal: PrincipalDep, department_id: DepartmentId,
    body: DepartmentPatch,
) -> DepartmentOut:  # fmt: skip
    """Only the fields sent change; send ``"parent_id": null`` to remove the parent."""
    update_department(app.db, app.clock, principal.actor, department_id,
                      **body.model_dump(exclude_unset=True))  # fmt: skip
    return one(session, department_id)
