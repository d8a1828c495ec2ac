"""An account's subscriptions in the cache: sources of kind ``subscription``, and the subscription outbox.

A feed the server lists becomes a source (:meth:`SubscriptionWrites.ensure_subscription`); one it no longer
lists goes with its articles. Subscribing and unsubscribing here write the source and an outbox row in one
transaction; a sync pushes the row, and a source subscribed to here gets the server's feed id then. A change
made here and not yet pushed wins over the server's list.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from pozirk_reader.core.store.read_models import SourceKind
from pozirk_reader.core.store.writing import WriteTransaction


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription as the server lists it."""

    remote_id: str
    title: str | None
    feed_url: str | None
    site_url: str | None = None


@dataclass(frozen=True, slots=True)
class PendingSubscription:
    """One row of the subscription outbox: subscribe to ``feed_url``, or unsubscribe from the server's ``feed``."""

    feed: str
    """The server's feed id (an unsubscribe), or the feed's URL (a subscribe: the server gives the id)."""
    subscribed: bool
    feed_url: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class Subscription:
    """An account's subscription in the cache: ``remote_id`` is ``None`` until the server has taken it."""

    source_id: int
    remote_id: str | None
    title: str | None
    feed_url: str | None
    site_url: str | None
    articles: int

    @property
    def name(self) -> str:
        return self.title or self.feed_url or self.remote_id or str(self.source_id)


class SubscriptionWrites(WriteTransaction):
    """The writes of an account's subscriptions (part of :class:`~pozirk_reader.core.store.accounts.SyncTransaction`)."""

    def ensure_subscription(self, account_id: int, location_prefix: str, feed: RemoteFeed) -> int | None:
        """The source of the account's feed ``feed.remote_id``, added if new and its title and URLs kept current.

        ``None`` for a feed unsubscribed here and not yet pushed (that change wins). A feed subscribed to here
        becomes the source made then (found by its URL).
        """
        if self._pending_subscription(account_id, feed.remote_id, subscribed=False):
            return None
        row = self._db.execute(
            "SELECT id FROM sources WHERE account_id = ? AND remote_id = ?", (account_id, feed.remote_id)
        ).fetchone()
        if row is None and feed.feed_url:
            row = self._db.execute(
                "SELECT id FROM sources WHERE account_id = ? AND remote_id IS NULL AND feed_url = ?",
                (account_id, feed.feed_url),
            ).fetchone()
            if row is not None:
                self._adopt(int(row[0]), location_prefix, feed.remote_id)
        if row is not None:
            self._db.execute(
                "UPDATE sources SET title = coalesce(?, title), feed_url = coalesce(?, feed_url),"
                " site_url = coalesce(?, site_url) WHERE id = ?",
                (feed.title, feed.feed_url, feed.site_url, row[0]),
            )
            return int(row[0])
        cursor = self._db.execute(
            "INSERT INTO sources (kind, location, title, added_at, account_id, remote_id, feed_url, site_url)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                str(SourceKind.SUBSCRIPTION),
                f"{location_prefix}{feed.remote_id}",
                feed.title,
                time.time(),
                account_id,
                feed.remote_id,
                feed.feed_url,
                feed.site_url,
            ),
        )
        return int(cursor.lastrowid or 0)

    def drop_subscriptions(self, account_id: int, keep: Iterable[str]) -> list[str]:
        """Remove the account's sources whose feed id is not in ``keep`` (unsubscribed on the server), but not
        those subscribed to here and not yet pushed."""
        kept = set(keep)
        gone: list[str] = []
        rows = self._db.execute(
            "SELECT id, remote_id, coalesce(title, location), feed_url FROM sources WHERE account_id = ?",
            (account_id,),
        )
        for source_id, remote_id, name, feed_url in rows.fetchall():
            waiting = remote_id is None and self._pending_subscription(account_id, feed_url, subscribed=True)
            if remote_id not in kept and not waiting:
                self._db.execute(
                    "DELETE FROM remote_items WHERE article_id IN (SELECT id FROM articles WHERE source_id = ?)",
                    (source_id,),
                )
                self.remove_source(int(source_id))
                gone.append(str(name))
        return gone

    def queue_subscribe(self, account_id: int, location_prefix: str, feed_url: str, title: str | None) -> int:
        """Subscribe here: a source for ``feed_url`` (its server's id to come) and its outbox row; returns the
        source. Subscribing again to a feed unsubscribed here and not yet pushed only takes that back."""
        row = self._db.execute(
            "SELECT feed, title FROM subscription_outbox WHERE account_id = ? AND subscribed = 0 AND feed_url = ?",
            (account_id, feed_url),
        ).fetchone()
        if row is not None:  # the server still has it: no change to push
            self._db.execute("DELETE FROM subscription_outbox WHERE account_id = ? AND feed = ?", (account_id, row[0]))
            feed = RemoteFeed(str(row[0]), title or row[1], feed_url)
            source = self.ensure_subscription(account_id, location_prefix, feed)
            assert source is not None
            return source
        cursor = self._db.execute(
            "INSERT INTO sources (kind, location, title, added_at, account_id, feed_url) VALUES (?, ?, ?, ?, ?, ?)",
            (str(SourceKind.SUBSCRIPTION), f"{location_prefix}{feed_url}", title, time.time(), account_id, feed_url),
        )
        self._queue_subscription(account_id, feed_url, True, feed_url, title)
        return int(cursor.lastrowid or 0)

    def queue_unsubscribe(self, source_id: int) -> int:
        """Unsubscribe here: delete the account's source and its articles, and queue the unsubscribe for the
        server (nothing, if the server never had it); returns how many articles went."""
        account_id, remote_id, feed_url, title = self._db.execute(
            "SELECT account_id, remote_id, feed_url, title FROM sources WHERE id = ?", (source_id,)
        ).fetchone()
        self._db.execute(
            "DELETE FROM remote_items WHERE article_id IN (SELECT id FROM articles WHERE source_id = ?)", (source_id,)
        )
        removed = self.remove_source(source_id)
        if remote_id is None:
            self._db.execute(
                "DELETE FROM subscription_outbox WHERE account_id = ? AND feed = ?", (account_id, feed_url)
            )
        else:
            self._queue_subscription(account_id, remote_id, False, feed_url, title)
        return removed

    def subscription_pushed(
        self, account_id: int, location_prefix: str, change: PendingSubscription, remote_id: str | None
    ) -> None:
        """Take a pushed subscription change out of the outbox (unless changed again meanwhile); a subscribe's
        source gets the server's id."""
        self._db.execute(
            "DELETE FROM subscription_outbox WHERE account_id = ? AND feed = ? AND subscribed = ?",
            (account_id, change.feed, int(change.subscribed)),
        )
        if change.subscribed and remote_id is not None:
            row = self._db.execute(
                "SELECT id FROM sources WHERE account_id = ? AND remote_id IS NULL AND feed_url = ?",
                (account_id, change.feed_url),
            ).fetchone()
            taken = self._db.execute(
                "SELECT 1 FROM sources WHERE account_id = ? AND remote_id = ?", (account_id, remote_id)
            ).fetchone()
            if row is not None and taken is None:
                self._adopt(int(row[0]), location_prefix, remote_id)

    def subscription_refused(self, account_id: int, change: PendingSubscription) -> None:
        """The server will not subscribe to the feed: forget the change and the source made for it here."""
        self._db.execute("DELETE FROM subscription_outbox WHERE account_id = ? AND feed = ?", (account_id, change.feed))
        if change.subscribed:
            for (source_id,) in self._db.execute(
                "SELECT id FROM sources WHERE account_id = ? AND remote_id IS NULL AND feed_url = ?",
                (account_id, change.feed_url),
            ).fetchall():
                self.remove_source(int(source_id))

    def _adopt(self, source_id: int, location_prefix: str, remote_id: str) -> None:
        self._db.execute(
            "UPDATE sources SET remote_id = ?, location = ? WHERE id = ?",
            (remote_id, f"{location_prefix}{remote_id}", source_id),
        )

    def _queue_subscription(
        self, account_id: int, feed: str, subscribed: bool, feed_url: str | None, title: str | None
    ) -> None:
        self._db.execute(
            "INSERT INTO subscription_outbox (account_id, feed, subscribed, feed_url, title, queued_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, feed) DO UPDATE SET subscribed = excluded.subscribed,"
            " feed_url = excluded.feed_url, title = excluded.title, queued_at = excluded.queued_at",
            (account_id, feed, int(subscribed), feed_url, title, time.time()),
        )

    def _pending_subscription(self, account_id: int, feed: str | None, subscribed: bool) -> bool:
        return feed is not None and (
            self._db.execute(
                "SELECT 1 FROM subscription_outbox WHERE account_id = ? AND feed = ? AND subscribed = ?",
                (account_id, feed, int(subscribed)),
            ).fetchone()
            is not None
        )
