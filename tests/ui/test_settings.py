"""The settings in the reader: a broken config never stops it, the file is never written, each setting works."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.drivers.headless_driver import HeadlessDriver

from pozirk_reader.core.config import HeadlineRows, load_config
from pozirk_reader.core.logs import setup_logging, stop_logging
from pozirk_reader.core.operations.feeds import subscribe
from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.app import ReaderApp
from pozirk_reader.ui.keys import binding_ids, bound_classes
from tests.ui.helpers import ManualTimers, main_screen, make_app, notified, ready, run, settle, shown, wait_for

URL = "https://example.org/news/1?from=rss&x=a;b"


def config_file(text: str) -> Path:
    """The config file of this test (``$POZIRK_READER_CONFIG``), written with ``text``."""
    path = Path(os.environ["POZIRK_READER_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


def app_for(cache: Path, text: str) -> tuple[ReaderApp, Path]:
    path = config_file(text)
    return ReaderApp(cache, config=load_config(path)), path


def messages(app: ReaderApp) -> list[str]:
    from tests.ui.helpers import _NOTIFIED

    return [notification.message for notification in _NOTIFIED[app]]


async def test_a_broken_config_is_one_notification_a_problem_and_what_is_valid_applies(cache: Path) -> None:
    app, path = app_for(
        cache,
        'theme = "nord"\nthme = "gruvbox"\nconcurrent_feeds = "eight"\nkeymap_typo = 1\nthis is not toml\n'
        '[keymap]\n"reader.toggle_star" = "x"\n"reader.bakc" = "h"\n',
    )
    async with run(app) as pilot:
        screen = await ready(pilot)
        assert pilot.app.theme == "nord"
        problems = [message for message in messages(app) if message.startswith(str(path))]
        assert [problem.split(": ", 2)[1] for problem in problems] == ["line 2", "line 3", "line 4", "line 5", "line 8"]
        assert all("\n" not in problem for problem in problems)
        assert "unknown key 'thme' (did you mean 'theme'?)" in problems[0]
        assert "concurrent_feeds: expected a whole number" in problems[1]
        assert "keymap: unknown binding id 'reader.bakc' (did you mean 'reader.back'?)" in problems[4]
        assert screen.sources.workers == 8  # the default, for the value that was wrong
        await pilot.press("x")  # the valid part of the keymap applies
        await wait_for(pilot, lambda: shown(screen).stored.starred)


async def test_more_problems_than_fit_are_counted(cache: Path) -> None:
    app, _ = app_for(cache, "".join(f"unknown_{number} = 1\n" for number in range(8)))
    async with run(app) as pilot:
        await ready(pilot)
        assert notified(pilot.app, "…and 3 more (`pozirk-reader config check` lists them)")
        assert sum("unknown key" in message for message in messages(app)) == 5


async def test_the_config_file_is_never_written_and_a_picked_theme_is_kept_in_the_cache(cache: Path) -> None:
    text = '# mine\ntheme = "gruvbox"\n\n[keymap]\n"reader.toggle_star" = "x"   # my star key\n'
    app, path = app_for(cache, text)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    async with run(app) as pilot:
        await ready(pilot)
        assert pilot.app.theme == "gruvbox"
        await pick_in_palette(pilot, "Theme")
        await pick_in_palette(pilot, "nord", opened=True)
        await wait_for(pilot, lambda: pilot.app.theme == "nord")
        await settle(pilot)  # the choice is saved (in the cache)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert list(path.parent.iterdir()) == [path]  # no other file beside it either
    with Store.open(cache) as store:
        assert store.get_meta("theme") == {"picked": "nord", "config": "gruvbox"}
    app, _ = app_for(cache, text)
    async with run(app) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: pilot.app.theme == "nord")  # remembered
    app, _ = app_for(cache, text.replace("gruvbox", "dracula"))
    async with run(app) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert pilot.app.theme == "dracula"  # the config changed since: it wins


async def pick_in_palette(pilot: Any, query: str, opened: bool = False) -> None:
    """Open the palette (unless ``opened``), type ``query``, wait for the results and take the first."""
    if not opened:
        await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    palette = pilot.app.screen
    for character in query:
        await pilot.press(character if character != " " else "space")
    await settle(pilot)
    results = palette.query_one(CommandList)
    assert results.option_count and str(results.get_option_at_index(0).prompt).startswith(query)
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen is not palette)


async def test_a_theme_set_before_the_reader_starts_is_not_remembered(cache: Path) -> None:
    app = make_app(cache)
    app.theme = "nord"
    async with run(app) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert pilot.app.theme == "nord"
    with Store.open(cache) as store:
        assert store.get_meta("theme") is None


def test_every_binding_id_of_the_reader_is_known_to_the_keymap_check() -> None:
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import pozirk_reader.ui

    found: set[str] = set()
    for module in pkgutil.walk_packages(pozirk_reader.ui.__path__, "pozirk_reader.ui."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, DOMNode) and value.__module__ == module.name:
                found |= {b.id for b in value.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.id}
                if any(isinstance(b, Binding) and b.id for b in value.__dict__.get("BINDINGS", ())):
                    assert value in bound_classes(), value
    assert found == set(binding_ids())
    assert {"reader.back", "reader.browser", "headlines.down", "article.page_down", "filters.cancel"} <= found


# -- the browser ------------------------------------------------------------------------------


@pytest.fixture
def article_with_address(tmp_path: Path) -> Path:
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "a.txt").write_text(f"С адресом\n\nURL: {URL}\n\nТекст.", "utf-8")
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        import_path(store, folder)
    return cache


@pytest.fixture
def suspensions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The headless driver as a terminal's: it can suspend; each suspend and resume is recorded."""
    events: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "can_suspend", property(lambda self: True))
    monkeypatch.setattr(HeadlessDriver, "suspend_application_mode", lambda self: events.append("suspend"))
    monkeypatch.setattr(HeadlessDriver, "resume_application_mode", lambda self: events.append("resume"))
    return events


def fake_browser(folder: Path, status: int = 0) -> tuple[Path, Path]:
    """A browser that writes its arguments, one a line, to a file; returns (script, that file)."""
    record = folder / "browsed.txt"
    script = folder / "fake browser"
    script.write_text(f'#!/bin/sh\nprintf \'%s\\n\' "$@" > "{record}"\nexit {status}\n', "utf-8")
    script.chmod(0o755)
    return script, record


async def test_o_runs_the_browser_command_with_the_reader_suspended(
    article_with_address: Path, tmp_path: Path, suspensions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script, record = fake_browser(tmp_path)
    monkeypatch.setattr("webbrowser.open", lambda url: pytest.fail("the system browser was used"))
    seen: list[tuple[str, bool]] = []
    original = HeadlessDriver.resume_application_mode
    monkeypatch.setattr(
        HeadlessDriver,
        "resume_application_mode",
        lambda self: (seen.append(("resume", record.exists())), original(self)),
    )
    app, _ = app_for(article_with_address, f"browser = \"'{script}' --new-tab %u\"\n")
    async with run(app) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await wait_for(pilot, lambda: "resume" in suspensions)
        await settle(pilot)
        assert pilot.app.is_running and main_screen(pilot).opened is not None
    assert suspensions == ["suspend", "resume"]
    assert seen == [("resume", True)]  # the browser had run, and ended, before the reader came back
    assert record.read_text("utf-8").splitlines() == ["--new-tab", URL]  # one argument, no shell


async def test_the_browser_variable_is_used_without_a_setting_and_a_failure_is_said(
    article_with_address: Path, tmp_path: Path, suspensions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script, record = fake_browser(tmp_path, status=3)
    monkeypatch.setenv("BROWSER", f"no-such-browser-here{os.pathsep}'{script}' %s")
    async with run(make_app(article_with_address)) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await wait_for(pilot, lambda: notified(pilot.app, "The browser ended with exit status 3."))
    assert suspensions == ["suspend", "resume"]
    assert record.read_text("utf-8").splitlines() == [URL]


async def test_a_browser_command_that_is_not_there_is_one_line(
    article_with_address: Path, suspensions: list[str]
) -> None:
    async with run(make_app(article_with_address, browser="/no/such/browser %u")) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await wait_for(pilot, lambda: notified(pilot.app, "The browser command was not found: /no/such/browser"))
        assert suspensions == ["suspend", "resume"]  # the terminal came back all the same


# -- the log ----------------------------------------------------------------------------------


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "log" / "pozirk-reader.log"
    assert setup_logging(path, logging.INFO) is None
    yield path
    stop_logging()


async def test_a_worker_failure_lands_in_the_log_with_its_traceback(
    cache: Path, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Store, from_id: str | None, forward: bool) -> str | None:
        raise RuntimeError("the index is gone\nsecond line")

    monkeypatch.setattr(Store, "next_unread", broken)
    async with run(make_app(cache)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: notified(pilot.app, "the index is gone"))
        assert "the index is gone" in messages(pilot.app)  # one line only
        assert pilot.app.is_running
    text = log_file.read_text("utf-8")
    assert "ERROR pozirk_reader.ui.screens.main" in text and "finding unread failed (worker _open_unread)" in text
    assert "Traceback (most recent call last):" in text and "in broken" in text
    assert "RuntimeError: the index is gone\nsecond line" in text


# -- reading, rows, refreshing ------------------------------------------------------------------


async def test_read_after_zero_seconds_counts_only_openings(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timers = ManualTimers("preview", "dwell").install(monkeypatch)
    async with run(make_app(cache, read_after_seconds=0)) as pilot:
        await wait_for(pilot, lambda: timers.pending("preview"))
        timers.fire("preview")
        screen = await ready(pilot)
        await settle(pilot)
        assert timers.pending("dwell") == [] and screen.unread == 16
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.unread == 15)


async def test_read_after_seconds_is_the_dwell_time(cache: Path) -> None:
    async with run(make_app(cache, read_after_seconds=4)) as pilot:
        screen = await ready(pilot)
        assert screen.reading.dwell_seconds == 4


@pytest.mark.parametrize(
    ("rows", "width", "height"),
    [(HeadlineRows.ONE, 120, 1), (HeadlineRows.TWO, 200, 2), (HeadlineRows.AUTO, 120, 2), (HeadlineRows.AUTO, 200, 1)],
)
async def test_headline_rows(cache: Path, rows: HeadlineRows, width: int, height: int) -> None:
    async with run(make_app(cache, headline_rows=rows), size=(width, 40)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        headlines = screen.headline_list
        assert headlines.row_height == height
        assert headlines.virtual_size.height == 16 * height
        row = 1  # the newest headline has no date; the next has one
        dated = headlines.headline_at(row)
        assert dated is not None and dated.date is not None and dated.source_name == "Pozirk"
        line = headlines.render_line(row * height).text
        assert line.startswith("● ") and dated.title.split()[0] in line
        if height == 1:
            assert line.startswith(f"●  {dated.date.strftime('%d.%m.%y')}  Pozirk        {dated.title[:5]}")
        else:
            assert dated.date.strftime("%d.%m.%y") in headlines.render_line(row * height + 1).text
        if height == 1:
            await pilot.press("down", "down")
            await wait_for(
                pilot, lambda: headlines.cursor == 2 and shown(screen).stored.article.id == headlines.highlighted.id
            )


async def test_automatic_refresh_every_n_minutes_with_the_feed_settings(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(cache) as store:
        subscribe(store, [("https://example.org/feed.xml", "Example")])
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("pozirk_reader.ui.controllers.sources.refresh", lambda store, **kw: calls.append(kw) or [])
    timers = ManualTimers("auto-refresh").install(monkeypatch)
    async with run(make_app(cache, refresh_minutes=5, full_text=False, concurrent_feeds=3)) as pilot:
        await ready(pilot)
        assert len(timers.pending("auto-refresh")) == 1 and calls == []
        timers.fire("auto-refresh")
        await settle(pilot)
        assert len(calls) == 1 and calls[0]["full_text"] is False and calls[0]["workers"] == 3
        assert len(timers.pending("auto-refresh")) == 1  # and again in five minutes
        await pilot.press("r")  # the key uses the same settings
        await settle(pilot)
        assert len(calls) == 2 and calls[1]["workers"] == 3


async def test_no_automatic_refresh_by_default_and_none_said_without_feeds(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    timers = ManualTimers("auto-refresh").install(monkeypatch)
    async with run(make_app(cache)) as pilot:
        await ready(pilot)
        assert timers.made == []
    async with run(make_app(cache, refresh_minutes=1)) as pilot:
        await ready(pilot)
        timers.fire("auto-refresh")
        await settle(pilot)
        assert not notified(pilot.app, "no feeds to refresh")


async def test_a_refresh_that_fails_ends_and_the_next_automatic_one_still_runs(
    cache: Path, monkeypatch: pytest.MonkeyPatch, log_file: Path
) -> None:
    with Store.open(cache) as store:
        subscribe(store, [("https://example.org/feed.xml", "Example")])
    calls: list[int] = []

    def broken(store: Store, **kw: Any) -> list[Any]:
        calls.append(1)
        raise RuntimeError("the refresh broke")

    monkeypatch.setattr("pozirk_reader.ui.controllers.sources.refresh", broken)
    timers = ManualTimers("auto-refresh").install(monkeypatch)
    async with run(make_app(cache, refresh_minutes=10)) as pilot:
        screen = await ready(pilot)
        timers.fire("auto-refresh")
        await wait_for(pilot, lambda: notified(pilot.app, "the refresh broke"))
        await settle(pilot)
        assert not screen.sources.refreshing and screen.sources.task_text == ""
        timers.fire("auto-refresh")
        await settle(pilot)
        assert len(calls) == 2
    assert "RuntimeError: the refresh broke" in log_file.read_text("utf-8")


async def test_a_config_nested_too_deeply_to_show_never_stops_the_reader(cache: Path) -> None:
    """A dotted key of 20,000 parts (json.dumps of its table raised RecursionError, and the reader did not start)."""
    app, path = app_for(cache, 'theme = "nord"\nbrowser.' + ".".join(["a"] * 20_000) + " = 1\n")
    async with run(app) as pilot:
        screen = await ready(pilot)
        assert pilot.app.theme == "nord"
        (problem,) = [message for message in messages(app) if message.startswith(str(path))]
        assert problem.startswith(f"{path}: line 2: browser: expected a string, not a table")
        assert "\n" not in problem
        await pilot.press("s")  # the reader works
        await wait_for(pilot, lambda: shown(screen).stored.starred)
        assert pilot.app.is_running


async def test_a_folder_at_the_config_path_never_stops_the_reader(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    app = ReaderApp(cache, config=load_config(folder))
    async with run(app) as pilot:
        await ready(pilot)
        assert messages(app).count(f"{folder}: is a folder, not a file; using the defaults") == 1
        assert pilot.app.is_running
