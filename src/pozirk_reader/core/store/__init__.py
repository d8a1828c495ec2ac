"""The offline cache: the only package that speaks SQL."""

import sqlite3


def sqlite_version() -> str:
    """The version of the SQLite library the cache runs on (for ``--version`` and bug reports)."""
    return sqlite3.sqlite_version
