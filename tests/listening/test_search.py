"""Search over history: exact results newest first, filters, keyset pages, exact counts, the
candidate limit, and (property tests) the same answer as the reference evaluator over every
stored post, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from sbu.bootstrap import App
from sbu.listening.queries import MentionRow
from sbu.listening.query import PostView, QueryError, evaluate
from sbu.listening.query.parser import parse
from sbu.listening.query.prefilter import compile_prefilter
from sbu.listening.search import (
    CompiledSearch,
    SearchFilters,
    author_resolver,
    compile_search,
    count_matches,
    match_post,
    search,
)
from tests.conftest import NOW
from tests.listening.search_corpus import (
    queries,
    records,
    store,
    store_as_given,
    store_corpus,
    stored_posts,
)
from tests.web.posts import make_source, post


def ids(rows: list[MentionRow]) -> list[str]:
    return [row.external_id for row in rows]


def run(app: App, query: str, filters: SearchFilters | None = None, **options: Any) -> list[str]:
    with app.db.session() as session:
        return ids(search(session, query, filters, **options).rows)


@pytest.fixture
def source_id(app: App) -> int:
    return make_source(app)


def test_results_are_the_matches_newest_first_with_what_pages_show(
    app: App, source_id: int
) -> None:
    app.ingest.ingest(
        source_id,
        [
            post("old", "Ondine répare la fibre", minutes_ago=300, likes=4),
            post("new", "L'opérateur #Ondine annonce", minutes_ago=5, url="https://ondine.fr/a"),
            post("ondines", "Les ondines de la rivière", minutes_ago=50),
            post("other", "Rien à voir", minutes_ago=1),
        ],
    )
    with app.db.session() as session:
        page = search(session, "ondine")
    assert ids(page.rows) == ["new", "old"]
    assert (page.count, page.count_at_least, page.older, page.exact) == (2, False, None, True)
    first = page.rows[0]
    assert first.url == "https://ondine.fr/a"
    assert first.source_name == "tests"
    assert (first.author_name, first.author_handle) == ("Author new", "@anew")
    assert first.created_at == NOW - timedelta(minutes=5)
    assert page.rows[1].metrics == {"likes": 4}


def test_the_language_rules_apply_to_stored_posts(app: App, source_id: int) -> None:
    app.ingest.ingest(
        source_id,
        [
            post("1", "Le RÉSEAU est coupé à l'Élysée"),
            post("2", "reseaux sociaux"),
            post("3", "Le service client d'Ondine répond 🎉"),
            post("4", "service après-vente, client content"),
            post("5", "Ma connectivité est top, #Fibre"),
        ],
    )
    assert run(app, "reseau") == ["1"]
    assert run(app, "elysee") == ["1"]
    assert run(app, "raw:RÉSEAU") == ["1"]
    assert run(app, "raw:Réseau") == []
    assert run(app, '"service client"') == ["3"]
    assert run(app, "service NEAR/2 client") == ["4", "3"]  # same time: newest id first
    assert run(app, "service NEAR/1 client") == ["3"]
    assert run(app, "🎉") == ["3"]
    assert run(app, "connect*") == ["5"]
    assert run(app, "#fibre") == ["5"]
    assert run(app, "reseau OR fibre") == ["5", "1"]


def test_filters_narrow_the_search(app: App, source_id: int) -> None:
    second = make_source(app, "second")
    app.ingest.ingest(
        source_id,
        [
            post("fr", "fibre à Brest", minutes_ago=10, lang="fr"),
            post("en", "fibre in Brest", minutes_ago=20, lang="en", platform="bluesky"),
            post("old", "fibre d'avant", minutes_ago=60 * 24 * 3, lang="fr"),
        ],
    )
    app.ingest.ingest(second, [post("other", "fibre ailleurs", minutes_ago=30)])
    assert run(app, "fibre") == ["fr", "en", "other", "old"]
    assert run(app, "fibre", SearchFilters(platform="bluesky")) == ["en"]
    assert run(app, "fibre", SearchFilters(language="fr")) == ["fr", "other", "old"]
    assert run(app, "fibre", SearchFilters(source_id=second)) == ["other"]
    since = NOW - timedelta(days=1)
    assert run(app, "fibre", SearchFilters(since=since)) == ["fr", "en", "other"]
    assert run(app, "fibre", SearchFilters(until=since)) == ["old"]
    with app.db.session() as session:
        assert count_matches(session, "fibre", SearchFilters(language="fr")) == (3, False)


def test_originals_only_hides_repeats(app: App, source_id: int) -> None:
    text = "Une panne de fibre à Brest ce soir, encore une fois, merci Ondine"
    app.ingest.ingest(source_id, [post("a", text, minutes_ago=10), post("b", text, minutes_ago=5)])
    assert run(app, "fibre") == ["b", "a"]
    assert run(app, "fibre", SearchFilters(originals_only=True)) == ["a"]


def test_pages_follow_the_older_cursor(app: App, source_id: int) -> None:
    app.ingest.ingest(
        source_id,
        [
            post(str(i), f"panne {i}" if i % 3 else f"autre {i}", minutes_ago=100 - i)
            for i in range(30)
        ],
    )
    expected = [str(i) for i in reversed(range(30)) if i % 3]
    seen: list[str] = []
    before = None
    with app.db.session() as session:
        while True:
            page = search(session, "panne", limit=4, before=before)
            assert page.count == 20
            seen.extend(ids(page.rows))
            if page.older is None:
                break
            before = page.older
    assert seen == expected


def test_a_query_with_a_problem_is_refused_with_every_problem(app: App) -> None:
    with app.db.session() as session, pytest.raises(QueryError) as caught:
        search(session, "ondine AND")
    problem = caught.value.problems[0]
    assert (problem.code, problem.start, problem.end) == ("missing_operand", 7, 10)
    with app.db.session() as session, pytest.raises(QueryError) as caught:
        search(session, "the")
    assert [p.code for p in caught.value.problems] == ["stopword"]


def test_a_page_stops_at_the_candidate_limit_and_continues(app: App, source_id: int) -> None:
    # NEAR is checked in Python: every post with both words is a candidate.
    app.ingest.ingest(
        source_id,
        [
            post(str(i), "ondine " + ("x " * 5 if i % 4 else "") + "fibre", minutes_ago=100 - i)
            for i in range(40)
        ],
    )
    expected = [str(i) for i in reversed(range(40)) if i % 4 == 0]
    with app.db.session() as session:
        page = search(session, "ondine NEAR/1 fibre", limit=50, max_candidates=15)
        assert page.stopped_early
        assert not page.exact
        assert ids(page.rows) == [e for e in expected if int(e) >= 25]
        assert page.scanned == 15
        assert (page.count, page.count_at_least) == (3, True)
        assert page.older is not None
        rest = search(session, "ondine NEAR/1 fibre", before=page.older, max_candidates=100)
        assert ids(page.rows) + ids(rest.rows) == expected
        assert (rest.count, rest.count_at_least) == (10, False)


def test_exact_counts_come_from_sql_whatever_the_limit(app: App, source_id: int) -> None:
    app.ingest.ingest(source_id, [post(str(i), f"#fibre {i} fin") for i in range(12)])
    with app.db.session() as session:
        assert count_matches(session, "#fibre", max_candidates=3) == (12, False)
        assert count_matches(session, "#fibre NOT 3", max_candidates=3) == (11, False)
        # NEAR is checked one by one: the limit applies
        assert count_matches(session, "#fibre NEAR/1 fin", max_candidates=3) == (3, True)
        assert count_matches(session, "#fibre NEAR/1 fin") == (12, False)
        assert count_matches(session, "#fibre NEAR/0 fin") == (0, False)


def test_a_mention_reads_as_topic_matching_reads_it(app: App, source_id: int) -> None:
    app.ingest.ingest(
        source_id,
        [post("1", "Texte", title="Titre", lang="fr", platform="rss", url="https://x.fr/1")],
    )
    with app.db.session() as session:
        row = search(session, "texte").rows[0]
    found = match_post(row)
    assert (found.id, found.text, found.title, found.lang, found.platform) == (
        str(row.id), "Texte", "Titre", "fr", "rss",
    )  # fmt: skip
    assert (found.author, found.author_name, found.url) == ("@a1", "Author 1", "https://x.fr/1")


def test_author_values_find_handles_and_names(app: App, source_id: int) -> None:
    people = [
        ("1", "@ondine_telecom", "Ondine Télécom"),
        ("2", "@bob@mastodon.social", "Bob  Smith"),
        ("3", "élodie", "Élodie\tMartin"),
        ("4", "ZOÉ", None),
    ]
    app.ingest.ingest(
        source_id,
        [
            post(key, f"bonjour {key}", author={"id": key, "handle": handle, "name": name})
            for key, handle, name in people
        ],
    )
    assert run(app, "author:ondine_telecom AND bonjour") == ["1"]
    assert run(app, 'author:"ondine telecom" AND bonjour') == ["1"]
    assert run(app, "author:bob AND bonjour") == ["2"]
    assert run(app, "author:bob@mastodon.social AND bonjour") == ["2"]
    assert run(app, 'author:"bob smith" AND bonjour') == ["2"]
    assert run(app, 'author:"elodie martin" AND bonjour') == ["3"]
    assert run(app, "author:elodie AND bonjour") == ["3"]
    assert run(app, "author:zoe AND bonjour") == ["4"]
    assert run(app, "author:smith AND bonjour") == []
    with app.db.session() as session:
        resolve = author_resolver(session)
        assert resolve("nobody") == []


def test_odd_language_codes_are_checked_in_python(app: App, source_id: int) -> None:
    store_as_given(
        app, source_id, [("1", "fibre", "fr"), ("2", "fibre", "FR"), ("3", "fibre", "fr ca")]
    )
    assert run(app, "fibre AND lang:fr") == ["2", "1"]  # FR is fr, "fr ca" is not
    assert run(app, "fibre AND NOT lang:fr") == ["3"]
    with app.db.session() as session:
        assert count_matches(session, "fibre AND lang:fr") == (2, False)
        assert count_matches(session, "fibre AND NOT lang:fr") == (1, False)
        assert compile_search(session, "fibre AND lang:fr").prefilter.unsure is not None
        assert compile_search(session, "fibre").prefilter.unsure is None


def test_without_odd_language_codes_nothing_is_unsure(app: App, source_id: int) -> None:
    app.ingest.ingest(source_id, [post("1", "fibre", lang="fr")])
    with app.db.session() as session:
        assert compile_search(session, "fibre AND lang:fr").prefilter.unsure is None


# -- property tests -------------------------------------------------------------------------


def stored_views(app: App) -> list[tuple[int, PostView]]:
    return [(mid, PostView(post_)) for mid, _created, post_ in stored_posts(app)]


def expected_ids(views: list[tuple[int, PostView]], query: str) -> list[int]:
    """The reference: the evaluator on every stored post, newest first."""
    node = parse(query)
    return [mid for mid, view in views if evaluate(node, view)]


def compiled(app: App, query: str) -> CompiledSearch:
    """The query's search without the linter (generated queries may be broad or stopwords)."""
    node = parse(query)
    with app.db.session() as session:
        return CompiledSearch(
            query, node, compile_prefilter(node, app.db.dialect, author_resolver(session))
        )


def search_all(app: App, query: CompiledSearch, limit: int) -> list[int]:
    found: list[int] = []
    before = None
    with app.db.session() as session:
        while True:
            page = search(session, query, limit=limit, before=before, with_count=False)
            found.extend(row.id for row in page.rows)
            if page.older is None:
                return found
            before = page.older


def test_generated_queries_find_what_the_evaluator_finds(app: App, source_id: int) -> None:
    store_corpus(app, source_id, 300, seed=3)
    views = stored_views(app)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=queries())
    def check(query: str) -> None:
        try:
            search_query = compiled(app, query)
        except QueryError:
            return
        expected = expected_ids(views, query)
        assert search_all(app, search_query, limit=1000) == expected
        assert search_all(app, search_query, limit=30) == expected
        with app.db.session() as session:
            assert count_matches(session, search_query) == (len(expected), False)

    check()


def test_generated_posts_are_found_as_the_evaluator_finds_them(app: App, source_id: int) -> None:
    counter = iter(range(10**6))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(batch=records(), query=queries())
    def check(batch: list[dict[str, Any]], query: str) -> None:
        for record in batch:
            record["id"] = f"g{next(counter)}"
        store(app, source_id, batch)
        try:
            search_query = compiled(app, query)
        except QueryError:
            return
        expected = expected_ids(stored_views(app), query)
        assert search_all(app, search_query, limit=3) == expected
        with app.db.session() as session:
            assert count_matches(session, search_query) == (len(expected), False)

    check()
