"""``GET /api/v1/health``: is this server able to serve? (public: load balancers call it)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response
from sqlalchemy.exc import SQLAlchemyError

from sbu import __version__
from sbu.db.migrate import current_revision
from sbu.web.api.schemas import BusHealth, DatabaseHealth, HealthOut
from sbu.web.deps import StateDep

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    summary="Health of this server",
    responses={503: {"model": HealthOut, "description": "The database is unreachable or behind."}},
)
def health(state: StateDep, response: Response) -> HealthOut:
    """200 when the database answers and its schema is the newest, 503 otherwise."""
    app = state.app
    revision: str | None = None
    try:
        revision = current_revision(app.db)
        reachable = True
    except SQLAlchemyError as exc:
        log.warning("The health check could not reach the database: %s", exc)
        reachable = False
    up_to_date = reachable and revision == state.head_revision
    response.headers["Cache-Control"] = "no-store"
    if not up_to_date:
        response.status_code = 503
    return HealthOut(
        status="ok" if up_to_date else "unavailable",
        version=__version__,
        database=DatabaseHealth(
            reachable=reachable,
            schema_up_to_date=up_to_date,
            revision=revision,
            head=state.head_revision,
        ),
        bus=BusHealth(backend=app.settings.bus.backend),
    )
