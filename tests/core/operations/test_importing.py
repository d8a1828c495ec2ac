"""Importing into the cache: idempotent, edit-safe, loss-free, in whole batches, reading regular files only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from pozirk_reader.core.operations import importing as importer
from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from tests.samples import SAMPLES


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A private copy of the sample library, free to edit."""
    return Path(shutil.copytree(SAMPLES, tmp_path / "library"))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "cache" / "library.sqlite3") as opened:
        yield opened


def test_first_import_adds_every_sample(store: Store, library: Path) -> None:
    report = import_path(store, library)
    assert (report.added, report.updated, report.unchanged, report.failed) == (16, 0, 0, [])
    assert store.count() == 16
    assert store.unread_count() == 16


def test_second_import_adds_nothing(store: Store, library: Path) -> None:
    import_path(store, library)
    before = [(h.id, h.title) for h in store.headlines(0, 100)]
    report = import_path(store, library)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 16)
    assert [(h.id, h.title) for h in store.headlines(0, 100)] == before


def test_touched_but_identical_file_is_unchanged(store: Store, library: Path) -> None:
    import_path(store, library)
    file = next(library.glob("01_*.txt"))
    os.utime(file, (1_700_000_000, 1_700_000_000))
    assert import_path(store, library).unchanged == 16


def test_edited_file_updates_its_article_and_keeps_its_state(store: Store, library: Path) -> None:
    import_path(store, library)
    file = next(library.glob("09_*.txt"))
    article_id = next(h.id for h in store.headlines(0, 100) if "шахматный" in h.title)
    store.set_read(article_id)
    store.set_starred(article_id)
    store.record_opened(article_id)
    file.write_text(file.read_text("utf-8").replace("открытый шахматный турнир", "шахматный фестиваль"), "utf-8")
    report = import_path(store, library)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 15)
    stored = store.get(article_id)
    assert stored is not None
    assert "шахматный фестиваль" in stored.article.title
    assert (stored.read, stored.starred) == (True, True)
    assert [entry.id for entry, _ in store.history()] == [article_id]


def test_deleted_file_stays_readable_and_is_marked_gone(store: Store, library: Path) -> None:
    import_path(store, library)
    file = next(library.glob("12_*.txt"))
    article_id = next(h.id for h in store.headlines(0, 100) if h.title.startswith("Vitebsk embankment"))
    file.unlink()
    report = import_path(store, library)
    assert report.gone == 1
    stored = store.get(article_id)
    assert stored is not None and stored.gone
    assert stored.article.paragraphs
    assert store.count() == 16
    restored = shutil.copy(SAMPLES / file.name, file)
    assert restored and import_path(store, library).gone == 0
    assert not store.get(article_id).gone


def test_a_broken_file_is_reported_and_the_rest_import(store: Store, library: Path) -> None:
    (library / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    (library / "empty.txt").write_bytes(b"")
    report = import_path(store, library)
    assert report.added == 16
    assert sorted((Path(file).name, reason) for file, reason in report.failed) == [
        ("broken.txt", "the file is binary, not text"),
        ("empty.txt", "the file is empty"),
    ]


def test_only_matching_files_are_imported(store: Store, library: Path) -> None:
    (library / "notes.md").write_text("Not an article", "utf-8")
    hidden = library / ".hidden"
    hidden.mkdir()
    (hidden / "x.txt").write_text("Hidden\n\nText", "utf-8")
    assert import_path(store, library).added == 16


def test_a_missing_path_is_reported(store: Store, tmp_path: Path) -> None:
    report = import_path(store, tmp_path / "nowhere")
    assert report.failed == [(str(tmp_path / "nowhere"), "no such file or folder")]


def test_ctrl_c_during_an_import_leaves_nothing_of_that_source(store: Store, library: Path) -> None:
    def interrupt(done: int, total: int, file: Path) -> None:
        if done == 8:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_path(store, library, progress=interrupt)
    assert store.count() == 0
    assert store.sources() == []
    assert import_path(store, library).added == 16


def test_killed_import_leaves_the_cache_as_it_was(tmp_path: Path, library: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(next(library.glob("01_*.txt")), first)
    with Store.open(cache) as store:
        import_path(store, first)
    script = textwrap.dedent(
        f"""
        import os, signal
        from pozirk_reader.core.store.library import Store
        from pozirk_reader.core.operations.importing import import_path
        def kill(done, total, file):
            if done == 10:
                os.kill(os.getpid(), signal.SIGKILL)
        import_path(Store.open({str(cache)!r}), {str(library)!r}, progress=kill)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == -9
    with Store.open(cache) as store:
        assert store.count() == 1
        assert [source.location for source in store.sources()] == [str(first.resolve())]
        assert import_path(store, library).added == 16  # the copy in "first" is another file


def test_unchanged_files_are_neither_read_nor_parsed_again(
    store: Store, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_path(store, library)
    parsed: list[str] = []
    real_parse = importer.parse_bytes
    monkeypatch.setattr(
        importer, "parse_bytes", lambda data, **kw: parsed.append(kw["origin"]) or real_parse(data, **kw)
    )
    assert import_path(store, library).unchanged == 16
    assert parsed == []
    touched = next(library.glob("03_*.txt"))
    os.utime(touched, (1_700_000_000.123456, 1_700_000_000.123456))  # same bytes, another time
    assert import_path(store, library).unchanged == 16
    assert parsed == []
    assert import_path(store, library).unchanged == 16  # and the new time was kept exactly
    assert parsed == []


# -- what import reads: regular files only, every skip reported ---------------------------------


def imports_in_time(store: Store, path: Path, seconds: float = 60.0) -> importer.ImportReport:
    """Import ``path`` in a thread, on a connection of its own; fail (instead of hanging the suite, or this
    store) if it is still running after ``seconds``."""
    result: list[importer.ImportReport] = []

    def run() -> None:
        with Store.open(store.path) as own:
            result.append(import_path(own, path))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"the import was still running after {seconds} s"
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_reported_and_the_rest_import(store: Store, library: Path) -> None:
    os.mkfifo(library / "pipe.txt")
    report = imports_in_time(store, library)
    assert report.added == 16
    assert report.failed == [(str(library / "pipe.txt"), "a named pipe (FIFO), not a regular file")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_directly_is_a_failure_not_an_empty_success(store: Store, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    report = imports_in_time(store, tmp_path / "pipe.txt")
    assert report.failed == [(str(tmp_path / "pipe.txt"), "a named pipe (FIFO), not a file or folder: not imported")]
    assert store.sources() == []


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_symlink_to_a_device_is_refused_not_read(store: Store, library: Path) -> None:
    (library / "zero.txt").symlink_to("/dev/zero")
    (library / "fine.txt").symlink_to(next(library.glob("01_*.txt")))  # a symlink to a regular file is read
    report = imports_in_time(store, library)
    assert report.failed == [(str(library / "zero.txt"), "a character device, not a regular file")]
    assert report.added == 17


def test_a_file_name_that_is_not_utf8_is_imported_and_shown_safely(store: Store, library: Path) -> None:
    raw = os.fsencode(library) + b"/caf\xe9 \x1b[2J.txt"
    with open(raw, "wb") as handle:
        handle.write("Кофейня открылась\n\nТекст о кофейне.".encode())
    report = import_path(store, library)
    assert (report.added, report.failed) == (17, [])
    stored = next(store.get(h.id) for h in store.headlines(0, 100) if h.title == "Кофейня открылась")
    assert stored is not None
    assert stored.article.origin == str(library.resolve()) + "/caf\\xe9 \x1b[2J.txt"  # the name as the OS gave it
    assert import_path(store, library).unchanged == 17  # and known again as the same file


def test_a_path_too_long_for_the_system_is_reported(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "deep"
    root.mkdir()
    (root / "top.txt").write_text("Наверху\n\nТекст.", "utf-8")
    descriptor = os.open(root, os.O_RDONLY)
    try:
        for _ in range(25):  # 25 folders of 200 letters: past PATH_MAX (4,096) from the root
            os.mkdir("d" * 200, dir_fd=descriptor)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        with open(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor), "w") as handle:
            handle.write("Глубоко\n\nТекст.")
    finally:
        os.close(descriptor)
    report = import_path(store, root)
    assert report.added == 1
    assert len(report.failed) == 1
    path, reason = report.failed[0]
    assert path.startswith(str(root.resolve())) and reason.startswith("cannot read the folder: the path is too long")


def test_a_missing_path_and_a_broken_symlink_are_reported(store: Store, library: Path) -> None:
    (library / "broken.txt").symlink_to(library / "nowhere.txt")
    report = import_path(store, library)
    assert report.failed == [(str(library / "broken.txt"), "no such file or folder")]


def test_an_unreadable_subfolder_is_reported_and_the_rest_import(
    store: Store, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that cannot be listed was skipped with nothing said (exit 0); now it is a failure of its own.

    As root, ``chmod`` restricts nothing, so there the folder's listing is refused where os.walk asks for it.
    """
    locked = library / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text("Внутри\n\nТекст.", "utf-8")
    if os.geteuid() == 0:
        listing = os.scandir

        def scandir(path: Any = ".") -> Any:
            if os.fspath(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(locked))
            return listing(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        locked.chmod(0)
    try:
        report = import_path(store, library)
    finally:
        locked.chmod(0o755)
    assert report.added == 16  # the samples
    assert report.failed == [(str(locked), "cannot read the folder: permission denied")]
