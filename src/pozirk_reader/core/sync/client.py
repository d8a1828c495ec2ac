"""What a sync needs from a server, whichever API it speaks: the :class:`Client` protocol and what it returns."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pozirk_reader.core.store.accounts import Field, PendingChange, RemoteFeed
from pozirk_reader.core.sync.http import Traffic


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """An item as the server sent it (its HTML not yet read); ``None`` for a state the answer did not give."""

    item_id: str
    feed_id: str
    title: str
    html: str
    url: str | None
    published: datetime | None
    feed_title: str | None = None
    author: str | None = None
    read: bool | None = None
    starred: bool | None = None
    crawled: int = 0
    """When the server fetched it, in seconds (0: not said)."""


@dataclass(frozen=True, slots=True)
class ItemPage:
    """A page of new items and the cursor to keep once they are written (a later sync starts from there)."""

    items: list[RemoteItem]
    cursor: dict[str, Any]


@dataclass(frozen=True, slots=True)
class IdList:
    """A server's list of item ids with one state, page by page: the unread ones, or the starred ones."""

    field: Field
    listed_means: bool
    """The value of ``field`` for an item in the list (``False`` for the unread list's "read")."""
    pages: Iterator[list[str]]


class Client(Protocol):
    """One account's server. Every method raises :class:`~pozirk_reader.core.sync.http.SyncError` (one line)."""

    traffic: Traffic

    def login(self) -> None:
        """Make sure the credentials work (with the token kept, else the password, keeping the new token)."""
        ...

    def push(self, changes: Sequence[PendingChange]) -> None:
        """Set each change's state on the server (explicit set calls, never toggles)."""
        ...

    def feeds(self) -> list[RemoteFeed]:
        """The subscriptions."""
        ...

    def subscribe(self, feed_url: str, title: str | None) -> str:
        """Subscribe to ``feed_url`` (named ``title`` if given); returns the server's feed id.

        :class:`~pozirk_reader.core.sync.http.Refused` if the server will not (not a feed, say).
        """
        ...

    def unsubscribe(self, remote_id: str) -> None:
        """Unsubscribe from the server's feed ``remote_id``."""
        ...

    def new_items(
        self, cursor: dict[str, Any], page_size: int, unknown: Callable[[list[str]], list[str]]
    ) -> Iterator[ItemPage]:
        """Items added since ``cursor`` (all of them on a first sync), oldest first, a page at a time.

        ``unknown`` tells which of some item ids the cache lacks: an API that lists new ids before their
        items fetches only those.
        """
        ...

    def id_lists(self) -> list[IdList]:
        """The unread and the starred item ids."""
        ...

    def items(self, item_ids: Sequence[str]) -> list[RemoteItem]:
        """The given items (those the id lists named and the cache lacks)."""
        ...

    def close(self) -> None: ...
