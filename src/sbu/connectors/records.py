"""The sbu record: the documented format of ``sbu import`` (JSON lines and CSV).

See docs/listening/import-format.md. One record is one post::

    {"id": "42", "text": "Encore une panne...", "created_at": "2026-11-02T08:15:00Z",
     "platform": "mastodon", "author": {"id": "a1", "handle": "@jeanne"}, "lang": "fr"}

Unknown fields are kept in the raw payload untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

import orjson

from sbu.connectors.fields import language, metrics, obj, opt_int, opt_str, parse_time
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft

METRIC_FIELDS = {
    "likes": "likes",
    "reposts": "reposts",
    "replies": "replies",
    "quotes": "quotes",
    "views": "views",
    "score": "score",
}
#: Every top-level field the format defines (others are kept in raw only).
KNOWN_FIELDS = frozenset(
    {
        "id",
        "external_id",
        "text",
        "created_at",
        "platform",
        "url",
        "title",
        "lang",
        "language",
        "author",
        "author_id",
        "author_handle",
        "author_name",
        "author_url",
        "author_followers",
        "metrics",
        "parent_id",
        "thread_id",
        "repost_of",
        "annotations",
        *METRIC_FIELDS.values(),
    }
)


class RecordMapper:
    """Maps an sbu record. ``default_platform`` applies to records without ``platform``;
    ``assume_timezone`` to dates without a zone (otherwise those are rejected)."""

    key = "sbu"

    def __init__(self, default_platform: str = "import", assume_timezone: tzinfo | None = None):
        self.default_platform = default_platform
        self.assume_timezone = assume_timezone

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        given: object = payload  # callers pass whatever a file held
        if not isinstance(given, Mapping):
            msg = f"A record must be a JSON object, not {type(given).__name__}."
            raise BadPayload(msg)
        external_id = opt_str(payload, "id") or opt_str(payload, "external_id")
        if external_id is None:
            msg = "The record has no 'id': give every record the post's id on its platform."
            raise BadPayload(msg)
        text = payload.get("text")
        if text is None:
            text = ""
        elif not isinstance(text, str):
            msg = f"The field 'text' must be a string, not {type(text).__name__}."
            raise BadPayload(msg)
        created_at = parse_time(
            payload.get("created_at"), "created_at", assume=self.assume_timezone
        )
        counters = metrics(payload, METRIC_FIELDS)
        nested = obj(payload, "metrics")
        if nested:
            counters.update(metrics(nested, {str(k): str(k) for k in nested}))
        return MentionDraft(
            platform=(opt_str(payload, "platform") or self.default_platform).lower(),
            external_id=external_id,
            text=text,
            created_at=created_at,
            raw=dict(payload),
            url=opt_str(payload, "url"),
            title=opt_str(payload, "title"),
            language=language(opt_str(payload, "lang") or opt_str(payload, "language")),
            author=_author(payload),
            metrics=counters,
            parent_external_id=opt_str(payload, "parent_id"),
            thread_external_id=opt_str(payload, "thread_id"),
            repost_of_external_id=opt_str(payload, "repost_of"),
            annotations=_annotations(payload.get("annotations")),
        )


def _author(payload: Mapping[str, Any]) -> AuthorDraft | None:
    nested = obj(payload, "author")
    if nested:
        external = opt_str(nested, "id") or opt_str(nested, "handle")
        if external is None:
            msg = "The 'author' object needs an 'id' or a 'handle'."
            raise BadPayload(msg)
        return AuthorDraft(
            external_id=external,
            handle=opt_str(nested, "handle"),
            display_name=opt_str(nested, "name"),
            url=opt_str(nested, "url"),
            followers=opt_int(nested, "followers"),
        )
    external = opt_str(payload, "author_id") or opt_str(payload, "author_handle")
    if external is None:
        return None
    return AuthorDraft(
        external_id=external,
        handle=opt_str(payload, "author_handle"),
        display_name=opt_str(payload, "author_name"),
        url=opt_str(payload, "author_url"),
        followers=opt_int(payload, "author_followers"),
    )


def _annotations(value: Any) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):  # CSV carries the object as JSON text
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            msg = "The field 'annotations' must hold a JSON object."
            raise BadPayload(msg) from exc
    if not isinstance(value, dict):
        msg = f"The field 'annotations' must be an object, not {type(value).__name__}."
        raise BadPayload(msg)
    return value
