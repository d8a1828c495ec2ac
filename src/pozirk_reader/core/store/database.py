"""Opening the cache file: the connection and its pragmas, integrity checks, damaged files moved aside.

A connection runs in autocommit mode (``isolation_level=None``: transactions are begun explicitly),
in WAL with ``synchronous=NORMAL`` and a busy timeout. A file that is not a database, or fails
``PRAGMA quick_check``, is renamed with a timestamp (never deleted) so that a fresh cache can be made.
Errors become :class:`StoreError` with a one-line message naming the file.

The cache is marked as this reader's with ``PRAGMA application_id`` (:data:`APPLICATION_ID`), set
first thing in a new cache. Only such a file is opened as the cache, or a cache made before the
mark existed (its tables are the reader's; it gets the mark), or an empty one (no bytes, or a
database with nothing in it). Any other SQLite file is refused with :class:`ForeignFileError`
before anything is written to it, so it stays byte for byte as it was.
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

BULK_CACHE_KIB = 32 * 1024
"""Page cache of a connection while it writes in bulk (:meth:`~pozirk_reader.core.store.library.Store.bulk_writes`;
else SQLite's default, 2 MiB, 125 of our pages): a refresh updates the articles', links' and search index's b-trees
at random, and re-reading evicted pages was a seventh of the CPU of building 100,000 articles (94 -> 81 s) and of a
first refresh of 50 feeds. It costs up to that much memory while writing (the 100,000 build's peak 206 -> 232 MiB),
given back after."""

BUSY_TIMEOUT_S = 15.0
"""How long a write waits for another process's write to finish before giving up."""

CACHE_FILE = "library.sqlite3"
"""The cache's file name in the data directory."""

APPLICATION_ID = 0x507A724B
"""``PRAGMA application_id`` of a pozirk-reader cache: "PzrK" in ASCII."""

OWN_TABLES = frozenset({"sources", "articles", "related", "history", "meta"})
"""Tables every pozirk-reader cache has had since schema 1: a file holding them is a cache made before the mark."""


class StoreError(ReaderError):
    """The cache could not be read or written; the message says why in one line."""


class ForeignFileError(StoreError):
    """The file at the cache's path is another program's database: refused, and left untouched."""


def cache_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache file in ``data_dir`` (default: :func:`pozirk_reader.core.paths.data_dir`)."""
    return paths.data_dir(data_dir) / CACHE_FILE


def connect(path: Path, read_only: bool, check: bool, immutable: bool = False) -> sqlite3.Connection:
    """Connect, set the pragmas, check integrity if asked, and migrate the schema (see the module's docstring).

    ``immutable`` (read-only only) tells SQLite that nothing can change the file: on a read-only mount.
    """
    uri = f"{path.absolute().as_uri()}?mode={'ro' if read_only else 'rwc'}{'&immutable=1' if immutable else ''}"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        version = schema_version(connection)  # reads the header: fails at once on a non-database
        empty = check_ours(connection, path, version)
        if read_only and empty:
            raise StoreError(f"there is no cache at {path} yet, and it is read-only")
        if not read_only and version == 0:
            connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        if not read_only and int(connection.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # first, so a cache is marked before WAL
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


def check_ours(connection: sqlite3.Connection, path: Path, version: int) -> bool:
    """Refuse another program's database (see the module's docstring); returns whether the file is empty.

    Raises :class:`ForeignFileError` before anything is written.
    """
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    if application_id == APPLICATION_ID:
        return False
    names = connection.execute(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    tables = {str(row[0]) for row in names}
    if application_id == 0 and not tables:
        return True
    if application_id == 0 and version >= 1 and tables >= OWN_TABLES:
        return False
    what = f"application id {application_id:#010x}" if application_id else f"tables {', '.join(sorted(tables)[:4])}"
    raise ForeignFileError(
        f"{path} is not a pozirk-reader cache (another program's database: {what}); left it untouched:"
        " move it away, or give --data-dir"
    )


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


def open_for_reading(path: Path) -> tuple[sqlite3.Connection, Path | None]:
    """:func:`open_connection` for reading: writable if it can be, else read-only; never the integrity check.

    ``PRAGMA quick_check`` reads the whole file, which made ``list`` and ``search`` slow on a large cache:
    commands that only read leave it to the writers (``Store.open`` checks) and the reader's background
    check. A file that is not a database at all is still found at once (and moved aside when writable).
    On a read-only mount, where SQLite cannot make the write-ahead log's shared-memory file, the file is
    opened as immutable: nothing can change it there.
    """
    try:
        return open_connection(path, read_only=False, check=False)
    except ForeignFileError:
        raise
    except StoreError as error:
        if not path.is_file() or _writable(path):
            raise
        first = error
    try:
        return connect(path, read_only=True, check=False), None
    except StoreError:
        raise
    except sqlite3.Error:
        pass
    try:
        return connect(path, read_only=True, check=False, immutable=True), None
    except sqlite3.Error as error:
        raise StoreError(describe(error, path)) from first


def _writable(path: Path) -> bool:
    """Whether this process could write the cache file and make its companions (-wal, -shm) beside it."""
    if not os.access(path.parent, os.W_OK):
        return False
    try:
        return not os.statvfs(path.parent).f_flag & os.ST_RDONLY and os.access(path, os.W_OK)
    except (AttributeError, OSError):
        return os.access(path, os.W_OK)


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
