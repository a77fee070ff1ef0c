"""A misbehaving HTTP server for the transport-edge tests: a raw-socket proxy in front of
the sandbox that answers what a broken network answers.

`Edge(upstream)` listens on 127.0.0.1 and forwards every request to `upstream` (the
sandbox's base URL) unchanged, except the next `count` requests matching a rule added with
`add()`, which it answers by hand:

- "garbage": a status line that is not HTTP (http.client's BadStatusLine);
- "tls": the first bytes of a TLS handshake, as a server speaking https on an http port;
- "truncate": forwards the request (so a write lands), then sends the answer's headers and
  only half its body before closing (http.client's IncompleteRead);
- "answer": `status`, `content_type` and `body` as given: an HTML captive portal, `null`,
  `[]`, `{}`, JSON of the wrong shape, a 401 with an HTML page;
- "hang": reads the request and never answers (until the server stops);
- "close": reads the request and closes the connection without a word.

Every answer carries `Connection: close`, so each request is one connection and the rules
count requests. Standard library only; it never imports gworkflow.
"""

from __future__ import annotations

import fnmatch
import http.client
import socket
import socketserver
import threading
import urllib.parse
from dataclasses import dataclass, field
from types import TracebackType

BEHAVIOURS = ("garbage", "tls", "truncate", "answer", "hang", "close")
CAPTIVE_PORTAL = (
    "<!DOCTYPE html><html><head><title>Hotel Wi-Fi</title></head>"
    "<body><h1>Welcome!</h1><p>Accept the terms to continue.</p></body></html>"
)
# A TLS 1.2 ServerHello's first bytes: what an https server sends to a plain-http client.
TLS_BYTES = bytes.fromhex("160303003d020000390303") + bytes(32) + b"\x00\x00\x00"


@dataclass
class Rule:
    behaviour: str
    method: str = "*"
    path: str = "*"
    count: int = 1
    status: int = 200
    content_type: str = "application/json; charset=UTF-8"
    body: bytes = b""

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and fnmatch.fnmatchcase(path, self.path)


@dataclass
class Edge:
    """The proxy. Use as a context manager; `url` is its base URL."""

    upstream: str = ""
    rules: list[Rule] = field(default_factory=list)
    seen: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: socketserver.ThreadingTCPServer | None = None
        self.url = ""

    def add(
        self,
        behaviour: str,
        method: str = "*",
        path: str = "*",
        count: int = 1,
        status: int = 200,
        content_type: str = "application/json; charset=UTF-8",
        body: str | bytes = b"",
    ) -> None:
        """Answer the next `count` requests matching `method` and the glob `path` (on the
        path without its query) with `behaviour`."""
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"behaviour must be one of {BEHAVIOURS}")
        raw = body.encode() if isinstance(body, str) else body
        with self._lock:
            self.rules.append(Rule(behaviour, method, path, count, status, content_type, raw))

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.seen.clear()

    def _take(self, method: str, path: str) -> Rule | None:
        with self._lock:
            self.seen.append((method, path))
            for rule in self.rules:
                if rule.matches(method, path):
                    rule.count -= 1
                    if rule.count <= 0:
                        self.rules.remove(rule)
                    return rule
        return None

    def __enter__(self) -> Edge:
        edge = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                edge._serve(self.rfile, self.connection)

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- one connection -------------------------------------------------------------------

    def _serve(self, rfile: object, conn: socket.socket) -> None:
        read = rfile.readline  # type: ignore[attr-defined]
        request_line = read(65537).decode("latin-1").strip()
        if not request_line:
            return
        method, target, _version = [*request_line.split(" ", 2), "", ""][:3]
        headers: list[tuple[str, str]] = []
        while True:
            line = read(65537).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
        length = int(next((v for k, v in headers if k.lower() == "content-length"), "0") or 0)
        body = rfile.read(length) if length else b""  # type: ignore[attr-defined]
        path = urllib.parse.urlsplit(target).path
        rule = self._take(method, path)
        if rule is None:
            conn.sendall(self._forward(method, target, headers, body))
        elif rule.behaviour == "garbage":
            conn.sendall(b"this is not HTTP at all\r\n\r\n")
        elif rule.behaviour == "tls":
            conn.sendall(TLS_BYTES)
        elif rule.behaviour == "truncate":
            whole = self._forward(method, target, headers, body)
            head, _, payload = whole.partition(b"\r\n\r\n")
            conn.sendall(head + b"\r\n\r\n" + payload[: max(len(payload) // 2, 1) - 1])
        elif rule.behaviour == "answer":
            conn.sendall(_response(rule.status, rule.content_type, rule.body))
        elif rule.behaviour == "hang":
            self._stopping.wait(60)
        # "close", and every other case: the connection closes when we return.

    def _forward(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> bytes:
        if not self.upstream:
            return _response(502, "text/plain", b"no upstream")
        parts = urllib.parse.urlsplit(self.upstream)
        upstream = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        try:
            skip = {"host", "connection", "content-length", "accept-encoding"}
            upstream.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            upstream.putheader("Host", parts.netloc)
            for name, value in headers:
                if name.lower() not in skip:
                    upstream.putheader(name, value)
            upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body)
            answer = upstream.getresponse()
            payload = answer.read()
            content_type = answer.getheader("Content-Type") or "application/json"
            return _response(answer.status, content_type, payload, answer.reason)
        finally:
            upstream.close()


def _response(status: int, content_type: str, body: bytes, reason: str = "") -> bytes:
    phrase = reason or http.client.responses.get(status, "Unknown")
    head = (
        f"HTTP/1.1 {status} {phrase}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


def closed_port() -> int:
    """A local port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
