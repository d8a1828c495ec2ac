"""Reading, for the main screen: the article shown, previews that turn into openings, history, links and flags.

Moving the headline cursor previews the article under it once the cursor rests
(:data:`PREVIEW_DELAY`); a preview shown for :data:`DWELL_SECONDS` counts as opened: read, and
a step in the history. Enter, a followed link or a chosen backlink opens at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Protocol

from textual.timer import Timer

from pozirk_reader.core.config import DEFAULT_READ_AFTER_SECONDS
from pozirk_reader.core.navigation import Navigation
from pozirk_reader.core.operations.searching import similar
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import Headline, OpenedArticle, ResolvedLink
from pozirk_reader.core.wording import counted
from pozirk_reader.ui.controllers.host import Controller, Host, in_thread
from pozirk_reader.ui.controllers.writer import OrderedWriter
from pozirk_reader.ui.messages import ArticleLoaded, HeadlineChanged, SuggestionsFound, UnreadFound
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from pozirk_reader.ui.widgets.related_pane import RelatedPane

PREVIEW_DELAY = 0.08
"""The cursor must rest this long before its article is drawn, so held-down keys only move the cursor."""

DWELL_SECONDS = DEFAULT_READ_AFTER_SECONDS
"""An article shown this long under the cursor counts as read and enters the history (``read_after_seconds``;
0: never, only an opening counts)."""

SUGGEST_BELOW = 3
"""An article with fewer "see also" links than this gets suggestions ("more like this")."""

SUGGESTIONS = 5
"""How many suggestions at most."""


class ReadingHost(Host, Protocol):
    """What reading needs from the screen: the cache, the three panes, and fetching pages not cached."""

    @property
    def store(self) -> Store: ...

    @property
    def unread_only(self) -> bool: ...

    @property
    def headline_list(self) -> HeadlineList: ...

    @property
    def article_view(self) -> ArticleView: ...

    @property
    def related_pane(self) -> RelatedPane: ...

    @property
    def writer(self) -> OrderedWriter: ...

    def fetch_link(self, url: str, title: str) -> None:
        """Fetch the page a link points to, cache it and open it."""
        ...

    def search_near(self, headline: str) -> None:
        """Search the cache for articles near ``headline`` (a link that is not available)."""
        ...

    def list_row(self, article_id: str) -> int | None:
        """The row of ``article_id`` in the list as it is now (filtered or not), if it is there. Runs in a worker."""
        ...

    def unread_in_view(self, from_id: str | None, forward: bool) -> str | None:
        """The next unread article of the list after ``from_id`` (``forward``: further down). Runs in a worker."""
        ...


class ReadingController(Controller[ReadingHost]):
    """The article shown (:attr:`opened`) and the history (:attr:`navigation`); every cache read in a worker.

    What the keys act on is single-sourced: an action that needs the article on screen (a flag, a link,
    the next unread) waits, in order, until the article the reader is going to (a pending preview, a load
    on its way, the next unread being looked for) is shown; only the latest load is ever shown; and
    flags are flipped in the cache as it is when the write runs, the writes in the order they were asked.
    """

    dwell_seconds = DWELL_SECONDS
    preview_delay = PREVIEW_DELAY

    def __init__(self, host: ReadingHost) -> None:
        super().__init__(host)
        self.navigation = Navigation()
        self.opened: OpenedArticle | None = None
        self._dwell_timer: Timer | None = None
        self._preview_timer: Timer | None = None
        self._queued: list[Callable[[], None]] = []
        self._last_highlighted: str | None = None
        self._generation = 0
        """The latest load asked for; an :class:`ArticleLoaded` of an earlier one is dropped."""
        self._arrived = 0
        """The latest load that arrived."""
        self._wanted: str | None = None
        """The article of the latest load asked for: shown, or on its way."""
        self._lookups = 0
        """Next-unread lookups running."""
        self._offsets: dict[str, int] = {}
        """How far down to show an article the next time it is shown (going back to it)."""

    @property
    def shown_id(self) -> str | None:
        """The id of the article shown, if one is."""
        return self.opened.stored.article.id if self.opened else None

    @property
    def busy(self) -> bool:
        """Whether the reader is on its way to another article (a load or a next-unread lookup running)."""
        return self._generation != self._arrived or self._lookups > 0

    # -- previews --------------------------------------------------------------------------------

    def preview(self, article_id: str) -> None:
        """The cursor moved onto ``article_id``: show it once the cursor rests; if it stays, it counts as opened."""
        self._cancel_dwell()
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        self._last_highlighted = article_id
        if self._wanted == article_id:
            return
        self._preview_timer = self.host.set_timer(
            self.preview_delay, lambda: self._show_preview(article_id), name="preview"
        )

    def list_reloaded(self) -> None:
        """The list was loaded anew: the headline under the cursor is the article to show."""
        highlighted = self.host.headline_list.highlighted
        if highlighted is not None and highlighted.id != self._wanted:
            self.preview(highlighted.id)
        elif highlighted is not None:
            self._last_highlighted = highlighted.id

    def when_shown(self, action: Callable[[], None]) -> None:
        """Run ``action`` on the article the reader is on: at once, or (in order) once it is shown.

        A preview is pending while its timer runs, or while the cursor's :class:`HeadlineList.Highlighted`
        is still on its way (a key pressed right after a cursor key): it is drawn now. An article on its way
        (a load, a next-unread lookup) is waited for.
        """
        highlighted = self.host.headline_list.highlighted
        in_flight = highlighted is not None and highlighted.id not in (self._wanted, self._last_highlighted)
        if self._preview_timer is not None or in_flight:
            if self._preview_timer is not None:
                self._preview_timer.stop()
                self._preview_timer = None
            if highlighted is not None:
                self._show_preview(highlighted.id)
        if self.busy:
            self._queued.append(action)
            return
        action()

    def _run_queued(self) -> None:
        """Run the actions waiting for the article shown, in order, until one sets off for another article."""
        while self._queued and not self.busy:
            self._queued.pop(0)()

    def _show_preview(self, article_id: str) -> None:
        """The cursor rested on ``article_id``: show it and start the dwell timer."""
        self._preview_timer = None
        highlighted = self.host.headline_list.highlighted
        if highlighted is None or highlighted.id != article_id:
            return
        self._last_highlighted = article_id
        self.load_article(article_id, move_cursor=False)
        if self.dwell_seconds > 0:  # 0: a preview never counts as read, only an opening does
            self._dwell_timer = self.host.set_timer(self.dwell_seconds, lambda: self._dwelt(article_id), name="dwell")

    def _dwelt(self, article_id: str) -> None:
        """The article stayed under the cursor: read, and in the history."""
        if self.shown_id == article_id and not self.busy:
            self._visit(article_id)

    def _cancel_dwell(self) -> None:
        if self._dwell_timer is not None:
            self._dwell_timer.stop()
            self._dwell_timer = None

    # -- opening ---------------------------------------------------------------------------------

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
        shown = self.shown_id
        if keep_shown and shown and shown != article_id and shown != self.navigation.current:
            self._visit(shown)
        if self._wanted != article_id:
            self.load_article(article_id, move_cursor=move_cursor)
        self._visit(article_id)

    def _visit(self, article_id: str) -> None:
        """Add an opening to the history, mark it read, and keep both in the cache."""
        self._remember_offset()
        self.navigation.visit(article_id)
        self.host.writer.submit(lambda: self._record_opened(article_id))
        self._save_navigation()

    def load_article(self, article_id: str, move_cursor: bool) -> None:
        """Show ``article_id`` once read from the cache (its links and, if it has few, suggestions); with
        ``move_cursor``, the cursor goes to its row. Only the latest load asked for is shown."""
        self._generation += 1
        self._wanted = article_id
        self._read_article(article_id, move_cursor, self._generation)

    @in_thread(group="article", exclusive=True, description="opening the article")
    def _read_article(self, article_id: str, move_cursor: bool, generation: int) -> None:
        store = self.host.store
        opened: OpenedArticle | None = None
        row: int | None = None
        try:
            opened = store.open_article(article_id)
            if opened is None:
                self.host.app.call_from_thread(
                    self.host.notify, "That article is no longer in the cache.", severity="warning"
                )
                return
            row = self.host.list_row(article_id) if move_cursor else None
        finally:  # always, so that what waits for this article is not left waiting
            self.host.post_message(ArticleLoaded(opened, row, move_cursor, generation))
        if len(opened.links) < SUGGEST_BELOW:  # shown first; the suggestions follow (a search of the cache)
            linked = {link.target_id for link in opened.links}
            found = similar(store, article_id, SUGGESTIONS + len(linked))
            suggestions = tuple(headline for headline in found if headline.id not in linked)[:SUGGESTIONS]
            if suggestions:
                self.host.post_message(SuggestionsFound(article_id, suggestions, generation))

    def suggestions_found(self, message: SuggestionsFound) -> None:
        """Add the suggestions that arrived to the "see also" pane, if their article is still the one shown."""
        if message.generation != self._generation or self.shown_id != message.article_id or self.opened is None:
            return
        self.opened = dataclasses.replace(self.opened, suggestions=message.suggestions)
        self.host.related_pane.show(self.opened, keep_cursor=True)

    def article_loaded(self, message: ArticleLoaded) -> None:
        """Show the article that arrived (unless a later one was asked for), and run what waited for it."""
        if message.generation != self._generation:
            return  # overtaken: a later article is on its way, or shown already
        self._arrived = message.generation
        opened = message.opened
        if opened is None:
            self._queued.clear()  # they were for an article that is gone
            self._wanted = self.shown_id
            return
        if self.shown_id != opened.stored.article.id:
            self._remember_offset()
        self.opened = opened
        view = self.host.article_view
        view.show(opened)
        offset = self._offsets.pop(opened.stored.article.id, 0)
        if offset:
            view.scroll_to(y=offset, animate=False, immediate=True)
        self.host.related_pane.show(opened)
        if message.move_cursor:
            headlines = self.host.headline_list
            row = message.row if message.row is not None else headlines.row_of(opened.stored.article.id)
            if row is not None:
                headlines.move_to(row)
                self._last_highlighted = opened.stored.article.id
        self.host.update_status()
        self._run_queued()

    def restore_offset(self, article_id: str, offset: int) -> None:
        """Show ``article_id`` scrolled down ``offset`` lines: now if it is shown, else the next time it is."""
        if self.shown_id == article_id and self._wanted == article_id:
            self.host.article_view.scroll_to(y=offset, animate=False, immediate=True)
        else:
            self._offsets = {article_id: offset}

    def reload_article(self, article_id: str) -> None:
        """Show ``article_id`` again from the cache if it is the open one (its text changed)."""
        if self.shown_id == article_id:
            self.load_article(article_id, move_cursor=False)

    def _record_opened(self, article_id: str) -> None:
        self.host.store.record_opened(article_id)
        self._changed(article_id)

    def _changed(self, article_id: str) -> None:
        """Post the article's new flags (from a worker)."""
        store = self.host.store
        headline = next(iter(store.headlines_by_id([article_id])), None)
        if headline is not None:
            self.host.post_message(HeadlineChanged(headline, store.unread_count()))

    def flags_changed(self, headline: Headline) -> None:
        """Keep the open article's flags current; redraw it only if what it shows (the star) changed."""
        if self.opened is None or self.opened.stored.article.id != headline.id:
            return
        starred_before = self.opened.stored.starred
        stored = dataclasses.replace(self.opened.stored, read=headline.read, starred=headline.starred)
        self.opened = dataclasses.replace(self.opened, stored=stored)
        if starred_before != headline.starred:
            self.host.article_view.redraw(self.opened)

    # -- flags -----------------------------------------------------------------------------------

    def toggle_read(self) -> None:
        """Mark the article shown unread if the cache has it read, else read (after the writes before it)."""
        if self.opened:
            self._cancel_dwell()
            article_id = self.opened.stored.article.id
            self.host.writer.submit(lambda: self._toggle(article_id, "read"), "saving a flag")

    def toggle_star(self) -> None:
        """Star or unstar the article shown, as the cache has it when the write runs."""
        if self.opened:
            article_id = self.opened.stored.article.id
            self.host.writer.submit(lambda: self._toggle(article_id, "starred"), "saving a flag")

    def _toggle(self, article_id: str, flag: str) -> None:
        store = self.host.store
        (store.toggle_read if flag == "read" else store.toggle_starred)(article_id)
        self._changed(article_id)

    # -- next unread -----------------------------------------------------------------------------

    def next_unread(self, forward: bool) -> None:
        """Open the next unread article of the list after the one under the cursor (``forward``: down)."""
        highlighted = self.host.headline_list.highlighted
        from_id = highlighted.id if highlighted is not None else self.shown_id
        self._lookups += 1
        self._open_unread(from_id, forward)

    @in_thread(group="unread", description="finding unread")
    def _open_unread(self, from_id: str | None, forward: bool) -> None:
        target: str | None = None
        try:
            target = self.host.unread_in_view(from_id, forward)
        finally:
            self.host.post_message(UnreadFound(target, forward))

    def unread_found(self, article_id: str | None) -> None:
        """The lookup of :meth:`next_unread` ended: open what it found, or say there is nothing that way."""
        self._lookups -= 1
        if article_id is None:
            self.host.notify("No more unread articles that way.", timeout=2)
            self._queued.clear()
            return
        self.open_article(article_id)
        self._run_queued()

    # -- links and history -----------------------------------------------------------------------

    def follow_number(self, number: int) -> None:
        """Follow related link ``number`` (1-based) of the article shown."""
        if self.opened is None:
            return
        links = self.opened.links
        if number > len(links):
            self.host.notify(f"This article has {counted(len(links), 'related link')}.", timeout=3)
            return
        self.follow_link(links[number - 1].position)

    def follow_link(self, position: int) -> None:
        """Open the target of related link ``position``, or say why it cannot be opened."""
        assert self.opened is not None
        self._follow(next(link for link in self.opened.links if link.position == position))

    def follow_inline_link(self, position: int) -> None:
        """Open the target of link ``position`` in the text (marked ``[position + 1]``), as a related link's."""
        assert self.opened is not None
        self._follow(next(link for link in self.opened.inline if link.position == position))

    def browser_url(self) -> str | None:
        """The web address ``o`` opens: the link under the "see also" pane's cursor while it has the focus (a
        related link or a link in the text), else the article's own."""
        if self.opened is None:
            return None
        pane = self.host.related_pane
        url = pane.highlighted_url(self.opened) if pane.has_focus else None
        return url or self.opened.stored.article.url

    def _follow(self, link: ResolvedLink) -> None:
        """Open a link's cached target, else fetch its page, else say why it cannot be opened."""
        if link.target_id:
            self.open_article(link.target_id)
        elif link.url:
            self.host.fetch_link(link.url, link.title)
        else:  # not available: look for it in the cache, by its words
            self.host.search_near(link.title)

    def back(self) -> None:
        """Go back to the previous article opened."""
        self._go(self.navigation.back)

    def forward(self) -> None:
        """Go forward again."""
        self._go(self.navigation.forward)

    def _remember_offset(self) -> None:
        """Note in the history how far down the article shown is read, if it is the current entry's."""
        if self.opened is not None and self.shown_id == self.navigation.current:
            self.navigation.remember(self.host.article_view.scroll_offset.y)

    def _go(self, step: Callable[[], str | None]) -> None:
        """Take a step in the history; its article opens where it was left."""
        self._cancel_dwell()
        self._remember_offset()
        article_id = step()
        if article_id is None:
            self.host.notify("No further history.", timeout=2)
            return
        self._offsets = {article_id: self.navigation.current_offset}
        self.load_article(article_id, move_cursor=True)
        self._save_navigation()

    @in_thread(group="navigation", exclusive=True, description="saving the history")
    def _save_navigation(self) -> None:
        """Keep the history in the cache: its state when this runs, so the last save holds the latest."""
        self.host.store.set_meta("navigation", self.navigation.to_json())
