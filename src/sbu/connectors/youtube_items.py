"""What one YouTube fetch collects: items for the ``youtube`` mapper, rejects and notes, and the
small helpers that read ids and dates from YouTube resources and the cursor.

Each resource is checked with :class:`~sbu.connectors.youtube.YouTubeMapper` before it is handed
over, so a resource the mapper refuses goes to ``rejected`` (and then to the dead letters) with
the mapper's reason, and the rest of the page goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sbu.connectors import mapped_items
from sbu.connectors.youtube import YouTubeMapper
from sbu.core.errors import BadPayload
from sbu.listening.drafts import RawItem, Rejected

MAPPER_KEY = "youtube"
#: Characters of a rejected resource kept for the dead letters.
MAX_PAYLOAD_CHARS = 20_000


@dataclass(slots=True)
class Collected:
    items: list[RawItem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mapper: YouTubeMapper = field(default_factory=YouTubeMapper)

    def add(self, resource: Any, locator: str) -> bool:
        """Hand ``resource`` over if the mapper accepts it, else reject it; True if handed."""
        try:
            if not isinstance(resource, dict):
                msg = (
                    f"YouTube sent a JSON {type(resource).__name__} where a resource was expected."
                )
                raise BadPayload(msg)
            self.mapper.to_mention(resource)
        except BadPayload as exc:
            self.reject(resource, locator, str(exc))
            return False
        self.items.append(RawItem(MAPPER_KEY, resource, locator))
        return True

    def reject(self, resource: Any, locator: str, reason: str) -> None:
        self.rejected.append(Rejected(locator, reason, payload_text(resource)))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def payload_text(resource: Any) -> str:
    """``resource`` as JSON text, at most ``MAX_PAYLOAD_CHARS`` characters of it."""
    return mapped_items.payload_text(resource)[:MAX_PAYLOAD_CHARS]


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def texts(value: Any) -> list[str]:
    """The strings of a list saved in the cursor (anything else is dropped)."""
    return [v for v in value if isinstance(v, str) and v] if isinstance(value, list) else []


def remember(newest_first: Iterable[str], seen: list[str], most: int) -> list[str]:
    """Ids handed over now, then the ones remembered before, without repeats, at most ``most``."""
    return list(dict.fromkeys([*newest_first, *seen]))[:most]


def items_of(body: Mapping[str, Any]) -> list[Any]:
    items = body.get("items")
    return items if isinstance(items, list) else []


def at(resource: Any, *path: str) -> Any:
    """``resource[path[0]][path[1]]...``, or None when a step is missing or not an object."""
    value = resource
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def parse_when(value: Any) -> datetime | None:
    """A YouTube date (``2026-11-28T08:15:00Z``), or None when it is not one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(UTC) if when.tzinfo is not None else None


def rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
