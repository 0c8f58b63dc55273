"""The preview of a draft query on stored history: what it would match over the last days.

Before a topic is saved, its query runs on the mentions of the last ``days`` days (30 by
default): how many it matches and what share of the period that is, the newest matches, the
volume per day, and the words that come most often with the matches (outside the query's own
words, stopwords, very common words and very short words), to spot noise to exclude with NOT.

The work is bounded: at most ``max_candidates`` candidates are checked
(SBU_SEARCH__PREVIEW_MAX_CANDIDATES), and co-occurring words are counted in the newest
``terms_from`` matches (SBU_SEARCH__PREVIEW_TERMS_FROM). When the query's prefilter is exact,
the count and the daily volume come from SQL and stay exact whatever the limits, and only the
newest candidates are read; otherwise they cover the newest candidates checked and the preview
says "at least" when it stopped before the end of the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, String, func, not_, select
from sqlalchemy.orm import Session

from sbu.core.text import fold
from sbu.listening.models import Mention
from sbu.listening.queries import MentionRow
from sbu.listening.query.evaluate import word_matches
from sbu.listening.query.nodes import Node, Scope, Word, phrases_of
from sbu.listening.query.vocabulary import COMMON_WORDS, STOPWORDS
from sbu.listening.search import (
    CompiledSearch,
    Scan,
    SearchFilters,
    candidate_scan,
    compile_search,
    count_matches,
)

DEFAULT_DAYS = 30
MAX_DAYS = 365
DEFAULT_MAX_CANDIDATES = 200_000
#: Matches the co-occurring words are counted in (SBU_SEARCH__PREVIEW_TERMS_FROM).
DEFAULT_TERMS_FROM = 2000
SAMPLE_SIZE = 20
TOP_TERMS = 20
#: Co-occurring words shorter than this are left out.
MIN_TERM_CHARS = 3


@dataclass(frozen=True, slots=True)
class DayVolume:
    day: date
    count: int
    #: False for days the preview could not count whole (it stopped at the candidate limit).
    counted: bool = True


@dataclass(frozen=True, slots=True)
class TermCount:
    term: str
    #: Matches that contain the word.
    count: int


@dataclass(slots=True)
class Preview:
    query: str
    days: int
    since: datetime
    until: datetime
    #: Matches in the period; at least this many when ``count_at_least``.
    count: int
    count_at_least: bool
    #: Every mention of the period.
    total: int
    #: The newest matches.
    sample: list[MentionRow]
    #: One entry per day of the period, oldest first, zero-filled.
    volume: list[DayVolume]
    terms: list[TermCount]
    #: The matches the co-occurring words were counted in.
    terms_from: int
    #: Candidates checked; ``stopped``: the limit was reached before the end of the period.
    scanned: int
    stopped: bool
    exact: bool = field(default=False)

    @property
    def share(self) -> float | None:
        """The share of the period's mentions matched (0..1), or None for an empty period."""
        return self.count / self.total if self.total else None

    @property
    def peak(self) -> int:
        return max((day.count for day in self.volume), default=0)


def period(now: datetime, days: int) -> tuple[datetime, datetime]:
    """The last ``days`` whole UTC days, today included: ``[since, until)``."""
    today = now.astimezone(UTC).date()
    since = datetime.combine(today - timedelta(days=days - 1), time(), UTC)
    return since, datetime.combine(today + timedelta(days=1), time(), UTC)


def preview(
    session: Session,
    query: str | CompiledSearch,
    *,
    now: datetime,
    days: int = DEFAULT_DAYS,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    terms_from: int = DEFAULT_TERMS_FROM,
    sample_size: int = SAMPLE_SIZE,
    top_terms: int = TOP_TERMS,
) -> Preview:
    """Run ``query`` on the last ``days`` days; raises QueryError when it has a problem.

    Co-occurring words are counted in the newest ``terms_from`` matches. When the prefilter is
    exact, the count and the volume come from SQL, so candidates are read only until those
    matches and the sample are found."""
    compiled = query if isinstance(query, CompiledSearch) else compile_search(session, query)
    days = max(1, min(days, MAX_DAYS))
    since, until = period(now, days)
    filters = SearchFilters(since=since, until=until)
    total = int(
        session.execute(
            select(func.count()).select_from(Mention).where(*filters.clauses())
        ).scalar_one()
    )
    keep = term_filter(compiled.node)
    by_day: Counter[date] = Counter()
    terms: Counter[str] = Counter()
    sample: list[MentionRow] = []
    count = words_in = 0
    exact = compiled.prefilter.exact
    read_all = True
    scan = candidate_scan(session, compiled, filters, max_candidates)
    for row, view, matched in scan:
        if not matched:
            continue
        count += 1
        by_day[row.created_at.astimezone(UTC).date()] += 1
        if len(sample) < sample_size:
            sample.append(row)
        if words_in < terms_from:
            terms.update(word for word in set(view.words) if keep(word))
            words_in += 1
        elif exact and len(sample) >= sample_size:
            read_all = False  # SQL counts the rest
            break
    first_counted = since.date()
    at_least = False
    if scan.stopped or not read_all:
        if exact:
            count, at_least = count_matches(
                session, compiled, filters, max_candidates=max_candidates
            )
            by_day = _volume_in_sql(session, compiled, filters, max_candidates)
        else:
            at_least = True
            assert scan.position is not None
            first_counted = scan.position[0].astimezone(UTC).date() + timedelta(days=1)
    volume = [
        DayVolume(day, by_day.get(day, 0), counted=day >= first_counted)
        for day in (since.date() + timedelta(days=offset) for offset in range(days))
    ]
    ranked = sorted(terms.items(), key=lambda item: (-item[1], item[0]))[:top_terms]
    return Preview(
        query=compiled.query,
        days=days,
        since=since,
        until=until,
        count=count,
        count_at_least=at_least,
        total=total,
        sample=sample,
        volume=volume,
        terms=[TermCount(term, n) for term, n in ranked],
        terms_from=words_in,
        scanned=scan.scanned,
        stopped=scan.stopped,
        exact=compiled.prefilter.exact,
    )


def _day(session: Session) -> ColumnElement[str]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Mention.created_at), "YYYY-MM-DD")
    # SQLite stores the UTC time as text: "2026-11-28 09:00:00.000000".
    return func.substr(Mention.created_at, 1, 10, type_=String())


def _volume_in_sql(
    session: Session, compiled: CompiledSearch, filters: SearchFilters, max_candidates: int
) -> Counter[date]:
    """Matches per day when the prefilter is exact (the unsure mentions are checked apart)."""
    prefilter = compiled.prefilter
    assert prefilter.condition is not None
    where = [*filters.clauses(), prefilter.condition]
    if prefilter.unsure is not None:
        where.append(not_(prefilter.unsure))
    day = _day(session).label("day")
    rows = session.execute(
        select(day, func.count()).select_from(Mention).where(*where).group_by(day)
    )
    by_day: Counter[date] = Counter({date.fromisoformat(d): int(n) for d, n in rows})
    if prefilter.unsure is not None:
        scan = Scan(session, compiled.node, [*filters.clauses(), prefilter.unsure], max_candidates)
        for row, _view, matched in scan:
            if matched:
                by_day[row.created_at.astimezone(UTC).date()] += 1
    return by_day


def term_filter(node: Node) -> Callable[[str], bool]:
    """Which words of a match count as co-occurring: not a word the query looks for, not a
    stopword or very common word (:mod:`.query.vocabulary`), not a number, at least
    MIN_TERM_CHARS characters (without a # or @ sign)."""
    words: list[Word] = []
    for phrase in phrases_of(node):
        for word in phrase.words:
            if phrase.scope is Scope.RAW:
                word = Word(fold(word.text), word.kind, word.prefix, word.optional)
            words.append(word)
    decided: dict[str, bool] = {}

    def keep(token: str) -> bool:
        known = decided.get(token)
        if known is not None:
            return known
        core = token[1:] if token[:1] in ("#", "@") and len(token) > 1 else token
        verdict = (
            len(core) >= MIN_TERM_CHARS
            and core not in STOPWORDS
            and core not in COMMON_WORDS
            and not core.isdigit()
            and not any(word_matches(word, token, first=True) for word in words)
        )
        decided[token] = verdict
        return verdict

    return keep
