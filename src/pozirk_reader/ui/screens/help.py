"""The help screen: every key, as bound now (a user keymap included)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from pozirk_reader.ui.screens.thread import ThreadScreen
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from pozirk_reader.ui.widgets.related_pane import RelatedPane
from pozirk_reader.ui.widgets.sources_pane import SourcesPane

GENERAL = [
    ("tab / shift+tab", "Move between the panes"),
    ("ctrl+p", "Command palette: every action by name"),
]


def key_rows(screen: Screen, keymap: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(where, keys, what, binding id) for every binding of the screen and its panes, with ``keymap`` applied."""
    rows: list[tuple[str, str, str, str]] = [("everywhere", keys, what, "") for keys, what in GENERAL]
    sources = [
        ("everywhere", type(screen).BINDINGS),
        ("headlines", HeadlineList.BINDINGS),
        ("article", [*ArticleView.BINDINGS, Binding("up,down,pageup,pagedown,home,end", "", "Scroll")]),
        ("see also", [*RelatedPane.BINDINGS, Binding("enter", "", "Follow the link (✗: search for it)")]),
        ("sources", [*SourcesPane.BINDINGS, Binding("enter", "", "Show its articles")]),
        ("thread", ThreadScreen.BINDINGS),
    ]
    follow_done = False
    for where, bindings in sources:
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = keymap.get(binding.id or "", binding.key)
            if binding.action.startswith("follow("):
                if follow_done:
                    continue
                follow_done, keys = True, "1 … 9"
                rows.append((where, keys, "Follow related link 1–9", "reader.follow_1 … 9"))
                continue
            rows.append((where, _pretty(keys), binding.description, binding.id or ""))
    return rows


def _pretty(keys: str) -> str:
    """Key names as a person reads them."""
    names = {"left_square_bracket": "[", "right_square_bracket": "]", "question_mark": "?", "at": "@", "space": "space"}
    return " / ".join(names.get(key.strip(), key.strip()) for key in keys.split(","))


class HelpScreen(ModalScreen[None]):
    """Lists the keys; j/k, g/G and the page keys scroll it; Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k", "scroll('up')", "Up", show=False, id="help.up"),
        Binding("g", "scroll('home')", "Top", show=False, id="help.top"),
        Binding("G", "scroll('end')", "Bottom", show=False, id="help.bottom"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%; border: round $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, main: Screen, keymap: dict[str, str]) -> None:
        super().__init__()
        self.main = main
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("Where", style="dim", no_wrap=True)
        table.add_column("Keys", style="bold", max_width=20, overflow="fold")
        table.add_column("What  [binding id, for the keymap]", min_width=len("[reader.previous_unread]") + 2)
        for where, keys, what, binding_id in key_rows(self.main, self.keymap):
            # the id on a line of its own, so that a narrow screen wraps the words and never cuts the id
            described = Text(what) if not binding_id else Text.assemble(what, "\n", (f"[{binding_id}]", "dim"))
            table.add_row(Text(where), Text(keys), described)
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys — Escape closes"
            yield Static(table)

    def action_scroll(self, where: str) -> None:
        """Scroll the list of keys a line down or up, or to its top or bottom."""
        scroll = self.query_one(VerticalScroll)
        {"down": scroll.scroll_down, "up": scroll.scroll_up, "home": scroll.scroll_home, "end": scroll.scroll_end}[
            where
        ](animate=False)
