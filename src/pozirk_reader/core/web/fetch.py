"""Fetching a feed over HTTP: http(s) only, bounded in time, size and redirects, errors in one line.

httpx is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.limits import MAX_FEED_BYTES
from pozirk_reader.core.web.urls import HTTP_SCHEMES

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds for one fetch; times in seconds, ``max_bytes`` on the decoded body.

    ``deadline`` bounds the whole request, redirects included: connecting, TLS, sending, waiting for
    and reading the headers and the body (a server that sends its headers a byte a second is cut off
    there). Only the name lookup is the system's own.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = MAX_FEED_BYTES
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document: ``status`` is 200 (or another 2xx), or 304 with an empty ``body``."""

    url: str
    status: int
    body: bytes
    charset: str | None
    content_type: str | None
    etag: str | None
    last_modified: str | None


class FetchError(ReaderError):
    """A fetch failed; the message is one line, ``"<host>: <reason>"``. ``status`` is set for HTTP errors."""

    def __init__(self, host: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason
        self.status = status


def user_agent() -> str:
    """The User-Agent sent with every request."""
    from pozirk_reader import __version__

    return f"pozirk-reader/{__version__} (terminal news reader)"


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = FetchLimits(),
    client: httpx.Client | None = None,
) -> Fetched:
    """GET ``url``, following at most ``limits.max_redirects`` http(s) redirects, within ``limits``.

    ``etag`` and ``last_modified`` make the request conditional. Raises :class:`FetchError` only.
    """
    _check_scheme(url, url)
    if client is not None:
        return _fetch(client, url, etag, last_modified, limits)
    with make_client() as own:
        return _fetch(own, url, etag, last_modified, limits)


def make_client(max_connections: int = 10) -> httpx.Client:
    """An httpx client whose every socket operation is held to the request's deadline (see :class:`FetchLimits`).

    Requests through a proxy from the environment keep only httpx's own per-operation timeouts.
    """
    import httpx

    from pozirk_reader.core.web.deadline import deadline_transport
    from pozirk_reader.core.web.tls import client_context

    tls = client_context()  # one for the client, its pool and proxies; the CA bundle (20 ms) loaded when first used
    return httpx.Client(follow_redirects=False, verify=tls, mounts={"all://": deadline_transport(max_connections, tls)})


def _fetch(client: httpx.Client, url: str, etag: str | None, modified: str | None, limits: FetchLimits) -> Fetched:
    """GET ``url`` with its redirects, the whole of it held to ``limits.deadline`` (on a :func:`make_client`)."""
    from pozirk_reader.core.web.deadline import request_deadline

    headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"}
    headers |= {"If-None-Match": etag} if etag else {}
    headers |= {"If-Modified-Since": modified} if modified else {}
    deadline_at = time.monotonic() + limits.deadline
    with request_deadline(deadline_at):
        return _fetch_within(client, url, headers, deadline_at, limits)


def _fetch_within(
    client: httpx.Client, url: str, headers: dict[str, str], deadline_at: float, limits: FetchLimits
) -> Fetched:
    """The request and its redirects, until ``deadline_at``."""
    import httpx

    seen = {url}
    for _hop in range(limits.max_redirects + 1):
        remaining = _remaining(deadline_at, url, limits)
        timeout = httpx.Timeout(
            connect=min(limits.connect_timeout, remaining),
            read=min(limits.read_timeout, remaining),
            write=remaining,
            pool=remaining,
        )
        try:
            with client.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=False) as response:
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(_host(url), f"HTTP {status} redirect without a Location")
                    target = urljoin(url, location.strip())
                    _check_scheme(target, url, redirect=True)
                    if target in seen:
                        raise FetchError(_host(url), f"redirect loop at {_host(target)}")
                    seen.add(target)
                    url = target
                    continue
                if status != 304 and not 200 <= status < 300:
                    raise FetchError(_host(url), f"HTTP {status}", status)
                body = b"" if status == 304 else _read_body(response, url, deadline_at, limits)
                media, charset = _parse_content_type(response.headers.get("Content-Type"))
                validators = response.headers.get("ETag"), response.headers.get("Last-Modified")
                return Fetched(url, status, body, charset, media, *validators)
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError, ValueError) as exc:
            raise _map_error(exc, url, deadline_at, limits) from exc
    raise FetchError(_host(url), f"more than {limits.max_redirects} redirects")


def _read_body(response: httpx.Response, url: str, deadline_at: float, limits: FetchLimits) -> bytes:
    """Read the raw stream and decode it ourselves, never producing more than ``max_bytes + 1`` bytes."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate", "identity", ""):
        raise FetchError(_host(url), f"unsupported Content-Encoding {encoding}")
    decoder = _Inflater(encoding) if encoding not in ("identity", "") else None
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_raw():
            _remaining(deadline_at, url, limits)
            for piece in decoder.feed(chunk, limits.max_bytes - size + 1) if decoder else (chunk,):
                size += len(piece)
                if size > limits.max_bytes:
                    raise FetchError(_host(url), f"larger than the {_size(limits.max_bytes)} limit")
                parts.append(piece)
    except zlib.error as exc:
        raise FetchError(_host(url), f"bad {encoding} data: {exc}") from exc
    return b"".join(parts)


class _Inflater:
    """A gzip or deflate decoder that yields pieces of at most ``limit`` bytes, so a bomb never inflates whole."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._inflater: zlib._Decompress | None = None

    def feed(self, data: bytes, limit: int) -> Iterator[bytes]:
        """Decompress ``data``, holding at most ``limit`` bytes of output at a time."""
        if self._inflater is None:
            # "deflate" is zlib-wrapped by the standard, but some servers send it raw.
            zlib_header = len(data) > 1 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            wbits = zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16 if "gzip" in self._encoding else wbits)
        while data and not self._inflater.eof:
            piece = self._inflater.decompress(data, max(limit, 1))
            data = self._inflater.unconsumed_tail
            limit -= len(piece)
            if piece:
                yield piece


def _remaining(deadline_at: float, url: str, limits: FetchLimits) -> float:
    remaining = deadline_at - time.monotonic()
    if remaining <= 0:
        raise FetchError(_host(url), f"timed out after {limits.deadline:g} s (the overall deadline)")
    return remaining


def _check_scheme(target: str, current: str, *, redirect: bool = False) -> None:
    try:
        parts = urlsplit(target)
        hostname = parts.hostname
    except ValueError:
        raise FetchError(_host(current), f"malformed URL {target[:80]!r}") from None
    scheme = parts.scheme.lower()
    if scheme in HTTP_SCHEMES:
        if hostname:
            return
        raise FetchError(_host(current), f"no host in {target[:80]!r}")
    shown = f"{scheme}:" if scheme else repr(target[:60])
    what = f"redirect to a {shown} URL refused" if redirect else f"only http and https URLs are fetched, not {shown}"
    raise FetchError(_host(current), what)


def _host(url: str) -> str:
    """Host and port of ``url`` (never its user name or password), or the URL itself."""
    try:
        netloc = urlsplit(url).netloc.rpartition("@")[2]
    except ValueError:
        netloc = ""
    return netloc or url[:80]


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``text/xml; charset="windows-1251"`` → ``("text/xml", "windows-1251")``."""
    if not value:
        return None, None
    media, *params = value.split(";")
    pairs = (param.partition("=") for param in params)
    charsets = [raw.strip().strip("\"'") for name, _, raw in pairs if name.strip().lower() == "charset"]
    return media.strip().lower() or None, next((c for c in charsets if c), None)


def _map_error(exc: BaseException, url: str, deadline_at: float, limits: FetchLimits) -> FetchError:
    """Turn an httpx (or socket) error into a one-line :class:`FetchError`."""
    import httpx

    host = _host(url)
    if isinstance(exc, httpx.TimeoutException):
        if time.monotonic() >= deadline_at - 0.05:
            return FetchError(host, f"timed out after {limits.deadline:g} s (the overall deadline)")
        after = limits.connect_timeout if isinstance(exc, httpx.ConnectTimeout) else limits.read_timeout
        return FetchError(host, f"timed out after {after:g} s")
    causes = _causes(exc)
    tls = next((c for c in causes if isinstance(c, ssl.SSLError)), None)
    if tls is not None:
        detail = getattr(tls, "verify_message", None) or getattr(tls, "reason", None) or _line(tls)
        return FetchError(host, f"TLS error: {detail}")
    if any(isinstance(c, socket.gaierror) for c in causes):
        return FetchError(host, "name not found")
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return FetchError(host, "connection refused")
    if isinstance(exc, httpx.ProtocolError):
        return FetchError(host, f"protocol error: {_line(exc)}")
    if isinstance(exc, httpx.ConnectError):
        return FetchError(host, f"cannot connect: {_line(exc)}")
    return FetchError(host, _line(exc) or type(exc).__name__)


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from (bounded: chains can loop)."""
    found = [exc]
    while len(found) < 10 and (nxt := found[-1].__cause__ or found[-1].__context__) and nxt not in found:
        found.append(nxt)
    return found


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _size(count: int) -> str:
    """A byte count as people write it: "20 MiB", "512 KiB"."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"
