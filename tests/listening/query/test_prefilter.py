"""The SQL prefilter: what each node becomes in the index, and that its candidates hold every
match (and only the matches when it says it is exact), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from sqlalchemy import select, text

from sbu.bootstrap import App
from sbu.listening.models import Mention
from sbu.listening.query import QueryError, matches
from sbu.listening.query.parser import parse
from sbu.listening.query.prefilter import (
    MAX_DEPTH,
    Anything,
    Both,
    Clause,
    Cond,
    Neither,
    Prefilter,
    Text,
    compile_prefilter,
    odd_languages_query,
    render_fts5,
    render_tsquery,
)
from sbu.listening.search import author_resolver
from sbu.listening.search_index import PG_MAX_WORD_BYTES
from tests.listening.search_corpus import (
    queries,
    store,
    store_as_given,
    store_corpus,
    stored_posts,
)
from tests.web.posts import make_source, post


def no_authors(value: str) -> Sequence[int]:
    return []


def tree(query: str, dialect: str = "sqlite") -> Cond:
    return compile_prefilter(parse(query), dialect, no_authors).tree


def fts(query: str) -> str:
    found = tree(query)
    assert isinstance(found, Text), found
    return render_fts5(found.expr)


def tsquery(query: str) -> str:
    found = tree(query, "postgresql")
    assert isinstance(found, Text), found
    return render_tsquery(found.expr)


# -- what each node becomes ---------------------------------------------------------------------


def test_a_plain_word_also_looks_for_its_hashtag_and_mention() -> None:
    assert fts("Ondine") == '("ondine" OR "#ondine" OR "@ondine")'
    assert tsquery("Ondine") == "('ondine' | '#ondine' | '@ondine')"
    assert tree("ondine").exact


def test_a_hashtag_or_mention_looks_for_itself_only() -> None:
    assert fts("#Fibre") == '"#fibre"'
    assert fts("@ondine") == '"@ondine"'
    assert tsquery("#fibre") == "'#fibre'"


def test_a_phrase_is_consecutive_tokens_and_only_its_first_word_varies() -> None:
    assert fts('"service client"') == (
        '("service" + "client" OR "#service" + "client" OR "@service" + "client")'
    )
    assert tsquery('"service client"') == (
        "(('service' <-> 'client') | ('#service' <-> 'client') | ('@service' <-> 'client'))"
    )
    # a term that post text splits is a phrase of its words
    assert fts("l'opérateur") == '("l" + "operateur" OR "#l" + "operateur" OR "@l" + "operateur")'


def test_wildcards() -> None:
    assert fts("connect*") == '("connect"* OR "#connect"* OR "@connect"*)'
    assert tsquery("#connect*") == "'#connect':*"
    assert tree("connect*").exact
    # colo?r: words starting with "colo", a superset
    assert fts("colo?r") == '("colo"* OR "#colo"* OR "@colo"*)'
    assert not tree("colo?r").exact
    assert isinstance(tree("?olor"), Anything)
    # inside a phrase the other words still count
    assert fts('"service ?lient"') == '("service" OR "#service" OR "@service")'
    assert fts('"?ervice client box"') == '"client" + "box"'


def test_boolean_operators_merge_into_one_index_query() -> None:
    assert fts("ondine AND (fibre OR box) NOT recrutement") == (
        '((("ondine" OR "#ondine" OR "@ondine") AND ("fibre" OR "#fibre" OR "@fibre" OR "box" '
        'OR "#box" OR "@box")) NOT ("recrutement" OR "#recrutement" OR "@recrutement"))'
    )
    assert tsquery("#a AND #b NOT #c") == "(('#a' & '#b') & !'#c')"
    assert tree("ondine AND (fibre OR box) NOT recrutement").exact


def test_near_is_both_sides_a_superset() -> None:
    assert fts("#a NEAR/3 (#b OR #c)") == '("#a" AND ("#b" OR "#c"))'
    assert not tree("#a NEAR/3 #b").exact


def test_not_is_kept_only_when_exact() -> None:
    assert fts("#a NOT #b") == '("#a" NOT "#b")'
    # NOT of an inexact condition cannot exclude anything
    assert fts("#a NOT colo?r") == '"#a"'
    assert not tree("#a NOT colo?r").exact
    assert not tree("#a NOT (#b NEAR/2 #c)").exact
    # a NOT without anything to look for stays a NOT of its own
    found = tree("NOT #b")
    assert isinstance(found, Neither)
    assert found.exact


def test_title_and_raw_are_supersets_in_the_folded_words() -> None:
    assert fts("title:Ondine") == '("ondine" OR "#ondine" OR "@ondine")'
    assert not tree("title:ondine").exact
    assert fts("raw:Élysée") == '("elysee" OR "#elysee" OR "@elysee")'
    assert not tree("raw:Élysée").exact
    assert fts("raw:Conn*") == '("conn"* OR "#conn"* OR "@conn"*)'


def test_language_and_site_are_field_tokens_of_the_index() -> None:
    assert fts("lang:fr") == '("~lang=fr" OR "~lang=fr-"*)'
    assert tsquery("lang:pt-BR") == "('~lang=pt-br' | '~lang=pt-br-':*)"
    assert tree("lang:fr").exact
    # site: labels reversed, so subdomains are a prefix
    assert fts("site:www.Example.com") == '("~site=com.example" OR "~site=com.example."*)'
    assert tree("site:example.com").exact
    assert fts("#a NOT lang:en") == '("#a" NOT ("~lang=en" OR "~lang=en-"*))'


def test_platform_is_sql_on_the_mention() -> None:
    platform = tree("platform:mastodon")
    assert isinstance(platform, Clause)
    assert platform.exact
    both = tree("#a AND platform:rss")
    assert isinstance(both, Both)
    assert both.exact


def test_author_values_are_resolved_by_the_caller() -> None:
    asked: list[str] = []

    def resolve(value: str) -> Sequence[int]:
        asked.append(value)
        return [3, 5]

    prefilter = compile_prefilter(parse('author:"Élodie  Martin" AND #a'), "sqlite", resolve)
    assert asked == ["elodie martin"]
    assert prefilter.exact


def test_words_too_long_for_the_index_and_deep_nesting_give_no_condition() -> None:
    long_word = "a" * (PG_MAX_WORD_BYTES + 1)
    assert isinstance(tree(long_word), Anything)
    deep = "#x"
    for index in range(MAX_DEPTH + 2):
        deep = f"(#w{index} AND NOT {deep})"
    found = tree(deep)
    assert not found.exact
    assert isinstance(found, Text)
    rendered = render_fts5(found.expr)
    assert f'"#w{MAX_DEPTH + 1}"' in rendered
    assert '"#x"' not in rendered


# -- candidates in a real database ------------------------------------------------------------


def candidate_ids(app: App, prefilter: Prefilter) -> set[int]:
    with app.db.session() as session:
        query = select(Mention.id)
        candidates = prefilter.candidates()
        if candidates is not None:
            query = query.where(candidates)
        return set(session.execute(query).scalars())


def exact_ids(app: App, prefilter: Prefilter) -> set[int]:
    """What SQL says the matches are (the unsure mentions aside)."""
    assert prefilter.condition is not None
    with app.db.session() as session:
        return set(session.execute(select(Mention.id).where(prefilter.condition)).scalars())


def unsure_ids(app: App, prefilter: Prefilter) -> set[int]:
    if prefilter.unsure is None:
        return set()
    with app.db.session() as session:
        return set(session.execute(select(Mention.id).where(prefilter.unsure)).scalars())


def check_query(app: App, query: str, posts: list[tuple[int, object, object]]) -> None:
    node = parse(query)
    with app.db.session() as session:
        prefilter = compile_prefilter(node, app.db.dialect, author_resolver(session))
    expected = {mid for mid, _created, post in posts if matches(node, post)}  # type: ignore[arg-type]
    candidates = candidate_ids(app, prefilter)
    assert expected <= candidates, (query, expected - candidates)
    if prefilter.exact:
        unsure = unsure_ids(app, prefilter)
        assert exact_ids(app, prefilter) - unsure == expected - unsure, query


FIXED_QUERIES = [
    "ondine",
    "#ondine",
    "@ondine",
    '"service client"',
    "connect*",
    "colo?r",
    "ondine NOT fibre",
    "NOT ondine",
    "ondine NEAR/2 fibre",
    "lang:fr",
    "NOT lang:fr",
    "author:bob",
    'author:"élodie martin"',
    "site:ondine.fr",
    "raw:Ondine",
    "title:ondine",
    "🎉",
    "contact",
    "ondine#fibre",
    "l'opérateur",
    "NOT (lang:en OR platform:rss) AND (ondine OR réseau)",
]


def test_candidates_hold_every_match(app: App) -> None:
    source_id = make_source(app)
    store_corpus(app, source_id, 250)
    posts = stored_posts(app)
    assert len(posts) == 250
    for query in FIXED_QUERIES:
        check_query(app, query, posts)  # type: ignore[arg-type]


def test_languages_are_folded_as_the_evaluator_folds_them(app: App) -> None:
    source_id = make_source(app)
    given = [("1", "fr"), ("2", None), ("3", "FR"), ("4", "fr_CA"), ("5", "FÉ"), ("6", "fr ca")]
    store_as_given(app, source_id, [(key, "ondine", lang) for key, lang in given])
    posts = stored_posts(app)
    assert [p.lang for _i, _c, p in reversed(posts)] == [lang for _key, lang in given]
    with app.db.session() as session:
        prefilter = compile_prefilter(
            parse("NOT lang:fe"), app.db.dialect, no_authors, odd_languages=True
        )
        assert session.execute(odd_languages_query(app.db.dialect)).first() is not None
    assert prefilter.exact
    assert len(unsure_ids(app, prefilter)) == 1  # "fr ca" is not one token
    for query in ("lang:fr", "NOT lang:fr", "ondine AND NOT lang:fr", "lang:fe", "NOT lang:fe"):
        check_query(app, query, posts)  # type: ignore[arg-type]


def test_a_text_past_postgresql_limits_is_always_a_candidate(app: App) -> None:
    source_id = make_source(app)
    long_text = "ondine " * 300 + "fibre"  # more than 256 positions of one word
    app.ingest.ingest(source_id, [post("1", long_text), post("2", "fibre seule")])
    posts = stored_posts(app)
    prefilter = compile_prefilter(parse('"ondine fibre"'), app.db.dialect, no_authors)
    if app.db.dialect == "postgresql":
        with app.db.session() as session:
            documents = dict(session.execute(text("SELECT mention_id, document IS NULL FROM mention_search")).all())  # fmt: skip
        assert sorted(documents.values()) == [False, True]
        assert len(unsure_ids(app, prefilter)) == 1
    else:
        assert prefilter.unsure is None
    for query in ('"ondine fibre"', 'NOT "ondine fibre"', "fibre NOT ondine"):
        check_query(app, query, posts)  # type: ignore[arg-type]


def test_generated_queries_candidates_hold_every_match(app: App) -> None:
    store_corpus(app, make_source(app), 300, seed=11)
    posts = stored_posts(app)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=queries())
    def check(query: str) -> None:
        try:
            parse(query)
        except QueryError:
            return
        check_query(app, query, posts)  # type: ignore[arg-type]

    check()


def test_the_corpus_helper_stores_what_it_is_given(app: App) -> None:
    source_id = make_source(app)
    store(app, source_id, [{"id": "x", "text": "un texte", "created_at": "2026-11-27T10:00:00Z"}])
    assert [p.text for _id, _at, p in stored_posts(app)] == ["un texte"]
