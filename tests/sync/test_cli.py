"""The account commands against a real FreshRSS: add, list, sync, remove; mistakes in one line, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.cli.commands import main
from tests.servers import FRESHRSS_PASSWORD, Feeds, FreshRSS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_accounts_add_list_sync_remove(
    freshrss: FreshRSS, feeds: Feeds, feed_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    freshrss.subscribe(feeds.publish(feed_name, 2))
    data = str(tmp_path / "data")
    monkeypatch.setenv("POZIRK_READER_PASSWORD_HOME", FRESHRSS_PASSWORD)
    status, out, err = run(capsys, "accounts", "add", "home", freshrss.greader, "--user", "reader", "--data-dir", data)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == f"added home: reader at {freshrss.greader} (greader)"
    assert lines[1].startswith("home: ") and "new articles" in lines[1] and "0 changes pushed" in lines[1]
    status, out, _ = run(capsys, "accounts", "list", "--data-dir", data)
    assert status == 0 and out.splitlines()[0] == f"home  greader  reader at {freshrss.greader}"
    status, out, _ = run(capsys, "sync", "--data-dir", data)
    assert (status, out) == (0, "home: 0 new articles, 0 changes pushed, 0 read/starred from the server\n")
    cache = (Path(data) / "library.sqlite3").read_bytes()
    assert FRESHRSS_PASSWORD.encode() not in cache and b"Auth=" not in cache
    token = (Path(data) / "tokens" / "home.token").read_text().strip()
    assert token.encode() not in cache
    status, out, _ = run(capsys, "list", "--data-dir", data)
    assert f"Навіны {feed_name} 1" in out
    status, out, _ = run(capsys, "accounts", "remove", "home", "--data-dir", data)
    assert status == 0 and out.startswith("removed home: ") and "cached articles deleted" in out
    assert not (Path(data) / "tokens" / "home.token").exists()


def test_wrong_credentials_and_a_stopped_server_are_one_line_each(
    freshrss: FreshRSS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    data = str(tmp_path / "data")
    monkeypatch.setenv("POZIRK_READER_PASSWORD_HOME", "wrong")
    status, out, err = run(capsys, "accounts", "add", "home", freshrss.greader, "--user", "reader", "--data-dir", data)
    assert (status, out) == (1, "")
    assert err == "pozirk-reader: home: the server refused the user name or password (HTTP 401)\n"
    monkeypatch.setenv("POZIRK_READER_PASSWORD_HOME", FRESHRSS_PASSWORD)
    assert run(capsys, "accounts", "add", "home", freshrss.greader, "--user", "reader", "--data-dir", data)[0] == 0
    freshrss.stop_server()
    try:
        status, out, err = run(capsys, "sync", "--data-dir", data)
    finally:
        freshrss.start_server()
    assert (status, out) == (1, "")
    assert err == f"home: {freshrss.base.removeprefix('http://')}: connection refused (is the server running?)\n"
    status, out, _ = run(capsys, "accounts", "list", "--data-dir", data)
    assert "  last sync failed: home: " in out
    status, _, err = run(capsys, "accounts", "add", "far", "http://rss.example.org/", "--user", "u", "--data-dir", data)
    assert (status, err) == (
        1,
        "pozirk-reader: rss.example.org: plain http only to this machine; use https (it is verified)\n",
    )


def test_accounts_subscribe_list_and_unsubscribe(
    freshrss: FreshRSS, feeds: Feeds, feed_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    data = str(tmp_path / "data")
    monkeypatch.setenv("POZIRK_READER_PASSWORD_HOME", FRESHRSS_PASSWORD)
    assert run(capsys, "accounts", "add", "home", freshrss.greader, "--user", "reader", "--data-dir", data)[0] == 0
    url = feeds.publish(feed_name, 2)
    status, out, err = run(capsys, "accounts", "subscribe", "home", url, "--no-sync", "--data-dir", data)
    assert (status, out, err) == (0, f"home: subscribed to {url} (pushed by the next sync)\n", "")
    status, out, _ = run(capsys, "accounts", "list", "home", "--data-dir", data)
    assert f"{url}  {url}  (0 articles, waiting to be pushed)\n" in out
    status, out, _ = run(capsys, "accounts", "list", "--data-dir", data)
    assert "  1 changes waiting to be pushed\n" in out
    status, out, _ = run(capsys, "sync", "--data-dir", data)
    assert status == 0 and "2 new articles, 1 changes pushed" in out
    status, out, _ = run(capsys, "accounts", "list", "home", "--data-dir", data)
    assert f"Стужка {feed_name}  {url}  (2 articles)\n" in out

    status, out, err = run(capsys, "accounts", "subscribe", "home", url, "ftp://x", "--data-dir", data)
    assert status == 1 and err.splitlines() == [
        f"pozirk-reader: not subscribed: home: subscribed to {url} already",
        "pozirk-reader: not subscribed: 'ftp://x': give the feed's http(s) address",
    ]
    assert out == ""  # nothing changed: no sync
    status, out, err = run(capsys, "accounts", "unsubscribe", "home", f"Стужка {feed_name}", "--data-dir", data)
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == f"home: unsubscribed from Стужка {feed_name}, 2 cached articles deleted"
    assert "1 changes pushed" in out.splitlines()[1]
    status, out, _ = run(capsys, "accounts", "list", "home", "--data-dir", data)
    assert url not in out
    status, _, err = run(capsys, "accounts", "list", "away", "--data-dir", data)
    assert (status, err) == (1, "pozirk-reader: no account named 'away' (see `pozirk-reader accounts list`)\n")
