"""Errors: JSON sentences under /api/, pages in the reader's language elsewhere."""

from __future__ import annotations

from fastapi import FastAPI

from tests.web.conftest import TestClient

FR = {"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"}
EN = {"accept-language": "en-GB"}


def test_404_page_speaks_the_readers_language(sqlite_client: TestClient) -> None:
    french = sqlite_client.get("/nulle-part", headers=FR)
    assert french.status_code == 404
    assert french.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in french.text
    assert "Page introuvable" in french.text
    assert "Il n'y a pas de page à cette adresse" in french.text.replace("&#39;", "'")
    english = sqlite_client.get("/nowhere", headers=EN)
    assert '<html lang="en">' in english.text
    assert "Page not found" in english.text


def test_api_errors_are_json_sentences(sqlite_client: TestClient) -> None:
    missing = sqlite_client.get("/api/v1/nothing-here", headers=FR)
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": "There is no API route at /api/v1/nothing-here: /api/v1/docs lists the routes."
    }
    wrong_method = sqlite_client.post("/api/v1/mentions")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["detail"] == "Method Not Allowed"


def test_page_with_a_bad_path_parameter_is_a_404_page(sqlite_client: TestClient) -> None:
    response = sqlite_client.get("/listening/mentions/not-a-number", headers=EN)
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_500_page_speaks_the_readers_language(sqlite_web: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    sqlite_web.add_api_route("/boom", boom)
    sqlite_web.add_api_route("/api/v1/boom", boom)
    with TestClient(sqlite_web, raise_server_exceptions=False) as client:
        page = client.get("/boom", headers=FR)
        api = client.get("/api/v1/boom", headers=FR)
    assert page.status_code == 500
    assert "Quelque chose s'est mal passé" in page.text
    assert "secret internal detail" not in page.text
    assert api.status_code == 500
    assert api.json()["detail"].startswith("The server failed to answer this request")
    assert "secret" not in api.text


def test_service_errors_get_their_status_and_sentence(sqlite_web: FastAPI) -> None:
    from sbu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, SbuError

    raised: dict[str, SbuError] = {
        "404": NotFound("There is no member 7."),
        "409": Conflict("A department called 'Care' already exists."),
        "403": Forbidden("Only an administrator can give or change the administrator role."),
        "400": InvalidInput("The current password is not right."),
    }

    def fail(status: str) -> None:
        raise raised[status]

    sqlite_web.add_api_route("/probe/fail/{status}", fail)
    sqlite_web.add_api_route("/api/v1/probe/fail/{status}", fail)
    with TestClient(sqlite_web) as client:
        for status, error in raised.items():
            api = client.get(f"/api/v1/probe/fail/{status}")
            assert api.status_code == int(status)
            assert api.json() == {"detail": str(error)}
            page = client.get(f"/probe/fail/{status}", headers=FR)
            assert page.status_code == int(status)
            assert '<html lang="fr">' in page.text
        french = client.get("/probe/fail/400", headers=FR).text
        assert "Le mot de passe actuel est incorrect." in french


def test_a_form_field_too_long_is_a_400_sentence(sqlite_client: TestClient) -> None:
    response = sqlite_client.post("/profile", data={"name": "x" * 400}, headers=EN)
    assert response.status_code == 400
    assert "A field of this form is too long or cannot be read" in response.text
