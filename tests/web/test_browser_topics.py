"""Creating a topic in a real browser: live linting, preview, examples that block the save.

The real ``sbu serve`` (tests/web/browser.py) with mentions imported by ``sbu import`` and a
department added by ``sbu departments add``; headless Chromium types a query with a syntax
error, sees the linter's message and its column before sending anything, fixes it, previews the
query on the stored mentions, adds an example that fails, is refused with the reason, fixes the
example, saves, and finds version 1 in the history and the matches counted by the server's
enrichment worker. Every request the page makes is recorded: none may leave localhost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import ADMIN_EMAIL, ADMIN_PASSWORD, Server, launch, running_server, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXTS = [
    "Encore une panne de fibre chez Ondine à Brest ce soir",  # matches
    "La fibre Ondine est revenue, merci au technicien de Brest",  # matches
    "Ondine recrute des techniciens à Nantes",  # Ondine without fibre
    "Ma fibre concurrente marche très bien",  # fibre without Ondine
    "Rien à voir : un concert ce week-end",
]


def mentions() -> list[dict[str, Any]]:
    """Demo-like posts in the sbu record format (fictional people and texts)."""
    now = datetime.now(UTC)
    return [
        {
            "id": f"t-{i}",
            "platform": "mastodon",
            "text": text,
            "lang": "fr",
            "created_at": (now - timedelta(hours=5 * (i + 1))).isoformat(),
            "url": f"https://social.example/t/{i}",
            "author": {"id": f"user-{i}", "handle": f"@user{i}", "name": f"Personne {i}"},
        }
        for i, text in enumerate(TEXTS)
    ]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path) as handle:
        posts = tmp_path / "posts.jsonl"
        posts.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in mentions()),
            encoding="utf-8",
        )
        handle.sbu("import", str(posts), "--source", "Export")
        handle.sbu("departments", "add", "Marketing", "--kind", "marketing")
        yield handle


def test_create_a_topic_with_live_linting_preview_and_examples(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1100})
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{server.url}/listening/topics")
            sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
            page.wait_for_url("**/listening/topics")
            assert "There is no topic yet." in page.locator("main").inner_text()
            page.click("text=New topic")
            page.wait_for_url("**/listening/topics/new")

            page.fill("#t-name", "Ondine fibre")
            page.fill("#t-subject", "Ondine Télécom")
            page.select_option("#t-department", label="Marketing")
            # a syntax error: the linter says what and where, before anything is sent
            page.locator("#t-query").press_sequentially("ondine AND (fibre", delay=10)
            problem = page.locator("#query-problems li.problem")
            expect(problem).to_have_count(1)
            expect(problem.locator(".problem-where")).to_have_text("Column 12")
            expect(problem.locator(".problem-message")).to_have_text(
                "This parenthesis is never closed."
            )
            expect(page.locator("#query-marks mark")).to_have_text("(")
            expect(page.locator("#query-status")).to_have_text("The query has 1 problem.")
            assert page.url.endswith("/listening/topics/new")  # nothing was submitted

            # fixed: the error disappears
            page.fill("#t-query", "ondine AND fibre")
            expect(page.locator("#query-status")).to_have_text("The query has no problem.")
            expect(problem).to_have_count(0)
            expect(page.locator("#query-marks")).to_be_hidden()

            # the preview runs the draft on the stored mentions
            page.click("#preview-topic")
            page.wait_for_load_state()
            expect(page.locator("#preview .preview-summary")).to_contain_text("2 mentions match")
            expect(page.locator("#preview .preview-summary")).to_contain_text(
                "out of 5 in the period (40 %)"
            )
            sample = page.locator("#preview .preview-sample a").all_inner_texts()
            assert sorted(sample) == sorted(TEXTS[:2])
            terms = page.locator("#preview .preview-terms li")
            brest = terms.filter(has_text="brest")
            expect(brest).to_have_count(1)
            assert page.input_value("#t-query") == "ondine AND fibre"  # the draft is kept
            assert page.input_value("#t-name") == "Ondine fibre"
            # "Exclude" adds NOT <word> to the query (and it is checked again)
            brest.locator("button.exclude-term").click()
            assert page.input_value("#t-query") == "ondine AND fibre NOT brest"
            expect(page.locator("#query-status")).to_have_text("The query has no problem.")
            page.fill("#t-query", "ondine AND fibre")

            # an example that fails: the editor shows it, and the save is refused with the reason
            rows = page.locator("#example-rows > li")
            first = rows.nth(0)
            first.locator("textarea").fill("Ondine a enfin réparé la fibre à Quimper")
            second = rows.nth(1)
            second.locator("textarea").fill("Ondine, la nymphe des eaux, et sa fibre poétique")
            second.locator("select").select_option("no_match")
            page.click("#add-example")
            expect(rows).to_have_count(3)
            expect(rows.nth(2).locator(".example-number")).to_have_text("3")
            rows.nth(2).locator(".remove-example").click()
            expect(rows).to_have_count(2)
            page.click("#run-examples")  # in place, through the API
            expect(second.locator(".example-result")).to_have_text(
                "✗ It matches the query but should not."
            )
            expect(first.locator(".example-result")).to_have_text("✓ Passes.")
            expect(page.locator("#examples-summary")).to_have_text("1 of 2 examples fail.")
            page.click("#save-topic")
            page.wait_for_load_state()
            expect(page.locator("#form-error")).to_contain_text(
                "The topic was not saved because 1 of its examples fails"
            )
            refused = page.locator("#example-rows > li.example-failed")
            expect(refused).to_have_count(1)
            expect(refused.locator(".example-result")).to_have_text(
                "✗ It matches the query but should not."
            )
            assert refused.locator("textarea").input_value().startswith("Ondine, la nymphe")
            assert refused.locator("select").input_value() == "no_match"

            # fixed: the query excludes the nymph
            page.fill("#t-query", "ondine AND fibre NOT nymphe")
            expect(page.locator("#query-status")).to_have_text("The query has no problem.")
            page.fill("#t-note", "First version")
            page.click("#save-topic")
            page.wait_for_url("**/listening/topics/*?done=created")
            assert "The topic was created." in page.locator("main").inner_text()
            # the server's enrichment worker matches the stored history
            expect(page.locator("#topic-matches")).to_have_text("2", timeout=60_000)

            page.click("text=History")
            page.wait_for_url("**/history")
            expect(page.locator(".version-number")).to_have_text(["Version 1"])
            expect(page.locator(".version-note")).to_have_text("First version")

            # the same linter, in French
            page.click(".lang-switch a[hreflang=fr]")
            page.wait_for_load_state()
            page.goto(page.url.replace("/history", "/edit"))
            page.fill("#t-query", "ondine AND")
            expect(page.locator("#query-problems .problem-where")).to_have_text("Colonne 8")
        finally:
            browser.close()
    outside = [url for url in requested if not url.startswith(server.url + "/")]
    assert not outside, outside
    assert any(url.endswith("/listening/topics/check") for url in requested)
    assert any(url.endswith("/api/v1/topics/test") for url in requested)
