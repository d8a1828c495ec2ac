"""What a person sees, as SVG snapshots (pytest-textual-snapshot): the main screen, narrow, help, a followed link."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from pozirk_reader.ui.screens.help import HelpScreen
from pozirk_reader.ui.screens.main import MainScreen
from tests.ui.helpers import imported_cache, make_app, ready, shows_title, wait_for


@pytest.fixture(autouse=True)
def _no_dwell(monkeypatch: pytest.MonkeyPatch) -> None:
    """No article turns read by itself while a snapshot is taken."""
    monkeypatch.setattr(MainScreen, "dwell_seconds", 3600.0)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return imported_cache(tmp_path)[0]


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
        screen = await ready(pilot)
        await pilot.press("G")
        await shows_title(pilot, screen, "В Минске продлят")
        await pilot.press("1")
        await shows_title(pilot, screen, "Пригородные автобусы Гродно")
        await pilot.pause(0.2)

    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=follow)
