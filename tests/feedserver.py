"""A real HTTP server on 127.0.0.1 for feed tests: routes set per test, conditional GET, gzip, faults.

``Site.serve_samples()`` publishes the bundled sample feeds and article pages at the URLs their
manifest (sample_articles/feeds/FEEDS.md) gives them, with ``https://pozirk.example/`` rewritten
to the server's own address.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).resolve().parent.parent / "sample_articles" / "feeds"
SAMPLE_SITE = "https://pozirk.example/"


@dataclass
class Route:
    """What one path answers: a body with headers, or a fault (``redirect``, ``silent``, ``drip``, ``status``)."""

    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    redirect: str | None = None
    silent: bool = False
    drip: bool = False
    headers: dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 drops connections when a refresh's threads connect at once


class Site:
    """A threaded HTTP server on a free port; ``routes`` may be changed while it runs."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base(self) -> str:
        """The server's root URL, ending in ``/``."""
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def start(self) -> Site:
        """Start serving (on the port used before, if restarted)."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    site._answer(self)

        server = _Server(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        self.stopping.clear()
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: the port then refuses connections."""
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def serve_samples(self) -> None:
        """Publish the sample feeds at /rss-full.xml, /atom.xml, /rss-summaries.xml, their pages at /news/NNNN.html."""
        for name in ("rss-full.xml", "atom.xml", "rss-summaries.xml"):
            self.routes["/" + name] = Route(self.rewrite((FEEDS / name).read_bytes()), etag=f'"{name}-1"')
        for page in sorted((FEEDS / "pages").glob("*.html")):
            self.routes[f"/news/{page.name}"] = Route(self.rewrite(page.read_bytes()), "text/html; charset=utf-8")
        front = self.rewrite((FEEDS / "page-with-feed-link.html").read_bytes())
        self.routes["/"] = Route(front, "text/html; charset=utf-8")

    def rewrite(self, data: bytes) -> bytes:
        """Sample bytes with the made-up site's address replaced by this server's."""
        return data.replace(SAMPLE_SITE.encode(), self.base.encode())

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path
        self.hits[path] += 1
        route = self.routes.get(path)
        if route is None:
            self._send(request, 404, b"not found", {"Content-Type": "text/plain"})
            return
        if route.silent:
            self.stopping.wait(30)
            return
        if route.redirect is not None:
            self._send(request, 302, b"", {"Location": route.redirect})
            return
        if route.drip:
            request.send_response(200)
            request.send_header("Content-Length", "1000")
            request.end_headers()
            for _ in range(1000):
                if self.stopping.wait(1):
                    return
                request.wfile.write(b" ")
                request.wfile.flush()
            return
        if (route.etag and request.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and request.headers.get("If-Modified-Since") == route.last_modified
        ):
            self._send(request, 304, b"", {"ETag": route.etag or ""})
            return
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        body = route.body
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(request, route.status, body, headers)

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
