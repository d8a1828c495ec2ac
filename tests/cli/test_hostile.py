"""Hostile names and titles on the command line: every message line is one plain, safe line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.core.store.library import Store
from tests.cli.test_feeds import cli
from tests.hostile import (
    HOSTILE_NAME,
    HOSTILE_NAME_SHOWN,
    HOSTILE_TITLE,
    MARKUP,
    assert_one_safe_line,
    assert_safe_lines,
    write_hostile_feed,
)


@pytest.fixture
def hostile_feed(tmp_path: Path) -> Path:
    return write_hostile_feed(tmp_path)


def test_import_lines_show_a_hostile_folder_and_file_name_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / HOSTILE_NAME
    folder.mkdir()
    (folder / f"{HOSTILE_NAME}.txt").write_bytes(b"\x00\x01\x02")
    status, out, err = cli(capsys, tmp_path / "data", "import", str(folder))
    assert status == 1
    (summary,) = assert_safe_lines(out, 1)
    (failure,) = assert_safe_lines(err, 1)
    assert summary.endswith("0 added, 0 updated, 0 unchanged, 1 failed")
    assert failure.startswith("pozirk-reader: ") and failure.endswith(".txt: the file is binary, not text")
    for line in (summary, failure):
        assert HOSTILE_NAME_SHOWN in line


def test_an_error_quoting_a_hostile_argument_is_one_safe_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = cli(capsys, tmp_path, "show", HOSTILE_TITLE)
    assert (status, out) == (1, "")
    (line,) = assert_safe_lines(err, 1)
    assert line.startswith(f"pozirk-reader: {MARKUP} [@click=app.quit]x \\x1b]52;")
    assert line.endswith(": no such file, and no cached article has that id")


def test_feeds_list_and_refresh_show_a_hostile_feed_safely(
    hostile_feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    status, out, err = cli(capsys, data, "feeds", "add", str(hostile_feed))
    assert status == 0, err
    (added,) = assert_safe_lines(out, 1)
    assert added.startswith(f"{MARKUP} [@click=app.quit]x")
    status, out, _ = cli(capsys, data, "feeds", "list")
    title, location, counts = assert_safe_lines(out, 3)
    assert counts.strip().startswith("6 articles, refreshed ")
    assert title.startswith(MARKUP) and location.strip().endswith("zero\\u200bwidth.xml")
    hostile_feed.unlink()  # the next refresh fails, naming the file
    status, out, err = cli(capsys, data, "refresh")
    assert status == 1
    (failed,) = assert_safe_lines(err, 1)
    assert "\\x1b]52;c;aGk=\\x07" in failed
    with Store.open(data / "library.sqlite3") as store:
        (feed,) = store.sources(kind="feed")
    assert feed.last_error
    status, out, _ = cli(capsys, data, "feeds", "list")
    assert assert_safe_lines(out, 4)[3].startswith("  last refresh failed: ")


def test_a_servers_hostile_error_is_one_safe_line_in_accounts_list_sync_and_the_dialog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a news server says (its error text, kept as the account's last error) is outside text too."""
    from pozirk_reader.core.operations.syncing import SyncReport
    from pozirk_reader.core.store.accounts import AccountKind
    from pozirk_reader.ui.screens.accounts import describe

    data = tmp_path / "data"
    with Store.open(data / "library.sqlite3") as store:
        with store.syncing() as tx:
            account_id = tx.add_account("home", AccountKind.GREADER, "https://news.example/api/greader.php", "me", {})
            tx.record_sync(account_id, f"home: the server said {HOSTILE_TITLE}")
        account = store.accounts.named("home")
    assert account is not None
    status, out, _ = cli(capsys, data, "accounts", "list")
    assert status == 0
    lines = assert_safe_lines(out, 3)
    assert lines[2].startswith(f"  last sync failed: home: the server said {MARKUP} [@click=app.quit]x \\x1b]52;")
    entry = describe(account).split("\n")  # the accounts dialog's entry: who, counts, the last error
    assert len(entry) == 3 and entry[2].startswith(f"last sync failed: home: the server said {MARKUP}")
    for line in entry:
        assert_one_safe_line(line)

    def failing(store: Store, names: object = None, **_: object) -> list[SyncReport]:
        return [SyncReport("home", error=f"home: {HOSTILE_TITLE}")]

    monkeypatch.setattr("pozirk_reader.core.operations.syncing.sync", failing)
    status, out, err = cli(capsys, data, "sync")
    assert (status, out) == (1, "")
    (line,) = assert_safe_lines(err, 1)
    assert line.startswith(f"home: {MARKUP} [@click=app.quit]x \\x1b]52;c;aGk=\\x07 \\x1b[2J a\\nb")
