"""Mentions as stages read them: in id order, by ranges, with their author."""

from __future__ import annotations

from sbu.bootstrap import App
from sbu.enrichment.items import count_between, load_after, load_ranges
from tests.listening.topic_world import ingest
from tests.web.posts import make_source, post


def test_load_after_until_and_limit(app: App) -> None:
    ids = ingest(app, "un", "deux", "trois", "quatre")
    with app.db.session() as session:
        assert [i.id for i in load_after(session, 0, 10)] == ids
        assert [i.id for i in load_after(session, ids[0], 2)] == ids[1:3]
        assert [i.id for i in load_after(session, ids[0], 10, until_id=ids[2])] == ids[1:3]
        assert load_after(session, 0, 0) == []
        assert [i.id for i in load_ranges(session, [(ids[0], ids[0]), (ids[2], ids[3])], 10)] == [
            ids[0], ids[2], ids[3],
        ]  # fmt: skip
        assert [i.id for i in load_ranges(session, [(ids[0], ids[3])], 2)] == ids[:2]
        assert load_ranges(session, [], 10) == []
        assert count_between(session, 0) == 4
        assert count_between(session, ids[0], ids[2]) == 2


def test_an_item_is_the_post_the_query_language_reads(app: App) -> None:
    source = make_source(app)
    item = post("7", "Panne #fibre chez @ondine", platform="bluesky", lang="fr",
                title="Titre", url="https://bsky.app/profile/a/post/7")  # fmt: skip
    [stored] = app.ingest.ingest(source, [item]).stored
    with app.db.session() as session:
        [loaded] = load_after(session, 0, 10)
    assert loaded.id == stored.id
    assert (loaded.source_id, loaded.platform, loaded.language) == (source, "bluesky", "fr")
    assert (loaded.author_handle, loaded.author_name) == ("@a7", "Author 7")
    matched = loaded.match_post()
    assert (matched.id, matched.text, matched.title) == (
        str(stored.id),
        "Panne #fibre chez @ondine",
        "Titre",
    )
    assert (matched.lang, matched.platform, matched.author, matched.author_name) == (
        "fr", "bluesky", "@a7", "Author 7",
    )  # fmt: skip
    assert matched.url == "https://bsky.app/profile/a/post/7"
