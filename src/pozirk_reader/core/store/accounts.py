"""Accounts on news servers, in the cache: the accounts, their subscriptions, item ids and the outbox.

An account's subscriptions are sources of kind ``subscription``; each article it brought is mapped to the
server's item id in ``remote_items``. The outbox holds, for such an article, the latest read or starred value
set here and not yet pushed: :func:`queue_changes` writes it in the transaction that changes the article, and
only for articles of an account (a local article costs one lookup in an empty index). Subscribing and
unsubscribing here go to ``subscription_outbox`` in the transaction that adds or removes the source
(:meth:`SyncTransaction.queue_subscribe`, :meth:`SyncTransaction.queue_unsubscribe`). No password or token is
ever written here.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pozirk_reader.core.article.model import Article
from pozirk_reader.core.store.outbox import Field, queue_changes
from pozirk_reader.core.store.read_models import AccountKind, SaveOutcome
from pozirk_reader.core.store.subscriptions import (
    PendingSubscription,
    RemoteFeed,
    Subscription,
    SubscriptionWrites,
)

__all__ = [
    "Account",
    "AccountKind",
    "AccountReads",
    "Field",
    "PendingChange",
    "PendingSubscription",
    "RemoteArticle",
    "RemoteFeed",
    "Subscription",
    "SyncTransaction",
    "queue_changes",
    "stage_ids",
]

_CHUNK = 500
"""Ids in one ``IN (...)`` query."""

Reader = Callable[[str, tuple[Any, ...]], list[sqlite3.Row]]


@dataclass(frozen=True, slots=True)
class Account:
    """An account as the cache keeps it; ``cursor`` is where the last sync left off (the API's own terms)."""

    id: int
    name: str
    kind: AccountKind
    base_url: str
    username: str
    settings: dict[str, Any] = field(default_factory=dict)
    added_at: float = 0.0
    synced_at: float | None = None
    last_error: str | None = None
    cursor: dict[str, Any] = field(default_factory=dict)
    pending: int = 0
    """Changes in the outbox, not yet pushed."""
    subscriptions: int = 0
    articles: int = 0

    @property
    def key(self) -> str:
        """What names the account on any machine: its API, server and user (article ids derive from it)."""
        return f"{self.kind}:{self.base_url}:{self.username}"

    @property
    def location_prefix(self) -> str:
        """How its sources' locations start (then the server's feed id, or the feed's URL until the server has it)."""
        return f"{self.kind}:{self.name}/"


@dataclass(frozen=True, slots=True)
class PendingChange:
    """One outbox row: set ``field`` of the server's item ``item_id`` to ``value``."""

    article_id: str
    item_id: str
    field: Field
    value: bool


@dataclass(frozen=True, slots=True)
class RemoteArticle:
    """An item from the server as an article, with its state there (``None``: the page did not say)."""

    item_id: str
    feed_id: str
    article: Article
    content_hash: str
    read: bool | None = None
    starred: bool | None = None


def _account(row: sqlite3.Row) -> Account:
    return Account(
        id=row["id"],
        name=row["name"],
        kind=AccountKind(row["kind"]),
        base_url=row["base_url"],
        username=row["username"],
        settings=json.loads(row["settings"] or "{}"),
        added_at=row["added_at"],
        synced_at=row["synced_at"],
        last_error=row["last_error"],
        cursor=json.loads(row["cursor"] or "{}"),
        pending=row["pending"],
        subscriptions=row["subscriptions"],
        articles=row["articles"],
    )


_ACCOUNT_SQL = (
    "SELECT a.*, (SELECT count(*) FROM outbox o JOIN remote_items r ON r.article_id = o.article_id"
    " WHERE r.account_id = a.id) + (SELECT count(*) FROM subscription_outbox so WHERE so.account_id = a.id)"
    " AS pending,"
    " (SELECT count(*) FROM sources s WHERE s.account_id = a.id) AS subscriptions,"
    " (SELECT count(*) FROM remote_items r WHERE r.account_id = a.id) AS articles FROM accounts a"
)


class AccountReads:
    """The reads of accounts, run on the store's connection (see :attr:`Store.accounts`)."""

    def __init__(self, read: Reader) -> None:
        self._read = read

    def all(self) -> list[Account]:
        """Every account, in the order they were added."""
        return [_account(row) for row in self._read(f"{_ACCOUNT_SQL} ORDER BY a.id", ())]

    def named(self, name: str) -> Account | None:
        """The account called ``name``, or ``None``."""
        rows = self._read(f"{_ACCOUNT_SQL} WHERE a.name = ?", (name,))
        return _account(rows[0]) if rows else None

    def pending(self, account_id: int, limit: int = 10_000) -> list[PendingChange]:
        """The account's outbox, oldest change first."""
        rows = self._read(
            "SELECT o.article_id, r.item_id, o.field, o.value FROM outbox o JOIN remote_items r"
            " ON r.article_id = o.article_id WHERE r.account_id = ? ORDER BY o.queued_at LIMIT ?",
            (account_id, limit),
        )
        return [PendingChange(row[0], row[1], Field(row[2]), bool(row[3])) for row in rows]

    def subscriptions(self, account_id: int) -> dict[str, int]:
        """The account's sources the server has, by its feed id."""
        rows = self._read(
            "SELECT remote_id, id FROM sources WHERE account_id = ? AND remote_id IS NOT NULL", (account_id,)
        )
        return {row[0]: int(row[1]) for row in rows}

    def feeds(self, account_id: int) -> list[Subscription]:
        """The account's subscriptions in the cache (those made here and not yet pushed too), by title."""
        rows = self._read(
            "SELECT s.id, s.remote_id, s.title, s.feed_url, s.site_url,"
            " (SELECT count(*) FROM articles a WHERE a.source_id = s.id) FROM sources s WHERE s.account_id = ?"
            " ORDER BY coalesce(s.title, s.feed_url, s.remote_id) COLLATE NOCASE, s.id",
            (account_id,),
        )
        return [Subscription(int(r[0]), r[1], r[2], r[3], r[4], int(r[5])) for r in rows]

    def pending_subscriptions(self, account_id: int) -> list[PendingSubscription]:
        """The account's subscription outbox, oldest first."""
        rows = self._read(
            "SELECT feed, subscribed, feed_url, title FROM subscription_outbox WHERE account_id = ? ORDER BY queued_at",
            (account_id,),
        )
        return [PendingSubscription(row[0], bool(row[1]), row[2], row[3]) for row in rows]

    def known_items(self, account_id: int, item_ids: Sequence[str]) -> dict[str, str]:
        """The content hash of each of ``item_ids`` already cached, by item id."""
        found: dict[str, str] = {}
        for start in range(0, len(item_ids), _CHUNK):
            chunk = list(item_ids[start : start + _CHUNK])
            rows = self._read(
                "SELECT r.item_id, a.content_hash FROM remote_items r JOIN articles a ON a.id = r.article_id"
                f" WHERE r.account_id = ? AND r.item_id IN ({','.join('?' * len(chunk))})",
                (account_id, *chunk),
            )
            found.update((row[0], row[1]) for row in rows)
        return found


class SyncTransaction(SubscriptionWrites):
    """A write transaction with what a sync writes besides articles (see :meth:`Store.syncing`)."""

    # -- accounts --------------------------------------------------------------------------------

    def add_account(self, name: str, kind: AccountKind, base_url: str, username: str, settings: dict[str, Any]) -> int:
        """Add an account; returns its id."""
        cursor = self._db.execute(
            "INSERT INTO accounts (name, kind, base_url, username, settings, added_at) VALUES (?, ?, ?, ?, ?, ?)",
            (name, str(kind), base_url, username, json.dumps(settings), time.time()),
        )
        return int(cursor.lastrowid or 0)

    def remove_account(self, account_id: int) -> int:
        """Delete an account, its subscriptions and their articles; returns how many articles went."""
        removed = 0
        for (source_id,) in self._db.execute("SELECT id FROM sources WHERE account_id = ?", (account_id,)).fetchall():
            removed += self.remove_source(int(source_id))
        self._db.execute("DELETE FROM remote_items WHERE account_id = ?", (account_id,))
        self._db.execute("DELETE FROM accounts WHERE id = ?", (account_id,))
        return removed

    def set_cursor(self, account_id: int, cursor: dict[str, Any]) -> None:
        """Keep where the sync has come to (committed with what it wrote up to there)."""
        self._db.execute("UPDATE accounts SET cursor = ? WHERE id = ?", (json.dumps(cursor), account_id))

    def record_sync(self, account_id: int, error: str | None) -> None:
        """Note a sync's end: its error, or its success now."""
        if error is None:
            self._db.execute(
                "UPDATE accounts SET synced_at = ?, last_error = NULL WHERE id = ?", (time.time(), account_id)
            )
        else:
            self._db.execute("UPDATE accounts SET last_error = ? WHERE id = ?", (error, account_id))

    # -- articles and their state ----------------------------------------------------------------

    def save_remote(self, account_id: int, source_id: int, item: RemoteArticle) -> tuple[SaveOutcome, int]:
        """Save an item as an article of ``source_id``, with the server's state unless a change here is pending.

        Returns what saving the article did, and how many of its flags the server's state changed.
        """
        outcome = self.save_article(source_id, item.article, item.content_hash)
        article_id = item.article.id
        self._db.execute(
            "INSERT INTO remote_items (article_id, account_id, item_id) VALUES (?, ?, ?)"
            " ON CONFLICT (article_id) DO NOTHING",
            (article_id, account_id, item.item_id),
        )
        flags = 0
        for changed, value in ((Field.READ, item.read), (Field.STARRED, item.starred)):
            if value is not None:
                flags += self._db.execute(
                    f"UPDATE articles SET {changed} = ? WHERE id = ? AND {changed} != ? AND NOT EXISTS"
                    " (SELECT 1 FROM outbox WHERE article_id = ? AND field = ?)",
                    (int(value), article_id, int(value), article_id, str(changed)),
                ).rowcount
        return outcome, flags if outcome is not SaveOutcome.ADDED else 0

    def pushed(self, changes: Iterable[PendingChange]) -> int:
        """Take pushed changes out of the outbox, unless a newer value was set meanwhile (it is pushed next)."""
        return sum(
            self._db.execute(
                "DELETE FROM outbox WHERE article_id = ? AND field = ? AND value = ?",
                (change.article_id, str(change.field), int(change.value)),
            ).rowcount
            for change in changes
        )

    def apply_remote_ids(self, account_id: int, changed: Field, listed_means: bool) -> int:
        """Set ``changed`` on every article of the account from the ids staged by :meth:`Store.stage_remote_ids`.

        An article listed gets ``listed_means``, any other the opposite: the server's state, except where a
        change made here is still in the outbox (that one wins). Returns how many articles changed.
        """
        listed, other = int(listed_means), int(not listed_means)
        return int(
            self._db.execute(
                f"UPDATE articles SET {changed} = x.value FROM (SELECT r.article_id AS id,"
                " CASE WHEN s.item_id IS NULL THEN ? ELSE ? END AS value FROM remote_items r"
                " LEFT JOIN temp.staged_ids s ON s.item_id = r.item_id WHERE r.account_id = ?"
                " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.article_id = r.article_id AND o.field = ?)) AS x"
                f" WHERE articles.id = x.id AND articles.{changed} != x.value",
                (other, listed, account_id, str(changed)),
            ).rowcount
        )

    def unknown_staged_ids(self, account_id: int, limit: int) -> list[str]:
        """Staged item ids the cache has no article for (the server has items the item pages did not bring)."""
        rows = self._db.execute(
            "SELECT s.item_id FROM temp.staged_ids s WHERE NOT EXISTS (SELECT 1 FROM remote_items r"
            " WHERE r.account_id = ? AND r.item_id = s.item_id) LIMIT ?",
            (account_id, limit),
        )
        return [row[0] for row in rows]


def stage_ids(db: sqlite3.Connection, pages: Iterable[Iterable[str]]) -> int:
    """Fill the connection's temporary table of item ids from ``pages`` (replacing what it held); returns how many.

    It lives in the temporary database, so filling it (as pages arrive from a server) locks nothing in the
    cache; :meth:`SyncTransaction.apply_remote_ids` then reads it in a short transaction.
    """
    db.execute("CREATE TEMP TABLE IF NOT EXISTS staged_ids (item_id TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("DELETE FROM temp.staged_ids")
    for page in pages:
        db.executemany("INSERT OR IGNORE INTO temp.staged_ids (item_id) VALUES (?)", ((item,) for item in page))
    return int(db.execute("SELECT count(*) FROM temp.staged_ids").fetchone()[0])
