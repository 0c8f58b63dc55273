"""Settings → Sources: adding RSS and webhook sources through the forms, editing them, enabling
and disabling, errors, who may, French, and credentials never written into a page."""

from __future__ import annotations

import re
from html import unescape

from fastapi import FastAPI
from sqlalchemy import func, select, update

from sbu.bootstrap import App
from sbu.core.audit import AuditEvent
from sbu.core.credentials import MASK
from sbu.listening.models import Source
from sbu.listening.services import create_source
from tests.web.accounts import EN, FR, SETUP, csrf_of
from tests.web.conftest import TestClient, sign_in
from tests.web.posts import XSS

FEED = "https://feeds.example.org/economie/rss.xml"
SECRET = "whsec-Kq7x-first-signing-secret-0042"
OTHER_SECRET = "whsec-Zt3p-second-signing-secret-9917"


def source_named(app: App, name: str) -> Source:
    with app.db.session() as session:
        found = session.execute(select(Source).where(Source.name == name)).scalar_one()
        session.expunge(found)
        return found


def source_count(app: App) -> int:
    with app.db.session() as session:
        return int(session.execute(select(func.count()).select_from(Source)).scalar_one())


def saved_secrets(app: App, source: Source) -> dict[str, str]:
    return app.credentials.open(source.credentials, owner="test")


def webhook(app: App, name: str = "Hook", secret: str = SECRET) -> Source:
    return create_source(app.db, app.clock, app.registry, SETUP, name=name, connector="webhook",
                         config={"signing_secret": secret}, box=app.credentials)  # fmt: skip


def feed(app: App, name: str = "Presse", url: str = FEED) -> Source:
    return create_source(app.db, app.clock, app.registry, SETUP, name=name, connector="rss",
                         config={"url": url}, box=app.credentials)  # fmt: skip


# -- adding ---------------------------------------------------------------------------------------


def test_the_choice_offers_polled_and_pushed_connectors_only(sqlite_client: TestClient) -> None:
    page = sqlite_client.get("/settings/sources/new", headers=EN)
    assert page.status_code == 200
    offered = re.findall(r'href="/settings/sources/new\?connector=([\w-]+)"', page.text)
    assert {"rss", "webhook"} <= set(offered)
    assert "file" not in offered
    assert "demo" not in offered
    assert "<h2>RSS or Atom feed</h2>" in page.text
    assert "Polled on a schedule" in page.text
    assert "Receives pushed items (signed webhook)" in page.text
    for refused in ("file", "demo", "nope"):
        response = sqlite_client.get(f"/settings/sources/new?connector={refused}", headers=EN)
        assert response.status_code == 404, refused
        assert f"Sources of the connector &#39;{refused}&#39; cannot be added here" in response.text


def test_add_an_rss_source_through_the_form(app: App, client: TestClient) -> None:
    form = client.get("/settings/sources/new?connector=rss", headers=EN)
    assert form.status_code == 200
    html = form.text
    assert 'action="/settings/sources/new?connector=rss"' in html
    assert 'name="csrf_token"' in html
    assert '<input id="cfg-url" name="config.url" type="url" value=""' in html
    assert 'name="config.language"' in html
    assert 'placeholder="900"' in html  # the feed connector's default interval
    client.headers.pop("X-CSRF-Token")  # as a browser does: the token comes with the form
    response = client.post(
        "/settings/sources/new?connector=rss", follow_redirects=False,
        data={"csrf_token": csrf_of(html), "name": "Presse régionale",
              "purpose": "Veille presse", "config.url": f"  {FEED} ", "config.language": "pt-BR",
              "config.title": "", "poll_interval_seconds": "600"},
    )  # fmt: skip
    assert response.status_code == 303, response.text
    saved = source_named(app, "Presse régionale")
    assert response.headers["location"] == f"/settings/sources/{saved.id}?done=created"
    assert saved.connector == "rss"
    assert saved.config == {"url": FEED, "language": "pt", "title": None}
    assert (saved.poll_interval_seconds, saved.purpose, saved.enabled) == (
        600,
        "Veille presse",
        True,
    )
    page = client.get(response.headers["location"], headers=EN).text
    assert "The source was created." in page
    assert f'value="{FEED}"' in page
    assert 'value="600"' in page
    listing = client.get("/settings/sources", headers=EN).text
    assert '<a class="button primary" href="/settings/sources/new">Add a source</a>' in listing
    assert f'<a href="/settings/sources/{saved.id}"' in listing


def test_the_interval_defaults_to_the_connectors(
    sqlite_app: App, sqlite_client: TestClient
) -> None:
    response = sqlite_client.post("/settings/sources/new?connector=rss", follow_redirects=False,
                                  data={"name": "Blog", "config.url": FEED})  # fmt: skip
    assert response.status_code == 303
    assert source_named(sqlite_app, "Blog").poll_interval_seconds == 900


def test_add_a_webhook_source_and_never_show_its_secret(app: App, client: TestClient) -> None:
    form = client.get("/settings/sources/new?connector=webhook", headers=EN).text
    assert 'type="password" value=""' in form
    assert 'name="poll_interval_seconds"' not in form  # pushed, not polled
    response = client.post("/settings/sources/new?connector=webhook", follow_redirects=False,
                           data={"name": "Forum", "config.signing_secret": SECRET,
                                 "config.payload_format": "reddit",
                                 "config.replay_window_seconds": "120"})  # fmt: skip
    assert response.status_code == 303, response.text
    saved = source_named(app, "Forum")
    assert saved.config["signing_secret"] == MASK + "0042"
    assert SECRET not in str(saved.config)
    assert saved_secrets(app, saved) == {"signing_secret": SECRET}
    assert saved.config["payload_format"] == "reddit"
    assert saved.poll_interval_seconds is None
    page = client.get(response.headers["location"], headers=EN).text
    assert SECRET not in page
    assert f'placeholder="{MASK}0042 (leave empty to keep)"' in page
    assert (
        '<input id="cfg-signing_secret" name="config.signing_secret" type="password" value=""'
        in page
    )
    assert f"POST /api/v1/ingest/{saved.id}" in page
    assert SECRET not in client.get("/settings/sources", headers=EN).text
    with app.db.session() as session:
        logged = " ".join(str(e.after) for e in session.execute(select(AuditEvent)).scalars())
    assert SECRET not in logged


# -- editing --------------------------------------------------------------------------------------


def test_editing_keeps_the_secret_left_empty_and_replaces_a_new_one(
    app: App, client: TestClient
) -> None:
    hook = webhook(app)
    response = client.post(f"/settings/sources/{hook.id}", follow_redirects=False,
                           data={"config.signing_secret": "", "config.payload_format": "mastodon",
                                 "config.platform": "webhook",
                                 "config.replay_window_seconds": "900"})  # fmt: skip
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/settings/sources/{hook.id}?done=saved"
    kept = source_named(app, "Hook")
    assert saved_secrets(app, kept) == {"signing_secret": SECRET}
    assert (kept.config["payload_format"], kept.config["replay_window_seconds"]) == (
        "mastodon",
        900,
    )
    assert "The changes were saved." in client.get(response.headers["location"], headers=EN).text
    # Sending the mask back (as a form filled by a password manager might) keeps it too.
    client.post(f"/settings/sources/{hook.id}", data={"config.signing_secret": MASK + "0042"})
    assert saved_secrets(app, source_named(app, "Hook")) == {"signing_secret": SECRET}
    replaced = client.post(f"/settings/sources/{hook.id}", follow_redirects=False,
                           data={"config.signing_secret": OTHER_SECRET})  # fmt: skip
    assert replaced.status_code == 303
    changed = source_named(app, "Hook")
    assert saved_secrets(app, changed) == {"signing_secret": OTHER_SECRET}
    assert changed.config["payload_format"] == "sbu"  # the whole form is the configuration
    page = client.get(f"/settings/sources/{hook.id}", headers=EN).text
    assert OTHER_SECRET not in page
    assert SECRET not in page
    assert f"{MASK}9917 (leave empty to keep)" in page


def test_edit_a_feed_and_its_interval(app: App, client: TestClient) -> None:
    presse = feed(app)
    page = client.get(f"/settings/sources/{presse.id}", headers=EN).text
    assert f'value="{FEED}"' in page
    assert 'value="900"' in page
    response = client.post(f"/settings/sources/{presse.id}", follow_redirects=False,
                           data={"config.url": "https://feeds.example.org/tech.xml",
                                 "config.title": "Tech", "poll_interval_seconds": "300"})  # fmt: skip
    assert response.status_code == 303
    saved = source_named(app, "Presse")
    assert saved.config == {"url": "https://feeds.example.org/tech.xml", "language": None,
                            "title": "Tech"}  # fmt: skip
    assert saved.poll_interval_seconds == 300


def test_errors_keep_what_was_typed_except_secrets(
    sqlite_app: App, sqlite_client: TestClient
) -> None:
    feed(sqlite_app)
    before = source_count(sqlite_app)
    cases = [
        ({"name": "Presse", "config.url": FEED}, "rss", 409,
         "A source called &#39;Presse&#39; already exists: choose another name."),
        ({"name": "Ailleurs", "config.url": "ftp://feeds.example.org/x"}, "rss", 400,
         "The configuration of this RSS or Atom feed source is invalid: url: the feed URL"),
        ({"name": "Ailleurs", "config.url": FEED, "poll_interval_seconds": "0"}, "rss", 400,
         "The poll interval must be a whole number of seconds, at least 1, such as 900."),
        ({"name": "Bad/Name", "config.url": FEED}, "rss", 400,
         "The source name &#39;Bad/Name&#39; is not valid"),
        ({"name": "Hooked", "config.signing_secret": "too-short-secret-1"}, "webhook", 400,
         "signing_secret: Value error, the signing secret must have 32 characters or more"),
        ({"name": "Hooked", "config.signing_secret": SECRET,
          "config.replay_window_seconds": "soon"},
         "webhook", 400, "Replay window seconds must be a whole number, such as 300."),
        ({"name": "Hooked", "config.signing_secret": SECRET, "config.replay_window_seconds": "5"},
         "webhook", 400, "replay_window_seconds: Input should be greater than or equal to 30"),
        ({"name": "Hooked", "purpose": "p" * 501, "config.signing_secret": SECRET}, "webhook", 400,
         "Keep the purpose under 500 characters."),
    ]  # fmt: skip
    for data, connector, status, sentence in cases:
        response = sqlite_client.post(f"/settings/sources/new?connector={connector}", data=data,
                                      headers=EN, follow_redirects=False)  # fmt: skip
        assert response.status_code == status, (data, response.text[-2000:])
        assert '<div class="alert alert-error" role="alert">' in response.text
        assert sentence in response.text, data
        assert f'value="{data["name"]}"' in unescape(response.text)  # what was typed stays
        if "config.url" in data:
            assert f'value="{data["config.url"]}"' in response.text
        assert SECRET not in response.text
        assert "too-short-secret-1" not in response.text
    assert source_count(sqlite_app) == before


def test_edit_errors_keep_the_saved_source(sqlite_app: App, sqlite_client: TestClient) -> None:
    hook = webhook(sqlite_app)
    response = sqlite_client.post(f"/settings/sources/{hook.id}", headers=EN,
                                  data={"config.signing_secret": "short-new-secret",
                                        "config.platform": XSS[:32]})  # fmt: skip
    assert response.status_code == 400
    assert "the signing secret must have 32 characters or more" in response.text
    assert "short-new-secret" not in response.text
    assert "<script>alert(1)" not in response.text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&lt;img sr"' in response.text
    assert saved_secrets(sqlite_app, source_named(sqlite_app, "Hook")) == {"signing_secret": SECRET}
    assert source_named(sqlite_app, "Hook").config["platform"] == "webhook"


def test_values_are_escaped(sqlite_app: App, sqlite_client: TestClient) -> None:
    presse = feed(sqlite_app, url=f"https://feeds.example.org/a.xml?q={XSS}")
    response = sqlite_client.post(f"/settings/sources/{presse.id}",
                                  data={"config.url": FEED, "config.title": XSS})  # fmt: skip
    assert response.status_code == 200  # after the redirect
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# -- enabling, disabling, resuming ------------------------------------------------------------


def test_disable_enable_and_resume(app: App, client: TestClient) -> None:
    presse = feed(app)
    disabled = client.post(f"/settings/sources/{presse.id}/disable", follow_redirects=False)
    assert disabled.headers["location"] == f"/settings/sources/{presse.id}?done=disabled"
    assert source_named(app, "Presse").enabled is False
    page = client.get(disabled.headers["location"], headers=EN).text
    assert "it collects nothing until it is enabled again; its mentions stay." in page
    assert f'action="/settings/sources/{presse.id}/enable"' in page
    enabled = client.post(f"/settings/sources/{presse.id}/enable", follow_redirects=False)
    assert enabled.headers["location"] == f"/settings/sources/{presse.id}?done=enabled"
    assert source_named(app, "Presse").enabled is True
    with app.db.write_session() as session:
        session.execute(update(Source).where(Source.id == presse.id)
                        .values(paused_reason="The feed refused the credentials (HTTP 401)."))  # fmt: skip
        session.commit()
    paused = client.get(f"/settings/sources/{presse.id}", headers=EN).text
    assert "Paused: the platform refused the credentials." in paused
    assert "The feed refused the credentials (HTTP 401)." in paused
    assert 'id="resume-source"' in paused
    client.post(f"/settings/sources/{presse.id}/enable")
    assert source_named(app, "Presse").paused_reason is None


def test_new_credentials_resume_a_paused_source(sqlite_app: App, sqlite_client: TestClient) -> None:
    hook = webhook(sqlite_app)
    with sqlite_app.db.write_session() as session:
        session.execute(update(Source).where(Source.id == hook.id).values(paused_reason="Refused."))
        session.commit()
    sqlite_client.post(f"/settings/sources/{hook.id}", data={"config.signing_secret": ""})
    assert source_named(sqlite_app, "Hook").paused_reason == "Refused."  # nothing new: still paused
    sqlite_client.post(f"/settings/sources/{hook.id}", data={"config.signing_secret": OTHER_SECRET})
    assert source_named(sqlite_app, "Hook").paused_reason is None


# -- who may, unknown ids, languages ----------------------------------------------------------


def test_a_viewer_reads_a_source_but_cannot_change_it(sqlite_app: App, sqlite_web: FastAPI) -> None:
    hook = webhook(sqlite_app)
    with TestClient(sqlite_web) as viewer:
        sign_in(viewer, sqlite_app, role="viewer")
        page = viewer.get(f"/settings/sources/{hook.id}", headers=EN)
        assert page.status_code == 200
        assert "You may read this source; administrators and SBU leads may change it." in page.text
        assert '<fieldset class="form-grid" disabled>' in page.text
        assert "0042" not in page.text  # readers do not even see the mask's last characters
        assert "Saved (leave empty to keep)" in page.text
        assert 'id="disable-source"' not in page.text
        listing = viewer.get("/settings/sources", headers=EN).text
        assert "Add a source" not in listing
        assert f'<a href="/settings/sources/{hook.id}"' in listing
        assert viewer.get("/settings/sources/new", headers=EN).status_code == 403
        writes = [
            (f"/settings/sources/{hook.id}", {"config.signing_secret": OTHER_SECRET}),
            (f"/settings/sources/{hook.id}/disable", {}),
            ("/settings/sources/new?connector=rss", {"name": "X", "config.url": FEED}),
        ]
        for path, data in writes:
            response = viewer.post(path, data=data, headers=EN, follow_redirects=False)
            assert response.status_code == 403, path
            assert "Your role (viewer) may not do this" in response.text
    kept = source_named(sqlite_app, "Hook")
    assert kept.enabled is True
    assert saved_secrets(sqlite_app, kept) == {"signing_secret": SECRET}
    assert source_count(sqlite_app) == 1


def test_an_sbu_lead_adds_a_source(sqlite_app: App, sqlite_web: FastAPI) -> None:
    with TestClient(sqlite_web) as lead:
        sign_in(lead, sqlite_app, role="sbu_lead")
        response = lead.post("/settings/sources/new?connector=rss", follow_redirects=False,
                             data={"name": "Lead feed", "config.url": FEED})  # fmt: skip
        assert response.status_code == 303
    assert source_named(sqlite_app, "Lead feed").connector == "rss"


def test_unknown_sources_are_404(sqlite_client: TestClient) -> None:
    for path in ("/settings/sources/999", "/settings/sources/abc"):
        assert sqlite_client.get(path, headers=EN).status_code == 404, path
    assert sqlite_client.post("/settings/sources/999", data={}).status_code == 404
    assert sqlite_client.post("/settings/sources/999/enable").status_code == 404


def test_a_source_whose_connector_is_not_installed(
    sqlite_app: App, sqlite_client: TestClient
) -> None:
    presse = feed(sqlite_app)
    with sqlite_app.db.write_session() as session:
        session.execute(update(Source).where(Source.id == presse.id).values(connector="gone"))
        session.commit()
    page = sqlite_client.get(f"/settings/sources/{presse.id}", headers=EN)
    assert page.status_code == 200
    assert "The connector &#39;gone&#39; of this source is not installed" in page.text
    assert '<fieldset class="form-grid" disabled>' in page.text


def test_french_pages(sqlite_app: App, sqlite_client: TestClient) -> None:
    feed(sqlite_app)
    choice = sqlite_client.get("/settings/sources/new", headers=FR).text
    assert "<h1>Ajouter une source</h1>" in choice
    assert "Interrogée à intervalles réguliers" in choice
    form = sqlite_client.get("/settings/sources/new?connector=webhook", headers=FR).text
    assert "Réglages du connecteur" in form
    assert "(obligatoire)" in form
    duplicate = sqlite_client.post("/settings/sources/new?connector=rss", headers=FR,
                                   data={"name": "Presse", "config.url": FEED})  # fmt: skip
    assert duplicate.status_code == 409
    assert (
        "Une source nommée &#39;Presse&#39; existe déjà : choisissez un autre nom."
        in duplicate.text
    )
    invalid = sqlite_client.post("/settings/sources/new?connector=rss", headers=FR,
                                 data={"name": "Autre", "config.url": "pas une adresse"})  # fmt: skip
    assert (
        "La configuration de cette source RSS or Atom feed n&#39;est pas valide : url:"
        in invalid.text
    )
    number = sqlite_client.post("/settings/sources/new?connector=webhook", headers=FR,
                                data={"name": "Crochet", "config.signing_secret": SECRET,
                                      "config.replay_window_seconds": "bientôt"})  # fmt: skip
    assert "Replay window seconds doit être un nombre entier, par exemple 300." in number.text
    presse = source_named(sqlite_app, "Presse")
    edit = sqlite_client.get(f"/settings/sources/{presse.id}", headers=FR).text
    assert "Désactiver" in edit
    assert "La source est activée." in edit
