"""The thread view: the story of the open article, every cached article joined to it through "see also"
links (either way, a few hops), oldest first with how many links away each is. Enter follows one like any
link (a step in the history); Escape or ``t`` closes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pozirk_reader.core.operations.threads import ThreadEntry
from pozirk_reader.core.wording import counted


class ThreadScreen(ModalScreen[str | None]):
    """The thread as a list; dismissed with the id of the article chosen, or ``None``."""

    BINDINGS = [
        Binding("escape,t", "dismiss(None)", "Close", id="thread.close"),
        Binding("j", "cursor_down", "Down", show=False, id="thread.down"),
        Binding("k", "cursor_up", "Up", show=False, id="thread.up"),
    ]

    DEFAULT_CSS = """
    ThreadScreen { align: center middle; }
    ThreadScreen > Vertical { width: 90%; max-width: 110; height: 80%; border: round $primary; background: $surface; }
    ThreadScreen OptionList { height: 1fr; border: none; }
    """

    def __init__(self, entries: list[ThreadEntry], current: str) -> None:
        super().__init__()
        self.entries = entries
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"The story: {counted(len(self.entries), 'article')} joined by links"
            box.border_subtitle = "Enter opens · Esc closes"
            yield OptionList(*(self._row(entry) for entry in self.entries), id="thread")

    def _row(self, entry: ThreadEntry) -> Option:
        headline = entry.headline
        day = headline.date.strftime("%d.%m.%y") if headline.date else "  –     "
        hops = "●" if entry.hops == 0 else f"{entry.hops}"
        mark = Content.styled(f"{hops:>2} ", "bold" if entry.hops == 0 else "$text-muted")
        title = Content.styled(headline.title, "bold") if entry.hops == 0 else Content(headline.title)
        unread = "•" if not headline.read else " "
        return Option(
            Content.assemble(mark, Content.styled(f"{day} ", "$text-muted"), unread, " ", title), id=headline.id
        )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [entry.headline.id for entry in self.entries]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
