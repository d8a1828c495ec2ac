"""The installed console script in a real terminal (tmux): start, follow a see-also link, go back, quit;
and the feeds story: subscribe to a local server, stop it, restart the reader and read offline."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.feedserver import Site
from tests.ui.helpers import sample_library

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed: no real terminal to drive")

SCRIPT = Path(sys.executable).with_name("pozirk-reader")
SOCKET = f"pozirk-e2e-{os.getpid()}"
"""This run's own tmux server, so that two checkouts running their tests at once do not share one."""


def tmux(*args: str) -> str:
    """Run a tmux command on this test's own server and return its output."""
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, timeout=20)
    return done.stdout


def screen_text() -> str:
    return tmux("capture-pane", "-p", "-t", "reader")


def wait_for_text(text: str, timeout: float = 20.0, absent: str | None = None) -> str:
    """Wait until ``text`` is on the screen (and ``absent`` is not): a poll of the terminal, as nothing else
    says when it has drawn."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen_text()
        if text in shown and (absent is None or absent not in shown):
            return shown
        time.sleep(0.1)  # between looks at the screen
    raise AssertionError(f"{text!r} never appeared; the screen shows:\n{screen_text()}")


ENV = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


def start_reader(*args: str) -> None:
    """Start the installed reader with ``args`` in a 120x40 tmux session named "reader"."""
    if not SCRIPT.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    # After the reader exits the shell waits on a tmux channel nobody signals, so the pane stays with what
    # it shows until the test kills the server.
    command = f"{SCRIPT} {' '.join(args)}; echo READER-EXITED-$?; tmux -L {SOCKET} wait-for never"
    tmux("kill-server")
    subprocess.run(
        ["tmux", "-L", SOCKET, "new-session", "-d", "-s", "reader", "-x", "120", "-y", "40", command],
        check=True,
        env={**os.environ, **ENV},
        timeout=20,
    )


@pytest.fixture
def session(tmp_path: Path):
    library = sample_library(tmp_path)
    start_reader("--data-dir", str(tmp_path / "data"), str(library))
    yield
    tmux("kill-server")


def test_follow_a_see_also_link_go_back_and_quit(session: None) -> None:
    wait_for_text("16 articles")
    tmux("send-keys", "-t", "reader", "G", "k")  # the oldest dated article (the one with no date is last)
    wait_for_text("Pozirk · 2 October")
    screen = wait_for_text("1 →")
    assert "В Минске продлят трамвайную линию до" in screen
    tmux("send-keys", "-t", "reader", "1")
    screen = wait_for_text("Pozirk · 2 November")
    assert "Пригородные автобусы Гродно переходят на зимнее" in screen
    assert "Linked from (2)" in screen
    tmux("send-keys", "-t", "reader", "BSpace")
    screen = wait_for_text("Pozirk · 2 October")
    assert "Pozirk · 2 November" not in screen
    tmux("send-keys", "-t", "reader", "q")
    wait_for_text("READER-EXITED-0")


def test_subscribe_refresh_go_offline_and_read_everything(tmp_path: Path) -> None:
    site = Site().start()
    site.serve_samples()
    data = tmp_path / "data"
    try:
        done = subprocess.run(
            [str(SCRIPT), "feeds", "add", site.url("rss-summaries.xml"), site.base, "--data-dir", str(data)],
            capture_output=True, text=True, timeout=120, env={**os.environ, **ENV},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Pozirk sample (summaries): 5 new, 0 updated, 0 unchanged; full text of 5" in done.stdout
    finally:
        site.stop()
    start_reader("--data-dir", str(data))
    try:
        wait_for_text("11 articles")
        tmux("send-keys", "-t", "reader", "r")
        wait_for_text("connection refused")  # one notification a feed
        wait_for_text("showing 5 cached")
        wait_for_text("showing 6 cached")
        tmux("send-keys", "-t", "reader", "G")  # the oldest: the summaries feed's first item, now in full
        screen = wait_for_text("Pozirk sample (summaries) · 1 November 2026")
        assert "Full text" in screen and "summary only" not in screen
        assert "В Минске на проспекте Победителей появятся три" in screen
        tmux("send-keys", "-t", "reader", "1")  # its see-also link to the full-text feed, followed offline
        wait_for_text("Pozirk sample (full text) · 2 November 2026")
        tmux("send-keys", "-t", "reader", "q")
        wait_for_text("READER-EXITED-0")
    finally:
        tmux("kill-server")


def test_a_remapped_key_runs_the_browser_command_suspended_and_the_reader_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "https://example.org/news/1?a=1&b=$(true)"
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "a.txt").write_text(f"С адресом\n\nURL: {url}\n\nТекст статьи.", "utf-8")
    record = tmp_path / "browsed.txt"
    browser = tmp_path / "fake browser"
    browser.write_text(f'#!/bin/sh\nprintf \'%s\\n\' "$@" > "{record}"\necho "FAKE-BROWSER $1"\nread answer\n')
    browser.chmod(0o755)
    config = tmp_path / "config.toml"
    config.write_text(f'browser = "\'{browser}\' %u"\n\n[keymap]\n"reader.browser" = "w"\n', "utf-8")
    before = hashlib.sha256(config.read_bytes()).hexdigest()
    monkeypatch.setenv("POZIRK_READER_CONFIG", str(config))
    start_reader("--data-dir", str(tmp_path / "data"), str(folder))
    try:
        wait_for_text("1 article ")
        wait_for_text("Текст статьи.")
        tmux("send-keys", "-t", "reader", "w")
        screen = wait_for_text(f"FAKE-BROWSER {url}")
        assert "1 article " not in screen  # the browser has the terminal
        tmux("send-keys", "-t", "reader", "Enter")
        screen = wait_for_text("1 article ")  # the reader drew itself again
        assert "FAKE-BROWSER" not in screen and "Текст статьи." in screen
        tmux("send-keys", "-t", "reader", "?")  # and takes keys again
        wait_for_text("[reader.help]")  # the help screen's first binding id
        tmux("send-keys", "-t", "reader", "q")  # closes the help (a lone Escape could read as alt+q)
        wait_for_text("Текст статьи.", absent="[reader.help]")
        tmux("send-keys", "-t", "reader", "q")
        wait_for_text("READER-EXITED-0")
    finally:
        tmux("kill-server")
    assert record.read_text("utf-8").splitlines() == [url]
    assert hashlib.sha256(config.read_bytes()).hexdigest() == before


OTHER_SOURCE = {
    "a.txt": "Гомель 09:00\n\nВ Гомеле открыли каток у ледового дворца\n\n25 ноября, Гомельская правда. Каток открыт.\n",
    "b.txt": "Брест 10:00\n\nВ Бресте покрасили мост через Мухавец\n\n24 ноября, Гомельская правда. Мост готов.\n",
}


def unread_rows(screen: str) -> int:
    """How many headlines of the list (the left pane at 120 columns) have the unread mark."""
    return sum("●" in line[:42] for line in screen.splitlines())


def test_mark_a_source_read_in_the_sources_pane_and_follow_the_story(tmp_path: Path) -> None:
    library = sample_library(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    for name, text in OTHER_SOURCE.items():
        (other / name).write_text(text, "utf-8")
    start_reader("--data-dir", str(tmp_path / "data"), str(library), str(other))
    try:
        screen = wait_for_text("18 articles  ·  17 unread")
        assert unread_rows(screen) == 17
        tmux("send-keys", "-t", "reader", "L")
        screen = wait_for_text("17/18")  # the counts come a moment after the pane
        assert "16/16" in screen and "1/2" in screen  # the samples, and the other folder (its newest is open)
        tmux("send-keys", "-t", "reader", "j", "C")  # the samples' folder, the first source
        screen = wait_for_text("16 articles of Pozirk marked read")
        pozirk = next(line for line in screen.splitlines() if "▤ Pozirk" in line)
        assert pozirk[:42].rstrip(" │").endswith("0/16")
        assert "1/18" in screen and "1 unread" in screen
        tmux("send-keys", "-t", "reader", "L")  # closes the pane: the list again, only the other folder unread
        screen = wait_for_text("Headlines", absent="∗ All sources")
        assert unread_rows(screen) == 1
        assert "●  В Бресте покрасили мост" in screen
        tmux("send-keys", "-t", "reader", "/", "трамвайную")
        wait_for_text("search “трамвайную”: 1 found")  # the whole word searched, not a prefix typed so far
        wait_for_text("Pozirk · 2 October")  # the one result, shown
        tmux("send-keys", "-t", "reader", "Enter")  # opened; the keys go to the article
        tmux("send-keys", "-t", "reader", "t")
        screen = wait_for_text("The story: 10 articles joined by links")
        assert "● 02.10.26   В Минске продлят трамвайную линию до Лошицы" in screen  # the open one
        assert "05.10.26   Синоптики обещают тёплую неделю" in screen
        tmux("send-keys", "-t", "reader", "j", "Enter")  # the next of the story: the weather, three days on
        screen = wait_for_text("Pozirk · 5 October", absent="The story:")
        assert "Синоптики обещают тёплую неделю и утренние" in screen
        tmux("send-keys", "-t", "reader", "BSpace")  # followed like a link: back is the tram line
        screen = wait_for_text("Pozirk · 2 October", absent="Pozirk · 5 October")
        assert "В Минске продлят трамвайную линию до Лошицы" in screen
        tmux("send-keys", "-t", "reader", "q")
        wait_for_text("READER-EXITED-0")
    finally:
        tmux("kill-server")
