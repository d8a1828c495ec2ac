"""Syncing accounts on news servers: push the outbox, then pull subscriptions, new articles and state.

Offline first: reading, starring, subscribing and unsubscribing write the cache and its outboxes only (see
:func:`pozirk_reader.core.store.accounts.queue_changes` and :mod:`pozirk_reader.core.store.subscriptions`); a
sync pushes them (subscriptions first; what the server took leaves them, in the order it was queued), then
asks the server for its subscriptions (the articles need their feeds), the items added since the cursor
(oldest first, a page at a time, each page written with the cursor that follows it, so a sync cut short
resumes where it stopped), and the unread and starred ids. The rule for a
conflict: a change made here and not yet pushed wins; otherwise the server's state. Nothing a sync cut short
had written is lost, and a failed push keeps its outbox.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Full, Queue
from typing import TypeVar

from pozirk_reader.core.config import AccountSettings
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.store.accounts import Account, RemoteArticle, RemoteFeed
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import SaveOutcome
from pozirk_reader.core.sync.client import Client, RemoteItem
from pozirk_reader.core.sync.connect import client_for
from pozirk_reader.core.sync.http import Refused
from pozirk_reader.core.sync.items import to_article

log = logging.getLogger(__name__)
T = TypeVar("T")

PAGE_SIZE = 250
"""Items asked for in one page (the Google Reader API; Fever's pages are 50)."""

PUSH_BATCH = 1000
"""Outbox rows pushed before they are taken out of it (a push cut short repeats at most this many)."""

MISSING_PER_SYNC = 1000
"""Items an id list names that the cache lacks, fetched by id in one sync (the rest in the next)."""


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a sync is: the account, the step ("pushing", "subscriptions", "articles", "state", "links"), a count
    so far."""

    account: str
    step: str
    done: int = 0


Progress = Callable[[SyncProgress], None]


@dataclass
class SyncReport:
    """What syncing one account did, for its one line."""

    account: str
    pushed: int = 0
    added: int = 0
    updated: int = 0
    changed_state: int = 0
    new_feeds: list[str] = field(default_factory=list)
    gone_feeds: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """Subscriptions made here that the server would not take (each dropped, with why)."""
    pending: int = 0
    requests: int = 0
    received: int = 0
    seconds: float = 0.0
    error: str | None = None

    @property
    def line(self) -> str:
        """One line: what came and went, or the error and what is kept."""
        if self.error:
            kept = f" — {self.pending:,} changes kept to push next time" if self.pending else ""
            return f"{self.error}{kept}"
        parts = [f"{self.added:,} new articles"]
        if self.updated:
            parts.append(f"{self.updated:,} updated")
        parts.append(f"{self.pushed:,} changes pushed")
        parts.append(f"{self.changed_state:,} read/starred from the server")
        if self.new_feeds:
            parts.append(f"{len(self.new_feeds)} new subscriptions")
        if self.gone_feeds:
            parts.append(f"{len(self.gone_feeds)} unsubscribed")
        if self.refused:
            parts.append(f"{len(self.refused)} not subscribed ({self.refused[0]})")
        return f"{self.account}: " + ", ".join(parts)


def sync(
    store: Store,
    names: Iterable[str] | None = None,
    *,
    configured: Mapping[str, AccountSettings] | None = None,
    environ: Mapping[str, str] | None = None,
    page_size: int = PAGE_SIZE,
    progress: Progress | None = None,
    clients: Callable[[Account], Client] | None = None,
) -> list[SyncReport]:
    """Sync the named accounts (default: all), one after another; a report each, errors in them (never raised).

    ``clients`` makes an account's client (default: its API's, with the credentials beside the cache).
    """
    wanted = list(names) if names is not None else None
    accounts = store.accounts.all()
    if wanted is not None:
        unknown = [name for name in wanted if name not in {account.name for account in accounts}]
        if unknown:
            raise ReaderError(f"no account named {unknown[0]!r} (see `pozirk-reader accounts list`)")
        accounts = [account for account in accounts if account.name in wanted]
    make = clients or (lambda account: client_for(account, store.path, configured or {}, environ))
    with store.bulk_writes():
        return [sync_account(store, account, make, page_size, progress) for account in accounts]


def sync_account(
    store: Store, account: Account, make: Callable[[Account], Client], page_size: int, progress: Progress | None
) -> SyncReport:
    """Sync one account (see the module's docstring); its errors end up in the report, in one line."""
    report = SyncReport(account.name)
    started = time.monotonic()
    client: Client | None = None
    try:
        client = make(account)
        _Sync(store, account, client, report, page_size, progress).run()
    except ReaderError as error:
        report.error = str(error)
        log.warning("sync of %s failed: %s", account.name, error)
    finally:
        if client is not None:
            report.requests, report.received = client.traffic.requests, client.traffic.received
            client.close()
        report.seconds = time.monotonic() - started
        with store.syncing() as tx:
            tx.record_sync(account.id, report.error)
        remaining = store.accounts.named(account.name)
        report.pending = remaining.pending if remaining else 0
    if report.error is None:
        log.info("%s (%d requests, %d bytes)", report.line, report.requests, report.received)
    return report


class _Sync:
    """The steps of one account's sync."""

    def __init__(
        self, store: Store, account: Account, client: Client, report: SyncReport, page: int, progress: Progress | None
    ) -> None:
        self.store = store
        self.account = account
        self.client = client
        self.report = report
        self.page_size = page
        self.progress = progress or (lambda _: None)
        self.feeds: dict[str, int] = {}
        self.titles: dict[str, str | None] = {}
        self.changed: list[str] = []
        """The articles written so far, whose links are near-matched once at the end."""

    def run(self) -> None:
        """Push, then pull; the "see also" links of what was written are near-matched once, at the end (also
        when the sync stopped half-way, for the pages already written): page by page, that near matching
        against a growing cache was half the first sync's time."""
        try:
            self.client.login()
            self.push()
            self.subscriptions()
            self.new_articles()
            self.state()
        finally:
            if self.changed:
                self.progress(SyncProgress(self.account.name, "links"))
                self.store.resolve_near_matches(self.changed)

    def push(self) -> None:
        """Send the outbox, a batch at a time; what the server took leaves it."""
        self.push_subscriptions()
        while changes := self.store.accounts.pending(self.account.id, PUSH_BATCH):
            self.progress(SyncProgress(self.account.name, "pushing", self.report.pushed))
            self.client.push(changes)
            with self.store.syncing() as tx:
                tx.pushed(changes)
            self.report.pushed += len(changes)
            if len(changes) < PUSH_BATCH:
                break

    def push_subscriptions(self) -> None:
        """Subscribe and unsubscribe as was done here; what the server already has as meant is not sent again
        (a push cut short is repeated), and a feed the server will not take is dropped here, saying why."""
        changes = self.store.accounts.pending_subscriptions(self.account.id)
        if not changes:
            return
        self.progress(SyncProgress(self.account.name, "pushing subscriptions"))
        listed = self.client.feeds()
        by_url = {feed.feed_url: feed.remote_id for feed in listed if feed.feed_url}
        remote_ids = {feed.remote_id for feed in listed}
        for change in changes:
            remote_id: str | None = None
            try:
                if change.subscribed and change.feed_url:
                    remote_id = by_url.get(change.feed_url) or self.client.subscribe(change.feed_url, change.title)
                elif not change.subscribed and change.feed in remote_ids:
                    self.client.unsubscribe(change.feed)
            except Refused as error:
                self.report.refused.append(str(error).removeprefix(f"{self.account.name}: "))
                with self.store.syncing() as tx:
                    tx.subscription_refused(self.account.id, change)
                continue
            with self.store.syncing() as tx:
                tx.subscription_pushed(self.account.id, self.account.location_prefix, change, remote_id)
            self.report.pushed += 1

    def subscriptions(self) -> None:
        """Add the server's new subscriptions as sources, keep titles current, drop those unsubscribed there."""
        self.progress(SyncProgress(self.account.name, "subscriptions"))
        listed = self.client.feeds()
        known = self.store.accounts.subscriptions(self.account.id)
        with self.store.syncing() as tx:
            for feed in listed:
                source_id = tx.ensure_subscription(self.account.id, self.account.location_prefix, feed)
                if source_id is None:  # unsubscribed here since the push
                    continue
                self.feeds[feed.remote_id] = source_id
                self.titles[feed.remote_id] = feed.title
                if feed.remote_id not in known:
                    self.report.new_feeds.append(feed.title or feed.feed_url or feed.remote_id)
            self.report.gone_feeds = tx.drop_subscriptions(self.account.id, self.feeds)

    def new_articles(self) -> None:
        """Pull the items added since the cursor, a page at a time, each page written with its cursor."""
        cursor = dict(self.account.cursor)
        pages = self.client.new_items(dict(cursor.get("items") or {}), self.page_size, self._unknown)
        for page in prefetched(pages):
            cursor["items"] = page.cursor
            self._save(page.items, cursor)
            self.progress(SyncProgress(self.account.name, "articles", self.report.added + self.report.updated))

    def _unknown(self, item_ids: list[str]) -> list[str]:
        known = self.store.accounts.known_items(self.account.id, item_ids)
        return [item for item in item_ids if item not in known]

    def state(self) -> None:
        """Take the server's unread and starred ids; fetch the items they name that the cache lacks."""
        for id_list in self.client.id_lists():
            self.progress(SyncProgress(self.account.name, "state"))
            self.store.stage_remote_ids(id_list.pages)
            with self.store.syncing() as tx:
                missing = tx.unknown_staged_ids(self.account.id, MISSING_PER_SYNC)
            if missing:
                self._save([item for item in self.client.items(missing) if item.feed_id in self.feeds], None)
            with self.store.syncing() as tx:
                self.report.changed_state += tx.apply_remote_ids(self.account.id, id_list.field, id_list.listed_means)

    def _save(self, items: list[RemoteItem], cursor: dict[str, object] | None) -> None:
        """Write items as articles (read before the transaction, so it stays short), and the cursor with them."""
        converted: list[RemoteArticle] = []
        for item in items:
            remote = to_article(self.account.key, item, self.titles.get(item.feed_id))
            if remote is not None:
                converted.append(remote)
        with self.store.syncing() as tx:
            changed: list[str] = []
            for remote in converted:
                source_id = self.feeds.get(remote.feed_id)
                if source_id is None:  # subscribed on the server since its list was read (or unsubscribed here)
                    feed = RemoteFeed(remote.feed_id, remote.article.source_name, None)
                    source_id = tx.ensure_subscription(self.account.id, self.account.location_prefix, feed)
                    if source_id is None:
                        continue
                    self.feeds[remote.feed_id] = source_id
                outcome, flags = tx.save_remote(self.account.id, source_id, remote)
                self.report.changed_state += flags
                if outcome is SaveOutcome.ADDED:
                    self.report.added += 1
                elif outcome is SaveOutcome.UPDATED:
                    self.report.updated += 1
                if outcome is not SaveOutcome.UNCHANGED:
                    changed.append(remote.article.id)
            tx.resolve_links(changed, near=False)
            if cursor is not None:
                tx.set_cursor(self.account.id, cursor)
        self.changed.extend(changed)


def prefetched(pages: Iterator[T]) -> Iterator[T]:
    """``pages``, the next one fetched in a thread while the caller writes this one (at most two held at once)."""
    queue: Queue[tuple[str, object]] = Queue(maxsize=1)
    stop = threading.Event()

    def offer(item: tuple[str, object]) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for page in pages:
                if not offer(("page", page)):
                    return
            offer(("end", None))
        except BaseException as error:  # handed to the caller, raised there
            offer(("error", error))

    thread = threading.Thread(target=produce, name="sync-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = queue.get()
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(value, BaseException)
                raise value
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        with contextlib.suppress(Empty):
            queue.get_nowait()
        thread.join()


def tokens_of(store: Store) -> Path:
    """The token folder of a store's accounts (beside its cache)."""
    from pozirk_reader.core.sync.connect import tokens_dir

    return tokens_dir(store.path)
