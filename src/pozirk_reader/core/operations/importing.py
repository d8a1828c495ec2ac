"""Importing files and folders into the cache: idempotent, one transaction per source."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pozirk_reader.core.article.model import stable_id
from pozirk_reader.core.article.plaintext import parse_bytes, too_large
from pozirk_reader.core.errors import ArticleError
from pozirk_reader.core.limits import MAX_FILE_BYTES
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import KnownFile, SaveOutcome, SourceKind
from pozirk_reader.core.store.writing import WriteTransaction

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


def find_files(root: Path, pattern: str = DEFAULT_PATTERN) -> list[Path]:
    """Files under ``root`` matching ``pattern``, recursively and in name order; hidden folders are skipped."""
    if root.is_file():
        return [root]
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(Path(folder, name) for name in files if Path(name).match(pattern))
    return sorted(found)


def import_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    pattern: str = DEFAULT_PATTERN,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Import each path as its own source, in its own transaction."""
    return [import_path(store, path, pattern, progress) for path in paths]


def import_path(
    store: Store, path: str | os.PathLike[str], pattern: str = DEFAULT_PATTERN, progress: Progress | None = None
) -> ImportReport:
    """Import a file or a folder (recursively) as one source, all of it or none of it.

    A file whose size and time are unchanged is not read again; one whose bytes are
    unchanged is not parsed again. A broken file goes into the report's ``failed`` list
    and the rest import. Articles whose files are gone stay cached, marked ``gone``.
    """
    root = Path(path).expanduser()
    report = ImportReport(str(root))
    if not root.exists():
        report.failed.append((str(root), "no such file or folder"))
        return report
    root = root.resolve()
    report.source = str(root)
    files = find_files(root, pattern)
    with store.writing() as tx:
        source_id = tx.ensure_source(SourceKind.FOLDER if root.is_dir() else SourceKind.FILE, str(root))
        known = tx.known_files(source_id)
        seen: set[str] = set()
        changed: list[str] = []
        for done, file in enumerate(files, start=1):
            origin = str(file)
            seen.add(origin)
            outcome, article_id = _import_file(tx, source_id, file, known.get(origin), report)
            if outcome in (SaveOutcome.ADDED, SaveOutcome.UPDATED):
                changed.append(article_id)
            report.count(outcome)
            if progress:
                progress(done, len(files), file)
        missing = [origin for origin, file in known.items() if origin not in seen and not file.gone]
        tx.mark_gone(source_id, missing)
        report.gone = len(missing)
        report.resolved = tx.resolve_links(changed)
        tx.mark_imported(source_id)
    return report


def _import_file(
    tx: WriteTransaction,
    source_id: int,
    file: Path,
    known: KnownFile | None,
    report: ImportReport,
) -> tuple[SaveOutcome, str]:
    """Import one file; returns (added|updated|unchanged|failed, article id).

    Unchanged size and time: not read. Unchanged bytes: not parsed.
    """
    try:
        stat = file.stat()
        if known is not None and not known.gone and (known.mtime, known.size) == (stat.st_mtime, stat.st_size):
            return SaveOutcome.UNCHANGED, ""
        if stat.st_size > MAX_FILE_BYTES:
            raise too_large(str(file), stat.st_size)
        data = file.read_bytes()
        content_hash = hashlib.blake2b(data, digest_size=16).hexdigest()
        if known is not None and known.content_hash == content_hash:
            article_id = stable_id(str(file))
            tx.mark_unchanged(article_id, source_id, stat.st_mtime, stat.st_size)
            return SaveOutcome.UNCHANGED, article_id
        modified = datetime.fromtimestamp(stat.st_mtime)
        article = parse_bytes(data, origin=str(file), modified=modified, name=str(file))
    except ArticleError as error:
        report.failed.append((str(file), error.reason))
        return SaveOutcome.FAILED, ""
    except OSError as error:
        report.failed.append((str(file), error.strerror or str(error)))
        return SaveOutcome.FAILED, ""
    outcome = tx.save_article(source_id, article, content_hash, stat.st_mtime, stat.st_size)
    return outcome, article.id
