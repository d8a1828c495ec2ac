"""What links do besides opening, for the main screen: a link that is not available is searched for (in
the cache by its words, or on the web with ``o``), ``y`` copies an address, ``t`` shows the story's thread."""

from __future__ import annotations

from typing import Protocol

from pozirk_reader.core.article.hygiene import shorten
from pozirk_reader.core.operations.threads import ThreadEntry, story_thread
from pozirk_reader.core.search.query import near_query
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import LinkState, OpenedArticle, ResolvedLink
from pozirk_reader.core.web.urls import search_url
from pozirk_reader.ui.controllers.host import Controller, Host, in_thread
from pozirk_reader.ui.controllers.search import SearchController
from pozirk_reader.ui.widgets.related_pane import RelatedPane


class LinkHost(Host, Protocol):
    """What link actions need from the screen: the cache, the open article, the "see also" pane, the search."""

    @property
    def store(self) -> Store: ...

    @property
    def opened(self) -> OpenedArticle | None: ...

    @property
    def related_pane(self) -> RelatedPane: ...

    @property
    def search(self) -> SearchController: ...

    def open_article(self, article_id: str, move_cursor: bool = True, keep_shown: bool = True) -> None:
        """Open an article as a new step in the history."""
        ...


class LinkController(Controller[LinkHost]):
    """Searching for links that are not available, copying addresses, the thread view."""

    def __init__(self, host: LinkHost, web_search: str) -> None:
        super().__init__(host)
        self.web_search = web_search
        """The web search template (``{query}``: the headline), from the ``web_search`` setting."""

    def highlighted_link(self) -> ResolvedLink | None:
        """The link under the "see also" pane's cursor while it has the focus (a related or inline link)."""
        pane, opened = self.host.related_pane, self.host.opened
        return pane.highlighted_link(opened) if pane.has_focus and opened else None

    def web_search_url(self) -> str | None:
        """The web search for the link under the cursor if it is not available (what ``o`` opens then)."""
        link = self.highlighted_link()
        return search_url(self.web_search, link.title) if link and link.state == LinkState.MISSING else None

    def search_near(self, headline: str) -> None:
        """Search the cache for articles sharing words with ``headline``, best first."""
        query = near_query(headline)
        if not query:
            self.host.notify("Not in the cache, and no web address is known.", title=headline, timeout=6)
            return
        self.host.notify(
            "Not in the cache: articles with its words, best first (o on the link searches the web).", timeout=4
        )
        self.host.search.search_for(query)

    def copy(self) -> None:
        """Copy the link's address (or headline) under the "see also" cursor, else the article's (OSC 52)."""
        opened = self.host.opened
        if opened is None:
            return
        link = self.highlighted_link()
        article = opened.stored.article
        text = (link.url or link.title) if link is not None else (article.url or article.title)
        self.host.app.copy_to_clipboard(text)
        self.host.notify(f"Copied: {shorten(text, 60)}", timeout=3)

    def thread(self) -> None:
        """Show the story of the open article (counted in a worker)."""
        if self.host.opened is not None:
            self._load_thread(self.host.opened.stored.article.id)

    @in_thread(group="thread", exclusive=True, description="following the story")
    def _load_thread(self, article_id: str) -> None:
        entries = story_thread(self.host.store, article_id)
        self.host.app.call_from_thread(self._show_thread, entries, article_id)

    def _show_thread(self, entries: list[ThreadEntry], article_id: str) -> None:
        from pozirk_reader.ui.screens.thread import ThreadScreen

        if len(entries) <= 1:
            self.host.notify("No story here: no cached article links to this one or from it.", timeout=3)
            return
        if isinstance(self.host.app.screen, ThreadScreen):
            return

        def chosen(chosen_id: str | None) -> None:
            if chosen_id is not None and chosen_id != article_id:
                self.host.open_article(chosen_id)

        self.host.app.push_screen(ThreadScreen(entries, article_id), chosen)
