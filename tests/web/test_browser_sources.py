"""Adding sources in a real browser: Settings → Sources → Add a source, an RSS feed and a signed
webhook, then editing the webhook without retyping its secret.

The real ``sbu serve`` (tests/web/browser.py) and headless Chromium. The feed's address is a
closed port on 127.0.0.1, so the server's first poll fails locally; every request the page makes
is recorded and none may leave localhost. The page never holds the webhook's secret after it
was sent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.browser import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    free_port,
    launch,
    running_server,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "whsec-browser-Pq8-signing-secret-5521"


def test_add_an_rss_feed_and_a_webhook_through_the_forms(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    feed_url = f"http://127.0.0.1:{free_port()}/feed.xml"
    requested: list[str] = []
    with running_server(tmp_path) as server, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(locale="en-US", viewport={"width": 1300, "height": 1000})
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{server.url}/settings/sources")
            sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
            page.wait_for_url("**/settings/sources")

            page.click("text=Add a source")
            page.wait_for_url("**/settings/sources/new")
            page.click("#connectors a:has-text('RSS or Atom feed')")
            page.wait_for_url("**/settings/sources/new?connector=rss")
            page.fill("#s-name", "Presse locale")
            page.fill("#cfg-url", feed_url)
            page.fill("#cfg-language", "fr")
            page.fill("#s-interval", "600")
            page.click("button:has-text('Add the source')")
            page.wait_for_url(re.compile(r".*/settings/sources/\d+\?done=created$"))
            expect(page.locator(".alert-ok")).to_contain_text("The source was created.")
            assert page.input_value("#cfg-url") == feed_url
            assert page.input_value("#s-interval") == "600"

            page.goto(f"{server.url}/settings/sources/new?connector=webhook")
            page.fill("#s-name", "Forum")
            page.fill("#cfg-signing_secret", SECRET)
            page.fill("#cfg-payload_format", "reddit")
            page.click("button:has-text('Add the source')")
            page.wait_for_url(re.compile(r".*/settings/sources/\d+\?done=created$"))
            secret_input = page.locator("#cfg-signing_secret")
            assert secret_input.input_value() == ""
            assert secret_input.get_attribute("placeholder") == "••••••••5521 (leave empty to keep)"
            assert SECRET not in page.content()

            # Change a setting without retyping the secret: it is kept.
            page.fill("#cfg-replay_window_seconds", "900")
            page.click("button:has-text('Save')")
            page.wait_for_url("**?done=saved")
            expect(page.locator(".alert-ok")).to_have_text("The changes were saved.")
            assert page.input_value("#cfg-replay_window_seconds") == "900"
            assert page.input_value("#cfg-payload_format") == "reddit"
            placeholder = page.locator("#cfg-signing_secret").get_attribute("placeholder")
            assert placeholder == "••••••••5521 (leave empty to keep)"

            page.click("#disable-source")
            page.wait_for_url("**?done=disabled")
            expect(page.locator("#enable-source")).to_be_visible()

            page.goto(f"{server.url}/settings/sources")
            table = page.locator("main table").inner_text()
            assert "Presse locale" in table
            assert "Forum" in table
            assert SECRET not in page.content()
        finally:
            browser.close()
    outside = [url for url in requested if not url.startswith(server.url)]
    assert outside == []
