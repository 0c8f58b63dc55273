"""The real server in a real browser: stream, filters, language switch, detail, live banner.

Starts ``python -m sbu serve`` as a subprocess on a free port with a temporary SQLite database
(see tests/web/browser.py: migrated, with a first administrator, filled with ``sbu import`` from a
JSON lines file written here), signs in, then drives headless Chromium with Playwright. Every
request the page makes is recorded: none may leave localhost. ``SBU_SCREENSHOT=1`` saves
docs/images/stream.png.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import ADMIN_EMAIL, ADMIN_PASSWORD, Server, launch, running_server, sign_in

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "images" / "stream.png"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def records(prefix: str, count: int, *, newest_minutes_ago: int) -> list[dict[str, Any]]:
    """Posts in the sbu record format, written for this test (fictional people and texts)."""
    now = datetime.now(UTC)
    platforms = ["mastodon", "bluesky", "reddit"]
    subjects = [
        "la fibre est encore coupée ce soir à Brest",
        "le nouveau forfait mobile est une bonne surprise",
        "the support chat answered in two minutes, impressive",
        "la boutique de Vannes était fermée sans prévenir",
        "my router keeps rebooting since the last update",
    ]
    rows = []
    for i in range(count):
        subject = subjects[i % len(subjects)]
        rows.append(
            {
                "id": f"{prefix}-{i}",
                "platform": platforms[i % len(platforms)],
                "text": f"{subject.capitalize()} (message {prefix} {i})",
                "lang": "en" if subject.startswith(("the", "my")) else "fr",
                "created_at": (now - timedelta(minutes=newest_minutes_ago + count - i)).isoformat(),
                "url": f"https://social.example/{prefix}/{i}",
                "author": {
                    "id": f"user-{i % 7}",
                    "handle": f"@user{i % 7}",
                    "name": f"Personne {i % 7}",
                },
                "likes": i,
                "annotations": {"scenario": "browser-test"},
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path) as handle:
        handle.sbu(
            "import",
            str(write_jsonl(tmp_path / "first.jsonl", records("a", 30, newest_minutes_ago=30))),
            "--source",
            "Export",
        )
        yield handle


def test_stream_in_a_real_browser(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{server.url}/listening/stream")
            # signing in first: the sign-in page brings the member back to the stream
            assert "/login?next=" in page.url
            sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
            page.wait_for_url("**/listening/stream")
            assert page.locator("h1").inner_text() == "Stream"
            assert page.locator("html").get_attribute("lang") == "en"
            rows = page.locator("article.mention")
            assert rows.count() == 30
            assert "30 mentions" in page.locator("#stream-count").inner_text()

            # filter by platform
            page.select_option("#f-platform", "bluesky")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**platform=bluesky**")
            assert rows.count() == 10
            badges = page.locator("article.mention .badge.platform").all_inner_texts()
            assert set(badges) == {"Bluesky"}

            # then by language and text (case- and accent-insensitive)
            page.select_option("#f-platform", "")
            page.select_option("#f-language", "fr")
            page.fill("#f-q", "COUPEE")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**q=COUPEE**")
            texts = page.locator("article.mention .mention-text").all_inner_texts()
            assert texts
            assert all("fibre est encore coupée" in t for t in texts)
            assert len(texts) == 6

            # switch the language: same page, same filters, French UI
            page.click(".lang-switch a[hreflang=fr]")
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "fr"
            assert page.locator("h1").inner_text() == "Flux"
            assert page.locator("label[for=f-platform]").text_content() == "Plateforme"
            assert page.input_value("#f-q") == "COUPEE"
            assert rows.count() == 6

            # open a mention: its raw payload is shown
            rows.first.locator("a.details-link").click()
            page.wait_for_url("**/listening/mentions/**")
            raw = page.locator("#raw-payload").inner_text()
            assert '"scenario": "browser-test"' in raw
            assert '"platform":' in raw
            assert page.locator("h2#raw-title").inner_text() == "Données brutes"

            # the live banner announces mentions imported while the page is open
            page.goto(f"{server.url}/listening/stream")
            banner = page.locator("#new-mentions")
            assert banner.is_hidden()
            if os.environ.get("SBU_SCREENSHOT") == "1":
                SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOT))
            server.sbu(
                "import",
                str(write_jsonl(server.tmp / "more.jsonl", records("b", 2, newest_minutes_ago=0))),
                "--source",
                "Live",
            )
            banner.wait_for(state="visible", timeout=30_000)
            assert banner.locator(".new-text").inner_text() == "2 nouvelles mentions"
            banner.locator("a").click()
            page.wait_for_load_state()
            assert rows.count() == 32
            assert "(message b 1)" in rows.first.locator(".mention-text").inner_text()
        finally:
            browser.close()
    assert requested
    outside = [url for url in requested if not url.startswith(server.url + "/")]
    assert not outside, outside
    assert any("/api/v1/mentions/new-count" in url for url in requested)
    assert any(url.endswith("/static/app.css") for url in requested)
