"""/api/v1/topics and /api/v1/query/check: topics, history, tests, re-match, permissions."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from sbu.bootstrap import App
from sbu.enrichment.worker import build_pipeline
from tests.listening.topic_world import PANNE_EXAMPLES, department, events, ingest, topic
from tests.web.accounts import make_token
from tests.web.conftest import TestClient, sign_in


def body(department_id: int, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Pannes", "query": "ondine AND (panne OR coupure)", "subject_kind": "theme",
        "subject_name": "Pannes réseau", "department_id": department_id,
        "examples": PANNE_EXAMPLES, "description": "Outages.", "note": "First.",
    }  # fmt: skip
    values.update(fields)
    return values


def test_create_read_and_list(app: App, client: TestClient) -> None:
    care = department(app)
    created = client.post("/api/v1/topics", json=body(care))
    assert created.status_code == 201, created.text
    topic_json = created.json()
    assert {k: topic_json[k] for k in ("name", "query", "subject_kind", "subject_name",
                                       "department_id", "department_name", "active", "version",
                                       "matches", "description")} == {
        "name": "Pannes", "query": "ondine AND (panne OR coupure)", "subject_kind": "theme",
        "subject_name": "Pannes réseau", "department_id": care, "department_name": "Service client",
        "active": True, "version": 1, "matches": 0, "description": "Outages.",
    }  # fmt: skip
    assert topic_json["examples"][1] == {
        "text": "Ondine recrute des techniciens", "expect": "no_match", "title": None,
        "lang": None, "platform": None, "author": None, "url": None, "note": "jobs",
    }  # fmt: skip
    assert topic_json["created_by"] == "user:admin@test.example"
    assert topic_json["rematch"]["status"] == "done"
    assert client.get(f"/api/v1/topics/{topic_json['id']}").json() == topic_json
    listed = client.get("/api/v1/topics").json()
    assert [t["name"] for t in listed] == ["Pannes"]
    assert client.get("/api/v1/topics?active=false").json() == []
    assert (
        client.get(f"/api/v1/topics?department={care}&subject_kind=theme&q=panne").json() == listed
    )
    assert client.get("/api/v1/topics?subject_kind=competitor").json() == []


def test_a_query_with_problems_is_refused_with_them(app: App, client: TestClient) -> None:
    care = department(app)
    refused = client.post("/api/v1/topics", json=body(care, query="ondine AND (panne", examples=[]))
    assert refused.status_code == 422
    answer = refused.json()
    assert answer["detail"].startswith("The query has a problem at column 12")
    assert answer["failures"] == []
    [problem] = answer["problems"]
    assert (problem["code"], problem["start"], problem["end"]) == ("unclosed_paren", 11, 12)
    assert problem["message"] == "This parenthesis is never closed."
    assert problem["hint"]
    assert client.get("/api/v1/topics").json() == []


def test_failing_examples_are_refused_with_each_failure(app: App, client: TestClient) -> None:
    care = department(app)
    examples = [*PANNE_EXAMPLES, {"text": "Coupure de courant", "expect": "match", "note": "n"}]
    refused = client.post("/api/v1/topics", json=body(care, examples=examples))
    assert refused.status_code == 422
    answer = refused.json()
    assert "1 of its examples fails" in answer["detail"]
    assert answer["problems"] == []
    assert answer["failures"] == [{
        "index": 2, "text": "Coupure de courant", "expect": "match", "matched": False,
        "passed": False, "reason": "it should match the query but does not", "note": "n",
    }]  # fmt: skip


def test_patch_activate_deactivate_versions_and_diff(app: App, client: TestClient) -> None:
    care = department(app)
    topic_id = client.post("/api/v1/topics", json=body(care)).json()["id"]
    patched = client.patch(f"/api/v1/topics/{topic_id}", json={
        "query": "ondine AND (panne OR coupure OR noir)", "note": "Plus large.",
    })  # fmt: skip
    assert patched.status_code == 200, patched.text
    assert (patched.json()["version"], patched.json()["query"]) == (
        2, "ondine AND (panne OR coupure OR noir)",
    )  # fmt: skip
    bad = client.patch(f"/api/v1/topics/{topic_id}", json={"query": "ondine AND coupure"})
    assert bad.status_code == 422
    assert bad.json()["failures"][0]["index"] == 0
    off = client.post(f"/api/v1/topics/{topic_id}/deactivate", json={"note": "Pause."})
    assert (off.status_code, off.json()["active"], off.json()["version"]) == (200, False, 3)
    on = client.post(f"/api/v1/topics/{topic_id}/activate")
    assert (on.status_code, on.json()["active"], on.json()["version"]) == (200, True, 4)
    versions = client.get(f"/api/v1/topics/{topic_id}/versions").json()
    assert [(v["version"], v["change"], v["note"]) for v in versions] == [
        (4, "activated", None), (3, "deactivated", "Pause."), (2, "edited", "Plus large."),
        (1, "created", "First."),
    ]  # fmt: skip
    assert versions[0]["author_name"] == "Test admin"
    assert versions[0]["author"] == "user:admin@test.example"
    diff = client.get(f"/api/v1/topics/{topic_id}/versions/1/diff/3").json()
    assert (diff["old"]["version"], diff["new"]["version"]) == (1, 3)
    assert [c["field"] for c in diff["changes"]] == ["active", "query"]
    assert diff["changes"][0] == {"field": "active", "before": True, "after": False, "lines": None}
    assert diff["changes"][1]["lines"] == [
        {"op": "-", "text": "ondine AND (panne OR coupure)"},
        {"op": "+", "text": "ondine AND (panne OR coupure OR noir)"},
    ]
    assert [e.action for e in events(app)] == [
        "topic.created", "topic.updated", "topic.deactivated", "topic.activated",
    ]  # fmt: skip


def test_rematch_progress_and_request(app: App, client: TestClient) -> None:
    care = department(app)
    ingest(app, "Panne chez Ondine", "Coupure Ondine", "Rien")
    build_pipeline(app).run_until_caught_up()
    created = topic(app, care)
    progress = client.get(f"/api/v1/topics/{created.id}/rematch").json()
    assert {k: progress[k] for k in ("status", "done", "total", "percent", "topic_version")} == {
        "status": "queued", "done": 0, "total": 3, "percent": 0, "topic_version": 1,
    }  # fmt: skip
    again = client.post(f"/api/v1/topics/{created.id}/rematch")
    assert again.status_code == 202
    assert again.json()["id"] == progress["id"] + 1
    other = topic(app, care, name="Dormant", query="fibre", active=False, examples=[])
    assert client.get(f"/api/v1/topics/{other.id}/rematch").json() is None
    refused = client.post(f"/api/v1/topics/{other.id}/rematch")
    assert refused.status_code == 400
    assert "is inactive" in refused.json()["detail"]


def test_not_found_and_bad_bodies(app: App, client: TestClient) -> None:
    care = department(app)
    created = topic(app, care)
    cases = [
        ("GET", "/api/v1/topics/999", None, 404, "There is no topic 999"),
        ("PATCH", "/api/v1/topics/999", {"name": "X"}, 404, "There is no topic 999"),
        ("GET", "/api/v1/topics/999/versions", None, 404, "There is no topic 999"),
        ("GET", "/api/v1/topics/999/rematch", None, 404, "There is no topic 999"),
        ("GET", f"/api/v1/topics/{created.id}/versions/1/diff/7", None, 404, "has no version 7"),
        ("PATCH", f"/api/v1/topics/{created.id}", {"colour": "blue"}, 422, "colour"),
        ("POST", "/api/v1/topics", {"name": "X"}, 422, "query"),
        ("POST", "/api/v1/topics", body(care, name="pannes"), 409, "already exists"),
        ("POST", "/api/v1/topics", body(care, name="Y", subject_kind="product"), 422,
         "subject_kind"),
        ("POST", "/api/v1/topics", body(999, name="Y"), 400, "There is no department 999"),
    ]  # fmt: skip
    for method, path, payload, status, sentence in cases:
        response = client.request(method, path, json=payload)
        assert response.status_code == status, (path, response.text)
        assert sentence in response.json()["detail"], path


def test_query_check_for_live_linting(client: TestClient) -> None:
    good = client.post("/api/v1/query/check", json={"query": 'ondine NEAR/3 "fibre optique"'})
    assert good.json() == {"ok": True, "problems": []}
    bad = client.post("/api/v1/query/check", json={"query": "le AND (ondine"}).json()
    assert bad["ok"] is False
    assert [p["code"] for p in bad["problems"]] == ["unclosed_paren"]
    lint = client.post("/api/v1/query/check", json={"query": "le AND ondine"}).json()
    assert [(p["code"], p["start"], p["end"]) for p in lint["problems"]] == [("stopword", 0, 2)]


def test_examples_run_on_a_draft_without_saving(app: App, client: TestClient) -> None:
    draft = {"query": "ondine AND panne", "examples": [
        {"text": "Panne Ondine", "expect": "match"},
        {"text": "Coupure Ondine", "expect": "match"},
        {"text": "Rien", "expect": "no_match", "lang": "fr"},
    ]}  # fmt: skip
    answer = client.post("/api/v1/topics/test", json=draft).json()
    assert (answer["ok"], answer["failed"], answer["problems"]) == (False, 1, [])
    assert [(r["index"], r["matched"], r["passed"]) for r in answer["results"]] == [
        (0, True, True), (1, False, False), (2, False, True),
    ]  # fmt: skip
    unparsable = client.post("/api/v1/topics/test", json={**draft, "query": "("}).json()
    assert (unparsable["ok"], unparsable["results"]) == (False, [])
    assert unparsable["problems"]
    assert client.get("/api/v1/topics").json() == []


def test_who_may_read_and_write_topics(app: App, web: FastAPI) -> None:
    care = department(app)
    created = topic(app, care)
    for role, can_write in (("viewer", False), ("agent", False), ("analyst", True),
                            ("sbu_lead", True)):  # fmt: skip
        with TestClient(web) as client:
            sign_in(client, app, role=role, email=f"{role}@example.com")
            assert client.get("/api/v1/topics").status_code == 200
            assert client.get(f"/api/v1/topics/{created.id}/versions").status_code == 200
            assert client.post("/api/v1/query/check", json={"query": "ondine"}).status_code == 200
            response = client.patch(f"/api/v1/topics/{created.id}",
                                    json={"description": f"By {role}."})  # fmt: skip
            assert response.status_code == (200 if can_write else 403), role
    with TestClient(web) as client:
        member = sign_in(client, app, role="analyst", email="tokens@example.com")
        client.cookies.clear()
        _, read = make_token(app, member.id, ["read"])
        _, write = make_token(app, member.id, ["write"])
        as_read = {"Authorization": f"Bearer {read}"}
        as_write = {"Authorization": f"Bearer {write}"}
        assert (
            client.post("/api/v1/query/check", json={"query": "x"}, headers=as_read).status_code
            == 200
        )
        patch = {"description": "By a token."}
        assert (
            client.patch(f"/api/v1/topics/{created.id}", json=patch, headers=as_read).status_code
            == 403
        )
        assert (
            client.patch(f"/api/v1/topics/{created.id}", json=patch, headers=as_write).status_code
            == 200
        )
