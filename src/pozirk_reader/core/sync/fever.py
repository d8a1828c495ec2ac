"""The Fever API as FreshRSS, Miniflux, yarr and coldsweat serve it.

Every call is ``POST <endpoint>?api&<command>`` with the form field ``api_key`` (the MD5 of ``user:password``,
kept in the token file). Calls: ``feeds``; ``items&since_id=N`` (50 items a page, oldest first; the cursor is the
highest id cached); ``unread_item_ids`` and ``saved_item_ids`` (the state, as comma-separated ids);
``items&with_ids=...`` (items by id, 50 at a time); ``mark=item&as=read|unread|saved|unsaved&id=N`` (one item a
call: the API has no batch). The API cannot subscribe or unsubscribe: that is done in the server's own interface.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from pozirk_reader.core.store.accounts import Field, PendingChange, RemoteFeed
from pozirk_reader.core.sync.client import IdList, ItemPage, RemoteItem
from pozirk_reader.core.sync.credentials import Credentials
from pozirk_reader.core.sync.http import Api, AuthError, Refused, ServerError, parse_json

PAGE = 50
"""Items in a page, as the API fixes it."""
_MARKS = {(Field.READ, True): "read", (Field.READ, False): "unread", (Field.STARRED, True): "saved"}
_MARKS[(Field.STARRED, False)] = "unsaved"


def api_key(username: str, password: str) -> str:
    """The Fever API key: ``md5("user:password")`` in hexadecimal."""
    return hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()


class FeverClient:
    """A client of one account's Fever API (see the module's docstring)."""

    def __init__(self, name: str, base_url: str, username: str, credentials: Credentials) -> None:
        self.api = Api(name, base_url)
        self.traffic = self.api.traffic
        self.name = name
        self.username = username
        self.credentials = credentials
        self._key: str | None = None
        self._from_file = False

    def close(self) -> None:
        self.api.close()

    def login(self) -> None:
        self._call("")

    def _call(self, command: str, **form: Any) -> dict[str, Any]:
        """``POST ?api&command`` with the key; a refused kept key is made again from the password, once."""
        for attempt in range(2):
            fresh = False
            if self._key is None:
                self._key = self.credentials.token_file.read()
                self._from_file = self._key is not None
            if self._key is None:
                self._key, fresh = api_key(self.username, self.credentials.password()), True
            query = "?api" + (f"&{command}" if command else "")
            status, body, _ = self.api.request("POST", query, data={"api_key": self._key, **form})
            if status >= 400 and status not in (401, 403):
                raise ServerError(f"{self.name}: HTTP {status} from {self.api.host}", status)
            answer = parse_json(self.name, body) if status < 400 else {}
            if not isinstance(answer, dict):
                raise ServerError(f"{self.name}: the server's answer is not a Fever one")
            if answer.get("auth") == 1:
                if fresh:
                    self.credentials.token_file.write(self._key)
                return answer
            self._key = None
            if attempt == 0 and self._from_file:  # the kept key no longer works: make it again from the password
                self.credentials.token_file.remove()
                continue
            break
        raise AuthError(f"{self.name}: the server refused the user name or password")

    def push(self, changes: Sequence[PendingChange]) -> None:
        for change in changes:
            mark = _MARKS[(change.field, change.value)]
            self._call("", mark="item", id=change.item_id, **{"as": mark})

    def feeds(self) -> list[RemoteFeed]:
        answer = self._call("feeds")
        return [
            RemoteFeed(str(feed["id"]), _text(feed.get("title")), _text(feed.get("url")), _text(feed.get("site_url")))
            for feed in answer.get("feeds") or []
            if isinstance(feed, dict) and "id" in feed
        ]

    def subscribe(self, feed_url: str, title: str | None) -> str:
        raise Refused(f"{self.name}: the Fever API cannot subscribe; subscribe in the server's own interface")

    def unsubscribe(self, remote_id: str) -> None:
        raise Refused(f"{self.name}: the Fever API cannot unsubscribe; unsubscribe in the server's own interface")

    def new_items(
        self, cursor: dict[str, Any], page_size: int, unknown: Callable[[list[str]], list[str]]
    ) -> Iterator[ItemPage]:
        since = int(cursor.get("since_id", 0))
        while True:
            answer = self._call(f"items&since_id={since}")
            items = [item for item in map(_item, answer.get("items") or []) if item is not None]
            if not items:
                return
            since = max(since, *(int(item.item_id) for item in items))
            yield ItemPage(sorted(items, key=lambda item: int(item.item_id)), {"since_id": since})

    def id_lists(self) -> list[IdList]:
        return [
            IdList(Field.READ, False, iter([self._ids("unread_item_ids")])),
            IdList(Field.STARRED, True, iter([self._ids("saved_item_ids")])),
        ]

    def _ids(self, command: str) -> list[str]:
        text = self._call(command).get(command) or ""
        return [part.strip() for part in str(text).split(",") if part.strip().isdigit()]

    def items(self, item_ids: Sequence[str]) -> list[RemoteItem]:
        found: list[RemoteItem] = []
        for start in range(0, len(item_ids), PAGE):
            answer = self._call(f"items&with_ids={','.join(item_ids[start : start + PAGE])}")
            found += [item for item in map(_item, answer.get("items") or []) if item is not None]
        return found


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _item(entry: Any) -> RemoteItem | None:
    if not isinstance(entry, dict) or not str(entry.get("id", "")).isdigit():
        return None
    published: datetime | None = None
    try:
        published = datetime.fromtimestamp(int(entry["created_on_time"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        published = None
    return RemoteItem(
        item_id=str(entry["id"]),
        feed_id=str(entry.get("feed_id", "")),
        title=str(entry.get("title") or ""),
        html=str(entry.get("html") or ""),
        url=_text(entry.get("url")),
        published=published,
        author=_text(entry.get("author")),
        read=bool(entry["is_read"]) if "is_read" in entry else None,
        starred=bool(entry["is_saved"]) if "is_saved" in entry else None,
    )
