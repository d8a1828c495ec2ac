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
from pozirk_reader.ui.controllers.host import Controller, Host, in_thread
from pozirk_reader.ui.messages import ArticleLoaded, HeadlineChanged
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

    def fetch_link(self, url: str, title: str) -> None:
        """Fetch the page a link points to, cache it and open it."""
        ...


class ReadingController(Controller[ReadingHost]):
    """The article shown (:attr:`opened`) and the history (:attr:`navigation`); every cache read in a worker."""

    dwell_seconds = DWELL_SECONDS
    preview_delay = PREVIEW_DELAY

    def __init__(self, host: ReadingHost) -> None:
        super().__init__(host)
        self.navigation = Navigation()
        self.opened: OpenedArticle | None = None
        self._dwell_timer: Timer | None = None
        self._preview_timer: Timer | None = None
        self._after_show: list[tuple[str, Callable[[], None]]] = []
        self._last_highlighted: str | None = None

    @property
    def shown_id(self) -> str | None:
        """The id of the article shown, if one is."""
        return self.opened.stored.article.id if self.opened else None

    # -- previews --------------------------------------------------------------------------------

    def preview(self, article_id: str) -> None:
        """The cursor moved onto ``article_id``: show it once the cursor rests; if it stays, it counts as opened."""
        self._cancel_dwell()
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._last_highlighted = article_id
        if self.shown_id == article_id:
            return
        self._preview_timer = self.host.set_timer(
            self.preview_delay, lambda: self._show_preview(article_id), name="preview"
        )

    def when_shown(self, action: Callable[[], None]) -> None:
        """Run ``action`` on the article the cursor is on: at once, or once a pending preview is drawn.

        A preview is pending while its timer runs, or while the cursor's :class:`HeadlineList.Highlighted`
        is still on its way (a key pressed right after a cursor key).
        """
        highlighted = self.host.headline_list.highlighted
        in_flight = highlighted is not None and highlighted.id not in (self.shown_id, self._last_highlighted)
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
        highlighted = self.host.headline_list.highlighted
        if highlighted is None or highlighted.id != article_id:
            return
        self.load_article(article_id, move_cursor=False)
        if self.dwell_seconds > 0:  # 0: a preview never counts as read, only an opening does
            self._dwell_timer = self.host.set_timer(self.dwell_seconds, lambda: self._dwelt(article_id), name="dwell")

    def _dwelt(self, article_id: str) -> None:
        """The article stayed under the cursor: read, and in the history."""
        if self.shown_id == article_id:
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
        if shown != article_id:
            self.load_article(article_id, move_cursor=move_cursor)
        self._visit(article_id)

    def _visit(self, article_id: str) -> None:
        """Add an opening to the history, mark it read, and keep both in the cache."""
        self.navigation.visit(article_id)
        self._record_opened(article_id)
        self._save_navigation()

    @in_thread(group="article", exclusive=True, description="opening the article")
    def load_article(self, article_id: str, move_cursor: bool) -> None:
        """Read the article, its links and (if it has few) suggestions; with ``move_cursor``, its row too."""
        store = self.host.store
        opened = store.open_article(article_id)
        if opened is None:
            self.host.app.call_from_thread(
                self.host.notify, "That article is no longer in the cache.", severity="warning"
            )
            return
        if len(opened.links) < SUGGEST_BELOW:
            linked = {link.target_id for link in opened.links}
            found = similar(store, article_id, SUGGESTIONS + len(linked))
            suggestions = tuple(headline for headline in found if headline.id not in linked)[:SUGGESTIONS]
            opened = dataclasses.replace(opened, suggestions=suggestions)
        row = store.position(article_id, self.host.unread_only) if move_cursor else None
        self.host.post_message(ArticleLoaded(opened, row, move_cursor))

    def article_loaded(self, opened: OpenedArticle, row: int | None, move_cursor: bool) -> None:
        """Show the article that arrived, and run what was waiting for it to be shown."""
        self.opened = opened
        loaded = opened.stored.article.id
        actions = [action for article_id, action in self._after_show if article_id == loaded]
        self._after_show = [(article_id, action) for article_id, action in self._after_show if article_id != loaded]
        self.host.article_view.show(opened)
        self.host.related_pane.show(opened)
        if move_cursor and row is not None:
            self.host.headline_list.move_to(row)
        self.host.update_status()
        for action in actions:
            action()

    def reload_article(self, article_id: str) -> None:
        """Show ``article_id`` again from the cache if it is the open one (its text changed)."""
        if self.shown_id == article_id:
            self.load_article(article_id, move_cursor=False)

    @in_thread(group="write", description="saving what was read")
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
        """Mark the article shown read or unread."""
        if self.opened:
            self._cancel_dwell()
            self._set_flag(self.opened.stored.article.id, "read", not self.opened.stored.read)

    def toggle_star(self) -> None:
        """Star or unstar the article shown."""
        if self.opened:
            self._set_flag(self.opened.stored.article.id, "starred", not self.opened.stored.starred)

    @in_thread(group="write", description="saving a flag")
    def _set_flag(self, article_id: str, flag: str, value: bool) -> None:
        store = self.host.store
        (store.set_read if flag == "read" else store.set_starred)(article_id, value)
        self._changed(article_id)

    # -- links and history -----------------------------------------------------------------------

    def follow_number(self, number: int) -> None:
        """Follow related link ``number`` (1-based) of the article shown."""
        if self.opened is None:
            return
        links = self.opened.links
        if number > len(links):
            self.host.notify(f"This article has {len(links)} related link(s).", timeout=3)
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
        else:
            self.host.notify("Not in the cache, and no web address is known.", title=link.title, timeout=6)

    def back(self) -> None:
        """Go back to the previous article opened."""
        self._go(self.navigation.back())

    def forward(self) -> None:
        """Go forward again."""
        self._go(self.navigation.forward())

    def _go(self, article_id: str | None) -> None:
        self._cancel_dwell()
        if article_id is None:
            self.host.notify("No further history.", timeout=2)
            return
        self.load_article(article_id, move_cursor=True)
        self._save_navigation()

    @in_thread(group="navigation", exclusive=True, description="saving the history")
    def _save_navigation(self) -> None:
        """Keep the history in the cache: its state when this runs, so the last save holds the latest."""
        self.host.store.set_meta("navigation", self.navigation.to_json())
