"""Statuses read from Mastodon (a timeline page, a search, stream events) as raw items.

Each status is checked with the ``mastodon`` payload mapper before it is handed over: a status
the mapper refuses (no ``created_at``, no account...) becomes a
:class:`~sbu.listening.drafts.Rejected` item with the mapper's sentence, and the others go on.
A status without an ``id`` is refused here, since the cursor cannot place it. Statuses whose id
the cursor has already seen are left out; the others come oldest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from sbu.connectors.mastodon import MastodonStatusMapper
from sbu.connectors.mastodon_paging import id_key
from sbu.core.errors import BadPayload
from sbu.listening.drafts import RawItem, Rejected

MAPPER_KEY = MastodonStatusMapper.key
_MAPPER = MastodonStatusMapper()


@dataclass(slots=True)
class StatusBatch:
    #: New statuses the mapper accepts, oldest first.
    items: list[RawItem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    #: Ids of every new status, accepted or rejected (the cursor remembers both, so a rejected
    #: status is not rejected again at the next poll).
    ids: list[str] = field(default_factory=list)


def status_id(payload: Any) -> str | None:
    """The ``id`` of a status payload, or None when it has none usable."""
    if not isinstance(payload, dict):
        return None
    value = payload.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    return text or None


def newest_id(payloads: Iterable[Any]) -> str | None:
    ids = [i for i in (status_id(p) for p in payloads) if i is not None]
    return max(ids, key=id_key) if ids else None


def read_statuses(payloads: Iterable[Any], known: set[str], where: str) -> StatusBatch:
    """Sort ``payloads`` into new items and rejected ones; ``known`` (ids already handed over)
    is updated with the new ids. ``where`` names the timeline in locators."""
    batch = StatusBatch()
    accepted: list[tuple[str, RawItem]] = []
    for position, payload in enumerate(payloads, start=1):
        identity = status_id(payload)
        if identity is None:
            batch.rejected.append(
                Rejected(f"item {position} read from {where}", _no_id(payload), _text(payload))
            )
            continue
        if identity in known:
            continue
        known.add(identity)
        batch.ids.append(identity)
        locator = f"status {identity} of {where}"
        try:
            _MAPPER.to_mention(payload)
        except BadPayload as exc:
            batch.rejected.append(Rejected(locator, str(exc), _text(payload)))
            continue
        except Exception as exc:  # a mapper bug must not stop the page
            reason = f"The Mastodon mapper failed on this status ({type(exc).__name__}: {exc})."
            batch.rejected.append(Rejected(locator, reason, _text(payload)))
            continue
        accepted.append((identity, RawItem(MAPPER_KEY, payload, locator)))
    accepted.sort(key=lambda pair: id_key(pair[0]))
    batch.items = [item for _, item in accepted]
    return batch


def _no_id(payload: Any) -> str:
    if not isinstance(payload, dict):
        return (
            f"This is not a Mastodon status (a JSON object was expected, not "
            f"{type(payload).__name__}): the server does not speak the Mastodon API as expected."
        )
    return (
        "This Mastodon status has no 'id', so sbu cannot tell where it stands in the timeline: "
        "it was skipped; if every status lacks it, the server does not speak the Mastodon API."
    )


def _text(payload: Any) -> str:
    try:
        return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return repr(payload)
