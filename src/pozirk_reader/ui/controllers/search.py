"""Searching the library and finding in the article, for the main screen.

``/`` opens the search line over the headlines: results replace the list as you type (after a
short pause; the latest query wins), best first, the matching words marked; Enter opens the
first result and Escape returns to the whole list where it was. Filters (unread, starred, one
source, a date range) combine with the search. ``ctrl+f`` finds in the open article.
"""

from __future__ import annotations

import dataclasses
from typing import Protocol

from textual.timer import Timer

from pozirk_reader.core.operations.searching import count, forgiven, search
from pozirk_reader.core.search.filters import NO_FILTERS, SearchFilters
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import Headline, OpenedArticle, SourceSummary, distinct_labels
from pozirk_reader.ui.controllers.host import Controller, Host, focus_now, in_thread
from pozirk_reader.ui.messages import Highlights
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from pozirk_reader.ui.widgets.query_bar import QueryBar

SEARCH_DELAY = 0.15
"""Typing must pause this long before the list is searched again."""


class SearchHost(Host, Protocol):
    """What searching needs from the screen: the cache, the panes and the two query lines, and the list."""

    @property
    def store(self) -> Store: ...

    @property
    def unread_only(self) -> bool: ...

    @property
    def opened(self) -> OpenedArticle | None: ...

    @property
    def headline_list(self) -> HeadlineList: ...

    @property
    def article_view(self) -> ArticleView: ...

    @property
    def search_bar(self) -> QueryBar: ...

    @property
    def find_bar(self) -> QueryBar: ...

    def reload_list(self, article_id: str | None, open_cursor: bool = False) -> None:
        """Load the list again with ``article_id`` under the cursor (the latest reload wins)."""
        ...

    def open_article(self, article_id: str, move_cursor: bool = True, keep_shown: bool = True) -> None:
        """Open an article as a new step in the history."""
        ...

    def restore_offset(self, article_id: str, offset: int) -> None:
        """Show ``article_id`` scrolled down ``offset`` lines the next time it is shown."""
        ...


class SearchController(Controller[SearchHost]):
    """The query, the filters and the find in the article; what the headline list shows follows from them."""

    delay = SEARCH_DELAY

    def __init__(self, host: SearchHost) -> None:
        super().__init__(host)
        self.query = ""
        self.filters: SearchFilters = NO_FILTERS
        self.found_text = ""
        self._timer: Timer | None = None
        self._before_search: tuple[str, int] | None = None
        """The article shown when the search line opened, and how far down it was read."""
        self._open_first = False
        self.widened: tuple[str, ...] = ()
        """The query's words that found little and were also matched as prefixes (for the status line)."""
        self.source_labels: dict[int, str] = {}
        """The sources' names as the filter dialog last listed them."""

    def _shown_id(self) -> str | None:
        opened = self.host.opened
        return opened.stored.article.id if opened else None

    # -- what the list shows (these run in workers) ----------------------------------------------

    @property
    def searching(self) -> bool:
        """Whether the list shows search results or a filtered list rather than every headline."""
        return bool(self.query.strip()) or self.filters != NO_FILTERS

    def active_filters(self) -> SearchFilters:
        return dataclasses.replace(self.filters, unread_only=self.filters.unread_only or self.host.unread_only)

    def list_rows(self, start: int, limit: int) -> tuple[list[Headline], Highlights]:
        """Rows ``start``… of the list: every headline, or the search results with their matched spans."""
        store = self.host.store
        if not self.searching:
            return store.headlines(start, limit, self.host.unread_only), {}
        hits = search(store, self.query, limit=limit, offset=start, filters=self.active_filters())
        return [hit.headline for hit in hits], {hit.headline.id: hit.title_spans for hit in hits if hit.title_spans}

    def list_total(self, all_count: int, unread_count: int) -> int:
        """How many rows the list has."""
        if not self.searching:
            self.widened = ()
            return unread_count if self.host.unread_only else all_count
        self.widened = forgiven(self.host.store, self.query) if self.query.strip() else ()
        return count(self.host.store, self.query, self.active_filters())

    @property
    def ranked(self) -> bool:
        """Whether the list is in an order of its own (search results by relevance), not newest first."""
        return bool(self.query.strip())

    def list_position(self, article_id: str) -> int | None:
        """The row for the cursor with ``article_id`` in mind: its row in the list, else the row of the first
        article older than it; ``None`` for search results (they start at the top)."""
        if self.ranked:
            return None
        found = self.host.store.search_index.position(article_id, self.active_filters())
        return found[0] if found else None

    def list_row(self, article_id: str) -> int | None:
        """The row of ``article_id`` in the list, if it is in it (search results: not known)."""
        if self.ranked:
            return None
        found = self.host.store.search_index.position(article_id, self.active_filters())
        return found[0] if found and found[1] else None

    def unread_in_view(self, from_id: str | None, forward: bool) -> str | None:
        """The next unread article of the list (newest first, filtered) after ``from_id``."""
        return self.host.store.search_index.next_unread(from_id, self.active_filters(), forward)

    # -- searching -------------------------------------------------------------------------------

    def open_bar(self, focus: bool = True) -> None:
        """Open the search line (or go back to it); ``focus``: the keys go to it."""
        bar = self.host.search_bar
        if not bar.display:
            shown = self._shown_id()
            if shown is not None and self._before_search is None:
                self._before_search = (shown, self.host.article_view.scroll_offset.y)
            bar.display = True
        if focus:
            focus_now(bar)

    def search_for(self, query: str) -> None:
        """Show the results of ``query`` at once, in the search line as if typed (Escape returns as from a
        search); the list takes the focus, its first result shown."""
        self.open_bar(focus=False)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.query = query
        self.host.search_bar.value = query  # its Changed finds the query already run
        self.host.search_bar.cursor_position = 0  # a long query shows its start, not its last words
        self.host.reload_list(None, open_cursor=True)
        self.host.headline_list.focus()

    def typed(self, value: str) -> None:
        """Search again once typing pauses; an earlier pending search is dropped."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.host.set_timer(self.delay, lambda: self._run(value), name="search")

    def _run(self, query: str) -> None:
        self._timer = None
        if query == self.query:
            return
        self.query = query
        self.host.reload_list(None, open_cursor=not self._open_first)

    def submitted(self, value: str) -> None:
        """Enter: open the first result (once the latest query's results are in)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._open_first = True
        if value != self.query:
            self.query = value
            self.host.reload_list(None)
        else:
            self.results_loaded()

    def results_loaded(self) -> None:
        """The list was loaded: if Enter is waiting for it, open the first result."""
        if not self._open_first:
            return
        self._open_first = False
        first = self.host.headline_list.headline_at(0)
        if first is None:
            self.host.notify("Nothing found.", timeout=3)
            self.host.search_bar.mend()
            return
        self.host.open_article(first.id, move_cursor=False, keep_shown=False)
        focus_now(self.host.article_view)  # a key typed right after Enter goes to the article, not the line

    def close(self) -> None:
        """Clear the query and hide the search line; the list returns to the article shown before."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        bar = self.host.search_bar
        bar.value = ""
        bar.display = False
        self.query = ""
        self.widened = ()
        self._open_first = False
        before, self._before_search = self._before_search, None
        if before is not None:
            self.host.restore_offset(*before)
        self.host.reload_list(before[0] if before else self._shown_id())
        self.host.headline_list.focus()

    # -- filters ---------------------------------------------------------------------------------

    @in_thread(group="filters", exclusive=True, description="listing the sources")
    def pick_filters(self) -> None:
        """Choose filters for the list in the filter dialog: unread, starred, one source, a date range."""
        sources = self.host.store.source_summaries()
        self.host.app.call_from_thread(self._show_dialog, sources)

    def _show_dialog(self, sources: list[SourceSummary]) -> None:
        from pozirk_reader.ui.screens.filters import FilterScreen

        self.source_labels = distinct_labels(sources)
        if not isinstance(self.host.app.screen, FilterScreen):  # F pressed twice: one dialog
            self.host.app.push_screen(FilterScreen(self.filters, sources), self.set_filters)

    def set_filters(self, filters: SearchFilters | None) -> None:
        """Show the list through ``filters`` (``None``: the dialog was cancelled)."""
        if filters is None or filters == self.filters:
            return
        self.filters = filters
        self.host.reload_list(self._shown_id())

    def filter_text(self, source_label: str | None = None) -> str:
        """The filters in force, for the status line (the one source by ``source_label`` where it is known)."""
        parts = []
        if self.filters.starred_only:
            parts.append("starred")
        if self.filters.unread_only:
            parts.append("unread")
        if self.filters.source_id is not None:
            parts.append(f"source “{source_label}”" if source_label else "one source")
        if self.filters.since or self.filters.until:
            since = self.filters.since.isoformat() if self.filters.since else "…"
            until = self.filters.until.isoformat() if self.filters.until else "…"
            parts.append(f"{since} – {until}")
        return ("filtered: " + ", ".join(parts)) if parts else ""

    # -- finding in the article ------------------------------------------------------------------

    def open_find(self) -> None:
        """Open the find line under the article."""
        bar = self.host.find_bar
        bar.display = True
        bar.focus()

    def find(self, value: str) -> None:
        """Mark ``value`` in the article as it is typed."""
        self.host.article_view.find(value)

    def close_find(self) -> None:
        """Hide the find line and clear its marks."""
        bar = self.host.find_bar
        bar.value = ""
        bar.display = False
        self.host.article_view.clear_find()
        self.host.article_view.focus()

    def found(self, query: str, current: int, total: int) -> None:
        """The article pane found ``total`` matches of ``query``, ``current`` the one shown: say so."""
        if not query:
            self.found_text = ""
        elif total:
            self.found_text = f"“{query}”: {current + 1} of {total} (n / N)"
        else:
            self.found_text = f"“{query}”: not in this article"
        self.host.update_status()
