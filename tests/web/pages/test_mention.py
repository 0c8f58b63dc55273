"""Listening → a mention: fields, thread, duplicates, annotations and the escaped raw payload."""

from __future__ import annotations

import re

from sbu.bootstrap import App
from tests.web.conftest import TestClient
from tests.web.posts import XSS, post

EN = {"accept-language": "en"}


def mention_ids(client: TestClient) -> dict[str, int]:
    items = client.get("/api/v1/mentions", params={"limit": 100}).json()["items"]
    return {item["external_id"]: item["id"] for item in items}


def test_detail_shows_fields_thread_duplicates_and_annotations(
    app: App, source_id: int, client: TestClient
) -> None:
    text = "Le réseau mobile de Télécom Ouest est coupé depuis ce matin à Rennes et Nantes"
    app.ingest.ingest(
        source_id,
        [
            post(
                "root",
                text,
                minutes_ago=120,
                title="Coupure à Rennes",
                url="https://social.example/@a/root",
                likes=12,
                annotations={"scenario": "outage", "truth": {"sentiment": "negative"}},
            )
        ],
    )
    app.ingest.ingest(
        source_id,
        [
            post("reply", "Chez moi aussi, plus rien", minutes_ago=100, parent_id="root"),
            post("copy", text, minutes_ago=90),
        ],
    )
    ids = mention_ids(client)
    html = client.get(f"/listening/mentions/{ids['root']}", headers=EN).text
    assert '<h2 class="mention-title">Coupure à Rennes</h2>' in html
    assert "Author root" in html
    assert "@aroot" in html
    assert 'href="https://social.example/@a/root" rel="noopener noreferrer nofollow"' in html
    assert "1 other mention repeats this one." in html
    assert f'href="/listening/mentions/{ids["reply"]}"' in html
    assert "<dt>scenario</dt><dd>outage</dd>" in html
    assert "&#34;sentiment&#34;: &#34;negative&#34;" in html
    assert f'href="/api/v1/mentions/{ids["root"]}"' in html
    assert f"/listening/stream?source={source_id}" in html
    copy = client.get(f"/listening/mentions/{ids['copy']}", headers=EN).text
    # the root has a title the copy lacks: their texts compare as near-duplicates
    assert "This mention repeats an earlier one (Near-duplicate). The original:" in copy
    assert f'href="/listening/mentions/{ids["root"]}"' in copy
    reply = client.get(f"/listening/mentions/{ids['reply']}", headers=EN).text
    assert "In reply to" in reply


def test_post_text_author_and_payload_are_escaped(
    app: App, source_id: int, client: TestClient
) -> None:
    app.ingest.ingest(
        source_id,
        [
            post(
                "xss",
                f"{XSS}\nsecond line",
                title=XSS,
                author={"id": "evil", "handle": XSS, "name": XSS, "url": "javascript:alert(3)"},
                annotations={XSS: XSS},
            )
        ],
    )
    mention_id = mention_ids(client)["xss"]
    html = client.get(f"/listening/mentions/{mention_id}", headers=EN).text
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "javascript:" not in html.split("<pre", 1)[0]
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;\nsecond line"
        in html
    )
    raw = html.split('<pre class="code" id="raw-payload">', 1)[1].split("</pre>", 1)[0]
    assert "&#34;text&#34;: &#34;&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "<" not in raw
    assert "<script" not in html


def test_unknown_mention_is_a_404_page_in_the_readers_language(sqlite_client: TestClient) -> None:
    response = sqlite_client.get("/listening/mentions/4242", headers={"accept-language": "fr"})
    assert response.status_code == 404
    assert (
        "Cette mention n&#39;existe pas" in response.text
        or "Cette mention n'existe pas" in response.text
    )
    assert sqlite_client.get("/listening/mentions/0").status_code == 404
    assert sqlite_client.get("/listening/mentions/99999999999999999999").status_code == 404


def test_the_topics_a_mention_matches_are_chips(
    app: App, source_id: int, client: TestClient
) -> None:
    from tests.web.topics import make_department, make_topic, match_everything

    app.ingest.ingest(source_id, [post("a", "Ondine coupe la fibre"), post("b", "Rien")])
    department = make_department(app)
    ondine = make_topic(app, department)
    fibre = make_topic(app, department, name="Fibre <i>", query="fibre", examples=[])
    match_everything(app)
    ids = mention_ids(client)
    html = client.get(f"/listening/mentions/{ids['a']}", headers=EN).text
    chips = re.findall(r'<a class="chip" href="/listening/topics/(\d+)">([^<]*)</a>', html)
    assert chips == [(str(fibre.id), "Fibre &lt;i&gt;"), (str(ondine.id), "Ondine")]
    other = client.get(f"/listening/mentions/{ids['b']}", headers=EN).text
    assert "This mention matches no topic." in other
