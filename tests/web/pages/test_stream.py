"""Listening → Stream: rows, filters, pagination, counts, escaping, the live banner's hooks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI

from sbu.bootstrap import App, build
from sbu.core.clock import FixedClock
from sbu.listening.queries import Facets, StreamPage
from sbu.web.app import create_app
from sbu.web.deps import WebState
from sbu.web.templating import permission_check
from tests.conftest import make_settings
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import XSS, make_source, numbered, post

EN = {"accept-language": "en"}
FR = {"accept-language": "fr"}


def shown(html: str) -> list[str]:
    """The ids of the mentions a page lists, in order."""
    return re.findall(r'<article class="mention" id="mention-(\d+)">', html)


def texts(html: str) -> list[str]:
    return re.findall(r'<p class="mention-text">([^<]*)</p>', html)


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a class="button" href="([^"]+)" rel="{rel}">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_newest_first_with_author_time_metrics_and_links(
    app: App, source_id: int, client: TestClient
) -> None:
    app.ingest.ingest(
        source_id,
        [
            post("a", "Premier message", minutes_ago=180, likes=1200, replies=3),
            post(
                "b",
                "Second message\navec deux lignes",
                minutes_ago=5,
                title="Un titre",
                url="https://news.example/b",
            ),
        ],
    )
    response = client.get("/listening/stream", headers=EN)
    assert response.status_code == 200
    html = response.text
    assert texts(html) == ["Second message\navec deux lignes", "Premier message"]
    assert '<p class="count" id="stream-count">2 mentions</p>' in html
    assert '<h3 class="mention-title">Un titre</h3>' in html
    assert '<span class="author">Author b</span>' in html
    assert '<span class="handle">@ab</span>' in html
    assert ">5 minutes ago</time>" in html
    assert 'datetime="2026-11-28T08:55:00Z"' in html
    assert ">3 hours ago</time>" in html
    assert '<span class="metric-value">1,200</span>' in html
    assert 'href="https://news.example/b" rel="noopener noreferrer nofollow"' in html
    assert '<span class="badge platform platform-mastodon">Mastodon</span>' in html
    assert "<br" not in html.split('<div class="stream"', 1)[1]


def test_french_page_formats_for_french_readers(
    app: App, source_id: int, client: TestClient
) -> None:
    app.ingest.ingest(source_id, [post("a", "Un message", minutes_ago=5, likes=1200)])
    html = client.get("/listening/stream", headers=FR).text
    assert '<html lang="fr">' in html
    assert "<h1>Flux</h1>" in html
    assert ">il y a 5 minutes</time>" in html
    assert '<span class="metric-value">1\u202f200</span>' in html
    assert "1 mention</p>" in html
    assert '<label for="f-platform">Plateforme</label>' in html


def test_filters_change_the_rows_and_stay_in_the_form(
    app: App, source_id: int, client: TestClient
) -> None:
    other = make_source(app, "Presse")
    app.ingest.ingest(
        source_id,
        [
            post("fr1", "Panne du réseau à Lyon", platform="mastodon", lang="fr", minutes_ago=50),
            post("en1", "Network outage in Leeds", platform="bluesky", lang="en", minutes_ago=40),
        ],
    )
    app.ingest.ingest(
        other, [post("fr2", "Le RÉSEAU est revenu", platform="news", lang="fr", minutes_ago=30)]
    )
    everything = client.get("/listening/stream", headers=EN).text
    assert len(shown(everything)) == 3
    bluesky = client.get("/listening/stream?platform=bluesky", headers=EN).text
    assert texts(bluesky) == ["Network outage in Leeds"]
    assert '<option value="bluesky" selected>Bluesky</option>' in bluesky
    french = client.get("/listening/stream?language=fr", headers=EN).text
    assert texts(french) == ["Le RÉSEAU est revenu", "Panne du réseau à Lyon"]
    assert '<option value="fr" selected>French (fr)</option>' in french
    search = client.get("/listening/stream?q=reseau", headers=EN).text
    assert texts(search) == ["Le RÉSEAU est revenu", "Panne du réseau à Lyon"]
    assert 'name="q" value="reseau"' in search
    by_source = client.get(f"/listening/stream?source={other}", headers=EN).text
    assert texts(by_source) == ["Le RÉSEAU est revenu"]
    assert f'<option value="{other}" selected>Presse</option>' in by_source
    dates = client.get("/listening/stream?from=2026-11-28&to=2026-11-28", headers=EN).text
    assert len(shown(dates)) == 3
    assert 'name="from" value="2026-11-28"' in dates
    none = client.get("/listening/stream?from=2026-11-01&to=2026-11-02", headers=EN).text
    assert shown(none) == []
    assert "No mention matches these filters" in none


def test_originals_only_hides_duplicates_and_badges_link_to_the_original(
    app: App, source_id: int, client: TestClient
) -> None:
    text = (
        "La nouvelle box de Télécom Ouest redémarre toute seule chaque nuit depuis la mise à jour"
    )
    app.ingest.ingest(source_id, [post("orig", text, minutes_ago=60)])
    app.ingest.ingest(source_id, [post("copy", text, minutes_ago=30)])
    original_id = client.get("/api/v1/mentions?originals_only=true").json()["items"][0]["id"]
    html = client.get("/listening/stream", headers=EN).text
    assert f'<a class="badge duplicate" href="/listening/mentions/{original_id}"' in html
    assert ">Copy</a>" in html
    originals = client.get("/listening/stream?originals_only=1", headers=EN).text
    assert shown(originals) == [str(original_id)]
    assert 'name="originals_only" value="1" checked' in originals


@pytest.fixture
def small_pages(database_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    """The app with 5 mentions per page."""
    settings = make_settings(database_url, tmp_path, web={"secret_key": "k" * 40, "page_size": 5})
    built = build(settings, clock=clock)
    yield built
    built.close()


def test_older_and_newer_pages(small_pages: App) -> None:
    small_pages.ingest.ingest(make_source(small_pages), numbered(12))
    with TestClient(create_app(small_pages)) as client:
        sign_in(client, small_pages, role="viewer")
        _walk_pages(client)


def _walk_pages(client: TestClient) -> None:
    first = client.get("/listening/stream?platform=mastodon", headers=EN).text
    assert len(shown(first)) == 5
    assert link(first, "prev") is None
    older = link(first, "next")
    assert older is not None
    assert parse_qs(urlsplit(older).query)["platform"] == ["mastodon"]
    second = client.get(older, headers=EN).text
    third = client.get(link(second, "next") or "", headers=EN).text
    assert len(shown(third)) == 2
    assert link(third, "next") is None
    seen = shown(first) + shown(second) + shown(third)
    assert len(set(seen)) == 12
    back = client.get(link(third, "prev") or "", headers=EN).text
    assert shown(back) == shown(second)
    top = client.get(link(back, "prev") or "", headers=EN).text
    assert shown(top) == shown(first)


def test_counts_are_capped_and_formatted(app: App, source_id: int, client: TestClient) -> None:
    app.ingest.ingest(source_id, numbered(3))
    html = client.get("/listening/stream", headers=EN).text
    assert "3 mentions</p>" in html


def test_a_capped_count_reads_as_a_lower_bound(sqlite_web: FastAPI) -> None:
    state: WebState = sqlite_web.state.web
    page = StreamPage(rows=[], older=None, newer=None, count=10_000, count_capped=True)
    context = {
        "page": page,
        "values": {},
        "facets": Facets([], [], []),
        "topics": [],
        "error": None,
        "filtered": True,
        "paged": False,
        "top_url": "/listening/stream",
        "older_url": None,
        "newer_url": None,
        "new_count_url": None,
        "section": "listening",
        "language_links": [],
        "here": "/listening/stream",
        "principal": None,
        "csrf_token": "",
        "can": permission_check(None),
    }
    english = state.languages["en"].env.get_template("listening/stream.html").render(context)
    assert '<p class="count" id="stream-count">10,000+ mentions</p>' in english
    french = state.languages["fr"].env.get_template("listening/stream.html").render(context)
    assert '<p class="count" id="stream-count">10\u202f000+ mentions</p>' in french


def test_post_text_is_always_escaped(app: App, source_id: int, client: TestClient) -> None:
    app.ingest.ingest(
        source_id,
        [post("x", XSS, title=XSS, author={"id": "e", "handle": XSS, "name": XSS})],
    )
    html = client.get("/listening/stream", headers=EN).text
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert html.count("<script") == 1  # the page's own script, from /static
    searched = client.get("/listening/stream", params={"q": XSS}, headers=EN).text
    assert "<script>alert(1)" not in searched


def test_bad_filter_values_say_what_to_send(sqlite_client: TestClient) -> None:
    response = sqlite_client.get("/listening/stream?from=hier&q=panne", headers=FR)
    assert response.status_code == 400
    assert "La valeur « hier » de « from » n&#39;est pas une date" in response.text
    assert 'name="q" value="panne"' in response.text
    cursor = sqlite_client.get("/listening/stream?before=xyz", headers=EN)
    assert cursor.status_code == 400
    assert "The cursor &#39;before&#39; is not valid" in cursor.text


def test_empty_stream_says_how_to_get_mentions(sqlite_client: TestClient) -> None:
    html = sqlite_client.get("/listening/stream", headers=EN).text
    assert "No mention has been collected yet" in html
    assert "0 mentions" in html


def test_live_banner_polls_the_api_with_the_same_filters(
    app: App, source_id: int, client: TestClient
) -> None:
    app.ingest.ingest(source_id, [post("a", "Un message", minutes_ago=5, lang="en")])
    html = client.get("/listening/stream?language=en&originals_only=1&q=message", headers=EN).text
    banner = re.search(
        r'<div class="new-banner" id="new-mentions" role="status" hidden\s+data-url="([^"]+)"', html
    )
    assert banner is not None
    url = banner.group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(url).query)
    assert urlsplit(url).path == "/api/v1/mentions/new-count"
    assert query["language"] == ["en"]
    assert query["q"] == ["message"]
    assert query["originals_only"] == ["1"]
    assert client.get(url).json() == {"count": 0, "capped": False}
    app.ingest.ingest(source_id, [post("b", "Un autre message", minutes_ago=1, lang="en")])
    assert client.get(url).json() == {"count": 1, "capped": False}
    assert 'data-one="1 new mention"' in html
    assert 'data-many="{n} new mentions"' in html
    assert '<script src="/static/stream.js" defer></script>' in html


def test_live_banner_works_on_an_empty_stream(app: App, source_id: int, client: TestClient) -> None:
    html = client.get("/listening/stream", headers=EN).text
    url = re.search(r'data-url="([^"]+)"', html).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    app.ingest.ingest(source_id, [post("first", "Le tout premier message")])
    assert client.get(url).json()["count"] == 1


def test_the_topic_filter_shows_the_topic_matches(
    app: App, source_id: int, client: TestClient
) -> None:
    from tests.web.topics import make_department, make_topic, match_everything

    app.ingest.ingest(source_id, [post("a", "Ondine en panne"), post("b", "Rien à signaler")])
    topic = make_topic(app, make_department(app), name="Ondine <b>")
    match_everything(app)
    everything = client.get("/listening/stream", headers=EN).text
    assert '<label for="f-topic">Topic</label>' in everything
    assert len(shown(everything)) == 2
    html = client.get(f"/listening/stream?topic={topic.id}", headers=EN).text
    assert texts(html) == ["Ondine en panne"]
    assert f'<option value="{topic.id}" selected>Ondine &lt;b&gt;</option>' in html
    banner = re.search(r'data-url="([^"]+)"', html)
    assert banner is not None
    assert f"topic={topic.id}" in banner.group(1)
    bad = client.get("/listening/stream?topic=ondine", headers=FR)
    assert bad.status_code == 400
    assert "Le sujet doit être le numéro d&#39;un sujet" in bad.text
