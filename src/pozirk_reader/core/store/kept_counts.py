"""Counts read from the cache and kept until the cache may have changed under them.

A :class:`~pozirk_reader.core.store.library.Store` keeps two kinds, each with a *version* it was read at:

- :class:`StemCounts`, the document counts of "more like this" (how many articles hold a stem), are
  valid while the search index is as it was: the version is ``PRAGMA data_version`` (which changes
  when any other connection, in this process or another, commits) with the number of this store's own
  write transactions that may have changed the index (a flag, the history or a meta value cannot).
- :class:`UnreadCount`, how many articles are unread, is valid while ``PRAGMA data_version`` is the
  same; this store's own writes that know by how much they changed it (a read mark, an opening) adjust
  it, and every other write of its own drops it.

Nothing is kept from inside a transaction (it may roll back), and a version is read before the count it
keys, so a count can only be newer than its version, never older: at worst it is read again.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Mapping

STEMS_KEPT = 20_000
"""Stems whose document counts are kept at most (about 60 an article): past it, the kept ones are forgotten."""


class StemCounts:
    """Document counts of stems (each counted up to a cap), kept for one version at a time; safe from any thread."""

    def __init__(self, capacity: int = STEMS_KEPT) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._version: Hashable = None
        self._counts: dict[str, int] = {}

    def known(self, version: Hashable, stems: Iterable[str]) -> dict[str, int]:
        """The kept counts of ``stems`` read at ``version`` (those read at another version are forgotten)."""
        with self._lock:
            if version != self._version:
                self._counts.clear()
                self._version = version
            counts = self._counts
            return {stem: counts[stem] for stem in stems if stem in counts}

    def keep(self, version: Hashable, counts: Mapping[str, int]) -> None:
        """Keep ``counts``, read at ``version``, unless the kept ones are of another version by now."""
        with self._lock:
            if version != self._version:
                return
            if len(self._counts) + len(counts) > self._capacity:
                self._counts.clear()
            self._counts.update(counts)

    def forget(self) -> None:
        """Forget every kept count (the next ones are read from the index)."""
        with self._lock:
            self._counts.clear()
            self._version = None

    def __len__(self) -> int:
        return len(self._counts)


class UnreadCount:
    """How many articles are unread, kept with the ``PRAGMA data_version`` it was read at.

    Not thread-safe on its own: the store calls it holding its connection's lock.
    """

    def __init__(self) -> None:
        self._kept: tuple[int, int] | None = None

    def get(self, data_version: int) -> int | None:
        """The kept count if it was read at ``data_version`` (no other connection has committed since)."""
        if self._kept is None or self._kept[0] != data_version:
            return None
        return self._kept[1]

    def keep(self, data_version: int, count: int) -> None:
        """Keep ``count``, read at ``data_version``."""
        self._kept = (data_version, count)

    def after_write(self, change: int | None) -> None:
        """After a write of this store's own connection (which leaves ``data_version`` as it is): add ``change``
        to the kept count, or with ``None`` (a write that does not know, or that failed) forget it."""
        if change is None or self._kept is None:
            self._kept = None
        else:
            self._kept = (self._kept[0], self._kept[1] + change)
