"""A story's thread for the reader: the cached articles joined to one through "see also" links (see
:mod:`pozirk_reader.core.story`), oldest first, each with how many links away it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import Headline
from pozirk_reader.core.story import MAX_HOPS, MAX_THREAD, thread_hops


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One article of a thread and how many links it is from the article the thread is of (0: that one)."""

    headline: Headline
    hops: int


def story_thread(store: Store, article_id: str, max_hops: int = MAX_HOPS, limit: int = MAX_THREAD) -> list[ThreadEntry]:
    """The thread of ``article_id`` in date order (undated articles last), the article itself included."""
    hops = thread_hops(article_id, store.link_neighbours, max_hops, limit)
    headlines = store.headlines_by_id(list(hops))
    entries = [ThreadEntry(headline, hops[headline.id]) for headline in headlines]
    entries.sort(key=lambda e: (e.headline.date is None, e.headline.date or date.min, e.hops, e.headline.title))
    return entries
