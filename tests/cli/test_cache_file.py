"""The cache file: only this reader's is opened, an empty one is no cache, a read-only one can be read,
commands that only read skip the integrity check, and a feed is removed by the title feeds list shows."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pozirk_reader.core.store import database
from pozirk_reader.core.store.database import APPLICATION_ID
from pozirk_reader.core.store.library import Store
from tests.cli.test_feeds import cli
from tests.feedserver import FEEDS
from tests.samples import SAMPLES
from tests.test_store_faults import damage


def other_programs_database(path: Path, application_id: int) -> bytes:
    """An SQLite file of another program's (a table of notes, in rollback-journal mode); its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA application_id = {application_id}")
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    connection.executemany("INSERT INTO notes (text) VALUES (?)", [(f"note {n}",) for n in range(50)])
    connection.commit()
    connection.close()
    return path.read_bytes()


@pytest.mark.parametrize("application_id", [0, 0x4D504B47])
@pytest.mark.parametrize("command", [["list"], ["import", str(SAMPLES)], ["feeds", "list"], ["search", "x"]])
def test_another_programs_database_is_left_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], application_id: int
) -> None:
    cache = tmp_path / "library.sqlite3"
    before = other_programs_database(cache, application_id)
    status, out, err = cli(capsys, tmp_path, *command)
    assert status == 1 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"pozirk-reader: {cache} is not a pozirk-reader cache (another program's database")
    assert "left it untouched" in line
    assert cache.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["library.sqlite3"]  # no -wal, no -shm, no copy


def test_an_empty_file_is_no_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "library.sqlite3"
    cache.write_bytes(b"")
    status, out, err = cli(capsys, tmp_path, "import", str(SAMPLES))
    assert status == 0, err
    assert out.strip().endswith("16 added, 0 updated, 0 unchanged, 0 failed")
    connection = sqlite3.connect(cache)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    connection.close()


READ_ONLY_SCRIPT = """
import sys
from pozirk_reader.cli.commands import main

data = sys.argv[1]
for command in (["list"], ["search", "шахматы"], ["show", sys.argv[2]], ["feeds", "list"]):
    print(" ".join(command), "->", main([*command, "--data-dir", data]), flush=True)
"""


def test_read_only_commands_work_on_a_read_only_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """list, search, show and feeds list on a read-only mount (as root, where chmod would change nothing).

    The data directory is bind-mounted read-only in a user and mount namespace of the test's own
    (skipped where that is not allowed); without one, and not root, it is made read-only with chmod.
    """
    data = tmp_path / "data"
    assert cli(capsys, data, "import", str(SAMPLES))[0] == 0
    assert cli(capsys, data, "feeds", "add", str(FEEDS / "atom.xml"))[0] == 0
    with Store.open(data / "library.sqlite3") as store:
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        article_id = store.headlines(0, 1)[0].id
    for companion in data.glob("library.sqlite3-*"):
        companion.unlink()
    before = (data / "library.sqlite3").read_bytes()
    script = tmp_path / "read.py"
    script.write_text(READ_ONLY_SCRIPT, "utf-8")
    run = f"{sys.executable} {script} {data} {article_id[:12]}"
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("unshare(1) is needed to mount the cache read-only as root")
        remount = f"mount --bind {data} {data} && mount -o remount,ro,bind {data} {data}"
        probe = subprocess.run(
            ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", f"{remount} && touch {data}/x"],
            capture_output=True,
        )
        if probe.returncode == 0 or b"Read-only" not in probe.stderr:
            pytest.skip(f"cannot mount read-only here: {probe.stderr.decode(errors='replace').strip()}")
        argv = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", f"{remount} && exec {run}"]
    else:
        (data / "library.sqlite3").chmod(0o444)
        data.chmod(0o555)
        argv = run.split()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env={**os.environ})
    finally:
        data.chmod(0o755)
    assert [line for line in done.stdout.splitlines() if " -> " in line] == [
        "list -> 0",
        "search шахматы -> 0",
        f"show {article_id[:12]} -> 0",
        "feeds list -> 0",
    ], done.stderr
    assert (data / "library.sqlite3").read_bytes() == before


@pytest.mark.parametrize(
    ("command", "checked"),
    [(["list"], False), (["search", "x"], False), (["feeds", "list"], False), (["import", str(SAMPLES)], True)],
)
def test_commands_that_only_read_skip_the_integrity_check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    checked: bool,
) -> None:
    """quick_check reads the whole file: list, search and feeds list open without it; a writer checks first."""
    assert cli(capsys, tmp_path, "import", str(SAMPLES))[0] == 0
    checks: list[bool] = []
    connect = database.connect

    def recorded(path: Path, read_only: bool, check: bool, immutable: bool = False) -> sqlite3.Connection:
        checks.append(check)
        return connect(path, read_only, check, immutable)

    monkeypatch.setattr(database, "connect", recorded)
    assert cli(capsys, tmp_path, *command)[0] == 0
    assert checks == [checked]


def test_a_damaged_page_met_by_a_read_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unchecked, list meets a damaged page: it says so in one line, and the next writer moves the cache aside."""
    damage(tmp_path / "library.sqlite3", from_fraction=0.9)
    status, out, err = cli(capsys, tmp_path, "list")
    assert (
        status == 1
        and out == ""
        and err.splitlines()
        == [f"pozirk-reader: the cache {tmp_path / 'library.sqlite3'}: database disk image is malformed"]
    )
    status, _, err = cli(capsys, tmp_path, "import", str(SAMPLES))
    assert status == 0 and "was damaged: moved it to" in err
    assert len(list(tmp_path.glob("library.sqlite3.damaged-*"))) == 1


def test_a_feed_is_removed_by_the_title_feeds_list_shows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, tmp_path, "feeds", "add", str(FEEDS / "atom.xml"))[0] == 0
    title = cli(capsys, tmp_path, "feeds", "list")[1].splitlines()[0]
    assert title == "Pozirk sample (Atom)"
    status, out, err = cli(capsys, tmp_path, "feeds", "remove", title)
    assert status == 0, err
    assert out.strip().endswith(": 5 cached articles deleted")
    assert "no feeds yet" in cli(capsys, tmp_path, "feeds", "list")[1]
