"""How much of a feed is kept, and how many feeds are fetched at once: the limits of
:mod:`pozirk_reader.core.limits` applied to a refresh.

Retention (``max_articles_per_feed``, like newsboat's ``max-items``) deletes a feed's oldest articles
after a refresh, in short transactions, never a starred one, one the feed still lists or the target of a
"see also" link from an article that stays. Fetches at once are as many as asked, fewer when the memory
available could not parse that many feeds at the size cap.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from pozirk_reader.core.limits import DEFAULT_FEED_ENTRIES, FEED_MEMORY_FACTOR, MAX_FEED_BYTES
from pozirk_reader.core.store.library import Store

RETENTION_BATCH = 500
"""Articles deleted by retention in one transaction (other writers wait a moment at most)."""


@dataclass(frozen=True, slots=True)
class Keeping:
    """How much of a feed is kept: ``entries`` read at each refresh (its newest), ``articles`` kept over
    time (the newest; 0 keeps all). Set by ``entries_per_refresh`` and ``max_articles_per_feed``."""

    entries: int = DEFAULT_FEED_ENTRIES
    articles: int = 0


KEEP_ALL_READ = Keeping()
"""The defaults: the newest :data:`~pozirk_reader.core.limits.DEFAULT_FEED_ENTRIES` entries read, every article kept."""


def fetches_at_once(wanted: int, max_bytes: int = MAX_FEED_BYTES) -> int:
    """``wanted`` feeds fetched at once, fewer if memory available now could not parse that many at the size cap.

    Each fetch is given :data:`~pozirk_reader.core.limits.FEED_MEMORY_FACTOR` times the cap; where the
    available memory is unknown, ``wanted`` is taken as it is.
    """
    available = available_memory()
    if available is None:
        return max(1, wanted)
    return max(1, min(wanted, available // (max_bytes * FEED_MEMORY_FACTOR)))


def available_memory() -> int | None:
    """Bytes of memory available to a new task now (Linux's ``MemAvailable``), else ``None``."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def retain(store: Store, source_id: int, listed: list[str], keep: Keeping) -> int:
    """Delete the feed's oldest articles beyond ``keep.articles`` (if set), in short transactions; returns
    how many went.

    Spared: starred articles, the articles of the entries the feed lists now (``listed``; else each would
    come back as new at the next refresh), and targets of "see also" links from articles that stay.
    """
    if keep.articles <= 0:
        return 0
    dropped = 0
    more = True
    while more:
        with store.writing() as tx:
            if not tx.has_source_id(source_id):
                return dropped
            removed, more = tx.drop_oldest(source_id, keep.articles, RETENTION_BATCH, listed)
        dropped += removed
        more = more and removed > 0
    return dropped


def release_free_memory() -> None:
    """Hand memory freed since the last call back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A refresh frees each feed's objects once it is written, but glibc keeps the freed pages in the arena of
    the thread that used them, one arena a fetching thread: without this, the resident memory of a long
    refresh grows with the feeds behind it, not with the few feeds being read at once.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim
