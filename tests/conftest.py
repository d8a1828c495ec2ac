"""Shared fixtures: the reference article from ../shared and the bundled samples."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT / "sample_articles"
SEED = PROJECT.parent / "shared" / "seed" / "000_b9dd030877535437.txt"


@pytest.fixture
def seed_path() -> Path:
    """The reference Pozirk article; skipped where ../shared is not beside the project."""
    if not SEED.is_file():
        pytest.skip(f"reference article {SEED} is absent (../shared is not beside this checkout)")
    return SEED


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every test's cache at a temporary directory, never the user's real one."""
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("POZIRK_READER_DATA_DIR", str(data_dir))
    return data_dir
