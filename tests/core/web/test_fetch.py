"""The HTTP client, against a real server on 127.0.0.1 (and httpx's MockTransport for DNS and TLS failures)."""

from __future__ import annotations

import contextlib
import gzip
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from pozirk_reader import __version__
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.web.fetch import (
    Fetched,
    FetchError,
    FetchLimits,
    _Inflater,
    _parse_content_type,
    fetch,
    user_agent,
)

FEED = "<rss><channel><title>Позірк</title></channel></rss>".encode("windows-1251")
ETAG = '"v1"'
MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
BOMB = gzip.compress(b"\0" * (10 * 1024 * 1024), compresslevel=9)
STOP = threading.Event()  # set when the module's tests end, so that slow routes give up at once


class Handler(BaseHTTPRequestHandler):
    """One route per case; every loop is bounded and every wait times out."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up: a limit was hit
            self._route()

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> None:
        path = self.path
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if path == "/feed":
            if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == MODIFIED:
                self._send(304, ETag=ETAG)
                return
            ctype = "text/xml; charset=windows-1251"
            self._send(200, FEED, Content_Type=ctype, ETag=ETAG, Last_Modified=MODIFIED)
        elif path == "/gzip":
            self._send(200, gzip.compress(FEED), Content_Type="application/rss+xml", Content_Encoding="gzip")
        elif path in ("/deflate", "/raw-deflate"):
            packer = zlib.compressobj(wbits=zlib.MAX_WBITS if path == "/deflate" else -zlib.MAX_WBITS)
            self._send(200, packer.compress(FEED) + packer.flush(), Content_Encoding="deflate")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            target = f"/hop/{left - 1}" if left > 1 else f"{base}/feed"  # relative, then absolute
            self._send(302 if left % 2 else 301, Location=target)
        elif path == "/to-file":
            self._send(302, Location="file:///etc/passwd")
        elif path in ("/loop-a", "/loop-b"):
            self._send(307, Location="/loop-b" if path == "/loop-a" else "/loop-a")
        elif path == "/no-location":
            self._send(302)
        elif path == "/silent":
            STOP.wait(5)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                if STOP.wait(0.2):
                    break
        elif path in ("/header-drip", "/status-drip"):
            # the status line (or the headers) a byte at a time: never silent long enough for a read timeout
            head = b"HTTP/1.1 200 OK\r\n" if path == "/header-drip" else b""
            self.wfile.write(head)
            for _ in range(300):
                self.wfile.write(b"X-Slow: a\r\n" if head else b"H")
                self.wfile.flush()
                if STOP.wait(0.1):
                    break
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Length", str(2 * 1024 * 1024))
            self.end_headers()
            for _ in range(32):
                self.wfile.write(b"a" * 65536)
        elif path == "/bomb":
            self._send(200, BOMB, Content_Encoding="gzip")
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), b"no")
        elif path == "/ua":
            body = f"{self.headers.get('User-Agent')}\n{self.headers.get('Accept-Encoding')}"
            self._send(200, body.encode())
        elif path == "/garbage":
            self.wfile.write(b"THIS IS NOT HTTP\r\n\r\n")
        else:
            self._send(404)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    STOP.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    STOP.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours proxy variables; requests to 127.0.0.1 must never go through one."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def fails(expected: str, url: str, **kwargs: object) -> FetchError:
    """Fetch ``url``, expecting a FetchError whose one-line message is ``expected``."""
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    assert message == expected
    return caught.value


def host(base: str) -> str:
    return base.removeprefix("http://")


def test_200_with_body_charset_and_validators(base: str) -> None:
    got = fetch(f"{base}/feed")
    assert got == Fetched(f"{base}/feed", 200, FEED, "windows-1251", "text/xml", ETAG, MODIFIED)


def test_conditional_get_gives_304_and_an_empty_body(base: str) -> None:
    first = fetch(f"{base}/feed")
    again = fetch(f"{base}/feed", etag=first.etag, last_modified=first.last_modified)
    assert (again.status, again.body) == (304, b"")
    assert fetch(f"{base}/feed", last_modified=MODIFIED).status == 304


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_compressed_body_is_decoded(base: str, path: str) -> None:
    assert fetch(f"{base}{path}").body == FEED


def test_redirect_chain_is_followed_and_the_final_url_reported(base: str) -> None:
    got = fetch(f"{base}/hop/4")
    assert (got.url, got.status, got.body) == (f"{base}/feed", 200, FEED)
    assert fetch(f"{base}/hop/2", limits=FetchLimits(max_redirects=2)).body == FEED


def test_redirect_to_a_file_url_is_refused(base: str) -> None:
    fails(f"{host(base)}: redirect to a file: URL refused", f"{base}/to-file")


def test_redirect_loop_is_refused(base: str) -> None:
    fails(f"{host(base)}: redirect loop at {host(base)}", f"{base}/loop-a")


def test_too_many_redirects_are_refused(base: str) -> None:
    fails(f"{host(base)}: more than 2 redirects", f"{base}/hop/3", limits=FetchLimits(max_redirects=2))


def test_redirect_without_location(base: str) -> None:
    fails(f"{host(base)}: HTTP 302 redirect without a Location", f"{base}/no-location")


def test_a_silent_server_times_out(base: str) -> None:
    start = time.monotonic()
    fails(f"{host(base)}: timed out after 0.5 s", f"{base}/silent", limits=FetchLimits(read_timeout=0.5))
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("route", ["/header-drip", "/status-drip"])
def test_headers_sent_a_byte_at_a_time_stop_at_the_deadline(base: str, route: str) -> None:
    """The deadline covers waiting for the status line and headers too, not only the body (30 s of drip here)."""
    limits = FetchLimits(read_timeout=5.0, deadline=1.0)
    started = time.monotonic()
    fails(f"{host(base)}: timed out after 1 s (the overall deadline)", f"{base}{route}", limits=limits)
    assert time.monotonic() - started < 15  # stopped at the deadline (give or take a loaded machine), not after 30 s


def test_a_shared_client_keeps_the_deadline_for_each_request(base: str) -> None:
    from pozirk_reader.core.web.fetch import make_client

    with make_client() as client:
        assert fetch(f"{base}/feed", client=client).status == 200  # its connection is kept for the next one
        limits = FetchLimits(read_timeout=5.0, deadline=1.0)
        fails(
            f"{host(base)}: timed out after 1 s (the overall deadline)",
            f"{base}/header-drip",
            limits=limits,
            client=client,
        )
        assert fetch(f"{base}/feed", client=client).status == 200


def test_a_dripping_server_hits_the_deadline(base: str) -> None:
    start = time.monotonic()
    limits = FetchLimits(read_timeout=0.5, deadline=1.0)
    fails(f"{host(base)}: timed out after 1 s (the overall deadline)", f"{base}/drip", limits=limits)
    assert time.monotonic() - start < 3


def test_a_body_over_max_bytes_is_refused(base: str) -> None:
    fails(f"{host(base)}: larger than the 1 MiB limit", f"{base}/big", limits=FetchLimits(max_bytes=1024 * 1024))


def test_a_gzip_bomb_is_refused(base: str) -> None:
    assert len(BOMB) < 64 * 1024
    fails(f"{host(base)}: larger than the 1 MiB limit", f"{base}/bomb", limits=FetchLimits(max_bytes=1024 * 1024))


def test_the_inflater_never_holds_more_than_the_limit() -> None:
    pieces = _Inflater("gzip").feed(BOMB, 1000)
    assert len(next(pieces)) <= 1000


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors(base: str, status: int) -> None:
    error = fails(f"{host(base)}: HTTP {status}", f"{base}/status/{status}")
    assert error.status == status
    assert isinstance(error, ReaderError)


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fails(f"127.0.0.1:{port}: connection refused", f"http://127.0.0.1:{port}/feed")


def test_protocol_error(base: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{base}/garbage")
    assert str(caught.value).startswith(f"{host(base)}: protocol error: ")
    assert "\n" not in str(caught.value)


def test_user_agent_and_accept_encoding_are_sent(base: str) -> None:
    assert user_agent() == f"pozirk-reader/{__version__} (terminal news reader)"
    assert fetch(f"{base}/ua").body.decode() == f"{user_agent()}\ngzip, deflate"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("file:///etc/passwd", "file:///etc/passwd: only http and https URLs are fetched, not file:"),
        ("ftp://ftp.example/feed", "ftp.example: only http and https URLs are fetched, not ftp:"),
        ("javascript:alert(1)", "javascript:alert(1): only http and https URLs are fetched, not javascript:"),
        ("feed.xml", "feed.xml: only http and https URLs are fetched, not 'feed.xml'"),
    ],
)
def test_non_http_urls_are_refused_before_any_network(url: str, expected: str) -> None:
    calls: list[httpx.Request] = []
    client = httpx.Client(transport=httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(200)))
    fails(expected, url, client=client)
    assert calls == []


def _raising(error: Exception) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.Client(transport=httpx.MockTransport(handler))


def _chained(outer: Exception, inner: Exception) -> Exception:
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            _chained(httpx.ConnectError("[Errno -2]"), socket.gaierror(-2, "Name or service not known")),
            "name not found",
        ),
        (
            _chained(httpx.ConnectError("tls"), ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED]")),
            "TLS error: [SSL: CERTIFICATE_VERIFY_FAILED]",
        ),
        (httpx.ConnectTimeout("slow"), "timed out after 10 s"),
        (
            httpx.RemoteProtocolError("Server disconnected\nwithout sending a response."),
            "protocol error: Server disconnected without sending a response.",
        ),
    ],
)
def test_httpx_errors_become_one_line_fetch_errors(error: Exception, reason: str) -> None:
    fails(f"pozirk.example: {reason}", "https://pozirk.example/feed", client=_raising(error))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/xml; charset=windows-1251", ("text/xml", "windows-1251")),
        ('Application/RSS+XML; Charset="KOI8-R"', ("application/rss+xml", "KOI8-R")),
        ("text/xml", ("text/xml", None)),
        (None, (None, None)),
    ],
)
def test_content_type_is_parsed(header: str | None, expected: tuple[str | None, str | None]) -> None:
    assert _parse_content_type(header) == expected


def test_importing_the_module_does_not_load_httpx() -> None:
    code = "import sys, pozirk_reader.core.web.fetch; print('httpx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_client_loads_no_certificates_until_a_tls_handshake(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the CA bundle costs 20 ms of every refresh's start: the client, its pool and proxies share one
    context, which verifies servers and their names, and loads the certificates only for a first handshake."""
    from pozirk_reader.core.web import tls
    from pozirk_reader.core.web.fetch import make_client

    made: list[tls.TrustOnUse] = []
    real = tls.client_context
    monkeypatch.setattr(tls, "client_context", lambda: made.append(real()) or made[-1])
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with make_client():
        pass
    assert len(made) == 1
    (context,) = made
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="pozirk.example")
    assert context.cert_store_stats()["x509_ca"] > 100  # certifi's bundle


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An https server on 127.0.0.1 with a self-signed certificate for that address; its URL and certificate."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/feed.xml", cert
    server.shutdown()
    server.server_close()


def test_the_certificates_loaded_at_first_use_still_verify_the_server(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pozirk_reader.core.web.fetch import make_client

    url, cert = https_server
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with make_client() as client, pytest.raises(FetchError, match="TLS error: self-signed certificate"):
        fetch(url, client=client, limits=FetchLimits(deadline=10))
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trusted as httpx trusts it: $SSL_CERT_FILE
    with make_client() as client:
        assert fetch(url, client=client, limits=FetchLimits(deadline=10)).body == FEED
