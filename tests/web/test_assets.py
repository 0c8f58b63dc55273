"""Offline by construction: no page or asset refers to another host; scripts never parse HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import MappingProxyType

from sbu.bootstrap import App
from sbu.web.app import STATIC_DIR
from tests.web.conftest import TestClient
from tests.web.posts import make_source, post

#: An XML namespace is a name, not a resource: browsers never fetch it.
NAMESPACES = ("http://www.w3.org/2000/svg",)
EXTERNAL = re.compile(r"(?:https?:)?//[a-z0-9.\-]+", re.IGNORECASE)


class ResourceCollector(HTMLParser):
    """Every URL a browser would load (or send a form to) from a page."""

    LOADS = MappingProxyType(
        {
            "script": "src",
            "link": "href",
            "img": "src",
            "iframe": "src",
            "source": "src",
            "video": "src",
            "audio": "src",
            "embed": "src",
            "object": "data",
            "form": "action",
        }
    )

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = self.LOADS.get(tag)
        for name, value in attrs:
            if value and (name == wanted or name == "srcset" or name == "style"):
                self.urls.append(value)


def test_static_assets_refer_to_no_other_host() -> None:
    assets = [p for p in STATIC_DIR.rglob("*") if p.is_file()]
    assert {p.name for p in assets} >= {"app.css", "stream.js", "favicon.svg"}
    for path in assets:
        text = path.read_text(encoding="utf-8")
        for namespace in NAMESPACES:
            text = text.replace(namespace, "")
        assert not EXTERNAL.search(text), path
        assert "@import" not in text, path


def test_the_scripts_never_parse_html() -> None:
    scripts = sorted(STATIC_DIR.rglob("*.js"))
    assert {p.name for p in scripts} >= {"stream.js", "topic-editor.js", "topic-page.js"}
    for path in scripts:
        script = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in script, (path.name, sink)


def test_pages_load_resources_from_this_site_only(app: App, client: TestClient) -> None:
    source = make_source(app)
    app.ingest.ingest(
        source,
        [post("1", "Un message avec un lien https://example.org/x", url="https://example.org/p/1")],
    )
    mention_id = client.get("/api/v1/mentions").json()["items"][0]["id"]
    pages = [
        "/",
        "/competition",
        "/listening",
        "/intelligence",
        "/engagement",
        "/enablement",
        "/settings",
        "/listening/stream",
        f"/listening/mentions/{mention_id}",
        "/settings/sources",
        "/settings/dead-letters",
        "/api/v1/docs",
        "/does-not-exist",
    ]
    for path in pages:
        for language in ("en", "fr"):
            response = client.get(path, headers={"accept-language": language})
            collector = ResourceCollector()
            collector.feed(response.text)
            assert collector.urls, path
            for url in collector.urls:
                assert url.startswith("/"), (path, url)
                assert not url.startswith("//"), (path, url)
            assert "<style" not in response.text, path
            scripts = re.findall(r"<script[^>]*>", response.text)
            assert all('src="/static/' in tag for tag in scripts), (path, scripts)
