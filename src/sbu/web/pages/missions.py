"""The home page and the landing page of each mission (and of Settings)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from sbu.web.deps import UiDep
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)
#: Section key -> template. The order is the navigation's order.
MISSIONS = ("competition", "listening", "intelligence", "engagement", "enablement")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ui: UiDep) -> HTMLResponse:
    return render(request, ui, "home.html", {"missions": MISSIONS}, section="home")


def _landing(section: str) -> None:
    def page(request: Request, ui: UiDep) -> HTMLResponse:
        return render(request, ui, f"missions/{section}.html", section=section)

    page.__name__ = f"{section}_landing"
    router.add_api_route(f"/{section}", page, methods=["GET"], response_class=HTMLResponse)


for _section in (*MISSIONS, "settings"):
    _landing(_section)
