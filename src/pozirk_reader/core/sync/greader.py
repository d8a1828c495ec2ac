"""The Google Reader API as FreshRSS, Miniflux, Inoreader, The Old Reader and BazQux serve it.

Calls: ``POST accounts/ClientLogin`` (Email, Passwd: an ``Auth`` token, kept in the token file),
``GET reader/api/0/token`` (the write token ``T``), ``POST reader/api/0/edit-tag`` (``a=`` or ``r=`` read or
starred for up to :data:`EDIT_BATCH` items), ``GET reader/api/0/subscription/list``,
``GET reader/api/0/stream/items/ids`` (the reading list's ids oldest first since ``ot`` = the newest crawl time
already cached, then the unread and the starred ids; continuation paging) and
``POST reader/api/0/stream/items/contents`` (the items the cache lacks, by id: an item is downloaded once);
subscribing, ``POST reader/api/0/subscription/quickadd`` (the server's feed id comes back; with a title, then
``subscription/edit`` ``ac=edit``) and unsubscribing, ``subscription/edit`` ``ac=unsubscribe``. Item ids are
kept in their short hexadecimal form (the long form's tail; decimal ids are converted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pozirk_reader.core.store.accounts import Field, PendingChange, RemoteFeed
from pozirk_reader.core.sync.client import IdList, ItemPage, RemoteItem
from pozirk_reader.core.sync.credentials import Credentials
from pozirk_reader.core.sync.http import Api, AuthError, Refused, ServerError

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LONG_ID = "tag:google.com,2005:reader/item/"
EDIT_BATCH = 250
"""Items set in one edit-tag call."""
IDS_PAGE = 10_000
"""Ids in one page of an id list."""
BY_ID_BATCH = 250
"""Items asked for by id in one call."""
_TAGS = {Field.READ: READ, Field.STARRED: STARRED}


def short_id(item_id: str) -> str:
    """An item id in the short hexadecimal form: the long form's tail, or a decimal id as 16 hex digits."""
    if item_id.startswith(LONG_ID):
        return item_id[len(LONG_ID) :].lower()
    if item_id.lstrip("-").isdigit():
        return f"{int(item_id) & 0xFFFFFFFFFFFFFFFF:016x}"
    return item_id.lower()


class GReaderClient:
    """A client of one account's Google Reader API (see the module's docstring)."""

    def __init__(self, name: str, base_url: str, username: str, credentials: Credentials) -> None:
        self.api = Api(name, base_url)
        self.traffic = self.api.traffic
        self.name = name
        self.username = username
        self.credentials = credentials
        self._auth: str | None = None
        self._from_file = False
        self._write_token: str | None = None

    def close(self) -> None:
        self.api.close()

    # -- logging in ------------------------------------------------------------------------------

    def login(self) -> None:
        if self._auth is None:
            self._auth = self.credentials.token_file.read()
            self._from_file = self._auth is not None
        if self._auth is None:
            self._client_login()
        self._call("GET", "/reader/api/0/user-info", params={"output": "json"})

    def _client_login(self) -> None:
        password = self.credentials.password()
        status, body, _ = self.api.request(
            "POST", "/accounts/ClientLogin", data={"Email": self.username, "Passwd": password}
        )
        if status in (401, 403):
            raise AuthError(f"{self.name}: the server refused the user name or password (HTTP {status})")
        if status >= 400:
            raise ServerError(f"{self.name}: logging in failed: HTTP {status} from {self.api.host}", status)
        fields = dict(line.partition("=")[::2] for line in body.decode("utf-8", "replace").splitlines())
        token = fields.get("Auth", "").strip()
        if not token:
            raise ServerError(f"{self.name}: the server's login answer has no Auth token")
        self._auth, self._from_file, self._write_token = token, False, None
        self.credentials.token_file.write(token)

    def _call(self, method: str, path: str, *, json: bool = True, **kwargs: Any) -> Any:
        """One authorised call; a refused kept token is replaced by logging in again, once."""
        for attempt in range(2):
            if self._auth is None:
                self._client_login()
            headers = {"Authorization": f"GoogleLogin auth={self._auth}"}
            status, body, found = self.api.request(method, path, headers=headers, **kwargs)
            if status == 401 and found.get("X-Reader-Google-Bad-Token") and "T" in (kwargs.get("data") or {}):
                self._write_token = None
                kwargs["data"]["T"] = self._token()
                continue
            if status in (401, 403):
                if attempt == 0 and self._from_file:
                    self._auth = None  # the kept token expired: log in with the password
                    continue
                raise AuthError(f"{self.name}: the server refused the credentials (HTTP {status})")
            if status >= 400:
                raise ServerError(f"{self.name}: HTTP {status} from {self.api.host} for {path}", status)
            if not json:
                return body.decode("utf-8", "replace")
            from pozirk_reader.core.sync.http import parse_json

            return parse_json(self.name, body)
        raise AuthError(f"{self.name}: the server refused the credentials")

    def _token(self) -> str:
        if self._write_token is None:
            self._write_token = str(self._call("GET", "/reader/api/0/token", json=False)).strip()
        return self._write_token

    # -- pushing ---------------------------------------------------------------------------------

    def push(self, changes: Sequence[PendingChange]) -> None:
        groups: dict[tuple[Field, bool], list[str]] = {}
        for change in changes:
            groups.setdefault((change.field, change.value), []).append(change.item_id)
        for (changed, value), item_ids in groups.items():
            for start in range(0, len(item_ids), EDIT_BATCH):
                data: dict[str, Any] = {"i": [LONG_ID + item for item in item_ids[start : start + EDIT_BATCH]]}
                data["a" if value else "r"] = _TAGS[changed]
                data["T"] = self._token()
                answer = self._call("POST", "/reader/api/0/edit-tag", json=False, data=data)
                if answer.strip() != "OK":
                    raise ServerError(f"{self.name}: the server did not take the changes ({answer.strip()[:60]!r})")

    def subscribe(self, feed_url: str, title: str | None) -> str:
        data = {"quickadd": feed_url, "T": self._token()}
        try:
            answer = self._call("POST", "/reader/api/0/subscription/quickadd", data=data)
        except ServerError as error:
            if error.status is not None and 400 <= error.status < 500:
                raise Refused(
                    f"{self.name}: the server would not subscribe to {feed_url} (HTTP {error.status})"
                ) from None
            raise
        stream = answer.get("streamId") if isinstance(answer, dict) else None
        if not isinstance(stream, str) or not stream or not answer.get("numResults"):
            why = answer.get("error") if isinstance(answer, dict) else None
            reason = " ".join(str(why).split())[:160] if why else "it found no feed there"
            raise Refused(f"{self.name}: the server would not subscribe to {feed_url}: {reason}")
        if title:
            self._edit({"ac": "edit", "s": stream, "t": title})
        return stream

    def unsubscribe(self, remote_id: str) -> None:
        self._edit({"ac": "unsubscribe", "s": remote_id})

    def _edit(self, data: dict[str, Any]) -> None:
        answer = self._call("POST", "/reader/api/0/subscription/edit", json=False, data={**data, "T": self._token()})
        if answer.strip() != "OK":
            raise ServerError(f"{self.name}: the server did not take the subscription change ({answer.strip()[:60]!r})")

    # -- pulling ---------------------------------------------------------------------------------

    def feeds(self) -> list[RemoteFeed]:
        answer = self._call("GET", "/reader/api/0/subscription/list", params={"output": "json"})
        return [
            RemoteFeed(str(sub["id"]), _text(sub.get("title")), _text(sub.get("url")), _text(sub.get("htmlUrl")))
            for sub in _list(answer, "subscriptions")
            if isinstance(sub, dict) and sub.get("id")
        ]

    def new_items(
        self, cursor: dict[str, Any], page_size: int, unknown: Callable[[list[str]], list[str]]
    ) -> Iterator[ItemPage]:
        since = int(cursor.get("since", 0))
        query = {"s": READING_LIST, "r": "o", **({"ot": str(since)} if since else {})}
        newest = 0
        for ids in self._ids(query):
            wanted = unknown(ids)
            for start in range(0, len(wanted), page_size):
                items = self.items(wanted[start : start + page_size])
                newest = max(newest, *(item.crawled for item in items)) if items else newest
                yield ItemPage(items, {"since": max(since, newest)})
        # ot is inclusive, and a server adds a whole fetch of items in one second: once its clock has passed
        # the newest second seen, no item can still come in it, and the next sync need not list it again
        clock = self.api.server_time
        if newest and clock is not None and int(clock) > newest:
            yield ItemPage([], {"since": newest + 1})

    def id_lists(self) -> list[IdList]:
        unread = self._ids({"s": READING_LIST, "xt": READ})
        starred = self._ids({"s": STARRED})
        return [IdList(Field.READ, False, unread), IdList(Field.STARRED, True, starred)]

    def _ids(self, query: Mapping[str, str]) -> Iterator[list[str]]:
        continuation: str | None = None
        while True:
            params: dict[str, Any] = {**query, "n": IDS_PAGE, "output": "json"}
            if continuation:
                params["c"] = continuation
            answer = self._call("GET", "/reader/api/0/stream/items/ids", params=params)
            refs = _list(answer, "itemRefs")
            yield [short_id(str(ref["id"])) for ref in refs if isinstance(ref, dict) and "id" in ref]
            continuation = answer.get("continuation") if isinstance(answer, dict) else None
            if not continuation or not refs:
                return

    def items(self, item_ids: Sequence[str]) -> list[RemoteItem]:
        found: list[RemoteItem] = []
        for start in range(0, len(item_ids), BY_ID_BATCH):
            data = {"i": [LONG_ID + item for item in item_ids[start : start + BY_ID_BATCH]], "output": "json"}
            answer = self._call("POST", "/reader/api/0/stream/items/contents", data=data)
            found += [item for item in (_item(entry) for entry in _list(answer, "items")) if item is not None]
        return found


def _list(answer: Any, key: str) -> list[Any]:
    value = answer.get(key) if isinstance(answer, dict) else None
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _crawled(entry: Any) -> int:
    """When the server fetched an item, in whole seconds (0 if it does not say)."""
    if not isinstance(entry, dict):
        return 0
    for key, scale in (("timestampUsec", 1_000_000), ("crawlTimeMsec", 1000)):
        try:
            return int(entry[key]) // scale
        except (KeyError, TypeError, ValueError):
            continue
    return 0


def _item(entry: Any) -> RemoteItem | None:
    """A stream item as a :class:`RemoteItem`; ``None`` for what is not one."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        return None
    found = entry.get("origin")
    origin: dict[str, Any] = found if isinstance(found, dict) else {}
    categories = [c for c in entry.get("categories") or [] if isinstance(c, str)]
    body = entry.get("content") or entry.get("summary") or {}
    html = body.get("content") if isinstance(body, dict) else None
    links = [*(entry.get("canonical") or []), *(entry.get("alternate") or [])]
    url = next((link["href"] for link in links if isinstance(link, dict) and isinstance(link.get("href"), str)), None)
    published: datetime | None = None
    try:
        published = datetime.fromtimestamp(int(entry["published"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        published = None
    return RemoteItem(
        item_id=short_id(entry["id"]),
        feed_id=str(origin.get("streamId") or ""),
        title=str(entry.get("title") or ""),
        html=html if isinstance(html, str) else "",
        url=url,
        published=published,
        feed_title=_text(origin.get("title")),
        author=_text(entry.get("author")),
        read=any(c.endswith("/state/com.google/read") for c in categories),
        starred=any(c.endswith("/state/com.google/starred") for c in categories),
        crawled=_crawled(entry),
    )
