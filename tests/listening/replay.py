"""A real HTTP server that replays recorded platform responses.

Connector tests point the real client (``listening.connectors.http.Http``) at this server, so
requests, headers, status handling and parsing run exactly as against the platform. A route
matches on method, path and the query parameters it names (``query``: values that must be equal;
``absent``: names that must not be present); the most specific match wins. Every request is
recorded in ``server.requests`` for assertions (e.g. conditional GET headers).

Route: ``{"path": "/api/v1/timelines/tag/helsinki", "query": {"max_id": "1"}, "absent": [],
"status": 200, "headers": {...}, "body": <bytes | str | JSON-able>, "file": "name.json",
"when": {"if-none-match": "\\"abc\\""}, "gate": threading.Event()}`` (``when``: request headers
that must be equal; ``gate``: the response waits until the event is set — to stop a collection
in the middle of a run).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class ReplayServer:
    routes: list[dict[str, Any]]
    fixtures: Path | None = None
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""

    def add(self, **route: Any) -> None:
        self.routes.append(route)

    def _match(self, method: str, path: str, query: dict[str, str], headers: dict[str, str]):
        best, best_score = None, -1
        for route in self.routes:
            if route.get("method", "GET") != method or route["path"] != path:
                continue
            wanted = route.get("query", {})
            if any(query.get(k) != str(v) for k, v in wanted.items()):
                continue
            if any(k in query for k in route.get("absent", [])):
                continue
            when = {k.lower(): v for k, v in route.get("when", {}).items()}
            if any(headers.get(k) != v for k, v in when.items()):
                continue
            score = len(wanted) + len(when) + len(route.get("absent", []))
            if score > best_score:
                best, best_score = route, score
        return best

    def body_of(self, route: dict[str, Any]) -> bytes:
        if "file" in route:
            assert self.fixtures is not None, "a route with 'file' needs fixtures="
            return (self.fixtures / route["file"]).read_bytes()
        body = route.get("body", b"")
        if isinstance(body, bytes):
            return body
        if isinstance(body, str):
            return body.encode()
        return json.dumps(body).encode()


def _handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._reply("GET")

        def do_POST(self) -> None:
            self._reply("POST")

        def _reply(self, method: str) -> None:
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            headers = {k.lower(): v for k, v in self.headers.items()}
            length = int(headers.get("content-length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            server.requests.append(Recorded(method, parts.path, query, headers, body))
            route = server._match(method, parts.path, query, headers)
            if route is not None and "gate" in route:
                route["gate"].wait(timeout=60)  # a test holds this response back
            if route is None:
                body = json.dumps({"error": "Record not found"}).encode()
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            body = server.body_of(route)
            self.send_response(route.get("status", 200))
            headers_out = {"Content-Type": "application/json; charset=utf-8"}
            headers_out.update(route.get("headers", {}))
            for key, value in headers_out.items():
                self.send_header(key, value.replace("{base}", server.url))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def replay(routes: list[dict[str, Any]], fixtures: Path | None = None) -> Iterator[ReplayServer]:
    """Serve ``routes`` on 127.0.0.1 on a free port for the duration of the block.

    ``{base}`` in fixture bodies is *not* rewritten (bodies are served as recorded); in
    response headers (e.g. a Link header) it becomes the server's own address.
    """
    server = ReplayServer(list(routes), fixtures)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
