"""Statuses read from Mastodon (a timeline page, a search, stream events) as raw items.

Each status is checked with the ``mastodon`` payload mapper before it is handed over: a status
the mapper refuses (no ``created_at``, no account...) becomes a
:class:`~sbu.listening.drafts.Rejected` item with the mapper's sentence, and the others go on.
A status without an ``id`` is refused here, since the cursor cannot place it. Statuses whose id
the cursor has already seen are left out; the others come oldest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sbu.connectors.mapped_items import ItemBatch, check_payload, payload_id, payload_text
from sbu.connectors.mastodon import MastodonStatusMapper
from sbu.connectors.mastodon_paging import id_key
from sbu.listening.drafts import RawItem, Rejected

_MAPPER = MastodonStatusMapper()


#: The ``id`` of a status payload, or None when it has none usable.
status_id = payload_id


def newest_id(payloads: Iterable[Any]) -> str | None:
    ids = [i for i in (status_id(p) for p in payloads) if i is not None]
    return max(ids, key=id_key) if ids else None


def read_statuses(payloads: Iterable[Any], known: set[str], where: str) -> ItemBatch:
    """Sort ``payloads`` into new items and rejected ones; ``known`` (ids already handed over)
    is updated with the new ids. ``where`` names the timeline in locators."""
    batch = ItemBatch()
    accepted: list[tuple[str, RawItem]] = []
    for position, payload in enumerate(payloads, start=1):
        identity = status_id(payload)
        if identity is None:
            batch.rejected.append(
                Rejected(
                    f"item {position} read from {where}", _no_id(payload), payload_text(payload)
                )
            )
            continue
        if identity in known:
            continue
        known.add(identity)
        batch.ids.append(identity)
        locator = f"status {identity} of {where}"
        checked = check_payload(_MAPPER, payload, locator, platform="Mastodon", thing="status")
        if isinstance(checked, Rejected):
            batch.rejected.append(checked)
        else:
            accepted.append((identity, checked))
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
