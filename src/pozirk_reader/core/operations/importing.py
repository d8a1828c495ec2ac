"""Importing files and folders into the cache: idempotent, in short batched transactions, every skip reported."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pozirk_reader.core.article.files import kind_of, path_text, read_regular_file, regular_stat
from pozirk_reader.core.article.model import Article, stable_id
from pozirk_reader.core.article.plaintext import parse_bytes
from pozirk_reader.core.errors import ArticleError
from pozirk_reader.core.limits import MAX_FILE_BYTES
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import KnownFile, SaveOutcome, SourceKind
from pozirk_reader.core.store.writing import BATCH_ARTICLES, BATCH_BYTES

DEFAULT_PATTERN = "*.txt"

Progress = Callable[[int, int, Path], None]
"""Called as ``progress(done, total, file)`` after each file of a source."""


@dataclass
class ImportReport:
    """What importing one source did."""

    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0
    resolved: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: SaveOutcome) -> None:
        """Count one file's outcome (a failed one is counted by adding it to :attr:`failed`)."""
        if outcome is SaveOutcome.ADDED:
            self.added += 1
        elif outcome is SaveOutcome.UPDATED:
            self.updated += 1
        elif outcome is SaveOutcome.UNCHANGED:
            self.unchanged += 1

    @property
    def summary(self) -> str:
        """One line: added, updated, unchanged, failed (and gone, when any)."""
        text = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {len(self.failed)} failed"
        return text + (f", {self.gone} gone from the source" if self.gone else "")


def find_files(root: Path, pattern: str = DEFAULT_PATTERN, failed: list[tuple[str, str]] | None = None) -> list[Path]:
    """Files under ``root`` matching ``pattern``, recursively and in name order; hidden folders are skipped.

    A folder that cannot be read (no permission, a path too long for the system) is added to
    ``failed`` with why, never skipped in silence. Symlinks to folders are not followed.
    """
    if root.is_file():
        return [root]

    def unreadable(error: OSError) -> None:
        if failed is not None:
            failed.append((path_text(error.filename or root), f"cannot read the folder: {os_reason(error)}"))

    found: list[Path] = []
    for folder, subfolders, files in os.walk(root, onerror=unreadable):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(Path(folder, name) for name in files if Path(name).match(pattern))
    return sorted(found)


def os_reason(error: OSError) -> str:
    """Why a path could not be used, in words: "no such file or folder", "the path is too long", …"""
    if error.errno == errno.ENOENT:
        return "no such file or folder"
    if error.errno == errno.ENAMETOOLONG:
        return "the path is too long for the system"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    return error.strerror or str(error)


def import_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    pattern: str = DEFAULT_PATTERN,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Import each path as its own source."""
    return [import_path(store, path, pattern, progress) for path in paths]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A file read (and parsed, unless its bytes are unchanged), waiting to be written with its batch."""

    article_id: str
    article: Article | None
    content_hash: str
    mtime: float
    size: int


def import_path(
    store: Store, path: str | os.PathLike[str], pattern: str = DEFAULT_PATTERN, progress: Progress | None = None
) -> ImportReport:
    """Import a file or a folder (recursively) as one source.

    Files are read and parsed outside any transaction, then written in batches of at most
    :data:`~pozirk_reader.core.store.writing.BATCH_ARTICLES` articles, each batch in a short
    transaction of its own, so other writers (a star, a refresh, another import) wait a moment at
    most; links are near-matched once all are written, in short transactions too. An interrupted
    import keeps the batches it wrote, each whole, and the next one goes on.
    A file whose size and time are unchanged is not read again; one whose bytes are unchanged is
    not parsed again. Only regular files are read (symlinks to them followed); every path that is
    not read, and why, goes into the report's ``failed`` list, and the rest import. Articles whose
    files are gone stay cached, marked ``gone``.
    """
    root = Path(path).expanduser()
    report = ImportReport(path_text(root))
    try:
        status = os.stat(root)
    except OSError as error:
        report.failed.append((path_text(root), os_reason(error)))
        return report
    if not (stat.S_ISDIR(status.st_mode) or stat.S_ISREG(status.st_mode)):
        report.failed.append((path_text(root), f"{kind_of(status.st_mode)}, not a file or folder: not imported"))
        return report
    root = root.resolve()
    location = report.source = path_text(root)
    kind = SourceKind.FOLDER if stat.S_ISDIR(status.st_mode) else SourceKind.FILE
    files = find_files(root, pattern, report.failed) if kind is SourceKind.FOLDER else [root]
    known = store.known_files(location)
    seen: set[str] = set()
    batch: list[_Prepared] = []
    batch_bytes = 0
    changed_before: list[str] = []
    with store.bulk_writes():
        for done, file in enumerate(files, start=1):
            origin = path_text(file)
            seen.add(origin)
            prepared = _prepare(file, origin, known.get(origin), report)
            if prepared is not None:
                batch.append(prepared)
                batch_bytes += prepared.size
            if progress:
                progress(done, len(files), file)
            if len(batch) >= BATCH_ARTICLES or batch_bytes >= BATCH_BYTES:
                changed_before += _write(store, kind, location, batch, report)
                batch, batch_bytes = [], 0
        missing = [origin for origin, file in known.items() if origin not in seen and not file.gone]
        changed = changed_before + _write(store, kind, location, batch, report, missing)
        report.resolved += store.resolve_near_matches(changed)
    return report


def _prepare(file: Path, origin: str, known: KnownFile | None, report: ImportReport) -> _Prepared | None:
    """Read and parse one file for its batch; ``None`` if it needs no write (unchanged) or failed (reported).

    Unchanged size and time: not read. Unchanged bytes: not parsed.
    """
    try:
        status = regular_stat(file, origin)
        if known is not None and not known.gone and (known.mtime, known.size) == (status.st_mtime, status.st_size):
            report.unchanged += 1
            return None
        data, status = read_regular_file(file, MAX_FILE_BYTES, origin, status)
        content_hash = hashlib.blake2b(data, digest_size=16).hexdigest()
        if known is not None and known.content_hash == content_hash:
            return _Prepared(stable_id(origin), None, content_hash, status.st_mtime, status.st_size)
        modified = datetime.fromtimestamp(status.st_mtime)
        article = parse_bytes(data, origin=origin, modified=modified, name=origin)
    except ArticleError as error:
        report.failed.append((origin, error.reason))
        return None
    except OSError as error:
        report.failed.append((origin, os_reason(error)))
        return None
    return _Prepared(article.id, article, content_hash, status.st_mtime, status.st_size)


def _write(
    store: Store,
    kind: SourceKind,
    location: str,
    batch: list[_Prepared],
    report: ImportReport,
    missing: list[str] | None = None,
) -> list[str]:
    """Write one batch in a transaction of its own; with ``missing`` (the last batch), finish the source.

    Links are resolved exactly here; near matches wait for the end of the import (see
    :meth:`~pozirk_reader.core.store.library.Store.resolve_near_matches`). Returns the articles added or updated.
    """
    changed: list[str] = []
    if not batch and missing is None:
        return changed
    with store.writing() as tx:
        source_id = tx.ensure_source(kind, location)
        for item in batch:
            if item.article is None:
                tx.mark_unchanged(item.article_id, source_id, item.mtime, item.size)
                report.unchanged += 1
                continue
            outcome = tx.save_article(source_id, item.article, item.content_hash, item.mtime, item.size)
            if outcome in (SaveOutcome.ADDED, SaveOutcome.UPDATED):
                changed.append(item.article_id)
            report.count(outcome)
        report.resolved += tx.resolve_links(changed, near=False)
        if missing is not None:
            tx.mark_gone(source_id, missing)
            report.gone = len(missing)
            tx.mark_imported(source_id)
    return changed
