"""The preview of a draft query: count, share, newest matches, daily volume, co-occurring words,
and the candidate limit (exact in SQL or "at least"), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sbu.bootstrap import App
from sbu.listening.preview import period, preview, term_filter
from sbu.listening.query import QueryError
from sbu.listening.query.parser import parse
from tests.conftest import NOW
from tests.web.posts import make_source, post

DAY = 24 * 60


def test_the_period_is_whole_utc_days_ending_today() -> None:
    since, until = period(NOW, 3)
    assert since == datetime(2026, 11, 26, tzinfo=UTC)
    assert until == datetime(2026, 11, 29, tzinfo=UTC)
    assert period(NOW, 1) == (datetime(2026, 11, 28, tzinfo=UTC), until)


def test_a_preview_counts_shows_and_spreads_the_matches(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(
        source_id,
        [
            post("today", "Panne fibre chez Ondine, encore Brest", minutes_ago=30),
            post("today2", "Ondine recrute à Brest #emploi", minutes_ago=60),
            post("yesterday", "Ondine à Brest, la boutique ferme", minutes_ago=DAY),
            post("old", "Ondine 2020 souvenirs de Brest", minutes_ago=DAY * 10),
            post("too-old", "Ondine il y a longtemps", minutes_ago=DAY * 40),
            post("other", "Rien à voir avec la fibre", minutes_ago=90),
            post("other2", "Toujours rien", minutes_ago=DAY * 2),
        ],
    )
    with app.db.session() as session:
        result = preview(session, "ondine", now=NOW, days=30)
    assert (result.count, result.count_at_least, result.total) == (4, False, 6)
    assert result.share == pytest.approx(4 / 6)
    assert [row.external_id for row in result.sample] == ["today", "today2", "yesterday", "old"]
    assert len(result.volume) == 30
    assert result.volume[0].day == date(2026, 10, 30)
    assert result.volume[-1].day == date(2026, 11, 28)
    by_day = {entry.day: entry.count for entry in result.volume if entry.count}
    assert by_day == {date(2026, 11, 28): 2, date(2026, 11, 27): 1, date(2026, 11, 18): 1}
    assert all(entry.counted for entry in result.volume)
    assert result.peak == 2
    terms = {term.term: term.count for term in result.terms}
    # the query's own word, stopwords (la, a...), short words and numbers are left out
    assert terms["brest"] == 4
    assert terms["#emploi"] == 1
    assert "ondine" not in terms
    assert "la" not in terms
    assert "2020" not in terms
    assert [t.term for t in result.terms][:1] == ["brest"]
    assert result.terms_from == 4


def test_the_sample_keeps_the_newest_matches(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(
        source_id, [post(str(i), f"#fibre {i}", minutes_ago=100 - i) for i in range(30)]
    )
    with app.db.session() as session:
        result = preview(session, "#fibre", now=NOW, sample_size=5)
    assert [row.external_id for row in result.sample] == ["29", "28", "27", "26", "25"]
    assert result.count == 30


def test_an_exact_query_is_counted_in_sql_past_the_candidate_limit(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(
        source_id,
        [post(str(i), f"#fibre numéro {i}", minutes_ago=i * DAY // 4) for i in range(24)],
    )
    with app.db.session() as session:
        result = preview(session, "#fibre", now=NOW, days=10, max_candidates=5)
    assert result.exact
    assert result.stopped
    assert (result.count, result.count_at_least) == (24, False)
    assert sum(entry.count for entry in result.volume) == 24
    assert all(entry.counted for entry in result.volume)
    assert result.terms_from == 5
    assert result.scanned == 5


def test_words_come_from_the_newest_matches_and_sql_counts_the_rest(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(
        source_id,
        [
            post(str(i), f"#fibre {'brest' if i < 20 else 'vannes'}", minutes_ago=i)
            for i in range(30)
        ],
    )
    with app.db.session() as session:
        result = preview(session, "#fibre", now=NOW, terms_from=4, sample_size=3)
    assert (result.count, result.count_at_least, result.stopped) == (30, False, False)
    assert result.terms_from == 4
    assert [(t.term, t.count) for t in result.terms] == [("brest", 4)]
    assert result.scanned < 30  # an exact query reads no more than it needs
    assert sum(entry.count for entry in result.volume) == 30


def test_an_inexact_query_says_at_least_past_the_candidate_limit(app: App) -> None:
    source_id = make_source(app)
    app.ingest.ingest(
        source_id,
        [post(str(i), f"fibre {i} ondine", minutes_ago=i * DAY // 2) for i in range(12)],
    )
    with app.db.session() as session:
        full = preview(session, "fibre NEAR/1 ondine", now=NOW, days=10)
        capped = preview(session, "fibre NEAR/1 ondine", now=NOW, days=10, max_candidates=4)
    assert (full.count, full.count_at_least, full.exact) == (12, False, False)
    assert (capped.count, capped.count_at_least) == (4, True)
    # the four newest (one every 12 hours) reach back to Nov 26: the days after it are whole
    counted = [entry.day for entry in capped.volume if entry.counted]
    assert counted == [date(2026, 11, 27), date(2026, 11, 28)]
    assert sum(entry.count for entry in capped.volume) == 4


def test_a_draft_with_a_problem_is_refused(app: App) -> None:
    with app.db.session() as session, pytest.raises(QueryError) as caught:
        preview(session, '"service client', now=NOW)
    assert caught.value.problems[0].code == "unclosed_quote"


def test_an_empty_period_has_no_share(app: App) -> None:
    with app.db.session() as session:
        result = preview(session, "ondine", now=NOW, days=400)
    assert (result.count, result.total, result.share, result.days) == (0, 0, None, 365)
    assert result.terms == []
    assert result.peak == 0


def test_co_occurring_words_leave_out_what_the_query_looks_for() -> None:
    keep = term_filter(parse('connect* OR "#fibre optique" OR raw:Brest OR colo?r'))
    assert keep("connexion")  # does not start with "connect"
    assert not keep("connectivite")
    assert not keep("#connecte")  # a plain first word also covers its hashtag
    assert not keep("#fibre")
    assert keep("fibre")  # only the hashtag was asked for
    assert not keep("optique")
    assert not keep("brest")
    assert not keep("colour")
    assert not keep("les")
    assert not keep("plus")  # a very common word
    assert not keep("ok")
    assert not keep("2026")
    assert keep("panne")
    assert keep("#panne")


def test_times_are_counted_in_utc_days(app: App) -> None:
    source_id = make_source(app)
    # 00:30 UTC on Nov 28 is still Nov 27 in New York, but the preview counts UTC days.
    at = datetime(2026, 11, 28, 0, 30, tzinfo=UTC)
    minutes = int((NOW - at) / timedelta(minutes=1))
    app.ingest.ingest(source_id, [post("1", "#fibre", minutes_ago=minutes)])
    with app.db.session() as session:
        result = preview(session, "#fibre", now=NOW, days=2)
    assert [(e.day, e.count) for e in result.volume] == [
        (date(2026, 11, 27), 0),
        (date(2026, 11, 28), 1),
    ]
