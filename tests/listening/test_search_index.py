"""The search index: one token per word of match text, written with the mentions, rebuilt by the
migration, and emptied of deleted mentions."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Connection, text

from sbu.bootstrap import App
from sbu.db.migrate import alembic_config, current_revision, head_revision
from sbu.listening import ingest as ingest_module
from sbu.listening.models import Mention
from sbu.listening.search import search
from sbu.listening.search_index import (
    PG_MAX_POSITION,
    PG_MAX_POSITIONS_PER_WORD,
    PG_MAX_WORD_BYTES,
    backfill,
    body_words,
    document_builder,
    field_tokens,
    forget,
    is_index_table,
    reversed_domain,
    tsvector_literal,
)
from tests.web.posts import make_source, post


def found(app: App, query: str) -> list[str]:
    """External ids of the mentions a search finds."""
    with app.db.session() as session:
        return [row.external_id for row in search(session, query, limit=500).rows]


def index_hits(app: App, token: str) -> set[int]:
    """Mention ids the index itself holds for one token (no check by the evaluator)."""
    with app.db.session() as session:
        if app.db.dialect == "postgresql":
            sql = "SELECT mention_id FROM mention_search WHERE document @@ CAST(:q AS tsquery)"
            query = "'" + token + "'"
        else:
            sql = "SELECT rowid FROM mention_search WHERE mention_search MATCH :q"
            query = '"' + token + '"'
        return set(session.execute(text(sql), {"q": query}).scalars())


def test_body_words_are_the_match_text_of_title_and_text() -> None:
    assert body_words("Titre : Fibre", "L'opérateur #Ondine a dit https://x.fr !") == (
        "titre fibre l operateur #ondine a dit"
    )
    assert body_words(None, "@bob@mastodon.social 🎉") == "@bob 🎉"


def test_tsvector_literal_writes_each_word_once_with_its_positions() -> None:
    assert tsvector_literal("ondine fibre ondine #ondine 🎉") == (
        "'ondine':1,3 'fibre':2 '#ondine':4 '🎉':5"
    )
    assert tsvector_literal("") == ""
    assert tsvector_literal("it's a\\b") == "'it''s':1 'a\\\\b':2"


def test_tsvector_literal_gives_up_past_postgresql_limits() -> None:
    assert tsvector_literal(" ".join(["w"] * PG_MAX_POSITIONS_PER_WORD)) is not None
    assert tsvector_literal(" ".join(["w"] * (PG_MAX_POSITIONS_PER_WORD + 1))) is None
    many = " ".join(f"w{i}" for i in range(PG_MAX_POSITION + 1))
    assert tsvector_literal(many) is None
    # a word too long to be a lexeme is left out; its neighbours keep their positions
    long_word = "x" * (PG_MAX_WORD_BYTES + 1)
    assert tsvector_literal(f"a {long_word} b") == "'a':1 'b':3"


def test_tsvector_literal_adds_field_tokens_without_positions() -> None:
    assert tsvector_literal("a b", ["~lang=fr", "~site=fr.x", "~lang=fr"]) == (
        "'a':1 'b':2 '~lang=fr' '~site=fr.x'"
    )


def test_field_tokens_hold_the_language_and_sites_as_the_evaluator_folds_them() -> None:
    text = "voir https://news.example.com/a et (https://Café.fr/b)."
    assert field_tokens("FR_ca", "https://www.Blog.Ondine.fr/x", text) == [
        "~lang=fr-ca",
        "~site=fr.ondine.blog",  # sites in the order of their names
        "~site=fr.cafe",
        "~site=com.example.news",
    ]
    assert field_tokens(None, None, "rien") == []
    # a code that would not be one token is marked, so search checks those posts in Python
    assert field_tokens("fr ca", None, "") == ["~lang=~"]
    assert field_tokens("fr?", None, "") == ["~lang=~"]
    assert reversed_domain("a.b.c") == "c.b.a"


def test_each_dialect_has_its_document() -> None:
    assert document_builder("sqlite")("a b a", ["~lang=fr"]) == "a b a ~lang=fr"
    assert document_builder("sqlite")("", ["~lang=fr"]) == "~lang=fr"
    assert document_builder("postgresql")("a b a", ["~lang=fr"]) == "'a':1,3 'b':2 '~lang=fr'"


def test_index_tables_are_recognised_by_name() -> None:
    assert is_index_table("mention_search")
    assert is_index_table("mention_search_data")
    assert not is_index_table("mentions")
    assert not is_index_table("mention_searches")


def test_ingest_indexes_each_new_mention_with_its_words(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(
        source_id,
        [
            post("1", "L'opérateur #Ondine répond", title="Réseau"),
            post("2", "Rien à voir, contact@ondine.fr"),
        ],
    )
    with app.db.session() as session:
        ids = dict(session.execute(text("SELECT external_id, id FROM mentions")).all())
    assert index_hits(app, "#ondine") == {ids["1"]}
    assert index_hits(app, "reseau") == {ids["1"]}  # the title is indexed, folded
    assert index_hits(app, "operateur") == {ids["1"]}
    assert index_hits(app, "ondine") == set()  # "#ondine" and "contact@ondine" are other words
    assert index_hits(app, "contact@ondine") == {ids["2"]}
    # a batch stored again adds nothing to the index
    app.ingest.ingest(source_id, [post("1", "L'opérateur #Ondine répond", title="Réseau")])
    assert found(app, "#ondine") == ["1"]


def _empty_the_index(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DELETE FROM mention_search")
    else:
        connection.exec_driver_sql(
            "INSERT INTO mention_search (mention_search) VALUES ('delete-all')"
        )


def test_backfill_indexes_every_stored_mention(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(source_id, [post(str(i), f"panne numéro {i} #fibre") for i in range(7)])
    with app.db.engine.begin() as connection:
        _empty_the_index(connection)
    assert found(app, "#fibre") == []
    with app.db.engine.begin() as connection:
        assert backfill(connection, batch_size=3) == 7
    assert sorted(found(app, "#fibre")) == [str(i) for i in range(7)]
    assert found(app, "numero NEAR/0 3") == ["3"]


def test_the_migration_builds_the_index_of_stored_mentions(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(source_id, [post("a", "Le réseau Ondine"), post("b", "Autre chose")])
    config = alembic_config(app.db)
    command.downgrade(config, "0003")
    assert current_revision(app.db) == "0003"
    with app.db.engine.connect() as connection:
        tables = set(connection.dialect.get_table_names(connection))
    assert not any(is_index_table(name) for name in tables)
    command.upgrade(config, "head")
    assert current_revision(app.db) == head_revision(app.db)
    assert found(app, "reseau ondine") == ["a"]
    assert found(app, "NOT reseau AND chose") == ["b"]


def test_forget_removes_mentions_from_the_index(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(source_id, [post("a", "#fibre à Brest"), post("b", "#fibre à Vannes")])
    with app.db.session() as session:
        rows = session.execute(
            text("SELECT id, title, text, language, url FROM mentions WHERE external_id = 'a'")
        ).all()
    mention_id = rows[0][0]
    assert mention_id in index_hits(app, "#fibre")
    assert mention_id in index_hits(app, "~lang=fr")
    with app.db.engine.begin() as connection:
        forget(connection, [(r[0], r[1], r[2], r[3], r[4]) for r in rows])
    assert mention_id not in index_hits(app, "~lang=fr")
    assert mention_id not in index_hits(app, "#fibre")
    assert len(index_hits(app, "#fibre")) == 1
    # the mention itself is still there: forgetting is the step before deleting it
    with app.db.session() as session:
        assert session.get(Mention, mention_id) is not None


def test_large_imports_refresh_postgresql_statistics_and_the_index(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "ANALYZE_EVERY", 1)
    source_id = make_source(app)
    app.ingest.ingest(source_id, [post(str(i), f"#fibre {i}") for i in range(3)])
    app.ingest.ingest(source_id, [post(str(i), f"#fibre {i}") for i in range(3, 6)])
    assert sorted(found(app, "#fibre")) == [str(i) for i in range(6)]
    if app.db.dialect == "postgresql":
        with app.db.session() as session:
            analysed = session.execute(
                text(
                    "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'mention_search'"
                )
            ).scalar()
        assert analysed is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.ex.com/a//b",
        "http://a b.com/x",
        "https://user@host.com:8080/p?q#f",
        "https://[::1]/x",
        "https://[bad/x",
        "https://x.com",
        "https://x.com?y",
        "https://x.com#y",
        "www.x.com/a//b",
        "https://cafe.fr/",
        "https://\tex.com/",
        "https://ex.com.)",
        "https://-ex-.com./",
    ],
)
def test_sites_are_read_as_the_evaluator_reads_them(url: str) -> None:
    """The index computes a link's domain once per scheme and host: the same as site_of."""
    from sbu.listening.query.posts import site_of
    from sbu.listening.search_index import _site

    assert _site(url) == site_of(url)
