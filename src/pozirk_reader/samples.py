"""Where the bundled sample library is, however the reader was installed."""

from __future__ import annotations

from pathlib import Path


def bundled_samples() -> Path | None:
    """The folder of bundled sample articles, or ``None`` if this installation lacks it.

    An installed wheel carries them as the data-only package ``pozirk_reader.sample_articles``
    (pyproject.toml maps the repository's ``sample_articles/`` folder into it); an editable
    install from a checkout finds the folder itself.
    """
    folders = [Path(__file__).resolve().parents[2] / "sample_articles"]
    try:
        import pozirk_reader.sample_articles as package

        folders[:0] = map(Path, getattr(package, "__path__", []))
    except ImportError:
        pass
    return next((folder for folder in folders if folder.is_dir() and any(folder.glob("*.txt"))), None)
