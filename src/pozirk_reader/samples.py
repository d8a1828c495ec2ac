"""Where the bundled sample library is, however the reader was installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_samples() -> Path | None:
    """The folder of bundled sample articles, or ``None`` if this installation lacks it."""
    try:
        folder = Path(str(resources.files("pozirk_reader.sample_articles")))
    except (ModuleNotFoundError, TypeError):
        folder = Path(__file__).resolve().parents[2] / "sample_articles"
    return folder if folder.is_dir() and any(folder.glob("*.txt")) else None
