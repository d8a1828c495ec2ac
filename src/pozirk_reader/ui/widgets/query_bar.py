"""A one-line query input, hidden until asked for: the search line over the headlines, the find line under the article."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.events import Focus
from textual.message import Message
from textual.widgets import Input
from textual.widgets.input import Selection


@dataclass
class _FromBar(Message):
    """A message from a :class:`QueryBar`; ``@on(..., "#id")`` tells the bars apart by it."""

    bar: QueryBar

    @property
    def control(self) -> QueryBar:
        return self.bar


class QueryBar(Input):
    """An :class:`Input` that says when it is left: Escape posts :class:`Cancelled`, ↓ posts :class:`Leave`.

    Typing posts Textual's ``Input.Changed`` and Enter ``Input.Submitted``, as any input does.
    """

    BINDINGS = [
        # A priority binding runs as the key arrives, before a key typed right after is routed to the line.
        Binding("enter", "submit", "Search", show=False, priority=True, id="query.submit"),
        Binding("escape", "cancel", "Close", id="query.cancel"),
        Binding("down", "leave", "To the results", show=False, id="query.leave"),
    ]

    class Cancelled(_FromBar):
        """Escape: close the bar and undo what it did."""

    class Leave(_FromBar):
        """↓: keep the query and move to what it found."""

    _mending = False

    def mend(self) -> None:
        """Take the focus back to mend the query: the cursor at its end and the text not selected, so the first
        key typed extends the query instead of replacing it."""
        self._mending = True
        self.select_on_focus = False
        self.selection = Selection.cursor(len(self.value))
        self.screen.set_focus(self)

    def _on_focus(self, event: Focus) -> None:
        # Runs before Input's own handler (Textual dispatches down the MRO), which must see the flag off.
        if self._mending:
            self._mending = False
            self.call_next(setattr, self, "select_on_focus", True)

    async def action_submit(self) -> None:
        """Enter: ``Input.Submitted``, and the line gives up the focus at once (keys typed right after go to the
        screen's bindings, never into the line); the screen gives the focus where it belongs."""
        await super().action_submit()
        self.screen.set_focus(None)

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self))

    def action_leave(self) -> None:
        self.post_message(self.Leave(self))
