"""The layout's navigation, the home page and each mission's landing page."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from sbu.bootstrap import App
from tests.web.conftest import TestClient, sign_in

EN = {"accept-language": "en"}
FR = {"accept-language": "fr"}


def nav_links(html: str) -> list[str]:
    sidebar = html.split('<aside class="sidebar">', 1)[1].split("</aside>", 1)[0]
    return re.findall(r'href="([^"]+)"', sidebar)


def test_navigation_has_the_five_missions_and_settings(sqlite_client: TestClient) -> None:
    html = sqlite_client.get("/", headers=EN).text
    links = nav_links(html)
    for path in (
        "/competition",
        "/listening",
        "/intelligence",
        "/engagement",
        "/enablement",
        "/settings",
    ):
        assert path in links
    assert "/listening/stream" in links
    for label in (
        "Competition",
        "Listening",
        "Intelligence",
        "Engagement",
        "Enablement",
        "Settings",
    ):
        assert f"<span>{label}</span>" in html
    french = sqlite_client.get("/", headers=FR).text
    for label in (
        "Concurrence",
        "Écoute",
        "Intelligence",
        "Engagement",
        "Accompagnement",
        "Paramètres",
    ):
        assert f"<span>{label}</span>" in french
    assert '<html lang="fr">' in french


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("/competition", "share of voice, benchmarks and the map of your ecosystem"),
        ("/intelligence", "trends, spikes and alerts"),
        ("/engagement", "an inbox of cases routed to the right department"),
        ("/enablement", "skills, training, belts"),
    ],
)
def test_upcoming_missions_say_honestly_they_are_not_built(
    sqlite_client: TestClient, path: str, sentence: str
) -> None:
    response = sqlite_client.get(path, headers=EN)
    assert response.status_code == 200
    assert sentence in response.text
    assert "Nothing of this mission is built yet" in response.text
    assert 'aria-current="page"' in response.text
    assert "<canvas" not in response.text
    assert '<svg class="chart' not in response.text


def test_listening_and_settings_list_what_exists(sqlite_client: TestClient) -> None:
    listening = sqlite_client.get("/listening", headers=EN).text
    assert 'href="/listening/stream"' in listening
    assert 'href="/settings/sources"' in listening
    assert "Nothing of this mission is built yet" not in listening
    settings = sqlite_client.get("/settings", headers=FR).text
    assert 'href="/settings/sources"' in settings
    assert 'href="/settings/dead-letters"' in settings
    assert "Rejets" in settings


def test_every_page_has_a_skip_link_and_a_main_landmark(sqlite_client: TestClient) -> None:
    for path in ("/", "/listening", "/settings", "/listening/stream", "/settings/sources"):
        html = sqlite_client.get(path).text
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html
        assert '<meta name="viewport"' in html


@pytest.mark.parametrize(
    ("role", "menu"),
    [
        (
            "admin",
            ["/settings/departments", "/settings/members", "/settings/tokens", "/settings/audit"],
        ),
        ("sbu_lead", ["/settings/departments", "/settings/members", "/settings/audit"]),
        ("analyst", ["/settings/departments", "/settings/members"]),
        ("viewer", ["/settings/departments", "/settings/members"]),
    ],
)
def test_menu_and_settings_cards_show_only_what_the_member_may_use(
    sqlite_app: App, sqlite_web: FastAPI, role: str, menu: list[str]
) -> None:
    with TestClient(sqlite_web) as client:
        sign_in(client, sqlite_app, role=role)
        html = client.get("/settings", headers=EN).text
    settings_menu = html.split('<ul class="subnav" id="settings-menu">')[1].split("</ul>")[0]
    assert re.findall(r'href="([^"]+)"', settings_menu) == menu
    cards = re.findall(r'<a class="card card-link" href="([^"]+)">', html)
    assert [card for card in cards if card in menu] == menu
    assert ("/settings/dead-letters" in cards) is (role in ("admin", "sbu_lead", "analyst"))
    assert "/profile" in cards
