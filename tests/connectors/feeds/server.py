"""A real HTTP server on 127.0.0.1 that serves feed documents like a feed host does.

Each route answers with a document, its ETag and Last-Modified date, and honours conditional GET
(``If-None-Match`` / ``If-Modified-Since`` give ``304 Not Modified``) unless told to ignore it.
Routes can also answer with an error status and headers, redirect, drip bytes slowly or send an
endless body. Every request is recorded with its headers, so tests can check what sbu sent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.local_http import LocalHttpServer

FEEDS = Path(__file__).resolve().parent
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


def feed_bytes(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@contextmanager
def running_server() -> Iterator[FeedServer]:
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = RSS
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Answer 200 with the full document even when the validators match.
    ignore_validators: bool = False
    #: Send the body in chunks of this many bytes with a pause between them (slow servers).
    drip: tuple[int, float] | None = None
    #: Send this many bytes of filler without a Content-Length (a server that never stops).
    endless: int | None = None


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]


class FeedServer(LocalHttpServer):
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        super().__init__()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def serve(self, path: str, route: Route) -> str:
        with self._lock:
            self.routes[path] = route
        return self.url(path)

    def serve_file(
        self,
        path: str,
        name: str,
        *,
        etag: str | None = None,
        last_modified: str | None = "Fri, 27 Nov 2026 18:05:00 GMT",
        content_type: str | None = None,
        ignore_validators: bool = False,
    ) -> str:
        """Serve a fixture document of this folder (ETag defaults to one made of its name)."""
        return self.serve(
            path,
            Route(
                body=feed_bytes(name),
                etag=etag or f'"{name}-v1"',
                last_modified=last_modified,
                content_type=content_type or (ATOM if name.endswith(".atom") else RSS),
                ignore_validators=ignore_validators,
            ),
        )

    def requests_to(self, path: str) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(
                        SeenRequest(self.path, {k.lower(): v for k, v in self.headers.items()})
                    )
                    route = server.routes.get(self.path)
                if route is None:
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                headers = {"Content-Type": route.content_type, **route.headers}
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if route.status == 200 and not route.ignore_validators and self._unchanged(route):
                    self._send(304, b"", {k: v for k, v in headers.items() if k != "Content-Type"})
                    return
                if route.endless is not None:
                    self._send_endless(route.endless, headers)
                    return
                self._send(route.status, route.body, headers, route.drip)

            def _unchanged(self, route: Route) -> bool:
                tag = self.headers.get("If-None-Match")
                if tag is not None and route.etag is not None:
                    return tag == route.etag
                since = self.headers.get("If-Modified-Since")
                return since is not None and since == route.last_modified

            def _send(
                self,
                status: int,
                body: bytes,
                headers: dict[str, str],
                drip: tuple[int, float] | None = None,
            ) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status == 304 or not body:
                    return
                try:
                    for chunk in _chunks(body, drip):
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return

            def _send_endless(self, size: int, headers: dict[str, str]) -> None:
                self.send_response(200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                block = b"<!-- " + b"x" * 65_000 + b" -->\n"
                sent = 0
                try:
                    while sent < size:
                        self.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                        sent += len(block)
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    return

        return Handler


def _chunks(body: bytes, drip: tuple[int, float] | None) -> Iterator[bytes]:
    if drip is None:
        yield body
        return
    size, pause = drip
    for start in range(0, len(body), size):
        yield body[start : start + size]
        time.sleep(pause)
