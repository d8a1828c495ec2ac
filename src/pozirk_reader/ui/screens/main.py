"""The main screen: headline list, article, "see also"; it coordinates the panes and does all I/O in workers."""

from __future__ import annotations

import dataclasses
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from pozirk_reader.core.navigation import Navigation
from pozirk_reader.core.operations.searching import similar
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import Headline, OpenedArticle
from pozirk_reader.ui.commands import palette_commands
from pozirk_reader.ui.messages import ArticleLoaded, HeadlineChanged, ListLoaded, ListState, PageLoaded
from pozirk_reader.ui.screens.search import SearchTasks
from pozirk_reader.ui.screens.sources import SourceTasks
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import PAGE_SIZE, HeadlineList
from pozirk_reader.ui.widgets.query_bar import QueryBar
from pozirk_reader.ui.widgets.related_pane import RelatedPane

PREVIEW_DELAY = 0.08
"""The cursor must rest this long before its article is drawn, so held-down keys only move the cursor."""

DWELL_SECONDS = 1.5
"""An article shown this long under the cursor counts as read and enters the history."""

SUGGEST_BELOW = 3
"""An article with fewer "see also" links than this gets suggestions ("more like this")."""

SUGGESTIONS = 5
"""How many suggestions at most."""

NARROW_WIDTH = 100
"""Below this many columns the "see also" pane moves under the article."""


class MainScreen(SearchTasks, SourceTasks):
    """Three panes and a status line; every read and write of the cache runs in a worker."""

    dwell_seconds = DWELL_SECONDS
    preview_delay = PREVIEW_DELAY

    BINDINGS = [
        *(
            Binding(str(n), f"follow({n})", f"Follow link {n}", show=False, id=f"reader.follow_{n}")
            for n in range(1, 10)
        ),
        Binding("backspace,left_square_bracket,alt+left", "back", "Back", id="reader.back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", id="reader.forward"),
        Binding("m", "toggle_read", "Read", id="reader.toggle_read"),
        Binding("s", "toggle_star", "Star", id="reader.toggle_star"),
        Binding("u", "toggle_unread_only", "Unread only", show=False, id="reader.unread_only"),
        Binding("n", "next_unread", "Next unread", id="reader.next_unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="reader.previous_unread"),
        Binding("slash", "search", "Search", id="reader.search"),
        Binding("F", "filter", "Filter", show=False, id="reader.filter"),
        Binding("escape", "close_search", "Close the search", show=False, id="reader.close_search"),
        Binding("ctrl+f", "find", "Find in the article", show=False, id="reader.find"),
        Binding("r", "refresh", "Refresh", id="reader.refresh"),
        Binding("f", "full_text", "Full text", show=False, id="reader.full_text"),
        Binding("o", "open_in_browser", "Browser", show=False, id="reader.browser"),
        Binding("question_mark", "help", "Help", id="reader.help"),
        Binding("q", "quit", "Quit", id="reader.quit"),
    ]

    def __init__(
        self, store: Store, import_paths: Iterable[Path] = (), samples: Path | None = None, feeds: Iterable[str] = ()
    ) -> None:
        super().__init__()
        self.store = store
        self.import_paths = list(import_paths)
        self.feeds = list(feeds)
        self.samples = samples
        self.navigation = Navigation()
        self.unread_only = False
        self.opened: OpenedArticle | None = None
        self.unread = 0
        self.total = 0
        self._dwell_timer = None
        self._preview_timer = None
        self._after_show: list[tuple[str, Callable[[], None]]] = []
        self._last_highlighted: str | None = None
        self._list_generation = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="list-column"):
                yield QueryBar(placeholder='search: words, "a phrase", prefix*, OR, -not', id="search")
                yield HeadlineList(id="headlines")
            with Horizontal(id="reading"):
                with Vertical(id="article-column"):
                    yield ArticleView(id="article")
                    yield QueryBar(placeholder="find in the article", id="find")
                yield RelatedPane(id="related")
        yield Static(id="status")
        yield Footer()

    @property
    def headline_list(self) -> HeadlineList:
        return self.query_one(HeadlineList)

    def on_mount(self) -> None:
        """Load the list, reopen the last article, import and subscribe as asked (an empty cache gets the samples)."""
        self.query_one("#headlines").border_title = "Headlines"
        self.query_one("#article").border_title = "Article"
        self.query_one("#related").border_title = "See also"
        self.headline_list.focus()
        self._start()

    # -- loading ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="start", exit_on_error=False, description="opening the cache")
    def _start(self) -> None:
        """Read the saved history, load the list and decide whether to import or subscribe."""
        self.navigation = Navigation.from_json(self.store.get_meta("navigation"))
        current = self.navigation.current
        if current and not self.store.headlines_by_id([current]):
            current = None
        state = self._list_state(current)
        self.post_message(ListLoaded(state, open_cursor=current is None, generation=self._list_generation))
        if current:
            self._load_article(current, move_cursor=False)
        empty = state.total == 0 and not self.feeds
        paths = self.import_paths or ([self.samples] if self.samples and empty else [])
        if paths:
            self.app.call_from_thread(self._import, paths)
        if self.feeds:
            self.app.call_from_thread(self._refresh_feeds, self.feeds)

    def _list_state(self, article_id: str | None) -> ListState:
        """Count the list and fetch the page around ``article_id`` (or the top). Runs in a worker."""
        row = self.list_position(article_id) if article_id else None
        cursor = row if row is not None else 0
        start = cursor - cursor % PAGE_SIZE
        page, highlights = self.list_rows(start, PAGE_SIZE)
        all_count, unread_count = self.store.counts()
        total = self.list_total(all_count, unread_count)
        return ListState(total, cursor, start, page, all_count, unread_count, highlights)

    def _reload_list(self, article_id: str | None, open_cursor: bool = False) -> None:
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
        headlines.reset(message.state.total, message.state.cursor, announce=message.open_cursor)
        headlines.supply(message.state.page_start, message.state.page, headlines.generation, message.state.highlights)
        self._update_status()
        if message.state.total == 0 and not self.searching:
            self.query_one(ArticleView).show_message(
                "No unread articles." if self.unread_only else "The cache is empty: importing…"
            )
        self.results_loaded()

    @on(HeadlineList.PagesNeeded)
    def _pages_needed(self, message: HeadlineList.PagesNeeded) -> None:
        self._fetch_pages(message.starts, message.generation)

    @work(thread=True, group="pages", exit_on_error=False, description="loading headlines")
    def _fetch_pages(self, starts: list[int], generation: int) -> None:
        for start in starts:
            page, highlights = self.list_rows(start, PAGE_SIZE)
            self.post_message(PageLoaded(start, page, generation, highlights))

    @on(PageLoaded)
    def _on_page_loaded(self, message: PageLoaded) -> None:
        self.headline_list.supply(message.start, message.headlines, message.generation, message.highlights)

    # -- opening articles ------------------------------------------------------------------------

    @on(HeadlineList.Highlighted)
    def _preview(self, message: HeadlineList.Highlighted) -> None:
        """Show the highlighted headline's article once the cursor rests; if it stays, it counts as opened."""
        self._cancel_dwell()
        if self._preview_timer is not None:
            self._preview_timer.stop()
        article_id = self._last_highlighted = message.headline.id
        if self.opened and self.opened.stored.article.id == article_id:
            return
        self._preview_timer = self.set_timer(self.preview_delay, lambda: self._show_preview(article_id))

    def _when_shown(self, action: Callable[[], None]) -> None:
        """Run ``action`` on the article the cursor is on: at once, or once a pending preview is drawn.

        A preview is pending while its timer runs, or while the cursor's :class:`HeadlineList.Highlighted`
        is still on its way (a key pressed right after a cursor key).
        """
        highlighted = self.headline_list.highlighted
        shown = self.opened.stored.article.id if self.opened else None
        in_flight = highlighted is not None and highlighted.id not in (shown, self._last_highlighted)
        if self._preview_timer is None and not in_flight:
            action()
            return
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if highlighted is None:
            action()
            return
        self._after_show.append((highlighted.id, action))
        self._show_preview(highlighted.id)

    def _show_preview(self, article_id: str) -> None:
        """The cursor rested on ``article_id``: show it and start the dwell timer."""
        self._preview_timer = None
        highlighted = self.headline_list.highlighted
        if highlighted is None or highlighted.id != article_id:
            return
        self._load_article(article_id, move_cursor=False)
        self._dwell_timer = self.set_timer(self.dwell_seconds, lambda: self._dwelt(article_id))

    def _dwelt(self, article_id: str) -> None:
        """The article stayed under the cursor: read, and in the history."""
        if self.opened and self.opened.stored.article.id == article_id:
            self._visit(article_id)

    def _cancel_dwell(self) -> None:
        if self._dwell_timer is not None:
            self._dwell_timer.stop()
            self._dwell_timer = None

    @on(HeadlineList.Opened)
    def _open_headline(self, message: HeadlineList.Opened) -> None:
        """Enter on a headline: open it and move to the article pane."""
        self.open_article(message.headline.id, move_cursor=False, keep_shown=False)
        self.query_one(ArticleView).focus()

    def open_article(self, article_id: str, move_cursor: bool = True, keep_shown: bool = True) -> None:
        """Open an article as a new step in the history, moving the headline cursor to it.

        With ``keep_shown``, the article shown until now enters the history first if it was
        only previewed, so that going back returns to it, as a browser returns to the page a
        link was on. (Enter on a headline does not keep it: the cursor had already left it.)
        """
        self._cancel_dwell()
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        shown = self.opened.stored.article.id if self.opened else None
        if keep_shown and shown and shown != article_id and shown != self.navigation.current:
            self._visit(shown)
        if shown != article_id:
            self._load_article(article_id, move_cursor=move_cursor)
        self._visit(article_id)

    def _visit(self, article_id: str) -> None:
        """Add an opening to the history, mark it read, and keep both in the cache."""
        self.navigation.visit(article_id)
        self._record_opened(article_id)
        self._save_navigation()

    @work(thread=True, exclusive=True, group="article", exit_on_error=False, description="opening the article")
    def _load_article(self, article_id: str, move_cursor: bool) -> None:
        opened = self.store.open_article(article_id)
        if opened is None:
            self.app.call_from_thread(self.notify, "That article is no longer in the cache.", severity="warning")
            return
        if len(opened.links) < SUGGEST_BELOW:
            linked = {link.target_id for link in opened.links}
            found = similar(self.store, article_id, SUGGESTIONS + len(linked))
            suggestions = tuple(headline for headline in found if headline.id not in linked)[:SUGGESTIONS]
            opened = dataclasses.replace(opened, suggestions=suggestions)
        row = self.store.position(article_id, self.unread_only) if move_cursor else None
        self.post_message(ArticleLoaded(opened, row, move_cursor))

    @on(ArticleLoaded)
    def _on_article_loaded(self, message: ArticleLoaded) -> None:
        self.opened = message.opened
        loaded = message.opened.stored.article.id
        actions = [action for article_id, action in self._after_show if article_id == loaded]
        self._after_show = [(article_id, action) for article_id, action in self._after_show if article_id != loaded]
        self.query_one(ArticleView).show(message.opened)
        self.query_one(RelatedPane).show(message.opened)
        if message.move_cursor and message.row is not None:
            self.headline_list.move_to(message.row)
        self._update_status()
        for action in actions:
            action()

    def _reload_article(self, article_id: str) -> None:
        """Show ``article_id`` again from the cache if it is the open one (its text changed)."""
        if self.opened and self.opened.stored.article.id == article_id:
            self._load_article(article_id, move_cursor=False)

    @work(thread=True, group="write", exit_on_error=False, description="saving what was read")
    def _record_opened(self, article_id: str) -> None:
        self.store.record_opened(article_id)
        self._changed(article_id)

    def _changed(self, article_id: str) -> None:
        """Post the article's new flags (from a worker)."""
        headline = next(iter(self.store.headlines_by_id([article_id])), None)
        if headline is not None:
            self.post_message(HeadlineChanged(headline, self.store.unread_count()))

    @on(HeadlineChanged)
    def _on_headline_changed(self, message: HeadlineChanged) -> None:
        self.unread = message.unread
        self.headline_list.replace(message.headline)
        if self.opened and self.opened.stored.article.id == message.headline.id:
            self._refresh_open_flags(message.headline)
        self._update_status()

    def _refresh_open_flags(self, headline: Headline) -> None:
        """Keep the open article's flags current; redraw it only if what it shows (the star) changed."""
        assert self.opened is not None
        starred_before = self.opened.stored.starred
        stored = dataclasses.replace(self.opened.stored, read=headline.read, starred=headline.starred)
        self.opened = dataclasses.replace(self.opened, stored=stored)
        if starred_before != headline.starred:
            self.query_one(ArticleView).redraw(self.opened)

    # -- following links and history -------------------------------------------------------------

    def action_follow(self, number: int) -> None:
        """Follow related link ``number`` (1-based) of the open article."""
        self._when_shown(lambda: self._follow_number(number))

    def _follow_number(self, number: int) -> None:
        """Follow related link ``number`` of the article now shown."""
        if self.opened is None:
            return
        links = self.opened.links
        if number > len(links):
            self.notify(f"This article has {len(links)} related link(s).", timeout=3)
            return
        self.follow_link(links[number - 1].position)

    @on(RelatedPane.LinkChosen)
    def _link_chosen(self, message: RelatedPane.LinkChosen) -> None:
        self.follow_link(message.position)

    @on(RelatedPane.BacklinkChosen)
    @on(RelatedPane.SuggestionChosen)
    def _article_chosen(self, message: RelatedPane.BacklinkChosen | RelatedPane.SuggestionChosen) -> None:
        self.open_article(message.article_id)

    def follow_link(self, position: int) -> None:
        """Open the target of related link ``position``, or say why it cannot be opened."""
        assert self.opened is not None
        link = next(link for link in self.opened.links if link.position == position)
        if link.target_id:
            self.open_article(link.target_id)
        elif link.url:
            self.fetch_link(link.url, link.title)
        else:
            self.notify("Not in the cache, and no web address is known.", title=link.title, timeout=6)

    def action_back(self) -> None:
        """Go back to the previous article opened."""
        self._go(self.navigation.back())

    def action_forward(self) -> None:
        """Go forward again."""
        self._go(self.navigation.forward())

    def _go(self, article_id: str | None) -> None:
        self._cancel_dwell()
        if article_id is None:
            self.notify("No further history.", timeout=2)
            return
        self._load_article(article_id, move_cursor=True)
        self._save_navigation()

    @work(thread=True, exclusive=True, group="navigation", exit_on_error=False, description="saving the history")
    def _save_navigation(self) -> None:
        """Keep the history in the cache: its state when this runs, so the last save holds the latest."""
        self.store.set_meta("navigation", self.navigation.to_json())

    # -- flags, filters, browser -----------------------------------------------------------------

    def action_toggle_read(self) -> None:
        """Mark the open article read or unread."""
        self._when_shown(self._toggle_read)

    def _toggle_read(self) -> None:
        if self.opened:
            self._cancel_dwell()
            article_id = self.opened.stored.article.id
            self._set_flag(article_id, "read", not self.opened.stored.read)

    def action_toggle_star(self) -> None:
        """Star or unstar the open article."""
        self._when_shown(self._toggle_star)

    def _toggle_star(self) -> None:
        if self.opened:
            article_id = self.opened.stored.article.id
            self._set_flag(article_id, "starred", not self.opened.stored.starred)

    @work(thread=True, group="write", exit_on_error=False, description="saving a flag")
    def _set_flag(self, article_id: str, flag: str, value: bool) -> None:
        (self.store.set_read if flag == "read" else self.store.set_starred)(article_id, value)
        self._changed(article_id)

    def action_close_search(self) -> None:
        """Escape outside the search and find lines: close the find, else leave the search results."""
        if self.query_one("#find", QueryBar).display:
            self.close_find()
        elif self.search_query or self.query_one("#search", QueryBar).display:
            self.close_search()

    def action_toggle_unread_only(self) -> None:
        """Show only unread headlines, or all again."""
        self.unread_only = not self.unread_only
        self._reload_list(self.opened.stored.article.id if self.opened else None)

    def action_next_unread(self) -> None:
        """Open the next unread article down the list."""
        self._open_unread(True, self._cursor_id())

    def action_previous_unread(self) -> None:
        """Open the previous unread article up the list."""
        self._open_unread(False, self._cursor_id())

    def _cursor_id(self) -> str | None:
        """The id under the headline cursor, else the open article's."""
        highlighted = self.headline_list.highlighted
        if highlighted is not None:
            return highlighted.id
        return self.opened.stored.article.id if self.opened else None

    @work(thread=True, exclusive=True, group="unread", exit_on_error=False, description="finding unread")
    def _open_unread(self, forward: bool, from_id: str | None) -> None:
        target = self.store.next_unread(from_id, forward)
        if target is None:
            self.app.call_from_thread(self.notify, "No more unread articles that way.", timeout=2)
            return
        self.app.call_from_thread(self.open_article, target)

    def action_open_in_browser(self) -> None:
        """Open the article's web address in the browser (http and https only, never through a shell)."""
        self._when_shown(self._open_in_browser)

    def _open_in_browser(self) -> None:
        url = self.offered_url() or (self.opened.stored.article.url if self.opened else None)
        if not url or not url.lower().startswith(("http://", "https://")):
            self.notify("This article has no web address.", timeout=3)
            return
        self._browse(url)

    @work(thread=True, exit_on_error=False, description="opening the browser")
    def _browse(self, url: str) -> None:
        if not webbrowser.open(url):
            self.app.call_from_thread(self.notify, f"No web browser could be started for {url}", severity="warning")

    def action_help(self) -> None:
        """Show every key."""
        from pozirk_reader.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    async def action_quit(self) -> None:
        """Leave the reader."""
        self.app.exit()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every reader action for the command palette, and the open article's links."""
        return palette_commands(self)

    # -- status and layout -----------------------------------------------------------------------

    def _update_status(self) -> None:
        parts = [f"{self.total:,} articles", f"{self.unread:,} unread"]
        if self.unread_only:
            parts.append("showing unread only")
        if self.search_query.strip():
            parts.append(f"search “{self.search_query.strip()}”: {self.headline_list.total:,} found")
        if self.filter_text():
            parts.append(self.filter_text() + (f" ({self.headline_list.total:,})" if not self.search_query else ""))
        if self.found_text:
            parts.append(self.found_text)
        if self.task_text:
            parts.append(self.task_text)
        self.query_one("#status", Static).update(Content("  ·  ".join(parts)), layout=False)

    def on_resize(self, event: Resize) -> None:
        """Move the "see also" pane under the article on narrow terminals."""
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker errors surface: a one-line notification; the reader keeps working."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(str(error).splitlines()[0] if str(error) else type(error).__name__, severity="error")
