"""Bluesky payloads for the connector tests, in the platform's real shapes with invented texts,
and a local Jetstream: a real WebSocket server on 127.0.0.1 that replays events.

Post views are what ``app.bsky.feed.searchPosts`` and ``getPosts`` answer; Jetstream events
are commit, identity and account events as Jetstream sends them; tokens are JWTs with an
``exp`` claim (and a signature nobody checks).
"""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import orjson
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

T0 = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
#: time_us of the first Jetstream event of the tests.
US0 = int(T0.timestamp() * 1_000_000)
AUTHOR = "did:plc:q7ynvzc3xk5wb2hjdm4tlr6e"
ACCOUNT = "did:plc:ondn4v2kq7xw3mzt5hb6yca2"

TEXTS = (
    "Plus de fibre à Quimper depuis ce matin, la box Ondine clignote rouge",
    "Le support Ondine m'a rappelé en dix minutes, franchement rien à redire",
    "Facture Ondine de novembre : 6 € de plus sans explication",
    "Quelqu'un sait si la 5G Ondine arrive à Douarnenez cette année ?",
    "Installation de la box faite, débit nickel, merci au technicien",
    "Coupure réseau Ondine ce soir encore, c'est la deuxième cette semaine",
)


def stamp(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def rkey(n: int) -> str:
    """A record key of the TID form for post ``n``."""
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    value = (US0 + n) << 10
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def post_uri(n: int, did: str = AUTHOR) -> str:
    return f"at://{did}/app.bsky.feed.post/{rkey(n)}"


def post_view(
    n: int,
    text: str | None = None,
    *,
    at: datetime | None = None,
    reply_to: tuple[str, str] | None = None,
    langs: list[str] | None = None,
) -> dict[str, Any]:
    """Post ``n`` as a ``postView``; ``at`` is its time (T0 + n minutes by default);
    ``reply_to`` is the (root, parent) uris it answers."""
    when = at or T0 + timedelta(minutes=n)
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "createdAt": stamp(when),
        "langs": langs if langs is not None else ["fr"],
        "text": text if text is not None else TEXTS[n % len(TEXTS)],
    }
    if reply_to is not None:
        root, parent = reply_to
        record["reply"] = {
            "root": {"uri": root, "cid": cid_of(root)},
            "parent": {"uri": parent, "cid": cid_of(parent)},
        }
    return {
        "uri": post_uri(n),
        "cid": cid_of(post_uri(n)),
        "author": {
            "did": AUTHOR,
            "handle": "gwenn-kerbrat.bsky.social",
            "displayName": "Gwenn",
            "labels": [],
            "createdAt": "2024-03-02T09:00:00.000Z",
        },
        "record": record,
        "replyCount": 0,
        "repostCount": n % 3,
        "likeCount": n % 5,
        "quoteCount": 0,
        "indexedAt": stamp(when + timedelta(milliseconds=400)),
        "labels": [],
    }


def cid_of(uri: str) -> str:
    digest = base64.b32encode(uri.encode()).decode().lower().rstrip("=")
    return f"bafyrei{digest[-52:]}"


def newest_first(numbers: list[int]) -> list[dict[str, Any]]:
    return [post_view(n) for n in sorted(numbers, reverse=True)]


def jwt(exp: datetime, scope: str = "com.atproto.appPass", tag: str = "a") -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")

    claims = {"scope": scope, "sub": ACCOUNT, "exp": int(exp.timestamp()), "jti": tag}
    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2lnbmF0dXJl"


def session_answer(access: str, refresh: str) -> dict[str, Any]:
    return {
        "did": ACCOUNT,
        "handle": "ondine.bsky.social",
        "email": "veille@ondine.example",
        "emailConfirmed": True,
        "active": True,
        "accessJwt": access,
        "refreshJwt": refresh,
    }


# -- Jetstream events ---------------------------------------------------------------------------


def created(n: int, text: str | None = None, *, did: str = AUTHOR, **record: Any) -> dict[str, Any]:
    """The Jetstream event of the creation of post ``n``, at ``US0 + n`` seconds."""
    return {
        "did": did,
        "time_us": US0 + n * 1_000_000,
        "kind": "commit",
        "commit": {
            "rev": rkey(n + 1000),
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": rkey(n),
            "record": {
                "$type": "app.bsky.feed.post",
                "createdAt": stamp(T0 + timedelta(seconds=n)),
                "langs": ["fr"],
                "text": text if text is not None else TEXTS[n % len(TEXTS)],
                **record,
            },
            "cid": cid_of(post_uri(n, did)),
        },
    }


def liked(n: int, subject: int) -> dict[str, Any]:
    return {
        "did": ACCOUNT,
        "time_us": US0 + n * 1_000_000,
        "kind": "commit",
        "commit": {
            "rev": rkey(n + 2000),
            "operation": "create",
            "collection": "app.bsky.feed.like",
            "rkey": rkey(n + 3000),
            "record": {
                "$type": "app.bsky.feed.like",
                "createdAt": stamp(T0 + timedelta(seconds=n)),
                "subject": {"uri": post_uri(subject), "cid": cid_of(post_uri(subject))},
            },
            "cid": cid_of(f"like {n}"),
        },
    }


def deleted(n: int, post: int) -> dict[str, Any]:
    return {
        "did": AUTHOR,
        "time_us": US0 + n * 1_000_000,
        "kind": "commit",
        "commit": {
            "rev": rkey(n + 4000),
            "operation": "delete",
            "collection": "app.bsky.feed.post",
            "rkey": rkey(post),
        },
    }


def identity(n: int) -> dict[str, Any]:
    return {
        "did": AUTHOR,
        "time_us": US0 + n * 1_000_000,
        "kind": "identity",
        "identity": {
            "did": AUTHOR,
            "handle": "gwenn.ondine-fans.example",
            "seq": 9_000_000 + n,
            "time": stamp(T0 + timedelta(seconds=n)),
        },
    }


def account(n: int) -> dict[str, Any]:
    return {
        "did": AUTHOR,
        "time_us": US0 + n * 1_000_000,
        "kind": "account",
        "account": {
            "active": True,
            "did": AUTHOR,
            "seq": 9_100_000 + n,
            "time": stamp(T0 + timedelta(seconds=n)),
        },
    }


# -- a local Jetstream ---------------------------------------------------------------------------


@dataclass
class Plan:
    """What one connection gets: ``send`` events at most (all when None), then ``end``:
    ``drop`` (the TCP connection is cut, no closing handshake), ``close`` (a clean close) or
    ``hold`` (kept open until the client leaves)."""

    send: int | None = None
    end: Literal["drop", "close", "hold"] = "close"


@dataclass
class Jetstream:
    """Replays ``log`` like Jetstream: from the ``cursor`` of the request (events whose
    ``time_us`` is at or after it), else from the start. Frames given as text are sent as they
    are, wherever they stand. ``refuse`` answers the handshake with that HTTP status."""

    log: list[dict[str, Any] | str] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=lambda: [Plan()])
    refuse: int | None = None
    requests: list[str] = field(default_factory=list)
    server: Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/subscribe"

    def query(self, index: int) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.requests[index]).query)

    def cursor(self, index: int) -> int | None:
        values = self.query(index).get("cursor")
        return int(values[0]) if values else None

    def _handle(self, connection: ServerConnection) -> None:
        assert connection.request is not None
        index = len(self.requests)
        self.requests.append(connection.request.path)
        plan = self.plans[min(index, len(self.plans) - 1)]
        cursor = self.cursor(index)
        frames = [
            e if isinstance(e, str) else orjson.dumps(e).decode()
            for e in self.log
            if isinstance(e, str) or cursor is None or e["time_us"] >= cursor
        ]
        try:
            for frame in frames[: plan.send]:
                connection.send(frame)
            if plan.end == "drop":
                connection.socket.shutdown(socket.SHUT_RDWR)
                connection.socket.close()
            elif plan.end == "close":
                connection.close()
            else:
                while True:
                    connection.recv(timeout=10)
        except (ConnectionClosed, OSError, TimeoutError):
            return

    def _process(self, connection: ServerConnection, request: Any) -> Any:
        if self.refuse is None:
            return None
        self.requests.append(request.path)
        return connection.respond(self.refuse, "Not here\n")


@contextmanager
def running_jetstream(**options: Any) -> Iterator[Jetstream]:
    jetstream = Jetstream(**options)
    server = serve(jetstream._handle, "127.0.0.1", 0, process_request=jetstream._process)
    jetstream.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield jetstream
    finally:
        server.shutdown()
        thread.join(5)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
