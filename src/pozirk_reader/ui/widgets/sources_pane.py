"""The sources pane: every feed, folder, file and page source with its unread and total articles.

It takes the headline list's place while it is open (``L`` toggles it, so it fits any terminal, 80x24
included). Enter shows the list of the source under the cursor ("All sources" the whole list again);
``r`` refreshes a feed, ``e`` renames it (a short name for the list), ``d`` twice removes it and its
articles, ``C`` marks it read. The pane only posts what was asked; the screen does it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pozirk_reader.core.article.hygiene import safe_line
from pozirk_reader.core.store.read_models import SourceKind, SourceSummary, distinct_labels
from pozirk_reader.ui.fitting import source_label

KIND_MARKS = {SourceKind.FEED: "◉", SourceKind.FOLDER: "▤", SourceKind.FILE: "▭", SourceKind.PAGE: "◌"}
"""A mark for each kind of source, before its name."""

ALL_SOURCES = "all"
"""The option id of the first row: every source."""


class SourcesPane(OptionList):
    """The sources with their counts; each key posts a message for the source under the cursor."""

    BINDINGS = [
        Binding("k", "cursor_up", "Up", show=False, id="sources.up"),
        Binding("j", "cursor_down", "Down", show=False, id="sources.down"),
        Binding("g", "first", "First", show=False, id="sources.first"),
        Binding("G", "last", "Last", show=False, id="sources.last"),
        Binding("r", "refresh_source", "Refresh", id="sources.refresh"),
        Binding("e", "rename", "Rename", id="sources.rename"),
        Binding("d", "remove", "Remove", id="sources.remove"),
        Binding("C", "mark_read", "Mark read", id="sources.mark_read"),
    ]

    @dataclass
    class Chosen(Message):
        """Enter on a source (``None``: every source)."""

        source_id: int | None

    @dataclass
    class Asked(Message):
        """A key asked for something done to a source: ``what`` is refresh, rename, remove or mark_read."""

        what: str
        summary: SourceSummary
        label: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summaries: list[SourceSummary] = []
        self.labels: dict[int, str] = {}
        self._removing: int | None = None
        """The source a first ``d`` asked to remove (a second one removes it)."""
        self._laid_out_for = 0
        """The content width the rows were last cut for."""

    def show(self, summaries: list[SourceSummary], current: int | None = None) -> None:
        """List ``summaries`` (the cursor on source ``current``, else where it was)."""
        keep = self.highlighted
        self.summaries = summaries
        self.labels = {key: safe_line(label) for key, label in distinct_labels(summaries).items()}
        self._removing = None
        self._lay_out()
        if current is not None:
            ids = [s.source.id for s in summaries]
            self.highlighted = ids.index(current) + 1 if current in ids else 0
        else:
            self.highlighted = min(keep or 0, self.option_count - 1)

    def _lay_out(self) -> None:
        """Draw the rows for the pane's width: names cut so that every count stays on its source's line."""
        summaries = self.summaries
        unread, total = sum(s.unread for s in summaries), sum(s.total for s in summaries)
        rows = [("∗", "All sources", unread, total, ALL_SOURCES)]
        for summary in summaries:
            mark = KIND_MARKS.get(summary.source.kind, " ")
            rows.append((mark, self.labels[summary.source.id], summary.unread, summary.total, str(summary.source.id)))
        counts = max(len(_counts(row[2], row[3]).plain) for row in rows)
        width = max(cell_len(row[1]) for row in rows)
        self._laid_out_for = room = self.scrollable_content_region.width
        if room:
            width = max(min(width, room - len("∗ ") - len("  ") - counts), 6)
        options = [
            Option(_row(mark, source_label(label, width), width, n, of), id=key) for mark, label, n, of, key in rows
        ]
        self.set_options(options)

    def on_resize(self) -> None:
        """Cut the names again for the new width, the cursor where it was."""
        if self.summaries and self.scrollable_content_region.width != self._laid_out_for:
            keep = self.highlighted
            self._lay_out()
            self.highlighted = keep

    def selected_summary(self) -> SourceSummary | None:
        """The source under the cursor (``None`` on "All sources")."""
        index = self.highlighted
        return self.summaries[index - 1] if index is not None and 0 < index <= len(self.summaries) else None

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        summary = self.selected_summary()
        self.post_message(self.Chosen(summary.source.id if summary else None))

    def _ask(self, what: str) -> None:
        summary = self.selected_summary()
        if summary is None:
            self.app.notify("Choose a source first (All sources is every one).", timeout=3, markup=False)
            return
        self.post_message(self.Asked(what, summary, self.labels[summary.source.id]))

    def action_refresh_source(self) -> None:
        """Refresh the feed under the cursor."""
        self._ask("refresh")

    def action_rename(self) -> None:
        """Give the source under the cursor a short name for the list."""
        self._ask("rename")

    def action_mark_read(self) -> None:
        """Mark every article of the source under the cursor read."""
        self._ask("mark_read")

    def action_remove(self) -> None:
        """Remove the source under the cursor and its articles: press twice."""
        summary = self.selected_summary()
        if summary is not None and self._removing == summary.source.id:
            self._removing = None
            self._ask("remove")
            return
        self._removing = summary.source.id if summary else None
        if summary is not None:
            label = self.labels[summary.source.id]
            self.app.notify(
                f"Press d again to remove “{label}” and its {summary.total:,} cached articles.", timeout=4, markup=False
            )
        else:
            self._ask("remove")


def _counts(unread: int, total: int) -> Content:
    """unread/total, unread in bold if any."""
    return Content.assemble(
        Content.styled(f"{unread:>5,}", "bold" if unread else "$text-muted"),
        Content.styled(f"/{total:,}", "$text-muted"),
    )


def _row(mark: str, label: str, width: int, unread: int, total: int) -> Content:
    """One row: the kind's mark, the name padded to ``width`` cells, then unread/total."""
    return Content.assemble(f"{mark} ", label + " " * max(width - cell_len(label), 0), "  ", _counts(unread, total))
