"""Payloads checked with their mapper before a connector hands them over.

A payload the mapper accepts becomes a :class:`~sbu.listening.drafts.RawItem`; one it refuses
becomes a :class:`~sbu.listening.drafts.Rejected` item with the mapper's sentence and the
payload as JSON text, and so does one the mapper fails on (a mapper bug must not stop the page
or the stream): the other payloads go on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from sbu.connectors.base import PayloadMapper
from sbu.core.errors import BadPayload
from sbu.listening.drafts import RawItem, Rejected


@dataclass(slots=True)
class ItemBatch:
    """The new payloads of a page: items the mapper accepts, oldest first, and rejected ones."""

    items: list[RawItem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    #: Ids of every new payload, accepted or rejected (a cursor remembers both, so a rejected
    #: payload is not rejected again at the next poll).
    ids: list[str] = field(default_factory=list)


def payload_text(payload: Any) -> str:
    """``payload`` as JSON text, for a rejected item (its repr when it is not JSON)."""
    try:
        return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return repr(payload)


def payload_id(payload: Any) -> str | None:
    """The ``id`` of a payload (a string or a number), or None when it has none usable."""
    if not isinstance(payload, Mapping):
        return None
    value = payload.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    return text or None


def check_payload(
    mapper: PayloadMapper,
    payload: Any,
    locator: str,
    *,
    platform: str,
    thing: str,
    quote: Callable[[], str] | None = None,
) -> RawItem | Rejected:
    """``payload`` as an item of ``mapper``, or rejected with the reason; ``platform`` and
    ``thing`` name the mapper and the payload when the mapper fails ("The X mapper failed on
    this post"), ``quote`` gives the text kept with a rejected payload (by default the payload
    as JSON)."""
    try:
        mapper.to_mention(payload)
    except BadPayload as exc:
        reason = str(exc)
    except Exception as exc:  # a mapper bug must not stop the page
        reason = f"The {platform} mapper failed on this {thing} ({type(exc).__name__}: {exc})."
    else:
        return RawItem(mapper.key, payload, locator)
    return Rejected(locator, reason, quote() if quote is not None else payload_text(payload))
