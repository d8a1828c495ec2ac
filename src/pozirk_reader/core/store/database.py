"""Opening the cache file: the connection and its pragmas, integrity checks, damaged files moved aside.

A connection runs in autocommit mode (``isolation_level=None``: transactions are begun explicitly),
in WAL with ``synchronous=NORMAL`` and a busy timeout. A file that is not a database, or fails
``PRAGMA quick_check``, is renamed with a timestamp (never deleted) so that a fresh cache can be made.
Errors become :class:`StoreError` with a one-line message naming the file.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from pozirk_reader.core import paths
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.store.schema import SCHEMA_VERSION, migrate, schema_version
from pozirk_reader.core.store.search_index import attach_index

PAGE_SIZE = 16384
"""Database page size for new caches: rows of ~3 KB fill 16 KiB pages well (4 KiB pages waste a quarter)."""

BUSY_TIMEOUT_S = 15.0
"""How long a write waits for another process's write to finish before giving up."""

CACHE_FILE = "library.sqlite3"
"""The cache's file name in the data directory."""


class StoreError(ReaderError):
    """The cache could not be read or written; the message says why in one line."""


def cache_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache file in ``data_dir`` (default: :func:`pozirk_reader.core.paths.data_dir`)."""
    return paths.data_dir(data_dir) / CACHE_FILE


def connect(path: Path, read_only: bool, check: bool) -> sqlite3.Connection:
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


def open_connection(path: Path, read_only: bool, check: bool) -> tuple[sqlite3.Connection, Path | None]:
    """:func:`connect` to ``path``, first moving a damaged file aside (unless ``read_only``).

    Returns the connection and where the damaged file went (``None`` if it was sound). Raises
    :class:`StoreError` with a one-line message.
    """
    recovered: Path | None = None
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = connect(path, read_only, check)
        except sqlite3.DatabaseError as error:
            if read_only or not is_corruption(error):
                raise
            recovered = move_aside(path)
            connection = connect(path, read_only, check)
    except (sqlite3.Error, OSError) as error:
        raise StoreError(describe(error, path)) from error
    return connection, recovered


def quick_check(path: Path) -> str | None:
    """Run ``PRAGMA quick_check`` on a read-only connection of its own; the first problem found, or ``None``."""
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if [tuple(row) for row in rows] == [("ok",)] else str(rows[0][0])


def is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Tell whether an error means the file is damaged or not a database at all."""
    text = str(error).lower()
    signs = ("not a database", "malformed", "quick_check failed", "corrupt", "vtable constructor failed")
    return any(sign in text for sign in signs)


def move_aside(path: Path) -> Path:
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


def describe(error: BaseException, path: Path) -> str:
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
