"""Fixtures for the reader's UI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.ui.controllers.reading import ReadingController
from tests.ui.helpers import imported_cache


@pytest.fixture(autouse=True)
def _long_dwell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Previews do not turn into openings by themselves unless a test says so."""
    monkeypatch.setattr(ReadingController, "dwell_seconds", 3600.0)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A cache with the sample library imported (fixed file times)."""
    return imported_cache(tmp_path)[0]
