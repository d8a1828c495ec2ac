"""Searching the library and finding in the article, for the main screen.

``/`` opens the search line over the headlines: results replace the list as you type (after a
short pause; the latest query wins), best first, the matching words marked; Enter opens the
first result and Escape returns to the whole list where it was. Filters (unread, starred, one
source, a date range) combine with the search. ``ctrl+f`` finds in the open article.
"""

from __future__ import annotations

import dataclasses

from textual import on
from textual.screen import Screen
from textual.timer import Timer

from pozirk_reader.core.operations.searching import count, search
from pozirk_reader.core.search.filters import NO_FILTERS, SearchFilters
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import Headline, OpenedArticle, Source
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from pozirk_reader.ui.widgets.query_bar import QueryBar

SEARCH_DELAY = 0.15
"""Typing must pause this long before the list is searched again."""

Highlights = dict[str, tuple[tuple[int, int], ...]]


class SearchTasks(Screen[None]):
    """Search, filters and find for the main screen, which supplies the hooks below."""

    search_delay = SEARCH_DELAY

    store: Store
    opened: OpenedArticle | None
    unread_only: bool
    headline_list: HeadlineList

    def __init__(self) -> None:
        super().__init__()
        self.search_query = ""
        self.filters: SearchFilters = NO_FILTERS
        self.found_text = ""
        self._search_timer: Timer | None = None
        self._before_search: str | None = None
        self._open_first = False

    # hooks the main screen implements
    def _reload_list(self, article_id: str | None, open_cursor: bool = False) -> None:
        raise NotImplementedError

    def open_article(self, article_id: str, move_cursor: bool = True, keep_shown: bool = True) -> None:
        raise NotImplementedError

    def _update_status(self) -> None:
        raise NotImplementedError

    # -- what the list shows (these run in workers) ----------------------------------------------

    @property
    def searching(self) -> bool:
        """Whether the list shows search results or a filtered list rather than every headline."""
        return bool(self.search_query.strip()) or self.filters != NO_FILTERS

    def _active_filters(self) -> SearchFilters:
        return dataclasses.replace(self.filters, unread_only=self.filters.unread_only or self.unread_only)

    def list_rows(self, start: int, limit: int) -> tuple[list[Headline], Highlights]:
        """Rows ``start``… of the list: every headline, or the search results with their matched spans."""
        if not self.searching:
            return self.store.headlines(start, limit, self.unread_only), {}
        hits = search(self.store, self.search_query, limit=limit, offset=start, filters=self._active_filters())
        return [hit.headline for hit in hits], {hit.headline.id: hit.title_spans for hit in hits if hit.title_spans}

    def list_total(self, all_count: int, unread_count: int) -> int:
        """How many rows the list has."""
        if not self.searching:
            return unread_count if self.unread_only else all_count
        return count(self.store, self.search_query, self._active_filters())

    def list_position(self, article_id: str) -> int | None:
        """The row of ``article_id`` in the whole list (search results start at the top)."""
        return None if self.searching else self.store.position(article_id, self.unread_only)

    # -- searching -------------------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the search line (or go back to it)."""
        bar = self.query_one("#search", QueryBar)
        if not bar.display:
            self._before_search = self.opened.stored.article.id if self.opened else None
            bar.display = True
        bar.focus()

    @on(QueryBar.Changed, "#search")
    def _search_typed(self, event: QueryBar.Changed) -> None:
        """Search again once typing pauses; an earlier pending search is dropped."""
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        self._search_timer = self.set_timer(self.search_delay, lambda: self._run_search(value))

    def _run_search(self, query: str) -> None:
        self._search_timer = None
        if query == self.search_query:
            return
        self.search_query = query
        self._reload_list(None, open_cursor=not self._open_first)

    @on(QueryBar.Submitted, "#search")
    def _search_submitted(self, event: QueryBar.Submitted) -> None:
        """Enter: open the first result (once the latest query's results are in)."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self._open_first = True
        if event.value != self.search_query:
            self.search_query = event.value
            self._reload_list(None)
        else:
            self.results_loaded()

    def results_loaded(self) -> None:
        """The list was loaded: if Enter is waiting for it, open the first result."""
        if not self._open_first:
            return
        self._open_first = False
        first = self.headline_list.headline_at(0)
        if first is None:
            self.notify("Nothing found.", timeout=3)
            return
        self.open_article(first.id, move_cursor=False, keep_shown=False)
        self.query_one(ArticleView).focus()

    @on(QueryBar.Leave, "#search")
    def _search_left(self) -> None:
        self.headline_list.focus()

    @on(QueryBar.Cancelled, "#search")
    def _search_cancelled(self) -> None:
        """Escape: close the search line and return to the whole list, where it was."""
        self.close_search()

    def close_search(self) -> None:
        """Clear the query and hide the search line; the list returns to the article shown before."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        bar = self.query_one("#search", QueryBar)
        bar.value = ""
        bar.display = False
        self.search_query = ""
        self._open_first = False
        self._reload_list(self._before_search or (self.opened.stored.article.id if self.opened else None))
        self.headline_list.focus()

    # -- filters ---------------------------------------------------------------------------------

    def action_filter(self) -> None:
        """Choose filters for the list: unread, starred, one source, a date range."""
        self._pick_filters(self.store.sources())

    def _pick_filters(self, sources: list[Source]) -> None:
        from pozirk_reader.ui.screens.filters import FilterScreen

        self.app.push_screen(FilterScreen(self.filters, sources), self._set_filters)

    def _set_filters(self, filters: SearchFilters | None) -> None:
        if filters is None or filters == self.filters:
            return
        if not self.searching:
            self._before_search = self.opened.stored.article.id if self.opened else None
        self.filters = filters
        self._reload_list(None if self.searching else self._before_search)

    def filter_text(self) -> str:
        """The filters in force, for the status line."""
        parts = []
        if self.filters.starred_only:
            parts.append("starred")
        if self.filters.unread_only:
            parts.append("unread")
        if self.filters.source_id is not None:
            parts.append("one source")
        if self.filters.since or self.filters.until:
            since = self.filters.since.isoformat() if self.filters.since else "…"
            until = self.filters.until.isoformat() if self.filters.until else "…"
            parts.append(f"{since} – {until}")
        return ("filtered: " + ", ".join(parts)) if parts else ""

    # -- finding in the article ------------------------------------------------------------------

    def action_find(self) -> None:
        """Open the find line under the article."""
        bar = self.query_one("#find", QueryBar)
        bar.display = True
        bar.focus()

    @on(QueryBar.Changed, "#find")
    def _find_typed(self, event: QueryBar.Changed) -> None:
        self.query_one(ArticleView).find(event.value)

    @on(QueryBar.Submitted, "#find")
    @on(QueryBar.Leave, "#find")
    def _find_done(self) -> None:
        """Enter: keep the marks and go to the article, where n and N step through them."""
        self.query_one(ArticleView).focus()

    @on(QueryBar.Cancelled, "#find")
    def _find_cancelled(self) -> None:
        self.close_find()

    def close_find(self) -> None:
        """Hide the find line and clear its marks."""
        bar = self.query_one("#find", QueryBar)
        bar.value = ""
        bar.display = False
        self.query_one(ArticleView).clear_find()
        self.query_one(ArticleView).focus()

    @on(ArticleView.Found)
    def _found(self, message: ArticleView.Found) -> None:
        if not message.query:
            self.found_text = ""
        elif message.total:
            self.found_text = f"“{message.query}”: {message.current + 1} of {message.total} (n / N)"
        else:
            self.found_text = f"“{message.query}”: not in this article"
        self._update_status()
