"""The query parameters that ``/api/v1/mentions`` and ``/api/v1/search`` share: the stream
filters (platform, language, source, from, to, originals only) and the page cursor and size.

Each is an ``Annotated`` alias, so both endpoints document them with the same names,
descriptions and constraints.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

MAX_LIMIT = 500

PlatformParam = Annotated[
    str | None, Query(description="Only this platform, e.g. mastodon.", max_length=32)
]
LanguageParam = Annotated[
    str | None, Query(description="Only this language code, e.g. fr.", max_length=16)
]
SourceParam = Annotated[int | None, Query(description="Only this source (its id).", ge=1)]
DateFromParam = Annotated[
    str | None,
    Query(
        alias="from",
        description="From this day (2026-11-28, UTC) or time (2026-11-28T09:00:00Z), included.",
    ),
]
DateToParam = Annotated[
    str | None,
    Query(
        alias="to",
        description="Up to this day (included) or time (excluded), same forms as `from`.",
    ),
]
OriginalsOnlyParam = Annotated[bool, Query(description="Hide reposts, copies and near-duplicates.")]
BeforeParam = Annotated[str | None, Query(description="Older than this cursor (a page's `next`).")]
LimitParam = Annotated[
    int | None, Query(ge=1, le=MAX_LIMIT, description="Page size (default SBU_WEB__PAGE_SIZE).")
]
