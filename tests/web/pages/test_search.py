"""Listening → Search: the form in the URL, exact results like the stream's, pages, problems
underlined where they are, the preview section, escaping, and both languages."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from sbu.bootstrap import App
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import XSS, make_source, numbered, post

EN = {"accept-language": "en"}
FR = {"accept-language": "fr"}
DAY = 24 * 60


def shown(html: str) -> list[str]:
    return re.findall(r'<article class="mention" id="mention-(\d+)">', html)


def texts(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<p class="mention-text">([^<]*)</p>', html)]


def older_link(html: str) -> str | None:
    found = re.search(r'<a class="button" href="([^"]+)" rel="next">', html)
    return unescape(found.group(1)) if found else None


def fill(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(
        source_id,
        [
            post("1", "Panne de fibre chez Ondine à Brest", minutes_ago=10),
            post(
                "2", "Ondine fiber outage in Brest", minutes_ago=20, lang="en", platform="bluesky"
            ),
            post("3", "L'opérateur #Ondine recrute à Brest", minutes_ago=DAY * 3),
            post("4", "Les ondines de la rivière", minutes_ago=30),
        ],
    )


def test_the_empty_page_explains_the_language_with_examples(client: TestClient) -> None:
    response = client.get("/listening/search", headers=EN)
    assert response.status_code == 200
    html = response.text
    assert "<h1>Search</h1>" in html
    assert 'action="/listening/search"' in html
    assert 'method="get"' in html
    assert "How to write a query" in html
    example = re.search(r'<a href="(/listening/search\?q=[^"]+)"><code>([^<]+)</code></a>', html)
    assert example is not None
    assert parse_qs(urlsplit(unescape(example.group(1))).query)["q"] == [unescape(example.group(2))]
    # the Listening navigation links here, marked as the current page
    assert '<a href="/listening/search" class="active" aria-current="page">Search</a>' in html
    assert 'id="search-results"' not in html


def test_results_are_exact_newest_first_with_their_count(app: App, client: TestClient) -> None:
    fill(app)
    html = client.get("/listening/search", params={"q": "ondine"}, headers=EN).text
    assert texts(html) == [
        "Panne de fibre chez Ondine à Brest",
        "Ondine fiber outage in Brest",
        "L'opérateur #Ondine recrute à Brest",
    ]
    assert '<p class="count" id="search-count">3 mentions</p>' in html
    assert 'value="ondine"' in html
    assert "<title>Search: ondine · sbu</title>" in html
    # the stream's card: author, platform, link to the detail page
    assert '<span class="badge platform platform-bluesky">Bluesky</span>' in html
    assert 'href="/listening/mentions/' in html


def test_filters_stay_in_the_url(app: App, client: TestClient) -> None:
    fill(app)
    html = client.get(
        "/listening/search", params={"q": "ondine", "language": "en"}, headers=EN
    ).text
    assert texts(html) == ["Ondine fiber outage in Brest"]
    assert '<option value="en" selected>' in html
    bad = client.get("/listening/search", params={"q": "ondine", "from": "hier"}, headers=EN)
    assert bad.status_code == 400
    assert "is not a date" in bad.text


def test_pages_go_older_and_back_to_the_newest(app: App, client: TestClient) -> None:
    source_id = make_source(app)
    app.ingest.ingest(source_id, numbered(60))
    first = client.get("/listening/search", params={"q": "reseau"}, headers=EN).text
    assert len(shown(first)) == 50
    assert '<p class="count" id="search-count">60 mentions</p>' in first
    older = older_link(first)
    assert older is not None
    assert parse_qs(urlsplit(older).query)["q"] == ["reseau"]
    second = client.get(older, headers=EN).text
    assert len(shown(second)) == 10
    assert set(shown(first)).isdisjoint(shown(second))
    assert older_link(second) is None
    assert '<a class="button" href="/listening/search?q=reseau">← Newest</a>' in second


def test_problems_are_underlined_where_they_are(client: TestClient) -> None:
    response = client.get("/listening/search", params={"q": "ondine AND (fibre OR"}, headers=EN)
    assert response.status_code == 400
    html = response.text
    assert 'aria-invalid="true"' in html
    assert (
        '<li class="query-problem" data-code="missing_operand" data-start="18" data-end="20">'
        in html
    )
    assert "<code>ondine AND (fibre <mark>OR</mark></code>" in html
    assert "Column 19:" in html
    assert "OR needs something on both sides." in html
    assert "Add a word, phrase or group on each side of OR, or remove it." in html
    assert 'id="search-results"' not in html


def test_every_lint_problem_is_listed(client: TestClient) -> None:
    html = client.get("/listening/search", params={"q": "the OR and"}, headers=EN).text
    assert "The query has 2 problems:" in html
    assert "<code><mark>the</mark> OR and</code>" in html
    assert "operators are written in capitals" in html


def test_post_text_and_the_query_are_escaped(app: App, client: TestClient) -> None:
    source_id = make_source(app)
    app.ingest.ingest(source_id, [post("x", f"ondine {XSS}")])
    html = client.get("/listening/search", params={"q": "ondine"}, headers=EN).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    problem = client.get("/listening/search", params={"q": '"<script>'}, headers=EN).text
    assert "<script>" not in problem.split("</header>", 1)[1]
    assert "&#34;&lt;script&gt;" in problem or "&quot;&lt;script&gt;" in problem


def test_the_preview_shows_counts_volume_words_and_newest_matches(
    app: App, client: TestClient
) -> None:
    fill(app)
    html = client.get("/listening/search", params={"q": "ondine", "preview": "1"}, headers=EN).text
    assert '<section class="preview card" id="preview"' in html
    assert "Preview: the last 30 days" in html
    assert "3 mentions match" in html
    assert "out of 4 in the period (75 %)." in html
    assert len(re.findall(r'<rect class="volume-bar', html)) == 30
    assert "<title>2026-11-28: 2</title>" in html
    terms = re.findall(
        r'<span class="term">([^<]+)</span> <span class="term-count">(\d+)</span>', html
    )
    assert ("brest", "3") in terms
    assert all(term != "ondine" for term, _count in terms)
    exclude = re.search(r'<a class="term-exclude" href="([^"]+)">exclude</a>', html)
    assert exclude is not None
    excluded_query = parse_qs(urlsplit(unescape(exclude.group(1))).query)["q"][0]
    assert excluded_query.startswith("(ondine) NOT ")
    assert len(re.findall(r'<li class="related">', html)) == 3
    without = client.get("/listening/search", params={"q": "ondine"}, headers=EN).text
    assert 'id="preview"' not in without
    assert 'name="preview" value="1"' in without


def test_the_page_speaks_french(app: App, client: TestClient) -> None:
    fill(app)
    html = client.get("/listening/search", params={"q": "ondine", "preview": "1"}, headers=FR).text
    assert '<html lang="fr">' in html
    assert "<h1>Recherche</h1>" in html
    assert '<p class="count" id="search-count">3 mentions</p>' in html
    assert "Aperçu : les 30 derniers jours" in html
    assert "Rechercher" in html
    empty = client.get("/listening/search", headers=FR).text
    assert "Comment écrire une requête" in empty


def test_a_viewer_may_search(app: App, anonymous: TestClient) -> None:
    fill(app)
    sign_in(anonymous, app, role="viewer")
    response = anonymous.get("/listening/search", params={"q": "brest"}, headers=EN)
    assert response.status_code == 200
    assert len(shown(response.text)) == 3
