"""The main screen: headline list, article, "see also"; it coordinates the panes and does all I/O in workers.

The screen owns three controllers and is their host: :class:`ReadingController` (the article shown,
previews, history, flags), :class:`SearchController` (search, filters, find in the article) and
:class:`SourceController` (imports, feeds, pages). It handles the panes' messages and the workers'
results and hands each to the controller whose job it is; it loads the headline list itself.

The settings of the config file reach it as :class:`Settings` and it hands them on: the browser
command, the seconds to count as read, the headline rows, the refresh (automatic, full text, feeds at once).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
import webbrowser
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from pozirk_reader.core.article.hygiene import safe_line
from pozirk_reader.core.config import Settings
from pozirk_reader.core.navigation import Navigation
from pozirk_reader.core.operations.retention import Keeping
from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle
from pozirk_reader.core.wording import counted
from pozirk_reader.ui.browser import browser_command, run_suspended
from pozirk_reader.ui.commands import palette_commands
from pozirk_reader.ui.controllers.links import LinkController
from pozirk_reader.ui.controllers.reading import DWELL_SECONDS, ReadingController
from pozirk_reader.ui.controllers.search import SearchController
from pozirk_reader.ui.controllers.sources import SourceController
from pozirk_reader.ui.controllers.sources_pane import SourcesPaneController
from pozirk_reader.ui.controllers.syncing import SyncController
from pozirk_reader.ui.controllers.triage import TriageController
from pozirk_reader.ui.controllers.writer import OrderedWriter
from pozirk_reader.ui.messages import (
    ArticleLoaded,
    FeedsRefreshed,
    HeadlineChanged,
    ImportFinished,
    ListLoaded,
    ListState,
    Marked,
    PageFailed,
    PageFetched,
    PageLoaded,
    SourcesListed,
    SuggestionsFound,
    SyncFinished,
    TaskProgress,
    UnreadFound,
)
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import PAGE_SIZE, HeadlineList
from pozirk_reader.ui.widgets.query_bar import QueryBar
from pozirk_reader.ui.widgets.related_pane import RelatedPane
from pozirk_reader.ui.widgets.sources_pane import SourcesPane

NARROW_WIDTH = 100
"""Below this many columns the "see also" pane moves under the article."""

log = logging.getLogger(__name__)


def _now() -> float:
    """The clock notifications are timed by (the monotonic one)."""
    return time.monotonic()


class MainScreen(Screen[None]):
    """Three panes and a status line; every read and write of the cache runs in a worker."""

    BINDINGS = [
        # Help and Quit first: the footer shows bindings in order and cuts what does not fit at 80 columns.
        Binding("question_mark", "help", "Help", id="reader.help"),
        Binding("q", "quit", "Quit", id="reader.quit"),
        *(
            Binding(str(n), f"follow({n})", f"Follow link {n}", show=False, id=f"reader.follow_{n}")
            for n in range(1, 10)
        ),
        Binding("backspace,left_square_bracket,alt+left", "back", "Back", id="reader.back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", id="reader.forward"),
        Binding("m", "toggle_read", "Read", id="reader.toggle_read"),
        Binding("s", "toggle_star", "Star", id="reader.toggle_star"),
        Binding("u", "toggle_unread_only", "Unread only", show=False, id="reader.unread_only"),
        Binding("A", "mark_view_read", "All read", show=False, id="reader.mark_view_read"),
        Binding("C", "mark_source_read", "Source read", show=False, id="reader.mark_source_read"),
        Binding("U", "undo_mark", "Undo mark", show=False, id="reader.undo_mark"),
        Binding("n", "next_unread", "Next unread", id="reader.next_unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="reader.previous_unread"),
        Binding("L", "sources", "Sources", id="reader.sources"),
        Binding("slash", "search", "Search", id="reader.search", priority=True),
        Binding("F", "filter", "Filter", show=False, id="reader.filter"),
        Binding("escape", "close_search", "Close the search", show=False, id="reader.close_search"),
        Binding("ctrl+f", "find", "Find in the article", show=False, id="reader.find"),
        Binding("r", "refresh", "Refresh", id="reader.refresh"),
        Binding("S", "sync", "Sync", show=False, id="reader.sync"),
        Binding("at", "accounts", "Accounts", show=False, id="reader.accounts"),
        Binding("f", "full_text", "Full text", show=False, id="reader.full_text"),
        Binding("o", "open_in_browser", "Browser", show=False, id="reader.browser"),
        Binding("y", "copy", "Copy address", show=False, id="reader.copy"),
        Binding("t", "thread", "Thread", id="reader.thread"),
    ]

    def __init__(
        self,
        store: Store,
        import_paths: Iterable[Path] = (),
        samples: Path | None = None,
        feeds: Iterable[str] = (),
        keymap: dict[str, str] | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.import_paths = list(import_paths)
        self.feeds = list(feeds)
        self.samples = samples
        self.keymap = dict(keymap or {})
        self.settings = settings or Settings()
        self.unread_only = False
        self.unread = 0
        self.total = 0
        self._list_generation = 0
        self._toasts: dict[tuple[str, str, str], float] = {}
        """The notifications shown now, until when (by the monotonic clock)."""
        self.writer = OrderedWriter(self)
        """Every write of reading state, in the order it was asked for."""
        self.reading = ReadingController(self)
        if self.settings.read_after_seconds != DWELL_SECONDS:  # else the controller's own default
            self.reading.dwell_seconds = self.settings.read_after_seconds
        self.search = SearchController(self)
        self.triage = TriageController(self)
        self.sources_panel = SourcesPaneController(self)
        self.links = LinkController(self, self.settings.web_search)
        keep = Keeping(entries=self.settings.entries_per_refresh, articles=self.settings.max_articles_per_feed)
        self.sources = SourceController(
            self, self.settings.full_text, self.settings.concurrent_feeds, self.settings.refresh_minutes, keep
        )
        self.syncing = SyncController(self, self.settings.accounts, self.settings.refresh_minutes)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="list-column"):
                yield QueryBar(placeholder='search: words, "a phrase", prefix*, OR, -not', id="search")
                yield HeadlineList(id="headlines", rows=self.settings.headline_rows)
                yield SourcesPane(id="sources")
            with Horizontal(id="reading"):
                with Vertical(id="article-column"):
                    yield ArticleView(id="article")
                    yield QueryBar(placeholder="find in the article", id="find")
                yield RelatedPane(id="related")
        yield Static(id="status")
        yield Footer()

    # -- the panes and what they show, for the controllers ---------------------------------------

    @property
    def headline_list(self) -> HeadlineList:
        return self.query_one(HeadlineList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def related_pane(self) -> RelatedPane:
        return self.query_one(RelatedPane)

    @property
    def sources_pane(self) -> SourcesPane:
        return self.query_one(SourcesPane)

    @property
    def search_bar(self) -> QueryBar:
        return self.query_one("#search", QueryBar)

    @property
    def find_bar(self) -> QueryBar:
        return self.query_one("#find", QueryBar)

    @property
    def opened(self) -> OpenedArticle | None:
        """The article shown, if one is."""
        return self.reading.opened

    @property
    def navigation(self) -> Navigation:
        """The history of articles opened."""
        return self.reading.navigation

    def on_mount(self) -> None:
        """Load the list, reopen the last article, import and subscribe as asked (an empty cache gets the samples)."""
        self.headline_list.border_title = "Headlines"
        self.article_view.border_title = "Article"
        self.related_pane.border_title = "See also"
        self.sources_pane.border_title = "Sources"
        toggle = self.keymap.get("reader.sources", "L").split(",")[0]
        self.sources_pane.border_subtitle = f"⏎ shows · {toggle} closes"
        self.headline_list.focus()
        self._start()
        self.sources.schedule_refresh()
        self.syncing.start(automatic=True)
        self.syncing.schedule()

    # -- loading the list ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="start", exit_on_error=False, description="opening the cache")
    def _start(self) -> None:
        """Read the saved history, load the list and decide whether to import or subscribe."""
        self.reading.navigation = Navigation.from_json(self.store.get_meta("navigation"))
        current = self.reading.navigation.current
        if current and not self.store.headlines_by_id([current]):
            current = None
        state = self._list_state(current)
        if current:  # asked for before the list arrives, so the list knows it is the article to show
            offset = self.reading.navigation.current_offset

            def reopen(article_id: str = current) -> None:
                self.reading.restore_offset(article_id, offset)  # where it was read
                self.reading.load_article(article_id, move_cursor=False)

            self.app.call_from_thread(reopen)
        self.post_message(ListLoaded(state, open_cursor=current is None, generation=self._list_generation))
        empty = state.total == 0 and not self.feeds
        paths = self.import_paths or ([self.samples] if self.samples and empty else [])
        if paths:
            self.app.call_from_thread(self.sources.import_paths, paths)
        if self.feeds:
            self.app.call_from_thread(self.sources.refresh_feeds, self.feeds)

    def _list_state(self, article_id: str | None) -> ListState:
        """Count the list and fetch the page around ``article_id`` (or the top). Runs in a worker."""
        row = self.search.list_position(article_id) if article_id else None
        all_count, unread_count = self.store.counts()
        total = self.search.list_total(all_count, unread_count)
        cursor = min(row if row is not None else 0, max(total - 1, 0))
        start = cursor - cursor % PAGE_SIZE
        page, highlights = self.search.list_rows(start, PAGE_SIZE)
        return ListState(total, cursor, start, page, all_count, unread_count, highlights)

    def reload_list(self, article_id: str | None, open_cursor: bool = False) -> None:
        """Reload the list (search, filter or import), keeping ``article_id`` under the cursor; the latest wins."""
        self._list_generation += 1
        self._load_list(self._list_generation, article_id, open_cursor)

    @work(thread=True, exclusive=True, group="list", exit_on_error=False, description="loading headlines")
    def _load_list(self, generation: int, article_id: str | None, open_cursor: bool) -> None:
        self.post_message(ListLoaded(self._list_state(article_id), open_cursor, generation))

    @on(ListLoaded)
    def _on_list_loaded(self, message: ListLoaded) -> None:
        if message.generation != self._list_generation:
            return  # a search overtaken by a later one
        headlines = self.headline_list
        self.total, self.unread = message.state.all_count, message.state.unread_count
        headlines.reset(message.state.total, message.state.cursor, announce=False)
        headlines.supply(message.state.page_start, message.state.page, headlines.generation, message.state.highlights)
        self.update_status()
        if message.state.total == 0 and not self.search.searching:
            self.article_view.show_message(
                "No unread articles." if self.unread_only else "The cache is empty: importing…"
            )
        self.reading.list_reloaded()  # the headline under the cursor is what is shown
        self.search.results_loaded()

    @on(HeadlineList.PagesNeeded)
    def _pages_needed(self, message: HeadlineList.PagesNeeded) -> None:
        self._fetch_pages(message.starts, message.generation)

    @work(thread=True, group="pages", exit_on_error=False, description="loading headlines")
    def _fetch_pages(self, starts: list[int], generation: int) -> None:
        for start in starts:
            page, highlights = self.search.list_rows(start, PAGE_SIZE)
            self.post_message(PageLoaded(start, page, generation, highlights))

    @on(PageLoaded)
    def _on_page_loaded(self, message: PageLoaded) -> None:
        self.headline_list.supply(message.start, message.headlines, message.generation, message.highlights)

    # -- reading: opening, previews, history, flags ----------------------------------------------

    @on(HeadlineList.Highlighted)
    def _preview(self, message: HeadlineList.Highlighted) -> None:
        self.reading.preview(message.headline.id)

    @on(HeadlineList.Opened)
    def _open_headline(self, message: HeadlineList.Opened) -> None:
        """Enter on a headline: open it and move to the article pane."""
        self.open_article(message.headline.id, move_cursor=False, keep_shown=False)
        self.article_view.focus()

    def open_article(self, article_id: str, move_cursor: bool = True, keep_shown: bool = True) -> None:
        """Open an article as a new step in the history (see :meth:`ReadingController.open_article`)."""
        self.reading.open_article(article_id, move_cursor, keep_shown)

    def reload_article(self, article_id: str) -> None:
        """Show ``article_id`` again from the cache if it is the open one."""
        self.reading.reload_article(article_id)

    @on(ArticleLoaded)
    def _on_article_loaded(self, message: ArticleLoaded) -> None:
        self.reading.article_loaded(message)

    @on(SuggestionsFound)
    def _on_suggestions_found(self, message: SuggestionsFound) -> None:
        self.reading.suggestions_found(message)

    @on(UnreadFound)
    def _on_unread_found(self, message: UnreadFound) -> None:
        self.reading.unread_found(message.article_id)

    def list_row(self, article_id: str) -> int | None:
        """The row of ``article_id`` in the list as it is now, if it is there (runs in a worker)."""
        return self.search.list_row(article_id)

    def unread_in_view(self, from_id: str | None, forward: bool) -> str | None:
        """The next unread article of the list after ``from_id`` (runs in a worker)."""
        return self.search.unread_in_view(from_id, forward)

    def restore_offset(self, article_id: str, offset: int) -> None:
        """Show ``article_id`` scrolled down ``offset`` lines the next time it is shown."""
        self.reading.restore_offset(article_id, offset)

    @on(HeadlineChanged)
    def _on_headline_changed(self, message: HeadlineChanged) -> None:
        self.unread = message.unread
        self.headline_list.replace(message.headline)
        self.reading.flags_changed(message.headline)
        self.update_status()

    @on(RelatedPane.LinkChosen)
    def _link_chosen(self, message: RelatedPane.LinkChosen) -> None:
        self.follow_link(message.position)

    @on(RelatedPane.InlineLinkChosen)
    def _inline_link_chosen(self, message: RelatedPane.InlineLinkChosen) -> None:
        """Enter on a link in the text: open its article if cached, else fetch its page, as for see-also links."""
        self.reading.follow_inline_link(message.position)

    @on(RelatedPane.BacklinkChosen)
    @on(RelatedPane.SuggestionChosen)
    def _article_chosen(self, message: RelatedPane.BacklinkChosen | RelatedPane.SuggestionChosen) -> None:
        self.open_article(message.article_id)

    def follow_link(self, position: int) -> None:
        """Open the target of related link ``position`` of the article shown."""
        self.reading.follow_link(position)

    def action_follow(self, number: int) -> None:
        """Follow related link ``number`` (1-based) of the open article."""
        self.reading.when_shown(lambda: self.reading.follow_number(number))

    def action_back(self) -> None:
        """Go back to the previous article opened."""
        self.reading.back()

    def action_forward(self) -> None:
        """Go forward again."""
        self.reading.forward()

    def action_toggle_read(self) -> None:
        """Mark the open article read or unread."""
        self.reading.when_shown(self.reading.toggle_read)

    def action_toggle_star(self) -> None:
        """Star or unstar the open article."""
        self.reading.when_shown(self.reading.toggle_star)

    def action_mark_view_read(self) -> None:
        """Mark every article of the list as shown read (``A``)."""
        self.triage.mark_view()

    def action_mark_source_read(self) -> None:
        """Mark every article of the open article's source read (``C``)."""
        self.reading.when_shown(self.triage.mark_source)

    def action_undo_mark(self) -> None:
        """Undo the last mark of a view or a source (``U``)."""
        self.triage.undo()

    def view(self) -> tuple[str, SearchFilters]:
        """The query and filters of the list as shown now (the unread-only switch included)."""
        return self.search.query, self.search.active_filters()

    @on(Marked)
    def _on_marked(self, message: Marked) -> None:
        if message.shown is not None:
            self.reading.flags_changed(message.shown)
        self.triage.marked(message)
        self.sources_panel.reload()

    # -- the sources pane ------------------------------------------------------------------------

    def action_sources(self) -> None:
        """Open the sources pane in the list's place, or close it."""
        self.sources_panel.toggle()

    @on(SourcesListed)
    def _on_sources_listed(self, message: SourcesListed) -> None:
        self.sources_panel.listed(message.summaries)

    @on(SourcesPane.Chosen)
    def _source_chosen(self, message: SourcesPane.Chosen) -> None:
        self.sources_panel.chosen(message.source_id)

    @on(SourcesPane.Asked)
    def _source_asked(self, message: SourcesPane.Asked) -> None:
        self.sources_panel.asked(message.what, message.summary, message.label)

    def show_source(self, source_id: int | None) -> None:
        """Filter the list to one source's articles (``None``: every source's), other filters kept."""
        self.search.set_filters(dataclasses.replace(self.search.filters, source_id=source_id))

    def refresh_source(self, source_id: int) -> None:
        """Refresh one feed in the background."""
        self.sources.refresh_feeds([], only=[source_id])

    def mark_source_read(self, source_id: int) -> None:
        """Mark every article of a source read (``U`` undoes it)."""
        self.triage.mark_source(source_id)

    def action_toggle_unread_only(self) -> None:
        """Show only unread headlines, or all again."""
        self.unread_only = not self.unread_only
        self.reload_list(self.reading.shown_id)

    def action_next_unread(self) -> None:
        """Open the next unread article down the list."""
        self.reading.when_shown(lambda: self.reading.next_unread(True))

    def action_previous_unread(self) -> None:
        """Open the previous unread article up the list."""
        self.reading.when_shown(lambda: self.reading.next_unread(False))

    def action_open_in_browser(self) -> None:
        """Open a web address in the browser (http and https only, never through a shell): a failed page's
        offered for it, else the link under the cursor of the "see also" pane if it has the focus, else the
        article's own."""
        self.reading.when_shown(self._open_in_browser)

    def _open_in_browser(self) -> None:
        searched = self.links.web_search_url()
        if searched is not None:  # a link that is not available: search the web for it
            self._browse(searched)
            return
        url = self.sources.offered_url() or self.reading.browser_url()
        if not url or not url.lower().startswith(("http://", "https://")):
            self.notify("This article has no web address.", timeout=3)
            return
        self._browse(url)

    def action_thread(self) -> None:
        """Show the story of the open article: the cached articles joined to it through links."""
        self.reading.when_shown(self.links.thread)

    def action_copy(self) -> None:
        """Copy to the clipboard (OSC 52) the address of the link under the "see also" cursor, else of the
        open article; a headline when there is no address."""
        self.reading.when_shown(self.links.copy)

    def search_near(self, headline: str) -> None:
        """Search the cache for articles near ``headline`` (Enter on a link that is not available)."""
        self.links.search_near(headline)

    def browse(self, url: str) -> None:
        """Open ``url`` in the browser (in a worker)."""
        self._browse(url)

    @work(thread=True, exit_on_error=False, description="opening the browser")
    def _browse(self, url: str) -> None:
        """Open ``url`` with the browser command (see :mod:`pozirk_reader.ui.browser`), else the system's browser."""
        argv = browser_command(url, self.settings.browser, os.environ)
        if argv is None:
            if not webbrowser.open(url):
                self.app.call_from_thread(self.notify, f"No web browser could be started for {url}", severity="warning")
            return
        self.app.call_from_thread(self._run_browser, argv)

    def _run_browser(self, argv: list[str]) -> None:
        """Run the browser command with the reader suspended (on the UI thread: the terminal is the browser's)."""
        log.info("opening a page with %s", argv[0])
        problem = run_suspended(self.app, argv)
        if problem:
            self.notify(problem, severity="warning")
        self.refresh(layout=True)

    # -- search, filters, find -------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the search line (or go back to it). The binding has priority, so this runs before the keys
        after it are sent anywhere: a word typed in the same burst goes to the line. In a line, it is typed."""
        if isinstance(self.app.focused, Input):
            raise SkipAction()
        self.search.open_bar()

    @on(QueryBar.Changed, "#search")
    def _search_typed(self, event: QueryBar.Changed) -> None:
        self.search.typed(event.value)

    @on(QueryBar.Submitted, "#search")
    def _search_submitted(self, event: QueryBar.Submitted) -> None:
        self.search.submitted(event.value)

    @on(QueryBar.Leave, "#search")
    def _search_left(self) -> None:
        self.headline_list.focus()

    @on(QueryBar.Cancelled, "#search")
    def _search_cancelled(self) -> None:
        """Escape: close the search line and return to the whole list, where it was."""
        self.search.close()

    def action_close_search(self) -> None:
        """Escape outside the search and find lines: close the sources pane or the find, else leave the search
        results."""
        if self.sources_panel.is_open:
            self.sources_panel.close()
        elif self.find_bar.display:
            self.search.close_find()
        elif self.search.query or self.search_bar.display:
            self.search.close()

    def action_filter(self) -> None:
        """Choose filters for the list: unread, starred, one source, a date range."""
        self.search.pick_filters()

    def action_find(self) -> None:
        """Open the find line under the article."""
        self.search.open_find()

    @on(QueryBar.Changed, "#find")
    def _find_typed(self, event: QueryBar.Changed) -> None:
        self.search.find(event.value)

    @on(QueryBar.Submitted, "#find")
    @on(QueryBar.Leave, "#find")
    def _find_done(self) -> None:
        """Enter: keep the marks and go to the article, where n and N step through them."""
        self.article_view.focus()

    @on(QueryBar.Cancelled, "#find")
    def _find_cancelled(self) -> None:
        self.search.close_find()

    @on(ArticleView.Found)
    def _found(self, message: ArticleView.Found) -> None:
        self.search.found(message.query, message.current, message.total)

    # -- imports, feeds, pages -------------------------------------------------------------------

    @on(TaskProgress)
    def _on_task_progress(self, message: TaskProgress) -> None:
        self.sources.progress(message.text)

    @on(ImportFinished)
    def _on_import_finished(self, message: ImportFinished) -> None:
        self.sources.import_finished(message.reports)
        self.sources_panel.reload()

    def action_refresh(self) -> None:
        """Refresh every feed in the background."""
        self.sources.refresh_feeds([])

    @on(FeedsRefreshed)
    def _on_feeds_refreshed(self, message: FeedsRefreshed) -> None:
        self.sources.feeds_refreshed(message.reports, message.failures)
        self.sources_panel.reload()

    def action_sync(self) -> None:
        """Sync every account with its server in the background."""
        self.syncing.start()

    @on(SyncFinished)
    def _on_sync_finished(self, message: SyncFinished) -> None:
        self.sources.progress("")
        self.syncing.finished(message.reports, message.automatic)

    def action_accounts(self) -> None:
        """The accounts on news servers: add, remove, sync now."""
        self.syncing.open_accounts()

    def action_full_text(self) -> None:
        """Fetch the full text of the open article, if it shows only the feed's summary."""
        self.sources.full_text()

    def fetch_link(self, url: str, title: str) -> None:
        """Follow a link to a page that is not cached: fetch it, cache it, open it."""
        self.sources.fetch_link(url, title)

    @on(PageFetched)
    def _on_page_fetched(self, message: PageFetched) -> None:
        self.sources.page_fetched(message.article_id, message.follow)

    @on(PageFailed)
    def _on_page_failed(self, message: PageFailed) -> None:
        self.sources.page_failed(message.url, message.error)

    # -- help, palette, quit ---------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key."""
        from pozirk_reader.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self, self.keymap))

    async def action_quit(self) -> None:
        """Leave the reader."""
        self.app.exit()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every reader action for the command palette, and the open article's links."""
        return palette_commands(self)

    # -- status and layout -----------------------------------------------------------------------

    def update_status(self) -> None:
        """Write the status line: counts, what the list shows, the find, the task running."""
        source_id = self.search.filters.source_id
        label = None
        if source_id is not None:
            label = self.sources_pane.labels.get(source_id) or self.search.source_labels.get(source_id)
        headlines = Content(safe_line(f"Headlines · {label}")) if label else Content("Headlines")
        if str(self.headline_list.border_title) != headlines.markup:
            self.headline_list.border_title = headlines
        query, filters = self.search.query.strip(), self.search.filter_text(label)
        parts = [counted(self.total, "article"), f"{self.unread:,} unread"]
        if self.unread_only:
            parts.append("showing unread only")
        if query:
            widened = ", ".join(f"{word}*" for word in self.search.widened)
            parts.append(
                f"search “{query}”: {self.headline_list.total:,} found" + (f" (also {widened})" if widened else "")
            )
        if filters:
            parts.append(filters + (f" ({self.headline_list.total:,})" if not self.search.query else ""))
        if self.search.found_text:
            parts.append(self.search.found_text)
        if self.sources.task_text:
            parts.append(self.sources.task_text)
        self.query_one("#status", Static).update(Content(safe_line("  ·  ".join(parts))), layout=False)

    def on_resize(self, event: Resize) -> None:
        """Move the "see also" pane under the article on narrow terminals."""
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, always plain text on one line (the app's :meth:`~ReaderApp.notify` makes it so).
        Warnings and errors go to the log too. One that is shown already (the same words, title and severity)
        is not shown again over it while it lasts: a second refresh offline does not stack its errors."""
        if severity != "information":
            log.log(logging.ERROR if severity == "error" else logging.WARNING, "%s%s", title and f"{title}: ", message)
        now = _now()
        self._toasts = {key: until for key, until in self._toasts.items() if until > now}
        key = (message, title, severity)
        if key in self._toasts:
            return
        self._toasts[key] = now + (timeout if timeout is not None else self.app.NOTIFICATION_TIMEOUT)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker errors surface: the traceback to the log, one line as a notification; the
        reader keeps working."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            failure = (type(error), error, error.__traceback__)
            log.error(
                "%s failed (worker %s)", event.worker.description or "a task", event.worker.name, exc_info=failure
            )
            line = str(error).splitlines()[0] if str(error).strip() else type(error).__name__
            super().notify(line, severity="error", markup=False)
            if event.worker.group == "feeds":  # a refresh that failed has ended all the same
                self.sources.feeds_refreshed([], [])
