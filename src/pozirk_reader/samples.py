"""Where the bundled sample library is, however the reader was installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLES_PACKAGE = "pozirk_reader.sample_articles"
"""pyproject.toml maps the repository's ``sample_articles/`` folder to this data package."""


def bundled_samples() -> Path | None:
    """The folder of bundled sample articles, found through :mod:`importlib.resources`.

    ``None`` if this installation lacks them, or keeps them where no folder can be read
    (a zipped install).
    """
    try:
        folder = resources.files(SAMPLES_PACKAGE)
    except ModuleNotFoundError:
        return None
    if not isinstance(folder, Path) or not folder.is_dir() or not any(folder.glob("*.txt")):
        return None
    return folder
