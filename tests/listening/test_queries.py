from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from sbu.bootstrap import App
from sbu.core.audit import Actor
from sbu.listening import queries
from sbu.listening.drafts import RawItem, Rejected
from sbu.listening.queries import StreamFilters
from sbu.listening.services import create_source
from tests.conftest import NOW


def raw(i: int, **extra: Any) -> RawItem:
    payload = {
        "id": str(i),
        "platform": "bluesky" if i % 2 else "mastodon",
        "lang": "fr" if i % 3 else "en",
        "created_at": (NOW - timedelta(hours=100 - i)).isoformat(),
        "text": f"Publication {i} sur le réseau",
        **extra,
    }
    return RawItem("sbu", payload, f"line {i}")


@pytest.fixture
def source_id(app: App) -> int:
    source = create_source(
        app.db, app.clock, app.registry, Actor("t", "t"), name="q", connector="file"
    )
    app.ingest.ingest(source.id, [raw(i) for i in range(1, 61)])
    app.ingest.ingest(
        source.id, [raw(61, text="Élysée et RÉSEAU 100% fibre_optique", parent_id="3")]
    )
    return source.id


def test_stream_is_newest_first_with_keyset_pages_both_ways(app: App, source_id: int) -> None:
    with app.db.session() as session:
        first = queries.stream(session, StreamFilters(), limit=25)
        assert [r.external_id for r in first.rows[:3]] == ["61", "60", "59"]
        assert first.newer is None
        assert first.older is not None
        second = queries.stream(session, StreamFilters(), limit=25, before=first.older)
        assert second.rows[0].external_id == "36"
        back = queries.stream(session, StreamFilters(), limit=25, after=second.newer)
        assert [r.id for r in back.rows] == [r.id for r in first.rows]
        last = queries.stream(session, StreamFilters(), limit=25, before=queries.stream(
            session, StreamFilters(), limit=25, before=second.older).older or "")  # fmt: skip
        assert first.count == 61
        assert not first.count_capped
        del last


def test_filters_and_accent_insensitive_search(app: App, source_id: int) -> None:
    with app.db.session() as session:

        def ids(**kwargs: Any) -> set[str]:
            page = queries.stream(session, StreamFilters(**kwargs), limit=100)
            return {r.external_id for r in page.rows}

        assert ids(q="reseau elysee") == {"61"}
        assert ids(q='"elysee reseau"') == set()
        assert ids(q='"elysee et reseau"') == {"61"}
        assert ids(q="RÉSEAU 100%") == {"61"}
        assert ids(q="fibre_optique") == {"61"}
        assert ids(q="100%25") == set()
        assert all(int(i) % 2 for i in ids(platform="bluesky"))
        assert ids(language="en") == {str(i) for i in range(1, 62) if i % 3 == 0}
        assert ids(since=NOW - timedelta(hours=40)) == {str(i) for i in range(61, 62)} | {
            str(i) for i in range(60, 61)
        }
        assert ids(source_id=source_id + 999) == set()


def test_counts_are_capped(app: App, source_id: int) -> None:
    with app.db.session() as session:
        assert queries.count_mentions(session, StreamFilters(), cap=10) == (10, True)
        assert queries.count_mentions(session, StreamFilters(language="en"), cap=100) == (20, False)


def test_new_mentions_since_a_cursor(app: App, source_id: int) -> None:
    with app.db.session() as session:
        cursor = queries.newest_cursor(session, StreamFilters())
    assert cursor is not None
    app.ingest.ingest(
        source_id, [raw(62, created_at=NOW.isoformat()), raw(63, created_at=NOW.isoformat())]
    )
    with app.db.session() as session:
        assert queries.count_newer(session, StreamFilters(), cursor) == 2
        assert queries.count_newer(session, StreamFilters(), "garbage") == 0


def test_detail_has_thread_and_facets_list_values(app: App, source_id: int) -> None:
    with app.db.session() as session:
        reply = queries.stream(session, StreamFilters(q="elysee"), limit=1).rows[0]
        detail = queries.mention_detail(session, reply.id)
        assert detail is not None
        assert detail.parent is not None
        assert detail.parent.external_id == "3"
        parent_detail = queries.mention_detail(session, detail.parent.id)
        assert parent_detail is not None
        assert [m.external_id for m in parent_detail.replies] == ["61"]
        assert queries.mention_detail(session, 10**9) is None
        facets = queries.facets(session)
        assert facets.platforms == ["bluesky", "mastodon"]
        assert facets.languages == ["en", "fr"]


def test_sources_and_dead_letters(app: App, source_id: int) -> None:
    app.ingest.ingest(
        source_id, [], rejected=[Rejected("line 9", "Line 9 is not valid JSON.", "{")]
    )
    with app.db.session() as session:
        (row,) = queries.list_sources(session)
        assert (row.name, row.mentions, row.dead_letters) == ("q", 61, 1)
        page = queries.list_dead_letters(session, source_id=source_id)
        assert page.total == 1
        assert page.rows[0].locator == "line 9"


def test_the_topic_filter_keeps_the_mentions_matching_the_topic(app: App, source_id: int) -> None:
    from sbu.enrichment.worker import build_pipeline
    from sbu.listening.topics import create_topic
    from sbu.org.services import create_department

    actor = Actor("t", "t")
    department = create_department(app.db, app.clock, actor, name="SBU", kind="sbu").id
    elysee = create_topic(app.db, app.clock, actor, name="Élysée", query="elysee",
                          subject_kind="theme", subject_name="Élysée", department_id=department)  # fmt: skip
    create_topic(app.db, app.clock, actor, name="autre", query="publication AND 7",
                 subject_kind="theme", subject_name="Autre", department_id=department)  # fmt: skip
    build_pipeline(app).run_until_caught_up()
    with app.db.session() as session:
        page = queries.stream(session, StreamFilters(topic_id=elysee.id))
        assert [row.text for row in page.rows] == ["Élysée et RÉSEAU 100% fibre_optique"]
        assert (page.count, page.count_capped) == (1, False)
        assert queries.count_mentions(session, StreamFilters(topic_id=elysee.id + 99)) == (0, False)
        assert not StreamFilters(topic_id=elysee.id).is_empty()
        assert [name for _id, name in queries.topic_options(session)] == ["autre", "Élysée"]
