"""Helpers for driving the reader in tests: a private library with fixed dates, and waiting on the app."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot

from pozirk_reader.core.config import Settings
from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle
from pozirk_reader.ui.app import ReaderApp
from pozirk_reader.ui.screens.main import MainScreen
from tests.samples import SAMPLES

FIXED_TIME = datetime(2026, 11, 20, 12, 0).timestamp()
"""Every sample file's modification time in tests, so inferred years and the undated article's place are fixed."""


def sample_library(folder: Path) -> Path:
    """Copy the samples into ``folder / 'sample_articles'`` with a fixed modification time."""
    target = Path(shutil.copytree(SAMPLES, folder / "sample_articles"))
    for file in target.glob("*.txt"):
        os.utime(file, (FIXED_TIME, FIXED_TIME))
    return target


def imported_cache(folder: Path) -> tuple[Path, Path]:
    """A cache at ``folder/data`` with the samples already imported; returns (cache, library)."""
    library = sample_library(folder)
    cache = folder / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        import_path(store, library)
    return cache, library


def make_app(cache: Path, samples: Path | None = None, import_paths: list[Path] | None = None, **settings) -> ReaderApp:
    """The reader on ``cache``, with its config next to it."""
    return ReaderApp(
        cache,
        settings_path=cache.parent / "config.json",
        settings=Settings(**settings),
        import_paths=import_paths or [],
        samples=samples,
    )


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` is true (workers finish, messages arrive)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


def main_screen(pilot: Pilot) -> MainScreen:
    """The reader's main screen."""
    screen = pilot.app.screen_stack[1] if len(pilot.app.screen_stack) > 1 else pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def ready(pilot: Pilot) -> MainScreen:
    """Wait until the main screen is up with its list loaded and an article shown."""
    await wait_for(pilot, lambda: len(pilot.app.screen_stack) > 1)
    screen = main_screen(pilot)
    await wait_for(pilot, lambda: screen.opened is not None and screen.headline_list.highlighted is not None)
    return screen


def shown(screen: MainScreen) -> OpenedArticle:
    """The article the article pane shows."""
    assert screen.opened is not None
    return screen.opened


async def shows_title(pilot: Pilot, screen: MainScreen, prefix: str) -> None:
    """Wait until the open article's headline starts with ``prefix``."""
    await wait_for(pilot, lambda: screen.opened is not None and screen.opened.stored.article.title.startswith(prefix))


async def follow_first_link_of_oldest(pilot: Pilot) -> MainScreen:
    """Go to the oldest sample (the tram line) and follow its link 1, to the Grodno buses."""
    screen = await ready(pilot)
    await pilot.press("G")
    await shows_title(pilot, screen, "В Минске продлят")
    await pilot.press("1")
    await shows_title(pilot, screen, "Пригородные автобусы Гродно")
    return screen


def notified(app: ReaderApp, text: str) -> bool:
    """Whether a notification shown by ``app`` contains ``text`` (case-insensitive)."""
    return any(text.lower() in str(notification.message).lower() for notification in app._notifications)
