"""The thread view: the story of the open article, every cached article joined to it through "see also"
links (either way, a few hops), oldest first with how many links away each is. Enter follows one like any
link (a step in the history); Escape or ``t`` closes."""

from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pozirk_reader.core.article.hygiene import safe_line
from pozirk_reader.core.operations.threads import ThreadEntry
from pozirk_reader.core.wording import counted
from pozirk_reader.ui.fitting import split_first_line


class ThreadScreen(ModalScreen[str | None]):
    """The thread as a list; dismissed with the id of the article chosen, or ``None``."""

    BINDINGS = [
        Binding("escape,t", "dismiss(None)", "Close", id="thread.close"),
        Binding("j", "cursor_down", "Down", show=False, id="thread.down"),
        Binding("k", "cursor_up", "Up", show=False, id="thread.up"),
        Binding("g", "first", "First", show=False, id="thread.first"),
        Binding("G", "last", "Last", show=False, id="thread.last"),
    ]

    DEFAULT_CSS = """
    ThreadScreen { align: center middle; }
    ThreadScreen > Vertical { width: 90%; max-width: 110; height: 80%; border: round $primary; background: $surface; }
    ThreadScreen OptionList, ThreadScreen OptionList:focus { height: 1fr; border: none; }
    """

    def __init__(self, entries: list[ThreadEntry], current: str) -> None:
        super().__init__()
        self.entries = entries
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"The story: {counted(len(self.entries), 'article')} joined by links"
            box.border_subtitle = "Enter opens · Esc closes"
            yield ThreadList(self.entries, id="thread")

    def on_mount(self) -> None:
        options = self.query_one(ThreadList)
        options.lay_out()
        ids = [entry.headline.id for entry in self.entries]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_first(self) -> None:
        self.query_one(OptionList).action_first()

    def action_last(self) -> None:
        self.query_one(OptionList).action_last()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


PREFIX = len(" 1 02.10.26 • ")
"""The cells before a headline in a row: the hop count, the date, the unread mark."""


class ThreadList(OptionList):
    """The thread's rows, a headline too long for one line going on under itself (a hanging indent)."""

    def __init__(self, entries: list[ThreadEntry], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries = entries
        self._laid_out_for = -1
        """The content width the rows were last wrapped for."""

    def lay_out(self) -> None:
        """The rows for the list's width now (each on one line before it has a width)."""
        width = self._laid_out_for = self.scrollable_content_region.width
        keep = self.highlighted
        self.set_options([_row(entry, width - PREFIX if width > PREFIX + 10 else 0) for entry in self.entries])
        self.highlighted = keep

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._laid_out_for:
            self.lay_out()


def _row(entry: ThreadEntry, width: int) -> Option:
    """One article of the thread; its headline wrapped at ``width`` cells under itself (0: not wrapped)."""
    headline = entry.headline
    day = headline.date.strftime("%d.%m.%y") if headline.date else "  –     "
    hops = "●" if entry.hops == 0 else f"{entry.hops}"
    mark = Content.styled(f"{hops:>2} ", "bold" if entry.hops == 0 else "$text-muted")
    unread = "•" if not headline.read else " "
    text = safe_line(headline.title)
    lines = []
    while width and cell_len(text) > width:
        line, text = split_first_line(text, width)
        lines.append(line)
    lines.append(text)
    wrapped = ("\n" + " " * PREFIX).join(lines)
    title = Content.styled(wrapped, "bold") if entry.hops == 0 else Content(wrapped)
    return Option(Content.assemble(mark, Content.styled(f"{day} ", "$text-muted"), unread, " ", title), id=headline.id)
