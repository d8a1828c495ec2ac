"""Shared fixtures: the reference article from ../shared, a private data directory, a local feed server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedserver import Site

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT / "sample_articles"
SEED = PROJECT.parent / "shared" / "seed" / "000_b9dd030877535437.txt"


@pytest.fixture(autouse=True)
def _no_log_left_behind() -> Iterator[None]:
    """A test that ran the command line (which starts logging to a file) leaves no log handler behind."""
    yield
    from pozirk_reader.core.logs import stop_logging

    stop_logging()


@pytest.fixture
def seed_path() -> Path:
    """The reference Pozirk article; skipped where ../shared is not beside the project."""
    if not SEED.is_file():
        pytest.skip(f"reference article {SEED} is absent (../shared is not beside this checkout)")
    return SEED


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every test's cache, config file and log at temporary places, never the user's real ones."""
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("POZIRK_READER_DATA_DIR", str(data_dir))
    monkeypatch.setenv("POZIRK_READER_CONFIG", str(tmp_path_factory.mktemp("config") / "config.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))  # the log, on Linux
    monkeypatch.delenv("POZIRK_READER_LOG", raising=False)
    monkeypatch.delenv("BROWSER", raising=False)
    return data_dir


@pytest.fixture
def site() -> Iterator[Site]:
    """A real HTTP server on 127.0.0.1 publishing the sample feeds and their article pages."""
    server = Site().start()
    server.serve_samples()
    yield server
    server.stop()
