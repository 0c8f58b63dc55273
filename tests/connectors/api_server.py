"""A real HTTP server on 127.0.0.1 that replays platform API answers, for connector tests.

Tests script each path with a queue of :class:`Reply` objects (status, JSON or raw body,
headers); each request to the path takes the next reply, and the last one repeats. A reply may
also drop the connection or answer after a delay. Every request is recorded (method, path, query,
headers, body) so tests can check what the client sent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from tests.local_http import LocalHttpServer


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Close the connection without answering.
    drop: bool = False
    #: Wait this long before answering (seconds).
    delay: float = 0.0

    def payload(self) -> bytes:
        if self.body is not None:
            return self.body
        return b"" if self.json is None else orjson.dumps(self.json)


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


class ApiServer(LocalHttpServer):
    def __init__(self) -> None:
        self.replies: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[SeenRequest] = []
        super().__init__()

    def reply(self, path: str, *replies: Reply, method: str = "GET") -> None:
        """Answer ``method path`` (without the query) with these replies, in turn."""
        with self._lock:
            self.replies[(method, path)] = list(replies)

    def requests_to(self, path: str, method: str = "GET") -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path and r.method == method]

    def _next(self, method: str, path: str) -> Reply | None:
        with self._lock:
            queue = self.replies.get((method, path))
            if not queue:
                return None
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def do_DELETE(self) -> None:
                self._answer("DELETE")

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                with server._lock:
                    server.requests.append(
                        SeenRequest(
                            method,
                            parts.path,
                            parse_qs(parts.query),
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                        )
                    )
                reply = server._next(method, parts.path)
                if reply is None:
                    reply = Reply(404, json={"error": "Record not found"})
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                payload = reply.payload()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    return

        return Handler


@contextmanager
def running_api() -> Iterator[ApiServer]:
    server = ApiServer().start()
    try:
        yield server
    finally:
        server.stop()
