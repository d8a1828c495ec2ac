"""A whole-request deadline for httpx: every socket operation of a fetch is held to the time it has left.

httpx's timeouts bound each operation: a server that sends its headers a byte a second never trips
the read timeout, and the body loop only sees the deadline between chunks. Here the connection pool
runs on a network backend whose streams cut every connect, TLS handshake, read and write to the
fetch's deadline (set for the calling thread by :func:`request_deadline`), and fail with a timeout
once it has passed, whatever the server is doing. Connections kept alive in the pool get the
deadline of whichever fetch uses them.

httpx and httpcore are imported only when a transport is made, so importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ssl

    import httpcore
    import httpx

KEEPALIVE_SECONDS = 5.0
"""How long an idle connection stays in the pool (httpx's default)."""

_local = threading.local()


@contextlib.contextmanager
def request_deadline(deadline_at: float) -> Iterator[None]:
    """Hold this thread's socket operations (on a :class:`DeadlineTransport`) to ``deadline_at`` (monotonic)."""
    previous = getattr(_local, "deadline_at", None)
    _local.deadline_at = deadline_at
    try:
        yield
    finally:
        _local.deadline_at = previous


def _within(timeout: float | None, operation: str) -> float | None:
    """``timeout`` cut to what is left of this thread's deadline; httpcore's timeout for ``operation`` once none is."""
    deadline_at = getattr(_local, "deadline_at", None)
    if deadline_at is None:
        return timeout
    left = deadline_at - time.monotonic()
    if left <= 0:
        import httpcore

        error = {"read": httpcore.ReadTimeout, "write": httpcore.WriteTimeout}.get(operation, httpcore.ConnectTimeout)
        raise error("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream:
    """A network stream (httpcore's interface) whose operations end by the deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(timeout, "read"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(timeout, "write"))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> _Stream:
        tls = self._stream.start_tls(ssl_context, server_hostname, _within(timeout, "connect"))
        return _Stream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend:
    """httpcore's own synchronous backend (its interface), with streams held to the deadline."""

    def __init__(self) -> None:
        import httpcore

        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _Stream:
        timeout = _within(timeout, "connect")
        return _Stream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> _Stream:
        timeout = _within(timeout, "connect")
        return _Stream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def deadline_transport(max_connections: int = 10, tls: ssl.SSLContext | None = None) -> httpx.HTTPTransport:
    """httpx's HTTP transport, its connection pool on the deadline-keeping backend.

    httpx builds its pool in ``HTTPTransport.__init__`` with no way to pass a network backend, so the
    pool it made (``_pool``, the one attribute of httpx's touched here) is replaced by one of
    httpcore's public :class:`httpcore.ConnectionPool`, configured as httpx configures it. ``tls``: the
    TLS context to verify servers with (default: httpx's, made here).
    """
    import httpcore
    import httpx

    tls = tls or httpx.create_ssl_context()
    transport = httpx.HTTPTransport(verify=tls, limits=httpx.Limits(max_connections=max_connections))
    transport._pool.close()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=tls,
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=KEEPALIVE_SECONDS,
        network_backend=_Backend(),  # type: ignore[arg-type]  # httpcore's interface, without its base class
    )
    return transport
