"""Listening → Topics: the list and its filters, a topic's page, switching a topic on and off,
re-matching, the editor's live check, who may do what, CSRF and escaping."""

from __future__ import annotations

import re
from html import unescape

from fastapi import FastAPI
from sqlalchemy import select, update

from sbu.bootstrap import App
from sbu.listening.topic_models import RematchJob, Topic, TopicVersion
from sbu.listening.topics import set_topic_active
from tests.web.accounts import EN, FR, SETUP, snapshot
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import XSS, make_source, post
from tests.web.topics import make_department, make_topic, match_everything


def table_names(html: str) -> list[str]:
    """The topics a list page shows, in order."""
    return re.findall(r'<th scope="row"><a href="/listening/topics/\d+">([^<]*)</a></th>', html)


def versions(app: App, topic_id: int) -> list[tuple[int, str]]:
    with app.db.session() as session:
        rows = session.execute(
            select(TopicVersion.version, TopicVersion.change)
            .where(TopicVersion.topic_id == topic_id)
            .order_by(TopicVersion.version)
        )
        return [(version, change) for version, change in rows]


def test_the_list_shows_each_topic_with_its_matches(app: App, client: TestClient) -> None:
    care = make_department(app, "Care")
    marketing = make_department(app, "Marketing")
    ondine = make_topic(app, care)
    rival = make_topic(app, marketing, name="Rival", query="rivalnet", subject_kind="competitor",
                       subject_name="RivalNet", examples=[], active=False)  # fmt: skip
    source = make_source(app)
    app.ingest.ingest(source, [post("1", "Ondine encore en panne"), post("2", "Chez ondine")])
    match_everything(app)
    html = client.get("/listening/topics", headers=EN).text
    assert table_names(html) == ["Ondine", "Rival"]
    assert '<a class="button primary" href="/listening/topics/new">New topic</a>' in html
    assert f'<a href="/listening/stream?topic={ondine.id}">2</a>' in html
    assert f'<a href="/listening/stream?topic={rival.id}">0</a>' in html
    assert '<span class="muted">Own brand</span> · Ondine Télécom' in html
    assert "<td>Marketing</td>" in html
    assert '<tr class="inactive">' in html
    assert f'<a href="/listening/topics/{ondine.id}/history">1</a>' in html
    filters = {
        "?active=0": ["Rival"],
        "?active=1": ["Ondine"],
        "?kind=competitor": ["Rival"],
        f"?department={care}": ["Ondine"],
        "?q=RIVALNET": ["Rival"],
        "?q=telecom": ["Ondine"],
    }
    for query, names in filters.items():
        filtered = client.get(f"/listening/topics{query}", headers=EN).text
        assert table_names(filtered) == names, query
    none = client.get("/listening/topics?q=nothing-like-this", headers=EN).text
    assert "No topic matches these filters." in none
    assert 'value="nothing-like-this"' in none


def test_the_list_in_french_and_when_empty(app: App, client: TestClient) -> None:
    empty = client.get("/listening/topics", headers=EN).text
    assert "There is no topic yet." in empty
    assert "Create one for your own brand first" in empty
    make_topic(app, make_department(app))
    french = client.get("/listening/topics", headers=FR).text
    assert "<h1>Sujets</h1>" in french
    assert '<span class="muted">Notre marque</span> · Ondine Télécom' in french
    assert '<span class="status status-ok">Actif</span>' in french


def test_a_topic_page_shows_query_examples_matches_and_history_matching(
    app: App, client: TestClient
) -> None:
    department = make_department(app)
    source = make_source(app)
    app.ingest.ingest(source, [post("old", "Ondine a tout coupé", minutes_ago=300)])
    match_everything(app)  # the stage has seen the first mention: the topic's job covers it
    topic = make_topic(
        app, department, description="Notre marque.\nDeux lignes.",
        examples=[{"text": "Ondine a coupé la fibre", "expect": "match", "lang": "fr"},
                  {"text": "Une ondine dans la mythologie", "expect": "no_match", "note": "Mythe"}],
        query='ondine NOT mythologie',
    )  # fmt: skip
    page = client.get(f"/listening/topics/{topic.id}", headers=EN).text
    assert '<pre class="query-text" id="topic-query">ondine NOT mythologie</pre>' in page
    assert "History re-match waiting: 0 of 1 mention" in page
    assert f'data-progress-url="/api/v1/topics/{topic.id}/rematch"' in page
    assert page.count('<span class="result result-pass">✓ Passes.</span>') == 2
    assert "lang: fr" in page
    assert '<span class="hint">Mythe</span>' in page
    assert "Notre marque.\nDeux lignes." in page
    assert "No mention matches this topic yet." in page
    app.ingest.ingest(source, [post("new", "Ondine répare enfin", minutes_ago=10)])
    match_everything(app)
    page = client.get(f"/listening/topics/{topic.id}", headers=EN).text
    assert "History re-matched: 1 mention" in page
    assert "data-progress-url" not in page
    assert len(re.findall(r'<article class="mention" id="mention-\d+">', page)) == 2
    assert f'<dd id="topic-matches"><a href="/listening/stream?topic={topic.id}">2</a></dd>' in page
    assert f'href="/listening/topics/{topic.id}/edit">Edit</a>' in page
    assert f'action="/listening/topics/{topic.id}/deactivate"' in page


def test_deactivate_and_activate_through_the_page(app: App, client: TestClient) -> None:
    topic = make_topic(app, make_department(app))
    off = client.post(f"/listening/topics/{topic.id}/deactivate", data={"note": "Pause"},
                      follow_redirects=False)  # fmt: skip
    assert off.status_code == 303
    assert off.headers["location"] == f"/listening/topics/{topic.id}?done=deactivated"
    page = client.get(off.headers["location"], headers=EN).text
    assert "new mentions are no longer matched" in page
    assert f'action="/listening/topics/{topic.id}/activate"' in page
    assert "Match the history again" not in page  # only an active topic is re-matched
    on = client.post(f"/listening/topics/{topic.id}/activate", data={"note": ""},
                     follow_redirects=False)  # fmt: skip
    assert on.headers["location"] == f"/listening/topics/{topic.id}?done=activated"
    assert versions(app, topic.id) == [(1, "created"), (2, "deactivated"), (3, "activated")]
    with app.db.session() as session:
        notes = session.execute(
            select(TopicVersion.note).where(TopicVersion.topic_id == topic.id)
            .order_by(TopicVersion.version)
        ).scalars().all()  # fmt: skip
    assert notes == [None, "Pause", None]


def test_activation_refused_by_a_failing_example_says_which(app: App, client: TestClient) -> None:
    topic = make_topic(app, make_department(app), active=False)
    with app.db.session() as session, session.begin():  # as if the language's rules had changed
        failing = [{"text": "Rien à voir", "expect": "match"}]
        session.execute(update(Topic).where(Topic.id == topic.id).values(examples=failing))
    before = versions(app, topic.id)
    response = client.post(f"/listening/topics/{topic.id}/activate", data={}, headers=EN)
    assert response.status_code == 400
    assert "The topic was not activated because some of its examples fail" in response.text
    assert "Example 1: It should match the query but does not." in response.text
    assert versions(app, topic.id) == before


def test_match_the_history_again(app: App, client: TestClient) -> None:
    source = make_source(app)
    app.ingest.ingest(source, [post("1", "Ondine"), post("2", "Autre chose")])
    match_everything(app)
    topic = make_topic(app, make_department(app))
    match_everything(app)
    response = client.post(f"/listening/topics/{topic.id}/rematch", follow_redirects=False)
    assert response.headers["location"] == f"/listening/topics/{topic.id}?done=rematch"
    page = client.get(response.headers["location"], headers=EN).text
    assert "The stored mentions will be matched again in the background." in page
    assert "History re-match waiting: 0 of 2 mentions" in page
    with app.db.session() as session:
        statuses = session.execute(
            select(RematchJob.status).where(RematchJob.topic_id == topic.id).order_by(RematchJob.id)
        ).scalars().all()  # fmt: skip
    assert statuses == ["done", "queued"]
    set_topic_active(app.db, app.clock, SETUP, topic.id, False)
    refused = client.post(f"/listening/topics/{topic.id}/rematch", headers=EN)
    assert refused.status_code == 400
    assert "The topic &#39;Ondine&#39; is inactive: activate it" in refused.text


def test_the_live_check_answers_in_the_page_language(client: TestClient) -> None:
    english = client.post("/listening/topics/check", json={"query": "ondine AND (fibre"},
                          headers=EN).json()  # fmt: skip
    assert english == {
        "ok": False,
        "problems": [{
            "code": "unclosed_paren", "message": "This parenthesis is never closed.",
            "hint": "Add a ) where the group ends, or remove this (.", "start": 11, "end": 12,
            "column": 12,
        }],
    }  # fmt: skip
    french = client.post("/listening/topics/check", json={"query": "ondine AND (fibre"},
                         headers=FR).json()  # fmt: skip
    assert french["problems"][0]["message"] == "Cette parenthèse n'est jamais fermée."
    fine = client.post("/listening/topics/check", json={"query": 'ondine NEAR/3 "fibre"'})
    assert fine.json() == {"ok": True, "problems": []}
    assert fine.headers["cache-control"] == "no-store"


def test_the_live_check_needs_the_csrf_token_and_topic_reading(
    app: App, client: TestClient, web: FastAPI
) -> None:
    client.headers.pop("X-CSRF-Token")
    forged = client.post("/listening/topics/check", json={"query": "a"}, headers=EN)
    assert forged.status_code == 403
    with TestClient(web) as viewer:
        sign_in(viewer, app, role="viewer", email="viewer@test.example")
        assert viewer.post("/listening/topics/check", json={"query": "a"}).status_code == 200


def test_a_viewer_reads_but_cannot_change(app: App, web: FastAPI) -> None:
    topic = make_topic(app, make_department(app))
    with TestClient(web) as viewer:
        sign_in(viewer, app, role="viewer")
        listing = viewer.get("/listening/topics", headers=EN)
        assert listing.status_code == 200
        assert "New topic" not in listing.text
        page = viewer.get(f"/listening/topics/{topic.id}", headers=EN).text
        assert "/edit" not in page
        assert "/deactivate" not in page
        assert "Match the history again" not in page
        assert viewer.get(f"/listening/topics/{topic.id}/history").status_code == 200
        before = snapshot(app), versions(app, topic.id)
        for path in (f"/listening/topics/{topic.id}/deactivate",
                     f"/listening/topics/{topic.id}/rematch"):  # fmt: skip
            refused = viewer.post(path, data={}, headers=EN)
            assert refused.status_code == 403, path
            assert "Your role (viewer) may not do this" in refused.text
        assert viewer.get("/listening/topics/new").status_code == 403
        assert viewer.get(f"/listening/topics/{topic.id}/edit").status_code == 403
        assert (snapshot(app), versions(app, topic.id)) == before
    with TestClient(web) as analyst:
        sign_in(analyst, app, role="analyst")
        page = analyst.get(f"/listening/topics/{topic.id}", headers=EN).text
        assert f'href="/listening/topics/{topic.id}/edit"' in page


def test_actions_need_the_csrf_token(app: App, client: TestClient) -> None:
    topic = make_topic(app, make_department(app))
    client.headers.pop("X-CSRF-Token")
    before = versions(app, topic.id)
    for action in ("deactivate", "rematch"):
        response = client.post(f"/listening/topics/{topic.id}/{action}",
                               data={"csrf_token": "forged"}, headers=EN)  # fmt: skip
        assert response.status_code == 403
        assert "This form expired or did not come from sbu" in response.text
    assert versions(app, topic.id) == before


def test_hostile_text_is_escaped_everywhere(app: App, client: TestClient) -> None:
    hostile = XSS[:90]
    topic = make_topic(
        app, make_department(app), name=hostile, description=XSS, subject_name=XSS[:150],
        query='"script alert" OR ondine',
        examples=[{"text": f"ondine {XSS}", "expect": "match", "title": XSS, "note": XSS}],
    )  # fmt: skip
    source = make_source(app)
    app.ingest.ingest(source, [post("x", f"ondine {XSS}", title=XSS)])
    match_everything(app)
    mention_id = client.get("/api/v1/mentions").json()["items"][0]["id"]
    pages = [
        "/listening/topics",
        f"/listening/topics/{topic.id}",
        f"/listening/topics/{topic.id}/edit",
        f"/listening/topics/{topic.id}/history",
        f"/listening/stream?topic={topic.id}",
        f"/listening/mentions/{mention_id}",
    ]
    for path in pages:
        html = client.get(path, headers=EN).text
        assert "<script>alert(1)" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;" in html, path


def test_an_unknown_topic_is_a_404_page(client: TestClient) -> None:
    for path in ("/listening/topics/999", "/listening/topics/999/edit",
                 "/listening/topics/999/history"):  # fmt: skip
        response = client.get(path, headers=EN)
        assert response.status_code == 404, path
        assert "There is no topic 999: Listening → Topics lists them." in unescape(response.text)
    french = client.get("/listening/topics/999", headers=FR)
    assert "Il n&#39;y a pas de sujet 999" in french.text
    assert client.post("/listening/topics/999/activate", data={}).status_code == 404
    assert client.get("/listening/topics/abc", headers=EN).status_code == 404


def test_topic_pages_use_no_inline_script_or_style(app: App, client: TestClient) -> None:
    from tests.web.test_assets import ResourceCollector

    topic = make_topic(app, make_department(app))
    set_topic_active(app.db, app.clock, SETUP, topic.id, False)
    paths = ["/listening/topics", "/listening/topics/new", f"/listening/topics/{topic.id}",
             f"/listening/topics/{topic.id}/edit", f"/listening/topics/{topic.id}/history"]  # fmt: skip
    for path in paths:
        for headers in (EN, FR):
            html = client.get(path, headers=headers).text
            collector = ResourceCollector()
            collector.feed(html)
            assert all(url.startswith("/") and not url.startswith("//") for url in collector.urls)
            assert "<style" not in html, path
            assert " style=" not in html, path
            assert not re.search(r"\son[a-z]+=", html), path
            scripts = re.findall(r"<script[^>]*>", html)
            assert all('src="/static/' in tag for tag in scripts), path
