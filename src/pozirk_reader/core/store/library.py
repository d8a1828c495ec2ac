"""The offline cache: one SQLite file holding sources, articles, links, reading state and history.

A :class:`Store` owns one connection (see :mod:`pozirk_reader.core.store.database`) and serialises its
use with a lock, so Textual thread workers may share it. Its methods read the library; writes go through
:meth:`Store.writing`, a ``BEGIN IMMEDIATE`` transaction with typed methods
(:class:`~pozirk_reader.core.store.writing.WriteTransaction`), or through the few one-statement writes
of reading state here. Search queries run through :attr:`Store.search_index`.

Writers share the cache: a write waiting for another connection's transaction tries for
:data:`WRITE_WAIT_SLICE_S` at a time and lets this store's reads run between tries (so a reader
never freezes behind its own pending write), for :data:`~pozirk_reader.core.store.database.BUSY_TIMEOUT_S`
in all. After a write fails for want of disk space (or an I/O error), the write-ahead log is
checkpointed before the next write, so the space the log held is used again as soon as the disk has room.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pozirk_reader.core.article.model import RelatedLink
from pozirk_reader.core.store.database import (
    BULK_CACHE_KIB,
    BUSY_TIMEOUT_S,
    StoreError,
    cache_path,
    describe,
    open_connection,
    open_for_reading,
    quick_check,
)
from pozirk_reader.core.store.inline_links import READ_INLINE_LINKS
from pozirk_reader.core.store.kept_counts import StemCounts, UnreadCount
from pozirk_reader.core.store.links import find_near_links, find_near_targets, near_match_plan
from pozirk_reader.core.store.outbox import Field, queue_changes
from pozirk_reader.core.store.read_models import (
    Headline,
    KnownFile,
    OpenedArticle,
    ResolvedLink,
    Source,
    SourceKind,
    SourceSummary,
    StoredArticle,
    article_from_row,
    headline_columns,
)
from pozirk_reader.core.store.search_index import SearchIndex
from pozirk_reader.core.store.writing import WriteTransaction

if TYPE_CHECKING:  # the accounts' module (and the subscriptions' it builds on) is imported when they are used
    from pozirk_reader.core.store.accounts import AccountReads, SyncTransaction
    from pozirk_reader.core.web.feed_entry import KnownItem

__all__ = ["Store", "StoreError"]

_SOURCE_COLUMNS = (
    "s.id, s.kind, s.location, s.title, s.refreshed_at, s.last_error,"
    " (SELECT count(*) FROM articles a WHERE a.source_id = s.id), s.site_url, s.etag, s.last_modified,"
    " s.checked_at, s.last_warning, s.display_name"
)
"""The columns :meth:`Source.from_row` reads, in its fields' order."""

_HEADLINE_COLUMNS = headline_columns("articles")
_HEADLINE_COLUMNS_OF_A = headline_columns("a")
"""The same columns, of a table aliased ``a``."""

A = TypeVar("A")
T = TypeVar("T")

NEAR_MATCH_CHUNK = 50
"""Links (or changed articles) near-matched in one transaction of :meth:`Store.resolve_near_matches`."""

WRITE_WAIT_SLICE_S = 0.05
"""A write kept waiting by another connection's transaction tries again after this long, the connection free meanwhile."""

_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
_NO_ROOM_CODES = (10, 13)  # SQLITE_IOERR, SQLITE_FULL (primary codes)


class Store:
    """The SQLite cache. Open with :meth:`open`; every method is safe to call from any thread."""

    def __init__(self, connection: sqlite3.Connection, path: Path, recovered_to: Path | None = None) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.path = path
        self.recovered_to = recovered_to
        """Where a damaged cache was moved when this one was opened, else ``None``."""
        self._checkpoint_due = False
        """Whether a write failed for want of room: the log is checkpointed before the next one."""
        self._bulk = 0
        self._usual_cache: int | None = None
        self._index_writes = 0
        """This connection's write transactions that may have changed the search index."""
        self._unread = UnreadCount()
        self._unread_change: int | None = None
        """How the write transaction under way changed the unread count, if it says (else ``None``: unknown)."""
        self.search_index = SearchIndex(self._read, self._index_version, StemCounts())
        """The search queries (ranked, counted, listed; "more like this"), run on this store's connection."""

    @functools.cached_property
    def accounts(self) -> AccountReads:
        """The accounts on news servers, their subscriptions and outbox (see :mod:`.accounts`)."""
        from pozirk_reader.core.store.accounts import AccountReads

        return AccountReads(self._read)

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, check: bool = True, read_only: bool = False) -> Store:
        """Open (creating if needed) the cache at ``path`` (default: in the data directory).

        With ``check``, a cache that fails ``PRAGMA quick_check`` is moved aside first.
        """
        target = Path(path) if path else cache_path()
        connection, recovered = open_connection(target, read_only, check)
        return cls(connection, target, recovered)

    @classmethod
    def open_for_reading(cls, path: str | os.PathLike[str] | None = None) -> Store:
        """Open the cache for commands that only read it: as :meth:`open` does, or read-only where it must be.

        A cache on a read-only mount, or one this user may not write, is read as it is (nothing
        migrated or repaired); any other error is raised as :meth:`open` raises it.
        """
        target = Path(path) if path else cache_path()
        connection, recovered = open_for_reading(target)
        return cls(connection, target, recovered)

    def integrity_problem(self) -> str | None:
        """Run ``PRAGMA quick_check`` on a connection of its own; the first problem found, or ``None``.

        The reader opens the cache without the check (it reads the whole file) and runs
        this in the background instead.
        """
        return quick_check(self.path)

    @property
    def recovery_message(self) -> str | None:
        """One line saying where a damaged cache went, if one was moved aside on opening."""
        if self.recovered_to is None:
            return None
        return f"the cache {self.path} was damaged: moved it to {self.recovered_to} and started a fresh one"

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[WriteTransaction]:
        """A ``BEGIN IMMEDIATE`` write transaction: all of it commits, or none of it.

        Raises :class:`StoreError` (one line) if the cache cannot be written.
        """
        with self._transaction() as db:
            transaction = WriteTransaction(db)
            yield transaction
            transaction._check_finished()

    @contextlib.contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """A scope of many writes (a refresh, an import, a sync): the connection keeps up to
        :data:`~.database.BULK_CACHE_KIB` of pages meanwhile, and gives them back after (scopes may nest)."""
        with self._lock:
            if self._bulk == 0:
                self._usual_cache = int(self._db.execute("PRAGMA cache_size").fetchone()[0])
                self._db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            self._bulk += 1
        try:
            yield
        finally:
            with self._lock:
                self._bulk -= 1
                if self._bulk == 0:
                    self._db.execute(f"PRAGMA cache_size = {self._usual_cache}")

    @contextlib.contextmanager
    def syncing(self) -> Iterator[SyncTransaction]:
        """A write transaction as :meth:`writing`, with the writes of a sync too (accounts, item ids, outbox)."""
        from pozirk_reader.core.store.accounts import SyncTransaction

        with self._transaction() as db:
            transaction = SyncTransaction(db)
            yield transaction
            transaction._check_finished()

    def stage_remote_ids(self, pages: Iterable[Iterable[str]]) -> int:
        """Stage item ids (a server's unread or starred list, page by page) for
        :meth:`SyncTransaction.apply_remote_ids`, on this connection; returns how many.

        Pages are read from ``pages`` with the store unlocked, so a slow server blocks no one.
        """

        from pozirk_reader.core.store.accounts import stage_ids

        def locked() -> Iterator[list[str]]:
            for page in pages:
                items = list(page)
                with self._lock:
                    yield items

        with self._lock:
            try:
                return stage_ids(self._db, locked())
            except sqlite3.Error as error:
                raise StoreError(describe(error, self.path)) from error

    @contextlib.contextmanager
    def _transaction(self, *, keeps_index: bool = False) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction on the connection itself (the store's own, and tests').

        ``keeps_index``: the writes cannot change the search index (nor the articles' text). The body
        may say how it changed the unread count (``self._unread_change``); unless it does, the kept count
        is forgotten (see :mod:`~pozirk_reader.core.store.kept_counts`).
        """
        self._begin()
        self._unread_change = None
        committed = False
        try:
            yield self._db
            self._db.execute("COMMIT")
            committed = True
        except BaseException as error:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                self._failed_write(error)
                raise StoreError(describe(error, self.path)) from error
            raise
        finally:
            if not keeps_index:
                self._index_writes += 1
            self._unread.after_write(self._unread_change if committed else None)
            self._lock.release()

    def _data_version(self) -> int:
        """``PRAGMA data_version``: changes whenever another connection (of any process) commits to the cache."""
        return int(self._read("PRAGMA data_version")[0][0])

    def _index_version(self) -> tuple[int, int] | None:
        """What the search index's kept counts are valid for: other connections' commits and this one's writes
        that may have changed it; ``None`` inside a transaction (nothing is kept from one)."""
        with self._lock:
            if self._db.in_transaction:
                return None
            return self._data_version(), self._index_writes

    def _begin(self) -> None:
        """Begin a write transaction and return holding the connection's lock.

        While another connection writes, each try waits :data:`WRITE_WAIT_SLICE_S` and then lets
        go of the lock, so reads on this store go on; after :data:`BUSY_TIMEOUT_S` the write gives up.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            self._lock.acquire()
            try:
                if self._checkpoint_due:
                    self._checkpoint()
                self._db.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT_SLICE_S * 1000)}")
                try:
                    self._db.execute("BEGIN IMMEDIATE")
                finally:
                    self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                return
            except sqlite3.Error as error:
                self._lock.release()
                if _code(error) not in _BUSY_CODES or time.monotonic() >= deadline:
                    if _code(error) in _NO_ROOM_CODES:
                        self._checkpoint_due = True
                    raise StoreError(describe(error, self.path)) from error
            except BaseException:
                self._lock.release()
                raise

    def resolve_near_matches(self, changed: Collection[str], chunk: int = NEAR_MATCH_CHUNK) -> int:
        """Near-match the links the articles ``changed`` left unresolved, and those they may now answer.

        For long work that wrote its batches with ``resolve_links(near=False)``: the plan is read first,
        then ``chunk`` links or articles at a time are weighed by reads outside any transaction (difflib's
        time holds no lock), and what was found is written in a short transaction, so other writers (a
        star, another import) wait a moment at most. Returns how many links resolved.
        """
        if not changed:
            return 0
        links, as_targets = self._read_with(near_match_plan, changed)
        resolved = 0
        for start in range(0, len(links), chunk):
            part = links[start : start + chunk]
            found = self._read_with(find_near_links, part)
            with self.writing() as tx:
                resolved += tx.set_near_targets(found)
        if as_targets:
            articles = list(changed)
            for start in range(0, len(articles), chunk):
                some = articles[start : start + chunk]
                found = self._read_with(find_near_targets, some)
                with self.writing() as tx:
                    resolved += tx.set_near_targets(found)
        return resolved

    def _read_with(self, reading: Callable[[sqlite3.Connection, A], T], argument: A) -> T:
        """``reading(connection, argument)``, outside any transaction, with errors as :class:`StoreError`."""
        with self._lock:
            try:
                return reading(self._db, argument)
            except sqlite3.Error as error:
                raise StoreError(describe(error, self.path)) from error

    def _failed_write(self, error: sqlite3.Error) -> None:
        """After a write failed: if for want of room (or an I/O error), checkpoint now and before the next write."""
        if _code(error) in _NO_ROOM_CODES:
            self._checkpoint_due = True
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the write-ahead log into the cache file and empty it, if no reader holds it (never waits long)."""
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(WRITE_WAIT_SLICE_S * 1000)}")
            try:
                busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        except sqlite3.Error:
            return
        self._checkpoint_due = bool(busy)

    def _read(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a query and return its rows, with errors as :class:`StoreError`."""
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise StoreError(describe(error, self.path)) from error

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """Run one write statement, on neither the articles nor their index, in its own transaction; returns the
        rows changed."""
        with self._transaction(keeps_index=True) as db:
            self._unread_change = 0
            return int(db.execute(sql, params).rowcount)

    # -- sources ---------------------------------------------------------------------------------

    def sources(self, kind: SourceKind | None = None, location: str | None = None) -> list[Source]:
        """Every source (of one ``kind``, or at one ``location``, if asked), with its article count."""
        where = []
        params: list[str] = []
        for column, value in (("kind", kind), ("location", location)):
            if value is not None:
                where.append(f"s.{column} = ?")
                params.append(value)
        rows = self._read(
            f"SELECT {_SOURCE_COLUMNS} FROM sources s{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY s.id",
            tuple(params),
        )
        return [Source.from_row(row) for row in rows]

    def source_summaries(self) -> list[SourceSummary]:
        """Every source with its unread and total articles and the name its articles give, by id."""
        width = len(dataclasses.fields(Source))
        rows = self._read(
            f"SELECT {_SOURCE_COLUMNS},"
            " (SELECT count(*) FROM articles a WHERE a.source_id = s.id AND a.read = 0),"
            " (SELECT a.source_name FROM articles a WHERE a.source_id = s.id AND a.source_name IS NOT NULL"
            "  GROUP BY a.source_name ORDER BY count(*) DESC, a.source_name LIMIT 1)"
            " FROM sources s ORDER BY s.id"
        )
        summaries = []
        for row in rows:
            source = Source.from_row(tuple(row[:width]))
            summaries.append(SourceSummary(source, int(row[width]), source.article_count, row[width + 1]))
        return summaries

    def set_display_name(self, source_id: int, name: str | None) -> bool:
        """Give a source a short name for the list (``None``: its own again); returns whether it exists."""
        return self._write("UPDATE sources SET display_name = ? WHERE id = ?", (name, source_id)) > 0

    def known_files(self, location: str) -> dict[str, KnownFile]:
        """What the cache knows of each file of the source at ``location``, by origin (empty for a new source)."""
        rows = self._read(
            "SELECT a.origin, a.file_mtime, a.file_size, a.gone, a.content_hash FROM articles a"
            " JOIN sources s ON s.id = a.source_id WHERE s.location = ?",
            (location,),
        )
        return {row[0]: KnownFile(row[1], row[2], bool(row[3]), row[4]) for row in rows}

    def known_items(self, source_id: int) -> dict[str, KnownItem]:
        """The source's entries the cache knows by their bytes' digest (see
        :data:`~pozirk_reader.core.store.schema.FEED_ITEMS`): what a refresh may leave unread."""
        from pozirk_reader.core.web.feed_entry import known_item

        rows = self._read(
            "SELECT raw_hash, feed_item FROM articles WHERE source_id = ? AND raw_hash IS NOT NULL"
            " AND feed_item IS NOT NULL",
            (source_id,),
        )
        items = (known_item(raw_hash, feed_item) for raw_hash, feed_item in rows)
        return dict(found for found in items if found is not None)

    def article_by_url(self, url: str) -> str | None:
        """The id of the newest article at ``url`` (its URL or origin), or ``None``."""
        rows = self._read(
            "SELECT id FROM articles WHERE url = ?1 OR origin = ?1 ORDER BY sort_key DESC LIMIT 1", (url,)
        )
        return rows[0][0] if rows else None

    # -- articles --------------------------------------------------------------------------------

    def get(self, article_id: str) -> StoredArticle | None:
        """One article with its state (and its related links and links in the text as written), or ``None``."""
        return self._get(article_id, self.related(article_id), self.inline_links(article_id))

    def _get(self, article_id: str, links: list[ResolvedLink], inline: list[ResolvedLink]) -> StoredArticle | None:
        """Read one article's row and attach ``links`` (and the links in its text) to it."""
        rows = self._read(
            "SELECT a.*, s.location AS source_location, s.kind AS source_kind, s.last_warning AS source_warning"
            " FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
            (article_id,),
        )
        if not rows:
            return None
        stored = article_from_row(rows[0])
        related = tuple(RelatedLink(link.title, link.url) for link in links)
        in_text = tuple(RelatedLink(link.title, link.url) for link in inline)
        return dataclasses.replace(stored, article=dataclasses.replace(stored.article, related=related, links=in_text))

    def open_article(self, article_id: str) -> OpenedArticle | None:
        """An article with its resolved links (see-also and in the text) and backlinks, as the reader shows it."""
        links = self.related(article_id)
        inline = self.inline_links(article_id)
        stored = self._get(article_id, links, inline)
        if stored is None:
            return None
        return OpenedArticle(stored, tuple(links), tuple(self.backlinks(article_id)), inline=tuple(inline))

    def find_ids(self, prefix: str, limit: int = 2) -> list[str]:
        """Article ids starting with ``prefix`` (for commands that take a shortened id)."""
        if not prefix or not all(c in "0123456789abcdef" for c in prefix.lower()):
            return []
        rows = self._read(
            "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT ?", (prefix.lower(), prefix.lower() + "g", limit)
        )
        return [row[0] for row in rows]

    def counts(self) -> tuple[int, int]:
        """How many articles there are, and how many of them are unread (each counted from an index)."""
        return self.count(), self.count(unread_only=True)

    def count(self, unread_only: bool = False) -> int:
        """How many articles the headline list holds (only unread ones, if asked: see :meth:`unread_count`)."""
        if unread_only:
            return self.unread_count()
        return int(self._read("SELECT count(*) FROM articles")[0][0])

    def headlines(self, offset: int = 0, limit: int = 50, unread_only: bool = False) -> list[Headline]:
        """A window of the headline list, newest first."""
        where = " WHERE read = 0" if unread_only else ""
        rows = self._read(
            f"SELECT {_HEADLINE_COLUMNS} FROM articles{where} ORDER BY sort_key DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [Headline.from_row(row) for row in rows]

    def headlines_by_id(self, article_ids: list[str]) -> list[Headline]:
        """The headline rows of the given articles (in no particular order)."""
        marks = ",".join("?" * len(article_ids))
        rows = self._read(f"SELECT {_HEADLINE_COLUMNS} FROM articles WHERE id IN ({marks})", tuple(article_ids))
        return [Headline.from_row(row) for row in rows]

    def position(self, article_id: str, unread_only: bool = False) -> int | None:
        """The row of ``article_id`` in the headline list, or ``None`` if it is not in it."""
        row = self._read("SELECT sort_key, read FROM articles WHERE id = ?", (article_id,))
        if not row or (unread_only and row[0][1]):
            return None
        unread = " AND read = 0" if unread_only else ""
        found = self._read(
            f"SELECT count(*) FROM articles WHERE (sort_key > ?1 OR (sort_key = ?1 AND id > ?2)){unread}",
            (row[0][0], article_id),
        )
        return int(found[0][0])

    def related(self, article_id: str) -> list[ResolvedLink]:
        """The article's "see also" links in order, each with its target in the cache if resolved."""
        rows = self._read(
            "SELECT r.position, r.title, r.url, r.target_id, t.title FROM related r"
            " LEFT JOIN articles t ON t.id = r.target_id WHERE r.article_id = ? ORDER BY r.position",
            (article_id,),
        )
        return [ResolvedLink(*row) for row in rows]

    def inline_links(self, article_id: str) -> list[ResolvedLink]:
        """The links in the article's text, in order, each with its target when an article at its URL is cached."""
        return [ResolvedLink(*row) for row in self._read(READ_INLINE_LINKS, (article_id,))]

    def backlinks(self, article_id: str) -> list[Headline]:
        """Articles whose "see also" links point here, newest first."""
        rows = self._read(
            f"SELECT DISTINCT {_HEADLINE_COLUMNS_OF_A}, a.sort_key FROM related r JOIN articles a ON a.id = r.article_id"
            " WHERE r.target_id = ? AND r.article_id != ? ORDER BY a.sort_key DESC, a.id DESC",
            (article_id, article_id),
        )
        return [Headline.from_row(row) for row in rows]

    def link_neighbours(self, article_ids: Collection[str]) -> dict[str, set[str]]:
        """For each of ``article_ids``, the cached articles its "see also" links point to and those whose
        links point to it (the edges of a story's thread)."""
        found: dict[str, set[str]] = {article_id: set() for article_id in article_ids}
        ids = list(found)
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                f"SELECT article_id, target_id FROM related WHERE target_id IS NOT NULL AND article_id != target_id"
                f" AND (article_id IN ({marks}) OR target_id IN ({marks}))",
                chunk + chunk,
            )
            for source, target in rows:
                if source in found:
                    found[source].add(target)
                if target in found:
                    found[target].add(source)
        return found

    # -- reading state and history ---------------------------------------------------------------

    def set_read(self, article_id: str, read: bool = True) -> bool:
        """Mark an article read or unread; returns whether it exists. An account's article queues the change
        for its server (in the same transaction)."""
        return self._set_flag(article_id, Field.READ, read)

    def set_starred(self, article_id: str, starred: bool = True) -> bool:
        """Star or unstar an article; returns whether it exists. An account's article queues the change too."""
        return self._set_flag(article_id, Field.STARRED, starred)

    def _set_flag(self, article_id: str, flag: Field, value: bool) -> bool:
        with self._transaction(keeps_index=True) as db:
            self._unread_change = 0
            was = db.execute(f"SELECT {flag} FROM articles WHERE id = ?", (article_id,)).fetchone()
            if was is None:
                return False
            db.execute(f"UPDATE articles SET {flag} = ? WHERE id = ?", (int(value), article_id))
            if flag == Field.READ:
                self._unread_change = int(not value) - int(was[0] == 0)
            queue_changes(db, [article_id], flag, value)
            return True

    def toggle_read(self, article_id: str) -> bool:
        """Mark an article unread if it is read, read if not, as the cache has it now; returns whether it exists.
        An account's article queues the change for its server (in the same transaction)."""
        return self._toggle_flag(article_id, Field.READ)

    def toggle_starred(self, article_id: str) -> bool:
        """Unstar an article if it is starred, star it if not, as the cache has it now; returns whether it exists.
        An account's article queues the change too."""
        return self._toggle_flag(article_id, Field.STARRED)

    def _toggle_flag(self, article_id: str, flag: Field) -> bool:
        with self._transaction(keeps_index=True) as db:
            self._unread_change = 0
            row = db.execute(f"UPDATE articles SET {flag} = 1 - {flag} WHERE id = ? RETURNING {flag}", (article_id,))
            now = row.fetchone()
            if now is None:
                return False
            if flag == Field.READ:
                self._unread_change = int(now[0] == 0) - int(now[0] == 1)  # it was 1 - now
            queue_changes(db, [article_id], flag, bool(now[0]))
            return True

    def record_opened(self, article_id: str, mark_read: bool = True) -> None:
        """Note that the article was opened now: last-opened time, read flag, and the reading history.

        An account's article that was unread queues "read" for its server (in the same transaction).
        """
        now = time.time()
        with self._transaction(keeps_index=True) as db:
            self._unread_change = 0
            was = db.execute("SELECT read FROM articles WHERE id = ?", (article_id,)).fetchone()
            if was is None:
                return
            if mark_read and not was[0]:
                self._unread_change = -1
            read = ", read = 1" if mark_read else ""
            db.execute(f"UPDATE articles SET last_opened = ?{read} WHERE id = ?", (now, article_id))
            db.execute("INSERT INTO history (article_id, opened_at) VALUES (?, ?)", (article_id, now))
            if mark_read and not was[0]:
                queue_changes(db, [article_id], Field.READ, True)

    def history(self, limit: int = 100) -> list[tuple[Headline, float]]:
        """The reading history, most recent first: each opening with its time."""
        rows = self._read(
            f"SELECT {_HEADLINE_COLUMNS_OF_A}, h.opened_at FROM history h JOIN articles a ON a.id = h.article_id"
            " ORDER BY h.seq DESC LIMIT ?",
            (limit,),
        )
        return [(Headline.from_row(row), float(row[-1])) for row in rows]

    def get_meta(self, key: str) -> Any:
        """A JSON value kept under ``key`` (e.g. the navigation history), or ``None``."""
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: Any) -> None:
        """Keep a JSON value under ``key``."""
        self._write(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )

    def unread_count(self) -> int:
        """How many articles are unread: counted (from an index, milliseconds at 100,000 articles) once, then kept
        while no other connection commits, and adjusted by this store's own read marks."""
        with self._lock:
            if self._db.in_transaction:
                return self._count_unread()
            version = self._data_version()
            kept = self._unread.get(version)
            if kept is None:
                kept = self._count_unread()
                self._unread.keep(version, kept)
            return kept

    def _count_unread(self) -> int:
        return int(self._read("SELECT count(*) FROM articles WHERE read = 0")[0][0])


def _code(error: sqlite3.Error) -> int | None:
    """The primary SQLite result code of an error (``SQLITE_BUSY`` is 5), or ``None`` if it has none."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return 5 if "locked" in str(error).lower() else None
    return int(code) & 0xFF
