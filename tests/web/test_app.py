"""create_app: state from the App given, the scheduler's lifecycle, static assets, no globals."""

from __future__ import annotations

import threading

from fastapi import FastAPI
from sqlalchemy import select

from sbu.bootstrap import App
from sbu.listening.models import Source
from sbu.listening.scheduler import Scheduler
from sbu.web import app as app_module
from sbu.web.app import create_app
from sbu.web.deps import WebState
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import make_source, post


def scheduler_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "sbu-scheduler"]


def test_the_app_given_is_kept_on_the_state(sqlite_app: App) -> None:
    web = create_app(sqlite_app)
    state = web.state.web
    assert isinstance(state, WebState)
    assert state.app is sqlite_app
    assert set(state.languages) == {"en", "fr"}
    assert state.head_revision


def test_the_module_holds_no_application() -> None:
    assert not [name for name, value in vars(app_module).items() if isinstance(value, FastAPI)]


def test_lifespan_starts_and_stops_the_scheduler(sqlite_app: App) -> None:
    scheduler = Scheduler(sqlite_app, tick_seconds=0.05)
    web = create_app(sqlite_app, scheduler=scheduler)
    assert not scheduler_threads()
    with TestClient(web) as client:
        assert len(scheduler_threads()) == 1
        assert client.get("/api/v1/health").status_code == 200
    assert not scheduler_threads()


def test_lifespan_closes_nothing_it_did_not_open(sqlite_app: App) -> None:
    source = make_source(sqlite_app)
    sqlite_app.ingest.ingest(source, [post("1", "un message publié sur le bus")])
    assert sqlite_app.bus.started
    with TestClient(create_app(sqlite_app)) as client:
        sign_in(client, sqlite_app)
        response = client.get("/listening/stream", follow_redirects=False)
        assert response.status_code == 200
    # the caller still owns its App: the bus runs and the database answers
    assert sqlite_app.bus.started
    with sqlite_app.db.session() as session:
        assert session.execute(select(Source.name)).scalars().all() == ["tests"]


def test_static_assets_are_served_by_the_app(sqlite_client: TestClient) -> None:
    css = sqlite_client.get("/static/app.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    js = sqlite_client.get("/static/stream.js")
    assert js.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert sqlite_client.get("/static/favicon.svg").headers["content-type"] == "image/svg+xml"
    assert sqlite_client.get("/static/missing.css").status_code == 404
