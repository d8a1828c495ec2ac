"""What a person sees, as SVG snapshots (pytest-textual-snapshot): the main screen, narrow, help, a followed link."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from pozirk_reader.ui.screens.help import HelpScreen
from tests.ui.helpers import follow_first_link_of_oldest, make_app, ready, wait_for


async def _loaded(pilot: Pilot) -> None:
    await ready(pilot)
    await pilot.pause(0.1)


def test_main_screen_120x40(snap_compare, cache: Path) -> None:
    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=_loaded)


def test_main_screen_80x24(snap_compare, cache: Path) -> None:
    assert snap_compare(make_app(cache), terminal_size=(80, 24), run_before=_loaded)


def test_help_screen(snap_compare, cache: Path) -> None:
    async def open_help(pilot: Pilot) -> None:
        await _loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause(0.1)

    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=open_help)


def test_after_following_a_link(snap_compare, cache: Path) -> None:
    async def follow(pilot: Pilot) -> None:
        await follow_first_link_of_oldest(pilot)
        await pilot.pause(0.2)

    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=follow)
