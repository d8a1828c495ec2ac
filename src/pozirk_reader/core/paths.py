"""Where the reader keeps its files: the data directory (the cache), the config file, the log.

The cache file's name is the store's business: see :func:`pozirk_reader.core.store.database.cache_path`.
Nothing is created here.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "pozirk-reader"
DATA_DIR_ENV = "POZIRK_READER_DATA_DIR"
CONFIG_ENV = "POZIRK_READER_CONFIG"
CONFIG_FILE = "config.toml"
LEGACY_CONFIG_FILE = "config.json"
"""The settings file of earlier versions, in the data directory: carried over once into ``config.toml``."""
LOG_FILE = "pozirk-reader.log"


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


def config_path() -> Path:
    """The config file the user owns: ``$POZIRK_READER_CONFIG``, else ``config.toml`` in the user config dir."""
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILE


def legacy_config_path(data_dir_override: str | os.PathLike[str] | None = None) -> Path:
    """Where earlier versions kept their settings: ``config.json`` next to the cache."""
    return data_dir(data_dir_override) / LEGACY_CONFIG_FILE


def log_path() -> Path:
    """The log file, in the platform's user log directory (``~/.local/state/pozirk-reader/log`` on Linux)."""
    import platformdirs

    return platformdirs.user_log_path(APP_NAME) / LOG_FILE
