"""The help screen: every key, as bound now (a user keymap included)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from pozirk_reader.ui.widgets.related_pane import RelatedPane

GENERAL = [
    ("tab / shift+tab", "Move between the panes"),
    ("ctrl+p", "Command palette: every action by name"),
]


def key_rows(screen: Screen, keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every binding of the screen and its panes, with ``keymap`` applied."""
    rows: list[tuple[str, str, str]] = [("everywhere", keys, what) for keys, what in GENERAL]
    sources = [
        ("everywhere", type(screen).BINDINGS),
        ("headlines", HeadlineList.BINDINGS),
        ("article", [*ArticleView.BINDINGS, Binding("up,down,pageup,pagedown,home,end", "", "Scroll")]),
        ("see also", [*RelatedPane.BINDINGS, Binding("enter", "", "Follow the link")]),
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
                rows.append((where, keys, "Follow related link 1–9"))
                continue
            rows.append((where, _pretty(keys), binding.description + (f"  [{binding.id}]" if binding.id else "")))
    return rows


def _pretty(keys: str) -> str:
    """Key names as a person reads them."""
    names = {"left_square_bracket": "[", "right_square_bracket": "]", "question_mark": "?", "at": "@", "space": "space"}
    return " / ".join(names.get(key.strip(), key.strip()) for key in keys.split(","))


class HelpScreen(ModalScreen[None]):
    """Lists the keys; Escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

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
        table.add_column("Keys", style="bold", no_wrap=True)
        table.add_column("What  [binding id, for the keymap]")
        for where, keys, what in key_rows(self.main, self.keymap):
            table.add_row(Text(where), Text(keys), Text(what))
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys — Escape closes"
            yield Static(table)
