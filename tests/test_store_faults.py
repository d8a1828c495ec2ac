"""A damaged, read-only, full or shared cache: a clear message, and nothing cached is lost."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.database import BULK_CACHE_KIB
from pozirk_reader.core.store.library import Store, StoreError
from tests.samples import SAMPLES


def damage(path: Path, from_fraction: float = 0.0) -> None:
    """Make a real cache whose pages (from ``from_fraction`` of the file on) are overwritten, failing quick_check."""
    with Store.open(path) as store:
        import_path(store, SAMPLES)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all pages into the main file
    size = path.stat().st_size
    with path.open("r+b") as handle:
        page_size = int.from_bytes(handle.read(18)[16:18], "big")
        first = max(page_size, int(size * from_fraction) // page_size * page_size)
        for offset in range(first, size, 4096):  # never the first page (the header and schema stay valid)
            handle.seek(offset + 8)
            handle.write(b"\xff" * 40)


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    cache = tmp_path / "library.sqlite3"
    garbage = b"this is not an SQLite database\n" * 200
    cache.write_bytes(garbage)
    with Store.open(cache) as store:
        assert store.recovered_to is not None
        assert store.recovered_to.read_bytes() == garbage
        assert store.recovered_to.parent == tmp_path
        assert store.recovered_to.name.startswith("library.sqlite3.damaged-")
        message = store.recovery_message
        assert message is not None and "\n" not in message and str(store.recovered_to) in message
        assert import_path(store, SAMPLES).added == 16


def test_a_cache_failing_quick_check_is_moved_aside(tmp_path: Path) -> None:
    cache = tmp_path / "library.sqlite3"
    damage(cache)
    damaged_bytes = cache.read_bytes()
    with Store.open(cache) as store:
        assert store.recovered_to is not None
        assert store.recovered_to.read_bytes() == damaged_bytes
        assert store.count() == 0
        assert import_path(store, SAMPLES).added == 16  # the source files are all still there
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir() if "damaged" in p.name) == [
        "library.sqlite3.damaged"
    ]


def test_the_cli_says_where_a_damaged_cache_went(tmp_path: Path) -> None:
    (tmp_path / "library.sqlite3").write_bytes(b"garbage" * 1000)
    done = subprocess.run(
        [sys.executable, "-m", "pozirk_reader", "list", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and "moved it to" in lines[0]


def test_a_read_only_cache_refuses_writes_clearly(tmp_path: Path) -> None:
    cache = tmp_path / "library.sqlite3"
    with Store.open(cache) as store:
        import_path(store, SAMPLES)
        article_id = store.headlines()[0].id
    with Store.open(cache, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only: nothing was changed"):
            store.set_read(article_id)
        with pytest.raises(StoreError, match="read-only"):
            import_path(store, SAMPLES)
        assert store.count() == 16
    with Store.open(cache) as store:
        assert store.unread_count() == 16


def test_a_full_disk_loses_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "library.sqlite3"
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.txt").write_text("Первая\n\nТекст.", "utf-8")
    big = tmp_path / "big"
    big.mkdir()
    for number in range(300):
        (big / f"{number}.txt").write_text(f"Статья {number}\n\n" + "Длинный текст статьи. " * 300, "utf-8")
    with Store.open(cache) as store:
        import_path(store, small)
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages + 20}")  # the disk fills up after 20 more pages
        with pytest.raises(StoreError, match="full: nothing was changed"):
            import_path(store, big)
        assert [h.title for h in store.headlines()] == ["Первая"]
    with Store.open(cache) as store:
        assert store.count() == 1


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    cache = tmp_path / "library.sqlite3"
    folders = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        for number in range(150):
            (folder / f"{number}.txt").write_text(f"{name} {number}\n\nТекст статьи {number}.", "utf-8")
        folders.append(folder)
    Store.open(cache).close()
    script = textwrap.dedent(
        """
        import sys
        from pozirk_reader.core.store.library import Store
        from pozirk_reader.core.operations.importing import import_path
        store = Store.open(sys.argv[1])
        for _ in range(3):
            report = import_path(store, sys.argv[2])
            for headline in store.headlines(0, 20):
                store.set_read(headline.id)
                store.record_opened(headline.id)
        print(store.count())
        """
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(cache), str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for folder in folders
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode() for _, err in outputs]
    with Store.open(cache) as store:
        assert store.count() == 300
        assert len(store.sources()) == 2
        assert [tuple(r) for r in store._db.execute("PRAGMA integrity_check")] == [("ok",)]


def test_wal_and_pragmas(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite3") as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        usual = store._db.execute("PRAGMA cache_size").fetchone()[0]
        with store.bulk_writes(), store.bulk_writes():  # (a sync's refresh inside a sync's scope)
            assert store._db.execute("PRAGMA cache_size").fetchone()[0] == -BULK_CACHE_KIB  # KiB, not the 2 MiB
        assert store._db.execute("PRAGMA cache_size").fetchone()[0] == usual  # given back once the writes are done


def test_open_error_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cache"):
        Store.open(blocker / "sub" / "library.sqlite3")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    cache = tmp_path / "c.sqlite3"
    connection = sqlite3.connect(cache)
    connection.execute("PRAGMA user_version = 999")
    connection.close()
    with pytest.raises(StoreError, match="newer pozirk-reader"):
        Store.open(cache)
    assert cache.exists()


def test_a_cache_whose_search_index_is_damaged_is_moved_aside_when_opened(tmp_path: Path) -> None:
    cache = tmp_path / "library.sqlite3"
    damage(cache)  # every page but the first: the search index cannot even be opened
    with Store.open(cache, check=False) as store:
        assert store.recovered_to is not None and store.count() == 0
        assert import_path(store, SAMPLES).added == 16


FULL_DISK_SCRIPT = """
import os, sys
from pathlib import Path
from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store, StoreError

disk, work = Path(sys.argv[1]), Path(sys.argv[2])
store = Store.open(disk / "library.sqlite3")
import_path(store, work / "small")
with open(disk / "filler", "wb", buffering=0) as filler:  # the disk fills up (unbuffered: nothing left to flush)
    try:
        while True:
            filler.write(b"\\0" * 65536)
    except OSError:
        pass
try:
    import_path(store, work / "big")
    print("imported on a full disk?")
except StoreError as error:
    print("full:", error)
(disk / "filler").unlink()  # room again
try:
    print("after:", import_path(store, work / "big").summary)
except StoreError as error:
    print("after:", error)
print("titles:", store.count())
"""


def test_a_freed_disk_takes_writes_at_once(tmp_path: Path) -> None:
    """After a write fails on a full disk, the write-ahead log is checkpointed, so freeing space is enough.

    A real full disk: a 3 MB tmpfs mounted in a mount namespace of the test's own (skipped where that is
    not allowed). Without the checkpoint, the log kept the space it had taken and the next import failed too.
    """
    if shutil.which("unshare") is None:
        pytest.skip("unshare(1) is needed to mount a small disk")
    disk, work = tmp_path / "disk", tmp_path / "work"
    disk.mkdir()
    (work / "small").mkdir(parents=True)
    (work / "small" / "a.txt").write_text("Первая\n\nТекст.", "utf-8")
    (work / "big").mkdir()
    for number in range(120):
        (work / "big" / f"{number}.txt").write_text(f"Статья {number}\n\n" + "Длинный текст статьи. " * 300, "utf-8")
    script = tmp_path / "full.py"
    script.write_text(FULL_DISK_SCRIPT, "utf-8")
    mount = f"mount -t tmpfs -o size=3m tmpfs {disk} && exec {sys.executable} {script} {disk} {work}"
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {disk}"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {probe.stderr.decode(errors='replace').strip()}")
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", mount],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("full: the disk holding the cache") and "is full" in lines[0]
    assert lines[1] == "after: 120 added, 0 updated, 0 unchanged, 0 failed"
    assert lines[2] == "titles: 121"
