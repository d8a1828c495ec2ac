"""What else a search result must be besides matching the query: unread, starred, from a source, dated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What else a result must be: unread, starred, from one source, dated within a range (days included)."""

    unread_only: bool = False
    starred_only: bool = False
    source_id: int | None = None
    since: date | None = None
    until: date | None = None


NO_FILTERS = SearchFilters()
