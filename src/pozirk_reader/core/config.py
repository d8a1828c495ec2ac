"""The reader's settings file (``config.json`` next to the cache): theme and keymap.

The keymap maps binding ids (see the help screen) to keys, as Textual's
``App.set_keymap`` takes them, e.g. ``{"reader.back": "backspace,h"}``. A missing
or broken file gives the defaults; it is never fatal.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Settings:
    """What the reader remembers between runs besides the cache."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    """Why the file could not be read, if it could not (a one-line message)."""


def load_settings(path: Path) -> Settings:
    """Read the settings at ``path``; defaults if the file is absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:
        return Settings(problem=f"{path}: settings not read ({error}); using the defaults")
    if not isinstance(data, dict):
        return Settings(problem=f"{path}: settings not read (not a JSON object); using the defaults")
    theme = data.get("theme") if isinstance(data.get("theme"), str) else None
    raw_keymap = data.get("keymap")
    keymap = (
        {str(key): value for key, value in raw_keymap.items() if isinstance(value, str)}
        if isinstance(raw_keymap, dict)
        else {}
    )
    return Settings(theme=theme, keymap=keymap)


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically (a temporary file renamed over the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"theme": settings.theme, "keymap": settings.keymap}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
