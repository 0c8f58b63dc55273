"""Reading the values of HTML forms: whole numbers, optional ids, business hours, holidays.

Form fields arrive as text. These functions turn them into what the services take, or raise
:class:`FormError` with a sentence in the page's language; the services then check the rules
(a known time zone, hours start before they end...) and raise their own errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from starlette.responses import Response

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_INTERVAL = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–—]\s*(\d{1,2}:\d{2})\s*$")
_SEPARATORS = re.compile(r"[\s,;]+")


class Gettext(Protocol):
    def gettext(self, message: str) -> str: ...


class FormError(Exception):
    """A form field cannot be read; the message is a sentence in the page's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def whole_number(ui: Gettext, value: str, label: str) -> int:
    """``value`` as a whole number of at least 0 (an empty field is 0)."""
    text = value.strip()
    if not text:
        return 0
    if not text.isdigit() or len(text) > 9:
        message = ui.gettext("%(field)s must be a whole number of at least 0, such as 12.")
        raise FormError(message % {"field": label})
    return int(text)


def optional_id(value: str | None) -> int | None:
    """The id chosen in a select, or None for the empty choice (or anything that is no id)."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def _padded(moment: str) -> str:
    hours, minutes = moment.split(":")
    return f"{int(hours):02d}:{minutes}"


def parse_hours(ui: Gettext, value: str, day_label: str) -> list[list[str]]:
    """``09:00-12:00, 14:00-18:00`` -> [["09:00", "12:00"], ["14:00", "18:00"]]; empty: closed."""
    intervals = []
    for part in value.split(","):
        if not part.strip():
            continue
        match = _INTERVAL.match(part)
        if match is None:
            message = ui.gettext(
                "The hours of %(day)s cannot be read: write them as 09:00-12:00, 14:00-18:00, "
                "or leave the field empty when the department is closed that day."
            )
            raise FormError(message % {"day": day_label})
        intervals.append([_padded(match.group(1)), _padded(match.group(2))])
    return intervals


def format_hours(intervals: list[list[str]] | None) -> str:
    return ", ".join(f"{start}-{end}" for start, end in intervals or [])


def parse_holidays(value: str) -> list[str]:
    """Dates separated by spaces, commas or new lines (each checked by the service)."""
    return [part for part in _SEPARATORS.split(value) if part]


def format_holidays(holidays: list[str] | None) -> str:
    return "\n".join(holidays or [])


def checked(value: str | None) -> bool:
    """A checkbox: present in the form (any value) means ticked."""
    return value is not None and value != ""


def no_store(response: Response) -> Response:
    """Mark a page that shows a secret once (a one-time password, a token) as not cacheable."""
    response.headers["Cache-Control"] = "no-store"
    return response


def query_value(params: Mapping[str, str], name: str, limit: int = 200) -> str:
    """A query parameter as text, stripped and cut to ``limit`` characters ("" when absent)."""
    return (params.get(name) or "").strip()[:limit]
