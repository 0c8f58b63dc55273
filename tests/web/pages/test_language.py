"""The language switch: a cookie, a redirect to a page of this site, never elsewhere."""

from __future__ import annotations

import pytest

from tests.web.conftest import TestClient


def test_switch_sets_the_cookie_and_comes_back(sqlite_client: TestClient) -> None:
    response = sqlite_client.get(
        "/language",
        params={"lang": "fr", "next": "/listening/stream?q=panne"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/listening/stream?q=panne"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("sbu_lang=fr")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    page = sqlite_client.get("/listening/stream", headers={"accept-language": "en"})
    assert '<html lang="fr">' in page.text
    assert "<h1>Flux</h1>" in page.text


def test_switch_back_to_english(sqlite_client: TestClient) -> None:
    sqlite_client.get("/language", params={"lang": "fr", "next": "/"})
    sqlite_client.get("/language", params={"lang": "en", "next": "/"})
    assert (
        "<h1>Stream</h1>"
        in sqlite_client.get("/listening/stream", headers={"accept-language": "fr"}).text
    )


def test_unknown_language_changes_nothing(sqlite_client: TestClient) -> None:
    response = sqlite_client.get(
        "/language", params={"lang": "xx", "next": "/"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:evil",
    ],
)
def test_open_redirects_are_refused(sqlite_client: TestClient, target: str) -> None:
    response = sqlite_client.get(
        "/language", params={"lang": "fr", "next": target}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_every_page_links_to_both_languages_coming_back_to_itself(
    sqlite_client: TestClient,
) -> None:
    html = sqlite_client.get("/listening/stream?q=r%C3%A9seau&platform=mastodon").text
    assert (
        'href="/language?lang=fr&amp;next=%2Flistening%2Fstream%3Fq%3Dr%25C3%25A9seau%26platform%3Dmastodon"'
        in html
    )
    assert 'hreflang="en"' in html
