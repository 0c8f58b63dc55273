"""Listening → Topics → New topic and Edit: saving, refusals that keep what was typed (query
problems with their column, failing examples on their row), running the examples and the
preview without saving."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from sqlalchemy import func, select

from sbu.bootstrap import App
from sbu.listening.topic_models import Topic, TopicVersion
from tests.web.accounts import EN, FR
from tests.web.conftest import TestClient
from tests.web.posts import make_source, post
from tests.web.topics import form_data, make_department, make_topic, new_id

GOOD = {"text": "Panne de fibre chez Ondine à Brest", "expect": "match", "lang": "fr"}
BAD = {"text": "Ondine, la nymphe des eaux", "expect": "no_match", "note": "Mythologie"}


def topic_count(app: App) -> int:
    with app.db.session() as session:
        return int(session.execute(select(func.count()).select_from(Topic)).scalar_one())


def saved(app: App, topic_id: int) -> Topic:
    with app.db.session() as session:
        found = session.get(Topic, topic_id)
        assert found is not None
        return found


def row_count(html: str) -> int:
    """Example rows of the form (the <template> for new rows aside)."""
    rows = html.split('<ol class="example-rows" id="example-rows">', 1)[1].split("</ol>", 1)[0]
    return rows.count('<li class="example-row')


def row_results(html: str) -> list[str]:
    return [
        unescape(r) for r in re.findall(r'<span class="result result-\w+">([^<]*)</span>', html)
    ]


def test_create_a_topic_through_the_form(app: App, client: TestClient) -> None:
    department = make_department(app)
    form = client.get("/listening/topics/new", headers=EN).text
    assert 'name="csrf_token"' in form
    assert '<option value="own_brand" selected>Own brand</option>' in form
    assert '<template id="example-template">' in form
    assert row_count(form) == 2  # two empty rows to fill
    assert '<script src="/static/js/topic-editor.js" defer></script>' in form
    data = form_data(department, [GOOD, BAD], description="Notre marque", note="Premier jet",
                     query="ondine AND fibre")  # fmt: skip
    response = client.post("/listening/topics/new", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    topic = saved(app, new_id(response.headers["location"]))
    assert response.headers["location"].endswith("?done=created")
    assert (topic.name, topic.query, topic.description) == ("Ondine", "ondine AND fibre",
                                                            "Notre marque")  # fmt: skip
    assert (topic.subject_kind, topic.department_id, topic.active) == ("own_brand", department,
                                                                      True)  # fmt: skip
    assert topic.examples == [GOOD, BAD]  # empty rows and empty optional fields left out
    with app.db.session() as session:
        version = session.execute(select(TopicVersion)).scalar_one()
    assert (version.version, version.change, version.note) == (1, "created", "Premier jet")
    page = client.get(response.headers["location"], headers=EN).text
    assert "The topic was created." in page


def test_a_query_problem_blocks_the_save_and_keeps_what_was_typed(
    app: App, client: TestClient
) -> None:
    department = make_department(app)
    data = form_data(department, [GOOD], query="ondine AND (fibre", description="Gardée",
                     note="Ma note", name="Ondine <b>")  # fmt: skip
    response = client.post("/listening/topics/new", data=data, headers=EN)
    assert response.status_code == 400
    html = response.text
    assert "The topic was not saved because its query has a problem" in html
    assert '<span class="problem-where">Column 12</span>' in html
    assert '<span class="problem-message">This parenthesis is never closed.</span>' in html
    assert ">ondine AND <mark>(</mark>fibre</pre>" in html
    assert ">ondine AND (fibre</textarea>" in html
    assert ">Gardée</textarea>" in html
    assert 'value="Ma note"' in html
    assert 'value="Ondine &lt;b&gt;"' in html
    assert f">{GOOD['text']}</textarea>" in html
    assert 'value="fr"' in html
    assert topic_count(app) == 0
    french = client.post("/listening/topics/new", data=data, headers=FR).text
    assert "Colonne 12" in french
    assert "Cette parenthèse n&#39;est jamais fermée." in french


def test_a_failing_example_blocks_the_save_and_says_which(app: App, client: TestClient) -> None:
    department = make_department(app)
    wrong = {**BAD, "text": "Ondine répare la fibre", "expect": "no_match"}
    data = form_data(department, [GOOD, wrong], query="ondine AND fibre")
    response = client.post("/listening/topics/new", data=data, headers=EN)
    assert response.status_code == 400
    html = response.text
    assert "The topic was not saved because 1 of its examples fails" in html
    assert row_results(html) == ["✗ It matches the query but should not."]
    assert html.count('<li class="example-row example-failed">') == 1
    assert ">Ondine répare la fibre</textarea>" in html
    assert 'value="Mythologie"' in html
    assert topic_count(app) == 0
    fixed = form_data(department, [GOOD, {**wrong, "text": "Ondine, la nymphe"}])
    response = client.post("/listening/topics/new", data=fixed, follow_redirects=False)
    assert response.status_code == 303
    assert topic_count(app) == 1


def test_edit_a_topic_and_switch_it_off_in_one_save(app: App, client: TestClient) -> None:
    department = make_department(app)
    other = make_department(app, "Marketing")
    topic = make_topic(app, department, examples=[GOOD])
    form = client.get(f"/listening/topics/{topic.id}/edit", headers=EN).text
    assert f'action="/listening/topics/{topic.id}/edit"' in form
    assert f">{GOOD['text']}</textarea>" in form
    assert row_count(form) == 3  # the example and two empty rows
    data = form_data(other, [GOOD, BAD], query="ondine NOT nymphe", name="Ondine FR",
                     subject_kind="theme", subject_name="Marque", note="Plus précis")  # fmt: skip
    del data["active"]
    response = client.post(f"/listening/topics/{topic.id}/edit", data=data, follow_redirects=False)
    assert response.headers["location"] == f"/listening/topics/{topic.id}?done=saved"
    changed = saved(app, topic.id)
    assert (changed.name, changed.query, changed.subject_kind, changed.department_id) == (
        "Ondine FR", "ondine NOT nymphe", "theme", other)  # fmt: skip
    assert changed.active is False
    assert changed.examples == [GOOD, BAD]
    with app.db.session() as session:
        rows = session.execute(
            select(TopicVersion.version, TopicVersion.change, TopicVersion.note)
            .where(TopicVersion.topic_id == topic.id).order_by(TopicVersion.version)
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [(1, "created", None), (2, "edited", "Plus précis"),
                                        (3, "deactivated", "Plus précis")]  # fmt: skip
    again = client.post(f"/listening/topics/{topic.id}/edit", data=data, follow_redirects=False)
    assert again.status_code == 303
    assert saved(app, topic.id).version == 3  # nothing changed: no new version


def test_run_the_examples_without_saving(app: App, client: TestClient) -> None:
    department = make_department(app)
    topic = make_topic(app, department)
    data = form_data(department, [GOOD, BAD, {"text": "Rien", "expect": "match"}],
                     action="test", query="ondine NOT nymphe")  # fmt: skip
    response = client.post(f"/listening/topics/{topic.id}/edit", data=data, headers=EN)
    assert response.status_code == 200
    assert row_results(response.text) == [
        "✓ Passes.",
        "✓ Passes.",
        "✗ It should match the query but does not.",
    ]
    assert "1 of 3 examples fail." in response.text
    assert saved(app, topic.id).version == 1
    passing = form_data(department, [GOOD], action="test", query="ondine")
    assert "All 1 examples pass." in client.post("/listening/topics/new", data=passing).text
    assert topic_count(app) == 1


def test_preview_the_draft_on_stored_history(app: App, client: TestClient) -> None:
    department = make_department(app)
    source = make_source(app)
    app.ingest.ingest(source, [
        post("1", "Ondine coupe la fibre à Brest, encore Brest", minutes_ago=60),
        post("2", "La fibre Ondine revient à Brest", minutes_ago=30),
        post("3", "Rien à voir avec le sujet", minutes_ago=20),
        post("4", "Ondine hors période", minutes_ago=60 * 24 * 40),
    ])  # fmt: skip
    data = form_data(department, [GOOD], action="preview", query="ondine AND fibre")
    response = client.post("/listening/topics/new", data=data, headers=EN)
    assert response.status_code == 200
    html = response.text
    assert 'formaction="/listening/topics/new#preview"' in html
    assert '<section class="preview card" id="preview"' in html  # the search page's panel
    assert "Preview: the last 30 days" in html
    summary = " ".join(
        unescape(html.split('<p class="preview-summary">', 1)[1]).split("</p>")[0].split()
    )
    assert summary == "2 mentions match out of 3 in the period (66.7 %)."
    sample = html.split('<ul class="related-list preview-sample">', 1)[1].split("</ul>", 1)[0]
    assert sample.count('<li class="related">') == 2
    assert '<span class="term">brest</span> <span class="term-count">2</span>' in html
    assert '<figure class="volume-chart">' in html
    assert 'class="term-exclude"' not in html  # the editor's script adds its own buttons
    assert ">ondine AND fibre</textarea>" in html  # the draft is kept
    assert topic_count(app) == 0
    french = client.post("/listening/topics/new", data=data, headers=FR).text
    assert "66,7" in french
    broken = form_data(department, [], action="preview", query="ondine AND")
    refused = client.post("/listening/topics/new", data=broken, headers=EN).text
    assert "Fix the problems of the query to see its preview." in refused
    assert 'id="preview"' not in refused


def test_refusals_of_the_services_in_the_page_language(app: App, client: TestClient) -> None:
    department = make_department(app)
    make_topic(app, department)
    cases: list[tuple[dict[str, Any], int, str, str]] = [
        ({"name": "ONDINE"}, 409, "A topic called 'ONDINE' already exists",
         "Un sujet nommé 'ONDINE' existe déjà"),
        ({"department_id": ""}, 400, "Choose the department that owns the topic.",
         "Choisissez le service propriétaire du sujet."),
        ({"subject_name": " "}, 400, "Name the actor the topic is about",
         "Nommez l'acteur dont parle le sujet"),
        ({"name": "   "}, 400, "A topic needs a name of 1 to 100 characters.",
         "Un sujet doit avoir un nom de 1 à 100 caractères."),
    ]  # fmt: skip
    for change, status, english, french in cases:
        data = {**form_data(department, [GOOD], name="Autre"), **change}
        response = client.post("/listening/topics/new", data=data, headers=EN)
        assert response.status_code == status, change
        assert english in unescape(response.text), change
        in_french = client.post("/listening/topics/new", data=data, headers=FR)
        assert french in unescape(in_french.text), change
    assert topic_count(app) == 1


def test_rows_that_do_not_line_up_are_refused(app: App, client: TestClient) -> None:
    data = form_data(make_department(app), [GOOD, BAD])
    data["ex_expect"] = ["match"]
    response = client.post("/listening/topics/new", data=data, headers=EN)
    assert response.status_code == 400
    assert "The examples of this form cannot be read" in response.text
    unknown = client.post("/listening/topics/new", data={**data, "action": "delete"}, headers=EN)
    assert unknown.status_code == 400
    assert topic_count(app) == 0


def test_the_form_in_french(app: App, client: TestClient) -> None:
    make_department(app)
    html = client.get("/listening/topics/new", headers=FR).text
    assert "<h1>Nouveau sujet</h1>" in html
    assert '<label for="t-query">Requête</label>' in html
    assert '<option value="competitor">Concurrent</option>' in html
    assert ">Lancer les exemples</button>" in html
    assert 'data-column="Colonne {n}"' in html
