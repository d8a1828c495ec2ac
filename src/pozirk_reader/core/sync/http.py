"""HTTP for the sync APIs: https verified (plain http only to this machine), bounded, counted, errors in one line.

Every request and the bytes it brought are counted (:class:`Traffic`), for the sync's report and its benchmark.
Nothing here logs a request's parameters or headers: they hold passwords and tokens.
"""

from __future__ import annotations

import ipaddress
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.limits import MAX_SERVER_ANSWER_BYTES

if TYPE_CHECKING:
    import httpx

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
"""A server answering a page of a thousand items may think for a while."""


class SyncError(ReaderError):
    """A sync could not talk to its server; the message is one line naming the account."""


class AuthError(SyncError):
    """The server refused the credentials."""


class Refused(SyncError):
    """The server declined one change (a feed it will not subscribe to): trying again would not help."""


class ServerError(SyncError):
    """The server answered with an error (``status``) or something that is not what the API says."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine: ``localhost``, 127.0.0.0/8 or ::1."""
    if not host:
        return False
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """``url`` without a trailing slash if it may be used: https, or plain http to this machine only.

    Raises :class:`SyncError` saying why not (a user name or password in it is refused too: they belong
    elsewhere).
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        raise SyncError(f"{url[:80]!r} is not a URL") from None
    if parts.scheme not in ("http", "https") or not host:
        raise SyncError(f"{url[:80]!r}: give the server's http(s) address")
    if parts.username or parts.password:
        raise SyncError("the address holds a user name or password: give them with --user and the config instead")
    if parts.scheme == "http" and not is_loopback(host):
        raise SyncError(f"{host}: plain http only to this machine; use https (it is verified)")
    return url.strip().rstrip("/")


@dataclass
class Traffic:
    """What a sync sent and received: requests, and the bytes of the answers as they came over the wire."""

    requests: int = 0
    received: int = 0
    seconds: float = 0.0


class Api:
    """One server's HTTP client: ``get`` and ``post`` return the answer's JSON (or text), within bounds."""

    def __init__(self, name: str, base_url: str, client: httpx.Client | None = None) -> None:
        import httpx

        self.name = name
        self.base_url = check_server_url(base_url)
        self.host = urlsplit(self.base_url).netloc
        self.traffic = Traffic()
        self.server_time: float | None = None
        """The server's clock (its ``Date`` header) at its last answer, in seconds since the epoch."""
        timeout = httpx.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT, write=READ_TIMEOUT, pool=READ_TIMEOUT)
        self._own = client is None
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False, verify=True)

    def close(self) -> None:
        if self._own:
            self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, httpx.Headers]:
        """Send one request to ``base_url + path``; the status, the body (at most the download limit), headers."""
        import httpx

        from pozirk_reader.core.web.fetch import user_agent

        url = self.base_url + path
        sent = {"User-Agent": user_agent(), "Accept-Encoding": "gzip", **(headers or {})}
        started = time.monotonic()
        try:
            with self._client.stream(method, url, params=params, data=data, headers=sent) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_SERVER_ANSWER_BYTES:
                        raise ServerError(f"{self.name}: an answer larger than {MAX_SERVER_ANSWER_BYTES >> 20} MiB")
                self.traffic.requests += 1
                self.traffic.received += response.num_bytes_downloaded
                status, found = response.status_code, response.headers
                self.server_time = _date(found.get("Date"))
        except httpx.HTTPError as error:
            raise SyncError(f"{self.name}: {self.host}: {_reason(error)}") from error
        finally:
            self.traffic.seconds += time.monotonic() - started
        if 300 <= status < 400:
            where = found.get("Location", "")
            raise ServerError(
                f"{self.name}: the server sends {path or '/'} elsewhere ({where[:100]}); give that address"
            )
        return status, bytes(body), found

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like :meth:`request`, for an API that answers JSON; an HTTP error status raises :class:`ServerError`."""
        status, body, _ = self.request(method, path, **kwargs)
        if status in (401, 403):
            raise AuthError(f"{self.name}: the server refused the credentials (HTTP {status})")
        if status >= 400:
            raise ServerError(f"{self.name}: HTTP {status} from {self.host}", status)
        return parse_json(self.name, body)


def parse_json(name: str, body: bytes) -> Any:
    """The JSON in ``body``, or :class:`ServerError` saying it is not JSON."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        start = body[:60].decode("utf-8", "replace").split("\n")[0]
        raise ServerError(f"{name}: the server did not answer JSON ({start!r})") from None


def _date(value: str | None) -> float | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError, IndexError):
        return None


def _reason(error: Exception) -> str:
    """One line for a transport error."""
    import httpx

    if isinstance(error, httpx.ConnectError):
        text = str(error)
        if "refused" in text.lower():
            return "connection refused (is the server running?)"
        if "certificate" in text.lower() or "ssl" in text.lower():
            return f"TLS error: {' '.join(text.split())[:160]}"
        return f"cannot connect: {' '.join(text.split())[:160]}"
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.RemoteProtocolError):
        return "the server closed the connection"
    return " ".join(str(error).split())[:160] or type(error).__name__
