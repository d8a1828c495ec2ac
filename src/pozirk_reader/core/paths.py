"""Where the reader keeps its files: the data directory, and the config file in it.

The cache file's name is the store's business: see :func:`pozirk_reader.core.store.database.cache_path`.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "pozirk-reader"
DATA_DIR_ENV = "POZIRK_READER_DATA_DIR"
CONFIG_FILE = "config.json"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``override``, else ``$POZIRK_READER_DATA_DIR``, else the platform's user data dir.

    Nothing is created here; the store makes the directory on first use.
    """
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def config_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The config file (keymap, theme) next to the cache."""
    return data_dir(override) / CONFIG_FILE
