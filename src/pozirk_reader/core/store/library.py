"""The offline cache: one SQLite file holding sources, articles, links, reading state and history.

A :class:`Store` owns one connection (WAL, ``synchronous=NORMAL``, a busy timeout) and
serialises its use with a lock, so Textual thread workers may share it. Writes run in
``BEGIN IMMEDIATE`` transactions. A cache that is not a database, or fails
``PRAGMA quick_check``, is moved aside (never deleted) and a fresh one is made.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pozirk_reader.core import paths
from pozirk_reader.core.article.headline_match import reverse, title_key
from pozirk_reader.core.article.model import Article, RelatedLink
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.search.engine import attach_index, index_article
from pozirk_reader.core.store.links import stage_links
from pozirk_reader.core.store.read_models import (
    Headline,
    OpenedArticle,
    ResolvedLink,
    Source,
    StoredArticle,
    article_from_row,
)
from pozirk_reader.core.store.schema import SCHEMA_VERSION, migrate, schema_version

PAGE_SIZE = 16384
"""Database page size for new caches: rows of ~3 KB fill 16 KiB pages well (4 KiB pages waste a quarter)."""

BUSY_TIMEOUT_S = 15.0
"""How long a write waits for another process's write to finish before giving up."""

_HEADLINE_COLUMNS = "id, title, source_name, published, place_time, read, starred, gone, language"
_HEADLINE_COLUMNS_OF_A = ", ".join(f"a.{column.strip()}" for column in _HEADLINE_COLUMNS.split(","))
"""The same columns, of a table aliased ``a``."""


class StoreError(ReaderError):
    """The cache could not be read or written; the message says why in one line."""


class Store:
    """The SQLite cache. Open with :meth:`open`; every method is safe to call from any thread."""

    def __init__(self, connection: sqlite3.Connection, path: Path, recovered_to: Path | None = None) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.path = path
        self.recovered_to = recovered_to
        """Where a damaged cache was moved when this one was opened, else ``None``."""

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, check: bool = True, read_only: bool = False) -> Store:
        """Open (creating if needed) the cache at ``path`` (default: in the data directory).

        With ``check``, a cache that fails ``PRAGMA quick_check`` is moved aside first.
        """
        target = Path(path) if path else paths.cache_path()
        recovered: Path | None = None
        try:
            if not read_only:
                target.parent.mkdir(parents=True, exist_ok=True)
            try:
                connection = _connect(target, read_only, check)
            except sqlite3.DatabaseError as error:
                if read_only or not _is_corruption(error):
                    raise
                recovered = _move_aside(target)
                connection = _connect(target, read_only, check)
        except (sqlite3.Error, OSError) as error:
            raise StoreError(_describe(error, target)) from error
        return cls(connection, target, recovered)

    def integrity_problem(self) -> str | None:
        """Run ``PRAGMA quick_check`` on a connection of its own; the first problem found, or ``None``.

        The reader opens the cache without the check (it reads the whole file) and runs
        this in the background instead.
        """
        try:
            connection = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
            try:
                rows = connection.execute("PRAGMA quick_check").fetchall()
            finally:
                connection.close()
        except sqlite3.DatabaseError as error:
            return str(error)
        return None if [tuple(row) for row in rows] == [("ok",)] else str(rows[0][0])

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
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` write transaction: all of it commits, or none of it."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StoreError(_describe(error, self.path)) from error
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as error:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise StoreError(_describe(error, self.path)) from error
                raise

    def _read(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a query and return its rows, with errors as :class:`StoreError`."""
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise StoreError(_describe(error, self.path)) from error

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        """Run one write statement in its own transaction; returns the rows changed."""
        with self.transaction() as db:
            return db.execute(sql, params).rowcount

    # -- sources ---------------------------------------------------------------------------------

    def ensure_source(self, db: sqlite3.Connection, kind: str, location: str, title: str | None = None) -> int:
        """The id of the source at ``location``, adding it if new (inside the caller's transaction)."""
        row = db.execute("SELECT id FROM sources WHERE location = ?", (location,)).fetchone()
        if row:
            return int(row[0])
        cursor = db.execute(
            "INSERT INTO sources (kind, location, title, added_at) VALUES (?, ?, ?, ?)",
            (kind, location, title, time.time()),
        )
        return int(cursor.lastrowid or 0)

    def sources(self, kind: str | None = None, location: str | None = None) -> list[Source]:
        """Every source (of one ``kind``, or at one ``location``, if asked), with its article count."""
        where = []
        params: list[str] = []
        for column, value in (("kind", kind), ("location", location)):
            if value is not None:
                where.append(f"s.{column} = ?")
                params.append(value)
        rows = self._read(
            "SELECT s.id, s.kind, s.location, s.title, s.refreshed_at, s.last_error,"
            " (SELECT count(*) FROM articles a WHERE a.source_id = s.id), s.site_url, s.etag, s.last_modified,"
            f" s.checked_at, s.last_warning FROM sources s{' WHERE ' + ' AND '.join(where) if where else ''}"
            " ORDER BY s.id",
            tuple(params),
        )
        return [Source(*row) for row in rows]

    def record_check(self, source_id: int, **state: Any) -> None:
        """Note a refresh of a source: its error (or success), warning, new validators, title and site.

        Takes the keyword arguments of the module's :func:`record_check`, in a transaction of its own.
        """
        with self.transaction() as db:
            record_check(db, source_id, **state)

    def remove_source(self, source_id: int) -> int:
        """Delete a source and its articles; returns how many articles went.

        Links from other articles to them become unresolved again, so they resolve anew if
        the articles come back.
        """
        with self.transaction() as db:
            rows = db.execute(
                "SELECT r.article_id, r.position, r.title FROM related r JOIN articles a ON a.id = r.target_id"
                " WHERE a.source_id = ? AND r.article_id NOT IN (SELECT id FROM articles WHERE source_id = ?)",
                (source_id, source_id),
            ).fetchall()
            for article_id, position, title in rows:
                key = title_key(title)
                db.execute(
                    "UPDATE related SET title_key = ?, title_rkey = ?, target_id = NULL"
                    " WHERE article_id = ? AND position = ?",
                    (key, reverse(key), article_id, position),
                )
            removed = db.execute("DELETE FROM articles WHERE source_id = ?", (source_id,)).rowcount
            db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return removed

    def article_by_url(self, url: str) -> str | None:
        """The id of the newest article at ``url`` (its URL or origin), or ``None``."""
        rows = self._read(
            "SELECT id FROM articles WHERE url = ?1 OR origin = ?1 ORDER BY sort_key DESC LIMIT 1", (url,)
        )
        return rows[0][0] if rows else None

    # -- articles --------------------------------------------------------------------------------

    def save_article(
        self,
        db: sqlite3.Connection,
        source_id: int,
        article: Article,
        content_hash: str,
        file_mtime: float | None = None,
        file_size: int | None = None,
    ) -> str:
        """Add or update ``article`` (inside the caller's transaction); returns added/updated/unchanged.

        ``file_mtime`` is the file's ``st_mtime``, kept as it is so an unchanged file is known
        without reading it. An update keeps the article's read, starred and history. Its links
        are replaced: staged, then stored with their targets by
        :func:`~pozirk_reader.core.store.links.resolve_pending`, which the caller runs before committing.
        """
        now = time.time()
        mtime = file_mtime
        modified = datetime.fromtimestamp(file_mtime) if file_mtime is not None else None
        row = db.execute("SELECT content_hash FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row is not None and row[0] == content_hash:
            self.mark_unchanged(db, article.id, source_id, file_mtime, file_size)
            return "unchanged"
        key = title_key(article.title)
        values = {
            "id": article.id,
            "source_id": source_id,
            "origin": article.origin,
            "url": article.url,
            "title": article.title,
            "title_key": key,
            "title_rkey": reverse(key),
            "language": article.language,
            "source_name": article.source_name,
            "published": article.date.isoformat() if article.date else None,
            "place_time": article.place_time,
            "photo_credit": article.photo_credit,
            "body": "\n".join(article.paragraphs),
            "encoding": article.encoding,
            "content_kind": article.content,
            "content_hash": content_hash,
            "file_mtime": mtime,
            "file_size": file_size,
            "sort_key": _sort_key(article, modified),
            "now": now,
        }
        if row is None:
            cursor = db.execute(
                "INSERT INTO articles (id, source_id, origin, url, title, title_key, title_rkey, language,"
                " source_name, published, place_time, photo_credit, body, encoding, content_kind, content_hash,"
                " file_mtime, file_size, sort_key, first_seen, updated_at) VALUES (:id, :source_id, :origin, :url,"
                " :title, :title_key, :title_rkey, :language, :source_name, :published, :place_time, :photo_credit,"
                " :body, :encoding, :content_kind, :content_hash, :file_mtime, :file_size, :sort_key, :now, :now)",
                values,
            )
            index_article(db, cursor.lastrowid, article.title, values["body"], article.language)
        else:
            db.execute(
                "UPDATE articles SET source_id = :source_id, origin = :origin, url = :url, title = :title,"
                " title_key = :title_key, title_rkey = :title_rkey, language = :language,"
                " source_name = :source_name, published = :published, place_time = :place_time,"
                " photo_credit = :photo_credit, body = :body, encoding = :encoding, content_kind = :content_kind,"
                " content_hash = :content_hash,"
                " file_mtime = :file_mtime, file_size = :file_size, sort_key = :sort_key, updated_at = :now,"
                " gone = 0 WHERE id = :id",
                values,
            )
            db.execute("DELETE FROM related WHERE article_id = ?", (article.id,))
        stage_links(
            db,
            [
                (article.id, position, link.title, link.url, key, reverse(key))
                for position, link in enumerate(article.related)
                for key in (title_key(link.title),)
            ],
        )
        return "added" if row is None else "updated"

    def mark_unchanged(
        self, db: sqlite3.Connection, article_id: str, source_id: int, file_mtime: float | None, file_size: int | None
    ) -> None:
        """Note that an article's file is present, with the same bytes (inside the caller's transaction)."""
        db.execute(
            "UPDATE articles SET gone = 0, file_mtime = ?, file_size = ?, source_id = ? WHERE id = ?",
            (file_mtime, file_size, source_id, article_id),
        )

    def get(self, article_id: str) -> StoredArticle | None:
        """One article with its state (and its related links as written), or ``None``."""
        return self._get(article_id, self.related(article_id))

    def _get(self, article_id: str, links: list[ResolvedLink]) -> StoredArticle | None:
        """Read one article's row and attach ``links`` to it."""
        rows = self._read(
            "SELECT a.*, s.location AS source_location, s.kind AS source_kind FROM articles a"
            " JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
            (article_id,),
        )
        if not rows:
            return None
        stored = article_from_row(rows[0])
        related = tuple(RelatedLink(link.title, link.url) for link in links)
        return dataclasses.replace(stored, article=dataclasses.replace(stored.article, related=related))

    def open_article(self, article_id: str) -> OpenedArticle | None:
        """An article with its resolved links and backlinks, as the reader shows it."""
        links = self.related(article_id)
        stored = self._get(article_id, links)
        if stored is None:
            return None
        return OpenedArticle(stored, tuple(links), tuple(self.backlinks(article_id)))

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
        """How many articles the headline list holds (only unread ones, if asked)."""
        where = " WHERE read = 0" if unread_only else ""
        return int(self._read(f"SELECT count(*) FROM articles{where}")[0][0])

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

    def next_unread(self, article_id: str | None, forward: bool = True) -> str | None:
        """The unread article after (``forward``: older than) or before ``article_id`` in the list."""
        if article_id is None:
            rows = self._read("SELECT id FROM articles WHERE read = 0 ORDER BY sort_key DESC, id DESC LIMIT 1")
            return rows[0][0] if rows else None
        anchor = self._read("SELECT sort_key FROM articles WHERE id = ?", (article_id,))
        if not anchor:
            return None
        if forward:
            sql = "(sort_key < ?1 OR (sort_key = ?1 AND id < ?2)) ORDER BY sort_key DESC, id DESC"
        else:
            sql = "(sort_key > ?1 OR (sort_key = ?1 AND id > ?2)) ORDER BY sort_key, id"
        rows = self._read(f"SELECT id FROM articles WHERE read = 0 AND {sql} LIMIT 1", (anchor[0][0], article_id))
        return rows[0][0] if rows else None

    def related(self, article_id: str) -> list[ResolvedLink]:
        """The article's "see also" links in order, each with its target in the cache if resolved."""
        rows = self._read(
            "SELECT r.position, r.title, r.url, r.target_id, t.title FROM related r"
            " LEFT JOIN articles t ON t.id = r.target_id WHERE r.article_id = ? ORDER BY r.position",
            (article_id,),
        )
        return [ResolvedLink(*row) for row in rows]

    def backlinks(self, article_id: str) -> list[Headline]:
        """Articles whose "see also" links point here, newest first."""
        rows = self._read(
            f"SELECT DISTINCT {_HEADLINE_COLUMNS_OF_A}, a.sort_key FROM related r JOIN articles a ON a.id = r.article_id"
            " WHERE r.target_id = ? AND r.article_id != ? ORDER BY a.sort_key DESC, a.id DESC",
            (article_id, article_id),
        )
        return [Headline.from_row(row) for row in rows]

    # -- reading state and history ---------------------------------------------------------------

    def set_read(self, article_id: str, read: bool = True) -> bool:
        """Mark an article read or unread; returns whether it exists."""
        return self._write("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id)) > 0

    def set_starred(self, article_id: str, starred: bool = True) -> bool:
        """Star or unstar an article; returns whether it exists."""
        return self._write("UPDATE articles SET starred = ? WHERE id = ?", (int(starred), article_id)) > 0

    def record_opened(self, article_id: str, mark_read: bool = True) -> None:
        """Note that the article was opened now: last-opened time, read flag, and the reading history."""
        now = time.time()
        with self.transaction() as db:
            read = ", read = 1" if mark_read else ""
            if db.execute(f"UPDATE articles SET last_opened = ?{read} WHERE id = ?", (now, article_id)).rowcount:
                db.execute("INSERT INTO history (article_id, opened_at) VALUES (?, ?)", (article_id, now))

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
        """How many articles are unread."""
        return self.count(unread_only=True)


def record_check(
    db: sqlite3.Connection,
    source_id: int,
    *,
    error: str | None = None,
    warning: str | None = None,
    validators: tuple[str | None, str | None] | None = None,
    title: str | None = None,
    site_url: str | None = None,
) -> None:
    """:meth:`Store.record_check` inside the caller's transaction."""
    now = time.time()
    db.execute("UPDATE sources SET checked_at = ?, last_error = ? WHERE id = ?", (now, error, source_id))
    if error is None:
        db.execute(
            "UPDATE sources SET refreshed_at = ?, last_warning = ?, title = coalesce(?, title),"
            " site_url = coalesce(?, site_url) WHERE id = ?",
            (now, warning, title, site_url, source_id),
        )
    if validators is not None:
        db.execute("UPDATE sources SET etag = ?, last_modified = ? WHERE id = ?", (*validators, source_id))


def _connect(path: Path, read_only: bool, check: bool) -> sqlite3.Connection:
    """Connect, set the pragmas, check integrity if asked, and migrate the schema."""
    uri = f"{path.absolute().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        version = schema_version(connection)  # reads the header: fails at once on a non-database
        if not read_only and version == 0:
            connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        if not read_only:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        if check and version:
            result = connection.execute("PRAGMA quick_check").fetchall()
            if [tuple(row) for row in result] != [("ok",)]:
                raise sqlite3.DatabaseError(f"quick_check failed: {result[0][0]}")
        if not read_only and version < SCHEMA_VERSION:
            migrate(connection)
        elif version > SCHEMA_VERSION:
            raise StoreError(f"the cache {path} was written by a newer pozirk-reader (schema {version})")
        attach_index(connection, writable=not read_only)
    except BaseException:
        connection.close()
        raise
    return connection


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Tell whether an error means the file is damaged or not a database at all."""
    text = str(error).lower()
    signs = ("not a database", "malformed", "quick_check failed", "corrupt", "vtable constructor failed")
    return any(sign in text for sign in signs)


def _move_aside(path: Path) -> Path:
    """Rename a damaged cache (and its -wal/-shm files) with a timestamp; nothing is deleted."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
        counter += 1
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target


def _describe(error: BaseException, path: Path) -> str:
    """One line for a cache error: what happened to which file."""
    text = str(error)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return f"the cache {path} is busy: another pozirk-reader is writing to it; try again"
    if "readonly" in lowered or "read-only" in lowered:
        return f"the cache {path} is read-only: nothing was changed"
    if "full" in lowered:
        return f"the disk holding the cache {path} is full: nothing was changed"
    if "unable to open" in lowered:
        return f"cannot open the cache {path}: {text}"
    if isinstance(error, OSError):
        return f"cannot use the cache {path}: {error.strerror or text}"
    return f"the cache {path}: {text}"


def _sort_key(article: Article, modified: datetime | None) -> str:
    """The headline list's order: dateline date and time, else the file's time."""
    fallback = modified or datetime.now()
    day = article.date.isoformat() if article.date else fallback.date().isoformat()
    clock = article.time or (fallback.strftime("%H:%M") if not article.date else "00:00")
    return f"{day}T{clock.zfill(5)}"
