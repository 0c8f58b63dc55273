"""Reading the Stream's filters from a request, with sentences for values that cannot be used.

The page and the API accept the same filters. ``from`` and ``to`` take a day (``2026-11-28``,
a whole UTC day, ``to`` included) or an ISO 8601 time with a time zone
(``2026-11-28T09:00:00Z``, ``to`` excluded). Messages are English msgids passed through the
``gettext`` the caller gives (the API keeps English; pages translate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sbu.listening.queries import MAX_SEARCH_CHARS, StreamFilters, decode_cursor

Gettext = Callable[[str], str]
TRUE_WORDS = frozenset({"1", "true", "on", "yes"})
FALSE_WORDS = frozenset({"", "0", "false", "off", "no"})


def _identity(message: str) -> str:
    return message


class FilterError(ValueError):
    """A filter value cannot be used; the message says what to send instead."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class RawFilters:
    """Filter values as received (strings, empty meaning "no filter")."""

    source: str | None = None
    platform: str | None = None
    language: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None
    originals: str | None = None
    topic: str | None = None


def _blank(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def parse_moment(value: str, *, end: bool, field: str, _: Gettext = _identity) -> datetime:
    """A day or an ISO time with a zone, as UTC. ``end`` makes a day mean "up to its end"."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start + timedelta(days=1) if end else start
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        message = _(
            "The value '%(value)s' of '%(field)s' is not a date: send a day like 2026-11-28 "
            "or a time with its zone like 2026-11-28T09:00:00Z."
        ) % {"value": value[:40], "field": field}
        raise FilterError(message, field)
    return moment.astimezone(UTC)


def parse_flag(value: str | None, field: str, _: Gettext = _identity) -> bool:
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    message = _("The value of '%(field)s' must be 1 (yes) or 0 (no).") % {"field": field}
    raise FilterError(message, field)


def parse_source(value: str | None, _: Gettext = _identity) -> int | None:
    value = _blank(value)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:
        message = _("The source must be the number of a source, as listed on the Sources page.")
        raise FilterError(message, "source")
    return int(value)


def parse_topic(value: str | None, _: Gettext = _identity) -> int | None:
    value = _blank(value)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:
        message = _("The topic must be the number of a topic, as listed on the Topics page.")
        raise FilterError(message, "topic")
    return int(value)


def build_filters(raw: RawFilters, _: Gettext = _identity) -> StreamFilters:
    """Check every value of ``raw`` and build the query's filters; raise :class:`FilterError`."""
    since_text, until_text = _blank(raw.date_from), _blank(raw.date_to)
    since = parse_moment(since_text, end=False, field="from", _=_) if since_text else None
    until = parse_moment(until_text, end=True, field="to", _=_) if until_text else None
    if since is not None and until is not None and until <= since:
        message = _("The end of the date range must come after its start: swap the two dates.")
        raise FilterError(message, "to")
    q = _blank(raw.q)
    if q is not None and len(q) > MAX_SEARCH_CHARS:
        message = _("The search text is too long: use at most %(limit)s characters.") % {
            "limit": MAX_SEARCH_CHARS
        }
        raise FilterError(message, "q")
    platform, language = _blank(raw.platform), _blank(raw.language)
    return StreamFilters(
        source_id=parse_source(raw.source, _),
        platform=platform.lower() if platform else None,
        language=language,
        since=since,
        until=until,
        q=q,
        originals_only=parse_flag(raw.originals, "originals_only", _),
        topic_id=parse_topic(raw.topic, _),
    )


def check_cursor(value: str | None, field: str, _: Gettext = _identity) -> str | None:
    """``value`` when it is a cursor the stream understands (or empty), else a FilterError."""
    value = _blank(value)
    if value is None:
        return None
    if decode_cursor(value) is None:
        message = _(
            "The cursor '%(field)s' is not valid: use the value of a previous page, "
            "or leave it out to start from the newest mentions."
        ) % {"field": field}
        raise FilterError(message, field)
    return value
