"""Listening → a mention (``/listening/mentions/{id}``): every field, the thread, the raw payload."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from sbu.listening.queries import mention_detail
from sbu.listening.topic_queries import mention_topics
from sbu.web.deps import SessionDep, UiDep
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/listening/mentions/{mention_id}", response_class=HTMLResponse)
def mention_page(request: Request, session: SessionDep, ui: UiDep, mention_id: int) -> HTMLResponse:
    detail = mention_detail(session, mention_id) if 0 < mention_id < 2**63 else None
    if detail is None:
        raise HTTPException(
            404,
            ui.gettext(
                "This mention does not exist: it may have been deleted. "
                "Go back to the Stream to find another one."
            ),
        )
    topics = mention_topics(session, [mention_id]).get(mention_id, [])
    return render(request, ui, "listening/mention.html", {"detail": detail, "topics": topics},
                  section="listening")  # fmt: skip
