"""The request dependencies: the UI language and the read session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from sbu.web.deps import SessionDep, UiDep, get_session
from tests.web.conftest import TestClient


def test_ui_language_from_cookie_header_or_default(sqlite_web: FastAPI) -> None:
    def language(ui: UiDep) -> dict[str, str]:
        return {"lang": ui.code, "stream": ui.gettext("Stream")}

    sqlite_web.add_api_route("/probe/language", language)
    with TestClient(sqlite_web) as client:
        assert client.get("/probe/language").json() == {"lang": "en", "stream": "Stream"}
        french = client.get("/probe/language", headers={"accept-language": "fr-CH, en;q=0.5"})
        assert french.json() == {"lang": "fr", "stream": "Flux"}
        client.cookies.set("sbu_lang", "en")
        assert (
            client.get("/probe/language", headers={"accept-language": "fr"}).json()["lang"] == "en"
        )


def test_one_session_per_request_closed_afterwards(sqlite_web: FastAPI) -> None:
    seen: list[Session] = []

    def probe(session: SessionDep, again: Annotated[Session, Depends(get_session)]) -> int:
        seen.append(session)
        assert again is session  # cached within one request
        return int(session.execute(text("SELECT 41 + 1")).scalar_one())

    sqlite_web.add_api_route("/probe/session", probe)
    with TestClient(sqlite_web) as client:
        assert client.get("/probe/session").json() == 42
        assert client.get("/probe/session").json() == 42
    assert len(seen) == 2
    assert seen[0] is not seen[1]
    assert not seen[0].in_transaction()
