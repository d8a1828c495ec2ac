"""The sources pane, for the main screen: open it in the headline list's place, list the sources with their
counts (in a worker), and do what its keys ask: show one source's list, refresh, rename, remove, mark read."""

from __future__ import annotations

from typing import Protocol

from pozirk_reader.core.operations.source_admin import remove_source, rename_source
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle, SourceKind, SourceSummary
from pozirk_reader.core.wording import counted
from pozirk_reader.ui.controllers.host import Controller, Host, focus_now, in_thread
from pozirk_reader.ui.messages import SourcesListed
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from pozirk_reader.ui.widgets.sources_pane import SourcesPane


class SourcesPaneHost(Host, Protocol):
    """What the sources pane needs from the screen: the cache, the two panes, and what to do to a source."""

    @property
    def store(self) -> Store: ...

    @property
    def headline_list(self) -> HeadlineList: ...

    @property
    def opened(self) -> OpenedArticle | None: ...

    @property
    def sources_pane(self) -> SourcesPane: ...

    def show_source(self, source_id: int | None) -> None:
        """Filter the headline list to source ``source_id`` (``None``: every source)."""
        ...

    def refresh_source(self, source_id: int) -> None:
        """Refresh one feed."""
        ...

    def mark_source_read(self, source_id: int) -> None:
        """Mark every article of a source read (undoable)."""
        ...

    def reload_list(self, article_id: str | None, open_cursor: bool = False) -> None:
        """Load the list again with ``article_id`` under the cursor."""
        ...


class SourcesPaneController(Controller[SourcesPaneHost]):
    """Opens and closes the sources pane and carries out its requests."""

    current: int | None = None
    """The source whose list is shown (``None``: every source)."""

    @property
    def is_open(self) -> bool:
        """Whether the pane is shown (in the headline list's place)."""
        return bool(self.host.sources_pane.display)

    def toggle(self) -> None:
        """Open the pane (its counts loaded afresh), or close it and go back to the list."""
        if self.is_open:
            self.close()
        else:
            self.host.headline_list.display = False
            pane = self.host.sources_pane
            pane.display = True
            focus_now(pane)
            self.reload()

    def close(self) -> None:
        """Hide the pane; the list is back."""
        self.host.sources_pane.display = False
        self.host.headline_list.display = True
        focus_now(self.host.headline_list)

    def reload(self) -> None:
        """List the sources again (counts change as articles are read), if the pane is open."""
        if self.is_open:
            self._list()

    @in_thread(group="sources-pane", exclusive=True, description="counting the sources")
    def _list(self) -> None:
        self.host.post_message(SourcesListed(self.host.store.source_summaries()))

    def listed(self, summaries: list[SourceSummary]) -> None:
        """Show the sources counted."""
        self.host.sources_pane.show(summaries, self.current)

    def chosen(self, source_id: int | None) -> None:
        """Enter on a source: the list shows its articles (or all) and takes the pane's place again."""
        self.current = source_id
        self.close()
        self.host.show_source(source_id)

    def asked(self, what: str, summary: SourceSummary, label: str) -> None:
        """A key of the pane asked for ``what`` to be done to ``summary``'s source."""
        source = summary.source
        if what == "refresh":
            if source.kind != SourceKind.FEED:
                self.host.notify(f"“{label}” is not a feed: import it again with pozirk-reader import.", timeout=4)
            else:
                self.host.refresh_source(source.id)
        elif what == "mark_read":
            self.host.mark_source_read(source.id)
        elif what == "rename":
            from pozirk_reader.ui.screens.rename import RenameScreen

            def renamed(name: str | None) -> None:
                if name is not None:
                    self._rename(source.id, name)

            self.host.app.push_screen(RenameScreen(label, source.display_name), renamed)
        elif what == "remove":
            self._remove(source.id, label)

    @in_thread(group="sources-write", description="renaming a source")
    def _rename(self, source_id: int, name: str) -> None:
        rename_source(self.host.store, source_id, name)
        self.host.app.call_from_thread(self._changed, None)

    @in_thread(group="sources-write", description="removing a source")
    def _remove(self, source_id: int, label: str) -> None:
        removed = remove_source(self.host.store, source_id)
        self.host.app.call_from_thread(self._changed, f"Removed “{label}” and {counted(removed, 'article')}.")
        if self.current == source_id:
            self.current = None
            self.host.app.call_from_thread(self.host.show_source, None)

    def _changed(self, message: str | None) -> None:
        """A source changed: count the sources again and reload the list (its names or articles changed)."""
        if message:
            self.host.notify(message, timeout=4)
        self.reload()
        opened = self.host.opened
        self.host.reload_list(opened.stored.article.id if opened else None)
