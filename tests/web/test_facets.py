"""The filter menus are cached for a few seconds per application, then recomputed."""

from __future__ import annotations

from sbu.bootstrap import App
from sbu.web.facets import FacetCache
from tests.web.posts import make_source, post


def test_menus_are_reused_within_the_period_and_refreshed_after(app: App) -> None:
    source = make_source(app)
    app.ingest.ingest(source, [post("1", "bonjour", platform="mastodon", lang="fr")])
    now = [100.0]
    cache = FacetCache(ttl_seconds=10, monotonic=lambda: now[0])
    with app.db.session() as session:
        first = cache.get(session)
    assert first.platforms == ["mastodon"]
    assert first.languages == ["fr"]
    assert first.sources == [(source, "tests")]
    app.ingest.ingest(source, [post("2", "hello", platform="bluesky", lang="en")])
    now[0] = 109.0
    with app.db.session() as session:
        assert cache.get(session) is first
    now[0] = 110.0
    with app.db.session() as session:
        fresh = cache.get(session)
    assert fresh.platforms == ["bluesky", "mastodon"]
    assert fresh.languages == ["en", "fr"]
