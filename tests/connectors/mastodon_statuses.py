"""Mastodon statuses for the connector tests, in the API's real shape with invented texts.

Ids are snowflakes, as Mastodon makes them: the milliseconds of the status's time shifted left
by 16 bits, plus a sequence number.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

INSTANCE = "https://piaille.example"
T0 = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)

TEXTS = (
    "Encore une coupure de la fibre à Brest ce matin, @telecomouest c'est la troisième ce mois-ci",
    "Le conseiller de la boutique Télécom Ouest de Lorient a été top, box changée en dix minutes",
    "Quelqu'un a reçu la nouvelle facture Télécom Ouest ? +4 € sans prévenir #arnaque",
    "Débit à 3 Mb/s en plein centre de Vannes, on est en 2026 quand même",
    "Merci @telecomouest pour le geste commercial après la panne, ça fait plaisir",
    "La 5G de Télécom Ouest arrive enfin à Quimperlé, premier test à 480 Mb/s",
    "Service client injoignable depuis deux jours, 45 minutes d'attente puis raccroché",
)


def snowflake(at: datetime, sequence: int = 0) -> str:
    return str((int(at.timestamp() * 1000) << 16) + sequence)


def status(
    status_id: str,
    text: str | None = None,
    *,
    at: datetime | None = None,
    user: str = "gwenola",
    host: str = "piaille.example",
) -> dict[str, Any]:
    """A public status of ``user@host`` as ``https://piaille.example`` serves it."""
    when = at or T0
    body = text if text is not None else TEXTS[int(status_id) % len(TEXTS)]
    local = host == "piaille.example"
    return {
        "id": status_id,
        "created_at": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "fr",
        "uri": f"https://{host}/users/{user}/statuses/{status_id}",
        "url": f"https://{host}/@{user}/{status_id}",
        "replies_count": 0,
        "reblogs_count": 1,
        "favourites_count": 2,
        "quotes_count": 0,
        "edited_at": None,
        "favourited": False,
        "reblogged": False,
        "muted": False,
        "bookmarked": False,
        "content": f"<p>{body}</p>",
        "filtered": [],
        "reblog": None,
        "application": {"name": "Web", "website": None},
        "account": {
            "id": "109384512230967401",
            "username": user,
            "acct": user if local else f"{user}@{host}",
            "display_name": user.capitalize(),
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": "2022-11-19T00:00:00.000Z",
            "note": "",
            "url": f"https://{host}/@{user}",
            "uri": f"https://{host}/users/{user}",
            "followers_count": 412,
            "following_count": 380,
            "statuses_count": 2318,
            "emojis": [],
            "fields": [],
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }


def statuses(count: int, *, start: int = 1, step: timedelta = timedelta(seconds=10)) -> list[str]:
    """``count`` snowflake ids ``step`` apart, oldest first, the first at T0 + start * step."""
    return [snowflake(T0 + step * n, n) for n in range(start, start + count)]


def newest_first(ids: list[str]) -> list[dict[str, Any]]:
    """A timeline page as Mastodon sends it: newest status first."""
    return [status(i) for i in sorted(ids, key=int, reverse=True)]


def link(path: str, *, newer: str, older: str) -> str:
    """The Link header Mastodon sends with a page (absolute URLs on the instance)."""
    return (
        f'<{INSTANCE}{path}?limit=2&max_id={older}>; rel="next", '
        f'<{INSTANCE}{path}?limit=2&min_id={newer}>; rel="prev"'
    )
