"""Fixtures for the reader's UI tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.ui.controllers.reading import ReadingController
from tests.ui.helpers import count_worker_threads, imported_cache


@pytest.fixture(autouse=True)
def _long_dwell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Previews do not turn into openings by themselves unless a test says so."""
    monkeypatch.setattr(ReadingController, "dwell_seconds", 3600.0)


@pytest.fixture(autouse=True)
def _counted_worker_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Worker threads run on executors that know when they are done (see ``settle``); each test's end with it."""
    executors = count_worker_threads(monkeypatch)
    yield
    for executor in executors:
        executor.shutdown(wait=True)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A cache with the sample library imported (fixed file times)."""
    return imported_cache(tmp_path)[0]


@pytest.fixture(autouse=True)
def _graphical_system_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever browsers this machine has, the system's counts as a graphical one: ``o`` without a browser
    command calls :func:`webbrowser.open`, which a test replaces (a terminal one would be run suspended)."""
    monkeypatch.setattr("pozirk_reader.ui.browser.system_terminal_command", lambda url: None)
