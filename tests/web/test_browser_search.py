"""Listening → Search in a real browser: a query with a syntax error is shown underlined, fixed,
searched, previewed, narrowed with a word of the preview, and read again in French.

Starts ``python -m sbu serve`` with a temporary SQLite database filled with ``sbu import`` (see
tests/web/browser.py) and drives headless Chromium; no request may leave localhost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.browser import ADMIN_EMAIL, ADMIN_PASSWORD, Server, launch, running_server, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def records() -> list[dict[str, Any]]:
    """Fictional posts: outages in several towns, some about recruiting (the noise to exclude)."""
    now = datetime.now(UTC)
    texts = [
        "Panne de fibre à Brest depuis ce matin",
        "Encore une panne de la fibre à Vannes, merci Ondine",
        "La fibre est revenue à Brest, enfin",
        "Ondine recrute des techniciens fibre à Brest #emploi",
        "Ondine recrute à Lorient, postulez #emploi",
        "Mon forfait mobile est une bonne surprise",
    ]
    rows = []
    for i in range(24):
        rows.append(
            {
                "id": f"s-{i}",
                "platform": "mastodon" if i % 2 else "bluesky",
                "text": f"{texts[i % len(texts)]} ({i})",
                "lang": "fr",
                "created_at": (now - timedelta(hours=3 * i + 1)).isoformat(),
                "author": {"id": f"u{i % 5}", "handle": f"@u{i % 5}", "name": f"Personne {i % 5}"},
            }
        )
    return rows


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path) as handle:
        path = tmp_path / "posts.jsonl"
        path.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in records()),
            encoding="utf-8",
        )
        handle.sbu("import", str(path), "--source", "Export")
        yield handle


def test_search_with_an_error_fixed_then_previewed(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{server.url}/listening/search")
            sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
            page.wait_for_url("**/listening/search")
            assert page.locator("h1").inner_text() == "Search"
            assert page.locator("nav.nav .subnav a.active").inner_text() == "Search"

            # a syntax error: the problem is underlined in the query, with what to do
            page.fill("#s-q", "ondine AND (fibre")
            page.click("#search-submit")
            page.wait_for_url("**q=ondine**")
            problem = page.locator(".query-problem")
            assert problem.count() == 1
            assert problem.locator("mark").inner_text() == "("
            assert "This parenthesis is never closed." in problem.inner_text()
            assert "Add a ) where the group ends" in problem.inner_text()
            assert page.locator("#s-q").get_attribute("aria-invalid") == "true"
            assert page.locator("article.mention").count() == 0

            # fixed: exactly the matching posts, newest first, with their count
            page.fill("#s-q", "ondine AND (fibre OR emploi)")
            page.click("#search-submit")
            page.wait_for_load_state()
            assert page.locator(".query-problem").count() == 0
            texts = page.locator("article.mention .mention-text").all_inner_texts()
            assert texts
            assert all("Ondine" in text for text in texts)
            assert page.locator("#search-count").inner_text() == f"{len(texts)} mentions"
            query = parse_qs(urlsplit(page.url).query)
            assert query["q"] == ["ondine AND (fibre OR emploi)"]

            # preview: count and share, one bar per day, the words that come with the matches
            page.click("#preview-submit")
            page.wait_for_url("**preview=1**")
            preview = page.locator("#preview")
            assert preview.is_visible()
            assert "mentions match" in preview.locator(".preview-summary").inner_text()
            assert preview.locator("rect.volume-bar").count() == 30
            terms = preview.locator(".preview-terms .term").all_inner_texts()
            assert "recrute" in terms
            assert "ondine" not in terms

            # exclude the noise with one click: the query gets NOT and the preview shrinks
            before = len(texts)
            item = preview.locator(".preview-terms li", has_text="recrute")
            item.locator("a.term-exclude").click()
            page.wait_for_url("**preview=1**")
            assert page.input_value("#s-q") == "(ondine AND (fibre OR emploi)) NOT recrute"
            after = page.locator("article.mention .mention-text").all_inner_texts()
            assert 0 < len(after) < before
            assert not any("recrute" in text for text in after)

            # the same page in French
            page.click(".lang-switch a[hreflang=fr]")
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "Recherche"
            assert page.locator("label[for=s-q]").text_content() == "Requête"
            assert page.locator("#preview h2").inner_text() == "Aperçu : les 30 derniers jours"
            assert page.input_value("#s-q") == "(ondine AND (fibre OR emploi)) NOT recrute"
        finally:
            browser.close()
    outside = [url for url in requested if not url.startswith(server.url + "/")]
    assert not outside, outside
