"""Hostile names and titles in the reader: notifications, the status line and the filter dialog show them
as one plain line (no markup read, no control sequence sent), and clicking them does nothing but dismiss."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Select, Static

from pozirk_reader.core.operations.feeds import add_feed
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.app import ReaderApp
from pozirk_reader.ui.messages import TaskProgress
from pozirk_reader.ui.screens.filters import FilterScreen
from tests.hostile import (
    CLICK,
    HOSTILE_NAME,
    HOSTILE_NAME_SHOWN,
    MARKUP,
    assert_one_safe_line,
    write_hostile_feed,
)
from tests.ui.helpers import make_app, notifications, notified, ready, run, sample_library, settle, wait_for


def drawn(widget: Widget) -> str:
    """Every character ``widget`` draws, line by line."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def lasting_notifications(app: ReaderApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every toast up until clicked, so a loaded machine cannot let one expire before the click."""
    notify = app.notify

    def lasting(message: str, *, timeout: float | None = None, **options: Any) -> None:
        notify(message, timeout=600, **options)

    monkeypatch.setattr(app, "notify", lasting)


@pytest.fixture
def hostile_setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A cache subscribed to a hostile feed, and a folder with a hostile name holding a hostile file."""
    folder = tmp_path / HOSTILE_NAME
    shutil.copytree(sample_library(tmp_path), folder)
    (folder / f"{HOSTILE_NAME}.txt").write_bytes(b"\x00\x01\x02")
    feed = write_hostile_feed(tmp_path)
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        add_feed(store, str(feed))
    return cache, folder, feed


async def test_hostile_names_reach_every_surface_as_plain_safe_lines(
    hostile_setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, folder, feed = hostile_setup
    app = make_app(cache, import_paths=[folder])
    lasting_notifications(app, monkeypatch)
    async with run(app, size=(160, 50), notifications=True) as pilot:
        screen = await ready(pilot)
        await wait_for(pilot, lambda: notified(app, "1 failed"))
        await settle(pilot)
        assert notified(app, f"{HOSTILE_NAME_SHOWN}.txt: the file is binary")  # Not imported
        assert notified(app, f"{HOSTILE_NAME_SHOWN}: 16 added")  # Imported

        # the status line, while a task names the folder
        screen.post_message(TaskProgress(f"importing {HOSTILE_NAME}…"))
        status = screen.query_one("#status", Static)
        await wait_for(pilot, lambda: HOSTILE_NAME_SHOWN in drawn(status))
        assert_one_safe_line(drawn(status))
        screen.post_message(TaskProgress(""))

        # a refresh that fails names the feed by its title (markup) and its file (escape sequences)
        feed.unlink()
        await pilot.press("r")
        await wait_for(pilot, lambda: notified(app, "showing 6 cached articles"))
        await settle(pilot)

        # every toast on screen, clicked where its text would be a link if it were read as markup
        toasts = list(app.screen.query("Toast"))
        assert len(toasts) >= 3
        clicked = 0
        for toast in toasts:
            assert_one_safe_line(toast.render().plain.replace("\n", " ", 1))  # a title and a message
            lines = drawn(toast).splitlines()  # as wrapped on screen, padding included
            spots = [(line.index(CLICK), y) for y, line in enumerate(lines) if CLICK in line]
            if spots:
                clicked += 1
                await pilot.click(toast, offset=(spots[0][0] + 3, spots[0][1]))
        await settle(pilot)
        assert clicked == 3  # not imported, imported, refresh failed: each names the folder or the feed
        assert app.return_code is None and app.is_running
        assert not [toast for toast in app.screen.query("Toast") if CLICK in toast.render().plain]  # dismissed

        for notification in notifications(app):
            assert not notification.markup
            assert_one_safe_line(notification.title)
            assert_one_safe_line(notification.message)

        # the filter dialog lists the sources by name: the feed's title is markup, the folder's path escapes
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        select = app.screen.query_one("#source", Select)
        select.expanded = True
        await settle(pilot)
        overlay = app.screen.query_one("SelectOverlay", Widget)
        listed = "\n".join("".join(seg.text for seg in overlay.render_line(y)) for y in range(overlay.size.height))
        assert MARKUP in listed and "\x1b" not in listed and "\u202e" not in listed
        with Store.open(cache) as store:
            feed_source = next(source for source in store.sources() if source.kind == "feed")
        select.expanded = False
        select.value = feed_source.id
        await settle(pilot)
        chosen = drawn(select.query_one("SelectCurrent #label", Static))
        assert MARKUP in chosen and "\x1b" not in chosen
        assert app.is_running
