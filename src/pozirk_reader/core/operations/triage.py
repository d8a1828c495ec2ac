"""Triage: marking a whole view or a source read at once, and undoing the last such mark.

A view is what the headline list shows: a search and its filters, or every headline. Each mark is one
write transaction (:meth:`~pozirk_reader.core.store.writing.WriteTransaction.set_read_many`) and returns
a :class:`Mark` naming exactly the articles it changed, which :func:`undo` turns back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pozirk_reader.core.operations.searching import count, search
from pozirk_reader.core.search.filters import NO_FILTERS, SearchFilters
from pozirk_reader.core.store.library import Store


@dataclass(frozen=True, slots=True)
class Mark:
    """One bulk mark: the articles whose read flag it changed, to what, and what was marked."""

    article_ids: tuple[str, ...]
    read: bool
    what: str
    """What was marked, for messages ("this view", a source's name)."""


def unread_ids(store: Store, query: str = "", filters: SearchFilters | None = None) -> list[str]:
    """The ids of every unread article that ``query`` and ``filters`` find (the whole cache for neither)."""
    unread = dataclasses.replace(filters or NO_FILTERS, unread_only=True)
    total = count(store, query, unread)
    return [hit.headline.id for hit in search(store, query, limit=total, filters=unread)] if total else []


def mark_read(store: Store, article_ids: list[str], what: str) -> Mark:
    """Mark ``article_ids`` read in one transaction; the :class:`Mark` holds those that were unread."""
    with store.writing() as tx:
        changed = tx.set_read_many(article_ids, True)
    return Mark(tuple(changed), True, what)


def mark_view_read(store: Store, query: str = "", filters: SearchFilters | None = None, what: str = "") -> Mark:
    """Mark read every article of a view (``query`` and ``filters``, as the headline list shows them)."""
    return mark_read(store, unread_ids(store, query, filters), what or "this view")


def mark_source_read(store: Store, source_id: int, what: str) -> Mark:
    """Mark read every article of the source ``source_id``."""
    return mark_read(store, unread_ids(store, "", SearchFilters(source_id=source_id)), what)


def undo(store: Store, mark: Mark) -> Mark:
    """Turn ``mark`` back: the articles it changed get their flag as before (one transaction)."""
    with store.writing() as tx:
        changed = tx.set_read_many(mark.article_ids, not mark.read)
    return Mark(tuple(changed), not mark.read, mark.what)
