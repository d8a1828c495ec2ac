"""What a person sees while triaging a day's news (issue 15), as SVG snapshots at 80x24 and 120x40: the list
after ``A`` (its read marks and the toast saying what was marked), the sources pane with its counts, a story's
thread view, and the cache searched for a "✗ not available" link's headline.

Each snapshot is taken once the app has nothing left to do (``settle``), with the input cursor's blink off.
A toast would go after its timeout on a slow machine, so the app here keeps them for a minute.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import LinkState
from pozirk_reader.ui.app import ReaderApp
from pozirk_reader.ui.screens.main import MainScreen
from pozirk_reader.ui.screens.thread import ThreadScreen
from pozirk_reader.ui.widgets.query_bar import QueryBar
from tests.ui.helpers import TRAM, feeds_cache, make_app, open_titled, ready, settle, shown, wait_for

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

BUS = "Пригородные автобусы Гродно"


@pytest.fixture
def steady_toasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's notifications stay on screen for a minute, whatever timeout they asked for."""
    notify = ReaderApp.notify

    def kept(app: ReaderApp, message: str, *args: Any, **kwargs: Any) -> None:
        notify(app, message, *args, **{**kwargs, "timeout": 60})

    monkeypatch.setattr(ReaderApp, "notify", kept)


async def loaded(pilot: Pilot) -> MainScreen:
    """The main screen up, the first article shown, nothing left running; the query lines' cursors steady."""
    screen = await ready(pilot)
    for bar in screen.query(QueryBar):
        bar.cursor_blink = False
    await settle(pilot)
    return screen


@SIZES
def test_the_list_after_a(snap_compare, cache: Path, size: tuple[int, int], steady_toasts: None) -> None:
    """A on the list: every headline's unread dot gone, the status line's count 0, the toast naming the mark."""

    async def triage(pilot: Pilot) -> None:
        screen = await loaded(pilot)
        await pilot.press("A")
        await wait_for(pilot, lambda: screen.unread == 0)
        await settle(pilot)

    assert snap_compare(make_app(cache), terminal_size=size, run_before=triage)


@SIZES
def test_the_sources_pane(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """L: every source (the files' folder and three feeds) with unread/total, in the list's place."""
    cache = feeds_cache(tmp_path)
    with Store.open(cache) as store:
        count = len(store.source_summaries())

    async def sources(pilot: Pilot) -> None:
        screen = await loaded(pilot)
        await pilot.press("L")
        await wait_for(pilot, lambda: screen.sources_pane.option_count == count + 1)
        await settle(pilot)

    assert snap_compare(make_app(cache), terminal_size=size, run_before=sources)


@SIZES
def test_the_thread_view(snap_compare, cache: Path, size: tuple[int, int]) -> None:
    """t on the Grodno buses: the story oldest first with hop counts, the open article marked ● under the cursor."""

    async def thread(pilot: Pilot) -> None:
        screen = await loaded(pilot)
        await open_titled(pilot, screen, BUS)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ThreadScreen))
        await wait_for(pilot, lambda: pilot.app.screen.query_one(OptionList).highlighted is not None)
        await settle(pilot)

    assert snap_compare(make_app(cache), terminal_size=size, run_before=thread)


@SIZES
def test_enter_on_a_link_not_available(snap_compare, cache: Path, size: tuple[int, int], steady_toasts: None) -> None:
    """Enter on the tram article's ✗ link: the cache searched for its headline's words, nearest first."""

    async def search(pilot: Pilot) -> None:
        screen = await loaded(pilot)
        await open_titled(pilot, screen, TRAM)
        link = next(link for link in shown(screen).links if link.state == LinkState.MISSING)
        pane = screen.related_pane
        pane.focus()
        pane.highlighted = pane.get_option_index(f"link-{link.position}")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.search.query and screen.headline_list.total > 0)
        await settle(pilot)

    assert snap_compare(make_app(cache), terminal_size=size, run_before=search)
