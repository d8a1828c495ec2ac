"""The rename dialog: a short name for a source, shown in the headline list instead of its own."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from pozirk_reader.core.limits import DISPLAY_NAME_LENGTH


class RenameScreen(ModalScreen[str | None]):
    """Type a name and Enter: the name (``""``: the source's own name again); Escape: no change (``None``)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="rename.cancel")]

    DEFAULT_CSS = """
    RenameScreen { align: center middle; }
    RenameScreen > Vertical { width: 60; height: auto; border: round $primary; background: $surface; padding: 1 2; }
    """

    def __init__(self, label: str, current: str | None) -> None:
        super().__init__()
        self.label = label
        self.current = current or ""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Rename the source"
            yield Label(f"A short name for “{self.label}” in the list (empty: its own name).", markup=False)
            yield Input(self.current, placeholder=self.label, max_length=DISPLAY_NAME_LENGTH, id="name")

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()))
