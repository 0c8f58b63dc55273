"""Settings → Sources and Settings → Dead letters."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from sbu.bootstrap import App
from sbu.listening.drafts import Rejected
from sbu.listening.models import Source
from tests.web.conftest import TestClient
from tests.web.posts import XSS, make_source, post

EN = {"accept-language": "en"}


def test_sources_table(app: App, client: TestClient) -> None:
    imported = make_source(app, "Import")
    broken = make_source(app, "Broken")
    app.ingest.ingest(imported, [post("1", "un"), post("2", "deux")])
    app.ingest.ingest(broken, [], rejected=[Rejected("line 1", "Line 1 is not valid JSON.", "{")])
    with app.db.write_session() as session:
        session.execute(
            update(Source)
            .where(Source.id == broken)
            .values(consecutive_failures=3, last_error=f"The server said {XSS}")
        )
        session.commit()
    html = client.get("/settings/sources", headers=EN).text
    assert '<th scope="col">Connector</th>' in html
    assert f'href="/listening/stream?source={imported}">Import</a>' in html
    assert f'href="/settings/dead-letters?source={broken}">1</a>' in html
    assert "Failing" in html
    assert "Working" in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sources_page_without_sources_says_what_to_do(sqlite_client: TestClient) -> None:
    html = sqlite_client.get("/settings/sources", headers=EN).text
    assert "There is no source yet" in html


def test_dead_letters_page_filters_pages_and_escapes(app: App, client: TestClient) -> None:
    first = make_source(app, "first")
    second = make_source(app, "second")
    app.ingest.ingest(
        first,
        [],
        rejected=[
            Rejected(f"line {i}", f"Line {i} is not valid JSON.", f"{{{i}") for i in range(60)
        ],
    )
    app.ingest.ingest(second, [], rejected=[Rejected("line 1", "Line 1 is not valid JSON.", XSS)])
    page_one = client.get("/settings/dead-letters", headers=EN).text
    assert "61 items" in page_one
    assert "Page 1 of 2" in page_one
    assert 'href="/settings/dead-letters?page=2" rel="next"' in page_one
    page_two = client.get("/settings/dead-letters?page=2", headers=EN).text
    assert "Page 2 of 2" in page_two
    assert page_two.count('class="card dead-letter"') == 11
    only_second = client.get(f"/settings/dead-letters?source={second}", headers=EN).text
    assert "1 item" in only_second
    assert f'<option value="{second}" selected>second</option>' in only_second
    assert "<script>alert(1)" not in only_second
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in only_second


def test_dead_letters_page_with_a_bad_source(sqlite_client: TestClient) -> None:
    response = sqlite_client.get("/settings/dead-letters?source=abc", headers=EN)
    assert response.status_code == 400
    assert "The source must be the number of a source" in response.text
    assert "No item was rejected" in response.text


def test_a_paused_source_shows_why_in_both_languages(app: App, client: TestClient) -> None:
    paused = make_source(app, "Masto")
    reason = f"Mastodon refused the credentials (HTTP 401: {XSS})."
    with app.db.write_session() as session:
        session.execute(update(Source).where(Source.id == paused).values(paused_reason=reason))
        session.commit()
    html = client.get("/settings/sources", headers=EN).text
    assert "Paused: credentials refused" in html
    assert "Mastodon refused the credentials (HTTP 401: &lt;script&gt;" in html
    french = client.get("/settings/sources", headers={"accept-language": "fr"}).text
    assert "En pause : identifiants refusés" in french
    api = client.get("/api/v1/sources").json()
    (row,) = [r for r in api if r["id"] == paused]
    assert row["status"] == "paused"
    assert row["paused_reason"] == reason


def test_the_health_of_sources_and_the_ones_needing_attention(app: App, client: TestClient) -> None:
    now = app.clock.now()
    working = make_source(app, "Presse")
    app.ingest.ingest(working, [post("1", "un"), post("2", "deux")])
    sick = make_source(app, "Youtube chaîne")
    with app.db.write_session() as session:
        session.execute(update(Source).where(Source.id == working).values(last_success_at=now))
        session.execute(
            update(Source)
            .where(Source.id == sick)
            .values(
                alert="quota",
                token_expires_at=now + timedelta(days=3),
                usage={"quota_used": 9600, "quota_limit": 10000, "unit": "units per day"},
            )
        )
        session.commit()
    html = client.get("/settings/sources", headers=EN).text
    assert "1 source needs attention." in html
    assert "quota or budget nearly used" in html
    assert "Quota: 9,600 / 10,000 units per day" in html
    assert "Token expires" in html
    assert "Last success" in html
    french = client.get("/settings/sources", headers={"accept-language": "fr"}).text
    assert "1 source demande votre attention." in french
    assert "quota ou budget presque épuisé" in french
    (api,) = [r for r in client.get("/api/v1/sources").json() if r["id"] == sick]
    assert api["alert"] == "quota"
    assert api["usage"]["quota_limit"] == 10000
    (ok,) = [r for r in client.get("/api/v1/sources").json() if r["id"] == working]
    assert ok["items_per_hour"] >= 0
    assert ok["last_success_at"] is not None


def test_a_streaming_source_says_so_instead_of_a_next_poll(app: App, client: TestClient) -> None:
    streamed = make_source(app, "Masto direct")
    with app.db.write_session() as session:
        session.execute(
            update(Source)
            .where(Source.id == streamed)
            .values(
                connector="mastodon",
                config={"instance": "https://m.example", "timeline": "public", "stream": True},
                poll_interval_seconds=300,
            )
        )
        session.commit()
    html = client.get("/settings/sources", headers=EN).text
    assert "Streaming live" in html
    assert "En direct" in client.get("/settings/sources", headers={"accept-language": "fr"}).text
