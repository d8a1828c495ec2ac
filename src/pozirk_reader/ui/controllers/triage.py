"""Triage, newsboat's way: ``A`` marks every article of the list as it is shown read (a search and its
filters included), ``C`` every article of the open article's source (or of the source chosen in the sources
pane), and ``U`` undoes the last such mark, exactly: articles read before stay read.

The writes go through the screen's :class:`~pozirk_reader.ui.controllers.writer.OrderedWriter`, after every
flag change asked for before them; each is one transaction (see :mod:`pozirk_reader.core.operations.triage`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pozirk_reader.core.operations.triage import Mark, mark_source_read, mark_view_read, undo
from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle, distinct_labels
from pozirk_reader.core.wording import counted
from pozirk_reader.ui.controllers.host import Controller, Host
from pozirk_reader.ui.controllers.writer import OrderedWriter
from pozirk_reader.ui.messages import Marked


class TriageHost(Host, Protocol):
    """What triage needs from the screen: the cache, the writer, the open article and the view's query."""

    @property
    def store(self) -> Store: ...

    @property
    def writer(self) -> OrderedWriter: ...

    @property
    def opened(self) -> OpenedArticle | None: ...

    def view(self) -> tuple[str, SearchFilters]:
        """The query and filters of the list as shown now."""
        ...

    def reload_list(self, article_id: str | None, open_cursor: bool = False) -> None:
        """Load the list again with ``article_id`` under the cursor."""
        ...


class TriageController(Controller[TriageHost]):
    """Marks a view or a source read and keeps the last mark for :meth:`undo`."""

    def __init__(self, host: TriageHost) -> None:
        super().__init__(host)
        self.last: Mark | None = None
        """The last mark written, until it is undone."""

    def mark_view(self) -> None:
        """Mark every article of the list, as filtered and searched now, read."""
        query, filters = self.host.view()
        what = "this search" if query.strip() else "this view"
        self.host.writer.submit(lambda: self._mark(lambda store: mark_view_read(store, query, filters, what)))

    def mark_source(self, source_id: int | None = None) -> None:
        """Mark every article of source ``source_id`` (by default the open article's) read."""
        opened = self.host.opened
        location = opened.stored.source_location if opened and source_id is None else None
        if source_id is None and location is None:
            self.host.notify("No article is open: choose a source in the sources pane (L).", timeout=3)
            return

        def write(store: Store) -> Mark:
            summaries = store.source_summaries()
            found = next((s for s in summaries if s.source.id == source_id or s.source.location == location), None)
            if found is None:
                return Mark((), True, "this source")
            return mark_source_read(store, found.source.id, distinct_labels(summaries)[found.source.id])

        self.host.writer.submit(lambda: self._mark(write))

    def undo(self) -> None:
        """Undo the last mark of a view or a source."""
        last, self.last = self.last, None
        if last is None:
            self.host.notify("Nothing to undo.", timeout=2)
            return
        self.host.writer.submit(lambda: self._mark(lambda store: undo(store, last), undone=True))

    def _mark(self, write: Callable[[Store], Mark], undone: bool = False) -> None:
        """Run ``write`` on the cache (in the writer's worker) and post what it changed."""
        store = self.host.store
        mark = write(store)
        opened = self.host.opened
        shown = None
        if opened is not None and opened.stored.article.id in mark.article_ids:
            shown = next(iter(store.headlines_by_id([opened.stored.article.id])), None)
        self.host.post_message(Marked(mark, undone, shown))

    def marked(self, message: Marked) -> None:
        """A mark was written: remember it for undo, reload the list and say what changed."""
        mark = message.mark
        self.last = None if message.undone or not mark.article_ids else mark
        opened = self.host.opened
        self.host.reload_list(opened.stored.article.id if opened else None)
        articles = counted(len(mark.article_ids), "article")
        if message.undone:
            self.host.notify(f"Undone: {articles} unread again.", timeout=3)
        elif not mark.article_ids:
            self.host.notify(f"Nothing unread in {mark.what}.", timeout=3)
        else:
            self.host.notify(f"{articles} of {mark.what} marked read (U undoes).", timeout=4)
